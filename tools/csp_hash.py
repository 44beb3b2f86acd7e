"""Trunk post-build hook: allow trunk's inline start-up script by its hash.

Trunk writes a small inline <script type="module"> that loads the wasm. The page's
Content-Security-Policy allows no inline script, so this adds the script's sha256 to the
policy's script-src: only that exact script may run.
"""
import base64
import hashlib
import os
import pathlib
import re
import sys

staging = pathlib.Path(os.environ["TRUNK_STAGING_DIR"])
for html in staging.glob("*.html"):
    text = html.read_text(encoding="utf-8")
    hashes = []
    for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", text, re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    if not hashes:
        continue
    if "script-src 'self' 'wasm-unsafe-eval'" not in text:
        sys.exit(f"{html.name}: no script-src 'self' 'wasm-unsafe-eval' in the CSP to extend")
    text = text.replace(
        "script-src 'self' 'wasm-unsafe-eval'",
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),
        1,
    )
    html.write_text(text, encoding="utf-8")

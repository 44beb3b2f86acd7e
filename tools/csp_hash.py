"""Trunk post-build hook: the page's Content-Security-Policy, finished at build time.

- Trunk writes a small inline <script type="module"> that loads the wasm. The policy allows no
  inline script, so this adds the script's sha256 to script-src: only that exact script runs.
- CONSOLE_CONNECT_SRC (space-separated origins such as `https://slack-proxy.example.com`)
  adds the addresses, besides Slack and this computer, that the console may call. The page
  reads its own policy to check a base URL, so the check and the browser always agree.
"""
import base64
import hashlib
import os
import pathlib
import re
import sys

SOURCE = re.compile(r"^(https://|http://(127\.0\.0\.1|localhost)(:|/|$)|wss://)[A-Za-z0-9.*:\[\]/_-]*$")


def extra_connect_sources():
    """The origins from CONSOLE_CONNECT_SRC, refused unless each is https:// (or loopback)."""
    words = os.environ.get("CONSOLE_CONNECT_SRC", "").split()
    for word in words:
        if not SOURCE.match(word) or word in ("https://", "https://*"):
            sys.exit(
                f"CONSOLE_CONNECT_SRC: {word!r} is not an origin the console may call: give "
                "https:// addresses (such as https://slack-proxy.example.com), space-separated."
            )
    return words


staging = pathlib.Path(os.environ["TRUNK_STAGING_DIR"])
extra = extra_connect_sources()
for html in staging.glob("*.html"):
    text = html.read_text(encoding="utf-8")
    if extra:
        if "connect-src 'self'" not in text:
            sys.exit(f"{html.name}: no connect-src 'self' in the CSP to extend")
        text = text.replace("connect-src 'self'", "connect-src 'self' " + " ".join(extra), 1)
    hashes = []
    for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", text, re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    if not hashes:
        html.write_text(text, encoding="utf-8")
        continue
    if "script-src 'self' 'wasm-unsafe-eval'" not in text:
        sys.exit(f"{html.name}: no script-src 'self' 'wasm-unsafe-eval' in the CSP to extend")
    text = text.replace(
        "script-src 'self' 'wasm-unsafe-eval'",
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),
        1,
    )
    html.write_text(text, encoding="utf-8")

"""Starts the slack-sim binary for the conformance tests and hands out slack_sdk clients.

The binary comes from $SLACK_SIM_BIN (default: <repo>/target/debug/slack-sim); build it with
`cargo build -p slack-sim` first.
"""

import os
import pathlib
import re
import subprocess

import pytest
from slack_sdk import WebClient

REPO = pathlib.Path(__file__).resolve().parents[3]
BIN = os.environ.get("SLACK_SIM_BIN", str(REPO / "target" / "debug" / "slack-sim"))

ADMIN = "xoxp-sandbox-org-admin"
OWNER = "xoxp-sandbox-org-owner"
MEMBER = "xoxp-sandbox-member"
LEGACY = "xoxp-sandbox-legacy"
LEGACY_SSO = "xoxp-sandbox-legacy-sso"
BOT = "xoxb-sandbox-bot"

ORG = "E07NW4TRD"
HQ = "T07NW4HQ1"
OPS = "T07NW4OPS"
LABS = "T07NW4LAB"
HQ_GENERAL = "C07A10001"
OPS_GENERAL = "C07A20001"
BAKERY_GENERAL = "C03C10001"
FJORD_GENERAL = "C05C10001"

PRIMARY_OWNER = "W0A1C0001"
ORG_ADMIN = "W0A1C0002"
MEMBER_ID = "W0A1C0003"
GUEST_EXPIRING = "W0A1C000A"
GUEST = "W0A1C000B"
DEACTIVATED_GUEST = "W0A1C000F"
BOT_ID = "W0A1C0010"
TOM_AND_JERRY = "W0A1C0009"
BOLD_BOB = "W0A1C0008"
ORG_ADMIN_2 = "W0A1C0018"
NO_WORKSPACE = "W0A1C0017"
PENDING_REQUEST = "Ir0000001"


class Sim:
    """A running slack-sim process."""

    def __init__(self, *args):
        if not os.path.exists(BIN):
            pytest.fail(f"{BIN} is missing: run `cargo build -p slack-sim` (or set SLACK_SIM_BIN)")
        # Its log joins the suite's logs (searched for secrets at the end) when there are any.
        log_dir = os.environ.get("TEST_LOG_DIR")
        self.log = open(os.path.join(log_dir, "sim-conformance.log"), "a") if log_dir else None
        self.proc = subprocess.Popen(
            [BIN, "--listen", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE,
            stderr=self.log or subprocess.DEVNULL,
            text=True,
        )
        line = self.proc.stdout.readline()
        match = re.match(r"listening on (http://\S+)", line)
        if not match:
            self.stop()
            pytest.fail(f"slack-sim did not start: {line!r}")
        self.url = match.group(1)

    def client(self, token, **kwargs):
        return WebClient(base_url=f"{self.url}/api/", token=token, **kwargs)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        if self.log:
            self.log.close()


@pytest.fixture
def sim():
    """A fresh sim per test (state changes do not leak), without rate limits to speak of."""
    s = Sim("--rate-scale", "100000")
    yield s
    s.stop()


@pytest.fixture
def start_sim():
    """Starts sims with other flags; stops them afterwards."""
    started = []

    def start(*args):
        s = Sim(*args)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()

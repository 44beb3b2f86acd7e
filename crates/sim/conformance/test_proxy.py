"""The official Python SDK through slack-admin-proxy: `WebClient(base_url=<proxy>/api/,
token=<access key>)` works unchanged for lists, invites and role changes; a read-only key is
refused writes; neither the token nor a key appears in the proxy's log.

The proxy binary comes from $SLACK_ADMIN_PROXY_BIN (default: <repo>/target/debug/
slack-admin-proxy); build it with `cargo build -p slack-admin-proxy` first.
"""

import os
import re
import subprocess
import tempfile

import pytest
from slack_sdk.errors import SlackApiError

from conftest import ADMIN, HQ, HQ_GENERAL, MEMBER_ID, REPO

PROXY_BIN = os.environ.get(
    "SLACK_ADMIN_PROXY_BIN", str(REPO / "target" / "debug" / "slack-admin-proxy")
)


class Proxy:
    def __init__(self, sim_url, data_dir):
        if not os.path.exists(PROXY_BIN):
            pytest.fail(f"{PROXY_BIN} is missing: run `cargo build -p slack-admin-proxy`")
        self.keys = {}
        for name, read_only in [("ana", False), ("reader", True)]:
            args = [PROXY_BIN, "keys", "add", name, "--data-dir", data_dir]
            if read_only:
                args.append("--read-only")
            out = subprocess.run(args, capture_output=True, text=True, check=True)
            self.keys[name] = out.stdout.strip()
        self.log = open(os.path.join(data_dir, "proxy.log"), "w+")
        env = dict(os.environ, SLACK_ADMIN_TOKEN=ADMIN)
        self.proc = subprocess.Popen(
            [PROXY_BIN, "serve", "--listen", "127.0.0.1:0", "--slack-api-url", f"{sim_url}/api/",
             "--data-dir", data_dir, "--rate-scale", "100000"],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env=env,
        )
        line = self.proc.stdout.readline()
        match = re.match(r"listening on (http://\S+)", line)
        if not match:
            self.stop()
            pytest.fail(f"slack-admin-proxy did not start: {line!r}")
        self.url = match.group(1)

    def client(self, key):
        from slack_sdk import WebClient

        return WebClient(base_url=f"{self.url}/api/", token=key)

    def logs(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture
def proxy(sim, request):
    with tempfile.TemporaryDirectory() as data_dir:
        p = Proxy(sim.url, data_dir)
        yield p
        p.stop()
        logs = p.logs()
        p.log.close()
        # Kept with the suite's logs, which `cargo xtask test` searches for secrets at the end.
        log_dir = os.environ.get("TEST_LOG_DIR")
        if log_dir:
            with open(os.path.join(log_dir, f"proxy-conformance-{request.node.name}.log"), "w") as f:
                f.write(logs)
        for secret in [ADMIN, *p.keys.values()]:
            assert secret not in logs, "a secret in the proxy's log"


def test_lists_invites_and_role_changes_through_the_proxy(proxy):
    ana = proxy.client(proxy.keys["ana"])
    who = ana.auth_test()
    assert who["ok"] and who["user_id"]
    users = ana.admin_users_list(limit=10)
    assert len(users["users"]) == 10
    teams = ana.admin_teams_list()
    assert any(t["id"] == HQ for t in teams["teams"])
    invited = ana.admin_users_invite(
        team_id=HQ, email="sdk.via.proxy@example.com", channel_ids=[HQ_GENERAL]
    )
    assert invited["ok"]
    changed = ana.admin_users_setAdmin(team_id=HQ, user_id=MEMBER_ID)
    assert changed["ok"]
    with pytest.raises(SlackApiError) as e:
        ana.admin_users_invite(team_id=HQ, email="sdk.via.proxy@example.com", channel_ids=[HQ_GENERAL])
    assert e.value.response["error"] == "already_in_team_invited_user"


def test_a_read_only_key_reads_and_is_refused_writes(proxy):
    reader = proxy.client(proxy.keys["reader"])
    assert reader.admin_users_list(limit=5)["ok"]
    with pytest.raises(SlackApiError) as e:
        reader.admin_users_setAdmin(team_id=HQ, user_id=MEMBER_ID)
    assert e.value.response["error"] == "no_permission"


def test_a_wrong_or_missing_key_is_refused_as_slack_would(proxy):
    with pytest.raises(SlackApiError) as e:
        proxy.client("sak_" + "0" * 64).auth_test()
    assert e.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as e:
        proxy.client(None).auth_test()
    assert e.value.response["error"] == "not_authed"

"""The wire: GET with a query string, JSON with Bearer, CORS, rate limits seen by the SDK's
own retry handler, injected faults."""

import json
import time
import urllib.error
import urllib.request

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from conftest import ADMIN, LEGACY, MEMBER


def raw(url, method="GET", data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_a_token_in_the_query_works_only_for_legacy_tokens(sim):
    # Apps created after 2021-02-24 may not send tokens in a query string.
    status, headers, body = raw(f"{sim.url}/api/auth.test?token={MEMBER}")
    assert status == 200
    assert json.loads(body)["error"] == "not_authed"
    status, headers, body = raw(f"{sim.url}/api/auth.test?token={LEGACY}")
    assert json.loads(body)["ok"] is True
    assert headers["x-oauth-scopes"] == "client"


def test_json_body_with_bearer(sim):
    r = sim.client(ADMIN).api_call("admin.users.list", json={"limit": 3, "only_guests": True})
    assert len(r["users"]) == 3
    status, _, body = raw(
        f"{sim.url}/api/admin.users.list",
        "POST",
        json.dumps({"token": ADMIN}).encode(),
        {"Content-Type": "application/json"},
    )
    assert json.loads(body)["error"] == "not_authed"


def test_form_post_with_token_in_body(sim):
    status, headers, body = raw(
        f"{sim.url}/api/auth.test",
        "POST",
        f"token={ADMIN}".encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://console.example"},
    )
    assert json.loads(body)["ok"] is True
    assert headers["access-control-allow-origin"] == "*"


def test_preflight_does_not_allow_authorization(sim):
    status, headers, _ = raw(
        f"{sim.url}/api/auth.test",
        "OPTIONS",
        headers={
            "Origin": "https://console.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert status < 300
    allowed = [h.strip().lower() for h in headers.get("access-control-allow-headers", "").split(",")]
    assert "authorization" not in allowed


def test_a_429_burst_is_seen_and_retried_by_the_sdk(start_sim):
    # Tier 3 (admin.teams.list) at 0.3x: 15 calls a minute, one more every 4 s.
    s = start_sim("--rate-scale", "0.3")
    plain = s.client(ADMIN)
    limited = None
    for _ in range(40):
        try:
            plain.admin_teams_list()
        except SlackApiError as e:
            limited = e.response
            break
    assert limited is not None, "never rate limited"
    assert limited.status_code == 429
    assert limited["error"] == "ratelimited"
    retry_after = int(limited.headers["retry-after"])
    assert retry_after >= 1
    handler = RateLimitErrorRetryHandler(max_retry_count=1)
    retrying = s.client(ADMIN, retry_handlers=[handler])
    started = time.monotonic()
    assert retrying.admin_teams_list()["ok"] is True
    assert time.monotonic() - started >= 1.0, "the handler waited for Retry-After"


def test_faults_reach_the_client(start_sim):
    s = start_sim("--faults", "500=1")
    with pytest.raises(SlackApiError) as e:
        s.client(ADMIN).auth_test()
    assert e.value.response.status_code == 500
    s = start_sim("--faults", "drop=1")
    with pytest.raises(Exception):
        s.client(ADMIN, timeout=5).auth_test()
    s = start_sim("--faults", "slow=1:600")
    started = time.monotonic()
    assert s.client(ADMIN).auth_test()["ok"]
    assert time.monotonic() - started >= 0.5

"""Tokens, scopes and plans, as slack_sdk sees them."""

import pytest
from slack_sdk.errors import SlackApiError

from conftest import ADMIN, BOT, HQ, LEGACY, LEGACY_SSO, MEMBER, ORG, OWNER


def refusal(call):
    with pytest.raises(SlackApiError) as e:
        call()
    assert e.value.response.status_code == 200
    assert e.value.response["ok"] is False
    return e.value.response


def test_every_token_answers_auth_test(sim):
    for token, user in [(ADMIN, "W0A1C0002"), (OWNER, "W0A1C0001"), (MEMBER, "W0A1C0003"), (BOT, "W0A1C0010")]:
        r = sim.client(token).auth_test()
        assert r["user_id"] == user
        assert r["enterprise_id"] == ORG
    assert sim.client(LEGACY).auth_test()["team_id"] == "T03HRBKRY"
    assert sim.client(LEGACY_SSO).auth_test()["team_id"] == "T05FJRDSO"
    assert sim.client(BOT).auth_test()["bot_id"]
    r = sim.client(ADMIN).auth_test()
    assert r["is_enterprise_install"] is True
    assert "admin.users:read" in r.headers["x-oauth-scopes"]


def test_no_token_unknown_token_unknown_method(sim):
    assert refusal(lambda: sim.client(None).auth_test())["error"] == "not_authed"
    assert refusal(lambda: sim.client("xoxp-made-up").auth_test())["error"] == "invalid_auth"
    assert refusal(lambda: sim.client(ADMIN).api_call("chat.nope"))["error"] == "unknown_method"


def test_missing_scope_names_needed_and_provided(sim):
    r = refusal(lambda: sim.client(MEMBER).admin_users_list())
    assert r["error"] == "missing_scope"
    assert r["needed"] == "admin.users:read"
    assert "users:read" in r["provided"]
    r = refusal(lambda: sim.client(ADMIN).api_call("users.admin.invite", data={"email": "a@b.co"}))
    assert (r["error"], r["needed"]) == ("missing_scope", "client")


def test_token_types_and_plans(sim):
    assert refusal(lambda: sim.client(BOT).admin_users_list())["error"] == "not_allowed_token_type"
    assert refusal(lambda: sim.client(BOT).admin_inviteRequests_list())["error"] == "not_allowed_token_type"
    assert refusal(lambda: sim.client(LEGACY).admin_users_list())["error"] == "feature_not_enabled"
    assert refusal(lambda: sim.client(LEGACY_SSO).admin_teams_list())["error"] == "feature_not_enabled"


def test_team_info_and_teams_list(sim):
    team = sim.client(ADMIN).team_info()["team"]
    assert (team["id"], team["enterprise_id"], team["enterprise_name"]) == (HQ, ORG, "Northwind Trading")
    assert sim.client(LEGACY).team_info()["team"]["name"] == "Harbor Bakery Co-op"
    assert refusal(lambda: sim.client(ADMIN).team_info(team="T0NOPE"))["error"] == "team_not_found"
    teams = [t for page in sim.client(ADMIN).admin_teams_list(limit=1) for t in page["teams"]]
    assert [t["id"] for t in teams] == sorted(["T07NW4HQ1", "T07NW4OPS", "T07NW4LAB"])
    assert all(t["primary_owner"]["user_id"] == "W0A1C0001" for t in teams)
    # Tier 3, limit 1 to 1000 (its method page).
    assert len(sim.client(ADMIN).admin_teams_list(limit=1000)["teams"]) == 3
    assert refusal(lambda: sim.client(ADMIN).admin_teams_list(limit=1001))["error"] == "invalid_limit"


def test_conversations_and_users_lists_paginate_to_the_end(sim):
    client = sim.client(ADMIN)
    channels = [
        c
        for page in client.conversations_list(team_id=HQ, types="public_channel,private_channel", limit=5)
        for c in page["channels"]
    ]
    assert len(channels) >= 20
    assert len({c["id"] for c in channels}) == len(channels)
    assert any(c["is_private"] for c in channels) and any(not c["is_private"] for c in channels)
    public = [c for page in sim.client(MEMBER).conversations_list(limit=7) for c in page["channels"]]
    assert public and not any(c["is_private"] for c in public)
    members = [m for page in sim.client(MEMBER).users_list(limit=50) for m in page["members"]]
    assert len({m["id"] for m in members}) == len(members) > 100
    bob = next(m for m in members if m["id"] == "W0A1C0008")
    assert bob["real_name"] == "<b>Bold</b> Bob"
    # Emails only with users:read.email, which the member token lacks; the admin's has it.
    assert "email" not in bob["profile"]
    admin_bob = next(m for page in sim.client(ADMIN).users_list(team_id=HQ, limit=200) for m in page["members"] if m["id"] == "W0A1C0008")
    assert admin_bob["profile"]["email"] == "bob.bold@northwind.example"
    assert any(m["deleted"] for m in members)
    assert any(m["is_restricted"] for m in members)
    assert any(m["is_ultra_restricted"] for m in members)
    assert any(m["is_owner"] for m in members)
    assert any(m["is_bot"] for m in members)
    with pytest.raises(SlackApiError) as e:
        sim.client(MEMBER).users_list(cursor="not-a-cursor")
    assert e.value.response["error"] == "invalid_cursor"

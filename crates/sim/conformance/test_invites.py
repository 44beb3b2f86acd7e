"""Invitations and invite requests through slack_sdk."""

import urllib.request

import pytest
from slack_sdk.errors import SlackApiError

from conftest import (
    ADMIN, BAKERY_GENERAL, FJORD_GENERAL, HQ, HQ_GENERAL, LEGACY, LEGACY_SSO, OPS, OPS_GENERAL, OWNER,
    PENDING_REQUEST,
)


def error(call):
    with pytest.raises(SlackApiError) as e:
        call()
    return e.value.response["error"]


def test_admin_users_invite(sim):
    c = sim.client(ADMIN)
    invite = lambda email, **kw: c.admin_users_invite(team_id=HQ, email=email, channel_ids=[HQ_GENERAL], **kw)
    assert invite("ada.lovelace@northwind.example", custom_message="Welcome!")["ok"]
    assert error(lambda: invite("ada.lovelace@northwind.example")) == "already_in_team_invited_user"
    assert error(lambda: invite("priya.raman@northwind.example")) == "already_in_team"
    assert error(lambda: invite("dmitri.volkov@northwind.example")) == "user_disabled"
    assert error(lambda: invite("qwe")) == "invalid_email"
    assert error(lambda: c.admin_users_invite(team_id=HQ, email="x@y.co", channel_ids="C0NOPE")) == "failed_to_validate_channels"
    assert error(lambda: c.admin_users_invite(team_id=HQ, email="x@y.co", channel_ids=OPS_GENERAL)) == "failed_to_validate_channels"
    assert error(lambda: c.admin_users_invite(team_id="T0NOPE", email="x@y.co", channel_ids=HQ_GENERAL)) == "team_not_found"
    assert invite("guest@partner.example", is_restricted=True)["ok"]
    assert invite("single@partner.example", is_ultra_restricted=True)["ok"]


def test_an_accepted_invitation_is_a_member(sim):
    c = sim.client(ADMIN)
    c.admin_users_invite(team_id=HQ, email="grace.hopper@northwind.example", channel_ids=HQ_GENERAL, real_name="Grace Hopper")
    req = urllib.request.Request(f"{sim.url}/sim/accept", data=b"email=grace.hopper%40northwind.example", method="POST")
    with urllib.request.urlopen(req) as r:
        assert b'"ok":true' in r.read()
    users = [u for page in c.admin_users_list(team_id=HQ, limit=1000) for u in page["users"]]
    assert any(u["full_name"] == "Grace Hopper" for u in users)
    assert error(lambda: c.admin_users_invite(team_id=HQ, email="grace.hopper@northwind.example", channel_ids=HQ_GENERAL)) == "already_in_team"


def test_legacy_users_admin_invite(sim):
    c = sim.client(LEGACY)
    invite = lambda **data: c.api_call("users.admin.invite", data=data)
    assert invite(email="baguette@harborbakery.example", channels=BAKERY_GENERAL, first_name="Bea", last_name="Guette")["ok"]
    assert error(lambda: invite(email="baguette@harborbakery.example")) == "already_invited"
    assert error(lambda: invite(email="baguette@harborbakery.example", resend="true")) == "sent_recently"
    assert invite(email="apprentice@harborbakery.example", resend="true")["ok"]
    assert error(lambda: invite(email="pierre.lefevre@harborbakery.example")) == "already_in_team"
    assert error(lambda: invite(email="greta.schmidt@harborbakery.example")) == "user_disabled"
    assert error(lambda: invite(email="qwe")) == "invalid_email"
    assert error(lambda: invite(email="a@b.co", channels="C0NOPE")) == "channel_not_found"
    sso = sim.client(LEGACY_SSO)
    assert error(lambda: sso.api_call("users.admin.invite", data={"email": "full@fjordanalytics.example"})) == "not_allowed"
    assert sso.api_call("users.admin.invite", data={"email": "g@client.example", "restricted": "true", "channels": FJORD_GENERAL})["ok"]
    assert sso.api_call("users.admin.invite", data={"email": "u@client.example", "ultra_restricted": "1", "channels": FJORD_GENERAL})["ok"]


TEAMS = ("T07NW4HQ1", "T07NW4LAB", "T07NW4OPS")


def every(method, key, **kwargs):
    """Every item of a list method over all pages of every workspace of the org: with several
    workspaces, admin.inviteRequests.* need team_id."""
    return [item for team in TEAMS for page in method(team_id=team, **kwargs) for item in page[key]]


def test_invite_requests(sim):
    c = sim.client(ADMIN)
    pending = every(c.admin_inviteRequests_list, "invite_requests", limit=2)
    assert len(pending) >= 5 and all(r["request_reason"] for r in pending)
    team_of = {r["id"]: t for t in TEAMS for page in c.admin_inviteRequests_list(team_id=t) for r in page["invite_requests"]}
    approved_before = every(c.admin_inviteRequests_approved_list, "approved_requests", limit=2)
    denied_before = every(c.admin_inviteRequests_denied_list, "denied_requests", limit=2)
    assert approved_before and denied_before
    # Without team_id, an org of several workspaces is refused.
    assert error(lambda: c.admin_inviteRequests_list()) == "team_id_required_for_enterprise"

    c.admin_inviteRequests_approve(invite_request_id=PENDING_REQUEST, team_id=HQ)
    approved = [a for page in c.admin_inviteRequests_approved_list(team_id=HQ, limit=1000) for a in page["approved_requests"]]
    mine = next(a for a in approved if a["invite_request"]["id"] == PENDING_REQUEST)
    assert mine["approved_by"]["actor_id"] == "W0A1C0002"
    assert mine["invite"]["email"] == "maria.silva@northwind.example"
    assert mine["invite"]["invite_preferences"]["channel_ids"] == ["C07A10001", "C07A10011"]
    assert error(lambda: c.admin_inviteRequests_approve(invite_request_id=PENDING_REQUEST, team_id=HQ)) == "already_processed"
    assert error(lambda: c.admin_users_invite(team_id=HQ, email="maria.silva@northwind.example", channel_ids=HQ_GENERAL)) == "already_in_team_invited_user"

    sim.client(OWNER).admin_inviteRequests_deny(invite_request_id="Ir0000003", team_id=OPS)
    denied = every(c.admin_inviteRequests_denied_list, "denied_requests", limit=1000)
    assert len(denied) == len(denied_before) + 1
    assert error(lambda: c.admin_inviteRequests_deny(invite_request_id="Ir0000003", team_id=OPS)) == "already_processed"
    assert error(lambda: c.admin_inviteRequests_approve(invite_request_id="Ir0000003", team_id=OPS)) == "already_processed"
    # Slack's code for an ID it does not know (its method pages), not an invented one.
    assert error(lambda: c.admin_inviteRequests_approve(invite_request_id="Ir9999999", team_id=HQ)) == "invalid_request"
    assert error(lambda: c.admin_inviteRequests_approve(invite_request_id="Ir0000007", team_id=team_of["Ir0000007"])) == "failed_to_send_invite"
    assert error(lambda: c.admin_inviteRequests_list(team_id=HQ, limit=5000)) == "invalid_limit"
    left = every(c.admin_inviteRequests_list, "invite_requests", limit=1000)
    assert len(left) == len(pending) - 2

"""admin.users.* through slack_sdk: list with filters to the end, role changes, removal,
assignment, guest expiration, and their errors."""

import time

import pytest
from slack_sdk.errors import SlackApiError

from conftest import (
    ADMIN, BOLD_BOB, DEACTIVATED_GUEST, GUEST, GUEST_EXPIRING, HQ, LABS, MEMBER_ID, NO_WORKSPACE,
    OPS, ORG, ORG_ADMIN_2, OWNER, PRIMARY_OWNER, TOM_AND_JERRY, BOT_ID,
)


def error(call):
    with pytest.raises(SlackApiError) as e:
        call()
    return e.value.response["error"]


def all_users(client, **filters):
    return [u for page in client.admin_users_list(limit=100, **filters) for u in page["users"]]


def test_admin_users_list_to_the_end_with_filters(sim):
    c = sim.client(ADMIN)
    active = all_users(c)
    inactive = all_users(c, is_active=False)
    assert len(active) + len(inactive) >= 300
    assert len({u["id"] for u in active}) == len(active)
    assert all(u["is_active"] for u in active) and not any(u["is_active"] for u in inactive)
    admins = all_users(c, include_admins=True)
    assert admins and all(u["is_admin"] and not u["is_owner"] for u in admins)
    owners = all_users(c, include_owners=True)
    assert {u["id"] for u in owners} >= {PRIMARY_OWNER}
    guests = all_users(c, only_guests=True)
    assert guests and all(u["is_restricted"] or u["is_ultra_restricted"] for u in guests)
    assert any("expiration_ts" in u for u in guests) and any("expiration_ts" not in u for u in guests)
    labs = all_users(c, team_id=LABS)
    assert labs and all(LABS in u["workspaces"] for u in labs)
    names = {u["full_name"] for u in active}
    assert {"José Müller", "山田太郎", "Zoë Ångström", "Tom & \"Jerry\""} <= names
    assert error(lambda: c.admin_users_list(team_id="T0NOPE")) == "team_not_found"
    assert error(lambda: c.admin_users_list(cursor="bm9wZTox")) == "invalid_cursor"


def test_role_changes(sim):
    admin, owner = sim.client(ADMIN), sim.client(OWNER)
    admin.admin_users_setAdmin(team_id=HQ, user_id=MEMBER_ID)
    assert next(u for u in all_users(admin, include_admins=True) if u["id"] == MEMBER_ID)
    admin.admin_users_setRegular(team_id=HQ, user_id=MEMBER_ID)
    assert error(lambda: admin.admin_users_setOwner(team_id=HQ, user_id=MEMBER_ID)) == "not_an_owner"
    owner.admin_users_setOwner(team_id=HQ, user_id=MEMBER_ID)
    assert MEMBER_ID in {u["id"] for u in all_users(admin, include_owners=True)}
    for change in (owner.admin_users_setAdmin, owner.admin_users_setOwner, owner.admin_users_setRegular):
        assert error(lambda: change(team_id=ORG, user_id=PRIMARY_OWNER)) == "cannot_modify_primary_owner"
        assert error(lambda: change(team_id=HQ, user_id="W0NOBODY")) == "user_not_found"
    assert error(lambda: admin.admin_users_setAdmin(team_id=HQ, user_id=GUEST_EXPIRING)) == "invalid_role_for_user"
    assert error(lambda: owner.admin_users_setOwner(team_id=ORG, user_id=NO_WORKSPACE)) == "user_must_be_in_workspace"
    assert (
        error(lambda: admin.admin_users_setRegular(team_id=HQ, user_id=ORG_ADMIN_2))
        == "cannot_set_org_admin_to_regular_at_workspace_level"
    )


def test_remove_and_assign(sim):
    c = sim.client(ADMIN)
    c.admin_users_remove(team_id=OPS, user_id=TOM_AND_JERRY)
    assert TOM_AND_JERRY not in {u["id"] for u in all_users(c, team_id=OPS)}
    assert error(lambda: c.admin_users_remove(team_id=HQ, user_id=PRIMARY_OWNER)) == "cannot_modify_primary_owner"
    assert error(lambda: c.admin_users_remove(team_id=HQ, user_id="W0A1C000E")) == "user_already_deleted"
    c.admin_users_assign(team_id=OPS, user_id=TOM_AND_JERRY, channel_ids=["C07A20001", "C07A20002"])
    assert TOM_AND_JERRY in {u["id"] for u in all_users(c, team_id=OPS)}
    assert error(lambda: c.admin_users_assign(team_id=OPS, user_id=TOM_AND_JERRY)) == "user_already_team_member"
    assert error(lambda: c.admin_users_assign(team_id=LABS, user_id=BOT_ID)) == "user_is_bot"
    assert error(lambda: c.admin_users_assign(team_id="T0NOPE", user_id=BOLD_BOB)) == "team_not_found"


def test_guest_expiration(sim):
    c = sim.client(ADMIN)
    r = c.admin_users_getExpiration(user_id=GUEST_EXPIRING)
    assert r["user"]["expiration_ts"] > time.time()
    assert c.admin_users_getExpiration(user_id=GUEST)["user"]["expiration_ts"] == 0
    assert error(lambda: c.admin_users_getExpiration(user_id=MEMBER_ID)) == "user_is_not_guest"
    when = int(time.time()) + 7 * 86400
    c.admin_users_setExpiration(team_id=OPS, user_id=GUEST, expiration_ts=when)
    # Applied on the hour (Slack: "11:10 becomes 12:00").
    assert c.admin_users_getExpiration(user_id=GUEST)["user"]["expiration_ts"] == -(-when // 3600) * 3600
    assert error(lambda: c.admin_users_setExpiration(team_id=HQ, user_id=MEMBER_ID, expiration_ts=when)) == "user_is_not_a_guest"
    assert error(lambda: c.admin_users_setExpiration(team_id=OPS, user_id=DEACTIVATED_GUEST, expiration_ts=when)) == "user_is_deactivated"
    assert error(lambda: c.admin_users_setExpiration(team_id=OPS, user_id=GUEST, expiration_ts=1000)) == "failed_to_validate_expiration"
    assert error(lambda: c.admin_users_setExpiration(user_id=GUEST, expiration_ts=when)) == "team_id_required_for_enterprise"

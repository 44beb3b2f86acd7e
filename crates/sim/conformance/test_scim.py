"""SCIM v2 users through slack_sdk's SCIMClient (pointed at /scim/v2/)."""

from slack_sdk.scim import SCIMClient
from slack_sdk.scim.v1.user import User, UserEmail, UserName

from conftest import ADMIN, LEGACY, LEGACY_SSO, MEMBER


def scim(sim, token):
    return SCIMClient(base_url=f"{sim.url}/scim/v2/", token=token)


def test_create_list_read_deactivate(sim):
    client = scim(sim, ADMIN)
    page = client.search_users(count=10, start_index=1)
    assert page.status_code == 200
    assert len(page.users) == 10
    assert page.snake_cased_body["total_results"] > 300
    created = client.create_user(
        User(
            user_name="scim.sdk",
            name=UserName(given_name="Scim", family_name="Sdk"),
            emails=[UserEmail(value="scim.sdk@northwind.example", primary=True)],
        )
    )
    assert created.status_code == 201
    user_id = created.user.id
    assert client.read_user(user_id).user.user_name == "scim.sdk"
    found = client.search_users(count=5, start_index=1, filter='userName eq "scim.sdk"')
    assert [u.id for u in found.users] == [user_id]
    again = client.create_user(User(user_name="scim.sdk", emails=[UserEmail(value="scim.sdk@northwind.example")]))
    assert again.status_code == 409
    assert client.delete_user(user_id).status_code == 204
    assert client.read_user(user_id).user.active is False


def test_who_may_use_scim(sim):
    assert scim(sim, MEMBER).search_users(count=1, start_index=1).status_code == 403
    assert scim(sim, LEGACY).search_users(count=1, start_index=1).status_code == 403
    assert scim(sim, "xoxp-nope").search_users(count=1, start_index=1).status_code == 401
    assert scim(sim, LEGACY_SSO).search_users(count=1, start_index=1).status_code == 200

//! Every method core knows decodes the example answer of its page in Slack's reference
//! (docs.slack.dev/reference/methods/<method>), with the field types of the official SDKs'
//! response types (@slack/web-api `types/response/*Response.ts`), nulls included.
//!
//! The JSON in `slack_examples/` is written from those pages, one file per method. Where a
//! page's example is not valid JSON (approved.list's has `[` for `{` and a missing colon), the
//! file keeps its values and fixes the punctuation; its `"date_created": "1616127454"` stays a
//! string, as the page has it. Regression: `"real_name": null` in `admin.inviteRequests.list`
//! failed to decode, and the failure was retried as transient.

use slack_admin_core::methods::admin_invite_requests::*;
use slack_admin_core::methods::admin_teams::{
    AdminTeamsAdminsList, AdminTeamsList, AdminTeamsOwnersList,
};
use slack_admin_core::methods::admin_users::*;
use slack_admin_core::methods::auth::AuthTest;
use slack_admin_core::methods::conversations::ConversationsList;
use slack_admin_core::methods::team::TeamInfo;
use slack_admin_core::methods::users::{
    UsersAdminInvite, UsersInfo, UsersList, UsersLookupByEmail,
};
use slack_admin_core::{decode, methods, HttpResponse, Method, SlackError};
use std::path::PathBuf;

fn example(method: &str) -> HttpResponse {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/slack_examples")
        .join(format!("{method}.json"));
    let body = std::fs::read(&path)
        .unwrap_or_else(|_| panic!("no example answer for {method} at {}", path.display()));
    HttpResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body,
    }
}

fn check<M: Method>() -> Result<M::Response, SlackError>
where
    M::Response: std::fmt::Debug,
{
    decode::<M>(&example(M::NAME))
}

/// Decodes `method`'s example with its response type; a method without a line here fails.
fn decodes(method: &str) -> Result<(), SlackError> {
    fn ok<T>(r: Result<T, SlackError>) -> Result<(), SlackError> {
        r.map(|_| ())
    }
    match method {
        "auth.test" => ok(check::<AuthTest>()),
        "team.info" => ok(check::<TeamInfo>()),
        "admin.teams.list" => ok(check::<AdminTeamsList>()),
        "admin.teams.admins.list" => ok(check::<AdminTeamsAdminsList>()),
        "admin.teams.owners.list" => ok(check::<AdminTeamsOwnersList>()),
        "users.info" => ok(check::<UsersInfo>()),
        "users.lookupByEmail" => ok(check::<UsersLookupByEmail>()),
        "admin.users.session.reset" => ok(check::<AdminUsersSessionReset>()),
        "conversations.list" => ok(check::<ConversationsList>()),
        "users.list" => ok(check::<UsersList>()),
        "users.admin.invite" => ok(check::<UsersAdminInvite>()),
        "admin.users.invite" => ok(check::<AdminUsersInvite>()),
        "admin.users.list" => ok(check::<AdminUsersList>()),
        "admin.users.remove" => ok(check::<AdminUsersRemove>()),
        "admin.users.assign" => ok(check::<AdminUsersAssign>()),
        "admin.users.setAdmin" => ok(check::<AdminUsersSetAdmin>()),
        "admin.users.setOwner" => ok(check::<AdminUsersSetOwner>()),
        "admin.users.setRegular" => ok(check::<AdminUsersSetRegular>()),
        "admin.users.setExpiration" => ok(check::<AdminUsersSetExpiration>()),
        "admin.users.getExpiration" => ok(check::<AdminUsersGetExpiration>()),
        "admin.inviteRequests.list" => ok(check::<AdminInviteRequestsList>()),
        "admin.inviteRequests.approve" => ok(check::<AdminInviteRequestsApprove>()),
        "admin.inviteRequests.deny" => ok(check::<AdminInviteRequestsDeny>()),
        "admin.inviteRequests.approved.list" => ok(check::<AdminInviteRequestsApprovedList>()),
        "admin.inviteRequests.denied.list" => ok(check::<AdminInviteRequestsDeniedList>()),
        other => panic!("{other}: add its example answer and a line to `decodes`"),
    }
}

#[test]
fn every_method_decodes_the_example_answer_of_its_page() {
    let failures: Vec<String> = methods::all()
        .iter()
        .filter_map(|m| decodes(m.name).err().map(|e| format!("{}: {e}", m.name)))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn users_info_reads_the_member_with_email_and_2fa_unknown_to_the_row() {
    let info = check::<UsersInfo>().unwrap();
    assert_eq!(info.user.id.as_str(), "W012A3CDE");
    assert!(info.user.is_admin);
    assert_eq!(
        info.user.profile.email.as_deref(),
        Some("spengler@ghostbusters.example.com")
    );
    let admins = check::<AdminTeamsAdminsList>().unwrap();
    assert_eq!(admins.admin_ids.len(), 1);
}

#[test]
fn regression_nulls_in_invite_requests_list_read_as_absent() {
    let list = check::<AdminInviteRequestsList>().unwrap();
    let r = &list.invite_requests[0];
    assert_eq!(r.id.as_str(), "Ir558ULC1J");
    assert_eq!(r.real_name, "");
    assert_eq!(r.date_expire, 0);
    assert_eq!(r.request_reason, "");
    assert_eq!(r.channel_ids.len(), 2);
    assert_eq!(
        list.response_metadata
            .and_then(|m| m.next_cursor)
            .as_deref(),
        Some("ZGF0ZV9jcmVhdGU6MTYxOTcwMDk3MA==")
    );
}

#[test]
fn approved_list_reads_the_string_date_and_the_invite_sent() {
    let list = check::<AdminInviteRequestsApprovedList>().unwrap();
    let a = &list.approved_requests[0];
    assert_eq!(a.invite_request.date_created, 1_616_127_454);
    assert_eq!(a.approved_by.actor_id.as_str(), "UNKPK5TJB");
    let invite = a.invite.as_ref().unwrap();
    assert_eq!(invite.invite_preferences.channel_ids.len(), 2);
    assert!(!invite.is_bouncing);
}

#[test]
fn admin_users_list_reads_null_times_as_none() {
    let list = check::<AdminUsersList>().unwrap();
    let u = &list.users[0];
    assert_eq!(u.deactivated_ts, None);
    assert_eq!(u.expiration_ts, None);
    assert_eq!(u.date_created, 1_574_241_270);
}

#[test]
fn a_body_that_is_not_the_methods_answer_is_a_decode_error_and_not_transient() {
    let bad = HttpResponse {
        status: 200,
        headers: vec![],
        body: br#"{"ok":true,"invite_requests":[{"id":7}]}"#.to_vec(),
    };
    let err = decode::<AdminInviteRequestsList>(&bad).unwrap_err();
    assert!(matches!(err, SlackError::Decode { .. }), "{err:?}");
    // Sending the same call again gets the same body: never retried as transient.
    assert!(!err.is_transient());
}

#[test]
fn a_body_cut_off_on_the_way_is_a_network_failure_and_may_be_sent_again() {
    let cut = HttpResponse {
        status: 200,
        headers: vec![],
        body: br#"{"ok":true,"invite_requests":[{"id":"Ir1","em"#.to_vec(),
    };
    let err = decode::<AdminInviteRequestsList>(&cut).unwrap_err();
    assert_eq!(err.code(), "network_error", "{err:?}");
    assert!(err.is_transient());
}

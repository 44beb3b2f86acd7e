//! admin.inviteRequests.*: list, approve, deny, history, pagination.

mod common;
use common::*;
use slack_admin_core::methods::admin_invite_requests::{
    AdminInviteRequestsApprovedList, InviteType,
};
use slack_sim::fixture::{ids, HQ, LABS, OPS};
use slack_sim::state::requests::NewRequest;
use slack_sim::Request;

#[test]
fn approve_moves_a_request_to_the_approved_list_as_an_invitation() {
    let mut s = sim();
    let pending = walk(
        &mut s,
        "admin.inviteRequests.list",
        ADMIN,
        "invite_requests",
        &[("team_id", HQ)],
        100,
    );
    let approved_before = walk(
        &mut s,
        "admin.inviteRequests.approved.list",
        ADMIN,
        "approved_requests",
        &[("team_id", HQ)],
        100,
    )
    .len();
    let id = ids::PENDING_REQUEST;
    assert_ok(&call(
        &mut s,
        "admin.inviteRequests.approve",
        ADMIN,
        &[("invite_request_id", id), ("team_id", HQ)],
    ));
    let after = walk(
        &mut s,
        "admin.inviteRequests.list",
        ADMIN,
        "invite_requests",
        &[("team_id", HQ)],
        100,
    );
    assert_eq!(after.len(), pending.len() - 1);
    assert!(after.iter().all(|r| r["id"] != id));
    let r = answer(
        &mut s,
        &Request::form(
            "admin.inviteRequests.approved.list",
            ADMIN,
            &[("team_id", HQ), ("limit", "1000")],
        ),
        T0,
    );
    let approved = slack_admin_core::decode::<AdminInviteRequestsApprovedList>(&r)
        .unwrap()
        .approved_requests;
    assert_eq!(approved.len(), approved_before + 1);
    let last = approved.last().unwrap();
    assert_eq!(last.invite_request.id.as_str(), id);
    assert_eq!(last.approved_by.actor_id.as_str(), ids::ORG_ADMIN);
    let invite = last.invite.as_ref().unwrap();
    assert_eq!(invite.email, "maria.silva@northwind.example");
    // Core reads Slack's shape: the channels and kind come through, not defaults.
    assert_eq!(
        invite
            .channel_ids()
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        ["C07A10001", "C07A10011"]
    );
    assert_eq!(invite.invite_type(), InviteType::FullMember);
    // Slack's shape: the invitation's type and channels are under `invite_preferences`.
    let raw: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let prefs = &raw["approved_requests"].as_array().unwrap().last().unwrap()["invite"]
        ["invite_preferences"];
    assert_eq!(
        prefs["channel_ids"],
        serde_json::json!(["C07A10001", "C07A10011"])
    );
    assert_eq!(
        (
            prefs["is_restricted"].clone(),
            prefs["is_ultra_restricted"].clone()
        ),
        (false.into(), false.into())
    );
    // It is an invitation now.
    let v = call(
        &mut s,
        "admin.users.invite",
        ADMIN,
        &[
            ("team_id", HQ),
            ("email", "maria.silva@northwind.example"),
            ("channel_ids", ids::HQ_GENERAL),
        ],
    );
    assert_eq!(error(&v), "already_in_team_invited_user");
    // Deciding again.
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.approve",
            ADMIN,
            &[("team_id", HQ), ("invite_request_id", id)]
        )),
        "already_processed"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.deny",
            ADMIN,
            &[("team_id", HQ), ("invite_request_id", id)]
        )),
        "already_processed"
    );
}

#[test]
fn deny_moves_a_request_to_the_denied_list() {
    let mut s = sim();
    let id = "Ir0000003";
    let before = walk(
        &mut s,
        "admin.inviteRequests.denied.list",
        ADMIN,
        "denied_requests",
        &[("team_id", OPS)],
        100,
    )
    .len();
    assert_ok(&call(
        &mut s,
        "admin.inviteRequests.deny",
        OWNER,
        &[("invite_request_id", id), ("team_id", OPS)],
    ));
    let denied = walk(
        &mut s,
        "admin.inviteRequests.denied.list",
        ADMIN,
        "denied_requests",
        &[("team_id", OPS)],
        100,
    );
    assert!(denied.iter().any(
        |d| d["invite_request"]["id"] == id && d["denied_by"]["actor_id"] == ids::PRIMARY_OWNER
    ));
    assert_eq!(
        walk(
            &mut s,
            "admin.inviteRequests.denied.list",
            ADMIN,
            "denied_requests",
            &[("team_id", OPS)],
            100
        )
        .len(),
        before + 1
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.deny",
            OWNER,
            &[("team_id", OPS), ("invite_request_id", id)]
        )),
        "already_processed"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.approve",
            OWNER,
            &[("team_id", OPS), ("invite_request_id", id)]
        )),
        "already_processed"
    );
}

#[test]
fn request_errors() {
    let mut s = sim();
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.approve",
            ADMIN,
            &[("team_id", HQ), ("invite_request_id", "Ir9999999")]
        )),
        "invalid_request"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.approve",
            ADMIN,
            &[("team_id", HQ), ("invite_request_id", "nonsense")]
        )),
        "invalid_request"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.approve",
            ADMIN,
            &[
                ("invite_request_id", ids::PENDING_REQUEST),
                ("team_id", OPS)
            ]
        )),
        "invalid_request"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.approve",
            ADMIN,
            &[
                ("invite_request_id", ids::PENDING_REQUEST),
                ("team_id", "T0NOPE")
            ]
        )),
        "team_not_found"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.approve",
            ADMIN,
            &[("team_id", HQ)]
        )),
        "invalid_arguments"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.list",
            ADMIN,
            &[("team_id", HQ), ("limit", "0")]
        )),
        "invalid_limit"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.list",
            ADMIN,
            &[("team_id", HQ), ("limit", "1001")]
        )),
        "invalid_limit"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.list",
            ADMIN,
            &[("team_id", HQ), ("cursor", "dXNlcjpXMQ==")]
        )),
        "invalid_cursor"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.teams.list",
            ADMIN,
            &[("limit", "1001")]
        )),
        "invalid_limit"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.list",
            MEMBER,
            &[("team_id", HQ)]
        )),
        "missing_scope"
    );
    // The address already has an account: the invitation fails and the request stays.
    let id = "Ir0000007";
    assert_eq!(
        error(&call(
            &mut s,
            "admin.inviteRequests.approve",
            ADMIN,
            &[("team_id", HQ), ("invite_request_id", id)]
        )),
        "failed_to_send_invite"
    );
    assert_ok(&call(
        &mut s,
        "admin.inviteRequests.deny",
        ADMIN,
        &[("team_id", HQ), ("invite_request_id", id)],
    ));
}

#[test]
fn new_requests_arrive_and_pages_see_each_once() {
    let mut s = sim();
    let mut seen = Vec::new();
    let mut cursor = String::new();
    let mut n = 0;
    loop {
        let mut f = vec![("limit", "2"), ("team_id", HQ)];
        if !cursor.is_empty() {
            f.push(("cursor", &cursor));
        }
        let v = call(&mut s, "admin.inviteRequests.list", ADMIN, &f);
        seen.extend(
            v["invite_requests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_owned()),
        );
        if n < 3 {
            s.add_invite_request(
                NewRequest {
                    team: HQ.into(),
                    email: format!("arrival{n}@example.org"),
                    real_name: "Arrival".into(),
                    invite_type: InviteType::Restricted,
                    channel_ids: vec![ids::HQ_GENERAL.into()],
                    requester: ids::MEMBER.into(),
                    reason: "testing".into(),
                },
                T0,
            )
            .unwrap();
            n += 1;
        }
        cursor = v["response_metadata"]["next_cursor"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    let unique: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no request twice");
    assert!(
        seen.iter().filter(|id| id.as_str() > "Ir0000018").count() == 3,
        "the new ones too: {seen:?}"
    );
    // Through the sim endpoint.
    let r = answer(&mut s, &Request { method: "POST".into(), path: "/sim/invite_request".into(), headers: vec![("content-type".into(), "application/json".into())], body: br#"{"team_id":"T07NW4LAB","email":"live@example.org","reason":"live","invite_type":"restricted","channel_ids":"C07A30001"}"#.to_vec() }, T0);
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["invite_request"]["team"]["id"], LABS);
    let labs = walk(
        &mut s,
        "admin.inviteRequests.list",
        ADMIN,
        "invite_requests",
        &[("team_id", LABS)],
        100,
    );
    assert!(labs.iter().any(|r| r["email"] == "live@example.org"));
}

#[test]
fn regression_team_id_is_required_on_an_org_of_several_workspaces() {
    // "team_id is required if your Enterprise org contains more than one workspace"
    // (docs.slack.dev/reference/methods/admin.inviteRequests.list and its siblings).
    let mut s = sim();
    for (method, args) in [
        ("admin.inviteRequests.list", vec![]),
        ("admin.inviteRequests.approved.list", vec![]),
        ("admin.inviteRequests.denied.list", vec![]),
        (
            "admin.inviteRequests.approve",
            vec![("invite_request_id", ids::PENDING_REQUEST)],
        ),
        (
            "admin.inviteRequests.deny",
            vec![("invite_request_id", ids::PENDING_REQUEST)],
        ),
    ] {
        assert_eq!(
            error(&call(&mut s, method, ADMIN, &args)),
            "team_id_required_for_enterprise",
            "{method}"
        );
    }
    // Nothing was decided by the refused calls.
    let pending = walk(
        &mut s,
        "admin.inviteRequests.list",
        ADMIN,
        "invite_requests",
        &[("team_id", HQ)],
        100,
    );
    assert!(pending.iter().any(|r| r["id"] == ids::PENDING_REQUEST));
}

/// Every pending request of the org, workspace by workspace, at `now`.
fn pending_everywhere(s: &mut slack_sim::Sim, now: u64) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for team in [HQ, LABS, OPS] {
        let r = call_at(
            s,
            "admin.inviteRequests.list",
            ADMIN,
            &[("team_id", team), ("limit", "1000")],
            now,
        );
        assert_eq!(r["ok"], true, "{r}");
        all.extend(r["invite_requests"].as_array().unwrap().iter().cloned());
    }
    all
}

#[test]
fn with_arrivals_on_a_member_asks_for_an_invite_every_so_often() {
    let mut s = slack_sim::Sim::new(slack_sim::SimConfig {
        rate_scale: 1e9,
        request_every_s: Some(60),
        ..slack_sim::SimConfig::default()
    });
    let first = pending_everywhere(&mut s, T0);
    // 59 s on: nothing new; 60 s on: one more; 2 minutes more: two more.
    assert_eq!(pending_everywhere(&mut s, T0 + 59_000).len(), first.len());
    let later = pending_everywhere(&mut s, T0 + 60_000);
    assert_eq!(later.len(), first.len() + 1);
    let new = later
        .iter()
        .find(|r| !first.iter().any(|f| f["id"] == r["id"]))
        .unwrap();
    assert!(new["email"].as_str().unwrap().contains('@'));
    assert_eq!(new["date_created"], (T0 / 1000 + 60) as i64);
    assert!(!new["requester_ids"].as_array().unwrap().is_empty());
    assert_eq!(
        pending_everywhere(&mut s, T0 + 180_000).len(),
        first.len() + 3
    );
    // A tab asleep for a day wakes to three, not 1,440.
    assert_eq!(
        pending_everywhere(&mut s, T0 + 86_400_000).len(),
        first.len() + 6
    );
    // Without arrivals, time alone files nothing.
    let mut quiet = sim();
    let n = pending_everywhere(&mut quiet, T0).len();
    assert_eq!(pending_everywhere(&mut quiet, T0 + 600_000).len(), n);
}

#[test]
fn pending_requests_fill_the_inbox_at_the_start() {
    let mut s = slack_sim::Sim::new(slack_sim::SimConfig {
        rate_scale: 1e9,
        pending_requests: 1000,
        ..slack_sim::SimConfig::default()
    });
    let base = pending_everywhere(&mut sim(), T0).len();
    let all = pending_everywhere(&mut s, T0);
    assert_eq!(all.len(), base + 1000);
    let ids: std::collections::HashSet<_> = all.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids.len(), all.len(), "an ID twice");
    let emails: std::collections::HashSet<_> = all.iter().map(|r| r["email"].clone()).collect();
    assert_eq!(emails.len(), all.len(), "an address twice");
}

#[test]
fn more_than_a_page_of_pending_requests_in_one_workspace_pages_by_cursor() {
    let mut s = slack_sim::Sim::new(slack_sim::SimConfig {
        rate_scale: 1e9,
        pending_requests: 3_300,
        ..slack_sim::SimConfig::default()
    });
    let mut total = 0;
    let mut paged = false;
    for team in [HQ, LABS, OPS] {
        let first = call(
            &mut s,
            "admin.inviteRequests.list",
            ADMIN,
            &[("team_id", team), ("limit", "1000")],
        );
        let all = walk(
            &mut s,
            "admin.inviteRequests.list",
            ADMIN,
            "invite_requests",
            &[("team_id", team)],
            1000,
        );
        let ids: std::collections::HashSet<_> = all.iter().map(|r| r["id"].clone()).collect();
        assert_eq!(ids.len(), all.len(), "{team}: an ID on two pages");
        if all.len() > 1000 {
            paged = true;
            assert_eq!(first["invite_requests"].as_array().unwrap().len(), 1000);
            assert_ne!(first["response_metadata"]["next_cursor"], "");
        }
        total += all.len();
    }
    assert!(paged, "no workspace had more than a page");
    let base = pending_everywhere(&mut sim(), T0).len();
    assert_eq!(total, base + 3_300);
}

//! admin.users.*: listing, filters, pagination, role changes, removal, assignment, expiration.

mod common;
use common::*;
use slack_sim::fixture::{ids, HQ, LABS, OPS, ORG_ID};

fn user(s: &mut slack_sim::Sim, id: &str) -> serde_json::Value {
    let all = walk(s, "admin.users.list", ADMIN, "users", &[], 1000);
    let inactive = walk(
        s,
        "admin.users.list",
        ADMIN,
        "users",
        &[("is_active", "false")],
        1000,
    );
    all.into_iter()
        .chain(inactive)
        .find(|u| u["id"] == id)
        .expect(id)
}

#[test]
fn list_filters() {
    let mut s = sim();
    let admins = walk(
        &mut s,
        "admin.users.list",
        ADMIN,
        "users",
        &[("include_admins", "true")],
        100,
    );
    assert!(admins
        .iter()
        .all(|u| u["is_admin"] == true && u["is_owner"] == false));
    let owners = walk(
        &mut s,
        "admin.users.list",
        ADMIN,
        "users",
        &[("include_owners", "1")],
        100,
    );
    assert!(owners.iter().all(|u| u["is_owner"] == true));
    let both = walk(
        &mut s,
        "admin.users.list",
        ADMIN,
        "users",
        &[("include_owners", "true"), ("include_admins", "true")],
        100,
    );
    assert_eq!(both.len(), admins.len() + owners.len());
    let guests = walk(
        &mut s,
        "admin.users.list",
        ADMIN,
        "users",
        &[("only_guests", "true")],
        100,
    );
    assert!(!guests.is_empty());
    assert!(guests
        .iter()
        .all(|u| u["is_restricted"] == true || u["is_ultra_restricted"] == true));
    let labs = walk(
        &mut s,
        "admin.users.list",
        ADMIN,
        "users",
        &[("team_id", LABS)],
        100,
    );
    assert!(labs.iter().all(|u| u["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w == LABS)));
    let gone = walk(
        &mut s,
        "admin.users.list",
        ADMIN,
        "users",
        &[("is_active", "false")],
        100,
    );
    assert!(gone
        .iter()
        .all(|u| u["is_active"] == false && u["deactivated_ts"].is_i64()));
    assert!(gone.iter().any(|u| u["id"] == ids::DEACTIVATED));
    let v = call(
        &mut s,
        "admin.users.list",
        ADMIN,
        &[("only_guests", "true"), ("include_admins", "true")],
    );
    assert_eq!(error(&v), "invalid_arguments");
    assert_eq!(
        error(&call(
            &mut s,
            "admin.users.list",
            ADMIN,
            &[("team_id", "T0NOPE")]
        )),
        "team_not_found"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.users.list",
            ADMIN,
            &[("cursor", "garbage!")]
        )),
        "invalid_cursor"
    );
    let v = call(
        &mut s,
        "admin.users.list",
        ADMIN,
        &[
            ("team_id", HQ),
            ("include_deactivated_user_workspaces", "true"),
        ],
    );
    assert_eq!(error(&v), "include_deactivated_user_workspaces_invalid");
    // The org's ID as team_id is the whole org; a limit over 1000 is clamped.
    let everyone = walk(&mut s, "admin.users.list", ADMIN, "users", &[], 1000).len();
    let v = call(
        &mut s,
        "admin.users.list",
        ADMIN,
        &[("team_id", ORG_ID), ("limit", "5000")],
    );
    assert_eq!(v["users"].as_array().unwrap().len(), everyone);
    let v = call(&mut s, "admin.users.list", ADMIN, &[]);
    assert_eq!(v["users"].as_array().unwrap().len(), 100, "default limit");
}

#[test]
fn pagination_sees_every_user_exactly_once_while_users_are_added() {
    let mut s = sim();
    let mut seen = std::collections::HashSet::new();
    let mut cursor = String::new();
    let mut added = 0;
    loop {
        let mut f = vec![("limit", "37")];
        if !cursor.is_empty() {
            f.push(("cursor", &cursor));
        }
        let v = call(&mut s, "admin.users.list", ADMIN, &f);
        for u in v["users"].as_array().unwrap() {
            assert!(
                seen.insert(u["id"].as_str().unwrap().to_owned()),
                "seen twice: {}",
                u["id"]
            );
        }
        // Someone joins between pages.
        let email = format!("joiner{added}@northwind.example");
        assert_ok(&call(
            &mut s,
            "admin.users.invite",
            ADMIN,
            &[
                ("team_id", HQ),
                ("email", &email),
                ("channel_ids", ids::HQ_GENERAL),
            ],
        ));
        s.accept_invitation(&email, T0).unwrap();
        added += 1;
        cursor = v["response_metadata"]["next_cursor"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    let total_active = walk(&mut s, "admin.users.list", ADMIN, "users", &[], 1000).len();
    // Every user that existed at the start was seen, and so was every one added during the
    // walk (new IDs sort last); only the one added after the last page was not.
    assert_eq!(seen.len(), total_active - 1);
    assert!(added > 5);
}

#[test]
fn role_changes() {
    let mut s = sim();
    let set = |s: &mut slack_sim::Sim, m: &str, token: &str, team: &str, user: &str| {
        call(s, m, token, &[("team_id", team), ("user_id", user)])
    };
    assert_ok(&set(&mut s, "admin.users.setAdmin", ADMIN, HQ, ids::MEMBER));
    assert_eq!(user(&mut s, ids::MEMBER)["is_admin"], true);
    assert_ok(&set(
        &mut s,
        "admin.users.setRegular",
        ADMIN,
        HQ,
        ids::MEMBER,
    ));
    assert_eq!(user(&mut s, ids::MEMBER)["is_admin"], false);
    assert_eq!(
        error(&set(&mut s, "admin.users.setOwner", ADMIN, HQ, ids::MEMBER)),
        "not_an_owner"
    );
    assert_ok(&set(&mut s, "admin.users.setOwner", OWNER, HQ, ids::MEMBER));
    assert_eq!(user(&mut s, ids::MEMBER)["is_owner"], true);
    for m in [
        "admin.users.setAdmin",
        "admin.users.setOwner",
        "admin.users.setRegular",
    ] {
        assert_eq!(
            error(&set(&mut s, m, OWNER, ORG_ID, ids::PRIMARY_OWNER)),
            "cannot_modify_primary_owner",
            "{m}"
        );
        assert_eq!(
            error(&set(&mut s, m, OWNER, HQ, "W0NOBODY")),
            "user_not_found",
            "{m}"
        );
        assert_eq!(
            error(&set(&mut s, m, OWNER, "T0NOPE", ids::MEMBER)),
            "team_not_found",
            "{m}"
        );
    }
    assert_eq!(
        error(&set(
            &mut s,
            "admin.users.setAdmin",
            ADMIN,
            HQ,
            ids::GUEST_EXPIRING
        )),
        "invalid_role_for_user"
    );
    assert_eq!(
        error(&set(
            &mut s,
            "admin.users.setOwner",
            OWNER,
            ORG_ID,
            ids::BOT
        )),
        "invalid_role_for_user"
    );
    assert_eq!(
        error(&set(
            &mut s,
            "admin.users.setOwner",
            OWNER,
            ORG_ID,
            ids::NO_WORKSPACE
        )),
        "user_must_be_in_workspace"
    );
    assert_eq!(
        error(&set(
            &mut s,
            "admin.users.setRegular",
            ADMIN,
            HQ,
            ids::ORG_ADMIN_2
        )),
        "cannot_set_org_admin_to_regular_at_workspace_level"
    );
    assert_eq!(
        error(&set(
            &mut s,
            "admin.users.setRegular",
            ADMIN,
            HQ,
            ids::TWO_WORKSPACE_GUEST
        )),
        "cannot_set_this_guest_to_regular_at_team_level"
    );
    // A guest made regular loses the expiration.
    assert_ok(&set(
        &mut s,
        "admin.users.setRegular",
        ADMIN,
        HQ,
        ids::GUEST_EXPIRING,
    ));
    let u = user(&mut s, ids::GUEST_EXPIRING);
    assert_eq!(
        (u["is_restricted"].clone(), u.get("expiration_ts").cloned()),
        (false.into(), None)
    );
    // An admin who makes themselves regular is no admin any more.
    assert_ok(&set(
        &mut s,
        "admin.users.setRegular",
        ADMIN,
        ORG_ID,
        ids::ORG_ADMIN,
    ));
    assert_eq!(
        error(&set(
            &mut s,
            "admin.users.setAdmin",
            ADMIN,
            HQ,
            ids::BOLD_BOB
        )),
        "not_an_admin"
    );
}

#[test]
fn remove_and_assign() {
    let mut s = sim();
    let f =
        |team: &str, user: &str| vec![("team_id", team.to_owned()), ("user_id", user.to_owned())];
    let c = |s: &mut slack_sim::Sim, m: &str, args: Vec<(&str, String)>| {
        let a: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        call(s, m, ADMIN, &a)
    };
    assert_ok(&c(&mut s, "admin.users.remove", f(OPS, ids::TOM_AND_JERRY)));
    assert_eq!(
        user(&mut s, ids::TOM_AND_JERRY)["workspaces"],
        serde_json::json!([HQ])
    );
    assert_eq!(
        error(&c(&mut s, "admin.users.remove", f(OPS, ids::TOM_AND_JERRY))),
        "user_not_found"
    );
    assert_eq!(
        error(&c(&mut s, "admin.users.remove", f(HQ, ids::PRIMARY_OWNER))),
        "cannot_modify_primary_owner"
    );
    assert_eq!(
        error(&c(&mut s, "admin.users.remove", f(HQ, ids::DEACTIVATED))),
        "user_already_deleted"
    );
    assert_eq!(
        error(&c(&mut s, "admin.users.remove", f("T0NOPE", ids::MEMBER))),
        "team_not_found"
    );
    assert_ok(&c(&mut s, "admin.users.assign", f(OPS, ids::TOM_AND_JERRY)));
    assert_eq!(
        error(&c(&mut s, "admin.users.assign", f(OPS, ids::TOM_AND_JERRY))),
        "user_already_team_member"
    );
    assert_eq!(
        error(&c(&mut s, "admin.users.assign", f(OPS, ids::BOT))),
        "user_is_bot"
    );
    assert_eq!(
        error(&c(&mut s, "admin.users.assign", f(OPS, "W0NOBODY"))),
        "user_not_found"
    );
    let mut g = f(LABS, ids::MEMBER);
    g.push(("channel_ids", ids::HQ_GENERAL.into()));
    assert_eq!(
        error(&c(&mut s, "admin.users.assign", g)),
        "channel_not_found"
    );
    let mut g = f(LABS, ids::MEMBER);
    g.push(("is_restricted", "true".into()));
    assert_eq!(
        error(&c(&mut s, "admin.users.assign", g)),
        "invalid_role_for_user"
    );
    let mut g = f(LABS, ids::GUEST);
    g.push(("is_restricted", "true".into()));
    g.push(("channel_ids", ids::LABS_GENERAL.into()));
    assert_ok(&c(&mut s, "admin.users.assign", g));
    // The member token cannot.
    assert_eq!(
        error(&call(
            &mut s,
            "admin.users.remove",
            MEMBER,
            &[("team_id", HQ), ("user_id", ids::BOLD_BOB)]
        )),
        "missing_scope"
    );
}

#[test]
fn guest_expiration() {
    let mut s = sim();
    let v = call(
        &mut s,
        "admin.users.getExpiration",
        ADMIN,
        &[("user_id", ids::GUEST_EXPIRING)],
    );
    assert_ok(&v);
    let ts = v["user"]["expiration_ts"].as_i64().unwrap();
    assert!(
        ts > (T0 / 1000) as i64,
        "in the future after the clock shift"
    );
    let v = call(
        &mut s,
        "admin.users.getExpiration",
        ADMIN,
        &[("user_id", ids::GUEST)],
    );
    assert_eq!(v["user"]["expiration_ts"], 0);
    assert_eq!(
        error(&call(
            &mut s,
            "admin.users.getExpiration",
            ADMIN,
            &[("user_id", ids::MEMBER)]
        )),
        "user_is_not_guest"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.users.getExpiration",
            ADMIN,
            &[("user_id", "W0NOBODY")]
        )),
        "user_not_found"
    );
    assert_eq!(
        error(&call(
            &mut s,
            "admin.users.getExpiration",
            ADMIN,
            &[("user_id", ids::GUEST), ("target_team", "T0ELSEWHERE")]
        )),
        "target_team_not_on_org"
    );

    let soon = ((T0 / 1000) + 3600).to_string();
    let set = |s: &mut slack_sim::Sim, user: &str, ts: &str, team: Option<&str>| {
        let mut f = vec![("user_id", user), ("expiration_ts", ts)];
        if let Some(t) = team {
            f.push(("team_id", t));
        }
        call(s, "admin.users.setExpiration", ADMIN, &f)
    };
    assert_ok(&set(&mut s, ids::GUEST, &soon, Some(OPS)));
    let v = call(
        &mut s,
        "admin.users.getExpiration",
        ADMIN,
        &[("user_id", ids::GUEST)],
    );
    // Applied on the hour, as Slack documents: an hour from now rounds up to the next hour.
    let on_the_hour = ((T0 / 1000 + 3600).div_ceil(3600) * 3600).to_string();
    assert_eq!(
        v["user"]["expiration_ts"].as_i64().unwrap().to_string(),
        on_the_hour
    );
    assert_eq!(
        error(&set(&mut s, ids::GUEST, &soon, None)),
        "team_id_required_for_enterprise"
    );
    assert_eq!(
        error(&set(&mut s, ids::MEMBER, &soon, Some(HQ))),
        "user_is_not_a_guest"
    );
    assert_eq!(
        error(&set(&mut s, ids::DEACTIVATED_GUEST, &soon, Some(OPS))),
        "user_is_deactivated"
    );
    assert_eq!(
        error(&set(&mut s, ids::GUEST, "1000", Some(OPS))),
        "failed_to_validate_expiration"
    );
    assert_eq!(
        error(&set(&mut s, ids::GUEST, &soon, Some("T0NOPE"))),
        "team_not_found"
    );
    // When the hour comes, the guest is deactivated.
    let later = (T0 / 1000 + 3600).div_ceil(3600) * 3600 * 1000 + 1000;
    let v = call_at(
        &mut s,
        "admin.users.list",
        ADMIN,
        &[("is_active", "false"), ("limit", "1000")],
        later,
    );
    assert!(v["users"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["id"] == ids::GUEST));
}

#[test]
fn regression_guest_expiration_is_applied_on_the_hour() {
    use slack_sim::state::users::on_the_hour;
    // "11:10 becomes 12:00"; a time already on the hour stays.
    assert_eq!(on_the_hour(11 * 3600 + 600), 12 * 3600);
    assert_eq!(on_the_hour(12 * 3600), 12 * 3600);
    assert_eq!(on_the_hour(12 * 3600 + 1), 13 * 3600);
}

#[test]
fn email_needs_users_read_email_and_org_tokens_need_team_id() {
    let mut s = sim();
    // The member token has users:read but not users:read.email.
    let v = call(&mut s, "users.list", MEMBER, &[("limit", "5")]);
    assert!(
        v["members"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["profile"].get("email").is_none()),
        "{v}"
    );
    let v = call(
        &mut s,
        "users.list",
        ADMIN,
        &[("limit", "5"), ("team_id", HQ)],
    );
    assert!(
        v["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["profile"]["email"].is_string()),
        "{v}"
    );
    // An org-wide token names the workspace.
    for method in ["users.list", "conversations.list"] {
        assert_eq!(
            error(&call(&mut s, method, ADMIN, &[])),
            "missing_argument",
            "{method}"
        );
    }
}

#[test]
fn who_holds_a_role_in_a_workspace() {
    let mut s = sim();
    let admins = walk(
        &mut s,
        "admin.teams.admins.list",
        ADMIN,
        "admin_ids",
        &[("team_id", HQ)],
        2,
    );
    let admins: Vec<&str> = admins.iter().filter_map(|v| v.as_str()).collect();
    assert!(admins.contains(&ids::WORKSPACE_ADMIN), "{admins:?}");
    assert!(
        admins.contains(&ids::PRIMARY_OWNER),
        "owners are admins too"
    );
    assert!(!admins.contains(&ids::MEMBER));
    assert!(!admins.contains(&ids::DEACTIVATED));
    let owners = walk(
        &mut s,
        "admin.teams.owners.list",
        ADMIN,
        "owner_ids",
        &[("team_id", HQ)],
        100,
    );
    let owners: Vec<&str> = owners.iter().filter_map(|v| v.as_str()).collect();
    assert!(owners.contains(&ids::PRIMARY_OWNER), "{owners:?}");
    assert!(!owners.contains(&ids::WORKSPACE_ADMIN));
    let v = call(
        &mut s,
        "admin.teams.admins.list",
        ADMIN,
        &[("team_id", "T0NOPE")],
    );
    assert_eq!(error(&v), "team_not_found");
    let v = call(
        &mut s,
        "admin.teams.admins.list",
        ADMIN,
        &[("team_id", HQ), ("limit", "0")],
    );
    assert_eq!(error(&v), "invalid_limit");
    let v = call(
        &mut s,
        "admin.teams.owners.list",
        MEMBER,
        &[("team_id", HQ)],
    );
    assert_eq!(error(&v), "missing_scope");
}

#[test]
fn one_member_by_id_or_by_email() {
    let mut s = sim();
    let v = call(
        &mut s,
        "users.info",
        ADMIN,
        &[("user", ids::WORKSPACE_ADMIN)],
    );
    assert_ok(&v);
    assert_eq!(v["user"]["id"], ids::WORKSPACE_ADMIN);
    assert_eq!(v["user"]["is_admin"], true);
    let email = v["user"]["profile"]["email"].as_str().unwrap().to_owned();
    let v = call(
        &mut s,
        "users.lookupByEmail",
        ADMIN,
        &[("email", &email.to_uppercase())],
    );
    assert_ok(&v);
    assert_eq!(v["user"]["id"], ids::WORKSPACE_ADMIN);
    let v = call(
        &mut s,
        "users.lookupByEmail",
        ADMIN,
        &[("email", "nobody@nowhere.example")],
    );
    assert_eq!(error(&v), "users_not_found");
    let v = call(&mut s, "users.info", ADMIN, &[("user", "W0NOBODY")]);
    assert_eq!(error(&v), "user_not_found");
    // Without users:read.email, no lookup and no address.
    let v = call(&mut s, "users.lookupByEmail", MEMBER, &[("email", &email)]);
    assert!(matches!(error(&v), "missing_scope"), "{v}");
}

#[test]
fn signing_someone_out_everywhere_is_recorded() {
    let mut s = sim();
    let v = call(
        &mut s,
        "admin.users.session.reset",
        ADMIN,
        &[("user_id", ids::MEMBER)],
    );
    assert_ok(&v);
    let grid = &s.state().tenants[slack_sim::fixture::GRID];
    let (_, kind) = grid
        .session_resets
        .get(&slack_admin_core::UserId::new(ids::MEMBER))
        .expect("recorded");
    assert_eq!(*kind, slack_sim::state::SessionKind::All);
    let v = call(
        &mut s,
        "admin.users.session.reset",
        ADMIN,
        &[("user_id", "W0NOBODY")],
    );
    assert_eq!(error(&v), "user_not_found");
    let v = call(
        &mut s,
        "admin.users.session.reset",
        ADMIN,
        &[
            ("user_id", ids::MEMBER),
            ("mobile_only", "true"),
            ("web_only", "true"),
        ],
    );
    assert_eq!(error(&v), "invalid_arguments");
    let v = call(
        &mut s,
        "admin.users.session.reset",
        MEMBER,
        &[("user_id", ids::ORG_ADMIN)],
    );
    assert_ne!(error(&v), "");
}

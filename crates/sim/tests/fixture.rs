//! The sandbox org has what the issue promises.

mod common;
use common::*;
use slack_sim::fixture::{self, ids, HQ, LABS, OPS};
use slack_sim::state::{Plan, Role};
use slack_sim::{Sim, SimConfig};
use std::collections::HashSet;

#[test]
fn the_grid_org_has_every_kind_of_user() {
    let mut s = sim();
    let active = walk(&mut s, "admin.users.list", ADMIN, "users", &[], 1000);
    let inactive = walk(
        &mut s,
        "admin.users.list",
        ADMIN,
        "users",
        &[("is_active", "false")],
        1000,
    );
    assert!(active.len() + inactive.len() >= 300);
    assert_eq!(active.len() + inactive.len(), fixture::DEFAULT_MEMBERS);
    let count =
        |pred: &dyn Fn(&serde_json::Value) -> bool| active.iter().filter(|u| pred(u)).count();
    assert_eq!(count(&|u| u["is_primary_owner"] == true), 1);
    assert!(count(&|u| u["is_owner"] == true && u["is_primary_owner"] == false) >= 2);
    assert!(count(&|u| u["is_admin"] == true && u["is_owner"] == false) >= 3);
    assert!(count(&|u| u["is_restricted"] == true && u.get("expiration_ts").is_some()) >= 1);
    assert!(count(&|u| u["is_restricted"] == true && u.get("expiration_ts").is_none()) >= 1);
    assert!(count(&|u| u["is_ultra_restricted"] == true && u.get("expiration_ts").is_some()) >= 1);
    assert!(count(&|u| u["is_ultra_restricted"] == true && u.get("expiration_ts").is_none()) >= 1);
    assert!(count(&|u| u["is_bot"] == true) >= 2);
    assert!(inactive.len() >= 3);
    let names: Vec<&str> = active
        .iter()
        .map(|u| u["full_name"].as_str().unwrap())
        .collect();
    for wanted in [
        "José Müller",
        "山田太郎",
        "Zoë Ångström",
        "<b>Bold</b> Bob",
        "Tom & \"Jerry\"",
    ] {
        assert!(names.contains(&wanted), "{wanted}");
    }
    let ids: HashSet<&str> = active
        .iter()
        .chain(&inactive)
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), fixture::DEFAULT_MEMBERS, "IDs are unique");
}

#[test]
fn workspaces_have_channels_and_requests_have_history() {
    let mut s = sim();
    let teams = walk(&mut s, "admin.teams.list", ADMIN, "teams", &[], 1);
    assert_eq!(teams.len(), 3);
    for t in &teams {
        let id = t["id"].as_str().unwrap();
        let channels = walk(
            &mut s,
            "conversations.list",
            ADMIN,
            "channels",
            &[("team_id", id), ("types", "public_channel,private_channel")],
            7,
        );
        assert!(channels.len() >= 20, "{id}");
        assert!(channels.iter().any(|c| c["is_private"] == true));
        assert!(channels.iter().any(|c| c["is_private"] == false));
    }
    let pending = walk(
        &mut s,
        "admin.inviteRequests.list",
        ADMIN,
        "invite_requests",
        &[("team_id", HQ)],
        3,
    );
    assert!(pending.len() >= 5);
    assert!(pending
        .iter()
        .all(|r| !r["request_reason"].as_str().unwrap().is_empty()));
    assert_eq!(pending[0]["id"], ids::PENDING_REQUEST);
    assert!(
        [HQ, LABS, OPS]
            .iter()
            .map(|t| walk(
                &mut s,
                "admin.inviteRequests.approved.list",
                ADMIN,
                "approved_requests",
                &[("team_id", t)],
                2
            )
            .len())
            .sum::<usize>()
            >= 3
    );
    assert!(
        [HQ, LABS, OPS]
            .iter()
            .map(|t| walk(
                &mut s,
                "admin.inviteRequests.denied.list",
                ADMIN,
                "denied_requests",
                &[("team_id", t)],
                2
            )
            .len())
            .sum::<usize>()
            >= 3
    );
}

#[test]
fn standalone_workspaces() {
    let s = sim();
    let bakery = &s.state().tenants[fixture::BAKERY_TENANT];
    assert_eq!(bakery.plan, Plan::Pro);
    assert!(!bakery.is_grid());
    assert!(bakery.users.values().any(|u| !u.active && !u.is_bot));
    let fjord = &s.state().tenants[fixture::FJORD_TENANT];
    assert!(fjord.teams[0].sso);
    assert!(fjord.users.values().all(|u| u.has_sso));
}

#[test]
fn the_same_seed_builds_the_same_org_and_another_seed_another() {
    let a = Sim::new(SimConfig::default());
    let b = Sim::new(SimConfig::default());
    let c = Sim::new(SimConfig {
        seed: 7,
        ..SimConfig::default()
    });
    let names = |s: &Sim| -> Vec<String> {
        s.state().tenants[0]
            .users
            .values()
            .map(|u| u.real_name.clone())
            .collect()
    };
    assert_eq!(names(&a), names(&b));
    assert_ne!(names(&a), names(&c));
    // The notable users do not depend on the seed.
    let owner = &c.state().tenants[0].users[&ids::PRIMARY_OWNER.into()];
    assert_eq!(owner.role, Role::PrimaryOwner);
}

#[test]
fn members_grows_the_org() {
    let s = Sim::new(SimConfig {
        members: 20_000,
        ..SimConfig::default()
    });
    let grid = &s.state().tenants[0];
    assert_eq!(grid.users.len(), 20_000);
    assert_eq!(
        grid.emails.len(),
        grid.users.values().filter(|u| !u.is_bot).count(),
        "emails are unique"
    );
}

#[test]
fn conversations_list_pages_through_twenty_public_channels_with_its_default_types() {
    let mut s = sim();
    // No `types`: Slack's default, public channels only; small pages so that every page of
    // the walk is exercised.
    let channels = walk(
        &mut s,
        "conversations.list",
        ADMIN,
        "channels",
        &[("team_id", HQ)],
        5,
    );
    assert!(channels.len() >= 20, "{}", channels.len());
    assert!(channels.iter().all(|c| c["is_private"] == false));
    let ids: std::collections::HashSet<_> = channels.iter().map(|c| c["id"].clone()).collect();
    assert_eq!(ids.len(), channels.len(), "no channel twice across pages");
}

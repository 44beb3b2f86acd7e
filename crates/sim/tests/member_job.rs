//! core's bulk change of members against the simulated Slack, on a virtual clock, with faults
//! on: the dry run refuses what the member panel refuses; every row ends in exactly one final
//! state; no member is sent again after a confirmed change; a job saved mid-call resumes
//! without losses; the inverse job gives every changed member their role back.

#[path = "invite_driver/mod.rs"]
mod driver;

use driver::Driver;
use slack_admin_core::invite::job::{Job, Outcome, OutcomeKind, Pacing, Step, Work};
use slack_admin_core::members::bulk::{self, Change};
use slack_admin_core::members::{Action, Kind, Role, Row, Scene, Status};
use slack_admin_core::methods::admin_users::AdminUsersList;
use slack_admin_core::pagination::Paginated;
use slack_admin_core::{decode, Method, TeamId, UserId};
use slack_sim::fixture::{ids, GRID, ORG_ID, ORG_NAME};
use slack_sim::state::Role as SimRole;
use slack_sim::{Reply, Request, Sim, SimConfig};

const T0: u64 = 1_780_000_000_000;
const ADMIN: &str = "xoxp-sandbox-org-admin";
const FAULTS: &str = "500=0.05,drop=0.05,malformed=0.03,burst429=0.02";

fn sim(faults: &str, seed: u64) -> Sim {
    Sim::new(SimConfig {
        members: 400,
        rate_scale: 1.0,
        faults: faults.parse().expect("fault spec"),
        seed,
        ..SimConfig::default()
    })
}

/// Every member of the org, as the members page loads them (no faults).
fn everyone(seed: u64) -> Vec<Row> {
    let mut s = Sim::new(SimConfig {
        members: 400,
        rate_scale: 1e9,
        seed,
        ..SimConfig::default()
    });
    let mut rows = Vec::new();
    for active in ["true", "false"] {
        let mut cursor = String::new();
        loop {
            let mut fields = vec![("limit", "100"), ("is_active", active)];
            if !cursor.is_empty() {
                fields.push(("cursor", cursor.as_str()));
            }
            let Reply::Answer { response, .. } =
                s.handle(&Request::form(AdminUsersList::NAME, ADMIN, &fields), T0)
            else {
                panic!("dropped without faults");
            };
            let page = decode::<AdminUsersList>(&response).expect("a page");
            rows.extend(page.users.iter().map(Row::from));
            cursor = AdminUsersList::next_cursor(&page).unwrap_or_default();
            if cursor.is_empty() {
                break;
            }
        }
    }
    rows
}

fn scene() -> Scene {
    Scene {
        can_change_roles: true,
        org_name: ORG_NAME.into(),
        me: UserId::new(ids::ORG_ADMIN),
        scope: None,
    }
}

fn change(title: &str) -> Change {
    Change {
        org_id: TeamId::new(ORG_ID),
        title: title.into(),
        id: 1,
    }
}

fn role_in(s: &Sim, id: &UserId) -> SimRole {
    s.state().tenants[GRID].users[id].role
}

/// 30 regular full members, the primary owner and a guest: 2 refused before anything is sent.
fn selection(rows: &[Row]) -> Vec<&Row> {
    let mut picked: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r.role == Role::Member
                && r.kind == Kind::Full
                && r.status == Status::Active
                && !r.workspaces.is_empty()
        })
        .take(30)
        .collect();
    assert_eq!(picked.len(), 30, "the org has 30 regular members");
    picked.insert(
        7,
        rows.iter().find(|r| r.role == Role::PrimaryOwner).unwrap(),
    );
    picked.insert(
        19,
        rows.iter()
            .find(|r| r.kind == Kind::MultiChannelGuest && r.status == Status::Active)
            .unwrap(),
    );
    picked
}

fn name(_: &TeamId) -> String {
    "a workspace".into()
}

fn assert_all_final(job: &Job<Change>) {
    assert!(job.is_finished());
    for r in job.rows() {
        assert!(r.outcome().is_some(), "line {} has no final state", r.line);
    }
    let p = job.progress(0);
    let counted: usize = Change::KINDS.iter().map(|&k| p.counts.get(k)).sum();
    assert_eq!(counted, job.rows().len());
}

#[test]
fn the_dry_run_refuses_the_primary_owner_and_a_guest_and_says_why() {
    let rows = everyone(7);
    let picked = selection(&rows);
    let plan = bulk::plan(&picked, &Action::MakeAdmin, &scene(), &name, 0);
    assert_eq!(plan.len(), 32);
    let refused: Vec<&String> = plan
        .iter()
        .filter_map(|p| p.verdict.as_ref().err())
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused[0].contains("primary owner"), "{}", refused[0]);
    assert!(
        refused[1].contains("Guests cannot hold a role"),
        "{}",
        refused[1]
    );
    let ok = plan[0].verdict.as_ref().unwrap();
    assert!(ok.contains("will be able to manage members"), "{ok}");
    // A token that cannot change roles refuses every row.
    let weak = Scene {
        can_change_roles: false,
        ..scene()
    };
    let plan = bulk::plan(&picked, &Action::MakeAdmin, &weak, &name, 0);
    assert!(plan.iter().all(|p| !p.will_run()));
}

#[test]
fn thirty_members_made_admin_through_faults_each_once_then_undone() {
    for seed in [1u64, 2, 3] {
        let rows = everyone(seed);
        let picked = selection(&rows);
        let plan = bulk::plan(&picked, &Action::MakeAdmin, &scene(), &name, 0);
        let w = change("Make admin");
        let pacing = Pacing::scaled(&w, 1.0);
        let mut job = bulk::job(&plan, w, pacing);
        let mut d = Driver::new(sim(FAULTS, seed), ADMIN, T0);
        let step = d.run(&mut job);
        assert_eq!(step, Step::Finished, "seed {seed}");
        assert_all_final(&job);
        assert_eq!(
            d.sent_after_final, 0,
            "seed {seed}: a row sent after its final answer"
        );
        let p = job.progress(d.now);
        assert_eq!(p.counts.not_sent, 2, "seed {seed}");
        for r in job.rows() {
            let now = role_in(&d.sim, &r.item.user_id);
            match r.outcome().unwrap() {
                Outcome::Changed => assert_eq!(now, SimRole::Admin, "line {}", r.line),
                Outcome::NotSent { .. } => {
                    assert_ne!(now, SimRole::Admin, "line {}: refused but changed", r.line)
                }
                Outcome::Refused { code, .. } => {
                    // Gave up after faults: whatever Slack did, the row says why.
                    assert!(!code.is_empty(), "line {}", r.line)
                }
                other => panic!("line {}: {other:?}", r.line),
            }
        }
        assert!(
            p.counts.changed >= 25,
            "seed {seed}: only {} changed",
            p.counts.changed
        );

        // Undo: everyone changed goes back to regular, nobody else is touched.
        let undo = bulk::inverse(&job, pacing, 0).expect("an inverse");
        assert_eq!(
            undo.title,
            format!("Make these {} members regular again", p.counts.changed)
        );
        assert!(undo.without.is_empty());
        let mut undo_job = undo.job.expect("a job");
        // The driver counts rows by position: a new job starts its books afresh.
        d.finished_rows.clear();
        assert!(undo_job
            .rows()
            .iter()
            .all(|r| r.item.action == Action::MakeRegular));
        let step = d.run(&mut undo_job);
        assert_eq!(step, Step::Finished);
        assert_all_final(&undo_job);
        assert_eq!(d.sent_after_final, 0);
        for r in undo_job.rows() {
            if r.outcome() == Some(&Outcome::Changed) {
                assert_eq!(role_in(&d.sim, &r.item.user_id), SimRole::Regular);
            }
        }
        assert_eq!(
            undo_job.progress(d.now).counts.get(OutcomeKind::Changed)
                + undo_job.progress(d.now).counts.refused,
            p.counts.changed,
            "seed {seed}"
        );
    }
}

#[test]
fn a_job_saved_mid_call_resumes_without_losing_or_repeating_a_confirmed_change() {
    let rows = everyone(11);
    let picked = selection(&rows);
    let plan = bulk::plan(&picked, &Action::MakeAdmin, &scene(), &name, 0);
    let w = change("Make admin");
    let pacing = Pacing::scaled(&w, 1.0);
    let mut job = bulk::job(&plan, w, pacing);
    let mut d = Driver::new(sim("", 11), ADMIN, T0);
    d.run_for(&mut job, 10);
    let lost = d.send_and_lose_the_answer(&mut job).expect("a row to send");
    let json = serde_json::to_string(&job).unwrap();
    let mut job: Job<Change> = serde_json::from_str(&json).unwrap();
    // The lost call reached Slack: the row is sent again as possibly delivered, and Slack's
    // answer (setAdmin on an admin succeeds) finishes it as changed.
    assert!(job.rows()[lost].possibly_delivered);
    assert_eq!(d.run(&mut job), Step::Finished);
    assert_all_final(&job);
    assert_eq!(d.sent_after_final, 0);
    assert_eq!(job.rows()[lost].outcome(), Some(&Outcome::Changed));
    assert_eq!(job.progress(d.now).counts.changed, 30);
}

#[test]
fn a_revoked_token_pauses_the_job_instead_of_refusing_every_row() {
    let rows = everyone(5);
    let picked = selection(&rows);
    let plan = bulk::plan(&picked, &Action::MakeAdmin, &scene(), &name, 0);
    let w = change("Make admin");
    let pacing = Pacing::scaled(&w, 1.0);
    let mut job = bulk::job(&plan, w, pacing);
    let mut d = Driver::new(sim("", 5), ADMIN, T0);
    d.run_for(&mut job, 5);
    let revoke = Request {
        method: "POST".into(),
        path: "/sim/revoke".into(),
        headers: vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body: format!("token={ADMIN}").into_bytes(),
    };
    let _ = d.sim.handle(&revoke, d.now);
    assert_eq!(d.run(&mut job), Step::Paused);
    let halt = job.halt().expect("halted");
    assert_eq!(halt.code, "token_revoked");
    let p = job.progress(d.now);
    assert_eq!(p.counts.changed, 5);
    assert_eq!(p.counts.refused, 0, "no row was burned on a dead token");
}

#[test]
fn removal_and_its_inverse_against_the_sim() {
    let rows = everyone(9);
    let hq = TeamId::new(slack_sim::fixture::HQ);
    let picked: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r.role == Role::Member
                && r.kind == Kind::Full
                && r.status == Status::Active
                && r.workspaces.contains(&hq)
        })
        .take(5)
        .collect();
    let action = Action::Remove { team: hq.clone() };
    let plan = bulk::plan(&picked, &action, &scene(), &name, 0);
    assert!(plan.iter().all(|p| p.will_run()), "{plan:?}");
    let w = change("Remove from HQ");
    let pacing = Pacing::scaled(&w, 1.0);
    let mut job = bulk::job(&plan, w, pacing);
    let mut d = Driver::new(sim("", 9), ADMIN, T0);
    assert_eq!(d.run(&mut job), Step::Finished);
    for r in job.rows() {
        assert!(!d.sim.state().tenants[GRID].users[&r.item.user_id].in_team(&hq));
    }
    let undo = bulk::inverse(&job, pacing, 0).unwrap();
    assert_eq!(undo.title, "Add these 5 members back");
    let mut undo_job = undo.job.unwrap();
    d.finished_rows.clear();
    assert_eq!(d.run(&mut undo_job), Step::Finished);
    assert_eq!(undo_job.progress(d.now).counts.changed, 5);
    for r in undo_job.rows() {
        assert!(d.sim.state().tenants[GRID].users[&r.item.user_id].in_team(&hq));
    }
    let csv = bulk::results_csv(&undo_job, &|_| None);
    assert!(csv.starts_with("line,user_id,name,email,change,outcome,code,detail\r\n"));
    assert_eq!(csv.matches("changed").count(), 5);
}

#[test]
fn a_role_in_one_workspace_is_made_there_and_not_org_wide() {
    let rows = everyone(13);
    let hq = TeamId::new(slack_sim::fixture::HQ);
    let picked: Vec<&Row> = rows
        .iter()
        .filter(|r| r.role == Role::Member && r.kind == Kind::Full && r.status == Status::Active)
        .take(6)
        .collect();
    let in_hq = Scene {
        scope: Some((hq.clone(), "Northwind HQ".into())),
        ..scene()
    };
    let plan = bulk::plan(&picked, &Action::MakeAdmin, &in_hq, &name, 0);
    let w = Change {
        org_id: hq.clone(),
        title: "Make admin in Northwind HQ".into(),
        id: 1,
    };
    let pacing = Pacing::scaled(&w, 1.0);
    let mut job = bulk::job(&plan, w, pacing);
    let mut d = Driver::new(sim("", 13), ADMIN, T0);
    assert_eq!(d.run(&mut job), Step::Finished);
    for (p, r) in plan.iter().zip(job.rows()) {
        let user = &d.sim.state().tenants[GRID].users[&r.item.user_id];
        if p.will_run() {
            assert_eq!(r.outcome(), Some(&Outcome::Changed));
            assert_eq!(user.role, SimRole::Admin);
            assert!(!user.org_level, "an admin of HQ only");
        } else {
            assert!(!user.in_team(&hq));
            assert_eq!(user.role, SimRole::Regular);
        }
    }
    assert!(plan.iter().any(|p| p.will_run()));
}

#[test]
fn guests_get_a_later_expiration_in_their_workspace_and_it_can_be_undone() {
    let rows = everyone(17);
    let guests: Vec<&Row> = rows
        .iter()
        .filter(|r| r.is_guest() && r.status == Status::Active && !r.workspaces.is_empty())
        .take(5)
        .collect();
    assert_eq!(guests.len(), 5);
    let now_s = (T0 / 1000) as i64;
    let ts = now_s + 40 * 86_400;
    let action = Action::SetExpiration { ts };
    let plan = bulk::plan(&guests, &action, &scene(), &name, now_s);
    assert!(plan.iter().all(|p| p.will_run()), "{plan:?}");
    let w = change("Set guest expiration");
    let pacing = Pacing::scaled(&w, 1.0);
    let mut job = bulk::job(&plan, w, pacing);
    let mut d = Driver::new(sim("", 17), ADMIN, T0);
    assert_eq!(d.run(&mut job), Step::Finished);
    assert_eq!(
        job.progress(d.now).counts.changed,
        5,
        "{:?}",
        bulk::results(&job, &|_| None)
    );
    for r in job.rows() {
        let user = &d.sim.state().tenants[GRID].users[&r.item.user_id];
        // Slack applies it on the hour.
        let set = user.expiration_ts.expect("an expiration");
        assert!(set >= ts && set - ts < 3_600, "{set} for {ts}");
    }
    // Guests that had a date get it back; those that had none are named.
    let undo = bulk::inverse(&job, pacing, now_s).unwrap();
    let had = guests
        .iter()
        .filter(|g| g.expiration_ts.is_some_and(|t| t > now_s))
        .count();
    assert_eq!(undo.job.map_or(0, |j| j.rows().len()), had);
    assert_eq!(undo.without.len(), 5 - had);
}

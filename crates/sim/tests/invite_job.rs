//! core's bulk invite job against the simulated Slack, on a virtual clock, with the fixture's
//! tokens and faults on: every row ends in exactly one final state, nobody is invited twice,
//! a bad row does not disturb the rest, a job saved mid-way (even mid-call) resumes without
//! duplicates or losses, pause / resume / cancel, and a 30-row CSV with 3 invalid rows.

#[path = "invite_driver/mod.rs"]
mod driver;

use driver::Driver;
use slack_admin_core::invite::preview::{self, Context};
use slack_admin_core::invite::{
    csv, results_csv, ChannelDirectory, Defaults, Invitation, InviteRoute, Job, Mapping,
    MemberType, Outcome, OutcomeKind, Pacing, Step,
};
use slack_admin_core::methods::conversations::ConversationsList;
use slack_admin_core::{ChannelId, TeamId};
use slack_sim::fixture::{emails, ids, BAKERY_TENANT, GRID, HQ};
use slack_sim::{Reply, Request, Sim, SimConfig};
use std::collections::HashSet;

const T0: u64 = 1_780_000_000_000;
const ADMIN: &str = "xoxp-sandbox-org-admin";
const LEGACY: &str = "xoxp-sandbox-legacy";
const FAULTS: &str = "500=0.05,drop=0.05,malformed=0.03,burst429=0.02";
const FAULTS_WITHOUT_429: &str = "500=0.05,drop=0.05,malformed=0.03";

fn sim(faults: &str, seed: u64) -> Sim {
    Sim::new(SimConfig {
        rate_scale: 1.0,
        faults: faults.parse().expect("fault spec"),
        seed,
        ..SimConfig::default()
    })
}

fn admin() -> InviteRoute {
    InviteRoute::Admin {
        team_id: TeamId::new(HQ),
    }
}

/// `n` new people of Northwind, invited to HQ's #general; every third a guest.
fn northwind(n: usize) -> Vec<Invitation> {
    (1..=n)
        .map(|i| Invitation {
            real_name: Some(format!("New Person {i}")),
            member_type: if i % 3 == 0 {
                MemberType::MultiChannelGuest
            } else {
                MemberType::FullMember
            },
            channels: vec![ChannelId::new(ids::HQ_GENERAL)],
            ..Invitation::new(format!("new.person{i:02}@northwind.example"))
        })
        .collect()
}

fn admin_job(rows: Vec<Invitation>) -> Job {
    let route = admin();
    let pacing = Pacing::for_route(&route);
    Job::new(rows, route, pacing)
}

/// Every row has exactly one final state, and the job says it is finished.
fn assert_all_final(job: &Job) {
    assert!(job.is_finished());
    for r in job.rows() {
        assert!(r.outcome().is_some(), "line {} has no final state", r.line);
    }
    let p = job.progress(0);
    assert_eq!(p.done, p.total);
    let counted: usize = OutcomeKind::ALL.iter().map(|&k| p.counts.get(k)).sum();
    assert_eq!(counted, p.total, "each row counted once");
}

/// Each row reported invited has exactly one invitation in the sim.
fn assert_invited_once(d: &Driver, job: &Job, tenant: usize) {
    for r in job.rows() {
        if r.outcome() == Some(&Outcome::Invited) {
            assert_eq!(
                d.invitations(tenant, &r.item.email),
                1,
                "line {}: {}",
                r.line,
                r.item.email
            );
        }
    }
    assert_eq!(
        d.sent_after_final, 0,
        "a row was sent after its final answer"
    );
}

#[test]
fn a_faulty_admin_job_invites_everyone_exactly_once() {
    let mut retried_after_possible_delivery = 0;
    for seed in [1, 2, 3, 4] {
        let mut d = Driver::new(sim(FAULTS, seed), ADMIN, T0);
        let mut job = admin_job(northwind(60));
        assert_eq!(d.run(&mut job), Step::Finished);
        assert_all_final(&job);
        for r in job.rows() {
            assert_eq!(
                r.outcome(),
                Some(&Outcome::Invited),
                "seed {seed}, line {}: {:?}",
                r.line,
                r.last_code
            );
        }
        assert_invited_once(&d, &job, GRID);
        assert!(
            d.drops + d.errors_5xx + d.undecodable > 0,
            "faults happened"
        );
        retried_after_possible_delivery += job
            .rows()
            .iter()
            .filter(|r| {
                r.note
                    .as_deref()
                    .is_some_and(|n| n.contains("had reached Slack"))
            })
            .count();
    }
    assert!(
        retried_after_possible_delivery > 0,
        "some dropped call had reached Slack and its retry was answered already invited"
    );
}

#[test]
fn a_faulty_legacy_job_invites_everyone_exactly_once() {
    for seed in [5, 6] {
        let mut d = Driver::new(sim(FAULTS, seed), LEGACY, T0);
        let rows: Vec<Invitation> = (1..=40)
            .map(|i| Invitation {
                real_name: Some(format!("Baker Number {i}")),
                ..Invitation::new(format!("new.person{i:02}@harborbakery.example"))
            })
            .collect();
        let mut job = Job::new(
            rows,
            InviteRoute::Legacy,
            Pacing::for_route(&InviteRoute::Legacy),
        );
        assert_eq!(d.run(&mut job), Step::Finished);
        assert_all_final(&job);
        assert!(job
            .rows()
            .iter()
            .all(|r| r.outcome() == Some(&Outcome::Invited)));
        assert_invited_once(&d, &job, BAKERY_TENANT);
    }
}

#[test]
fn pacing_under_the_tier_never_meets_a_429() {
    // Faults on, but no bursts of 429: the limiter itself must never refuse.
    let mut d = Driver::new(sim(FAULTS_WITHOUT_429, 7), ADMIN, T0);
    let mut job = admin_job(northwind(40));
    d.run(&mut job);
    assert_all_final(&job);
    assert_eq!(d.http_429, 0);
    assert!(d.send_times.windows(2).all(|w| w[1] - w[0] >= 3000));
    // Without faults: one call every 3 s exactly, start to end.
    let mut d = Driver::new(sim("none", 7), ADMIN, T0);
    let mut job = admin_job(northwind(40));
    d.run(&mut job);
    assert_eq!(d.http_429, 0);
    assert_eq!(d.sends, 40);
    assert_eq!(d.now - T0, 39 * 3000);
}

#[test]
fn a_burst_of_429s_is_waited_out() {
    let mut d = Driver::new(sim("burst429=0.1:5000", 8), ADMIN, T0);
    let mut job = admin_job(northwind(30));
    d.run(&mut job);
    assert_all_final(&job);
    assert!(d.http_429 > 0);
    assert!(job
        .rows()
        .iter()
        .all(|r| r.outcome() == Some(&Outcome::Invited)));
    assert_eq!(job.progress(d.now).rate_limits as u64, d.http_429);
    assert_invited_once(&d, &job, GRID);
}

fn bad_rows() -> Vec<Invitation> {
    let mut rows = northwind(6);
    let hq = |email: &str| Invitation {
        channels: vec![ChannelId::new(ids::HQ_GENERAL)],
        ..Invitation::new(email)
    };
    rows.insert(1, hq("qwe"));
    rows.insert(
        3,
        Invitation {
            channels: vec![ChannelId::new("C0NOPE0001")],
            ..Invitation::new("new.person90@northwind.example")
        },
    );
    rows.insert(4, hq(emails::MEMBER));
    rows.insert(6, hq(emails::DEACTIVATED));
    rows.insert(8, hq(emails::INVITED));
    rows
}

#[test]
fn bad_rows_do_not_disturb_the_rest() {
    let mut d = Driver::new(sim("none", 9), ADMIN, T0);
    let mut job = admin_job(bad_rows());
    d.run(&mut job);
    assert_all_final(&job);
    let kinds: Vec<(String, OutcomeKind, Option<String>)> = job
        .rows()
        .iter()
        .map(|r| {
            let o = r.outcome().unwrap();
            let code = match o {
                Outcome::Refused { code, .. } => Some(code.clone()),
                _ => None,
            };
            (r.item.email.clone(), o.kind(), code)
        })
        .collect();
    let expected: Vec<(&str, OutcomeKind, Option<&str>)> = vec![
        ("new.person01@northwind.example", OutcomeKind::Invited, None),
        ("qwe", OutcomeKind::Refused, Some("invalid_email")),
        ("new.person02@northwind.example", OutcomeKind::Invited, None),
        (
            "new.person90@northwind.example",
            OutcomeKind::Refused,
            Some("failed_to_validate_channels"),
        ),
        (emails::MEMBER, OutcomeKind::AlreadyMember, None),
        ("new.person03@northwind.example", OutcomeKind::Invited, None),
        (
            emails::DEACTIVATED,
            OutcomeKind::Refused,
            Some("user_disabled"),
        ),
        ("new.person04@northwind.example", OutcomeKind::Invited, None),
        (emails::INVITED, OutcomeKind::AlreadyInvited, None),
        ("new.person05@northwind.example", OutcomeKind::Invited, None),
        ("new.person06@northwind.example", OutcomeKind::Invited, None),
    ];
    let got: Vec<(&str, OutcomeKind, Option<&str>)> = kinds
        .iter()
        .map(|(e, k, c)| (e.as_str(), *k, c.as_deref()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(d.sends, 11, "each row once");
    assert_eq!(d.now - T0, 10 * 3000, "refusals cost no extra time");
    assert_invited_once(&d, &job, GRID);
    assert_eq!(d.invitations(GRID, "new.person90@northwind.example"), 0);
}

#[test]
fn bad_rows_do_not_disturb_the_rest_under_faults() {
    for seed in [10, 11, 12] {
        let mut d = Driver::new(sim(FAULTS, seed), ADMIN, T0);
        let mut job = admin_job(bad_rows());
        d.run(&mut job);
        assert_all_final(&job);
        for r in job.rows() {
            let kind = r.outcome().unwrap().kind();
            match r.item.email.as_str() {
                "qwe" | "new.person90@northwind.example" | emails::DEACTIVATED => {
                    assert_eq!(kind, OutcomeKind::Refused, "{}", r.item.email)
                }
                emails::MEMBER => assert_eq!(kind, OutcomeKind::AlreadyMember),
                // A dropped call for an address invited before looks exactly like one that
                // was delivered: either answer is right.
                emails::INVITED => assert!(matches!(
                    kind,
                    OutcomeKind::AlreadyInvited | OutcomeKind::Invited
                )),
                _ => assert_eq!(kind, OutcomeKind::Invited, "seed {seed} {}", r.item.email),
            }
        }
        assert_invited_once(&d, &job, GRID);
        assert_eq!(
            d.invitations(GRID, emails::INVITED),
            1,
            "still the fixture's one"
        );
    }
}

#[test]
fn saved_and_restored_after_every_row_and_mid_call_it_loses_and_repeats_nothing() {
    for seed in [13, 14, 15] {
        let mut d = Driver::new(sim(FAULTS, seed), ADMIN, T0);
        let mut job = admin_job(northwind(45));
        let mut crashes = 0;
        let mut step = 0;
        loop {
            step += 1;
            // Every 7th step the tab closes mid-call: the call went out, its answer is lost,
            // and the job comes back from what was saved right after it was sent.
            if step % 7 == 0 {
                if d.send_and_lose_the_answer(&mut job).is_none() {
                    break;
                }
                let saved = job.to_json();
                // The saved form marks the row in flight (`"i"`: its attempt).
                assert!(saved.contains(r#","i":"#), "{saved}");
                d.now += 5_000;
                job = Job::restore(&saved).unwrap();
                crashes += 1;
                continue;
            }
            let s = d.step(&mut job);
            // The app saves after every row; a reload restores from that.
            job = Job::restore(&job.to_json()).unwrap();
            match s {
                Step::Finished => break,
                Step::Send { .. } | Step::WaitUntil(_) => {}
                other => panic!("{other:?}"),
            }
        }
        assert!(crashes >= 5);
        assert_all_final(&job);
        for r in job.rows() {
            assert_eq!(
                r.outcome(),
                Some(&Outcome::Invited),
                "seed {seed} line {}",
                r.line
            );
            assert_eq!(d.invitations(GRID, &r.item.email), 1);
        }
        assert_eq!(d.sent_after_final, 0);
    }
}

#[test]
fn pause_resume_and_cancel() {
    let mut d = Driver::new(sim("none", 16), ADMIN, T0);
    let mut job = admin_job(northwind(10));
    d.run_for(&mut job, 3);
    job.pause();
    assert_eq!(d.step(&mut job), Step::Paused);
    let paused_at = d.now;
    d.now += 10 * 60_000;
    assert_eq!(d.step(&mut job), Step::Paused);
    assert_eq!(d.sends, 3, "nothing sent while paused");
    assert!(paused_at < d.now);
    job.resume();
    d.run_for(&mut job, 3);
    // Cancel with a call in flight: its answer is still recorded.
    let Step::Send { row, form, method } = (loop {
        match job.next(d.now) {
            Step::WaitUntil(t) => d.now = t,
            s => break s,
        }
    }) else {
        panic!("expected a send")
    };
    job.cancel();
    let fields: Vec<(&str, &str)> = form
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let result = match d.sim.handle(&Request::form(method, ADMIN, &fields), d.now) {
        Reply::Answer { response, .. } => slack_admin_core::invite::job::read_answer(&response),
        Reply::Drop => Err(slack_admin_core::invite::job::dropped()),
    };
    assert_eq!(job.next(d.now), Step::AwaitAnswer { row });
    assert!(job.record(row, result, d.now));
    assert_eq!(job.next(d.now), Step::Finished);
    assert_all_final(&job);
    let p = job.progress(d.now);
    assert!(p.cancelled && p.finished);
    for r in job.rows() {
        match r.outcome().unwrap() {
            Outcome::NotSent { reason } => {
                assert_eq!(r.sends, 0);
                assert_eq!(reason, "Cancelled before it was sent.");
                assert_eq!(d.invitations(GRID, &r.item.email), 0);
            }
            Outcome::Invited => assert_eq!(d.invitations(GRID, &r.item.email), 1),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((p.counts.invited, p.counts.not_sent), (7, 3));
}

/// HQ's channels, as the app loads them: `conversations.list`, retried through faults.
fn hq_directory(d: &mut Driver) -> ChannelDirectory {
    for _ in 0..50 {
        let request = Request::form(
            "conversations.list",
            ADMIN,
            &[
                ("team_id", HQ),
                ("limit", "1000"),
                ("types", "public_channel,private_channel"),
            ],
        );
        if let Reply::Answer { response, .. } = d.sim.handle(&request, d.now) {
            if let Ok(list) = slack_admin_core::decode::<ConversationsList>(&response) {
                return ChannelDirectory::from_channels(&list.channels);
            }
        }
        d.now += 3000;
    }
    panic!("conversations.list never answered");
}

#[test]
fn thirty_rows_of_csv_with_three_invalid_send_twenty_seven_and_report_three() {
    let mut text = String::from("Email,Full name,Type,Channels,Expires\r\n");
    for i in 1..=27 {
        let (kind, channels, expires) = match i % 3 {
            0 => ("guest", "#general #random", "2027-01-31"),
            1 => ("member", "general", ""),
            _ => ("single", "#engineering", ""),
        };
        text.push_str(&format!(
            "new.person{i:02}@northwind.example,New Person {i},{kind},{channels},{expires}\r\n"
        ));
        match i {
            5 => text.push_str("qwe,Not An Address,member,#general,\r\n"),
            12 => text.push_str("new.person77@northwind.example,Unknown Channel,member,#nope,\r\n"),
            20 => text.push_str("NEW.PERSON02@northwind.example,Again,member,#general,\r\n"),
            _ => {}
        }
    }
    let mut d = Driver::new(sim(FAULTS, 17), ADMIN, T0);
    let directory = hq_directory(&mut d);
    let table = csv::parse(&text).unwrap();
    assert_eq!(table.rows.len(), 31);
    let (mapping, header) = Mapping::guess(&table);
    assert!(header);
    let route = admin();
    let defaults = Defaults::default();
    let members = HashSet::new();
    let ctx = Context {
        defaults: &defaults,
        directory: &directory,
        known_members: &members,
        route: &route,
        now_s: (d.now / 1000) as i64,
    };
    let rows = preview::build(&table, &mapping, header, &ctx);
    let summary = preview::summary(&rows);
    assert_eq!((summary.total, summary.valid, summary.invalid), (30, 27, 3));
    let invalid: Vec<(usize, String)> = rows
        .iter()
        .filter(|r| !r.is_valid())
        .map(|r| (r.line, r.reason()))
        .collect();
    assert_eq!(invalid.len(), 3);
    assert!(invalid[0].1.contains("not an email address"), "{invalid:?}");
    assert!(
        invalid[1].1.starts_with("No channel named #nope"),
        "{invalid:?}"
    );
    assert!(
        invalid[2].1.starts_with("Duplicate of row 3"),
        "{invalid:?}"
    );

    let mut job = Job::from_preview(&rows, route.clone(), Pacing::for_route(&route));
    // The app saves the job as soon as it starts.
    job = Job::restore(&job.to_json()).unwrap();
    assert_eq!(d.run(&mut job), Step::Finished);
    assert_all_final(&job);
    let p = job.progress(d.now);
    assert_eq!((p.counts.invited, p.counts.not_sent), (27, 3));
    assert_invited_once(&d, &job, GRID);
    assert_eq!(d.invitations(GRID, "new.person77@northwind.example"), 0);
    assert_eq!(d.invitations(GRID, "qwe"), 0);

    // The sim holds each invitation as asked.
    let grid = &d.sim.state().tenants[GRID];
    let key = grid.invitations_by_email["new.person03@northwind.example"][0];
    let inv = &grid.invitations[&key];
    assert_eq!(inv.channel_ids.len(), 2);
    assert!(inv.guest_expiration_ts.is_some());
    let key = grid.invitations_by_email["new.person02@northwind.example"][0];
    assert_eq!(
        grid.invitations[&key].real_name.as_deref(),
        Some("New Person 2")
    );

    let export = results_csv(&job.results());
    let back = csv::parse(&export).unwrap();
    assert_eq!(back.rows.len(), 31, "a header and every row");
    assert_eq!(
        back.rows[0],
        ["line", "email", "name", "type", "channels", "outcome", "code", "detail"]
    );
    let outcomes: Vec<&str> = back.rows[1..].iter().map(|r| r[5].as_str()).collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "invited").count(), 27);
    assert_eq!(outcomes.iter().filter(|o| **o == "not_sent").count(), 3);
}

//! `cargo run --release -p slack-sim --example bench_invites [-- --rows N --scale F --faults SPEC --seed S]`
//! (also `cargo xtask bench invites`): a 1,000-row bulk invite job, core's state machine
//! against the sim library on a virtual clock, with the sim's rate limits scaled up and
//! faults on. Prints the achieved call rate against the allowed one, outcomes, duplicates,
//! lost rows, 429s and the wall time; and how long a 1,000-row preview takes to rebuild.
//!
//! Time is compressed by the rate scale: at 50× the tier allows 1,000 calls a minute, so the
//! job paces at 60 ms, and backoff and 429 bursts are scaled alike. Retry-After is whole
//! seconds (at least 1), so each 429 burst costs a full second whatever the scale; the rate
//! is therefore shown both over the whole run and over the time Slack allowed calls.

#[path = "../tests/invite_driver/mod.rs"]
mod driver;

use driver::Driver;
use slack_admin_core::invite::job::Work;
use slack_admin_core::invite::preview::{self, Context};
use slack_admin_core::invite::{
    ChannelDirectory, Defaults, Field, Invitation, InviteRoute, Job, MemberType, Pacing, RowFields,
    Step,
};
use slack_admin_core::{ChannelId, TeamId};
use slack_sim::fixture::{ids, GRID, HQ};
use slack_sim::{Sim, SimConfig};
use std::collections::HashSet;
use std::time::Instant;

const T0: u64 = 1_780_000_000_000;
const TOKEN: &str = "xoxp-sandbox-org-admin";

struct Args {
    rows: usize,
    scale: f64,
    faults: String,
    seed: u64,
}

fn args() -> Args {
    let mut a = Args {
        rows: 1000,
        scale: 50.0,
        faults: "500=0.05,drop=0.05,malformed=0.03,burst429=0.005:60".into(),
        seed: 42,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--rows" => a.rows = value.parse().expect("--rows N"),
            "--scale" => a.scale = value.parse().expect("--scale F"),
            "--faults" => a.faults = value,
            "--seed" => a.seed = value.parse().expect("--seed S"),
            other => panic!("unknown flag {other}; flags: --rows --scale --faults --seed"),
        }
    }
    a
}

fn main() {
    let a = args();
    let route = InviteRoute::Admin {
        team_id: TeamId::new(HQ),
    };
    let tier = route.tier();
    let allowed_per_minute = f64::from(tier.per_minute()) * a.scale;
    let base = Pacing::for_tier(tier);
    let pacing = Pacing {
        backoff_base_ms: (base.backoff_base_ms as f64 / a.scale).ceil() as u64,
        backoff_max_ms: (base.backoff_max_ms as f64 / a.scale).ceil() as u64,
        ..Pacing::per_minute(allowed_per_minute)
    };
    let rows: Vec<Invitation> = (1..=a.rows)
        .map(|i| Invitation {
            real_name: Some(format!("New Person {i}")),
            member_type: match i % 10 {
                0 => MemberType::SingleChannelGuest,
                1..=2 => MemberType::MultiChannelGuest,
                _ => MemberType::FullMember,
            },
            channels: vec![ChannelId::new(ids::HQ_GENERAL)],
            ..Invitation::new(format!("new.person{i:04}@northwind.example"))
        })
        .collect();
    let emails: Vec<String> = rows.iter().map(|r| r.email.clone()).collect();
    let sim = Sim::new(SimConfig {
        rate_scale: a.scale,
        faults: a.faults.parse().expect("--faults"),
        seed: a.seed,
        ..SimConfig::default()
    });
    let mut d = Driver::new(sim, TOKEN, T0);
    let mut job = Job::new(rows, route.clone(), pacing);

    let started = Instant::now();
    let mut saves = 0usize;
    let mut saved_bytes = 0usize;
    let last = loop {
        match d.step(&mut job) {
            Step::Send { .. } => {
                // The app saves the job after every row; count what that costs.
                let json = job.to_json();
                saves += 1;
                saved_bytes = json.len();
            }
            Step::WaitUntil(_) => {}
            other => break other,
        }
    };
    let wall = started.elapsed();
    assert_eq!(last, Step::Finished);

    let duration_ms = d.now - T0;
    let progress = job.progress(d.now);
    let lost = job.rows().iter().filter(|r| r.outcome().is_none()).count();
    let doubled = emails.iter().filter(|e| d.invitations(GRID, e) > 1).count();
    // Time Slack forbade calls: from each 429 to the end of its Retry-After.
    let held_ms = d.held_ms;
    // Calls per minute: n calls span n - 1 intervals.
    let rate = |calls: u64, ms: u64| calls.saturating_sub(1) as f64 * 60_000.0 / ms.max(1) as f64;
    let achieved = rate(d.sends, duration_ms);
    // Each 429 would have been followed by a call one spacing later anyway; what Retry-After
    // added beyond that is time Slack did not allow calls.
    let held_beyond_pace = held_ms.saturating_sub(d.http_429 * pacing.spacing_ms);
    let allowed_time = duration_ms.saturating_sub(held_beyond_pace);
    let achieved_allowed = rate(d.sends, allowed_time);

    println!(
        "bench invites: {} rows, admin.users.invite ({}, rate scale {}×: {:.0} calls/min allowed, one call every {} ms)",
        a.rows,
        tier.label(),
        a.scale,
        allowed_per_minute,
        pacing.spacing_ms
    );
    println!("faults: {}   seed: {}", a.faults, a.seed);
    println!(
        "virtual duration: {:.1} s   calls: {}   rows finished per minute: {:.0}",
        duration_ms as f64 / 1000.0,
        d.sends,
        a.rows as f64 * 60_000.0 / duration_ms.max(1) as f64
    );
    println!(
        "call rate over the whole run: {:.0}/min = {:.1}% of the allowed rate",
        achieved,
        100.0 * achieved / allowed_per_minute
    );
    println!(
        "call rate while Slack allowed calls (less {:.1} s of Retry-After beyond the pace, {} × 429): {:.0}/min = {:.1}% of the allowed rate",
        held_beyond_pace as f64 / 1000.0,
        d.http_429,
        achieved_allowed,
        100.0 * achieved_allowed / allowed_per_minute
    );
    let counts: Vec<String> = <InviteRoute as Work>::KINDS
        .iter()
        .map(|&k| format!("{} {}", k.label().to_lowercase(), progress.counts.get(k)))
        .collect();
    println!("outcomes: {}", counts.join(", "));
    let confirmed = job
        .rows()
        .iter()
        .filter(|r| {
            r.note
                .as_deref()
                .is_some_and(|n| n.contains("had reached Slack"))
        })
        .count();
    println!(
        "faults met: {} HTTP 429, {} HTTP 5xx, {} dropped, {} unreadable; {} rows confirmed invited on a retry (already invited after a lost answer)",
        d.http_429, d.errors_5xx, d.drops, d.undecodable, confirmed
    );
    println!(
        "duplicates: {} addresses invited more than once, {} calls after a row's final answer",
        doubled, d.sent_after_final
    );
    println!("lost rows (no final state): {lost}");
    println!(
        "wall time: {:.0} ms ({} saves of the job, {} KB each at the end)",
        wall.as_secs_f64() * 1000.0,
        saves,
        saved_bytes / 1000
    );
    let rate_met = 100.0 * achieved_allowed / allowed_per_minute >= 95.0;
    println!(
        "aim: >= 95% of the allowed rate, 0 duplicates, 0 lost: {}",
        if rate_met && doubled == 0 && d.sent_after_final == 0 && lost == 0 {
            "met"
        } else {
            "NOT met"
        }
    );
    preview_rebuild(a.rows);
}

/// A 1,000-row preview, and one edit that re-validates every row.
fn preview_rebuild(n: usize) {
    let directory = ChannelDirectory::new(vec![
        (ChannelId::new(ids::HQ_GENERAL), "general".into(), false),
        (ChannelId::new("C07A10002"), "random".into(), false),
    ]);
    let defaults = Defaults::default();
    let members: HashSet<String> = HashSet::new();
    let route = InviteRoute::Admin {
        team_id: TeamId::new(HQ),
    };
    let ctx = Context {
        defaults: &defaults,
        directory: &directory,
        known_members: &members,
        route: &route,
        now_s: (T0 / 1000) as i64,
    };
    let fields: Vec<(usize, RowFields)> = (0..n)
        .map(|i| {
            (
                i + 2,
                RowFields {
                    email: format!("new.person{i:04}@northwind.example"),
                    name: format!("New Person {i}"),
                    member_type: if i % 3 == 0 { "guest" } else { "member" }.into(),
                    channels: "#general #random".into(),
                    ..RowFields::default()
                },
            )
        })
        .collect();
    let t = Instant::now();
    let mut rows = preview::build_rows(fields, &ctx);
    let build = t.elapsed();
    let mut edits: Vec<f64> = (0..9)
        .map(|k| {
            let t = Instant::now();
            preview::edit(
                &mut rows,
                n / 2,
                Field::Email,
                format!("new.person{k:04}@northwind.example"),
                &ctx,
            );
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    edits.sort_by(f64::total_cmp);
    println!(
        "preview of {n} rows: built in {:.2} ms; an edit re-validates every row in {:.2} ms (median of 9; aim: well under 50 ms)",
        build.as_secs_f64() * 1000.0,
        edits[4]
    );
}

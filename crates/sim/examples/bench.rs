//! `cargo run --release -p slack-sim --example bench`: start-up time at 100,000 members and
//! the time to serve a 1,000-row page of `admin.users.list` through `Sim::handle` (JSON
//! encoding included), median of several.

use slack_sim::{Reply, Request, Sim, SimConfig};
use std::time::Instant;

const MEMBERS: usize = 100_000;
const NOW_MS: u64 = 1_780_000_000_000;

fn main() {
    let started = Instant::now();
    let mut sim = Sim::new(SimConfig {
        members: MEMBERS,
        rate_scale: 1e9,
        ..SimConfig::default()
    });
    // The first request also shifts the fixture to the clock: part of start-up.
    let first = Request::form("auth.test", "xoxp-sandbox-org-admin", &[]);
    assert!(matches!(sim.handle(&first, NOW_MS), Reply::Answer { .. }));
    let startup = started.elapsed();
    println!(
        "sim start-up ({MEMBERS} members): {} ms",
        startup.as_millis()
    );

    let mut cursor = String::new();
    let mut times = Vec::new();
    for i in 0..21 {
        let mut fields = vec![("limit", "1000")];
        if !cursor.is_empty() {
            fields.push(("cursor", cursor.as_str()));
        }
        let request = Request::form("admin.users.list", "xoxp-sandbox-org-admin", &fields);
        let t = Instant::now();
        let reply = sim.handle(&request, NOW_MS + i);
        times.push(t.elapsed());
        let Reply::Answer { response, .. } = reply else {
            panic!("dropped")
        };
        let body: serde_json::Value = serde_json::from_slice(&response.body).expect("JSON");
        assert_eq!(body["users"].as_array().map(Vec::len), Some(1000));
        cursor = body["response_metadata"]["next_cursor"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "admin.users.list 1000-row page (median of {}): {:.2} ms",
        times.len(),
        median.as_secs_f64() * 1000.0
    );
    let guests = Request::form(
        "admin.users.list",
        "xoxp-sandbox-org-admin",
        &[("limit", "1000"), ("only_guests", "true")],
    );
    let t = Instant::now();
    let _ = sim.handle(&guests, NOW_MS + 100);
    println!(
        "admin.users.list 1000-row page of guests only (filtered walk): {:.2} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}

//! `cargo xtask bench members` (native part): the members view of `slack_admin_core::members`
//! over the sim's org at 100,000 members. Prints the time to turn every `admin.users.list`
//! row into a table row, and the time of one keystroke in the search (filter and sort of the
//! whole list), p50 and p95 over 50 keystrokes, with and without filters. Native release code:
//! the browser runs the same code as wasm, typically 1.5–3 times slower.

use slack_admin_core::members::{Chip, Role, Row, SearchText, SortKey, View};
use slack_sim::{api, fixture};
use std::time::{Duration, Instant};

const MEMBERS: usize = 100_000;
const AIM_P95_MS: f64 = 16.0;

fn percentile(times: &mut [Duration], p: f64) -> f64 {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[i].as_secs_f64() * 1000.0
}

/// The searches of 50 keystrokes: `word` typed and deleted, again and again.
fn typed_and_deleted(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut typed = String::new();
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < 50 {
        if typed.chars().count() < chars.len() && i % (2 * chars.len()) < chars.len() {
            typed.push(chars[typed.chars().count()]);
        } else {
            typed.pop();
        }
        i += 1;
        out.push(typed.clone());
    }
    out
}

/// The searches of the browser bench's 50 keystrokes (`e2e/bench/members.mjs`): names typed,
/// corrected and cleared, five of them starting from an empty search.
fn the_pages_keys() -> Vec<String> {
    let keys = "ana<<<lars<<ura<<<<<martins<<<<<<<w0a1c<<<<<zhang<<<";
    let mut typed = String::new();
    keys.chars()
        .map(|k| {
            if k == '<' {
                typed.pop();
            } else {
                typed.push(k);
            }
            typed.clone()
        })
        .collect()
}

/// Keystrokes over a list sorted once, as the page does (the sort is kept per column).
fn keystrokes(
    rows: &[Row],
    sorted: &[usize],
    text: &SearchText,
    base: &View,
    searches: &[String],
    now: i64,
) -> Vec<Duration> {
    let mut times = Vec::new();
    let mut last: Option<(View, Vec<usize>)> = None;
    for search in searches {
        let view = View {
            search: search.clone(),
            ..base.clone()
        };
        let t = Instant::now();
        // As the page does: typing forward filters the previous result.
        let shown = match &last {
            Some((before, result)) if view.narrows(before) => {
                view.filter_indexed(rows, result, text, now)
            }
            _ => view.filter_indexed(rows, sorted, text, now),
        };
        times.push(t.elapsed());
        last = Some((view, shown));
    }
    times
}

fn main() {
    let state = fixture::build(42, MEMBERS);
    let users: Vec<_> = state.tenants[fixture::GRID].users.values().collect();
    let t = Instant::now();
    let rows: Vec<Row> = users
        .iter()
        .map(|u| Row::from(&api::admin_user(u, true)))
        .collect();
    println!(
        "{} members turned into rows in {} ms",
        rows.len(),
        t.elapsed().as_millis()
    );
    let now = fixture::FIXTURE_NOW;
    let t = Instant::now();
    let text = SearchText::new(&rows);
    println!(
        "their search text in one buffer ({:.1} MB) in {} ms",
        text.bytes() as f64 / 1e6,
        t.elapsed().as_millis()
    );
    let mut filtered = View::default();
    filtered.toggle(Chip::Role(Role::Member), true);
    filtered.toggle(Chip::No2fa, false);
    let sorted = View {
        sort: SortKey::Email,
        descending: true,
        ..View::default()
    };
    let word = typed_and_deleted("ahmed.n");
    let page = the_pages_keys();
    for (what, base, searches) in [
        ("search alone", View::default(), &word),
        ("search + not member + 2FA off", filtered, &word),
        ("search, sorted by email descending", sorted, &word),
        ("the browser bench's keys", View::default(), &page),
    ] {
        let t = Instant::now();
        let sorted = base.sort_order(&rows);
        let sort_ms = t.elapsed().as_secs_f64() * 1000.0;
        let mut times = keystrokes(&rows, &sorted, &text, &base, searches, now);
        let p50 = percentile(&mut times, 0.5);
        let p95 = percentile(&mut times, 0.95);
        let max = percentile(&mut times, 1.0);
        println!(
            "{what}: sorting once {sort_ms:.1} ms; a keystroke (filter in order), 50 keystrokes: \
             p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms (aim for the painted table: p95 under {AIM_P95_MS} ms; \
             {} before drawing)",
            if p95 < AIM_P95_MS { "met" } else { "NOT met" }
        );
    }
}

//! Helpers shared by the sim's tests.
#![allow(dead_code)]

use serde_json::Value;
use slack_sim::{Reply, Request, Sim, SimConfig};

/// A moment after the fixture date, in ms.
pub const T0: u64 = 1_780_000_000_000;
pub const ADMIN: &str = "xoxp-sandbox-org-admin";
pub const OWNER: &str = "xoxp-sandbox-org-owner";
pub const MEMBER: &str = "xoxp-sandbox-member";
pub const LEGACY: &str = "xoxp-sandbox-legacy";
pub const LEGACY_SSO: &str = "xoxp-sandbox-legacy-sso";
pub const BOT: &str = "xoxb-sandbox-bot";

/// A sim without rate limits to speak of.
pub fn sim() -> Sim {
    Sim::new(SimConfig {
        rate_scale: 1e9,
        ..SimConfig::default()
    })
}

pub fn answer(sim: &mut Sim, request: &Request, now: u64) -> slack_admin_core::HttpResponse {
    match sim.handle(request, now) {
        Reply::Answer { response, .. } => response,
        Reply::Drop => panic!("dropped"),
    }
}

/// Calls a method with a form POST and returns the JSON body (HTTP 200 expected).
pub fn call(sim: &mut Sim, method: &str, token: &str, fields: &[(&str, &str)]) -> Value {
    call_at(sim, method, token, fields, T0)
}

pub fn call_at(
    sim: &mut Sim,
    method: &str,
    token: &str,
    fields: &[(&str, &str)],
    now: u64,
) -> Value {
    let r = answer(sim, &Request::form(method, token, fields), now);
    assert_eq!(
        r.status,
        200,
        "{method}: {}",
        String::from_utf8_lossy(&r.body)
    );
    serde_json::from_slice(&r.body).expect("JSON body")
}

/// The error code of a refused call (panics on success).
pub fn error(v: &Value) -> &str {
    assert_eq!(v["ok"], false, "expected a refusal, got {v}");
    v["error"].as_str().expect("error code")
}

pub fn assert_ok(v: &Value) {
    assert_eq!(v["ok"], true, "expected ok, got {v}");
}

/// Walks every page of a list method; returns all items of `field`.
pub fn walk(
    sim: &mut Sim,
    method: &str,
    token: &str,
    field: &str,
    fields: &[(&str, &str)],
    limit: u32,
) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    let limit = limit.to_string();
    for _ in 0..100_000 {
        let mut f: Vec<(&str, &str)> = fields.to_vec();
        f.push(("limit", &limit));
        if !cursor.is_empty() {
            f.push(("cursor", &cursor));
        }
        let v = call(sim, method, token, &f);
        assert_ok(&v);
        items.extend(v[field].as_array().expect("list").iter().cloned());
        cursor = v["response_metadata"]["next_cursor"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        if cursor.is_empty() {
            return items;
        }
    }
    panic!("pagination never ended");
}

//! Tokens, scopes, request encodings, headers, CORS, rate limits and faults.

mod common;
use common::*;
use slack_admin_core::methods::admin_users::AdminUsersList;
use slack_admin_core::methods::auth::AuthTest;
use slack_sim::fixture::{HQ, OPS};
use slack_sim::{cors, Reply, Request, Sim, SimConfig};

fn get(path: &str, headers: &[(&str, &str)]) -> Request {
    Request {
        method: "GET".into(),
        path: path.into(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: Vec::new(),
    }
}

fn body(r: &slack_admin_core::HttpResponse) -> serde_json::Value {
    serde_json::from_slice(&r.body).unwrap()
}

#[test]
fn no_token_unknown_token_unknown_method() {
    let mut s = sim();
    let r = answer(&mut s, &get("/api/auth.test", &[]), T0);
    assert_eq!(r.status, 200);
    assert_eq!(body(&r)["error"], "not_authed");
    assert_eq!(
        error(&call(&mut s, "auth.test", "xoxp-nope", &[])),
        "invalid_auth"
    );
    assert_eq!(
        error(&call(&mut s, "chat.postMessage", ADMIN, &[])),
        "unknown_method"
    );
    assert_eq!(error(&call(&mut s, "users.list", "", &[])), "not_authed");
}

#[test]
fn every_token_answers_auth_test_and_core_decodes_it() {
    let mut s = sim();
    for (token, _) in Sim::tokens() {
        let r = answer(&mut s, &Request::form("auth.test", token, &[]), T0);
        let who = slack_admin_core::decode::<AuthTest>(&r).expect(token);
        assert!(!who.user_id.as_str().is_empty());
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert!(r.header("x-oauth-scopes").is_some(), "{token}");
    }
    let v = call(&mut s, "auth.test", BOT, &[]);
    assert!(v["bot_id"].is_string());
    let v = call(&mut s, "auth.test", LEGACY, &[]);
    assert!(v.get("enterprise_id").is_none());
}

#[test]
fn scopes_token_types_and_plans() {
    let mut s = sim();
    let v = call(&mut s, "admin.users.list", MEMBER, &[]);
    assert_eq!(error(&v), "missing_scope");
    assert_eq!(v["needed"], "admin.users:read");
    assert_eq!(
        v["provided"],
        "users:read,channels:read,groups:read,team:read"
    );
    assert_eq!(
        error(&call(&mut s, "admin.users.list", BOT, &[])),
        "not_allowed_token_type"
    );
    assert_eq!(
        error(&call(&mut s, "admin.users.invite", BOT, &[])),
        "not_allowed_token_type"
    );
    assert_eq!(
        error(&call(&mut s, "admin.users.list", LEGACY, &[])),
        "feature_not_enabled"
    );
    assert_eq!(
        error(&call(&mut s, "admin.inviteRequests.list", LEGACY_SSO, &[])),
        "feature_not_enabled"
    );
    let v = call(&mut s, "users.admin.invite", ADMIN, &[("email", "a@b.co")]);
    assert_eq!(error(&v), "missing_scope");
    assert_eq!(v["needed"], "client");
    assert_eq!(
        error(&call(
            &mut s,
            "users.admin.invite",
            BOT,
            &[("email", "a@b.co")]
        )),
        "not_allowed_token_type"
    );
    // Legacy tokens read what `client` covers.
    assert_ok(&call(&mut s, "users.list", LEGACY, &[]));
    assert_ok(&call(&mut s, "team.info", LEGACY_SSO, &[]));
}

#[test]
fn the_token_goes_in_the_body_or_a_bearer_header_and_in_the_query_only_when_legacy() {
    let mut s = sim();
    let bearer = get(
        "/api/admin.users.list?limit=3",
        &[("Authorization", "Bearer xoxp-sandbox-org-admin")],
    );
    let r = answer(&mut s, &bearer, T0);
    let page = slack_admin_core::decode::<AdminUsersList>(&r).unwrap();
    assert_eq!(page.users.len(), 3);
    // Regression: modern tokens in a query string are refused (apps created after
    // 2021-02-24); a legacy token still works there.
    let query = get("/api/auth.test?token=xoxp-sandbox-member", &[]);
    assert_eq!(body(&answer(&mut s, &query, T0))["error"], "not_authed");
    let legacy = get("/api/auth.test?token=xoxp-sandbox-legacy", &[]);
    assert_eq!(body(&answer(&mut s, &legacy, T0))["ok"], true);
    let json = Request {
        method: "POST".into(),
        path: "/api/admin.users.list".into(),
        headers: vec![
            (
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            ),
            (
                "Authorization".into(),
                "Bearer xoxp-sandbox-org-admin".into(),
            ),
        ],
        body: br#"{"limit": 2, "only_guests": true}"#.to_vec(),
    };
    let v = body(&answer(&mut s, &json, T0));
    assert_eq!(v["users"].as_array().unwrap().len(), 2);
    assert!(v["users"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["is_restricted"] == true || u["is_ultra_restricted"] == true));
    // A JSON body's token is not read: Slack wants the header.
    let json_token = Request {
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: br#"{"token": "xoxp-sandbox-org-admin"}"#.to_vec(),
        ..json
    };
    assert_eq!(
        body(&answer(&mut s, &json_token, T0))["error"],
        "not_authed"
    );
}

#[test]
fn refusals_are_http_200_with_the_scopes_header() {
    let mut s = sim();
    let r = answer(
        &mut s,
        &Request::form(
            "admin.users.setOwner",
            ADMIN,
            &[("team_id", "T07NW4HQ1"), ("user_id", "W0A1C0003")],
        ),
        T0,
    );
    assert_eq!(r.status, 200);
    assert_eq!(body(&r)["error"], "not_an_owner");
    assert!(r
        .header("x-oauth-scopes")
        .unwrap()
        .contains("admin.users:write"));
    assert_eq!(
        r.header("x-accepted-oauth-scopes"),
        Some("admin.users:write")
    );
}

#[test]
fn bad_arguments_are_invalid_arguments() {
    let mut s = sim();
    let v = call(
        &mut s,
        "admin.users.setExpiration",
        ADMIN,
        &[("user_id", "W0A1C000A"), ("expiration_ts", "soon")],
    );
    assert_eq!(error(&v), "invalid_arguments");
    assert!(v["response_metadata"]["messages"][0]
        .as_str()
        .unwrap()
        .starts_with("[ERROR]"));
}

#[test]
fn cors_allows_simple_requests_but_not_the_authorization_header() {
    let mut s = sim();
    let r = answer(&mut s, &Request::form("auth.test", ADMIN, &[]), T0);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let preflight = Request {
        method: "OPTIONS".into(),
        path: "/api/auth.test".into(),
        headers: vec![
            ("Origin".into(), "https://console.example".into()),
            ("Access-Control-Request-Method".into(), "POST".into()),
            (
                "Access-Control-Request-Headers".into(),
                "authorization".into(),
            ),
        ],
        body: Vec::new(),
    };
    let r = answer(&mut s, &preflight, T0);
    assert!(r.status < 300);
    assert!(!cors::preflight_allows_header(&r, "authorization"));
    assert!(!cors::preflight_allows_header(&r, "content-type"));
    // Rate-limit and error answers carry it too, so the page can read them.
    let mut limited = Sim::new(SimConfig {
        rate_scale: 0.01,
        ..SimConfig::default()
    });
    call(&mut limited, "admin.users.invite", ADMIN, &[]);
    let r = answer(
        &mut limited,
        &Request::form("admin.users.invite", ADMIN, &[]),
        T0,
    );
    assert_eq!(r.status, 429);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn rate_limits_by_tier_per_method_per_workspace_per_app() {
    let mut s = Sim::new(SimConfig::default());
    // admin.teams.list is Tier 3: 50 a minute.
    for _ in 0..50 {
        assert_ok(&call(&mut s, "admin.teams.list", ADMIN, &[]));
    }
    let r = answer(&mut s, &Request::form("admin.teams.list", ADMIN, &[]), T0);
    assert_eq!(r.status, 429);
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(retry >= 1);
    assert_eq!(
        body(&r),
        serde_json::json!({"ok": false, "error": "ratelimited"})
    );
    assert!(
        matches!(slack_admin_core::decode::<AuthTest>(&r), Err(slack_admin_core::SlackError::RateLimited { retry_after }) if retry_after == retry)
    );
    // Regression: limits were per token. Another token of the same app in the same
    // workspace shares the allowance...
    assert_eq!(
        answer(&mut s, &Request::form("admin.teams.list", OWNER, &[]), T0).status,
        429
    );
    // ...another method has its own, far larger for auth.test ("hundreds a minute")...
    for _ in 0..200 {
        assert_ok(&call(&mut s, "auth.test", ADMIN, &[]));
    }
    // ...and so has another workspace of the org.
    for _ in 0..20 {
        assert_ok(&call(
            &mut s,
            "conversations.list",
            ADMIN,
            &[("team_id", HQ)],
        ));
    }
    assert_eq!(
        answer(
            &mut s,
            &Request::form("conversations.list", ADMIN, &[("team_id", HQ)]),
            T0
        )
        .status,
        429
    );
    assert_ok(&call(
        &mut s,
        "conversations.list",
        ADMIN,
        &[("team_id", OPS)],
    ));
    // After Retry-After, it works again.
    let later = T0 + retry * 1000;
    let r = answer(
        &mut s,
        &Request::form("admin.teams.list", ADMIN, &[]),
        later,
    );
    assert_eq!(r.status, 200);
    // Tier 4 allows 100.
    for _ in 0..100 {
        assert_ok(&call(&mut s, "admin.users.list", ADMIN, &[("limit", "1")]));
    }
    assert_eq!(
        answer(&mut s, &Request::form("admin.users.list", ADMIN, &[]), T0).status,
        429
    );
}

#[test]
fn rate_scale_multiplies_allowances() {
    let mut s = Sim::new(SimConfig {
        rate_scale: 2.0,
        ..SimConfig::default()
    });
    for _ in 0..100 {
        assert_ok(&call(&mut s, "admin.teams.list", ADMIN, &[]));
    }
    assert_eq!(
        answer(&mut s, &Request::form("admin.teams.list", ADMIN, &[]), T0).status,
        429
    );
}

fn run_with_faults(seed: u64) -> Vec<String> {
    let mut s = Sim::new(SimConfig {
        rate_scale: 1e9,
        faults: "500=0.1,drop=0.1,slow=0.2:1500,malformed=0.1,burst429=0.02"
            .parse()
            .unwrap(),
        seed,
        ..SimConfig::default()
    });
    (0..400)
        .map(
            |i| match s.handle(&Request::form("auth.test", ADMIN, &[]), T0 + i * 700) {
                Reply::Drop => "drop".to_owned(),
                Reply::Answer { response, delay_ms } => {
                    let ok = serde_json::from_slice::<serde_json::Value>(&response.body).is_ok();
                    format!("{}:{delay_ms}:{ok}", response.status)
                }
            },
        )
        .collect()
}

#[test]
fn faults_are_injected_at_their_rates_and_repeat_with_the_seed() {
    let a = run_with_faults(1);
    assert_eq!(a, run_with_faults(1));
    assert_ne!(a, run_with_faults(2));
    let n = |p: &dyn Fn(&String) -> bool| a.iter().filter(|x| p(x)).count();
    assert!(n(&|x| x.starts_with("500")) > 10);
    assert!(n(&|x| x == "drop") > 10);
    assert!(n(&|x| x.starts_with("429")) > 0);
    assert!(n(&|x| x.contains(":1500:")) > 30);
    assert!(
        n(&|x| x.starts_with("200") && x.ends_with("false")) > 10,
        "malformed bodies"
    );
    assert!(n(&|x| x.starts_with("200:0:true")) > 100);
}

#[test]
fn sim_endpoints_are_never_faulted_and_unknown_paths_are_404() {
    let mut s = Sim::new(SimConfig {
        faults: "500=1".parse().unwrap(),
        ..SimConfig::default()
    });
    assert_eq!(
        answer(&mut s, &Request::form("auth.test", ADMIN, &[]), T0).status,
        500
    );
    let r = answer(
        &mut s,
        &get("/sim/accept?email=noah.williams%40northwind.example", &[]),
        T0,
    );
    assert_eq!(body(&r)["ok"], true);
    assert_eq!(answer(&mut s, &get("/nope", &[]), T0).status, 404);
}

#[test]
fn a_revoked_token_is_answered_token_revoked_until_restored() {
    let mut s = sim();
    let sim_call = |s: &mut slack_sim::Sim, fields: &[(&str, &str)]| {
        let mut r = Request::form("x", ADMIN, fields);
        r.path = "/sim/revoke".into();
        answer(s, &r, T0)
    };
    assert_ok(&call(&mut s, "auth.test", ADMIN, &[]));
    sim_call(&mut s, &[]);
    assert_eq!(
        error(&call(&mut s, "auth.test", ADMIN, &[])),
        "token_revoked"
    );
    // Other tokens are untouched.
    assert_ok(&call(&mut s, "auth.test", OWNER, &[]));
    sim_call(&mut s, &[("restore", "1")]);
    assert_ok(&call(&mut s, "auth.test", ADMIN, &[]));
}

#[test]
fn every_method_core_knows_is_served_by_the_sim() {
    // Adding a method to core without teaching the sim fails here.
    let mut s = sim();
    for m in slack_admin_core::methods::all() {
        let v = call(&mut s, m.name, ADMIN, &[]);
        assert_ne!(v["error"], "unknown_method", "{} is not served", m.name);
    }
}

#[test]
fn the_sims_tokens_are_cores_sandbox_tokens() {
    assert_eq!(Sim::tokens(), slack_admin_core::sandbox::TOKENS);
    for (token, _) in slack_admin_core::sandbox::TOKENS {
        assert!(slack_sim::auth::find(token).is_some(), "{token}");
    }
}

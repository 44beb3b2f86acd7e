//! The proxy's routes, called as a browser or an SDK would (`oneshot` on the router): the full
//! stack against a `slack-sim` server, and a negative suite against an upstream that counts
//! what reaches it (nothing may).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use slack_admin_proxy::app::{self, Config};
use slack_admin_proxy::store::Store;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

mod common;

const SIM_TOKEN: &str = "xoxp-sandbox-org-admin";

/// A slack-sim server on a free port; returns its API base URL.
async fn sim() -> String {
    format!("{}/api/", common::sim().await)
}

/// An upstream that counts the calls that reach it and answers `{"ok": true}`.
async fn counting() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let h = h.clone();
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            (
                [(header::CONTENT_TYPE, "application/json")],
                serde_json::json!({"ok": true}).to_string(),
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/api/"), hits)
}

use common::Proxy;

fn proxy(upstream: &str, configure: impl FnOnce(&mut Config)) -> Proxy {
    common::proxy("api", upstream, configure)
}

fn form(method: &str, auth: Option<&str>, body: &str) -> Request<Body> {
    let mut r = Request::post(format!("/api/{method}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(k) = auth {
        r = r.header(header::AUTHORIZATION, format!("Bearer {k}"));
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

async fn send(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, headers, json)
}

#[tokio::test]
async fn a_key_calls_slack_as_the_token_would_and_writes_are_audited() {
    let p = proxy(&sim().await, |_| {});
    // auth.test answers as the server's token, with the key in the header...
    let (status, headers, json) = send(&p.app, form("auth.test", Some(&p.admin), "")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["ok"], true, "{json}");
    assert!(json["user_id"].is_string());
    assert_eq!(headers["x-slack-admin-proxy"], "read-write");
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    // ...or in the `token` field, as the SDKs send it.
    let body = format!("token={}&limit=5", p.admin);
    let (_, _, json) = send(&p.app, form("admin.users.list", None, &body)).await;
    assert_eq!(json["ok"], true, "{json}");
    assert_eq!(json["users"].as_array().unwrap().len(), 5);
    // A read-only key lists, and a write goes through with a read-write key, audited.
    let (_, headers, json) = send(&p.app, form("admin.teams.list", Some(&p.reader), "")).await;
    assert_eq!(json["ok"], true, "{json}");
    assert_eq!(headers["x-slack-admin-proxy"], "read-only");
    // The connect page finds the proxy beside the console.
    let about = Request::get("/proxy.json").body(Body::empty()).unwrap();
    let (_, _, json) = send(&p.app, about).await;
    assert_eq!(json["proxy"], "slack-admin-proxy");
    let body = "team_id=T07NW4HQ1&email=proxy.invite%40example.com&channel_ids=C07A10001";
    let (_, _, json) = send(&p.app, form("admin.users.invite", Some(&p.admin), body)).await;
    assert_eq!(json["ok"], true, "{json}");
    let (_, _, json) = send(&p.app, form("admin.users.invite", Some(&p.admin), body)).await;
    assert_eq!(json["ok"], false);
}

#[tokio::test]
async fn every_refusal_is_slack_shaped_and_nothing_reaches_slack() {
    let (upstream, hits) = counting().await;
    let p = proxy(&upstream, |c| c.max_body = 4096);
    let mut cases: Vec<(&str, Request<Body>, &str)> = vec![
        ("no key", form("auth.test", None, ""), "not_authed"),
        (
            "a wrong key",
            form("auth.test", Some("sak_nope"), ""),
            "invalid_auth",
        ),
        (
            "a revoked key",
            form("auth.test", Some(&p.revoked), ""),
            "invalid_auth",
        ),
        (
            "a read-only key writing",
            form(
                "admin.users.setAdmin",
                Some(&p.reader),
                "user_id=W1&team_id=T1",
            ),
            "no_permission",
        ),
        (
            "a method the console does not use",
            form("chat.postMessage", Some(&p.admin), "channel=C1&text=hi"),
            "unknown_method",
        ),
        (
            "an oversized body",
            form(
                "auth.test",
                Some(&p.admin),
                &format!("x={}", "a".repeat(10_000)),
            ),
            "request_too_large",
        ),
        (
            "not a form",
            Request::post("/api/auth.test")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {}", p.admin))
                .body(Body::from("{\"a\":1}"))
                .unwrap(),
            "invalid_form_data",
        ),
        (
            "a path around the method",
            form("..%2Fauth.test", Some(&p.admin), ""),
            "unknown_method",
        ),
        (
            "a nested path",
            form("admin.users.list/../../scim", Some(&p.admin), ""),
            "unknown_method",
        ),
    ];
    cases.push((
        "no method at all",
        form("", Some(&p.admin), ""),
        "unknown_method",
    ));
    for (what, request, code) in cases {
        let (_, _, json) = send(&p.app, request).await;
        assert_eq!(json["ok"], false, "{what}: {json}");
        assert_eq!(json["error"], code, "{what}: {json}");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a refused call reached Slack"
    );
    // The same key that was refused above works for what it may do, whatever the case of
    // "Bearer"; a read-only key may look someone up by email (users:read.email is a read).
    let mut r = form("users.lookupByEmail", None, "email=a%40b.c");
    r.headers_mut().insert(
        header::AUTHORIZATION,
        format!("bearer {}", p.reader).parse().unwrap(),
    );
    let (_, _, json) = send(&p.app, r).await;
    assert_eq!(json["ok"], true, "{json}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn cors_only_for_the_origins_given() {
    let (upstream, hits) = counting().await;
    let p = proxy(&upstream, |c| {
        c.allow_origins = vec!["https://console.example".into()]
    });
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/api/auth.test")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .body(Body::empty())
            .unwrap()
    };
    let (status, headers, _) = send(&p.app, preflight("https://console.example")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://console.example"
    );
    let (status, headers, _) = send(&p.app, preflight("https://evil.example")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    // A "simple" POST from another site's page is refused, and nothing reaches Slack.
    let mut call = form("auth.test", Some(&p.admin), "");
    call.headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    let (status, headers, json) = send(&p.app, call).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(json["error"], "origin_not_allowed");
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    // The allowed origin, and a page of the proxy's own address, go through.
    let mut call = form("auth.test", Some(&p.admin), "");
    call.headers_mut()
        .insert(header::ORIGIN, "https://console.example".parse().unwrap());
    let (_, headers, json) = send(&p.app, call).await;
    assert_eq!(json["ok"], true);
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://console.example"
    );
    let mut call = form("auth.test", Some(&p.admin), "");
    call.headers_mut()
        .insert(header::ORIGIN, "http://proxy.local:8787".parse().unwrap());
    call.headers_mut()
        .insert(header::HOST, "proxy.local:8787".parse().unwrap());
    let (_, _, json) = send(&p.app, call).await;
    assert_eq!(json["ok"], true);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_audit_log_shows_tampering() {
    let (upstream, _) = counting().await;
    let store = Store::in_memory().unwrap();
    let key = store.add_key("ana", false, 0).unwrap();
    assert!(store
        .add_key("ana", true, 0)
        .unwrap_err()
        .contains("exists already"));
    let mut config = Config::new(&upstream, SIM_TOKEN);
    config.rate_scale = 1e6;
    let state = app::state(config, store);
    let app = app::router(state.clone());
    for user in ["W1", "W2", "W3"] {
        let body = format!("user_id={user}&team_id=T1");
        let (_, _, json) = send(&app, form("admin.users.setAdmin", Some(&key), &body)).await;
        assert_eq!(json["ok"], true);
    }
    // Reads are not audited; each write twice: before it is sent, and with Slack's answer.
    send(&app, form("admin.users.list", Some(&key), "")).await;
    let store = state.store.lock().unwrap();
    let entries = store.audit_entries().unwrap();
    assert_eq!(entries.len(), 6);
    assert_eq!(entries[0].key, "ana");
    assert_eq!(entries[0].method, "admin.users.setAdmin");
    assert!(entries[0].target.contains("W1"));
    assert!(!entries[0].target.contains(SIM_TOKEN) && !entries[0].target.contains(&key));
    assert_eq!(entries[0].outcome, "sent");
    assert_eq!(entries[1].outcome, "ok");
    assert_eq!(entries[1].target, entries[0].target);
    assert_eq!(store.verify_audit().unwrap(), 6);
    store
        .execute_raw("UPDATE audit SET target = 'x' WHERE id = 2")
        .unwrap();
    assert!(store
        .verify_audit()
        .unwrap_err()
        .contains("entry 2 was changed"));
    store
        .execute_raw(
            "UPDATE audit SET target = '[[\"user_id\",\"W1\"],[\"team_id\",\"T1\"]]' WHERE id = 2",
        )
        .unwrap();
    store
        .execute_raw("UPDATE audit SET outcome = 'sent' WHERE id = 2")
        .unwrap();
    assert!(store.verify_audit().is_err());
    store
        .execute_raw("UPDATE audit SET outcome = 'ok' WHERE id = 2")
        .unwrap();
    assert_eq!(store.verify_audit().unwrap(), 6);
    store.execute_raw("DELETE FROM audit WHERE id = 2").unwrap();
    assert!(store
        .verify_audit()
        .unwrap_err()
        .contains("entry 3 does not follow"));
}

#[tokio::test]
async fn the_console_is_served_marked_as_this_proxys_with_its_routes_falling_back_to_it() {
    let (upstream, _) = counting().await;
    let dir = std::env::temp_dir().join(format!("proxy-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<html><head><title>c</title></head></html>",
    )
    .unwrap();
    std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
    let p = proxy(&upstream, |c| c.static_dir = Some(dir.clone()));
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    for path in ["/", "/members?q=ana", "/index.html", "/requests"] {
        let response = p.app.clone().oneshot(get(path)).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff"
        );
        let html = response.into_body().collect().await.unwrap().to_bytes();
        let html = String::from_utf8_lossy(&html);
        assert!(
            html.contains(r#"<meta name="slack-admin-proxy""#),
            "{path}: {html}"
        );
    }
    let response = p.app.clone().oneshot(get("/app.js")).await.unwrap();
    let js = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&js[..], b"console.log(1)");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn slacks_events_are_verified_answered_and_recorded_once() {
    let (upstream, hits) = counting().await;
    let secret = "8f742231b10e8888abcd99yyyzzz85a5";
    let store = Store::in_memory().unwrap();
    let mut config = Config::new(&upstream, SIM_TOKEN);
    config.signing_secret = Some(secret.into());
    let state = app::state(config, store);
    let app = app::router(state.clone());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let event = |body: &str, ts: i64, sig: Option<&str>, retry: Option<&str>| {
        let signature = sig
            .map(str::to_owned)
            .unwrap_or_else(|| slack_admin_proxy::events::sign(secret, ts, body.as_bytes()));
        let mut r = Request::post("/slack/events")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-slack-request-timestamp", ts.to_string())
            .header("x-slack-signature", signature);
        if let Some(n) = retry {
            r = r.header("x-slack-retry-num", n);
        }
        r.body(Body::from(body.to_owned())).unwrap()
    };
    let status_of = |r: Request<Body>| {
        let app = app.clone();
        async move { app.oneshot(r).await.unwrap().status() }
    };
    // The URL check Slack makes when the app's events are set up.
    let challenge = r#"{"type":"url_verification","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","token":"x"}"#;
    let (status, _, json) = send(&app, event(challenge, now, None, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json["challenge"],
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    );
    // An invite request, delivered, then retried: recorded once.
    let requested = r#"{"type":"event_callback","event_id":"Ev0123","event":{"type":"invite_requested","invite_request":{"id":"Ir1","email":"new@example.com","date_created":1,"requester_ids":["U1"],"channel_ids":[],"invite_type":"full_member","real_name":null,"date_expire":null,"request_reason":null,"team":{"id":"T1","name":"HQ","domain":"hq"}}}}"#;
    assert_eq!(
        status_of(event(requested, now, None, None)).await,
        StatusCode::OK
    );
    assert_eq!(
        status_of(event(requested, now, None, Some("1"))).await,
        StatusCode::OK
    );
    // Refused: a bad signature, a stale timestamp, a replay of an old signed request.
    let bad = "v0=0000000000000000000000000000000000000000000000000000000000000000";
    assert_eq!(
        status_of(event(requested, now, Some(bad), None)).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status_of(event(requested, now - 301, None, None)).await,
        StatusCode::UNAUTHORIZED
    );
    let huge = format!(
        r#"{{"type":"event_callback","event_id":"Ev9","pad":"{}"}}"#,
        "a".repeat(100_000)
    );
    assert_eq!(
        status_of(event(&huge, now, None, None)).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let events = state.store.lock().unwrap().events().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "Ev0123");
    assert_eq!(events[0].1, "invite_requested");
    assert!(events[0].2.contains("new@example.com"));
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    // Without a signing secret, events are off.
    let p = proxy(&upstream, |_| {});
    let (status, _, _) = send(&p.app, event(requested, now, None, None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

//! `GET /proxy/audit`, called as the console calls it (`oneshot` on the router): writes made
//! through the proxy to a `slack-sim` server come back one per write, newest first, paired
//! with their outcome, filtered and paged; any valid key reads it, nothing else does; a log
//! edited outside the proxy is said to be, at the entry where it breaks.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use slack_admin_proxy::app::Config;
use tower::ServiceExt;

mod common;

const SIM_TOKEN: &str = "xoxp-sandbox-org-admin";

async fn sim() -> String {
    format!("{}/api/", common::sim().await)
}

/// An address where nothing answers.
fn nowhere() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/api/")
}

use common::Proxy;

fn proxy(upstream: &str, configure: impl FnOnce(&mut Config)) -> Proxy {
    common::proxy("audit", upstream, configure)
}

fn form(method: &str, key: &str, body: &str) -> Request<Body> {
    Request::post(format!("/api/{method}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn audit(query: &str, key: Option<&str>) -> Request<Body> {
    let mut r = Request::get(format!("/proxy/audit{query}"));
    if let Some(k) = key {
        r = r.header(header::AUTHORIZATION, format!("Bearer {k}"));
    }
    r.body(Body::empty()).unwrap()
}

async fn send(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn json(app: &axum::Router, request: Request<Body>) -> serde_json::Value {
    let (_, _, body) = send(app, request).await;
    serde_json::from_str(&body).unwrap_or(serde_json::Value::Null)
}

fn seqs(page: &serde_json::Value) -> Vec<i64> {
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn every_write_comes_back_once_with_its_outcome_newest_first_and_paged() {
    let p = proxy(&sim().await, |_| {});
    let invite = "team_id=T07NW4HQ1&email=audit.invite%40example.com&channel_ids=C07A10001&is_restricted=true";
    // Done, then refused (invited already), then a role change for nobody, and a read.
    for (method, body) in [
        ("admin.users.invite", invite),
        ("admin.users.invite", invite),
        ("admin.users.setAdmin", "user_id=W0NOBODY&team_id=T07NW4HQ1"),
        ("admin.users.list", "limit=1"),
    ] {
        send(&p.app, form(method, &p.admin, body)).await;
    }
    // A read-only key reads the log; the answer is not for caches.
    let (status, headers, body) = send(&p.app, audit("", Some(&p.reader))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["ok"], true, "{page}");
    assert_eq!(page["chain_ok"], true);
    assert_eq!(
        page["chain_entries"], 6,
        "two entries per write, none for the read"
    );
    assert_eq!(page["total"], 3);
    assert_eq!(page["next_cursor"], "");
    assert_eq!(page["key_names"], serde_json::json!(["ana"]));
    assert_eq!(seqs(&page), vec![5, 3, 1]);
    let role = &page["entries"][0];
    assert_eq!(role["key_name"], "ana");
    assert_eq!(role["method"], "admin.users.setAdmin");
    assert_eq!(role["target"]["user_id"], "W0NOBODY");
    assert_eq!(role["target"]["team_id"], "T07NW4HQ1");
    assert!(
        role["outcome"].as_str().is_some_and(|o| o != "ok"),
        "{role}"
    );
    assert_eq!(role["outcome_seq"], 6);
    let again = &page["entries"][1];
    assert_eq!(again["outcome"], "already_in_team_invited_user", "{again}");
    let first = &page["entries"][2];
    assert_eq!(first["outcome"], "ok");
    assert_eq!(first["target"]["email"], "audit.invite@example.com");
    assert_eq!(first["target"]["team_id"], "T07NW4HQ1");
    assert!(first["fields"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!(["is_restricted", "true"])));
    assert!(first["at"].as_i64().unwrap() > 1_700_000_000);
    // Neither the token nor any key is anywhere in it.
    for secret in [SIM_TOKEN, &p.admin, &p.reader, &p.revoked] {
        assert!(!body.contains(secret), "a secret in the answer: {body}");
    }
    // Pages of two: the cursor goes on where the page before stopped.
    let page = json(&p.app, audit("?limit=2", Some(&p.admin))).await;
    assert_eq!(seqs(&page), vec![5, 3]);
    assert_eq!(page["next_cursor"], "3");
    let page = json(&p.app, audit("?limit=2&cursor=3", Some(&p.admin))).await;
    assert_eq!(seqs(&page), vec![1]);
    assert_eq!(page["next_cursor"], "");
    // Filters: outcome, kind, words, key, time.
    let page = json(&p.app, audit("?outcome=refused", Some(&p.admin))).await;
    assert_eq!(seqs(&page), vec![5, 3]);
    assert_eq!(page["total"], 2);
    let page = json(&p.app, audit("?outcome=ok&kind=invites", Some(&p.admin))).await;
    assert_eq!(seqs(&page), vec![1]);
    let page = json(&p.app, audit("?q=AUDIT.INVITE", Some(&p.admin))).await;
    assert_eq!(seqs(&page), vec![3, 1]);
    let page = json(&p.app, audit("?q=Made+admin", Some(&p.admin))).await;
    assert_eq!(seqs(&page), vec![5]);
    let page = json(&p.app, audit("?q=Bo&users=W0NOBODY", Some(&p.admin))).await;
    assert_eq!(seqs(&page), vec![5]);
    let page = json(&p.app, audit("?key=reader", Some(&p.admin))).await;
    assert_eq!(seqs(&page), Vec::<i64>::new());
    assert_eq!(page["total"], 0);
    let page = json(&p.app, audit("?until=1000", Some(&p.admin))).await;
    assert_eq!(seqs(&page), Vec::<i64>::new());
    let page = json(&p.app, audit("?since=1000", Some(&p.admin))).await;
    assert_eq!(seqs(&page), vec![5, 3, 1]);
}

#[tokio::test]
async fn only_a_valid_key_in_the_header_reads_it_and_bad_queries_say_what_to_send() {
    let p = proxy(&nowhere(), |c| {
        c.allow_origins = vec!["https://console.example".into()]
    });
    for (what, request, code) in [
        ("no key", audit("", None), "not_authed"),
        ("a wrong key", audit("", Some("sak_nope")), "invalid_auth"),
        ("a revoked key", audit("", Some(&p.revoked)), "invalid_auth"),
        (
            "a key in the address",
            audit(&format!("?token={}", p.admin), None),
            "not_authed",
        ),
        (
            "too large a page",
            audit("?limit=5000", Some(&p.admin)),
            "invalid_limit",
        ),
        (
            "a cursor it never gave",
            audit("?cursor=abc", Some(&p.admin)),
            "invalid_cursor",
        ),
        (
            "an unknown kind",
            audit("?kind=hats", Some(&p.admin)),
            "invalid_arguments",
        ),
    ] {
        let page = json(&p.app, request).await;
        assert_eq!(page["ok"], false, "{what}: {page}");
        assert_eq!(page["error"], code, "{what}: {page}");
        assert!(page.get("entries").is_none(), "{what}: {page}");
    }
    let page = json(&p.app, audit("?limit=5000", Some(&p.admin))).await;
    assert!(
        page["detail"].as_str().unwrap().contains("1 to 1000"),
        "{page}"
    );
    // A console on another allowed origin asks first (GET with a header), and may.
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/proxy/audit")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
            .body(Body::empty())
            .unwrap()
    };
    let (status, headers, _) = send(&p.app, preflight("https://console.example")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap()
        .contains("GET"));
    assert!(headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap()
        .contains("authorization"));
    let (status, headers, _) = send(&p.app, preflight("https://evil.example")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    // Another site's page gets nothing, even with a key.
    let mut r = audit("", Some(&p.admin));
    r.headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    let (status, _, body) = send(&p.app, r).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("origin_not_allowed"));
}

#[tokio::test]
async fn a_call_slack_never_answered_and_one_without_a_recorded_answer_say_so() {
    let p = proxy(&nowhere(), |_| {});
    let (status, _, _) = send(
        &p.app,
        form("admin.users.setOwner", &p.admin, "user_id=W1&team_id=E1"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    // The proxy stopped between sending a call and recording its answer.
    p.state
        .store
        .lock()
        .unwrap()
        .audit(
            1_767_225_600,
            "ana",
            "admin.inviteRequests.approve",
            r#"[["invite_request_id","Ir1"],["team_id","T1"]]"#,
            "sent",
        )
        .unwrap();
    let page = json(&p.app, audit("", Some(&p.admin))).await;
    assert_eq!(seqs(&page), vec![3, 1]);
    let approve = &page["entries"][0];
    assert!(approve.get("outcome").is_none(), "{approve}");
    assert_eq!(approve["target"]["invite_request_id"], "Ir1");
    assert_eq!(
        page["entries"][1]["outcome"],
        "unknown: no answer from Slack"
    );
    let page = json(&p.app, audit("?outcome=no-answer", Some(&p.admin))).await;
    assert_eq!(seqs(&page), vec![3, 1]);
    assert_eq!(page["chain_ok"], true);
}

#[tokio::test]
async fn a_log_edited_outside_the_proxy_is_flagged_at_the_entry_where_it_breaks() {
    let p = proxy(&nowhere(), |_| {});
    for user in ["W1", "W2"] {
        let body = format!("user_id={user}&team_id=E1");
        send(&p.app, form("admin.users.setRegular", &p.admin, &body)).await;
    }
    let page = json(&p.app, audit("", Some(&p.admin))).await;
    assert_eq!(page["chain_ok"], true);
    assert!(page.get("broken_at").is_none());
    let store = || p.state.store.lock().unwrap();
    store()
        .execute_raw("UPDATE audit SET outcome = 'ok' WHERE id = 2")
        .unwrap();
    let page = json(&p.app, audit("", Some(&p.admin))).await;
    assert_eq!(page["chain_ok"], false);
    assert_eq!(page["broken_at"], 2);
    assert!(page["broken_reason"]
        .as_str()
        .unwrap()
        .contains("entry 2 was changed after it was written"));
    // What the log now says is still shown, for the admin to compare.
    assert_eq!(page["entries"][1]["outcome"], "ok");
    store()
        .execute_raw("DELETE FROM audit WHERE id = 2")
        .unwrap();
    let page = json(&p.app, audit("", Some(&p.admin))).await;
    assert_eq!(page["broken_at"], 3);
    assert!(page["broken_reason"]
        .as_str()
        .unwrap()
        .contains("does not follow"));
    // The write whose answer was removed has none now.
    assert!(page["entries"][1].get("outcome").is_none());
}

//! `GET /proxy/events`: Slack's events pushed to the page as server-sent events, called as the
//! console calls it (`oneshot` on the router, the stream read as it comes with core's parser).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use slack_admin_core::events::{SseMessage, SseParser};
use slack_admin_proxy::app::{self, Config};
use slack_admin_proxy::store::Store;
use std::collections::VecDeque;
use std::time::Duration;
use tower::ServiceExt;

mod common;

const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";

use common::Proxy;

fn proxy(secret: Option<&str>) -> Proxy {
    // Nothing here reaches Slack.
    common::proxy("live", "http://127.0.0.1:9/api/", |c| {
        c.signing_secret = secret.map(str::to_owned)
    })
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Slack delivers `invite_requested` event `event_id` for `email` (signed, as Slack signs).
async fn slack_sends(p: &Proxy, event_id: &str, email: &str, retry: Option<&str>) {
    let body = serde_json::json!({
        "token": "x",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": now(),
        "event": {
            "type": "invite_requested",
            "invite_request": {
                "id": format!("Ir{event_id}"), "email": email, "date_created": now(),
                "requester_ids": ["U1"], "channel_ids": [], "invite_type": "full_member",
                "real_name": "", "date_expire": now() + 86_400, "request_reason": "",
                "team": {"id": "T1", "name": "HQ", "domain": "hq"}
            }
        }
    })
    .to_string();
    let ts = now();
    let mut r = Request::post("/slack/events")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-slack-request-timestamp", ts.to_string())
        .header(
            "x-slack-signature",
            slack_admin_proxy::events::sign(SECRET, ts, body.as_bytes()),
        );
    if let Some(n) = retry {
        r = r
            .header("x-slack-retry-num", n)
            .header("x-slack-retry-reason", "http_timeout");
    }
    let response = p
        .app
        .clone()
        .oneshot(r.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

fn listen(key: Option<&str>, last_event_id: Option<&str>) -> Request<Body> {
    let mut r = Request::get("/proxy/events").header(header::ACCEPT, "text/event-stream");
    if let Some(k) = key {
        r = r.header(header::AUTHORIZATION, format!("Bearer {k}"));
    }
    if let Some(id) = last_event_id {
        r = r.header("last-event-id", id);
    }
    r.body(Body::empty()).unwrap()
}

/// An open stream, read as the page reads it.
struct Stream {
    body: Body,
    parser: SseParser,
    ready: VecDeque<SseMessage>,
    bytes: String,
}

impl Stream {
    async fn open(p: &Proxy, key: &str, last_event_id: Option<&str>) -> Stream {
        let response = p
            .app
            .clone()
            .oneshot(listen(Some(key), last_event_id))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/event-stream"
        );
        assert_eq!(response.headers()["x-accel-buffering"], "no");
        Stream {
            body: response.into_body(),
            parser: SseParser::new(),
            ready: VecDeque::new(),
            bytes: String::new(),
        }
    }

    /// The next message within `within`; `None` if none came or the stream ended.
    async fn next(&mut self, within: Duration) -> Option<SseMessage> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(m) = self.ready.pop_front() {
                return Some(m);
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .ok()??
                .ok()?;
            if let Ok(data) = frame.into_data() {
                self.bytes.push_str(&String::from_utf8_lossy(&data));
                self.ready.extend(self.parser.feed(&data));
            }
        }
    }

    /// Whether the stream ended (within `within`).
    async fn ended(&mut self, within: Duration) -> bool {
        loop {
            match tokio::time::timeout(within, self.body.frame()).await {
                Err(_) => return false,
                Ok(None) => return true,
                Ok(Some(_)) => {}
            }
        }
    }
}

const SOON: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(300);

async fn json_of(response: axum::response::Response) -> serde_json::Value {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null)
}

#[tokio::test]
async fn the_stream_needs_a_valid_key_in_the_header_and_says_so_as_slack_would() {
    let p = proxy(Some(SECRET));
    let cases = [
        ("no key", listen(None, None), "not_authed"),
        (
            "a wrong key",
            listen(Some("sak_nope"), None),
            "invalid_auth",
        ),
        (
            "a revoked key",
            listen(Some(&p.revoked), None),
            "invalid_auth",
        ),
        (
            // A key in the URL is not read (it would stay in logs and history).
            "the key in the query",
            Request::get(format!("/proxy/events?token={}", p.admin))
                .body(Body::empty())
                .unwrap(),
            "not_authed",
        ),
    ];
    for (what, request, code) in cases {
        let response = p.app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{what}");
        let json = json_of(response).await;
        assert_eq!(json["ok"], false, "{what}");
        assert_eq!(json["error"], code, "{what}");
    }
    // A read-only key listens.
    let mut s = Stream::open(&p, &p.reader, None).await;
    slack_sends(&p, "Ev1", "a@example.com", None).await;
    let m = s.next(SOON).await.expect("the event");
    assert_eq!(m.event, "invite_requested");
    // A Last-Event-ID that is not a sequence number is refused with the reason.
    let response = p
        .app
        .clone()
        .oneshot(listen(Some(&p.admin), Some("yesterday")))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(response).await["error"], "invalid_last_event_id");
}

#[tokio::test]
async fn without_a_signing_secret_the_stream_says_events_are_off() {
    let p = proxy(None);
    let response = p
        .app
        .clone()
        .oneshot(listen(Some(&p.admin), None))
        .await
        .unwrap();
    // Slack's way: HTTP 200, `ok: false` (the page's console shows no failed request).
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/json; charset=utf-8"
    );
    let json = json_of(response).await;
    assert_eq!(
        (json["ok"].as_bool(), json["error"].as_str()),
        (Some(false), Some("events_off"))
    );
    // The key is still checked first.
    let response = p.app.clone().oneshot(listen(None, None)).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_reconnect_replays_what_was_missed_then_live_events_arrive_once() {
    let p = proxy(Some(SECRET));
    slack_sends(&p, "Ev1", "one@example.com", None).await;
    slack_sends(&p, "Ev2", "two@example.com", None).await;
    slack_sends(&p, "Ev3", "three@example.com", None).await;
    // The page saw event 1 before it lost the connection.
    let mut s = Stream::open(&p, &p.admin, Some("1")).await;
    let two = s.next(SOON).await.expect("event 2");
    assert_eq!(
        (two.id.as_str(), two.event.as_str()),
        ("2", "invite_requested")
    );
    let data: serde_json::Value = serde_json::from_str(&two.data).unwrap();
    assert_eq!(data["type"], "invite_requested");
    assert_eq!(data["invite_request"]["email"], "two@example.com");
    assert_eq!(s.next(SOON).await.expect("event 3").id, "3");
    assert!(s.next(QUIET).await.is_none(), "nothing else was recorded");
    // A new event arrives as it is recorded; Slack's retry of it is not sent again.
    slack_sends(&p, "Ev4", "four@example.com", None).await;
    let four = s.next(SOON).await.expect("event 4");
    assert_eq!(four.id, "4");
    assert!(four.data.contains("four@example.com"));
    slack_sends(&p, "Ev4", "four@example.com", Some("1")).await;
    assert!(s.next(QUIET).await.is_none(), "a retry was sent again");
    slack_sends(&p, "Ev5", "five@example.com", None).await;
    assert_eq!(s.next(SOON).await.expect("event 5").id, "5");
    // The stream began with a comment, so that the page knows at once it is up.
    assert!(s.bytes.starts_with(": live\n"), "{}", s.bytes);
    // A client with no Last-Event-ID hears only what comes next.
    let mut fresh = Stream::open(&p, &p.admin, None).await;
    assert!(fresh.next(QUIET).await.is_none());
    // A Last-Event-ID beyond the last one (the proxy's database was replaced): everything.
    let mut lost = Stream::open(&p, &p.admin, Some("99")).await;
    assert_eq!(lost.next(SOON).await.expect("event 1").id, "1");
    let recorded = p.state.store.lock().unwrap().events().unwrap();
    assert_eq!(recorded.len(), 5);
}

#[tokio::test]
async fn streams_are_capped_and_end_when_the_proxy_stops() {
    use slack_admin_proxy::live::{MAX_STREAMS, MAX_STREAMS_PER_KEY};
    let p = proxy(Some(SECRET));
    // One key holds at most a few streams; the others still get theirs.
    let mut open = Vec::new();
    for _ in 0..MAX_STREAMS_PER_KEY {
        open.push(Stream::open(&p, &p.reader, None).await);
    }
    let response = p
        .app
        .clone()
        .oneshot(listen(Some(&p.reader), None))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json_of(response).await["error"], "too_many_streams_for_key");
    // Every place taken, by many keys.
    let keys: Vec<String> = (0..MAX_STREAMS / MAX_STREAMS_PER_KEY)
        .map(|i| {
            p.state
                .store
                .lock()
                .unwrap()
                .add_key(&format!("tab{i}"), true, 0)
                .unwrap()
        })
        .collect();
    for key in keys.iter().take(MAX_STREAMS / MAX_STREAMS_PER_KEY - 1) {
        for _ in 0..MAX_STREAMS_PER_KEY {
            open.push(Stream::open(&p, key, None).await);
        }
    }
    assert_eq!(
        p.state.live.open_streams(),
        slack_admin_proxy::live::MAX_STREAMS
    );
    let response = p
        .app
        .clone()
        .oneshot(listen(Some(&p.admin), None))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
    assert_eq!(json_of(response).await["error"], "too_many_streams");
    // A client that goes away gives its place back.
    open.pop();
    assert_eq!(
        p.state.live.open_streams(),
        slack_admin_proxy::live::MAX_STREAMS - 1
    );
    let mut last = Stream::open(&p, &p.admin, None).await;
    // Shutdown ends every stream.
    p.state.live.close();
    assert!(last.ended(SOON).await);
    for s in &mut open {
        assert!(s.ended(SOON).await);
    }
    drop(open);
    drop(last);
    assert_eq!(p.state.live.open_streams(), 0);
}

#[tokio::test]
async fn a_cross_origin_console_may_ask_first() {
    let store = Store::in_memory().unwrap();
    let mut config = Config::new("http://127.0.0.1:9/api/", "xoxp-sandbox-org-admin");
    config.signing_secret = Some(SECRET.into());
    config.allow_origins = vec!["https://console.example".into()];
    let app = app::router(app::state(config, store));
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/proxy/events")
        .header(header::ORIGIN, "https://console.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization, last-event-id",
        )
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(preflight).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let allowed = response.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(allowed.contains("authorization") && allowed.contains("last-event-id"));
}

#[test]
fn events_recorded_before_they_were_numbered_get_numbers_in_their_order() {
    let dir = std::env::temp_dir().join(format!("proxy-events-numbered-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    {
        let db = rusqlite::Connection::open(dir.join("proxy.sqlite3")).unwrap();
        db.execute_batch(
            "CREATE TABLE events (event_id TEXT PRIMARY KEY, at INTEGER NOT NULL,
                 type TEXT NOT NULL, body TEXT NOT NULL);
             INSERT INTO events VALUES ('EvB', 1, 'invite_requested', '{\"n\":1}');
             INSERT INTO events VALUES ('EvA', 2, 'invite_requested', '{\"n\":2}');",
        )
        .unwrap();
    }
    let store = Store::open(&dir).unwrap();
    let events = store.events_after(0, 0, 500).unwrap();
    let numbered: Vec<(i64, &str)> = events
        .iter()
        .map(|e| (e.seq, e.event_id.as_str()))
        .collect();
    assert_eq!(numbered, vec![(1, "EvB"), (2, "EvA")]);
    // The next one follows, and one seen before is not recorded again.
    assert_eq!(
        store
            .record_event("EvC", 3, "invite_requested", "{}")
            .unwrap()
            .map(|e| e.seq),
        Some(3)
    );
    assert_eq!(
        store
            .record_event("EvA", 4, "invite_requested", "{}")
            .unwrap(),
        None
    );
    drop(store);
    // Opened again: left as it is.
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.last_event_seq().unwrap(), 3);
    // The replay is bounded: the last ones, oldest first.
    assert_eq!(
        store
            .events_after(0, 0, 2)
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect::<Vec<_>>(),
        vec![2, 3]
    );
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_sims_events_reach_a_listening_page_through_the_proxy() {
    // The proxy on a real socket, and a slack-sim that sends its events there, signed with
    // the same secret.
    let p = proxy(Some(SECRET));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_addr = listener.local_addr().unwrap();
    let app = p.app.clone();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let (sim_listener, sim_addr) = slack_sim::server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let target = slack_sim::delivery::EventsTarget::new(
        &format!("http://{proxy_addr}/slack/events"),
        SECRET,
    )
    .unwrap();
    tokio::spawn(slack_sim::server::serve_with_events(
        sim_listener,
        slack_sim::Sim::new(slack_sim::SimConfig::default()),
        std::future::pending(),
        Some(target),
    ));
    // The page listens...
    let client = reqwest::Client::new();
    let mut stream = client
        .get(format!("http://{proxy_addr}/proxy/events"))
        .bearer_auth(&p.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    // ...a member asks for an invite...
    let filed = client
        .post(format!("http://{sim_addr}/sim/invite_request"))
        .form(&[
            ("team_id", "T07NW4HQ1"),
            ("email", "heard.live@example.com"),
            ("reason", "Starts Monday"),
        ])
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let filed: serde_json::Value = serde_json::from_slice(&filed).unwrap();
    assert_eq!(filed["ok"], true, "{filed}");
    // ...and the page hears it.
    let mut parser = SseParser::new();
    let heard = tokio::time::timeout(SOON, async {
        loop {
            let chunk = stream.chunk().await.unwrap().expect("the stream goes on");
            if let Some(m) = parser.feed(&chunk).into_iter().next() {
                return m;
            }
        }
    })
    .await
    .expect("the event within seconds");
    assert_eq!(heard.event, "invite_requested");
    let slack_admin_core::events::InviteRequested { team, request } =
        slack_admin_core::events::decode_event(&heard.data)
            .unwrap()
            .expect("an invite request");
    assert_eq!(team.as_str(), "T07NW4HQ1");
    assert_eq!(request.email, "heard.live@example.com");
    assert_eq!(request.id.as_str(), filed["invite_request"]["id"]);
    let recorded = p.state.store.lock().unwrap().events().unwrap();
    assert_eq!(recorded.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn events_delivered_at_once_all_reach_an_open_stream_in_order() {
    let p = std::sync::Arc::new(proxy(Some(SECRET)));
    let mut s = Stream::open(&p, &p.admin, None).await;
    // Slack (and the sim) deliver each event on a connection of its own.
    let sends: Vec<_> = (0..200)
        .map(|i| {
            let p = p.clone();
            tokio::spawn(async move {
                slack_sends(&p, &format!("Burst{i}"), &format!("b{i}@example.com"), None).await
            })
        })
        .collect();
    for send in sends {
        send.await.unwrap();
    }
    let mut ids = Vec::new();
    while let Some(m) = s.next(QUIET).await {
        ids.push(m.id.parse::<i64>().unwrap());
    }
    assert_eq!(
        ids,
        (1..=200).collect::<Vec<_>>(),
        "every event, once, in order"
    );
}

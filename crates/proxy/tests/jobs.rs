//! Jobs on the proxy: started, paused, resumed and cancelled over HTTP, and a real
//! `slack-admin-proxy` killed with SIGKILL while a call is in flight, started again, and the
//! job finished with no row Slack confirmed sent twice (counted in front of a slack-sim).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use slack_admin_core::ids::{ChannelId, TeamId};
use slack_admin_core::invite::job::{Job, JobRow, Pacing};
use slack_admin_core::invite::{Invitation, InviteRoute};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

mod common;

const SIM_TOKEN: &str = "xoxp-sandbox-org-admin";

/// In front of the sim: counts `admin.users.invite` calls by email, and for the email named
/// `hold`, passes the call on but never answers (the proxy is killed while it waits).
#[derive(Clone, Default)]
struct Counter {
    calls: Arc<Mutex<HashMap<String, usize>>>,
    hold: Arc<Mutex<Option<String>>>,
}

impl Counter {
    fn count(&self, email: &str) -> usize {
        self.calls.lock().unwrap().get(email).copied().unwrap_or(0)
    }
}

async fn counting_front(sim: String, counter: Counter) -> String {
    let client = reqwest::Client::new();
    let app = axum::Router::new().fallback(move |request: Request<Body>| {
        let (client, sim, counter) = (client.clone(), sim.clone(), counter.clone());
        async move {
            let path = request.uri().path().to_owned();
            let auth = request
                .headers()
                .get(header::AUTHORIZATION)
                .cloned()
                .unwrap();
            let body = request.into_body().collect().await.unwrap().to_bytes();
            let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap();
            let email = form
                .iter()
                .find(|(k, _)| k == "email")
                .map(|(_, v)| v.clone());
            if path.ends_with("admin.users.invite") {
                let email = email.clone().unwrap_or_default();
                *counter.calls.lock().unwrap().entry(email).or_default() += 1;
            }
            let answer = client
                .post(format!("{sim}{path}"))
                .header(header::AUTHORIZATION, auth)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = answer.status();
            let text = answer.text().await.unwrap();
            let held = counter.hold.lock().unwrap().clone();
            if held.is_some() && held == email {
                // Slack has it; its answer never comes back.
                std::future::pending::<()>().await;
            }
            axum::response::Response::builder()
                .status(status)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(text))
                .unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn email(i: usize) -> String {
    format!("restart{i:02}@northwind.example")
}

/// A job inviting `rows` people to HQ's #general, as the console saves it.
fn invite_job(rows: usize) -> serde_json::Value {
    let rows = (0..rows)
        .map(|i| {
            let mut inv = Invitation::new(email(i));
            inv.channels = vec![ChannelId::new(slack_sim::fixture::ids::HQ_GENERAL)];
            JobRow::pending(i + 1, inv)
        })
        .collect();
    let route = InviteRoute::Admin {
        team_id: TeamId::new(slack_sim::fixture::HQ),
    };
    // The sender's pace is not the proxy's: it sets its own.
    let job = Job::from_rows(rows, route, Pacing::per_minute(1e9));
    serde_json::json!({"kind": "invite", "title": "Invite the restart test", "job": job})
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "slack-admin-proxy-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const BIN: &str = env!("CARGO_BIN_EXE_slack-admin-proxy");

fn add_key(dir: &std::path::Path, name: &str) -> String {
    let out = Command::new(BIN)
        .args(["keys", "add", name, "--data-dir"])
        .arg(dir)
        .stderr(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Where the proxy's log goes: with the suite's logs (`TEST_LOG_DIR`, searched for secrets at
/// the end of `cargo xtask test`), else nowhere.
fn log_file(name: &str) -> Stdio {
    match std::env::var_os("TEST_LOG_DIR") {
        Some(dir) => std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(std::path::Path::new(&dir).join(format!("proxy-native-jobs-{name}.log")))
            .map(Stdio::from)
            .unwrap_or_else(|_| Stdio::null()),
        None => Stdio::null(),
    }
}

/// A proxy process, killed when dropped (a failing test leaves none behind).
struct Running(Child);

impl Running {
    /// SIGKILL, as `kill -9` would.
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts the proxy binary; returns it and its URL.
fn serve(dir: &std::path::Path, upstream: &str) -> (Running, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--slack-api-url"])
        .arg(format!("{upstream}/api/"))
        .arg("--data-dir")
        .arg(dir)
        // Tier 2 at 20 a minute, times 60: a call every 50 ms.
        .args(["--rate-scale", "60"])
        .env("SLACK_ADMIN_TOKEN", SIM_TOKEN)
        .stdout(Stdio::piped())
        .stderr(log_file("restart"))
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("the proxy says where it listens")
        .to_owned();
    (Running(child), url)
}

async fn get_json(client: &reqwest::Client, url: &str, key: &str) -> serde_json::Value {
    let text = client
        .get(url)
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Waits until `done(summary)` holds for job 1, or fails after 30 s.
async fn wait_for(
    client: &reqwest::Client,
    url: &str,
    key: &str,
    what: &str,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    for _ in 0..600 {
        let answer = get_json(client, &format!("{url}/proxy/jobs/1"), key).await;
        if done(&answer["summary"]) {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job 1 never {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_killed_mid_call_finishes_after_a_restart_and_no_confirmed_row_is_sent_twice() {
    let counter = Counter::default();
    let held = email(11);
    *counter.hold.lock().unwrap() = Some(held.clone());
    let front = counting_front(common::sim().await, counter.clone()).await;
    let dir = temp_dir("restart");
    let key = add_key(&dir, "ana");
    let (mut proxy, url) = serve(&dir, &front);
    let client = reqwest::Client::new();

    let started = client
        .post(format!("{url}/proxy/jobs"))
        .bearer_auth(&key)
        .header(header::CONTENT_TYPE, "application/json")
        .body(invite_job(30).to_string())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let started: serde_json::Value = serde_json::from_str(&started).unwrap();
    assert_eq!(started["ok"], true, "{started}");
    assert_eq!(started["summary"]["id"], 1);
    assert_eq!(started["summary"]["owner"], "ana");

    // Rows 1–11 confirmed, row 12 reached Slack and its answer is held: kill -9 now.
    wait_for(&client, &url, &key, "reached the held row", |s| {
        s["progress"]["done"] == 11 && s["progress"]["in_flight"] == 1
    })
    .await;
    // In flight is saved before the call leaves: wait until Slack has it.
    for _ in 0..200 {
        if counter.count(&held) == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(counter.count(&held), 1);
    proxy.kill();
    *counter.hold.lock().unwrap() = None;

    let (mut proxy, url) = serve(&dir, &front);
    let answer = wait_for(&client, &url, &key, "finished", |s| {
        s["progress"]["finished"] == true
    })
    .await;
    proxy.kill();

    let progress = &answer["summary"]["progress"];
    assert_eq!(progress["total"], 30);
    assert_eq!(progress["counts"]["invited"], 30, "{answer}");
    for i in 0..30 {
        let expected = if email(i) == held { 2 } else { 1 };
        assert_eq!(
            counter.count(&email(i)),
            expected,
            "{} was sent {} times",
            email(i),
            counter.count(&email(i))
        );
    }
    // The held row was sent again as possibly delivered, and says what Slack's second answer
    // meant; every other row was sent once.
    let rows = answer["job"]["rows"].as_array().unwrap();
    for row in rows {
        let held_row = row["e"] == held.as_str();
        assert_eq!(row["s"], if held_row { 2 } else { 1 }, "{row}");
        assert_eq!(row["p"] == true, held_row, "{row}");
    }
    let text = answer["job"].to_string();
    assert!(text.contains("had reached Slack"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A proxy in this process in front of the counted sim, its jobs started.
async fn in_process() -> common::Proxy {
    let front = counting_front(common::sim().await, Counter::default()).await;
    // Slow enough to pause before the job ends: a call every 3 s.
    let p = common::proxy("jobs", &format!("{front}/api/"), |c| c.rate_scale = 1.0);
    slack_admin_proxy::jobs::start(&p.state).unwrap();
    p
}

async fn call(
    app: &axum::Router,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(k) = key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {k}"));
    }
    let request = match body {
        Some(b) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn jobs_are_listed_paused_resumed_and_cancelled_and_refused_when_they_should_be() {
    let p = in_process().await;
    let app = &p.app;

    // No key, a read-only key, a job that cannot be read, and one too large to take.
    let (_, r) = call(app, "GET", "/proxy/jobs", None, None).await;
    assert_eq!(r["error"], "not_authed");
    let (s, r) = call(
        app,
        "POST",
        "/proxy/jobs",
        Some(&p.reader),
        Some(invite_job(2)),
    )
    .await;
    assert_eq!(
        (s, r["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("no_permission"))
    );
    let (s, r) = call(
        app,
        "POST",
        "/proxy/jobs",
        Some(&p.admin),
        Some(serde_json::json!({"kind": "invite", "title": "x", "job": {"rows": []}})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        r["detail"].as_str().unwrap().contains("could not be read"),
        "{r}"
    );
    let (s, r) = call(
        app,
        "POST",
        "/proxy/jobs",
        Some(&p.admin),
        Some(invite_job(5_001)),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        r["detail"].as_str().unwrap().contains("split the list"),
        "{r}"
    );

    // Started, it runs in the starter's name at the proxy's own pace.
    let (_, r) = call(
        app,
        "POST",
        "/proxy/jobs",
        Some(&p.admin),
        Some(invite_job(5)),
    )
    .await;
    assert_eq!(r["ok"], true, "{r}");
    let id = r["summary"]["id"].as_i64().unwrap();
    let (_, list) = call(app, "GET", "/proxy/jobs", Some(&p.reader), None).await;
    assert_eq!(list["jobs"][0]["id"], id);
    assert_eq!(list["jobs"][0]["title"], "Invite the restart test");

    // A reader may look but not pause.
    let path = format!("/proxy/jobs/{id}/pause");
    let (s, _) = call(app, "POST", &path, Some(&p.reader), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, r) = call(app, "POST", &path, Some(&p.admin), None).await;
    assert_eq!(r["summary"]["progress"]["paused"], true, "{r}");
    let (_, r) = call(
        app,
        "POST",
        &format!("/proxy/jobs/{id}/resume"),
        Some(&p.admin),
        None,
    )
    .await;
    assert_eq!(r["summary"]["progress"]["paused"], false, "{r}");
    let (_, r) = call(
        app,
        "POST",
        &format!("/proxy/jobs/{id}/cancel"),
        Some(&p.admin),
        None,
    )
    .await;
    let progress = &r["summary"]["progress"];
    assert_eq!(progress["cancelled"], true, "{r}");
    assert!(progress["counts"]["not_sent"].as_u64().unwrap() >= 3, "{r}");

    // Finished jobs do not resume; unknown jobs and actions are named.
    let (s, r) = call(app, "GET", "/proxy/jobs/99", Some(&p.admin), None).await;
    assert_eq!(
        (s, r["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("job_not_found"))
    );
    let (s, _) = call(
        app,
        "POST",
        &format!("/proxy/jobs/{id}/explode"),
        Some(&p.admin),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, r) = call(
        app,
        "POST",
        &format!("/proxy/jobs/{id}/resume"),
        Some(&p.admin),
        None,
    )
    .await;
    assert_eq!(
        (s, r["error"].as_str()),
        (StatusCode::CONFLICT, Some("job_finished"))
    );
    let (_, r) = call(
        app,
        "GET",
        &format!("/proxy/jobs/{id}"),
        Some(&p.admin),
        None,
    )
    .await;
    assert_eq!(
        r["job"]["rows"].as_array().expect("the job's rows").len(),
        5
    );
    // Starting and each control are in the audit log, by key, with the job and its title.
    let log = p.state.store.lock().unwrap().audit_entries().unwrap();
    let controls: Vec<(String, String)> = log
        .iter()
        .filter(|e| e.method.starts_with("proxy.job."))
        .map(|e| (e.key.clone(), e.method.clone()))
        .collect();
    let ana = |m: &str| ("ana".to_owned(), format!("proxy.job.{m}"));
    assert_eq!(
        controls,
        [ana("start"), ana("pause"), ana("resume"), ana("cancel")]
    );
    assert!(log
        .iter()
        .any(|e| e.target.contains("Invite the restart test")));
}

#[tokio::test]
async fn a_job_whose_key_is_revoked_pauses_and_another_admin_resumes_it_in_their_name() {
    let p = in_process().await;
    let app = &p.app;
    let ben = p
        .state
        .store
        .lock()
        .unwrap()
        .add_key("ben", false, 0)
        .unwrap();
    let (_, r) = call(
        app,
        "POST",
        "/proxy/jobs",
        Some(&p.admin),
        Some(invite_job(3)),
    )
    .await;
    let id = r["summary"]["id"].as_i64().unwrap();
    assert!(p.state.store.lock().unwrap().revoke_key("ana").unwrap());
    let path = format!("/proxy/jobs/{id}");
    let mut summary = serde_json::Value::Null;
    for _ in 0..100 {
        summary = call(app, "GET", &path, Some(&ben), None).await.1["summary"].clone();
        if summary["halt"]["code"] == "key_revoked" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(summary["halt"]["code"], "key_revoked", "{summary}");
    assert_eq!(summary["progress"]["paused"], true);
    assert!(summary["halt"]["summary"].as_str().unwrap().contains("ana"));
    // The revoked key is refused outright; ben resumes it, and it runs in ben's name.
    let (_, r) = call(app, "POST", &format!("{path}/resume"), Some(&p.admin), None).await;
    assert_eq!(r["error"], "invalid_auth");
    let (_, r) = call(app, "POST", &format!("{path}/resume"), Some(&ben), None).await;
    assert_eq!(r["summary"]["owner"], "ben", "{r}");
    assert_eq!(r["summary"]["started_by"], "ana", "{r}");
    assert!(r["summary"]["halt"].is_null(), "{r}");
}

#[tokio::test]
async fn an_admins_own_call_is_not_queued_behind_the_proxys_jobs() {
    let p = in_process().await;
    let app = &p.app;
    // Ten jobs at Slack's own pace (Tier 2: one call every 3 s for everyone together).
    for _ in 0..10 {
        let (_, r) = call(
            app,
            "POST",
            "/proxy/jobs",
            Some(&p.admin),
            Some(invite_job(3)),
        )
        .await;
        assert_eq!(r["ok"], true, "{r}");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The admin's own invite takes the next turn (at most 3 s away), not the 30th.
    let started = std::time::Instant::now();
    let body = format!(
        "email=own.call%40northwind.example&team_id={}&channel_ids={}",
        slack_sim::fixture::HQ,
        slack_sim::fixture::ids::HQ_GENERAL
    );
    let request = Request::post("/api/admin.users.invite")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::AUTHORIZATION, format!("Bearer {}", p.admin))
        .body(Body::from(body))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // No job counted the proxy's own queue as Slack's 429.
    let (_, list) = call(app, "GET", "/proxy/jobs", Some(&p.admin), None).await;
    for job in list["jobs"].as_array().unwrap() {
        assert_eq!(job["progress"]["rate_limits"], 0, "{job}");
    }
}

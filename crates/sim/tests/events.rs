//! `slack-sim --events-url`: every request filed is posted to the Request URL as Slack's
//! `invite_requested` event, in Slack's envelope, signed with the secret from the environment,
//! retried as Slack retries, and never holding up the API.
#![cfg(all(unix, feature = "server"))]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SECRET: &str = "sim-test-signing-secret";

/// A delivery as the receiver got it.
struct Delivery {
    headers: HashMap<String, String>,
    body: String,
}

/// A Request URL that answers the deliveries with `answers` in turn (how long it takes and
/// the status), then 200 at once.
fn receiver(answers: Vec<(Duration, u16)>) -> (String, mpsc::Receiver<Delivery>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/slack/events", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut answers = answers.into_iter();
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (wait, status) = answers.next().unwrap_or((Duration::ZERO, 200));
            let Some(delivery) = read_request(&stream) else {
                continue;
            };
            let _ = tx.send(delivery);
            std::thread::sleep(wait);
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            );
        }
    });
    (url, rx)
}

fn read_request(stream: &TcpStream) -> Option<Delivery> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    assert!(line.starts_with("POST /slack/events HTTP/1.1"), "{line}");
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
    }
    let n: usize = headers.get("content-length")?.parse().ok()?;
    let mut body = vec![0; n];
    reader.read_exact(&mut body).ok()?;
    Some(Delivery {
        headers,
        body: String::from_utf8(body).ok()?,
    })
}

struct Sim {
    child: Child,
    addr: String,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str], secret: Option<&str>) -> Sim {
    let mut command = Command::new(env!("CARGO_BIN_EXE_slack-sim"));
    command
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .env_remove("SLACK_SIGNING_SECRET")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(s) = secret {
        command.env("SLACK_SIGNING_SECRET", s);
    }
    let mut child = command.spawn().expect("starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .strip_prefix("listening on http://")
        .expect(&first)
        .to_owned();
    // What it says at start, up to the events line (it never blocks on lines not coming).
    let mut said: Vec<String> = Vec::new();
    for line in lines.by_ref().take(12) {
        let line = line.unwrap();
        let done = line.starts_with("events: invite_requested");
        said.push(line);
        if done {
            break;
        }
    }
    assert!(
        said.iter()
            .any(|l| l.starts_with("events: invite_requested")),
        "{said:?}"
    );
    // Its output is drained: a sim blocked on a full pipe would stop answering.
    std::thread::spawn(move || for _ in lines {});
    assert!(!said.iter().any(|l| l.contains(SECRET)));
    Sim { child, addr }
}

/// `POST /sim/invite_request`: the answer's JSON and how long it took.
fn file_request(sim: &Sim, email: &str) -> (serde_json::Value, Duration) {
    let body = format!("team_id=T07NW4LAB&email={email}&real_name=New+Person&reason=Starts+Monday");
    let started = Instant::now();
    let mut s = TcpStream::connect(&sim.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "POST /sim/invite_request HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    let took = started.elapsed();
    let json = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    (serde_json::from_str(json).unwrap(), took)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The keys of a JSON object.
fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn a_filed_request_is_sent_signed_in_slacks_envelope_and_retried_as_slack_retries() {
    // The first delivery takes a second and a half and fails: the API does not wait for it,
    // and the retry says why.
    let (url, deliveries) = receiver(vec![(Duration::from_millis(1500), 500)]);
    let sim = start(&["--events-url", &url], Some(SECRET));
    let (answer, took) = file_request(&sim, "new.person%40example.com");
    assert_eq!(answer["ok"], true, "{answer}");
    assert!(took < Duration::from_secs(1), "the API waited {took:?}");
    let first = deliveries
        .recv_timeout(Duration::from_secs(5))
        .expect("the event");
    // Signed as Slack signs, now.
    let ts: i64 = first.headers["x-slack-request-timestamp"].parse().unwrap();
    assert!((now() - ts).abs() < 10);
    assert_eq!(
        first.headers["x-slack-signature"],
        slack_sim::delivery::sign(SECRET, ts, first.body.as_bytes())
    );
    assert_eq!(first.headers["content-type"], "application/json");
    assert!(!first.headers.contains_key("x-slack-retry-num"));
    // Slack's envelope, with every field of the documented example.
    let event: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    let example: serde_json::Value = serde_json::from_str(include_str!(
        "../../core/tests/slack_examples/event.invite_requested.json"
    ))
    .unwrap();
    for k in keys(&example) {
        assert!(event.get(&k).is_some(), "the envelope lacks {k}: {event}");
    }
    assert_eq!(
        keys(&event["event"]["invite_request"]),
        keys(&example["event"]["invite_request"])
    );
    assert_eq!(event["type"], "event_callback");
    assert_eq!(event["event"]["type"], "invite_requested");
    assert_eq!(event["team_id"], "T07NW4LAB");
    assert_eq!(event["event"]["invite_request"], answer["invite_request"]);
    assert!(event["event_id"].as_str().unwrap().starts_with("Ev"));
    // The same event again, saying it is the first retry and why.
    let retry = deliveries
        .recv_timeout(Duration::from_secs(5))
        .expect("the retry");
    assert_eq!(retry.headers["x-slack-retry-num"], "1");
    assert_eq!(retry.headers["x-slack-retry-reason"], "http_error");
    let again: serde_json::Value = serde_json::from_str(&retry.body).unwrap();
    assert_eq!(again["event_id"], event["event_id"]);
    assert_eq!(again["event"], event["event"]);
    // Acknowledged: no more.
    assert!(deliveries.recv_timeout(Duration::from_millis(700)).is_err());
    // Another request is another event.
    let (answer, _) = file_request(&sim, "second.person%40example.com");
    let next = deliveries.recv_timeout(Duration::from_secs(5)).unwrap();
    let next: serde_json::Value = serde_json::from_str(&next.body).unwrap();
    assert_eq!(next["event"]["invite_request"], answer["invite_request"]);
    assert_ne!(next["event_id"], event["event_id"]);
    // A refused request files nothing, and sends nothing.
    let (answer, _) = file_request(&sim, "not-an-address");
    assert_eq!(answer["error"], "invalid_email");
    assert!(deliveries.recv_timeout(Duration::from_millis(500)).is_err());
}

#[test]
fn members_asking_on_a_schedule_are_heard_without_any_call() {
    let (url, deliveries) = receiver(Vec::new());
    let _sim = start(
        &["--events-url", &url, "--request-every", "1"],
        Some(SECRET),
    );
    let d = deliveries
        .recv_timeout(Duration::from_secs(6))
        .expect("an event without a call to the sim");
    let event: serde_json::Value = serde_json::from_str(&d.body).unwrap();
    assert_eq!(event["event"]["type"], "invite_requested");
    assert!(event["event"]["invite_request"]["email"]
        .as_str()
        .unwrap()
        .contains('@'));
}

#[test]
fn events_need_a_secret_from_the_environment_and_a_loopback_url() {
    let run = |args: &[&str], secret: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_slack-sim"));
        c.args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("SLACK_SIGNING_SECRET");
        if let Some(s) = secret {
            c.env("SLACK_SIGNING_SECRET", s);
        }
        let out = c.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, said) = run(&["--events-url", "http://127.0.0.1:9/slack/events"], None);
    assert_eq!(code, Some(2));
    assert!(said.contains("SLACK_SIGNING_SECRET"), "{said}");
    let (code, said) = run(
        &["--events-url", "https://proxy.example.com/slack/events"],
        Some(SECRET),
    );
    assert_eq!(code, Some(2));
    assert!(said.contains("loopback"), "{said}");
    assert!(!said.contains(SECRET));
}

//! Sending events as Slack does: a JSON POST to the app's Request URL, signed with the app's
//! signing secret (`X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">`,
//! `X-Slack-Request-Timestamp`), answered within 3 seconds with a 2xx or tried again, up to
//! three more times (at once, after a minute, after five), each retry saying its number and
//! why (`X-Slack-Retry-Num`, `X-Slack-Retry-Reason`).
//!
//! Each event goes on a task of its own: the API never waits for a delivery. The Request URL
//! is plain `http://` on loopback (a local `slack-admin-proxy`), spoken over a bare socket.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

/// How long Slack waits for the answer.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(3);
/// Slack's retries: at once, after a minute, after five minutes.
pub const SLACK_RETRIES: [Duration; 3] = [
    Duration::ZERO,
    Duration::from_secs(60),
    Duration::from_secs(300),
];
/// Deliveries under way at once; more are dropped (and said so).
pub const MAX_IN_FLIGHT: usize = 256;

/// Where events go and how they are signed. Its `Debug` leaves the secret out.
#[derive(Clone)]
pub struct EventsTarget {
    host: String,
    port: u16,
    /// The path and query of the Request URL.
    path: String,
    url: String,
    secret: String,
    /// The waits before each retry (Slack's by default; shorter in tests).
    pub retries: Vec<Duration>,
}

impl std::fmt::Debug for EventsTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventsTarget")
            .field("url", &self.url)
            .field("retries", &self.retries)
            .finish_non_exhaustive()
    }
}

impl EventsTarget {
    /// `url` must be `http://` on loopback (`127.0.0.1`, `localhost`, `[::1]`), with a port
    /// or port 80; `secret` is the app's signing secret.
    pub fn new(url: &str, secret: &str) -> Result<Self, String> {
        let url = url.trim();
        let secret = secret.trim();
        if secret.is_empty() {
            return Err("the signing secret is empty".into());
        }
        let rest = url.strip_prefix("http://").ok_or_else(|| {
            format!("--events-url {url}: the sim sends events over plain http:// to loopback only (a local slack-admin-proxy)")
        })?;
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest[i..].starts_with('/') => (&rest[..i], rest[i..].to_owned()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_owned()),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(':') => (
                h,
                p.parse::<u16>()
                    .map_err(|_| format!("--events-url {url}: {p:?} is not a port"))?,
            ),
            _ => (authority, 80),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if !matches!(host, "127.0.0.1" | "localhost" | "::1") {
            return Err(format!(
                "--events-url {url}: the sim sends events to loopback only (127.0.0.1, localhost or [::1])"
            ));
        }
        if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "--events-url {url}: the path has spaces or control characters"
            ));
        }
        Ok(EventsTarget {
            host: host.to_owned(),
            port,
            path,
            url: url.to_owned(),
            secret: secret.to_owned(),
            retries: SLACK_RETRIES.to_vec(),
        })
    }

    /// The Request URL (no secret in it).
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// The signature Slack sends with `body` at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("v0:{timestamp}:").as_bytes());
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!(
        "v0={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// Why an attempt failed, in Slack's words for `X-Slack-Retry-Reason`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    ConnectionFailed,
    HttpTimeout,
    HttpError(u16),
    UnknownError,
}

impl Failure {
    pub fn reason(self) -> &'static str {
        match self {
            Failure::ConnectionFailed => "connection_failed",
            Failure::HttpTimeout => "http_timeout",
            Failure::HttpError(_) => "http_error",
            Failure::UnknownError => "unknown_error",
        }
    }
}

/// One POST of `body`; `retry` is the retry's number and the previous attempt's failure.
async fn attempt(
    target: &EventsTarget,
    body: &[u8],
    retry: Option<(usize, Failure)>,
) -> Result<(), Failure> {
    let timestamp = crate::server::now_ms() as i64 / 1000;
    let host = if target.host.contains(':') {
        format!("[{}]:{}", target.host, target.port)
    } else {
        format!("{}:{}", target.host, target.port)
    };
    let mut head = format!(
        "POST {} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: Slackbot 1.0 (+https://api.slack.com/robots)\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Slack-Request-Timestamp: {timestamp}\r\nX-Slack-Signature: {}\r\nConnection: close\r\n",
        target.path,
        body.len(),
        sign(&target.secret, timestamp, body),
    );
    if let Some((n, why)) = retry {
        head.push_str(&format!(
            "X-Slack-Retry-Num: {n}\r\nX-Slack-Retry-Reason: {}\r\n",
            why.reason()
        ));
    }
    head.push_str("\r\n");
    let exchange = async {
        let mut stream = TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|_| Failure::ConnectionFailed)?;
        stream
            .write_all(head.as_bytes())
            .await
            .map_err(|_| Failure::ConnectionFailed)?;
        stream
            .write_all(body)
            .await
            .map_err(|_| Failure::ConnectionFailed)?;
        // The status line is all Slack reads of the answer.
        let mut answer = Vec::new();
        let mut buf = [0u8; 512];
        while !answer.windows(2).any(|w| w == b"\r\n") && answer.len() < 4096 {
            let n = stream
                .read(&mut buf)
                .await
                .map_err(|_| Failure::UnknownError)?;
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
        }
        let line = String::from_utf8_lossy(&answer);
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or(Failure::UnknownError)?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(Failure::HttpError(status))
        }
    };
    tokio::time::timeout(ANSWER_WITHIN, exchange)
        .await
        .unwrap_or(Err(Failure::HttpTimeout))
}

/// Sends `body` (the envelope of `event_id`) until it is acknowledged or the retries run out.
pub async fn deliver(target: &EventsTarget, event_id: &str, body: &[u8]) -> Result<(), Failure> {
    let mut result = attempt(target, body, None).await;
    for (i, wait) in target.retries.iter().enumerate() {
        let Err(why) = result else {
            return Ok(());
        };
        eprintln!(
            "slack-sim: event {event_id} not acknowledged by {} ({}); retry {} in {} s",
            target.url,
            match why {
                Failure::HttpError(s) => format!("HTTP {s}"),
                other => other.reason().to_owned(),
            },
            i + 1,
            wait.as_secs()
        );
        tokio::time::sleep(*wait).await;
        result = attempt(target, body, Some((i + 1, why))).await;
    }
    if result.is_err() {
        eprintln!("slack-sim: event {event_id} given up after its retries");
    }
    result
}

/// Sends the server's events, each on a task of its own.
#[derive(Clone)]
pub struct Sender {
    target: Arc<EventsTarget>,
    started_ms: u64,
    count: Arc<AtomicU64>,
    in_flight: Arc<Semaphore>,
}

impl Sender {
    pub fn new(target: EventsTarget) -> Self {
        Sender {
            target: Arc::new(target),
            started_ms: crate::server::now_ms(),
            count: Arc::new(AtomicU64::new(0)),
            in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
        }
    }

    /// Sends an `invite_requested` event for each request, without waiting.
    pub fn invite_requested(
        &self,
        requests: Vec<slack_admin_core::methods::admin_invite_requests::InviteRequest>,
    ) {
        for request in requests {
            let n = self.count.fetch_add(1, Ordering::SeqCst);
            let event_id = crate::events::event_id(self.started_ms, n);
            let now = crate::server::now_ms() as i64 / 1000;
            let body = crate::events::invite_requested(&request, &event_id, now).to_string();
            let Ok(permit) = self.in_flight.clone().try_acquire_owned() else {
                eprintln!(
                    "slack-sim: event {event_id} dropped: {MAX_IN_FLIGHT} deliveries are under way"
                );
                continue;
            };
            let target = self.target.clone();
            tokio::spawn(async move {
                let _ = deliver(&target, &event_id, body.as_bytes()).await;
                drop(permit);
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slacks_documented_signature() {
        // "Verifying requests from Slack": the same secret, timestamp and body give its
        // signature.
        let body = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        assert_eq!(
            sign("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body),
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
        );
    }

    #[test]
    fn only_plain_http_on_loopback() {
        let t = EventsTarget::new("http://127.0.0.1:8787/slack/events", "s").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("127.0.0.1", 8787, "/slack/events")
        );
        let t = EventsTarget::new("http://localhost", "s").unwrap();
        assert_eq!((t.port, t.path.as_str()), (80, "/"));
        let t = EventsTarget::new("http://[::1]:9/e?x=1", "s").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("::1", 9, "/e?x=1")
        );
        for bad in [
            "https://127.0.0.1/slack/events",
            "http://example.com/slack/events",
            "http://127.0.0.1:port/",
            "127.0.0.1:8787",
        ] {
            assert!(EventsTarget::new(bad, "s").is_err(), "{bad}");
        }
        assert!(EventsTarget::new("http://127.0.0.1:1/", " ").is_err());
        // The secret never shows.
        let t = EventsTarget::new("http://127.0.0.1:1/", "shh-secret").unwrap();
        assert!(!format!("{t:?}").contains("shh-secret"));
    }
}

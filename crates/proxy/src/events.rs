//! `POST /slack/events`: Slack's Events API. Every request is checked against the app's
//! signing secret (`v0`, HMAC-SHA256 over `v0:<timestamp>:<body>`, compared in constant time,
//! the timestamp within five minutes), the `url_verification` challenge is answered, and each
//! event is recorded once by its `event_id` (Slack retries up to three times).

use crate::app::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Response, StatusCode};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a request's timestamp may be from now (Slack's advice: five minutes).
pub const MAX_SKEW_S: i64 = 300;

/// Whether `signature` (`v0=<hex>`) signs `timestamp` and `body` with `secret`, and the
/// timestamp is recent.
pub fn verify(secret: &str, timestamp: &str, body: &[u8], signature: &str, now: i64) -> bool {
    let Ok(ts) = timestamp.trim().parse::<i64>() else {
        return false;
    };
    if now.abs_diff(ts) > MAX_SKEW_S as u64 {
        return false;
    }
    let Some(hex) = signature.trim().strip_prefix("v0=") else {
        return false;
    };
    let Some(expected) = from_hex(hex) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(b"v0:");
    mac.update(timestamp.trim().as_bytes());
    mac.update(b":");
    mac.update(body);
    // Constant time.
    mac.verify_slice(&expected).is_ok()
}

/// The signature Slack would send (tests, and the sim's events).
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

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(text))
        .expect("a response")
}

/// The largest event accepted (Slack's are a few KB).
pub const MAX_EVENT_BYTES: usize = 64 * 1024;

pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response<Body> {
    let Some(secret) = state.config.signing_secret.as_deref() else {
        return plain(
            StatusCode::NOT_FOUND,
            "events are off: start the proxy with SLACK_SIGNING_SECRET",
        );
    };
    // Read with a limit and a deadline before anything else: this address is public.
    let body: Bytes = {
        use http_body_util::BodyExt;
        let limited = http_body_util::Limited::new(body, MAX_EVENT_BYTES);
        match tokio::time::timeout(state.config.read_timeout, limited.collect()).await {
            Ok(Ok(c)) => c.to_bytes(),
            Ok(Err(_)) => return plain(StatusCode::PAYLOAD_TOO_LARGE, "too large"),
            Err(_) => return plain(StatusCode::REQUEST_TIMEOUT, "too slow"),
        }
    };
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    if !verify(
        secret,
        &get("x-slack-request-timestamp"),
        &body,
        &get("x-slack-signature"),
        now,
    ) {
        tracing::warn!("refused an event: bad signature or stale timestamp");
        return plain(StatusCode::UNAUTHORIZED, "bad signature or stale timestamp");
    }
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return plain(StatusCode::BAD_REQUEST, "not JSON");
    };
    match json["type"].as_str() {
        Some("url_verification") => {
            let challenge = json["challenge"].as_str().unwrap_or_default();
            Response::builder()
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({ "challenge": challenge }).to_string(),
                ))
                .expect("a response")
        }
        Some("event_callback") => {
            let id = json["event_id"].as_str().unwrap_or_default();
            let kind = json["event"]["type"].as_str().unwrap_or_default();
            if id.is_empty() {
                return plain(StatusCode::BAD_REQUEST, "no event_id");
            }
            let retry = get("x-slack-retry-num");
            let stored = {
                let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
                let stored = store.record_event(id, now, kind, &json["event"].to_string());
                // Published before the lock is let go, so the streams get events in the order
                // of their numbers: a stream skips what is at or below the last it sent, and
                // two deliveries at once must not pass each other (a request would be lost).
                if let Ok(Some(recorded)) = &stored {
                    state.live.publish(recorded.clone());
                }
                stored
            };
            match stored {
                Ok(Some(recorded)) => {
                    tracing::info!(event_id = id, kind, seq = recorded.seq, "event recorded");
                }
                Ok(None) => {
                    tracing::info!(event_id = id, kind, retry = %retry, "event seen before")
                }
                Err(e) => {
                    tracing::error!(error = %e, "recording an event");
                    // Not acknowledged: Slack will retry.
                    return plain(StatusCode::INTERNAL_SERVER_ERROR, "could not record");
                }
            }
            // Acknowledged at once (Slack allows 3 seconds).
            plain(StatusCode::OK, "ok")
        }
        _ => plain(StatusCode::OK, "ignored"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slacks_documented_signature_verifies() {
        // Slack's "Verifying requests from Slack" example.
        let secret = "8f742231b10e8888abcd99yyyzzz85a5";
        let ts = "1531420618";
        let body = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        let sig = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
        assert!(verify(secret, ts, body, sig, 1531420618 + 10));
        assert!(!verify(secret, ts, body, sig, 1531420618 + 301), "stale");
        assert!(!verify("another", ts, body, sig, 1531420618));
        assert!(!verify(secret, ts, b"tampered", sig, 1531420618));
        assert!(!verify(secret, ts, body, "v0=zz", 1531420618));
        assert_eq!(sign(secret, 1531420618, body), sig);
    }
}

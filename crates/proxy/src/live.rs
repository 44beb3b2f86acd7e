//! `GET /proxy/events`: the events Slack sent, pushed to the page as server-sent events as they
//! arrive. Any valid access key may listen (read-only ones too), in `Authorization: Bearer`
//! only: never in a URL, where logs and browser history would keep it.
//!
//! Each message is `id: <sequence number>`, `event: <type>`, `data: <the event's JSON>`. A
//! client that comes back with `Last-Event-ID` first gets what it missed (at most the last
//! [`REPLAY_MAX`], of the last [`REPLAY_MAX_AGE_S`] seconds), then new events. A comment every
//! [`KEEP_ALIVE`] keeps proxies and the client from taking a quiet stream for a dead one. At
//! most [`MAX_STREAMS`] streams are open at once; the proxy's shutdown ends them.

use crate::app::AppState;
use crate::store::StoredEvent;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// The most streams open at once: a client cannot take every connection of the server.
pub const MAX_STREAMS: usize = 64;
/// At most this many missed events are sent again after a reconnect...
pub const REPLAY_MAX: usize = 500;
/// ...and none older than a day (the page lists everything again after a reconnect anyway).
pub const REPLAY_MAX_AGE_S: i64 = 86_400;
/// How often a quiet stream says it is alive.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// The answer without a signing secret: Slack's events cannot arrive, there is no stream.
pub const EVENTS_OFF: &str = "events_off";
/// How often an open stream checks that its key was not revoked.
pub const KEY_RECHECK: Duration = Duration::from_secs(60);

/// The streams' side of the proxy: new events to every open stream, how many are open, and
/// the signal that ends them all.
pub struct Live {
    sender: broadcast::Sender<StoredEvent>,
    open: Arc<AtomicUsize>,
    /// Open streams by key: one key (one person's tabs) cannot take every place.
    per_key: Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
    closing: watch::Sender<bool>,
    max_streams: usize,
}

impl Default for Live {
    fn default() -> Self {
        Self::new(MAX_STREAMS)
    }
}

impl Live {
    /// At most `max_streams` streams at once.
    pub fn new(max_streams: usize) -> Self {
        Live {
            // A stream this far behind reads what it missed from the database instead.
            sender: broadcast::channel(256).0,
            open: Arc::new(AtomicUsize::new(0)),
            per_key: Arc::default(),
            closing: watch::channel(false).0,
            max_streams,
        }
    }

    /// Sends a newly recorded event to every open stream.
    pub fn publish(&self, event: StoredEvent) {
        // No stream open is not an error.
        let _ = self.sender.send(event);
    }

    /// How many streams are open.
    pub fn open_streams(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// Ends every stream (the proxy is stopping: a graceful shutdown waits for open answers,
    /// and a stream's answer never ends by itself). New streams are refused from now on.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// A place among the open streams for key `key`, or why there is none: every place is
    /// taken, or this key holds [`MAX_STREAMS_PER_KEY`] already.
    fn take_place(&self, key: &str) -> Result<Place, &'static str> {
        let mut per_key = self.per_key.lock().unwrap_or_else(|p| p.into_inner());
        let mine = per_key.entry(key.to_owned()).or_default();
        if *mine >= MAX_STREAMS_PER_KEY {
            return Err("too_many_streams_for_key");
        }
        let before = self.open.fetch_add(1, Ordering::SeqCst);
        if before >= self.max_streams {
            self.open.fetch_sub(1, Ordering::SeqCst);
            return Err("too_many_streams");
        }
        *mine += 1;
        Ok(Place {
            open: self.open.clone(),
            per_key: self.per_key.clone(),
            key: key.to_owned(),
        })
    }
}

/// The most streams one key may hold open (a person's tabs and devices).
pub const MAX_STREAMS_PER_KEY: usize = 8;

/// A stream's place: given back when the stream ends (the client went away, or shutdown).
struct Place {
    open: Arc<AtomicUsize>,
    per_key: Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
    key: String,
}

impl Drop for Place {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::SeqCst);
        let mut per_key = self.per_key.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = per_key.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                per_key.remove(&self.key);
            }
        }
    }
}

fn refusal(status: StatusCode, code: &str) -> Response<Body> {
    crate::app::slack_error(status, code)
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The `Last-Event-ID` a client came back with: `Ok(None)` when it sent none.
fn last_event_id(headers: &HeaderMap) -> Result<Option<i64>, ()> {
    let Some(value) = headers.get("last-event-id") else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| ())?.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .map(Some)
        .ok_or(())
}

/// What a stream has to send: what it missed first, then what arrives.
struct Feed {
    state: AppState,
    backlog: VecDeque<StoredEvent>,
    receiver: broadcast::Receiver<StoredEvent>,
    closing: watch::Receiver<bool>,
    /// The last sequence number sent: an event at or below it is not sent again.
    sent: i64,
    /// Whose key opened the stream, and when to check that it is still valid.
    key_name: String,
    recheck_at: tokio::time::Instant,
    _place: Place,
}

impl Feed {
    /// The next event to send, or `None` when the stream should end.
    async fn next(&mut self) -> Option<StoredEvent> {
        loop {
            if let Some(e) = self.backlog.pop_front() {
                if e.seq > self.sent {
                    self.sent = e.seq;
                    return Some(e);
                }
                continue;
            }
            tokio::select! {
                received = self.receiver.recv() => match received {
                    Ok(e) if e.seq > self.sent => {
                        self.sent = e.seq;
                        return Some(e);
                    }
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        // Too far behind the others: what it missed is in the database.
                        let missed = {
                            let store = self.state.store.lock().unwrap_or_else(|p| p.into_inner());
                            store.events_after(self.sent, unix_now() - REPLAY_MAX_AGE_S, REPLAY_MAX)
                        };
                        match missed {
                            Ok(events) => self.backlog.extend(events),
                            Err(e) => {
                                tracing::error!(error = %e, "reading the recorded events");
                                return None;
                            }
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = self.closing.wait_for(|closing| *closing) => return None,
                () = tokio::time::sleep_until(self.recheck_at) => {
                    // A key revoked while its stream is open hears nothing more.
                    let active = {
                        let store = self.state.store.lock().unwrap_or_else(|p| p.into_inner());
                        store.key_is_active(&self.key_name)
                    };
                    if active != Ok(true) {
                        tracing::info!(key = %self.key_name, "event stream ended: the key was revoked");
                        return None;
                    }
                    self.recheck_at += KEY_RECHECK;
                }
            }
        }
    }
}

fn message(e: &StoredEvent) -> Event {
    Event::default()
        .id(e.seq.to_string())
        .event(if e.kind.is_empty() {
            "message"
        } else {
            &e.kind
        })
        .data(&e.body)
}

async fn stream(State(state): State<AppState>, headers: HeaderMap) -> Response<Body> {
    // The key in the header only (a URL would keep it in logs and the browser's history).
    let who = match crate::app::check_key(&state, crate::app::bearer_key(&headers)) {
        Ok(k) => k,
        Err(mut refused) => {
            // Slack's error, with the status an HTTP client (not a Slack SDK) expects.
            if refused.status() == StatusCode::OK {
                *refused.status_mut() = StatusCode::UNAUTHORIZED;
            }
            return refused;
        }
    };
    if state.config.signing_secret.is_none() {
        // Nothing would ever arrive: the page polls instead. Said as Slack says an answer it
        // cannot give (HTTP 200, `ok: false`): an expected answer, not a failure.
        return refusal(StatusCode::OK, EVENTS_OFF);
    }
    let Ok(after) = last_event_id(&headers) else {
        return refusal(StatusCode::BAD_REQUEST, "invalid_last_event_id");
    };
    let live = &state.live;
    let closing = live.closing.subscribe();
    if *closing.borrow() {
        return refusal(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable");
    }
    let place = match live.take_place(&who.name) {
        Ok(p) => p,
        Err(why) => {
            tracing::warn!(key = %who.name, why, "refused an event stream");
            let mut r = refusal(StatusCode::SERVICE_UNAVAILABLE, why);
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            return r;
        }
    };
    // Listening before reading what was missed: an event recorded in between is in one or
    // the other (or both, and then sent once).
    let receiver = live.sender.subscribe();
    let (backlog, sent) = match after {
        None => (Vec::new(), 0),
        Some(after) => {
            let read = {
                let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
                store.last_event_seq().and_then(|last| {
                    // Beyond the last one recorded: the database was replaced; all of it is
                    // new to this client.
                    let after = if after > last { 0 } else { after };
                    store
                        .events_after(after, unix_now() - REPLAY_MAX_AGE_S, REPLAY_MAX)
                        .map(|events| (events, after))
                })
            };
            match read {
                Ok(read) => read,
                Err(e) => {
                    tracing::error!(error = %e, "reading the recorded events");
                    return refusal(StatusCode::INTERNAL_SERVER_ERROR, "internal_error");
                }
            }
        }
    };
    tracing::info!(
        key = %who.name,
        replayed = backlog.len(),
        open = live.open_streams(),
        "event stream opened"
    );
    let feed = Feed {
        state: state.clone(),
        backlog: backlog.into(),
        receiver,
        closing,
        sent,
        key_name: who.name.clone(),
        recheck_at: tokio::time::Instant::now() + KEY_RECHECK,
        _place: place,
    };
    // A first comment at once: the client knows the stream is up without waiting for an
    // event or the first keep-alive.
    let hello = futures_util::stream::iter([Ok::<_, Infallible>(Event::default().comment("live"))]);
    let events = futures_util::stream::unfold(feed, |mut feed| async move {
        let e = feed.next().await?;
        Some((Ok::<_, Infallible>(message(&e)), feed))
    });
    use futures_util::StreamExt;
    let mut response = Sse::new(hello.chain(events))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // nginx would otherwise hold the messages back in its buffer.
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// `GET /proxy/events`, and its CORS preflight.
pub fn routes() -> axum::routing::MethodRouter<AppState> {
    axum::routing::get(stream).options(preflight)
}

/// The CORS preflight of a console hosted elsewhere (the middleware answers it for the
/// origins allowed, and refuses it for the others).
async fn preflight() -> Response<Body> {
    StatusCode::NO_CONTENT.into_response()
}

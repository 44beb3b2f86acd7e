//! The proxy's event stream in the browser: `GET <proxy>/proxy/events` with the access key in
//! `Authorization` (EventSource cannot send headers, and the key never goes in a URL), its
//! body read as it arrives and parsed with core's [`SseParser`]. [`follow`] keeps it open:
//! it connects again after a failure, waiting longer each time, and asks for what it missed
//! with `Last-Event-ID`.

use slack_admin_core::events::{reconnect_delay_ms, SseMessage, SseParser};
use wasm_bindgen::JsCast;

/// Where the stream stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveState {
    /// No stream: not through a proxy, the proxy's events are off (no signing secret), or
    /// it does not serve them; the list is polled.
    Off,
    /// Connecting (the first time, or again).
    Connecting,
    /// Open: new requests arrive as Slack sends them.
    Live,
    /// Lost; connecting again after a wait. The list is polled meanwhile.
    Down,
}

/// A stream quiet for this long is taken for dead (the proxy says it is alive every 15 s).
pub const SILENCE_MS: u32 = 45_000;

/// A connection that lasted this long was a good one: the next failure waits from the start.
const HEALTHY_MS: u64 = 30_000;

/// How a connection attempt ended.
enum Opened {
    Stream(Reader),
    /// Nothing to connect to: the proxy's events are off, or it has no `/proxy/events`.
    Off,
    /// The key was refused: polling says why; connecting again would not help.
    Refused,
    /// Try again later (a network failure, a restart, every stream taken), with the
    /// server's wait if it gave one.
    Failed(Option<u64>),
}

struct Reader {
    reader: web_sys::ReadableStreamDefaultReader,
    controller: web_sys::AbortController,
}

impl Reader {
    /// The next bytes of the stream; `None` when it ended, failed, or was silent too long.
    async fn next(&self) -> Option<Vec<u8>> {
        let controller = self.controller.clone();
        let _watchdog = gloo_timers::callback::Timeout::new(SILENCE_MS, move || controller.abort());
        let result = wasm_bindgen_futures::JsFuture::from(self.reader.read())
            .await
            .ok()?;
        let result: web_sys::ReadableStreamReadResult = result.unchecked_into();
        if result.get_done().unwrap_or(true) {
            return None;
        }
        Some(js_sys::Uint8Array::new(&result.get_value()).to_vec())
    }

    fn cancel(&self) {
        self.controller.abort();
    }
}

/// One attempt at `url` with `key`, asking for what came after `last_event_id`.
async fn open(url: &str, key: &str, last_event_id: &str) -> Opened {
    let Ok(controller) = web_sys::AbortController::new() else {
        return Opened::Off;
    };
    let mut request = gloo_net::http::Request::get(url)
        .header("Accept", "text/event-stream")
        .header("Authorization", &format!("Bearer {key}"))
        .cache(web_sys::RequestCache::NoStore)
        .abort_signal(Some(&controller.signal()));
    if !last_event_id.is_empty() {
        request = request.header("Last-Event-ID", last_event_id);
    }
    // The headers come at once; the body is the stream.
    let timeout = {
        let controller = controller.clone();
        gloo_timers::callback::Timeout::new(SILENCE_MS, move || controller.abort())
    };
    let response = request.send().await;
    drop(timeout);
    let Ok(response) = response else {
        return Opened::Failed(None);
    };
    let status = response.status();
    let event_stream = response
        .headers()
        .get("content-type")
        .is_some_and(|t| t.starts_with("text/event-stream"));
    if status == 200 && event_stream {
        let Some(body) = response.body() else {
            return Opened::Failed(None);
        };
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        return Opened::Stream(Reader { reader, controller });
    }
    let code = response
        .json::<serde_json::Value>()
        .await
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or_default();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(|s| s.saturating_mul(1000));
    match (status, code.as_str()) {
        (401, _) => Opened::Refused,
        (_, "events_off") => Opened::Off,
        // An older proxy (no such route, or its console page in its place).
        (200 | 404 | 405, _) => Opened::Off,
        _ => Opened::Failed(retry_after),
    }
}

/// Follows the proxy's events at `url` with `key` while `current()` holds: `on_state` hears
/// where the stream stands, `on_message` each message. Returns when `current()` no longer
/// holds, or when there is nothing to follow (events off, the key refused).
pub async fn follow(
    url: String,
    key: String,
    current: impl Fn() -> bool,
    on_state: impl Fn(LiveState),
    on_message: impl Fn(&SseMessage),
) {
    let mut last_event_id = String::new();
    let mut failures: u32 = 0;
    let mut server_retry: Option<u64> = None;
    loop {
        if !current() {
            return;
        }
        on_state(LiveState::Connecting);
        let opened = open(&url, &key, &last_event_id).await;
        if !current() {
            if let Opened::Stream(r) = &opened {
                r.cancel();
            }
            return;
        }
        let retry_after = match opened {
            Opened::Off | Opened::Refused => {
                on_state(LiveState::Off);
                return;
            }
            Opened::Failed(wait) => wait,
            Opened::Stream(reader) => {
                on_state(LiveState::Live);
                let since = crate::browser::now_ms();
                let mut parser = SseParser::new();
                while let Some(bytes) = reader.next().await {
                    if !current() {
                        reader.cancel();
                        return;
                    }
                    for m in parser.feed(&bytes) {
                        on_message(&m);
                    }
                }
                reader.cancel();
                if !parser.last_event_id().is_empty() {
                    last_event_id = parser.last_event_id().to_owned();
                }
                server_retry = parser.retry_ms().or(server_retry);
                if crate::browser::now_ms().saturating_sub(since) >= HEALTHY_MS {
                    failures = 0;
                }
                None
            }
        };
        if !current() {
            return;
        }
        on_state(LiveState::Down);
        failures = failures.saturating_add(1);
        let wait = reconnect_delay_ms(
            failures,
            js_sys::Math::random(),
            retry_after.or(server_retry),
        );
        // In short steps, so that a disconnect ends this at once.
        let until = crate::browser::now_ms() + wait;
        while crate::browser::now_ms() < until {
            crate::browser::sleep(250).await;
            if !current() {
                return;
            }
        }
    }
}

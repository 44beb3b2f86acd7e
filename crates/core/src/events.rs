//! Slack's events as the proxy streams them to the page: the server-sent events wire format
//! (read incrementally, as the bytes arrive), the `invite_requested` event, and how long to
//! wait before connecting again. Pure: the page feeds it bytes and the time.

use crate::ids::TeamId;
use crate::methods::admin_invite_requests::InviteRequest;

/// One message of a server-sent event stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseMessage {
    /// The stream's last event ID when this message was dispatched (`id:`, which lasts until
    /// another `id:` changes it); what `Last-Event-ID` says on a reconnect.
    pub id: String,
    /// `event:`; `message` when the message names none.
    pub event: String,
    /// The `data:` lines, joined by `\n`.
    pub data: String,
}

/// A line longer than this is dropped, and the message it belongs to with it: a stream that
/// never ends a line cannot fill the memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The `text/event-stream` format, read as the bytes come (WHATWG HTML, "Server-sent
/// events"): lines end with CR LF, LF or CR, even split across chunks; a leading byte order
/// mark is skipped; `:` starts a comment (keep-alives); a blank line dispatches the message;
/// a message without data is not dispatched; unknown fields are ignored.
#[derive(Clone, Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    /// The line is too long: its bytes are dropped up to its end.
    overlong: bool,
    /// The last chunk ended with CR: an LF at the start of the next one ends nothing.
    after_cr: bool,
    /// Past the start of the stream (where a byte order mark may be).
    started: bool,
    data: String,
    has_data: bool,
    event: String,
    /// The message being read lost a line.
    damaged: bool,
    last_id: String,
    retry_ms: Option<u64>,
}

impl SseParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `bytes` (any split of the stream) and returns the messages they complete.
    pub fn feed(&mut self, mut bytes: &[u8]) -> Vec<SseMessage> {
        if !self.started && !bytes.is_empty() {
            // The byte order mark may itself arrive split: wait for three bytes or a
            // difference.
            let bom = b"\xEF\xBB\xBF";
            let mut head = std::mem::take(&mut self.line);
            head.extend_from_slice(bytes);
            if head.len() < bom.len() && bom.starts_with(&head) {
                self.line = head;
                return Vec::new();
            }
            self.started = true;
            let rest = head.strip_prefix(bom).unwrap_or(&head).to_vec();
            return self.feed(&rest);
        }
        let mut out = Vec::new();
        while !bytes.is_empty() {
            if self.after_cr && bytes[0] == b'\n' {
                bytes = &bytes[1..];
            }
            self.after_cr = false;
            match bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
                None => {
                    self.take(bytes);
                    break;
                }
                Some(end) => {
                    self.take(&bytes[..end]);
                    self.after_cr = bytes[end] == b'\r';
                    bytes = &bytes[end + 1..];
                    let line = std::mem::take(&mut self.line);
                    let overlong = std::mem::replace(&mut self.overlong, false);
                    if overlong {
                        self.damaged = true;
                    } else if let Some(m) = self.line_done(&String::from_utf8_lossy(&line)) {
                        out.push(m);
                    }
                }
            }
        }
        out
    }

    fn take(&mut self, bytes: &[u8]) {
        if self.overlong {
            return;
        }
        if self.line.len() + bytes.len() > MAX_LINE_BYTES {
            self.overlong = true;
            self.line = Vec::new();
        } else {
            self.line.extend_from_slice(bytes);
        }
    }

    fn line_done(&mut self, line: &str) -> Option<SseMessage> {
        if line.is_empty() {
            let data = std::mem::take(&mut self.data);
            let event = std::mem::take(&mut self.event);
            let has_data = std::mem::replace(&mut self.has_data, false);
            if std::mem::replace(&mut self.damaged, false) || !has_data {
                return None;
            }
            return Some(SseMessage {
                id: self.last_id.clone(),
                event: if event.is_empty() {
                    "message".into()
                } else {
                    event
                },
                data,
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = value.to_owned(),
            "id" if !value.contains('\0') => self.last_id = value.to_owned(),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry_ms = value.parse().ok();
            }
            _ => {}
        }
        None
    }

    /// The last event ID the stream gave (`""` before any).
    pub fn last_event_id(&self) -> &str {
        &self.last_id
    }

    /// The wait the server asked for before a reconnect (`retry:`), if it did.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }
}

/// Slack's `invite_requested` event: a member asked for an invite to `team`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteRequested {
    pub team: TeamId,
    pub request: InviteRequest,
}

/// Reads an event: the event itself (`{"type": "invite_requested", …}`, what the proxy
/// streams) or Slack's whole `event_callback` envelope around it; `None` for another type of
/// event. The request is the same object `admin.inviteRequests.list` lists, read with the
/// same decoder; its `team.id` says which workspace it is for.
pub fn decode_event(json: &str) -> Result<Option<InviteRequested>, String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("the event is not JSON: {e}"))?;
    let event = if value["type"] == "event_callback" {
        &value["event"]
    } else {
        &value
    };
    let kind = event["type"].as_str().ok_or("the event has no type")?;
    if kind != "invite_requested" {
        return Ok(None);
    }
    let request: InviteRequest = serde_json::from_value(event["invite_request"].clone())
        .map_err(|e| format!("the invite_requested event's invite_request does not read: {e}"))?;
    if request.id.as_str().is_empty() {
        return Err("the invite_requested event's request has no id".into());
    }
    let team = request
        .team
        .as_ref()
        .map(|t| t.id.clone())
        .filter(|t| !t.as_str().is_empty())
        .ok_or("the invite_requested event does not say the request's workspace (team.id)")?;
    Ok(Some(InviteRequested { team, request }))
}

/// The first wait before connecting again, and the longest.
pub const RECONNECT_MIN_MS: u64 = 1_000;
pub const RECONNECT_MAX_MS: u64 = 60_000;

/// How long to wait before connecting again after `failures` attempts in a row that failed
/// (1 for the first): doubling from a second up to a minute, spread by `jitter` (0 to 1, a
/// random draw) over ±20 % so that many tabs of a restarted proxy do not all come back at
/// once. The server's `retry:`, if it gave one, is the least.
pub fn reconnect_delay_ms(failures: u32, jitter: f64, server_retry_ms: Option<u64>) -> u64 {
    let doubled = RECONNECT_MIN_MS.saturating_mul(1 << failures.saturating_sub(1).min(16));
    let base = doubled.min(RECONNECT_MAX_MS) as f64;
    let spread = base * (0.8 + 0.4 * jitter.clamp(0.0, 1.0));
    (spread as u64).max(server_retry_ms.unwrap_or(0).min(RECONNECT_MAX_MS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::admin_invite_requests::InviteType;

    fn all(parser: &mut SseParser, chunks: &[&[u8]]) -> Vec<SseMessage> {
        chunks.iter().flat_map(|c| parser.feed(c)).collect()
    }

    fn msg(id: &str, event: &str, data: &str) -> SseMessage {
        SseMessage {
            id: id.into(),
            event: event.into(),
            data: data.into(),
        }
    }

    #[test]
    fn reads_what_the_proxy_sends_with_keep_alives_between() {
        let stream = b": connected\n\nid: 7\nevent: invite_requested\ndata: {\"a\":1}\n\n:\n\nid: 8\nevent: invite_requested\ndata: {\"b\":2}\n\n";
        let mut p = SseParser::new();
        assert_eq!(
            p.feed(stream),
            vec![
                msg("7", "invite_requested", "{\"a\":1}"),
                msg("8", "invite_requested", "{\"b\":2}")
            ]
        );
        assert_eq!(p.last_event_id(), "8");
    }

    #[test]
    fn any_split_of_the_bytes_reads_the_same() {
        let stream = "\u{feff}retry: 3000\r\nid: 1\r\nevent: x\r\ndata: é one\r\ndata:two\r\n\r\nid: 2\rdata: 山田\r\rdata: three\n\n"
            .as_bytes();
        let whole = SseParser::new().feed(stream);
        assert_eq!(
            whole,
            vec![
                msg("1", "x", "é one\ntwo"),
                msg("2", "message", "山田"),
                msg("2", "message", "three")
            ]
        );
        for cut in 0..stream.len() {
            for cut2 in cut..stream.len() {
                let mut p = SseParser::new();
                let got = all(
                    &mut p,
                    &[&stream[..cut], &stream[cut..cut2], &stream[cut2..]],
                );
                assert_eq!(got, whole, "cut at {cut} and {cut2}");
                assert_eq!(p.retry_ms(), Some(3000));
            }
        }
    }

    #[test]
    fn a_message_without_data_is_not_dispatched_but_its_id_counts() {
        let mut p = SseParser::new();
        assert!(p.feed(b"id: 42\nevent: ping\n\n").is_empty());
        assert_eq!(p.last_event_id(), "42");
        // An unfinished message at the end of what came so far waits for its blank line.
        assert!(p.feed(b"data: half").is_empty());
        assert_eq!(p.feed(b"\n\n"), vec![msg("42", "message", "half")]);
        // Fields without a colon, unknown fields, `retry` that is not a number.
        assert_eq!(
            p.feed(b"data\nfoo: bar\nretry: soon\n\n"),
            vec![msg("42", "message", "")]
        );
        assert_eq!(p.retry_ms(), None);
    }

    #[test]
    fn an_endless_line_is_dropped_with_its_message() {
        let mut p = SseParser::new();
        let big = vec![b'a'; MAX_LINE_BYTES + 10];
        assert!(p.feed(b"id: 1\ndata: ").is_empty());
        assert!(p.feed(&big).is_empty());
        assert!(p.feed(b"\n\n").is_empty());
        assert_eq!(p.feed(b"data: ok\n\n"), vec![msg("1", "message", "ok")]);
    }

    #[test]
    fn slacks_documented_invite_requested_example_decodes() {
        // docs.slack.dev/reference/events/invite_requested, the wrapper included (the page's
        // `authorizations` has a trailing comma: fixed, values kept).
        let example = include_str!("../tests/slack_examples/event.invite_requested.json");
        let InviteRequested { team, request } = decode_event(example).unwrap().unwrap();
        assert_eq!(team.as_str(), "T12345");
        assert_eq!(request.id.as_str(), "12345");
        assert_eq!(request.email, "bront@puppies.com");
        assert_eq!(request.date_created, 123455);
        assert_eq!(request.date_expire, 123456);
        assert_eq!(request.invite_type, InviteType::FullMember);
        assert_eq!(request.requester_ids[0].as_str(), "U123ABC456");
        assert_eq!(request.channel_ids[0].as_str(), "C123ABC456");
        assert_eq!(request.real_name, "Brent");
        assert_eq!(request.request_reason, "They're good dogs, Brant");
        // The event alone, as the proxy streams it, reads the same.
        let value: serde_json::Value = serde_json::from_str(example).unwrap();
        assert_eq!(
            decode_event(&value["event"].to_string()).unwrap(),
            decode_event(example).unwrap()
        );
    }

    #[test]
    fn nulls_read_as_absent_and_a_request_without_a_workspace_is_refused() {
        let nulls = r#"{"type":"invite_requested","invite_request":{"id":"Ir1","email":"a@b.c","date_created":1,"requester_ids":["U1"],"channel_ids":null,"invite_type":"restricted","real_name":null,"date_expire":null,"request_reason":null,"team":{"id":"T1","name":null,"domain":null}}}"#;
        let request = decode_event(nulls).unwrap().unwrap().request;
        assert_eq!(request.real_name, "");
        assert!(request.channel_ids.is_empty());
        assert_eq!(request.invite_type, InviteType::Restricted);
        let no_team =
            r#"{"type":"invite_requested","invite_request":{"id":"Ir1","email":"a@b.c"}}"#;
        assert!(decode_event(no_team).unwrap_err().contains("team.id"));
        let no_id =
            r#"{"type":"invite_requested","invite_request":{"email":"a@b.c","team":{"id":"T1"}}}"#;
        assert!(decode_event(no_id).is_err());
        assert!(decode_event("{").unwrap_err().contains("not JSON"));
        assert_eq!(decode_event(r#"{"type":"team_join","user":{}}"#), Ok(None));
    }

    #[test]
    fn reconnects_wait_longer_each_time_up_to_a_minute() {
        assert_eq!(reconnect_delay_ms(1, 0.5, None), 1_000);
        assert_eq!(reconnect_delay_ms(2, 0.5, None), 2_000);
        assert_eq!(reconnect_delay_ms(4, 0.5, None), 8_000);
        assert_eq!(reconnect_delay_ms(30, 0.5, None), 60_000);
        assert_eq!(reconnect_delay_ms(u32::MAX, 0.5, None), 60_000);
        assert_eq!(reconnect_delay_ms(1, 0.0, None), 800);
        assert_eq!(reconnect_delay_ms(1, 1.0, None), 1_200);
        assert_eq!(reconnect_delay_ms(0, 0.5, None), 1_000);
        // The server's retry is the least, within the minute.
        assert_eq!(reconnect_delay_ms(1, 0.5, Some(5_000)), 5_000);
        assert_eq!(reconnect_delay_ms(1, 0.5, Some(u64::MAX)), 60_000);
    }
}

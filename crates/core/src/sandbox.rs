//! The sandbox org's sign-ins: fake tokens that only the simulated Slack accepts, and who each
//! one is. They live here, not in the sim, so that the connect page can offer them without
//! loading the simulated org (the sim's own token table is built from this one).

/// (token, who): the token is fake and safe to show.
pub const TOKENS: &[(&str, &str)] = &[
    (
        "xoxp-sandbox-org-admin",
        "Mateo García, an org admin (not owner) of Northwind Trading (Enterprise Grid), with the admin scopes",
    ),
    (
        "xoxp-sandbox-org-owner",
        "Ingrid Solberg, the primary owner of Northwind Trading, with the admin scopes",
    ),
    (
        "xoxp-sandbox-member",
        "Priya Raman, a regular member of Northwind HQ, without admin scopes",
    ),
    (
        "xoxp-sandbox-legacy",
        "Rosa Delgado, an admin of Harbor Bakery Co-op (Pro, not Grid): a legacy token, scope client",
    ),
    (
        "xoxp-sandbox-legacy-sso",
        "Sigrid Haugen, an admin of Fjord Analytics (Business+, SSO required): a legacy token, scope client",
    ),
    (
        "xoxb-sandbox-bot",
        "Northwind Helper, a bot in Northwind HQ",
    ),
];

/// What the page and the sandbox worker (`crates/sandbox-worker`) say to each other, as JSON
/// text: a call is the HTTP request the `slack-sim` server would get (method, path, headers,
/// form body), and its answer the HTTP response (status, headers, body), so the sandbox, a
/// local `slack-sim` and Slack itself decode through one path.
/// The sandbox org's size as it comes: Northwind Trading and its generated people.
pub const DEFAULT_MEMBERS: usize = 400;
/// The size of the "big org" sandbox, to try the console on an org of 100,000 members.
pub const BIG_MEMBERS: usize = 100_000;

/// In the sandbox a member asks for an invite every this many seconds (so that the inbox
/// hears new requests), and this often with faster rate limits.
pub const REQUEST_EVERY_S: u64 = 90;
pub const FAST_REQUEST_EVERY_S: u64 = 20;

pub mod protocol {
    use serde::{Deserialize, Serialize};

    /// Bumped when a message changes shape: a page and a worker of different builds (a cached
    /// worker after a deploy) notice instead of misreading each other.
    pub const VERSION: u32 = 1;

    /// From the page to the worker.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    pub enum ToWorker {
        /// Slack's allowances times `rate_scale` from now on (the faster sandbox), and the
        /// org's size: `members` other than the org's starts a new org of that size (`None`
        /// keeps the org). Answered with [`FromWorker::Configured`].
        Configure {
            id: u64,
            rate_scale: f64,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            members: Option<usize>,
        },
        /// One HTTP request to the simulated Slack.
        Call {
            id: u64,
            method: String,
            path: String,
            headers: Vec<(String, String)>,
            body: String,
        },
    }

    /// From the worker to the page.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    pub enum FromWorker {
        /// The org is built and the worker listens; sent once, first.
        Ready {
            version: u32,
        },
        /// The worker could not start (its wasm failed to load).
        Failed {
            reason: String,
        },
        Configured {
            id: u64,
        },
        /// The answer to [`ToWorker::Call`] `id`, already delayed as the sim asked.
        Answer {
            id: u64,
            status: u16,
            headers: Vec<(String, String)>,
            body: String,
        },
        /// The sim dropped the connection without an answer.
        Dropped {
            id: u64,
        },
        /// A message the worker could not read.
        Unreadable {
            id: Option<u64>,
            reason: String,
        },
    }

    impl ToWorker {
        pub fn id(&self) -> u64 {
            match self {
                ToWorker::Configure { id, .. } | ToWorker::Call { id, .. } => *id,
            }
        }
    }

    /// JSON text of a message (messages always encode).
    pub fn encode<T: Serialize>(message: &T) -> String {
        serde_json::to_string(message).expect("protocol messages always encode")
    }

    /// A message read from JSON text.
    pub fn decode<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn messages_round_trip_as_json_text() {
            let call = ToWorker::Call {
                id: 7,
                method: "POST".into(),
                path: "/api/auth.test".into(),
                headers: vec![(
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                )],
                body: "token=xoxp-sandbox-org-admin".into(),
            };
            let text = encode(&call);
            assert!(text.contains(r#""kind":"call""#), "{text}");
            assert_eq!(decode::<ToWorker>(&text).unwrap(), call);
            let answer = FromWorker::Answer {
                id: 7,
                status: 429,
                headers: vec![("retry-after".into(), "3".into())],
                body: r#"{"ok":false,"error":"ratelimited"}"#.into(),
            };
            assert_eq!(decode::<FromWorker>(&encode(&answer)).unwrap(), answer);
            let ready = decode::<FromWorker>(r#"{"kind":"ready","version":1}"#).unwrap();
            assert_eq!(ready, FromWorker::Ready { version: VERSION });
        }

        #[test]
        fn a_foreign_message_is_an_error_not_a_panic() {
            assert!(decode::<ToWorker>("{\"kind\":\"format_disk\"}").is_err());
            assert!(decode::<FromWorker>("not json").is_err());
            assert!(decode::<ToWorker>("{\"kind\":\"call\",\"id\":1}").is_err());
        }
    }
}

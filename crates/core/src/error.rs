//! Why a call did not give an answer.

use thiserror::Error;

/// A failed call, layered: Slack said no, Slack said slow down, HTTP failed, or the body made
/// no sense.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SlackError {
    /// Slack refused: HTTP 200 with `"ok": false`.
    #[error("Slack refused the call: {code}")]
    Api {
        /// The error code, verbatim (unknown codes are kept as they came).
        code: String,
        /// For `missing_scope`: the scope(s) needed.
        needed: Option<String>,
        /// For `missing_scope`: the scopes the token has.
        provided: Option<String>,
        /// Any other text Slack sent along (`detail`, `warning`).
        detail: Option<String>,
    },
    /// HTTP 429: wait `retry_after` seconds and call again.
    #[error("rate limited: retry after {retry_after} s")]
    RateLimited { retry_after: u64 },
    /// The HTTP exchange failed: a status that is neither 2xx nor 429, or no answer at all
    /// (`status` 0: the network failed, the browser blocked it, or the connection dropped).
    #[error("HTTP failure {status}: {message}")]
    Http { status: u16, message: String },
    /// The body was not what the method answers.
    #[error("could not read Slack's answer: {message}")]
    Decode { message: String },
}

impl SlackError {
    pub fn api(code: impl Into<String>) -> Self {
        SlackError::Api {
            code: code.into(),
            needed: None,
            provided: None,
            detail: None,
        }
    }

    /// The code to look up in the catalogue: the API code, or one of this crate's own
    /// (`ratelimited`, `http_error`, `network_error`, `undecodable_response`).
    pub fn code(&self) -> &str {
        match self {
            SlackError::Api { code, .. } => code,
            SlackError::RateLimited { .. } => "ratelimited",
            SlackError::Http { status: 0, .. } => "network_error",
            SlackError::Http { .. } => "http_error",
            SlackError::Decode { .. } => "undecodable_response",
        }
    }

    /// Whether sending the same call again may succeed: rate limits, server errors, dropped
    /// connections, and Slack's own transient codes. Not an answer that could not be read:
    /// the same call gets the same answer, so retrying it would only repeat the failure.
    pub fn is_transient(&self) -> bool {
        match self {
            SlackError::RateLimited { .. } => true,
            SlackError::Http { status, .. } => *status == 0 || *status >= 500 || *status == 408,
            SlackError::Decode { .. } => false,
            SlackError::Api { code, .. } => matches!(
                code.as_str(),
                "internal_error" | "fatal_error" | "request_timeout" | "service_unavailable"
            ),
        }
    }
}

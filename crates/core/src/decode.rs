//! One pure function from (status, headers, body) to an answer.

use crate::error::SlackError;
use crate::method::Method;
use crate::wire::HttpResponse;
use serde::de::DeserializeOwned;
use serde::Deserialize;

#[derive(Deserialize)]
struct Envelope {
    ok: Option<bool>,
    error: Option<String>,
    needed: Option<String>,
    provided: Option<String>,
    detail: Option<serde_json::Value>,
}

/// Decodes the answer to a call of `M`.
pub fn decode<M: Method>(response: &HttpResponse) -> Result<M::Response, SlackError> {
    decode_envelope::<M::Response>(response)
}

/// Decodes any Web API answer: checks the HTTP status and Slack's `ok`, then reads `T`.
pub fn decode_envelope<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, SlackError> {
    let status = response.status;
    if status == 429 {
        return Err(SlackError::RateLimited {
            retry_after: retry_after(response),
        });
    }
    let envelope: Result<Envelope, _> = serde_json::from_slice(&response.body);
    if !(200..300).contains(&status) {
        // Slack sometimes explains a failure in the body; keep its code when it does.
        if let Ok(Envelope {
            ok: Some(false),
            error: Some(code),
            needed,
            provided,
            detail,
        }) = envelope
        {
            return Err(SlackError::Api {
                code,
                needed,
                provided,
                detail: detail.map(detail_text),
            });
        }
        return Err(SlackError::Http {
            status,
            message: http_reason(status).to_owned(),
        });
    }
    let unreadable = |e| unreadable(e, &response.body);
    let envelope = envelope.map_err(unreadable)?;
    match envelope.ok {
        Some(true) => serde_json::from_slice(&response.body).map_err(unreadable),
        Some(false) => Err(SlackError::Api {
            code: envelope.error.unwrap_or_else(|| "unknown_error".into()),
            needed: envelope.needed,
            provided: envelope.provided,
            detail: envelope.detail.map(detail_text),
        }),
        None => Err(SlackError::Decode {
            message: "the answer has no \"ok\" field".into(),
        }),
    }
}

/// Why a 2xx body could not be read. A body that ends mid-way was cut off on the way (the
/// connection dropped while it came): a network failure, worth sending again. A whole body
/// that is not the method's answer is [`SlackError::Decode`]: the same call would get it
/// again, so it is never retried.
fn unreadable(e: serde_json::Error, body: &[u8]) -> SlackError {
    // An empty body is no answer at all, not one cut short.
    if e.is_eof() && body.iter().any(|b| !b.is_ascii_whitespace()) {
        SlackError::Http {
            status: 0,
            message: "the answer was cut off".into(),
        }
    } else {
        SlackError::Decode {
            message: e.to_string(),
        }
    }
}

fn detail_text(detail: serde_json::Value) -> String {
    match detail {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

/// Seconds to wait after an HTTP 429: `Retry-After` in seconds, at least 1 and at most an
/// hour; 1 when the header is missing or not a number.
pub(crate) fn retry_after(response: &HttpResponse) -> u64 {
    response
        .header("retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| s.ceil().min(3600.0) as u64)
        .unwrap_or(1)
        .max(1)
}

pub(crate) fn http_reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "unexpected HTTP status",
    }
}

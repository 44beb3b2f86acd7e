//! HTTP-shaped requests in, Slack-shaped answers out: routing, argument decoding (query
//! string, form, multipart, JSON), tokens, the Web API envelope and its headers.

use crate::api::{self, Call, Refusal};
use crate::auth;
use crate::cors;
use crate::rate::RateLimiter;
use crate::state::State;
use crate::Request;
use serde_json::Value;
use slack_admin_core::{methods, Form, HttpResponse};

/// The path without its query, and the query.
pub fn split_path(path: &str) -> (&str, &str) {
    path.split_once('?').unwrap_or((path, ""))
}

pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The token of `Authorization: Bearer …`.
pub fn bearer(request: &Request) -> Option<String> {
    let value = header(request, "authorization")?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// How the body was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    None,
    Form,
    Multipart,
    Json,
}

/// The arguments of a call: query string plus body; a name given twice keeps its last value
/// (the body's over the query's). `Err` is Slack's refusal of the body.
pub fn arguments(request: &Request) -> Result<(Form, BodyKind), Refusal> {
    let (form, kind) = raw_arguments(request)?;
    let mut last: Vec<(String, String)> = Vec::with_capacity(form.0.len());
    for (k, v) in form.0.into_iter().rev() {
        if !last.iter().any(|(seen, _)| seen == &k) {
            last.push((k, v));
        }
    }
    last.reverse();
    Ok((Form(last), kind))
}

fn raw_arguments(request: &Request) -> Result<(Form, BodyKind), Refusal> {
    let (_, query) = split_path(&request.path);
    let mut form = Form::parse(query);
    if request.method.eq_ignore_ascii_case("GET") || request.body.is_empty() {
        return Ok((form, BodyKind::None));
    }
    let content_type = header(request, "content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let mime = content_type.split(';').next().unwrap_or("").trim();
    match mime {
        "application/x-www-form-urlencoded" => {
            let text =
                std::str::from_utf8(&request.body).map_err(|_| Refusal::new("invalid_charset"))?;
            form.0.extend(Form::parse(text).0);
            Ok((form, BodyKind::Form))
        }
        "multipart/form-data" => {
            let boundary = content_type
                .split(';')
                .filter_map(|p| p.trim().strip_prefix("boundary="))
                .next()
                .map(|b| b.trim_matches('"').to_owned())
                .ok_or_else(|| Refusal::new("invalid_form_data"))?;
            // The boundary is case-sensitive: take it from the original header.
            let original = header(request, "content-type").unwrap_or("");
            let at = original.to_ascii_lowercase().find(&boundary).unwrap_or(0);
            let boundary = &original[at..at + boundary.len()];
            form.0.extend(multipart(&request.body, boundary)?.0);
            Ok((form, BodyKind::Multipart))
        }
        "application/json" => {
            let value: Value =
                serde_json::from_slice(&request.body).map_err(|_| Refusal::new("invalid_json"))?;
            let Value::Object(map) = value else {
                return Err(Refusal::new("json_not_object"));
            };
            for (k, v) in map {
                let text = match v {
                    Value::Null => continue,
                    Value::String(s) => s,
                    Value::Bool(b) => b.to_string(),
                    Value::Number(n) => n.to_string(),
                    Value::Array(items) => items
                        .into_iter()
                        .map(|i| match i {
                            Value::String(s) => s,
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(","),
                    obj @ Value::Object(_) => obj.to_string(),
                };
                form.push(k, text);
            }
            Ok((form, BodyKind::Json))
        }
        "" => Err(Refusal::new("missing_post_type")),
        _ => Err(Refusal::new("invalid_post_type")),
    }
}

/// Fields of a `multipart/form-data` body (files are ignored).
fn multipart(body: &[u8], boundary: &str) -> Result<Form, Refusal> {
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut form = Form::default();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .ok_or_else(|| Refusal::new("invalid_form_data"))?;
        if disposition.contains("filename=") {
            continue;
        }
        let name = disposition
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("name="))
            .next()
            .map(|n| n.trim_matches('"').to_owned())
            .ok_or_else(|| Refusal::new("invalid_form_data"))?;
        form.push(name, value);
    }
    Ok(form)
}

/// Serves `/api/<method>` (faults are applied by the caller).
pub fn web_api(
    state: &mut State,
    rate: &mut RateLimiter,
    request: &Request,
    method_name: &str,
    now_ms: u64,
) -> HttpResponse {
    let mut scopes_header = None;
    let mut accepted_header = None;
    let mut response = match web_api_inner(
        state,
        rate,
        request,
        method_name,
        now_ms,
        &mut scopes_header,
        &mut accepted_header,
    ) {
        Ok(r) => r,
        Err(refusal) => refusal.response(),
    };
    if let Some(s) = scopes_header {
        response.headers.push(("x-oauth-scopes".into(), s));
    }
    if let Some(s) = accepted_header {
        response.headers.push(("x-accepted-oauth-scopes".into(), s));
    }
    cors::allow_any_origin(&mut response);
    response
}

fn web_api_inner(
    state: &mut State,
    rate: &mut RateLimiter,
    request: &Request,
    method_name: &str,
    now_ms: u64,
    scopes_header: &mut Option<String>,
    accepted_header: &mut Option<String>,
) -> Result<HttpResponse, Refusal> {
    if !matches!(request.method.to_ascii_uppercase().as_str(), "GET" | "POST") {
        return Ok(HttpResponse {
            status: 405,
            headers: vec![("allow".into(), "GET, POST, OPTIONS".into())],
            body: b"Method Not Allowed".to_vec(),
        });
    }
    let Some(info) = methods::info(method_name) else {
        return Err(Refusal::new("unknown_method").with("req_method", method_name));
    };
    *accepted_header = Some(info.scopes.join(","));
    let (mut form, kind) = arguments(request)?;
    // A JSON body carries no token: Slack reads it from the Authorization header only.
    let body_token = form.take("token");
    let token_text = bearer(request).or(if kind == BodyKind::Json {
        None
    } else {
        body_token
    });
    let token_text = token_text
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| Refusal::new("not_authed"))?;
    // Tokens in a query string are refused for apps created after 2021-02-24: only a legacy
    // token may still come that way.
    let (_, query) = split_path(&request.path);
    if Form::parse(query).get("token").is_some()
        && auth::find(token_text.trim()).is_some_and(|t| t.kind != auth::TokenKind::Legacy)
    {
        return Err(Refusal::new("not_authed").with(
            "response_metadata",
            serde_json::json!({ "messages": ["[ERROR] tokens are not accepted in the query string; send them in the body or an Authorization header"] }),
        ));
    }
    let token = auth::find(token_text.trim()).ok_or_else(|| Refusal::new("invalid_auth"))?;
    if state.revoked.contains(token.token) {
        return Err(Refusal::new("token_revoked"));
    }
    *scopes_header = Some(token.scope_list());
    // Per method, per workspace, per app (Slack's rate-limit docs): every sandbox token but
    // the legacy ones belongs to the console's app; a legacy token is an app of its own. The
    // workspace is the one named by `team_id`, else the token's.
    let app = match token.kind {
        auth::TokenKind::Legacy => token.token,
        _ => "console-app",
    };
    let workspace = form
        .get("team_id")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(token.team);
    let who = format!("{app}@{workspace}");
    if let Err(retry_after) = rate.check(&who, info.name, info.tier.per_minute(), now_ms) {
        return Ok(rate_limited(retry_after));
    }
    api::check_access(&info, token, state)?;
    let call = Call {
        token,
        form: &form,
        now: (now_ms / 1000) as i64,
        seed: state.seed,
    };
    api::dispatch(info.name, state, &call)
}

/// HTTP 429 as Slack sends it.
pub fn rate_limited(retry_after: u64) -> HttpResponse {
    let mut r = HttpResponse::json(
        429,
        &serde_json::json!({"ok": false, "error": "ratelimited"}),
    );
    r.headers
        .push(("retry-after".into(), retry_after.max(1).to_string()));
    r
}

pub fn not_found() -> HttpResponse {
    HttpResponse {
        status: 404,
        headers: vec![("content-type".into(), "text/plain; charset=utf-8".into())],
        body: b"Not Found".to_vec(),
    }
}

/// What a load balancer sends when the backend fails.
pub fn internal_error() -> HttpResponse {
    HttpResponse {
        status: 500,
        headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
        body: b"<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>".to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(content_type: &str, body: &str) -> Request {
        Request {
            method: "POST".into(),
            path: "/api/auth.test?a=1".into(),
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn reads_form_json_and_multipart() {
        let (f, _) = arguments(&req("application/x-www-form-urlencoded", "b=2&c=x%2Cy")).unwrap();
        assert_eq!(
            (f.get("a"), f.get("b"), f.get("c")),
            (Some("1"), Some("2"), Some("x,y"))
        );
        let (f, k) = arguments(&req(
            "application/json; charset=utf-8",
            r#"{"b":true,"c":["C1","C2"],"n":5}"#,
        ))
        .unwrap();
        assert_eq!(k, BodyKind::Json);
        assert_eq!(
            (f.get("b"), f.get("c"), f.get("n")),
            (Some("true"), Some("C1,C2"), Some("5"))
        );
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nxoxp-1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"team_id\"\r\n\r\nT1\r\n--XyZ--\r\n";
        let (f, _) = arguments(&req("multipart/form-data; boundary=XyZ", body)).unwrap();
        assert_eq!(
            (f.get("token"), f.get("team_id")),
            (Some("xoxp-1"), Some("T1"))
        );
    }

    #[test]
    fn refuses_bodies_slack_refuses() {
        assert_eq!(
            arguments(&req("application/json", "{")).unwrap_err().code,
            "invalid_json"
        );
        assert_eq!(
            arguments(&req("application/json", "[1]")).unwrap_err().code,
            "json_not_object"
        );
        assert_eq!(
            arguments(&req("text/plain", "x")).unwrap_err().code,
            "invalid_post_type"
        );
        assert_eq!(
            arguments(&req("", "x")).unwrap_err().code,
            "missing_post_type"
        );
    }
}

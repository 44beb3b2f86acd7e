//! CORS like Slack's Web API: every answer carries `Access-Control-Allow-Origin: *`, so a
//! simple request (a form POST with `token=` in the body) works from any page; a preflight is
//! answered without allowing `Authorization` or a JSON `Content-Type`, so a browser refuses a
//! Bearer or JSON call. SCIM answers carry no CORS headers at all (browsers are not expected
//! to reach it; the proxy does).

use slack_admin_core::HttpResponse;

/// Headers Slack allows in a preflight (none that a Web API client needs).
pub const ALLOWED_HEADERS: &str =
    "slack-route, x-slack-version-ts, x-b3-traceid, x-b3-spanid, x-b3-parentspanid, x-b3-sampled, x-b3-flags";

/// Adds the header every Web API answer carries.
pub fn allow_any_origin(response: &mut HttpResponse) {
    response
        .headers
        .push(("access-control-allow-origin".into(), "*".into()));
}

/// The answer to `OPTIONS /api/...`.
pub fn preflight() -> HttpResponse {
    HttpResponse {
        status: 204,
        headers: vec![
            ("access-control-allow-origin".into(), "*".into()),
            ("access-control-allow-methods".into(), "GET, POST".into()),
            (
                "access-control-allow-headers".into(),
                ALLOWED_HEADERS.into(),
            ),
            ("access-control-max-age".into(), "86400".into()),
        ],
        body: Vec::new(),
    }
}

/// Whether a preflight answer lets a browser send `header` (for tests and docs).
pub fn preflight_allows_header(response: &HttpResponse, header: &str) -> bool {
    response
        .header("access-control-allow-headers")
        .map(|list| {
            list.split(',')
                .any(|h| h.trim().eq_ignore_ascii_case(header))
        })
        .unwrap_or(false)
}

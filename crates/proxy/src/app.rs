//! The HTTP side: `POST /api/<method>` as Slack's Web API (the key in place of the token),
//! refusing by default; the built console at `/` with an SPA fallback; security headers on
//! everything; CORS only for the origins given.

use crate::pacer::Pacer;
use crate::store::{KeyInfo, Store};
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use slack_admin_core::method::MethodInfo;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the proxy runs. Its `Debug` leaves the secrets out.
#[derive(Clone)]
pub struct Config {
    /// Slack's Web API (or a slack-sim), ending with `/`.
    pub slack_api_url: String,
    /// The Slack token. Never logged, never in an answer.
    pub token: String,
    /// The built console, served at `/`.
    pub static_dir: Option<PathBuf>,
    /// Origins allowed to call from a browser page elsewhere (none by default).
    pub allow_origins: Vec<String>,
    /// The largest request body accepted (bytes).
    pub max_body: usize,
    /// Times Slack's allowances for the pacer (1 for Slack).
    pub rate_scale: f64,
    /// How long a caller may take to send its request (a slow client is cut off).
    pub read_timeout: Duration,
    /// The Slack app's signing secret: Slack's events are accepted only with it.
    pub signing_secret: Option<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("slack_api_url", &self.slack_api_url)
            .field("static_dir", &self.static_dir)
            .field("allow_origins", &self.allow_origins)
            .field("max_body", &self.max_body)
            .field("rate_scale", &self.rate_scale)
            .finish_non_exhaustive()
    }
}

impl Config {
    pub fn new(slack_api_url: &str, token: &str) -> Self {
        let mut url = slack_api_url.trim().to_owned();
        if !url.ends_with('/') {
            url.push('/');
        }
        Config {
            slack_api_url: url,
            token: token.to_owned(),
            static_dir: None,
            allow_origins: Vec::new(),
            max_body: 1 << 20,
            rate_scale: 1.0,
            read_timeout: Duration::from_secs(10),
            signing_secret: None,
        }
    }
}

pub struct Shared {
    pub config: Config,
    pub store: Mutex<Store>,
    pub pacer: Pacer,
    pub client: reqwest::Client,
    /// The open event streams of `/proxy/events`.
    pub live: crate::live::Live,
    /// The jobs the proxy runs (`/proxy/jobs`).
    pub jobs: crate::jobs::Jobs,
    /// Each allowed method's address at Slack, parsed once.
    pub urls: std::collections::HashMap<&'static str, reqwest::Url>,
}

pub type AppState = Arc<Shared>;

pub fn state(config: Config, store: Store) -> AppState {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        // Slack answers itself; a redirect would carry the token elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    Arc::new(Shared {
        pacer: Pacer::new(config.rate_scale),
        store: Mutex::new(store),
        client,
        live: crate::live::Live::default(),
        jobs: crate::jobs::Jobs::default(),
        urls: slack_admin_core::methods::all()
            .iter()
            .filter_map(|m| {
                let url = reqwest::Url::parse(&format!("{}{}", config.slack_api_url, m.name));
                Some((m.name, url.ok()?))
            })
            .collect(),
        config,
    })
}

/// The methods the console uses: the only ones the proxy passes on.
pub fn allowed(method: &str) -> Option<&'static MethodInfo> {
    slack_admin_core::methods::all()
        .iter()
        .find(|m| m.name == method)
}

/// Whether a read-only key may call `m`: it needs read scopes only (`users:read.email` is
/// one). A method without scopes is a read only if it is `auth.test`.
pub fn is_read(m: &MethodInfo) -> bool {
    if m.scopes.is_empty() {
        return m.name == "auth.test";
    }
    m.scopes
        .iter()
        .all(|s| s.ends_with(":read") || s.contains(":read."))
}

pub fn router(state: AppState) -> Router {
    let static_dir = state.config.static_dir.clone();
    let mut app = Router::new()
        // One route for every path under /api/: a method name never holds a `/`, so a path
        // with more (`/api/../x`, `/api/a%2Fb`) is no method at all.
        .route(
            "/api/{*method}",
            post(api).options(preflight).fallback(no_such_method),
        )
        .route("/api", axum::routing::any(no_such_method))
        .route("/api/", axum::routing::any(no_such_method))
        .route("/proxy.json", axum::routing::get(about))
        .route(
            "/proxy/audit",
            axum::routing::get(crate::activity::audit).options(preflight),
        )
        .route(
            "/proxy/jobs",
            axum::routing::get(crate::jobs::list)
                .post(crate::jobs::create)
                .options(preflight),
        )
        .route(
            "/proxy/jobs/{id}",
            axum::routing::get(crate::jobs::get).options(preflight),
        )
        .route(
            "/proxy/jobs/{id}/{action}",
            post(crate::jobs::control).options(preflight),
        )
        .route("/slack/events", post(crate::events::events))
        .route("/proxy/events", crate::live::routes());
    if let Some(dir) = static_dir {
        // Files as they are; every other path (the console's routes, `/`) is the console's
        // page, marked as served by this proxy.
        let index = dir.join("index.html");
        let page = move || {
            let index = index.clone();
            async move { console_page(&index).await }
        };
        app = app
            .route("/index.html", axum::routing::get(page.clone()))
            .fallback_service(
                tower_http::services::ServeDir::new(&dir)
                    .append_index_html_on_directories(false)
                    .fallback(page.clone().into_service()),
            );
    }
    app.layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers_and_cors,
        ))
        .with_state(state)
}

/// Slack's own shape for a refusal.
pub fn slack_error(status: StatusCode, code: &str) -> Response<Body> {
    let body = serde_json::json!({"ok": false, "error": code}).to_string();
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from(body))
        .expect("a response")
}

async fn no_such_method() -> Response<Body> {
    slack_error(StatusCode::NOT_FOUND, "unknown_method")
}

/// The console's page with a `<meta name="slack-admin-proxy">`: its connect page then offers
/// this proxy, at its own address, without asking anything over the network.
async fn console_page(index: &std::path::Path) -> Response<Body> {
    match tokio::fs::read_to_string(index).await {
        Ok(html) => {
            let marked = html.replacen(
                "<head>",
                "<head><meta name=\"slack-admin-proxy\" content=\"api/\">",
                1,
            );
            Response::builder()
                .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                .header(header::CACHE_CONTROL, "no-cache")
                .body(Body::from(marked))
                .expect("a response")
        }
        Err(_) => (StatusCode::NOT_FOUND, "no console here (--static-dir)").into_response(),
    }
}

async fn about() -> Response<Body> {
    let body = serde_json::json!({
        "proxy": "slack-admin-proxy",
        "version": env!("CARGO_PKG_VERSION"),
    })
    .to_string();
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("a response")
}

async fn preflight() -> Response<Body> {
    // The middleware adds CORS headers for allowed origins; others get none.
    StatusCode::NO_CONTENT.into_response()
}

/// The key in `Authorization: Bearer` (the scheme in any case), if any.
pub fn bearer_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(rest)
        })
        .map(|v| v.trim().to_owned())
        .filter(|k| !k.is_empty())
}

/// The key presented: `Authorization: Bearer` or the `token` field.
fn presented_key(headers: &HeaderMap, form: &[(String, String)]) -> Option<String> {
    bearer_key(headers)
        .or_else(|| {
            form.iter()
                .find(|(k, _)| k == "token")
                .map(|(_, v)| v.trim().to_owned())
        })
        .filter(|k| !k.is_empty())
}

/// The key's holder, or Slack's refusal: `not_authed` without a key, `invalid_auth` for a
/// key that is unknown or revoked.
// The refusal is the answer itself, handed straight back: boxing it would only allocate.
#[allow(clippy::result_large_err)]
pub fn check_key(state: &AppState, key: Option<String>) -> Result<KeyInfo, Response<Body>> {
    let Some(key) = key else {
        return Err(slack_error(StatusCode::OK, "not_authed"));
    };
    let found = {
        let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
        store.find_key(&key)
    };
    match found {
        Ok(Some(k)) => Ok(k),
        Ok(None) => {
            // Never the key itself: only that one was refused.
            tracing::warn!("refused: an unknown or revoked access key");
            Err(slack_error(StatusCode::OK, "invalid_auth"))
        }
        Err(e) => {
            tracing::error!(error = %e, "reading the keys");
            Err(slack_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
            ))
        }
    }
}

async fn api(
    State(state): State<AppState>,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response<Body> {
    let Some(info) = allowed(&method) else {
        return slack_error(StatusCode::NOT_FOUND, "unknown_method");
    };
    let bytes = match read_body(&state, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !bytes.is_empty() && !content_type.starts_with("application/x-www-form-urlencoded") {
        return slack_error(StatusCode::OK, "invalid_form_data");
    }
    let Ok(form) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes) else {
        return slack_error(StatusCode::OK, "invalid_form_data");
    };
    let who = match check_key(&state, presented_key(&headers, &form)) {
        Ok(k) => k,
        Err(refused) => return refused,
    };
    let write = !is_read(info);
    if who.read_only && write {
        tracing::info!(key = %who.name, %method, "refused: a read-only key on a write method");
        return slack_error(StatusCode::OK, "no_permission");
    }
    // Only the form goes on, without the caller's key; the server's token goes in the header.
    let fields: Vec<(String, String)> = form.into_iter().filter(|(k, _)| k != "token").collect();
    // A turn more than MAX_WAIT away is not queued for (a flood of calls would otherwise push
    // every admin's next call of this method an hour away): Slack's own answer instead.
    let Some(wait) = state
        .pacer
        .reserve(&method, info.tier, Instant::now(), MAX_WAIT)
    else {
        let mut r = slack_error(StatusCode::TOO_MANY_REQUESTS, "ratelimited");
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
        return r;
    };
    // A write is in the audit log before it is sent; if it cannot be, it is not sent.
    let target = audit_target(&fields);
    if write {
        let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = store.audit(unix_now(), &who.name, &method, &target, "sent") {
            tracing::error!(error = %e, "writing the audit log");
            return slack_error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error");
        }
    }
    // The call and its outcome's audit entry finish even if the caller goes away meanwhile.
    let task = tokio::spawn(forward(state, method, who, fields, target, write, wait));
    match task.await {
        Ok(r) => r,
        Err(_) => slack_error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
    }
}

/// The longest a call waits for its turn before the proxy answers `ratelimited` instead.
pub const MAX_WAIT: Duration = Duration::from_secs(20);

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The request's body, at most `max_body` bytes within `read_timeout`.
async fn read_body(state: &AppState, body: Body) -> Result<Bytes, Response<Body>> {
    use http_body_util::BodyExt;
    let limited = http_body_util::Limited::new(body, state.config.max_body);
    match tokio::time::timeout(state.config.read_timeout, limited.collect()).await {
        Err(_) => Err(slack_error(StatusCode::REQUEST_TIMEOUT, "request_timeout")),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(slack_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request_too_large",
        )),
        Ok(Err(_)) => Err(slack_error(StatusCode::BAD_REQUEST, "invalid_form_data")),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// A call's fields as the audit log keeps them: no token, and anything that looks like a
/// secret (a token inside a message, a field named like a secret) hidden before it is stored.
pub fn audit_target(fields: &[(String, String)]) -> String {
    serde_json::to_string(&slack_admin_core::audit::redact(fields.to_vec())).unwrap_or_default()
}

/// Slack's answer to one call, as it came.
pub struct Answer {
    pub status: StatusCode,
    pub retry_after: Option<String>,
    pub scopes: Option<HeaderValue>,
    pub content_type: HeaderValue,
    pub body: Bytes,
}

/// Sends the call to Slack at its turn (after `wait`) with the server's token, holds the
/// method for everyone on a 429, logs it and records a write's outcome in the audit log.
/// `Err`: no answer, or one cut off (the call may have reached Slack).
pub async fn call(
    state: &AppState,
    method: &str,
    who: &crate::store::KeyInfo,
    fields: &[(String, String)],
    target: &str,
    write: bool,
    wait: Duration,
) -> Result<Answer, &'static str> {
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    // Parsed once, at start, for every method the proxy passes on.
    let url = match state.urls.get(method) {
        Some(u) => u.clone(),
        None => match reqwest::Url::parse(&format!("{}{method}", state.config.slack_api_url)) {
            Ok(u) => u,
            Err(_) => return Err("the Slack API address is not a URL"),
        },
    };
    let sent = state
        .client
        .post(url)
        .bearer_auth(&state.config.token)
        .form(fields)
        .send()
        .await;
    let audit = |outcome: &str| {
        if write {
            let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(e) = store.audit(unix_now(), &who.name, method, target, outcome) {
                tracing::error!(error = %e, "writing the audit log");
            }
        }
    };
    let answer = match sent {
        Ok(a) => a,
        Err(e) => {
            tracing::warn!(%method, error = %e.without_url(), "Slack did not answer");
            audit("unknown: no answer from Slack");
            return Err("no answer from Slack");
        }
    };
    let status = answer.status();
    let retry_after = answer
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let scopes = answer.headers().get("x-oauth-scopes").cloned();
    let content_type = answer
        .headers()
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("application/json; charset=utf-8"));
    let Ok(body) = answer.bytes().await else {
        audit("unknown: Slack's answer was cut off");
        return Err("Slack's answer was cut off");
    };
    if status == StatusCode::TOO_MANY_REQUESTS {
        // At most an hour, whatever the header says.
        let secs = retry_after
            .as_deref()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(30)
            .min(3_600);
        state
            .pacer
            .hold(method, Duration::from_secs(secs), Instant::now());
    }
    let outcome = outcome_of(status, &body);
    // Writes are worth a line each (they are audited too); reads only when asked for.
    if write {
        tracing::info!(key = %who.name, %method, status = status.as_u16(), %outcome, "called Slack");
    } else {
        tracing::debug!(key = %who.name, %method, status = status.as_u16(), %outcome, "called Slack");
    }
    audit(&outcome);
    Ok(Answer {
        status,
        retry_after,
        scopes,
        content_type,
        body,
    })
}

/// Sends the call to Slack at its turn and hands back Slack's answer as it came.
async fn forward(
    state: AppState,
    method: String,
    who: crate::store::KeyInfo,
    fields: Vec<(String, String)>,
    target: String,
    write: bool,
    wait: Duration,
) -> Response<Body> {
    let Ok(answer) = call(&state, &method, &who, &fields, &target, write, wait).await else {
        return slack_error(StatusCode::BAD_GATEWAY, "service_unavailable");
    };
    let mut response = Response::builder()
        .status(answer.status)
        .header(header::CONTENT_TYPE, answer.content_type);
    if let Some(r) = answer.retry_after {
        response = response.header(header::RETRY_AFTER, r);
    }
    // The token's scopes, as Slack gave them; and what this key may do, for the console.
    if let Some(s) = answer.scopes {
        response = response.header("x-oauth-scopes", s);
    }
    response = response.header(
        "x-slack-admin-proxy",
        if who.read_only {
            "read-only"
        } else {
            "read-write"
        },
    );
    response.body(Body::from(answer.body)).expect("a response")
}

/// `ok`, Slack's error code, or `http <status>`.
fn outcome_of(status: StatusCode, body: &[u8]) -> String {
    // Only the envelope: a page of a thousand members is skipped over, not built.
    #[derive(serde::Deserialize)]
    struct Envelope {
        ok: Option<serde_json::Value>,
        error: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<Envelope>(body) {
        Ok(Envelope { ok: Some(ok), .. }) if ok == true => "ok".into(),
        Ok(Envelope {
            error: Some(serde_json::Value::String(e)),
            ..
        }) => e,
        _ => format!("http {}", status.as_u16()),
    }
}

/// Security headers on every answer; CORS headers only for an allowed origin.
async fn headers_and_cors(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response<Body> {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let allowed_origin = origin
        .clone()
        .filter(|o| state.config.allow_origins.iter().any(|a| a == o));
    // A page of this proxy's own address sends its own origin; an SDK sends none.
    let own = origin.as_deref().is_some_and(|o| {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        o.split_once("://")
            .is_some_and(|(_, authority)| authority == host)
    });
    let is_preflight = request.method() == Method::OPTIONS;
    let foreign = origin.is_some() && allowed_origin.is_none() && !own;
    let to_api =
        request.uri().path().starts_with("/api") || request.uri().path().starts_with("/proxy/");
    let mut response = if is_preflight && allowed_origin.is_none() {
        StatusCode::FORBIDDEN.into_response()
    } else if foreign && to_api {
        // A page of another site: even a "simple" form POST, which browsers send without
        // asking first, is refused before anything reaches Slack.
        slack_error(StatusCode::FORBIDDEN, "origin_not_allowed")
    } else {
        next.run(request).await
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(o) = allowed_origin.and_then(|o| HeaderValue::from_str(&o).ok()) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after, x-oauth-scopes, x-slack-admin-proxy"),
        );
        if is_preflight {
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("authorization, content-type, last-event-id"),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
    }
    response
}

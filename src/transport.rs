//! The one way the app talks to Slack: encode with core, send, decode with core.
//!
//! Three calls: [`Transport::call`] (typed, waiting out rate limits), [`Transport::call_all`]
//! (every page) and [`Transport::send`] (raw, with a [`Retry`] policy). Rate-limit waits are
//! shown on the indicator the transport was built with.
//!
//! Two implementations: `Direct` (fetch to a Slack API base URL, token in the form body, no
//! custom headers, so the browser sends no CORS preflight) and `Sandbox` (the simulated org in
//! its Web Worker, see [`crate::sandbox`]), which both carry the same HTTP request and bring
//! back the same HTTP answer. Pages never build URLs or parse JSON.

use crate::sandbox::{self, Backend};
use leptos::prelude::*;
use slack_admin_core::methods::Ack;
use slack_admin_core::pagination::{Pages, Paginated};
use slack_admin_core::sandbox::protocol::{FromWorker, ToWorker};
use slack_admin_core::{decode, decode_envelope, Form, HttpResponse, Method, SlackError};
use std::fmt;
use std::rc::Rc;

/// How many times a call waits out a 429 before giving up.
pub const RATE_LIMIT_RETRIES: u32 = 3;

/// How long a call may take before it is abandoned as "possibly delivered".
pub const CALL_TIMEOUT_MS: u32 = 30_000;

/// Where calls go. Cheap to clone.
#[derive(Clone)]
pub enum Transport {
    Direct(Rc<Direct>),
    Sandbox(Rc<Sandbox>),
}

/// Slack's Web API (or anything that speaks it, such as a local `slack-sim`) over fetch.
pub struct Direct {
    /// Ends with `/`; the method name is appended.
    pub base_url: String,
    token: String,
    waiting: Waiting,
}

/// Where a transport shows the seconds left while it waits out Slack's rate limit.
pub type Waiting = Option<RwSignal<Option<u64>>>;

/// What [`Transport::send`] does about an HTTP 429.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Wait out `Retry-After` (shown on the transport's indicator) and send again, up to
    /// [`RATE_LIMIT_RETRIES`] times.
    RateLimits,
    /// Hand every answer back as it came: the caller paces and retries (the invite job).
    Never,
}

/// The simulated org, in its worker.
pub struct Sandbox {
    backend: Rc<dyn Backend>,
    token: String,
    waiting: Waiting,
}

impl fmt::Debug for Transport {
    /// Never shows the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transport::Direct(d) => write!(f, "Direct({})", d.base_url),
            Transport::Sandbox(_) => f.write_str("Sandbox"),
        }
    }
}

impl Transport {
    /// Slack (or a local slack-sim) at `base_url`; rate-limit waits show on `waiting`.
    pub fn direct(base_url: &str, token: &str, waiting: Waiting) -> Self {
        Transport::Direct(Rc::new(Direct {
            base_url: base_url.to_owned(),
            token: token.to_owned(),
            waiting,
        }))
    }

    /// The sandbox org behind `backend` (the tab's worker), signed in with one of its fake
    /// tokens; rate-limit waits show on `waiting`.
    pub fn sandbox(backend: Rc<dyn Backend>, token: &str, waiting: Waiting) -> Self {
        Transport::Sandbox(Rc::new(Sandbox {
            backend,
            token: token.to_owned(),
            waiting,
        }))
    }

    fn waiting(&self) -> Waiting {
        match self {
            Transport::Direct(d) => d.waiting,
            Transport::Sandbox(s) => s.waiting,
        }
    }

    /// Whether two handles are the same connection (not just the same settings).
    pub fn same(&self, other: &Transport) -> bool {
        match (self, other) {
            (Transport::Direct(a), Transport::Direct(b)) => Rc::ptr_eq(a, b),
            (Transport::Sandbox(a), Transport::Sandbox(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    pub fn token(&self) -> &str {
        match self {
            Transport::Direct(d) => &d.token,
            Transport::Sandbox(s) => &s.token,
        }
    }

    /// Calls a method and decodes its answer, waiting out rate limits.
    pub async fn call<M: Method>(&self, request: &M) -> Result<M::Response, SlackError> {
        decode::<M>(
            &self
                .send(M::NAME, &request.form(), Retry::RateLimits)
                .await?,
        )
    }

    /// Sends one call by name and hands back Slack's answer, undecoded (for headers such as
    /// `x-oauth-scopes`, or a caller that decodes itself). `Err` only when no answer came,
    /// or, with [`Retry::RateLimits`], when the rate limit outlasted the retries.
    pub async fn send(
        &self,
        method: &str,
        form: &Form,
        retry: Retry,
    ) -> Result<HttpResponse, SlackError> {
        let mut attempt = 0;
        loop {
            let answer = match self {
                Transport::Direct(d) => d.send(method, form).await?,
                Transport::Sandbox(s) => s.send(method, form).await?,
            };
            if answer.status != 429 || retry == Retry::Never {
                return Ok(answer);
            }
            let Err(SlackError::RateLimited { retry_after }) = decode_envelope::<Ack>(&answer)
            else {
                return Ok(answer);
            };
            if attempt >= RATE_LIMIT_RETRIES {
                return Err(SlackError::RateLimited { retry_after });
            }
            attempt += 1;
            wait_out(retry_after, self.waiting()).await;
        }
    }

    /// Every page of a list method, in order.
    pub async fn call_all<M: Paginated>(&self, request: &M) -> Result<Vec<M::Item>, SlackError> {
        let mut pages = Pages::default();
        let mut items = Vec::new();
        while let Some(cursor) = pages.next_request() {
            let answer = self.call(&request.at_cursor(cursor)).await?;
            pages.record(M::next_cursor(&answer))?;
            items.extend(M::into_items(answer));
        }
        Ok(items)
    }
}

/// Counts down `seconds` in `waiting`, then clears it.
async fn wait_out(seconds: u64, waiting: Option<RwSignal<Option<u64>>>) {
    for left in (1..=seconds).rev() {
        if let Some(w) = waiting {
            w.set(Some(left));
        }
        gloo_timers::future::TimeoutFuture::new(1_000).await;
    }
    if let Some(w) = waiting {
        w.set(None);
    }
}

impl Direct {
    async fn send(&self, method: &str, form: &Form) -> Result<HttpResponse, SlackError> {
        self.send_within(method, form, CALL_TIMEOUT_MS).await
    }

    /// Sends, abandoning the call after `timeout_ms` (AbortController): the request may have
    /// reached Slack, so callers treat it as possibly delivered.
    async fn send_within(
        &self,
        method: &str,
        form: &Form,
        timeout_ms: u32,
    ) -> Result<HttpResponse, SlackError> {
        let network = |message: String| SlackError::Http { status: 0, message };
        let params = web_sys::UrlSearchParams::new()
            .map_err(|_| network("the browser could not build the request".into()))?;
        for (k, v) in &form.0 {
            params.append(k, v);
        }
        params.append("token", &self.token);
        let controller = web_sys::AbortController::new().ok();
        let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
        let _timer = controller.clone().map(|c| {
            let timed_out = std::rc::Rc::clone(&timed_out);
            gloo_timers::callback::Timeout::new(timeout_ms, move || {
                timed_out.set(true);
                c.abort();
            })
        });
        let signal = controller.as_ref().map(web_sys::AbortController::signal);
        let late = || {
            network(format!(
                "no answer from {} within {} s; the call may still have reached Slack",
                self.base_url,
                timeout_ms / 1000
            ))
        };
        // A URLSearchParams body is sent as application/x-www-form-urlencoded: a CORS
        // "simple request", with no preflight.
        let response = gloo_net::http::Request::post(&format!("{}{method}", self.base_url))
            .abort_signal(signal.as_ref())
            .body(params)
            .map_err(|_| network("the browser could not build the request".into()))?
            .send()
            .await
            .map_err(|_| {
                if timed_out.get() {
                    late()
                } else {
                    network(format!(
                        "no answer from {}: the network failed, the address is wrong, or the \
                         server does not allow calls from this page (CORS)",
                        self.base_url
                    ))
                }
            })?;
        let headers = [
            "retry-after",
            "x-oauth-scopes",
            "content-type",
            "x-slack-admin-proxy",
        ]
        .iter()
        .filter_map(|name| {
            response
                .headers()
                .get(name)
                .map(|v| ((*name).to_owned(), v))
        })
        .collect();
        let body = response.binary().await.map_err(|_| {
            if timed_out.get() {
                late()
            } else {
                network("the answer was cut off".into())
            }
        })?;
        Ok(HttpResponse {
            status: response.status(),
            headers,
            body,
        })
    }
}

impl Sandbox {
    async fn send(&self, method: &str, form: &Form) -> Result<HttpResponse, SlackError> {
        let mut form = form.clone();
        form.push("token", self.token.clone());
        let call = ToWorker::Call {
            id: sandbox::next_id(),
            method: "POST".into(),
            path: format!("/api/{method}"),
            headers: vec![(
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: form.encode(),
        };
        answer_of(self.backend.exchange(call).await)
    }
}

/// Makes the sandbox org's allowances `rate_scale` times Slack's (the faster sandbox).
pub async fn configure_sandbox(
    backend: &dyn Backend,
    rate_scale: f64,
    members: Option<usize>,
) -> Result<(), SlackError> {
    let id = sandbox::next_id();
    match backend
        .exchange(ToWorker::Configure {
            id,
            rate_scale,
            members,
        })
        .await
    {
        FromWorker::Configured { .. } => Ok(()),
        other => answer_of(other).map(|_| ()),
    }
}

/// The HTTP answer in a worker's message, or why there is none.
fn answer_of(message: FromWorker) -> Result<HttpResponse, SlackError> {
    let network = |message: String| SlackError::Http { status: 0, message };
    match message {
        FromWorker::Answer {
            status,
            headers,
            body,
            ..
        } => Ok(HttpResponse {
            status,
            headers,
            body: body.into_bytes(),
        }),
        FromWorker::Dropped { .. } => Err(network("the sandbox dropped the connection".into())),
        FromWorker::Failed { reason } => Err(sandbox::unavailable(&reason)),
        FromWorker::Unreadable { reason, .. } => Err(network(format!(
            "the sandbox could not read the call: {reason}"
        ))),
        FromWorker::Ready { .. } | FromWorker::Configured { .. } => {
            Err(network("the sandbox answered out of turn".into()))
        }
    }
}

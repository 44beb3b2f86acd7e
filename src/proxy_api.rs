//! The proxy's own routes (`/proxy/…`), beside the Slack API it forwards: JSON, with the access
//! key in `Authorization` (never in a URL). Only a connection through a proxy has them.

use crate::session::{Connection, Settings};
use slack_admin_core::SlackError;

/// How long a call to the proxy may take before it is given up.
const TIMEOUT_MS: u32 = 30_000;

#[derive(Clone)]
pub struct ProxyApi {
    /// The proxy's address, ending with `/`.
    base: String,
    key: String,
}

impl ProxyApi {
    /// The proxy of `connection`, if it is made through one.
    pub fn of(connection: &Connection) -> Option<Self> {
        match connection.settings() {
            Settings::Proxy { url, key } => Some(ProxyApi { base: url, key }),
            _ => None,
        }
    }

    pub async fn get(&self, path: &str) -> Result<serde_json::Value, SlackError> {
        self.send("GET", path, None).await
    }

    pub async fn post(
        &self,
        path: &str,
        body: Option<String>,
    ) -> Result<serde_json::Value, SlackError> {
        self.send("POST", path, body).await
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> Result<serde_json::Value, SlackError> {
        let url = format!("{}{}", self.base, path.trim_start_matches('/'));
        let network = |message: String| SlackError::Http { status: 0, message };
        let controller = web_sys::AbortController::new().ok();
        let _timer = controller
            .clone()
            .map(|c| gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || c.abort()));
        let signal = controller.as_ref().map(web_sys::AbortController::signal);
        let builder = match method {
            "POST" => gloo_net::http::Request::post(&url),
            _ => gloo_net::http::Request::get(&url),
        }
        .abort_signal(signal.as_ref())
        .header("Authorization", &format!("Bearer {}", self.key));
        let request = match body {
            Some(b) => builder.header("Content-Type", "application/json").body(b),
            None => builder.build(),
        }
        .map_err(|_| network("the browser could not build the request".into()))?;
        let response = request.send().await.map_err(|_| {
            network(format!(
                "no answer from the proxy at {}: it is down, or the network failed",
                self.base
            ))
        })?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|_| network("the proxy's answer was cut off".into()))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|_| SlackError::Http {
                status,
                message: format!("the proxy answered HTTP {status} without JSON"),
            })?;
        if json["ok"] == true {
            return Ok(json);
        }
        Err(SlackError::Api {
            code: json["error"].as_str().unwrap_or("unknown_error").to_owned(),
            needed: None,
            provided: None,
            detail: json["detail"].as_str().map(str::to_owned),
        })
    }
}

impl ProxyApi {
    /// Hands a job to the proxy, which runs it from now on; returns its number there.
    pub async fn start_job(
        &self,
        kind: slack_admin_core::server_jobs::Kind,
        title: String,
        job: serde_json::Value,
    ) -> Result<i64, SlackError> {
        let body =
            serde_json::to_string(&slack_admin_core::server_jobs::NewJob { kind, title, job })
                .map_err(|e| SlackError::Http {
                    status: 0,
                    message: format!("the job could not be written ({e})"),
                })?;
        let answer = self.post("proxy/jobs", Some(body)).await?;
        answer["summary"]["id"].as_i64().ok_or(SlackError::Http {
            status: 0,
            message: "the proxy did not say which job it started".into(),
        })
    }
}

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

/// The answer of `GET /proxy/jobs/<n>`: the job's summary and the job itself (as the console
/// saves one).
pub struct JobDetail {
    pub summary: slack_admin_core::server_jobs::Summary,
    pub job: serde_json::Value,
}

impl ProxyApi {
    /// Every job on the proxy, newest first.
    pub async fn jobs(&self) -> Result<Vec<slack_admin_core::server_jobs::Summary>, SlackError> {
        let answer = self.get("proxy/jobs").await?;
        serde_json::from_value(answer["jobs"].clone()).map_err(unreadable)
    }

    pub async fn job(&self, id: i64) -> Result<JobDetail, SlackError> {
        let answer = self.get(&format!("proxy/jobs/{id}")).await?;
        Ok(JobDetail {
            summary: serde_json::from_value(answer["summary"].clone()).map_err(unreadable)?,
            job: answer["job"].clone(),
        })
    }

    /// Pauses, resumes or cancels job `id`; returns its summary after.
    pub async fn control(
        &self,
        id: i64,
        action: JobAction,
    ) -> Result<slack_admin_core::server_jobs::Summary, SlackError> {
        let answer = self
            .post(&format!("proxy/jobs/{id}/{}", action.word()), None)
            .await?;
        serde_json::from_value(answer["summary"].clone()).map_err(unreadable)
    }
}

/// What an admin can do to a job on the proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobAction {
    Pause,
    Resume,
    Cancel,
}

impl JobAction {
    pub const fn word(self) -> &'static str {
        match self {
            JobAction::Pause => "pause",
            JobAction::Resume => "resume",
            JobAction::Cancel => "cancel",
        }
    }

    /// What was done, for the live region: "paused".
    pub const fn done(self) -> &'static str {
        match self {
            JobAction::Pause => "paused",
            JobAction::Resume => "resumed",
            JobAction::Cancel => "the rest cancelled",
        }
    }
}

fn unreadable(e: serde_json::Error) -> SlackError {
    SlackError::Decode {
        message: format!("the proxy's answer is not what this console reads ({e}); is the proxy the same version?"),
    }
}

/// What to tell the admin when the proxy did not take a job: its refusal, or, when no answer
/// came, that it may have taken it after all (the Jobs page says).
pub fn not_started(error: &SlackError) -> String {
    match error {
        SlackError::Http { status: 0, .. } => "No answer came from the proxy, so it may have taken the job after all: look on the Jobs page before starting it again.".to_owned(),
        e => {
            let why = slack_admin_core::catalogue::explain(e, None);
            format!("The proxy did not take the job: {} {} Nothing was sent.", why.summary, why.fix)
        }
    }
}

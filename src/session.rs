//! The connection: who is connected, how, and remembering it only when asked.

use crate::sandbox::Stage;
use crate::transport::{Retry, Transport};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use slack_admin_core::connection::{Identity, Scopes};
use slack_admin_core::methods::admin_teams::AdminTeamsList;
use slack_admin_core::methods::auth::AuthTest;
use slack_admin_core::methods::conversations::{Channel, ConversationsList};
use slack_admin_core::methods::team::{Team, TeamInfo};
use slack_admin_core::{Method, SlackError, TeamId};
use std::collections::HashMap;

/// Slack's own API; the default base URL in token mode.
pub const SLACK_API: &str = "https://slack.com/api/";

/// The rate scale of a "fast" sandbox.
pub const FAST_SANDBOX: f64 = 50.0;

/// The code shown when a remembered connection fails the checks a typed one passes.
pub const REMEMBERED_CONNECTION_REFUSED: &str = "remembered_connection_refused";

/// The localStorage key of a remembered connection.
pub const STORAGE_KEY: &str = "slack-admin-console.connection";

/// What the admin chose on the connect page. Holds the token: never log or show it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Settings {
    Sandbox {
        token: String,
        /// Simulated rate limits 50 times Slack's, for quick demos.
        #[serde(default)]
        fast: bool,
        /// An org of 100,000 members instead of Northwind as it comes.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        big: bool,
    },
    Token {
        base_url: String,
        token: String,
    },
    /// Through `slack-admin-proxy` at `url` (ends with `/`), with an access key: the proxy
    /// holds the Slack token and answers at `url` + `api/` as Slack's Web API does.
    Proxy {
        url: String,
        key: String,
    },
}

impl Settings {
    /// How many times Slack's allowances the connection has: 1 except in a fast sandbox.
    pub fn rate_scale(&self) -> f64 {
        match self {
            Settings::Sandbox { fast: true, .. } => FAST_SANDBOX,
            _ => 1.0,
        }
    }

    /// The sandbox org's size (`None` in token mode).
    pub fn sandbox_members(&self) -> Option<usize> {
        match self {
            Settings::Sandbox { big: true, .. } => Some(slack_admin_core::sandbox::BIG_MEMBERS),
            Settings::Sandbox { .. } => Some(slack_admin_core::sandbox::DEFAULT_MEMBERS),
            Settings::Token { .. } | Settings::Proxy { .. } => None,
        }
    }

    pub fn is_sandbox(&self) -> bool {
        matches!(self, Settings::Sandbox { .. })
    }
}

/// A live connection.
#[derive(Clone)]
pub struct Connection {
    pub transport: Transport,
    pub identity: Identity,
    pub sandbox: bool,
    /// Times Slack's rate allowances (1 but for a fast sandbox): bulk jobs pace by it.
    pub rate_scale: f64,
    /// The sandbox org's size (`None` in token mode).
    pub sandbox_members: Option<usize>,
}

impl Connection {
    /// The settings this connection was made with (the token included: never log them).
    pub fn settings(&self) -> Settings {
        match &self.transport {
            // A proxy's access key goes to the proxy's /api/.
            Transport::Direct(d) if self.transport.token().starts_with("sak_") => Settings::Proxy {
                url: d
                    .base_url
                    .strip_suffix("api/")
                    .unwrap_or(&d.base_url)
                    .to_owned(),
                key: self.transport.token().to_owned(),
            },
            Transport::Direct(d) => Settings::Token {
                base_url: d.base_url.clone(),
                token: self.transport.token().to_owned(),
            },
            Transport::Sandbox(_) => Settings::Sandbox {
                token: self.transport.token().to_owned(),
                fast: self.rate_scale > 1.0,
                big: self.sandbox_members == Some(slack_admin_core::sandbox::BIG_MEMBERS),
            },
        }
    }
}

/// Where the app stands.
#[derive(Clone)]
pub enum Status {
    Disconnected,
    /// Restoring a remembered connection at start-up.
    Reconnecting,
    Connected(Box<Connection>),
}

/// The app-wide context: a small `Copy` struct of signals, read through the getters and
/// changed through the verbs.
#[derive(Clone, Copy)]
pub struct Session {
    status: RwSignal<Status, LocalStorage>,
    /// Seconds left while waiting out Slack's rate limit, for the status banner.
    waiting: RwSignal<Option<u64>>,
    /// Why restoring a remembered connection failed, shown on the connect page.
    restore_error: RwSignal<Option<SlackError>>,
    /// Channels by workspace, fetched once per connection (`conversations.list`, all pages).
    channels: RwSignal<HashMap<TeamId, Vec<Channel>>>,
    /// Where the tab's sandbox org stands (its worker loads when first opened).
    sandbox: RwSignal<Stage>,
}

impl Session {
    pub fn new() -> Self {
        Self {
            status: RwSignal::new_local(Status::Disconnected),
            waiting: RwSignal::new(None),
            restore_error: RwSignal::new(None),
            channels: RwSignal::new(HashMap::new()),
            sandbox: RwSignal::new(Stage::Idle),
        }
    }

    /// Where the tab's sandbox org stands: loading, ready, or why it failed.
    pub fn sandbox_stage(&self) -> ReadSignal<Stage> {
        self.sandbox.read_only()
    }

    /// Where the app stands.
    pub fn status(&self) -> ReadSignal<Status, LocalStorage> {
        self.status.read_only()
    }

    /// Seconds left while a call waits out Slack's rate limit.
    pub fn waiting(&self) -> ReadSignal<Option<u64>> {
        self.waiting.read_only()
    }

    /// Why restoring a remembered connection failed.
    pub fn restore_error(&self) -> ReadSignal<Option<SlackError>> {
        self.restore_error.read_only()
    }

    /// The live connection, read without subscribing (for event handlers and tasks).
    pub fn connection(&self) -> Option<Connection> {
        self.status.with_untracked(|s| match s {
            Status::Connected(c) => Some((**c).clone()),
            _ => None,
        })
    }

    /// Whether `transport` is still the live connection: tasks started with one stop when
    /// the admin disconnects or connects again, even as someone else.
    pub fn is_current(&self, transport: &Transport) -> bool {
        self.status
            .try_with_untracked(
                |s| matches!(s, Status::Connected(c) if c.transport.same(transport)),
            )
            .unwrap_or(false)
    }

    /// Connects; on success remembers the settings if asked, else forgets any saved ones.
    pub async fn connect(&self, settings: Settings, remember: bool) -> Result<(), SlackError> {
        let transport = self.transport(&settings).await?;
        let identity = identify(&transport).await?;
        if remember {
            storage::save(&settings);
        } else {
            storage::clear();
        }
        self.status.set(Status::Connected(Box::new(Connection {
            transport,
            identity,
            sandbox: settings.is_sandbox(),
            rate_scale: settings.rate_scale(),
            sandbox_members: settings.sandbox_members(),
        })));
        Ok(())
    }

    /// The transport `settings` connect with; rate-limit waits show on the banner. The
    /// sandbox's worker is started (or reused) and given the chosen rate limits.
    async fn transport(&self, settings: &Settings) -> Result<Transport, SlackError> {
        let waiting = Some(self.waiting);
        Ok(match settings {
            Settings::Sandbox { token, .. } => {
                let stage = self.sandbox;
                let worker = crate::sandbox::open(move |s| stage.set(s)).await?;
                crate::transport::configure_sandbox(
                    &*worker,
                    settings.rate_scale(),
                    settings.sandbox_members(),
                )
                .await?;
                Transport::sandbox(worker, token, waiting)
            }
            Settings::Token { base_url, token } => Transport::direct(base_url, token, waiting),
            Settings::Proxy { url, key } => Transport::direct(&format!("{url}api/"), key, waiting),
        })
    }

    /// Takes over the connection the entrance module made (see `console_module`): connected
    /// at once, without asking Slack again. The sandbox's worker must have been adopted.
    pub fn adopt(&self, handover: crate::console_module::Handover) -> Result<(), SlackError> {
        let settings = handover.settings;
        let waiting = Some(self.waiting);
        let transport = match &settings {
            Settings::Sandbox { token, .. } => {
                let worker = crate::sandbox::Worker::current().ok_or_else(|| {
                    crate::sandbox::unavailable("the page lost the sandbox's worker")
                })?;
                self.sandbox.set(Stage::Ready);
                Transport::sandbox(worker, token, waiting)
            }
            Settings::Token { base_url, token } => Transport::direct(base_url, token, waiting),
            Settings::Proxy { url, key } => Transport::direct(&format!("{url}api/"), key, waiting),
        };
        self.status.set(Status::Connected(Box::new(Connection {
            transport,
            identity: handover.identity,
            sandbox: settings.is_sandbox(),
            rate_scale: settings.rate_scale(),
            sandbox_members: settings.sandbox_members(),
        })));
        Ok(())
    }

    /// Restores a remembered connection, if there is one.
    pub fn restore(&self) {
        let Some(settings) = storage::load() else {
            return;
        };
        // What was stored is checked as if typed (on a shared origin another site could have
        // written it), and what is used is what passed the check.
        let settings = match settings {
            Settings::Token { base_url, token } => {
                let checked = slack_admin_core::connection::check_token(&token).and_then(|t| {
                    slack_admin_core::connection::check_base_url(&base_url)
                        .and_then(|u| crate::page_origin::check_connect(&u).map(|()| (u, t)))
                });
                match checked {
                    Ok((base_url, token)) => Settings::Token { base_url, token },
                    Err(_) => {
                        storage::clear();
                        self.restore_error
                            .set(Some(SlackError::api(REMEMBERED_CONNECTION_REFUSED)));
                        return;
                    }
                }
            }
            Settings::Proxy { url, key } => {
                let checked = slack_admin_core::connection::check_proxy_key(&key).and_then(|k| {
                    slack_admin_core::connection::check_base_url(&url)
                        .and_then(|u| crate::page_origin::check_connect(&u).map(|()| (u, k)))
                });
                match checked {
                    Ok((url, key)) => Settings::Proxy { url, key },
                    Err(_) => {
                        storage::clear();
                        self.restore_error
                            .set(Some(SlackError::api(REMEMBERED_CONNECTION_REFUSED)));
                        return;
                    }
                }
            }
            sandbox => sandbox,
        };
        let session = *self;
        session.status.set(Status::Reconnecting);
        leptos::task::spawn_local(async move {
            if let Err(e) = session.connect(settings, true).await {
                // A token Slack no longer accepts is not worth remembering.
                if matches!(
                    e.code(),
                    "invalid_auth" | "token_revoked" | "token_expired" | "account_inactive"
                ) {
                    storage::clear();
                }
                session.restore_error.set(Some(e));
                session.status.set(Status::Disconnected);
            }
        });
    }

    /// Shows why a connection could not be taken over (on the connect page).
    pub fn fail_restore(&self, error: SlackError) {
        self.restore_error.set(Some(error));
        self.status.set(Status::Disconnected);
    }

    /// Forgets the connection and wipes anything remembered.
    pub fn disconnect(&self) {
        storage::clear();
        self.restore_error.set(None);
        self.channels.set(HashMap::new());
        self.status.set(Status::Disconnected);
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// The channels of a workspace, from the cache or fetched (every page) and cached.
    pub async fn channels_of(
        &self,
        transport: &Transport,
        team: Option<TeamId>,
    ) -> Result<Vec<Channel>, SlackError> {
        let key = team.clone().unwrap_or_default();
        if let Some(cached) = self.channels.with_untracked(|c| c.get(&key).cloned()) {
            return Ok(cached);
        }
        let request = ConversationsList {
            exclude_archived: Some(true),
            limit: Some(1000),
            team_id: team,
            types: Some("public_channel,private_channel".into()),
            ..ConversationsList::default()
        };
        let mut channels = transport.call_all(&request).await?;
        channels.sort_by(|a, b| a.name.cmp(&b.name));
        // Cached only for the connection that fetched them.
        if self.is_current(transport) {
            self.channels
                .update(|c| _ = c.insert(key, channels.clone()));
        }
        Ok(channels)
    }
}

/// `auth.test`, `team.info` and, on a Grid org, `admin.teams.list`.
pub async fn identify(transport: &Transport) -> Result<Identity, SlackError> {
    let answer = transport
        .send(AuthTest::NAME, &AuthTest {}.form(), Retry::RateLimits)
        .await?;
    let auth = slack_admin_core::decode::<AuthTest>(&answer)?;
    let scopes = Scopes::from_header(answer.header("x-oauth-scopes"));
    let is_bot = transport.token().starts_with("xoxb-") || auth.bot_id.is_some();
    // team.info needs team:read; without it the name from auth.test will do.
    let team = match transport.call(&TeamInfo::default()).await {
        Ok(info) => info.team,
        Err(_) => Team {
            id: auth.team_id.clone(),
            name: auth.team.clone(),
            enterprise_id: auth.enterprise_id.clone(),
            ..Team::default()
        },
    };
    let mut identity = Identity {
        auth,
        team,
        org_teams: Vec::new(),
        scopes,
        is_bot,
        proxy_key: answer.header("x-slack-admin-proxy").map(str::to_owned),
    };
    if identity.is_grid() && !is_bot && identity.scopes.has("admin.teams:read") != Some(false) {
        // The org's workspaces; and, when the browser could not read the token's scopes,
        // a test of whether it has admin scopes: a refusal names the scopes it has.
        let request = AdminTeamsList {
            limit: Some(100),
            ..AdminTeamsList::default()
        };
        match transport.call(&request).await {
            Ok(list) => identity.org_teams = list.teams,
            Err(SlackError::Api {
                code,
                provided: Some(provided),
                ..
            }) if code == "missing_scope" && !identity.scopes.is_known() => {
                identity.scopes = Scopes::from_header(Some(&provided));
            }
            Err(_) => {}
        }
    }
    Ok(identity)
}

/// localStorage, only for what the admin asked to remember.
pub mod storage {
    use super::{Settings, STORAGE_KEY};

    /// This browser's localStorage, if the page may use it (the one accessor of the app).
    pub fn local() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    pub fn save(settings: &Settings) {
        if let (Some(store), Ok(json)) = (local(), serde_json::to_string(settings)) {
            let _ = store.set_item(STORAGE_KEY, &json);
        }
    }

    pub fn load() -> Option<Settings> {
        let json = local()?.get_item(STORAGE_KEY).ok()??;
        serde_json::from_str(&json).ok()
    }

    pub fn clear() {
        if let Some(store) = local() {
            let _ = store.remove_item(STORAGE_KEY);
        }
    }
}

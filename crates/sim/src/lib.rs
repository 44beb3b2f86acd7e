//! A stateful simulated Slack: the sandbox org behind the console's sandbox mode, its tests,
//! benchmarks and demos.
//!
//! Pure and deterministic: [`Sim::handle`] takes an HTTP-shaped [`Request`] and the time, and
//! returns a [`Reply`]. No sockets, threads, clock or OS randomness; randomness comes from
//! [`SimConfig::seed`]. The `server` feature adds the `slack-sim` binary.
//!
//! | path | what |
//! |---|---|
//! | `/api/<method>` | the Web API: every method of `slack_admin_core::methods::all()` |
//! | `/scim/v2/Users[/<id>]` | SCIM v2 users (Bearer) |
//! | `POST /sim/accept` | `email=…`: the invitee signs up (sim only) |
//! | `POST /sim/revoke` | `token=…` (`restore=1` to undo): Slack answers `token_revoked` to it (sim only) |
//! | `POST /sim/invite_request` | `team_id, email, real_name, invite_type, channel_ids, requester_id, reason`: a member asks for an invite (sim only) |

pub mod api;
pub mod auth;
pub mod cors;
pub mod cursor;
#[cfg(all(feature = "server", not(target_arch = "wasm32")))]
pub mod delivery;
pub mod events;
pub mod faults;
pub mod fixture;
pub mod http;
mod names;
pub mod prng;
pub mod rate;
pub mod scim;
#[cfg(all(feature = "server", not(target_arch = "wasm32")))]
pub mod server;
pub mod state;
pub mod worker;

pub use faults::Faults;
use faults::{Fault, FaultInjector};
use rate::RateLimiter;
use serde_json::json;
use slack_admin_core::methods::admin_invite_requests::{InviteRequest, InviteType};
use slack_admin_core::{ChannelId, HttpResponse, TeamId, UserId};
use state::requests::NewRequest;
use state::State;

/// The most filed requests kept for the server to take.
const MAX_FILED: usize = 1000;

/// How the sim starts.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// Users of the Grid org (all kinds, as `admin.users.list` counts them with and without
    /// `is_active`). The default is the fixture's size; larger grows the org with generated
    /// people (100,000 works).
    pub members: usize,
    /// Multiplies every rate-limit allowance (1.0: Slack's tiers).
    pub rate_scale: f64,
    pub faults: Faults,
    pub seed: u64,
    /// Members ask for an invite every this many seconds (one new pending request in a Grid
    /// workspace each time), as a live org does; `None`: only when asked to (`/sim/
    /// invite_request`). The sandbox turns it on.
    pub request_every_s: Option<u64>,
    /// Pending invite requests filed at the start beside the fixture's.
    pub pending_requests: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            members: fixture::DEFAULT_MEMBERS,
            rate_scale: 1.0,
            faults: Faults::none(),
            seed: 42,
            request_every_s: None,
            pending_requests: 0,
        }
    }
}

/// An HTTP request, reduced to what the sim reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, `DELETE`, `PATCH`, `PUT` or `OPTIONS`.
    pub method: String,
    /// The path with its query, e.g. `/api/auth.test` or `/scim/v2/Users?count=10`.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// A form-encoded `POST /api/<method>` with `token=` in the body, as a browser sends it.
    pub fn form(method: &str, token: &str, fields: &[(&str, &str)]) -> Self {
        let mut form = slack_admin_core::Form::default();
        form.push("token", token);
        for (k, v) in fields {
            form.push(*k, *v);
        }
        Self {
            method: "POST".into(),
            path: format!("/api/{method}"),
            headers: vec![(
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: form.encode().into_bytes(),
        }
    }
}

/// What the sim does with a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Answer, after waiting `delay_ms`.
    Answer {
        response: HttpResponse,
        delay_ms: u64,
    },
    /// The connection is dropped without an answer.
    Drop,
}

impl Reply {
    fn now(response: HttpResponse) -> Self {
        Reply::Answer {
            response,
            delay_ms: 0,
        }
    }

    /// The response, if there is one.
    pub fn response(&self) -> Option<&HttpResponse> {
        match self {
            Reply::Answer { response, .. } => Some(response),
            Reply::Drop => None,
        }
    }
}

/// The simulated Slack.
#[derive(Clone, Debug)]
pub struct Sim {
    config: SimConfig,
    state: State,
    rate: RateLimiter,
    faults: FaultInjector,
    /// Set at the first request: the fixture's dates are shifted to the sim's clock then.
    clock_set: bool,
    /// When the next member asks for an invite (with `request_every_s`), and the draws.
    next_request_at: i64,
    arrivals: prng::Rng,
    /// Requests filed since the server last took them (to send as `invite_requested`
    /// events), when it asked for them: `None` otherwise (the sandbox keeps none).
    filed: Option<Vec<InviteRequest>>,
}

impl Sim {
    pub fn new(config: SimConfig) -> Sim {
        let mut state = fixture::build(config.seed, config.members);
        let mut arrivals = prng::Rng::new(config.seed ^ 0x1A7E);
        for k in 0..config.pending_requests {
            // Spread over the last two weeks, oldest first.
            let ago = (config.pending_requests - k) as i64 * 14 * 86_400
                / config.pending_requests.max(1) as i64;
            fixture::invent_request(&mut state, &mut arrivals, fixture::FIXTURE_NOW - ago);
        }
        Sim {
            rate: RateLimiter::new(config.rate_scale),
            faults: FaultInjector::new(config.faults.clone(), config.seed),
            state,
            arrivals,
            config,
            clock_set: false,
            next_request_at: 0,
            filed: None,
        }
    }

    /// Keeps every request filed from now on (the periodic arrivals and `/sim/
    /// invite_request`) for [`Sim::take_filed`]: what the server sends as events.
    pub fn keep_filed(&mut self) {
        self.filed.get_or_insert_with(Vec::new);
    }

    /// The requests filed since the last call, oldest first.
    pub fn take_filed(&mut self) -> Vec<InviteRequest> {
        self.filed.as_mut().map(std::mem::take).unwrap_or_default()
    }

    fn filed(&mut self, request: &InviteRequest) {
        if let Some(filed) = &mut self.filed {
            // Nobody taking them: the oldest go (a bound, not a queue without end).
            if filed.len() >= MAX_FILED {
                filed.remove(0);
            }
            filed.push(request.clone());
        }
    }

    /// Brings the sim to `now_ms` without a request: members who ask for invites on a
    /// schedule do so even when nobody calls (the server's events need it).
    pub fn tick(&mut self, now_ms: u64) {
        self.advance(now_ms);
    }

    /// The fixture's tokens and who they are (fake sandbox tokens, safe to print).
    pub fn tokens() -> &'static [(&'static str, &'static str)] {
        auth::TOKEN_LIST
    }

    /// Slack's allowances times `scale` from now on (calls already counted stay counted).
    pub fn set_rate_scale(&mut self, scale: f64) {
        self.rate.set_scale(scale);
        self.config.rate_scale = self.rate.scale();
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// Brings the state to `now_ms`: the fixture's clock at the first call, then what time
    /// does (guests expire, invitees sign up).
    fn advance(&mut self, now_ms: u64) {
        let now = (now_ms / 1000) as i64;
        if !self.clock_set {
            self.clock_set = true;
            for t in &mut self.state.tenants {
                t.shift_times(now - fixture::FIXTURE_NOW);
            }
        }
        self.state.tick(now);
        if let Some(every) = self.config.request_every_s.filter(|&e| e > 0) {
            if self.next_request_at == 0 {
                self.next_request_at = now + every as i64;
            }
            // A tab asleep for hours wakes to a few requests, not hundreds.
            let mut filed = 0;
            while self.next_request_at <= now {
                if filed < 3 {
                    if let Some(r) = fixture::invent_request(
                        &mut self.state,
                        &mut self.arrivals,
                        self.next_request_at,
                    ) {
                        self.filed(&r);
                    }
                    filed += 1;
                }
                self.next_request_at += every as i64;
            }
        }
    }

    /// Members ask for an invite every `every_s` seconds from now on (`None`: never).
    pub fn set_request_every(&mut self, every_s: Option<u64>) {
        self.config.request_every_s = every_s;
        self.next_request_at = 0;
    }

    /// Answers one request at `now_ms` (milliseconds since the Unix epoch).
    pub fn handle(&mut self, request: &Request, now_ms: u64) -> Reply {
        self.advance(now_ms);
        let (path, _) = http::split_path(&request.path);
        let path = path.to_owned();
        let api_method = path
            .strip_prefix("/api/")
            .map(|m| m.trim_end_matches('/').to_owned());
        let scim_rest = path
            .strip_prefix("/scim/v2/")
            .map(str::to_owned)
            .or_else(|| (path == "/scim/v2").then(String::new));
        if request.method.eq_ignore_ascii_case("OPTIONS") {
            return Reply::now(if api_method.is_some() {
                cors::preflight()
            } else {
                HttpResponse {
                    status: 405,
                    headers: Vec::new(),
                    body: Vec::new(),
                }
            });
        }
        if let Some(rest) = path.strip_prefix("/sim/") {
            return Reply::now(self.sim_endpoint(rest, request, now_ms));
        }
        if api_method.is_none() && scim_rest.is_none() {
            return Reply::now(http::not_found());
        }
        let (fault, delay_ms) = self.faults.roll(now_ms);
        let early = match fault {
            Fault::Error500 => Some(http::internal_error()),
            Fault::RateLimited { retry_after } => Some(if api_method.is_some() {
                http::rate_limited(retry_after)
            } else {
                let mut r = scim::error(429, "rate_limited", None);
                r.headers
                    .push(("retry-after".into(), retry_after.to_string()));
                r
            }),
            Fault::Drop { after: false } => return Reply::Drop,
            _ => None,
        };
        let mut response = match early {
            Some(mut r) => {
                if api_method.is_some() {
                    cors::allow_any_origin(&mut r);
                }
                r
            }
            None => match (&api_method, &scim_rest) {
                (Some(method), _) => {
                    http::web_api(&mut self.state, &mut self.rate, request, method, now_ms)
                }
                (None, Some(rest)) => {
                    scim::handle(&mut self.state, &mut self.rate, request, rest, now_ms)
                }
                (None, None) => unreachable!("routed above"),
            },
        };
        match fault {
            Fault::Drop { after: true } => return Reply::Drop,
            Fault::Malformed => {
                let half = response.body.len() / 2;
                response.body.truncate(half);
            }
            _ => {}
        }
        Reply::Answer { response, delay_ms }
    }

    /// The invitee of every pending invitation of `email` signs up; returns the member's ID.
    pub fn accept_invitation(&mut self, email: &str, now_ms: u64) -> Result<UserId, String> {
        self.advance(now_ms);
        let now = (now_ms / 1000) as i64;
        let mut last = Err("invite_not_found".to_owned());
        for t in &mut self.state.tenants {
            if let Ok(id) = t.accept_email(email, now) {
                last = Ok(id);
            }
        }
        last
    }

    /// A member asks for an invite (what Slack's UI does when invites need approval).
    pub fn add_invite_request(
        &mut self,
        request: NewRequest,
        now_ms: u64,
    ) -> Result<InviteRequest, String> {
        self.advance(now_ms);
        let tenant = self
            .state
            .tenant_of_team(request.team.as_str())
            .filter(|&t| self.state.tenants[t].is_grid())
            .ok_or("team_not_found")?;
        let request = self.state.tenants[tenant]
            .add_request(request, (now_ms / 1000) as i64)
            .map_err(str::to_owned)?;
        self.filed(&request);
        Ok(request)
    }

    fn sim_endpoint(&mut self, rest: &str, request: &Request, now_ms: u64) -> HttpResponse {
        let form = match http::arguments(request) {
            Ok((form, _)) => form,
            Err(refusal) => return refusal.response(),
        };
        let answer = |result: Result<serde_json::Value, String>| match result {
            Ok(v) => HttpResponse::json(200, &v),
            Err(code) => HttpResponse::json(200, &json!({"ok": false, "error": code})),
        };
        match rest.trim_end_matches('/') {
            // The admin revokes a token (or, with `restore=1`, a test puts it back).
            "revoke" => {
                let token = form.get("token").unwrap_or_default().trim().to_owned();
                if auth::find(&token).is_none() {
                    return answer(Err("invalid_auth".into()));
                }
                if form.get("restore").is_some_and(|v| v == "1" || v == "true") {
                    self.state.revoked.remove(&token);
                } else {
                    self.state.revoked.insert(token);
                }
                answer(Ok(json!({"ok": true})))
            }
            "accept" => {
                let email = form.get("email").unwrap_or_default().to_owned();
                answer(
                    self.accept_invitation(&email, now_ms)
                        .map(|id| json!({"ok": true, "user_id": id})),
                )
            }
            "invite_request" => {
                let get = |k: &str| form.get(k).unwrap_or_default().trim().to_owned();
                let invite_type = match get("invite_type").as_str() {
                    "restricted" => InviteType::Restricted,
                    "ultra_restricted" => InviteType::UltraRestricted,
                    _ => InviteType::FullMember,
                };
                let requester = Some(get("requester_id"))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| fixture::ids::MEMBER.to_owned());
                let new = NewRequest {
                    team: TeamId::new(
                        Some(get("team_id"))
                            .filter(|s| !s.is_empty())
                            .unwrap_or_else(|| fixture::HQ.into()),
                    ),
                    email: get("email"),
                    real_name: get("real_name"),
                    invite_type,
                    channel_ids: get("channel_ids")
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(ChannelId::new)
                        .collect(),
                    requester: UserId::new(requester),
                    reason: get("reason"),
                };
                if !state::invites::email_is_valid(&new.email) {
                    return answer(Err("invalid_email".into()));
                }
                answer(
                    self.add_invite_request(new, now_ms)
                        .map(|r| json!({"ok": true, "invite_request": r})),
                )
            }
            _ => http::not_found(),
        }
    }
}

//! The proxy's audit log as the console's Activity page reads it.
//!
//! The proxy records each write twice, every entry chained to the one before by a hash: `sent`
//! before the call goes to Slack, then its outcome. Here, without any IO:
//! - [`pair`] makes one [`Write`] of a call's two entries (a call the proxy sent but whose
//!   answer it never recorded keeps no outcome), with its [`Target`] and its fields, anything
//!   secret-looking hidden ([`redact`]);
//! - [`Query`] is what `GET /proxy/audit` is asked (filters, a cursor, a page size) and
//!   [`select`] the page it answers, newest first; [`Page`] is that answer;
//! - [`View`] is the Activity page's filters as they stand in its address;
//! - the words: [`action`], [`detail`], [`outcome_words`], [`Target::text`], and [`to_csv`].

use crate::catalogue::explain;
use crate::error::SlackError;
use crate::ids::{InviteRequestId, TeamId, UserId};
use crate::invite::dates::{civil_from_days, days_from_civil, days_in_month, iso_utc};
use crate::invite::job::defuse;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;

/// The outcome of the entry the proxy writes before it sends a call.
pub const SENT: &str = "sent";
/// The most writes one page holds.
pub const MAX_LIMIT: u32 = 1000;
/// Writes in a page when the query does not say.
pub const DEFAULT_LIMIT: u32 = 100;
/// What stands in the place of a value that looks like a secret.
pub const HIDDEN: &str = "[hidden]";

/// One entry of the log, as the proxy keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogLine {
    /// Its number in the log (1, 2, …): what `slack-admin-proxy audit verify` names.
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// The name of the access key that made the call.
    pub key: String,
    pub method: String,
    /// The call's form fields as JSON (`[["user_id","W1"],…]`), the token left out.
    pub fields: String,
    /// [`SENT`], `ok`, Slack's error code, `unknown: …` or `http <status>`.
    pub outcome: String,
}

/// Whom a call was about, read from its fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The address invited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The member changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    /// The invite request approved or denied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_request_id: Option<InviteRequestId>,
    /// The workspace (or, for role changes, the org) the call applied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<TeamId>,
}

/// Whom a call of `method` with `fields` was about: the address of an invite, the member of a
/// role change, removal or expiration, the request of an approval or denial, and where.
pub fn target_of(method: &str, fields: &[(String, String)]) -> Target {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let team = get("team_id")
        .or_else(|| get("target_team"))
        .map(TeamId::new);
    match kind_of(method) {
        Kind::Invite => Target {
            email: get("email"),
            team_id: team,
            ..Target::default()
        },
        Kind::Request => Target {
            invite_request_id: get("invite_request_id").map(InviteRequestId::new),
            team_id: team,
            ..Target::default()
        },
        Kind::Role | Kind::Removal | Kind::Assignment | Kind::Expiration | Kind::SignOut => {
            Target {
                user_id: get("user_id").map(UserId::new),
                team_id: team,
                ..Target::default()
            }
        }
        Kind::Other => Target {
            email: get("email"),
            user_id: get("user_id").map(UserId::new),
            invite_request_id: get("invite_request_id").map(InviteRequestId::new),
            team_id: team,
        },
    }
}

/// What the page knows to put a name to an ID: members, workspaces (and the org), invite
/// requests (their address). `None`: not known, the ID is shown.
pub struct Names<'a> {
    pub user: &'a dyn Fn(&UserId) -> Option<String>,
    pub team: &'a dyn Fn(&TeamId) -> Option<String>,
    pub request: &'a dyn Fn(&InviteRequestId) -> Option<String>,
}

impl Names<'_> {
    /// Knows no names: every ID as it is.
    pub const NONE: Names<'static> = Names {
        user: &|_| None,
        team: &|_| None,
        request: &|_| None,
    };
}

impl Target {
    /// The target in words: `Ana López (W0123)`, `bo@example.com in Northwind HQ`, `the
    /// request of bo@example.com`; IDs where no name is known; `—` when the call named none.
    pub fn text(&self, names: &Names) -> String {
        let mut out = String::new();
        if let Some(id) = &self.user_id {
            match (names.user)(id).filter(|n| !n.is_empty()) {
                Some(name) => {
                    let _ = write!(out, "{name} ({id})");
                }
                None => out.push_str(id.as_str()),
            }
        }
        if let Some(email) = &self.email {
            out.push_str(email);
        }
        if let Some(id) = &self.invite_request_id {
            match (names.request)(id).filter(|e| !e.is_empty()) {
                Some(email) => {
                    let _ = write!(out, "the request of {email} ({id})");
                }
                None => {
                    let _ = write!(out, "request {id}");
                }
            }
        }
        if let Some(team) = &self.team_id {
            let name = (names.team)(team)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| team.to_string());
            if out.is_empty() {
                out = format!("in {name}");
            } else {
                let _ = write!(out, " in {name}");
            }
        }
        if out.is_empty() {
            "\u{2014}".to_owned()
        } else {
            out
        }
    }
}

/// The kinds of change, for the page's filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Invite,
    Role,
    Request,
    Removal,
    Assignment,
    Expiration,
    SignOut,
    Other,
}

/// Every kind, in the filter's order, with its code in addresses and its label.
pub const KINDS: &[(Kind, &str, &str)] = &[
    (Kind::Invite, "invites", "Invites"),
    (Kind::Role, "roles", "Role changes"),
    (Kind::Request, "requests", "Request decisions"),
    (Kind::Removal, "removals", "Removals"),
    (Kind::Assignment, "workspaces", "Workspace additions"),
    (Kind::Expiration, "expirations", "Guest expirations"),
    (Kind::SignOut, "sign-outs", "Sign-outs"),
    (Kind::Other, "other", "Other calls"),
];

impl Kind {
    pub fn code(self) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _, _)| *k == self)
            .map_or("other", |(_, c, _)| *c)
    }

    pub fn label(self) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _, _)| *k == self)
            .map_or("Other calls", |(_, _, l)| *l)
    }

    pub fn parse(code: &str) -> Option<Kind> {
        KINDS
            .iter()
            .find(|(_, c, _)| *c == code)
            .map(|(k, _, _)| *k)
    }
}

/// The kind of change a method makes.
pub fn kind_of(method: &str) -> Kind {
    match method {
        "admin.users.invite" | "users.admin.invite" => Kind::Invite,
        "admin.users.setAdmin" | "admin.users.setOwner" | "admin.users.setRegular" => Kind::Role,
        "admin.inviteRequests.approve" | "admin.inviteRequests.deny" => Kind::Request,
        "admin.users.remove" => Kind::Removal,
        "admin.users.assign" => Kind::Assignment,
        "admin.users.setExpiration" => Kind::Expiration,
        "admin.users.session.reset" => Kind::SignOut,
        _ => Kind::Other,
    }
}

/// The longest search the proxy takes (every word is looked for in every write).
pub const MAX_SEARCH_CHARS: usize = 256;
pub const MAX_SEARCH_WORDS: usize = 16;
/// The most members a search may name (`users`).
pub const MAX_SEARCH_USERS: usize = 100;

/// What the proxy records when an admin starts, pauses, resumes or cancels one of its jobs
/// (the job's own calls are recorded as any other write, in the name of the key it runs as).
pub const JOB_START: &str = "proxy.job.start";
pub const JOB_PAUSE: &str = "proxy.job.pause";
pub const JOB_RESUME: &str = "proxy.job.resume";
pub const JOB_CANCEL: &str = "proxy.job.cancel";

/// What a call did, in words: "Invited", "Made admin", "Approved request"; the method's name
/// for a method the console does not know.
pub fn action(method: &str) -> &str {
    match method {
        "admin.users.invite" | "users.admin.invite" => "Invited",
        "admin.users.setAdmin" => "Made admin",
        "admin.users.setOwner" => "Made owner",
        "admin.users.setRegular" => "Made regular member",
        "admin.inviteRequests.approve" => "Approved request",
        "admin.inviteRequests.deny" => "Denied request",
        "admin.users.remove" => "Removed from workspace",
        "admin.users.assign" => "Added to workspace",
        "admin.users.setExpiration" => "Set guest expiration",
        "admin.users.session.reset" => "Signed out",
        JOB_START => "Started a job on the proxy",
        JOB_PAUSE => "Paused a job on the proxy",
        JOB_RESUME => "Resumed a job on the proxy",
        JOB_CANCEL => "Cancelled the rest of a job on the proxy",
        other => other,
    }
}

/// What else the fields say, in words: how someone was invited, until when a guest stays,
/// where a sign-out applied. `None` when there is nothing to add.
pub fn detail(method: &str, fields: &[(String, String)]) -> Option<String> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    };
    let yes = |name: &str| get(name).is_some_and(|v| v == "true" || v == "1");
    let guest = |single: &str, multi: &str| {
        if yes(single) {
            "as a single-channel guest"
        } else if yes(multi) {
            "as a multi-channel guest"
        } else {
            "as a full member"
        }
    };
    let channels = |name: &str| {
        get(name)
            .map(|v| v.split(',').filter(|c| !c.trim().is_empty()).count())
            .filter(|n| *n > 0)
            .map(|n| format!("{n} channel{}", if n == 1 { "" } else { "s" }))
    };
    let join = |parts: Vec<String>| Some(parts.join(" · "));
    match method {
        JOB_START | JOB_PAUSE | JOB_RESUME | JOB_CANCEL => {
            let mut parts: Vec<String> =
                get("job").map(|j| format!("job {j}")).into_iter().collect();
            parts.extend(get("title").map(str::to_owned));
            parts.extend(get("rows").map(|n| format!("{n} rows")));
            (!parts.is_empty()).then(|| parts.join(" · "))
        }
        "admin.users.invite" => {
            let mut parts = vec![guest("is_ultra_restricted", "is_restricted").to_owned()];
            parts.extend(channels("channel_ids"));
            if yes("resend") {
                parts.push("resendable".into());
            }
            join(parts)
        }
        "users.admin.invite" => {
            let mut parts = vec![guest("ultra_restricted", "restricted").to_owned()];
            parts.extend(channels("channels"));
            if yes("resend") {
                parts.push("email sent again".into());
            }
            join(parts)
        }
        "admin.users.assign" => {
            let mut parts = vec![guest("is_ultra_restricted", "is_restricted").to_owned()];
            parts.extend(channels("channel_ids"));
            join(parts)
        }
        "admin.users.setExpiration" => get("expiration_ts")
            .and_then(|v| v.split('.').next()?.parse::<i64>().ok())
            .map(|ts| format!("until {} UTC", iso_utc(ts))),
        "admin.users.session.reset" => Some(
            if yes("mobile_only") {
                "on mobile devices"
            } else if yes("web_only") {
                "on the web"
            } else {
                "everywhere"
            }
            .to_owned(),
        ),
        _ => None,
    }
}

/// How a write ended, for the filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ending {
    /// Slack answered `ok`.
    Done,
    /// Slack (or the way to it) answered with an error.
    Refused,
    /// No answer: Slack did not answer, or the proxy recorded none.
    NoAnswer,
}

/// Every ending, with its code in addresses and its label.
pub const ENDINGS: &[(Ending, &str, &str)] = &[
    (Ending::Done, "ok", "Done"),
    (Ending::Refused, "refused", "Refused"),
    (Ending::NoAnswer, "no-answer", "No answer"),
];

impl Ending {
    pub fn code(self) -> &'static str {
        ENDINGS
            .iter()
            .find(|(e, _, _)| *e == self)
            .map_or("", |(_, c, _)| *c)
    }

    pub fn parse(code: &str) -> Option<Ending> {
        ENDINGS
            .iter()
            .find(|(_, c, _)| *c == code)
            .map(|(e, _, _)| *e)
    }
}

/// How an outcome the proxy recorded ended (`None`: none recorded).
pub fn ending(outcome: Option<&str>) -> Ending {
    match outcome {
        None => Ending::NoAnswer,
        Some("ok") => Ending::Done,
        Some(o) if o.starts_with("unknown:") => Ending::NoAnswer,
        Some(_) => Ending::Refused,
    }
}

/// An outcome in words: a short label, and a sentence (empty when done) that says what it
/// means; Slack's error codes with the catalogue's sentence.
pub fn outcome_words(method: &str, outcome: Option<&str>) -> (String, String) {
    let check = "Check in Slack whether the change was made before making it again.";
    match outcome {
        Some("ok") => ("Done".into(), String::new()),
        None => (
            "Sent, no answer recorded".into(),
            format!("The proxy recorded the call before sending it, but no answer: it stopped before Slack answered, or the call is still under way. {check}"),
        ),
        Some(o) if o.starts_with("unknown:") => {
            let why = o["unknown:".len()..].trim();
            let label = if why.contains("cut off") {
                "Answer cut off"
            } else {
                "No answer from Slack"
            };
            (
                label.into(),
                format!("The proxy sent the call but did not get Slack's whole answer ({why}): the change may or may not have been made. {check}"),
            )
        }
        Some(o) => {
            if let Some(status) = o
                .strip_prefix("http ")
                .and_then(|s| s.trim().parse::<u16>().ok())
            {
                let e = explain(
                    &SlackError::Http {
                        status,
                        message: crate::decode::http_reason(status).into(),
                    },
                    Some(method),
                );
                return (format!("Failed: HTTP {status}"), e.summary);
            }
            let e = explain(&SlackError::api(o), Some(method));
            (format!("Refused: {o}"), e.summary)
        }
    }
}

/// One write: its `sent` entry and its outcome, paired.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Write {
    /// The number of its first entry in the log (its `sent` entry).
    pub seq: i64,
    /// When it was sent (Unix seconds).
    pub at: i64,
    /// The access key that made it, by name.
    pub key_name: String,
    pub method: String,
    pub target: Target,
    /// The call's form fields: never the token or a key, and anything that looks like a
    /// secret hidden.
    #[serde(default)]
    pub fields: Vec<(String, String)>,
    /// `ok`, Slack's error code, `unknown: …` when Slack did not answer, `http <status>`;
    /// absent when the log holds no answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// When the answer came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<i64>,
    /// The number of the outcome's entry (equal to `seq` for a write whose `sent` entry the
    /// log does not hold: logs written before the proxy recorded calls before sending them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_seq: Option<i64>,
}

impl Write {
    pub fn ending(&self) -> Ending {
        ending(self.outcome.as_deref())
    }

    /// Whether an entry of this write is at or after entry `broken_at`, where the chain of
    /// hashes breaks: what the log says of it cannot be trusted.
    pub fn after_break(&self, broken_at: Option<i64>) -> bool {
        broken_at.is_some_and(|b| self.seq >= b || self.outcome_seq.is_some_and(|o| o >= b))
    }
}

fn secret_looking(value: &str) -> bool {
    // Anywhere in the value (inside a URL, after `token=` or `key:`), not only word by word.
    let lower = value.to_ascii_lowercase();
    let followed = |at: usize, len: usize| {
        lower[at + len..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.')
            .count()
            >= 4
    };
    [
        "xoxa-", "xoxb-", "xoxc-", "xoxd-", "xoxe-", "xoxe.", "xoxp-", "xoxr-", "xoxs-", "xapp-",
    ]
    .iter()
    .any(|p| lower.match_indices(p).any(|(at, _)| followed(at, p.len())))
        || lower.match_indices("sak_").any(|(at, _)| {
            lower[at + 4..]
                .bytes()
                .take_while(u8::is_ascii_hexdigit)
                .count()
                >= 8
        })
}

/// The fields without the token, and with anything that looks like a secret (a Slack token, a
/// proxy access key, a field named like a secret) as [`HIDDEN`].
pub fn redact(fields: Vec<(String, String)>) -> Vec<(String, String)> {
    fields
        .into_iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("token"))
        .map(|(k, v)| {
            let name = k.to_ascii_lowercase();
            let named_secret = ["token", "secret", "password", "key"]
                .iter()
                .any(|s| name.contains(s));
            if named_secret || secret_looking(&v) {
                (k, HIDDEN.to_owned())
            } else {
                (k, v)
            }
        })
        .collect()
}

fn fields_of(json: &str) -> Vec<(String, String)> {
    match serde_json::from_str::<Vec<(String, String)>>(json) {
        Ok(f) => redact(f),
        // Not what the proxy writes: shown as it is, as one field.
        Err(_) => redact(vec![("fields".into(), json.to_owned())]),
    }
}

/// The writes of the log, oldest first: each `sent` entry with the first later outcome of the
/// same key, method and fields (calls answered out of order are paired right; identical calls
/// sent together are told apart in order). An outcome without a `sent` entry before it is a
/// write of its own.
pub fn pair(lines: &[LogLine]) -> Vec<Write> {
    let mut writes: Vec<Write> = Vec::new();
    let mut waiting: HashMap<(&str, &str, &str), VecDeque<usize>> = HashMap::new();
    for line in lines {
        let call = (
            line.key.as_str(),
            line.method.as_str(),
            line.fields.as_str(),
        );
        if line.outcome == SENT {
            let fields = fields_of(&line.fields);
            writes.push(Write {
                seq: line.id,
                at: line.at,
                key_name: line.key.clone(),
                method: line.method.clone(),
                target: target_of(&line.method, &fields),
                fields,
                outcome: None,
                answered_at: None,
                outcome_seq: None,
            });
            waiting.entry(call).or_default().push_back(writes.len() - 1);
            continue;
        }
        match waiting.get_mut(&call).and_then(VecDeque::pop_front) {
            Some(i) => {
                let w = &mut writes[i];
                w.outcome = Some(line.outcome.clone());
                w.answered_at = Some(line.at);
                w.outcome_seq = Some(line.id);
            }
            None => {
                let fields = fields_of(&line.fields);
                writes.push(Write {
                    seq: line.id,
                    at: line.at,
                    key_name: line.key.clone(),
                    method: line.method.clone(),
                    target: target_of(&line.method, &fields),
                    fields,
                    outcome: Some(line.outcome.clone()),
                    answered_at: Some(line.at),
                    outcome_seq: Some(line.id),
                });
            }
        }
    }
    writes
}

/// Which writes a page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words looked for in the key's name, the action, the method, the fields and the outcome
    /// (case does not matter).
    pub text: String,
    /// Members the text names (the console knows names, the proxy only IDs): a write about one
    /// of them matches the text too.
    pub users: Vec<UserId>,
    pub key: Option<String>,
    pub kind: Option<Kind>,
    pub ending: Option<Ending>,
    /// From this time (Unix seconds, included).
    pub since: Option<i64>,
    /// Before this time (excluded).
    pub until: Option<i64>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self == &Filter::default()
    }

    pub fn matches(&self, w: &Write) -> bool {
        if self.key.as_ref().is_some_and(|k| k != &w.key_name)
            || self.kind.is_some_and(|k| k != kind_of(&w.method))
            || self.ending.is_some_and(|e| e != w.ending())
            || self.since.is_some_and(|s| w.at < s)
            || self.until.is_some_and(|u| w.at >= u)
        {
            return false;
        }
        let needle = self.text.trim().to_lowercase();
        if needle.is_empty() {
            return true;
        }
        if w.target
            .user_id
            .as_ref()
            .is_some_and(|u| self.users.contains(u))
        {
            return true;
        }
        let outcome = w.outcome.as_deref().unwrap_or("no answer recorded");
        needle.split_whitespace().all(|word| {
            let has = |s: &str| s.to_lowercase().contains(word);
            has(&w.key_name)
                || has(action(&w.method))
                || has(&w.method)
                || has(outcome)
                || w.fields.iter().any(|(_, v)| has(v))
        })
    }
}

/// What `GET /proxy/audit` is asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub filter: Filter,
    /// The `seq` of the last write of the page before: this page holds older ones.
    pub cursor: Option<i64>,
    /// 1 to [`MAX_LIMIT`].
    pub limit: u32,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            filter: Filter::default(),
            cursor: None,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// Why a query was refused: a Slack-style code and what to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub detail: String,
}

impl Query {
    /// The query string (without `?`): `q`, `users` (comma-separated), `key`, `kind`,
    /// `outcome`, `since`, `until`, `cursor`, `limit`.
    pub fn to_query(&self) -> String {
        let f = &self.filter;
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !f.text.trim().is_empty() {
            pairs.push(("q", f.text.clone()));
        }
        if !f.users.is_empty() {
            let ids: Vec<&str> = f.users.iter().map(UserId::as_str).collect();
            pairs.push(("users", ids.join(",")));
        }
        if let Some(k) = &f.key {
            pairs.push(("key", k.clone()));
        }
        if let Some(k) = f.kind {
            pairs.push(("kind", k.code().into()));
        }
        if let Some(e) = f.ending {
            pairs.push(("outcome", e.code().into()));
        }
        if let Some(s) = f.since {
            pairs.push(("since", s.to_string()));
        }
        if let Some(u) = f.until {
            pairs.push(("until", u.to_string()));
        }
        if let Some(c) = self.cursor {
            pairs.push(("cursor", c.to_string()));
        }
        pairs.push(("limit", self.limit.to_string()));
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// Reads a query string; what cannot be read is refused with what to send instead.
    pub fn from_query(query: &str) -> Result<Query, Refusal> {
        let args = |detail: String| Refusal {
            code: "invalid_arguments",
            detail,
        };
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query.strip_prefix('?').unwrap_or(query))
                .map_err(|_| args("the query string could not be read".into()))?;
        let mut q = Query::default();
        let time = |name: &str, v: &str| {
            v.trim().parse::<i64>().map_err(|_| {
                args(format!(
                    "{name} is a time in seconds since 1970 (such as 1767225600); \u{201c}{v}\u{201d} is not"
                ))
            })
        };
        for (k, v) in pairs {
            match k.as_str() {
                "q" if v.chars().count() > MAX_SEARCH_CHARS
                    || v.split_whitespace().count() > MAX_SEARCH_WORDS =>
                {
                    return Err(args(format!(
                        "the search is longer than {MAX_SEARCH_CHARS} characters or {MAX_SEARCH_WORDS} words: shorten it"
                    )))
                }
                "q" => q.filter.text = v,
                "users" => {
                    q.filter.users = v
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(UserId::new)
                        .collect();
                    if q.filter.users.len() > MAX_SEARCH_USERS {
                        return Err(args(format!(
                            "users names more than {MAX_SEARCH_USERS} members: search with fewer words"
                        )));
                    }
                }
                "key" => q.filter.key = Some(v).filter(|s| !s.is_empty()),
                "kind" if v.is_empty() => {}
                "kind" => {
                    q.filter.kind = Some(Kind::parse(&v).ok_or_else(|| {
                        let codes: Vec<&str> = KINDS.iter().map(|(_, c, _)| *c).collect();
                        args(format!(
                            "kind \u{201c}{v}\u{201d} is not one of {}",
                            codes.join(", ")
                        ))
                    })?)
                }
                "outcome" if v.is_empty() => {}
                "outcome" => {
                    q.filter.ending = Some(Ending::parse(&v).ok_or_else(|| {
                        args(format!(
                            "outcome \u{201c}{v}\u{201d} is not one of ok, refused, no-answer"
                        ))
                    })?)
                }
                "since" => q.filter.since = Some(time("since", &v)?),
                "until" => q.filter.until = Some(time("until", &v)?),
                "cursor" if v.is_empty() => {}
                "cursor" => {
                    q.cursor = Some(v.trim().parse::<i64>().ok().filter(|c| *c > 0).ok_or_else(
                        || Refusal {
                            code: "invalid_cursor",
                            detail: format!(
                                "the cursor \u{201c}{v}\u{201d} is not one this proxy gave: send the next_cursor of the page before, or none for the newest page"
                            ),
                        },
                    )?)
                }
                "limit" => {
                    q.limit = v
                        .trim()
                        .parse::<u32>()
                        .ok()
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or_else(|| Refusal {
                            code: "invalid_limit",
                            detail: format!(
                                "limit is a number of writes from 1 to {MAX_LIMIT}; \u{201c}{v}\u{201d} is not"
                            ),
                        })?
                }
                _ => {}
            }
        }
        Ok(q)
    }
}

/// `GET /proxy/audit`'s answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub ok: bool,
    /// The writes of this page, newest first.
    pub entries: Vec<Write>,
    /// Ask again with this as `cursor` for older writes; empty when there are none.
    #[serde(default)]
    pub next_cursor: String,
    /// How many writes of the whole log match the filter.
    #[serde(default)]
    pub total: usize,
    /// The names of every key in the log, for the page's filter.
    #[serde(default)]
    pub key_names: Vec<String>,
    /// Whether every entry's hash is of its own fields and the hash before it.
    pub chain_ok: bool,
    /// How many entries the log holds (each write is two).
    #[serde(default)]
    pub chain_entries: usize,
    /// The first entry where the chain does not hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken_at: Option<i64>,
    /// What is wrong there ("entry 3 was changed after it was written").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken_reason: Option<String>,
}

/// The page `query` asks of `writes` (oldest first, as [`pair`] gives them): the matching
/// writes older than the cursor, newest first, at most `limit`; the next cursor (empty at the
/// end); and how many writes match in all.
pub fn select(writes: &[Write], query: &Query) -> (Vec<Write>, String, usize) {
    let matching: Vec<&Write> = writes
        .iter()
        .rev()
        .filter(|w| query.filter.matches(w))
        .collect();
    let total = matching.len();
    let limit = query.limit.clamp(1, MAX_LIMIT) as usize;
    let mut page: Vec<Write> = matching
        .into_iter()
        .filter(|w| query.cursor.is_none_or(|c| w.seq < c))
        .take(limit + 1)
        .cloned()
        .collect();
    let next = if page.len() > limit {
        page.truncate(limit);
        page.last().map(|w| w.seq.to_string()).unwrap_or_default()
    } else {
        String::new()
    };
    (page, next, total)
}

/// The key names of the log, in order of first use.
pub fn key_names(writes: &[Write]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for w in writes {
        if !names.contains(&w.key_name) {
            names.push(w.key_name.clone());
        }
    }
    names
}

/// A calendar day, as `<input type="date">` writes it (`2026-01-31`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl Day {
    pub fn parse(text: &str) -> Option<Day> {
        let mut parts = text.trim().splitn(3, '-');
        let year: i64 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let valid = (1970..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Day { year, month, day })
    }

    /// The day after.
    pub fn next(self) -> Day {
        let (year, month, day) =
            civil_from_days(days_from_civil(self.year, self.month, self.day) + 1);
        Day { year, month, day }
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The Activity page's filters, as its address holds them:
/// `q=ana&key=ana&kind=roles&outcome=refused&from=2026-01-01&to=2026-01-31`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    pub text: String,
    pub key: Option<String>,
    pub kind: Option<Kind>,
    pub ending: Option<Ending>,
    /// From this day, included (the browser's time zone).
    pub from: Option<Day>,
    /// To this day, included.
    pub to: Option<Day>,
}

impl View {
    pub fn is_empty(&self) -> bool {
        self == &View::default()
    }

    /// The query, without `?`; empty for no filter.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.text.is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        if let Some(k) = &self.key {
            pairs.push(("key", k.clone()));
        }
        if let Some(k) = self.kind {
            pairs.push(("kind", k.code().into()));
        }
        if let Some(e) = self.ending {
            pairs.push(("outcome", e.code().into()));
        }
        if let Some(d) = self.from {
            pairs.push(("from", d.to_string()));
        }
        if let Some(d) = self.to {
            pairs.push(("to", d.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// The view an address describes. Unknown parameters are ignored; a value the page cannot
    /// read is left out and named in the error beside the view, so the page can say so.
    pub fn from_query(query: &str) -> (View, Option<String>) {
        let mut view = View::default();
        let mut problems: Vec<String> = Vec::new();
        let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(
            query.strip_prefix('?').unwrap_or(query),
        ) else {
            return (view, Some("the address's query could not be read".into()));
        };
        for (k, v) in pairs {
            match k.as_str() {
                "q" => view.text = v,
                "key" => view.key = Some(v).filter(|s| !s.is_empty()),
                "kind" => match Kind::parse(&v) {
                    Some(kind) => view.kind = Some(kind),
                    None => problems.push(format!(
                        "\u{201c}{v}\u{201d} is not a kind of change the page knows"
                    )),
                },
                "outcome" => match Ending::parse(&v) {
                    Some(e) => view.ending = Some(e),
                    None => problems.push(format!(
                        "\u{201c}{v}\u{201d} is not an outcome (ok, refused or no-answer)"
                    )),
                },
                "from" | "to" => match Day::parse(&v) {
                    Some(d) if k == "from" => view.from = Some(d),
                    Some(d) => view.to = Some(d),
                    None => problems.push(format!(
                        "\u{201c}{v}\u{201d} is not a date written as 2026-01-31"
                    )),
                },
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (view.from, view.to) {
            if from > to {
                problems.push(format!(
                    "the range starts ({from}) after it ends ({to}): the dates were swapped"
                ));
                view.from = Some(to);
                view.to = Some(from);
            }
        }
        let problem = (!problems.is_empty()).then(|| problems.join("; "));
        (view, problem)
    }

    /// The filter this view asks the proxy for. `midnight` is the first second of a day in the
    /// browser's time zone; `users` the members whose names the text matches.
    pub fn filter(&self, midnight: &dyn Fn(Day) -> i64, users: Vec<UserId>) -> Filter {
        Filter {
            text: self.text.trim().to_owned(),
            users: if self.text.trim().is_empty() {
                Vec::new()
            } else {
                users
            },
            key: self.key.clone(),
            kind: self.kind,
            ending: self.ending,
            since: self.from.map(midnight),
            until: self.to.map(|d| midnight(d.next())),
        }
    }
}

/// The members whose name, display name or address holds every word of `text`, at most
/// `max` of them: the console sends them along with the text, so that a search for a person
/// finds the changes made to them (the proxy knows members only by ID).
pub fn members_named(rows: &[crate::members::Row], text: &str, max: usize) -> Vec<UserId> {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    rows.iter()
        .filter(|r| {
            let hay = format!("{}\n{}\n{}", r.name, r.display_name, r.email).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .take(max)
        .map(|r| r.id.clone())
        .collect()
}

/// "just now", "5 minutes ago", "3 days ago": how long before `now` a time was.
pub fn ago(at: i64, now: i64) -> String {
    let s = now - at;
    if s < 60 {
        return "just now".into();
    }
    format!("{} ago", crate::inbox::span_text(s))
}

/// `2026-01-31 17:05` for Unix seconds `at` in a time zone `offset_minutes` ahead of UTC
/// (negative west of Greenwich).
pub fn clock(at: i64, offset_minutes: i64) -> String {
    iso_utc(at + offset_minutes * 60)
}

/// One write as the Activity page shows it, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub seq: i64,
    /// The local time it was sent (`2026-01-31 17:05`).
    pub when: String,
    /// The same in UTC, for the tooltip.
    pub when_utc: String,
    /// "5 minutes ago".
    pub ago: String,
    pub key: String,
    /// "Made admin".
    pub action: String,
    /// "as a multi-channel guest · 2 channels".
    pub detail: Option<String>,
    pub method: String,
    pub target: String,
    /// "Done", "Refused: already_invited", "Sent, no answer recorded".
    pub outcome: String,
    /// What the outcome means (the catalogue's sentence); empty when done.
    pub explanation: String,
    pub ending: Ending,
    /// At or after the entry where the chain of hashes breaks.
    pub unverified: bool,
}

/// `w` in words. `now` is the time (Unix seconds); `offset` the browser's offset from UTC at a
/// time, in minutes (east positive); `broken_at` the entry where the chain breaks, if it does.
pub fn shown(
    w: &Write,
    names: &Names,
    now: i64,
    offset: &dyn Fn(i64) -> i64,
    broken_at: Option<i64>,
) -> Shown {
    let (outcome, explanation) = outcome_words(&w.method, w.outcome.as_deref());
    Shown {
        seq: w.seq,
        when: clock(w.at, offset(w.at)),
        when_utc: format!("{} UTC", iso_utc(w.at)),
        ago: ago(w.at, now),
        key: w.key_name.clone(),
        action: action(&w.method).to_owned(),
        detail: detail(&w.method, &w.fields),
        method: w.method.clone(),
        target: w.target.text(names),
        outcome,
        explanation,
        ending: w.ending(),
        unverified: w.after_break(broken_at),
    }
}

/// How many writes are shown of how many: "3 changes", "100 of 1,204 changes, newest first",
/// "2 of 5 changes match the filters"; "No change…" when none.
pub fn count_line(shown: usize, total: usize, filtered: bool) -> String {
    use crate::invite::csv::thousands;
    let noun = |n: usize| if n == 1 { "change" } else { "changes" };
    match (total, filtered) {
        (0, true) => "No change matches these filters.".into(),
        (0, false) => "No change has been made through this proxy yet.".into(),
        (t, true) if shown >= t => format!("{} {} match the filters.", thousands(t), noun(t)),
        (t, true) => format!(
            "The newest {} of {} {} that match the filters.",
            thousands(shown),
            thousands(t),
            noun(t)
        ),
        (t, false) if shown >= t => format!("{} {}, newest first.", thousands(t), noun(t)),
        (t, false) => format!(
            "The newest {} of {} {}.",
            thousands(shown),
            thousands(t),
            noun(t)
        ),
    }
}

/// What a log whose chain breaks at `broken_at` means: the proxy's reason as a sentence, and
/// what follows from it. (What to do is the page's next line: run `slack-admin-proxy audit
/// verify` on the server.)
pub fn broken_notice(broken_at: i64, reason: &str) -> String {
    let reason = reason.trim().trim_end_matches('.');
    let mut chars = reason.chars();
    let reason = match chars.next() {
        Some(first) => format!("{}{}", first.to_uppercase(), chars.as_str()),
        None => format!("Entry {broken_at} does not hold"),
    };
    format!(
        "{reason}. The log was edited outside the proxy (in its database), so what it says from entry {broken_at} on cannot be trusted; those changes are marked \u{201c}Unverified\u{201d} below."
    )
}

/// The writes as CSV, a line per write, every cell defused against spreadsheet formulas:
/// `entry,sent_utc,key,action,target,details,outcome,explanation,method,fields`.
pub fn to_csv(writes: &[Write], names: &Names) -> String {
    let mut out = String::new();
    crate::invite::csv::write_row(
        &mut out,
        &[
            "entry",
            "sent_utc",
            "key",
            "action",
            "target",
            "details",
            "outcome",
            "explanation",
            "method",
            "fields",
        ],
    );
    for w in writes {
        let (label, sentence) = outcome_words(&w.method, w.outcome.as_deref());
        let fields: Vec<String> = w.fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let cells = [
            w.seq.to_string(),
            iso_utc(w.at),
            w.key_name.clone(),
            action(&w.method).to_owned(),
            w.target.text(names),
            detail(&w.method, &w.fields).unwrap_or_default(),
            label,
            sentence,
            w.method.clone(),
            fields.join("; "),
        ];
        let cells: Vec<String> = cells.iter().map(|c| defuse(c)).collect();
        crate::invite::csv::write_row(&mut out, &cells);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::explain_code;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn line(id: i64, key: &str, method: &str, fields: &[(&str, &str)], outcome: &str) -> LogLine {
        LogLine {
            id,
            at: 1_767_225_600 + id * 60,
            key: key.into(),
            method: method.into(),
            fields: serde_json::to_string(&f(fields)).unwrap(),
            outcome: outcome.into(),
        }
    }

    #[test]
    fn the_target_is_read_from_the_fields_of_each_method() {
        let invite = target_of(
            "admin.users.invite",
            &f(&[
                ("team_id", "T1"),
                ("email", "bo@example.com"),
                ("channel_ids", "C1"),
            ]),
        );
        assert_eq!(invite.email.as_deref(), Some("bo@example.com"));
        assert_eq!(invite.team_id, Some(TeamId::new("T1")));
        assert_eq!(invite.user_id, None);
        let legacy = target_of("users.admin.invite", &f(&[("email", "cy@example.com")]));
        assert_eq!(legacy.email.as_deref(), Some("cy@example.com"));
        assert_eq!(legacy.team_id, None);
        for m in [
            "admin.users.setAdmin",
            "admin.users.setOwner",
            "admin.users.setRegular",
            "admin.users.remove",
            "admin.users.assign",
        ] {
            let t = target_of(m, &f(&[("user_id", "W1"), ("team_id", "E1")]));
            assert_eq!(t.user_id, Some(UserId::new("W1")), "{m}");
            assert_eq!(t.team_id, Some(TeamId::new("E1")), "{m}");
            assert_eq!(t.email, None, "{m}");
        }
        let expiring = target_of(
            "admin.users.setExpiration",
            &f(&[("expiration_ts", "1767225600"), ("user_id", "W2")]),
        );
        assert_eq!(expiring.user_id, Some(UserId::new("W2")));
        let reset = target_of("admin.users.session.reset", &f(&[("user_id", "W3")]));
        assert_eq!(reset.user_id, Some(UserId::new("W3")));
        for m in ["admin.inviteRequests.approve", "admin.inviteRequests.deny"] {
            let t = target_of(m, &f(&[("invite_request_id", "Ir1"), ("team_id", "T1")]));
            assert_eq!(
                t.invite_request_id,
                Some(InviteRequestId::new("Ir1")),
                "{m}"
            );
            assert_eq!(t.team_id, Some(TeamId::new("T1")), "{m}");
        }
        // An empty field names nothing; a call with no target says so.
        let none = target_of("admin.users.invite", &f(&[("email", " ")]));
        assert_eq!(none, Target::default());
        assert_eq!(none.text(&Names::NONE), "\u{2014}");
    }

    #[test]
    fn the_target_in_words_uses_the_names_known() {
        let user = |id: &UserId| (id.as_str() == "W1").then(|| "Ana López".to_owned());
        let team = |id: &TeamId| (id.as_str() == "E1").then(|| "Northwind".to_owned());
        let request = |id: &InviteRequestId| (id.as_str() == "Ir1").then(|| "bo@x.com".into());
        let names = Names {
            user: &user,
            team: &team,
            request: &request,
        };
        let role = Target {
            user_id: Some(UserId::new("W1")),
            team_id: Some(TeamId::new("E1")),
            ..Target::default()
        };
        assert_eq!(role.text(&names), "Ana López (W1) in Northwind");
        assert_eq!(role.text(&Names::NONE), "W1 in E1");
        let unknown = Target {
            user_id: Some(UserId::new("W9")),
            ..Target::default()
        };
        assert_eq!(unknown.text(&names), "W9");
        let request = Target {
            invite_request_id: Some(InviteRequestId::new("Ir1")),
            team_id: Some(TeamId::new("T7")),
            ..Target::default()
        };
        assert_eq!(request.text(&names), "the request of bo@x.com (Ir1) in T7");
        assert_eq!(request.text(&Names::NONE), "request Ir1 in T7");
        let invite = Target {
            email: Some("cy@x.com".into()),
            ..Target::default()
        };
        assert_eq!(invite.text(&names), "cy@x.com");
    }

    #[test]
    fn every_write_method_has_words_and_a_kind() {
        for m in crate::methods::all() {
            let write = !m.scopes.is_empty()
                && !m
                    .scopes
                    .iter()
                    .all(|s| s.ends_with(":read") || s.contains(":read."));
            if write {
                assert_ne!(action(m.name), m.name, "{} has no words", m.name);
                assert_ne!(kind_of(m.name), Kind::Other, "{} has no kind", m.name);
            }
        }
        assert_eq!(action("admin.users.setAdmin"), "Made admin");
        assert_eq!(action(JOB_PAUSE), "Paused a job on the proxy");
        let fields = vec![
            ("job".to_owned(), "3".to_owned()),
            ("title".to_owned(), "Invite 8 people to HQ".to_owned()),
        ];
        assert_eq!(
            detail(JOB_PAUSE, &fields).as_deref(),
            Some("job 3 · Invite 8 people to HQ")
        );
        assert_eq!(action("admin.inviteRequests.approve"), "Approved request");
        assert_eq!(action("chat.postMessage"), "chat.postMessage");
        for (k, code, _) in KINDS {
            assert_eq!(Kind::parse(code), Some(*k));
            assert_eq!(k.code(), *code);
        }
    }

    #[test]
    fn details_say_how_and_until_when() {
        let d = |m: &str, p: &[(&str, &str)]| detail(m, &f(p));
        assert_eq!(
            d(
                "admin.users.invite",
                &[("is_restricted", "true"), ("channel_ids", "C1,C2")]
            )
            .as_deref(),
            Some("as a multi-channel guest · 2 channels")
        );
        assert_eq!(
            d(
                "users.admin.invite",
                &[("ultra_restricted", "1"), ("channels", "C1")]
            )
            .as_deref(),
            Some("as a single-channel guest · 1 channel")
        );
        assert_eq!(
            d("admin.users.invite", &[("email", "a@b.c")]).as_deref(),
            Some("as a full member")
        );
        assert_eq!(
            d(
                "admin.users.setExpiration",
                &[("expiration_ts", "1767225600")]
            )
            .as_deref(),
            Some("until 2026-01-01 00:00 UTC")
        );
        assert_eq!(
            d("admin.users.session.reset", &[("mobile_only", "true")]).as_deref(),
            Some("on mobile devices")
        );
        assert_eq!(d("admin.users.setAdmin", &[("user_id", "W1")]), None);
    }

    #[test]
    fn outcomes_in_words_with_the_catalogue_sentence() {
        assert_eq!(
            outcome_words("admin.users.setAdmin", Some("ok")),
            ("Done".into(), String::new())
        );
        let (label, sentence) = outcome_words("admin.users.invite", Some("already_in_team"));
        assert_eq!(label, "Refused: already_in_team");
        assert_eq!(sentence, explain_code("already_in_team").summary);
        let (label, sentence) = outcome_words("admin.users.invite", None);
        assert_eq!(label, "Sent, no answer recorded");
        assert!(sentence.contains("stopped before Slack answered"));
        let (label, sentence) =
            outcome_words("admin.users.invite", Some("unknown: no answer from Slack"));
        assert_eq!(label, "No answer from Slack");
        assert!(sentence.contains("may or may not have been made"));
        let (label, _) = outcome_words(
            "admin.users.invite",
            Some("unknown: Slack's answer was cut off"),
        );
        assert_eq!(label, "Answer cut off");
        let (label, sentence) = outcome_words("admin.users.invite", Some("http 502"));
        assert_eq!(label, "Failed: HTTP 502");
        assert!(!sentence.is_empty());
        let (label, sentence) = outcome_words("admin.users.invite", Some("brand_new_code"));
        assert_eq!(label, "Refused: brand_new_code");
        assert!(sentence.contains("brand_new_code"));
        assert_eq!(ending(Some("ok")), Ending::Done);
        assert_eq!(ending(Some("not_an_admin")), Ending::Refused);
        assert_eq!(ending(Some("http 500")), Ending::Refused);
        assert_eq!(
            ending(Some("unknown: no answer from Slack")),
            Ending::NoAnswer
        );
        assert_eq!(ending(None), Ending::NoAnswer);
    }

    #[test]
    fn each_sent_entry_is_paired_with_its_own_outcome() {
        let set = "admin.users.setAdmin";
        let lines = vec![
            line(1, "ana", set, &[("user_id", "W1")], SENT),
            line(2, "bo", set, &[("user_id", "W2")], SENT),
            // Answered out of order.
            line(3, "bo", set, &[("user_id", "W2")], "not_an_admin"),
            line(4, "ana", set, &[("user_id", "W1")], "ok"),
            // Two identical calls at once: answered in order.
            line(5, "ana", set, &[("user_id", "W3")], SENT),
            line(6, "ana", set, &[("user_id", "W3")], SENT),
            line(7, "ana", set, &[("user_id", "W3")], "ok"),
            line(8, "ana", set, &[("user_id", "W3")], "ratelimited"),
            // The proxy stopped before the answer.
            line(9, "ana", set, &[("user_id", "W4")], SENT),
            // An older proxy recorded only the outcome.
            line(10, "cy", set, &[("user_id", "W5")], "ok"),
        ];
        let writes = pair(&lines);
        let summary: Vec<(i64, &str, Option<&str>, Option<i64>)> = writes
            .iter()
            .map(|w| {
                (
                    w.seq,
                    w.key_name.as_str(),
                    w.outcome.as_deref(),
                    w.outcome_seq,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (1, "ana", Some("ok"), Some(4)),
                (2, "bo", Some("not_an_admin"), Some(3)),
                (5, "ana", Some("ok"), Some(7)),
                (6, "ana", Some("ratelimited"), Some(8)),
                (9, "ana", None, None),
                (10, "cy", Some("ok"), Some(10)),
            ]
        );
        assert_eq!(writes[0].target.user_id, Some(UserId::new("W1")));
        assert_eq!(writes[0].answered_at, Some(lines[3].at));
        assert_eq!(writes[4].ending(), Ending::NoAnswer);
        assert!(writes[3].after_break(Some(8)));
        assert!(!writes[0].after_break(Some(5)));
        assert!(!writes[0].after_break(None));
    }

    #[test]
    fn no_token_key_or_secret_reaches_the_fields() {
        let lines = vec![LogLine {
            id: 1,
            at: 0,
            key: "ana".into(),
            method: "admin.users.invite".into(),
            fields: serde_json::to_string(&f(&[
                ("token", "xoxp-123-456"),
                ("TOKEN", "sak_abc"),
                ("email", "bo@example.com"),
                (
                    "custom_message",
                    "welcome! use xoxb-1234-5678-abcdef to log in",
                ),
                ("client_secret", "s3cr3t"),
                ("real_name", "Bo sak_0123456789abcdef"),
                ("channel_ids", "C1,C2"),
                ("link", "https://x.example/?t=xoxb-99999-abc"),
                ("note", "token=xoxe.xoxp-1-abcdef"),
                ("other", "key:sak_0123456789abcdef"),
            ]))
            .unwrap(),
            outcome: SENT.into(),
        }];
        let w = &pair(&lines)[0];
        for hidden in ["link", "note", "other"] {
            assert!(
                w.fields.iter().any(|(k, v)| k == hidden && v == HIDDEN),
                "{hidden}: {:?}",
                w.fields
            );
        }
        let json = serde_json::to_string(w).unwrap();
        for secret in [
            "xoxp-123",
            "sak_abc",
            "xoxb-1234",
            "s3cr3t",
            "sak_0123",
            "xoxb-99999",
            "xoxe.xoxp",
        ] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        assert_eq!(
            w.fields,
            f(&[
                ("email", "bo@example.com"),
                ("custom_message", HIDDEN),
                ("client_secret", HIDDEN),
                ("real_name", HIDDEN),
                ("channel_ids", "C1,C2"),
                ("link", HIDDEN),
                ("note", HIDDEN),
                ("other", HIDDEN),
            ])
        );
        // Fields that are not the proxy's JSON are shown as one, still redacted.
        let odd = pair(&[LogLine {
            fields: "xoxp-999-999 by hand".into(),
            ..lines[0].clone()
        }]);
        assert_eq!(odd[0].fields, f(&[("fields", HIDDEN)]));
        // Plain words that merely start like a key stay.
        assert_eq!(
            redact(f(&[("real_name", "sak_ami"), ("email", "xoxo@x.com")])),
            f(&[("real_name", "sak_ami"), ("email", "xoxo@x.com")])
        );
    }

    fn sample() -> Vec<Write> {
        let inv = "admin.users.invite";
        let set = "admin.users.setAdmin";
        pair(&[
            line(1, "ana", inv, &[("email", "bo@example.com")], SENT),
            line(2, "ana", inv, &[("email", "bo@example.com")], "ok"),
            line(3, "bo", set, &[("user_id", "W1"), ("team_id", "E1")], SENT),
            line(
                4,
                "bo",
                set,
                &[("user_id", "W1"), ("team_id", "E1")],
                "not_an_admin",
            ),
            line(5, "ana", set, &[("user_id", "W2"), ("team_id", "E1")], SENT),
            line(6, "ana", set, &[("user_id", "W2"), ("team_id", "E1")], "ok"),
            line(7, "ana", inv, &[("email", "cy@example.com")], SENT),
        ])
    }

    #[test]
    fn filters_match_key_kind_outcome_time_and_words() {
        let writes = sample();
        let seqs = |filter: Filter| -> Vec<i64> {
            writes
                .iter()
                .filter(|w| filter.matches(w))
                .map(|w| w.seq)
                .collect()
        };
        assert_eq!(seqs(Filter::default()), vec![1, 3, 5, 7]);
        let key = Filter {
            key: Some("bo".into()),
            ..Filter::default()
        };
        assert_eq!(seqs(key), vec![3]);
        let kind = Filter {
            kind: Some(Kind::Invite),
            ..Filter::default()
        };
        assert_eq!(seqs(kind), vec![1, 7]);
        for (e, want) in [
            (Ending::Done, vec![1, 5]),
            (Ending::Refused, vec![3]),
            (Ending::NoAnswer, vec![7]),
        ] {
            let filter = Filter {
                ending: Some(e),
                ..Filter::default()
            };
            assert_eq!(seqs(filter), want, "{e:?}");
        }
        let time = Filter {
            since: Some(writes[1].at),
            until: Some(writes[3].at),
            ..Filter::default()
        };
        assert_eq!(seqs(time), vec![3, 5]);
        let words = |text: &str| Filter {
            text: text.into(),
            ..Filter::default()
        };
        assert_eq!(seqs(words("BO@example")), vec![1]);
        assert_eq!(seqs(words("made admin")), vec![3, 5]);
        assert_eq!(seqs(words("not_an_admin")), vec![3]);
        assert_eq!(seqs(words("no answer")), vec![7]);
        assert_eq!(seqs(words("ana cy")), vec![7]);
        // A name the console matched to a member finds the changes made to them.
        let named = Filter {
            text: "Dana".into(),
            users: vec![UserId::new("W2")],
            ..Filter::default()
        };
        assert_eq!(seqs(named), vec![5]);
    }

    #[test]
    fn pages_are_newest_first_and_the_cursor_goes_on_from_the_last() {
        let writes = sample();
        let mut query = Query {
            limit: 3,
            ..Query::default()
        };
        let (page, next, total) = select(&writes, &query);
        assert_eq!(
            page.iter().map(|w| w.seq).collect::<Vec<_>>(),
            vec![7, 5, 3]
        );
        assert_eq!(next, "3");
        assert_eq!(total, 4);
        query.cursor = next.parse().ok();
        let (page, next, _) = select(&writes, &query);
        assert_eq!(page.iter().map(|w| w.seq).collect::<Vec<_>>(), vec![1]);
        assert_eq!(next, "");
        // Exactly a page: no further cursor.
        let (page, next, _) = select(
            &writes,
            &Query {
                limit: 4,
                ..Query::default()
            },
        );
        assert_eq!(page.len(), 4);
        assert_eq!(next, "");
        // Filtered: the total counts the matches only.
        let (page, _, total) = select(
            &writes,
            &Query {
                filter: Filter {
                    key: Some("ana".into()),
                    ..Filter::default()
                },
                ..Query::default()
            },
        );
        assert_eq!(total, 3);
        assert_eq!(
            page.iter().map(|w| w.seq).collect::<Vec<_>>(),
            vec![7, 5, 1]
        );
        assert_eq!(key_names(&writes), vec!["ana".to_owned(), "bo".to_owned()]);
    }

    #[test]
    fn the_query_goes_there_and_back_and_bad_values_are_named() {
        let q = Query {
            filter: Filter {
                text: "ana & bo".into(),
                users: vec![UserId::new("W1"), UserId::new("W2")],
                key: Some("ops key".into()),
                kind: Some(Kind::Role),
                ending: Some(Ending::NoAnswer),
                since: Some(1_767_225_600),
                until: Some(1_767_312_000),
            },
            cursor: Some(42),
            limit: 250,
        };
        assert_eq!(Query::from_query(&q.to_query()), Ok(q));
        assert_eq!(Query::from_query(""), Ok(Query::default()));
        let refused = |s: &str| Query::from_query(s).unwrap_err();
        assert_eq!(refused("limit=0").code, "invalid_limit");
        assert_eq!(refused("limit=1001").code, "invalid_limit");
        assert!(refused("limit=x").detail.contains("1 to 1000"));
        assert_eq!(refused("cursor=abc").code, "invalid_cursor");
        assert_eq!(refused("cursor=-3").code, "invalid_cursor");
        assert!(refused("kind=hats").detail.contains("invites, roles"));
        assert!(refused("outcome=maybe").detail.contains("no-answer"));
        assert!(refused("since=yesterday")
            .detail
            .contains("seconds since 1970"));
    }

    #[test]
    fn the_view_lives_in_the_address_and_becomes_a_filter() {
        let v = View {
            text: "Ana López".into(),
            key: Some("ana".into()),
            kind: Some(Kind::Request),
            ending: Some(Ending::Refused),
            from: Day::parse("2026-01-01"),
            to: Day::parse("2026-01-31"),
        };
        let query = v.to_query();
        assert_eq!(
            query,
            "q=Ana+L%C3%B3pez&key=ana&kind=requests&outcome=refused&from=2026-01-01&to=2026-01-31"
        );
        assert_eq!(View::from_query(&format!("?{query}")), (v.clone(), None));
        assert_eq!(View::default().to_query(), "");
        // UTC here; the page gives the browser's midnight.
        let utc = |d: Day| days_from_civil(d.year, d.month, d.day) * 86_400;
        let filter = v.filter(&utc, vec![UserId::new("W1")]);
        assert_eq!(filter.since, Some(1_767_225_600));
        assert_eq!(filter.until, Some(1_767_225_600 + 31 * 86_400));
        assert_eq!(filter.users, vec![UserId::new("W1")]);
        assert_eq!(filter.text, "Ana López");
        // No text, no names.
        let plain = View::default().filter(&utc, vec![UserId::new("W1")]);
        assert!(plain.is_empty());
        // What cannot be read is left out and said.
        let (view, problem) = View::from_query("kind=hats&outcome=ok&from=2026-02-30");
        assert_eq!(view.ending, Some(Ending::Done));
        assert_eq!(view.kind, None);
        assert_eq!(view.from, None);
        let problem = problem.unwrap();
        assert!(
            problem.contains("hats") && problem.contains("2026-02-30"),
            "{problem}"
        );
        let (view, problem) = View::from_query("from=2026-03-01&to=2026-02-01");
        assert_eq!(view.from, Day::parse("2026-02-01"));
        assert!(problem.unwrap().contains("swapped"));
        assert_eq!(
            Day::parse("2024-02-29").unwrap().next(),
            Day::parse("2024-03-01").unwrap()
        );
        assert_eq!(
            Day::parse("2025-12-31").unwrap().next(),
            Day::parse("2026-01-01").unwrap()
        );
        assert_eq!(Day::parse("2025-02-29"), None);
        // Before the log could hold anything (and years a browser would read as 19xx).
        assert_eq!(Day::parse("0026-01-01"), None);
        assert_eq!(Day::parse("1969-12-31"), None);
    }

    #[test]
    fn a_search_for_a_person_names_their_ids() {
        use crate::members::{Kind as K, Role, Row, Status};
        let row = |id: &str, name: &str, display: &str, email: &str| {
            Row::new(
                UserId::new(id),
                name,
                display,
                email,
                Role::Member,
                K::Full,
                Status::Active,
            )
        };
        let rows = vec![
            row("W1", "Ana López", "ana", "ana@example.com"),
            row("W2", "Anaïs Bo", "", "anais@example.com"),
            row("W3", "Cy", "cyc", "cy@example.com"),
        ];
        assert_eq!(
            members_named(&rows, "ana", 10),
            vec![UserId::new("W1"), UserId::new("W2")]
        );
        assert_eq!(
            members_named(&rows, "LÓPEZ ana", 10),
            vec![UserId::new("W1")]
        );
        assert_eq!(members_named(&rows, "cy@", 10), vec![UserId::new("W3")]);
        assert_eq!(members_named(&rows, "ana", 1), vec![UserId::new("W1")]);
        assert!(members_named(&rows, "  ", 10).is_empty());
        assert!(members_named(&rows, "zed", 10).is_empty());
    }

    #[test]
    fn a_write_in_words_for_the_page() {
        let writes = sample();
        let user = |id: &UserId| (id.as_str() == "W1").then(|| "Ana López".to_owned());
        let names = Names {
            user: &user,
            ..Names::NONE
        };
        let now = writes[1].at + 600;
        let s = shown(&writes[1], &names, now, &|_| 60, Some(4));
        assert_eq!(s.seq, 3);
        assert_eq!(s.when, "2026-01-01 01:03");
        assert_eq!(s.when_utc, "2026-01-01 00:03 UTC");
        assert_eq!(s.ago, "10 minutes ago");
        assert_eq!(s.key, "bo");
        assert_eq!(s.action, "Made admin");
        assert_eq!(s.detail, None);
        assert_eq!(s.target, "Ana López (W1) in E1");
        assert_eq!(s.outcome, "Refused: not_an_admin");
        assert_eq!(s.explanation, explain_code("not_an_admin").summary);
        assert_eq!(s.ending, Ending::Refused);
        assert!(s.unverified, "its outcome is entry 4");
        let s = shown(&writes[0], &names, now, &|_| 0, Some(4));
        assert!(!s.unverified);
        assert_eq!(s.outcome, "Done");
        assert_eq!(s.explanation, "");
        assert_eq!(s.detail.as_deref(), Some("as a full member"));
    }

    #[test]
    fn the_count_line_says_what_is_shown() {
        assert_eq!(
            count_line(0, 0, false),
            "No change has been made through this proxy yet."
        );
        assert_eq!(count_line(0, 0, true), "No change matches these filters.");
        assert_eq!(count_line(1, 1, false), "1 change, newest first.");
        assert_eq!(
            count_line(100, 1204, false),
            "The newest 100 of 1,204 changes."
        );
        assert_eq!(count_line(2, 2, true), "2 changes match the filters.");
        assert_eq!(
            count_line(100, 250, true),
            "The newest 100 of 250 changes that match the filters."
        );
        assert_eq!(
            broken_notice(3, "entry 3 was changed after it was written"),
            "Entry 3 was changed after it was written. The log was edited outside the proxy (in its database), so what it says from entry 3 on cannot be trusted; those changes are marked \u{201c}Unverified\u{201d} below."
        );
        assert!(broken_notice(4, "").starts_with("Entry 4 does not hold. "));
    }

    #[test]
    fn times_in_words() {
        assert_eq!(ago(1000, 1030), "just now");
        assert_eq!(ago(1000, 900), "just now");
        assert_eq!(ago(0, 5 * 60), "5 minutes ago");
        assert_eq!(ago(0, 3 * 86_400), "3 days ago");
        assert_eq!(clock(1_767_225_600, 60), "2026-01-01 01:00");
        assert_eq!(clock(1_767_225_600, -300), "2025-12-31 19:00");
    }

    #[test]
    fn the_export_holds_the_rows_defused() {
        let mut writes = sample();
        writes[0].target.email = Some("=HYPERLINK(\"x\")@example.com".into());
        let user = |id: &UserId| (id.as_str() == "W1").then(|| "Ana, Jr.".to_owned());
        let names = Names {
            user: &user,
            ..Names::NONE
        };
        let csv = to_csv(&writes, &names);
        let table = crate::invite::csv::parse(&csv).unwrap();
        assert_eq!(table.rows.len(), 5, "{csv}");
        assert_eq!(
            table.rows[0].join(","),
            "entry,sent_utc,key,action,target,details,outcome,explanation,method,fields"
        );
        let invite = &table.rows[1];
        assert_eq!(invite[0], "1");
        assert_eq!(invite[1], "2026-01-01 00:01");
        assert_eq!(invite[2], "ana");
        assert_eq!(invite[3], "Invited");
        assert!(invite[4].starts_with("'=HYPERLINK"), "{csv}");
        assert_eq!(invite[5], "as a full member");
        assert_eq!(invite[6], "Done");
        let role = &table.rows[2];
        assert_eq!(role[4], "Ana, Jr. (W1) in E1");
        assert_eq!(role[6], "Refused: not_an_admin");
        assert_eq!(role[7], explain_code("not_an_admin").summary);
        assert_eq!(role[9], "user_id=W1; team_id=E1");
        assert_eq!(table.rows[4][6], "Sent, no answer recorded");
    }
}

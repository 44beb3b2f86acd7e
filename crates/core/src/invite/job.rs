//! The bulk invite job: an IO-free state machine with the clock passed in.
//!
//! The caller loops: [`Job::next`] says what to do at `now_ms` ([`Step::Send`] a row's call,
//! [`Step::WaitUntil`] a time, or that the job is paused or finished); the caller sends, then
//! hands the answer to [`Job::record`]. One call is in flight at a time, spaced by the
//! method's tier so that Slack never has to say 429 in steady state. The job serializes to
//! JSON after every row; [`Job::restore`] resumes it exactly, also after a crash mid-call.
//!
//! Rules, per row:
//! - success: `Invited`;
//! - HTTP 429: wait `Retry-After` before the next call (any row), send the row again; not a
//!   failed attempt, but after [`Pacing::max_rate_limits`] of them the row is refused;
//! - transient failures (5xx, dropped connection, `internal_error`…): the call may have
//!   reached Slack; retry with exponential backoff while the other rows go on, up to
//!   [`Pacing::max_attempts`], then refused with that code;
//! - an answer that cannot be read: Slack did answer, so the call reached it, but what it
//!   said is unknown; sending again would get the same unreadable answer. Refused with
//!   `undecodable_response`, saying the invitation may have gone out;
//! - `already_invited` / `already_in_team_invited_user` after a call that may have reached
//!   Slack: `Invited` (the earlier call did it); otherwise `AlreadyInvited`;
//! - `already_in_team`: `AlreadyMember`; any other refusal: `Refused` with the catalogue's
//!   sentence and fix.

use super::preview::PreviewRow;
use super::{csv, form, Invitation, InviteRoute, MemberType};
use crate::catalogue::{explain, explain_code};
use crate::error::SlackError;
use crate::ids::ChannelId;
use crate::method::Tier;
use crate::methods::Ack;
use crate::wire::{Form, HttpResponse};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::VecDeque;
use std::fmt::Debug;

/// What a job does with each of its rows. The engine (pacing, retries, 429s, halts, saving,
/// progress, the results) is the same for every job; the work says which call a row makes
/// and what Slack's answers mean for it. The invite job's work is its [`InviteRoute`]; the
/// members job's is [`crate::members::bulk::Change`].
pub trait Work:
    Clone + Debug + PartialEq + Eq + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// What one row is about (an invitation, a member).
    type Item: Clone + Debug + PartialEq + Eq + Serialize + DeserializeOwned + Send + Sync + 'static;
    /// The outcomes its rows can end with, in the order they are counted.
    const KINDS: &'static [OutcomeKind];
    /// The method a row calls.
    fn method(&self, item: &Self::Item) -> &'static str;
    /// The call's form fields (the transport adds the token).
    fn form(&self, item: &Self::Item) -> Form;
    /// The slowest tier among the methods it calls: the job's pace.
    fn tier(&self) -> Tier;
    /// The outcome of `{"ok": true}`.
    fn success(&self) -> Outcome;
    /// A final answer from Slack (neither transient nor halting the job): the row's outcome
    /// and, perhaps, a note. `possibly_delivered`: an earlier call of the row may have
    /// reached Slack.
    fn refusal(
        &self,
        item: &Self::Item,
        error: &SlackError,
        possibly_delivered: bool,
    ) -> (Outcome, Option<String>);
    /// An answer that could not be read reached Slack: what that may mean (added to the
    /// summary), and what to check.
    fn unreadable(&self) -> (&'static str, &'static str);
    /// Why a row was not sent after the admin cancelled, when an earlier call failed with
    /// `code` and may have reached Slack.
    fn cancelled_after(&self, code: &str) -> String;
}

impl Work for InviteRoute {
    type Item = Invitation;
    const KINDS: &'static [OutcomeKind] = &[
        OutcomeKind::Invited,
        OutcomeKind::AlreadyInvited,
        OutcomeKind::AlreadyMember,
        OutcomeKind::Refused,
        OutcomeKind::NotSent,
    ];

    fn method(&self, _: &Invitation) -> &'static str {
        self.method_name()
    }

    fn form(&self, item: &Invitation) -> Form {
        form(item, self)
    }

    fn tier(&self) -> Tier {
        InviteRoute::tier(self)
    }

    fn success(&self) -> Outcome {
        Outcome::Invited
    }

    fn refusal(
        &self,
        item: &Invitation,
        error: &SlackError,
        possibly_delivered: bool,
    ) -> (Outcome, Option<String>) {
        let code = error.code();
        match code {
            "already_invited" | "already_in_team_invited_user" if possibly_delivered => (
                Outcome::Invited,
                Some(format!("Invited: an earlier call that failed on the way back had reached Slack, which answered {code} to the retry.")),
            ),
            "sent_recently" if possibly_delivered && item.resend => (
                Outcome::Invited,
                Some("Resent: an earlier call that failed on the way back had reached Slack, which answered sent_recently to the retry.".into()),
            ),
            "already_invited" | "already_in_team_invited_user" => (Outcome::AlreadyInvited, None),
            "already_in_team" => (Outcome::AlreadyMember, None),
            _ => (Outcome::refused(error, self.method_name()), None),
        }
    }

    fn unreadable(&self) -> (&'static str, &'static str) {
        (
            "It reached Slack, so the invitation may have gone out.",
            "Check the pending invitations for this address before inviting them again.",
        )
    }

    fn cancelled_after(&self, code: &str) -> String {
        format!("Cancelled. An earlier call failed ({code}) and may have reached Slack: check the pending invitations before inviting this person again.")
    }
}

/// How fast to send and how hard to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pacing {
    /// Between two calls: 60,000 / the calls a minute allowed (3,000 ms for Tier 2).
    pub spacing_ms: u64,
    /// Calls per row that may fail transiently before the row is refused.
    pub max_attempts: u32,
    /// Backoff after the first transient failure; doubles after each one.
    pub backoff_base_ms: u64,
    pub backoff_max_ms: u64,
    /// HTTP 429s answered to one row before it is refused with `ratelimited`.
    pub max_rate_limits: u32,
}

impl Pacing {
    /// Pacing at `calls_per_minute`, with the default retry policy (5 attempts, backoff from
    /// 2 s to 1 min, 10 rate limits per row).
    pub fn per_minute(calls_per_minute: f64) -> Self {
        let spacing = if calls_per_minute.is_finite() && calls_per_minute > 0.0 {
            (60_000.0 / calls_per_minute).ceil().max(1.0) as u64
        } else {
            60_000
        };
        Self {
            spacing_ms: spacing,
            max_attempts: 5,
            backoff_base_ms: 2_000,
            backoff_max_ms: 60_000,
            max_rate_limits: 10,
        }
    }

    /// Exactly the tier's documented allowance (Tier 2: one call every 3 s).
    pub fn for_tier(tier: Tier) -> Self {
        Self::per_minute(f64::from(tier.per_minute()))
    }

    pub fn for_route(route: &InviteRoute) -> Self {
        Self::for_tier(route.tier())
    }

    /// The wait after the `failures`-th transient failure of a row.
    pub fn backoff_ms(&self, failures: u32) -> u64 {
        let doublings = failures.saturating_sub(1).min(30);
        self.backoff_base_ms
            .saturating_mul(1u64 << doublings)
            .min(self.backoff_max_ms)
    }
}

/// How a row ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Invited,
    AlreadyInvited,
    AlreadyMember,
    /// A change to a member was made.
    Changed,
    /// The member was already as asked: nothing to change.
    Unchanged,
    /// Slack said no (or kept failing): the catalogue's sentence and fix.
    Refused {
        code: String,
        summary: String,
        fix: String,
    },
    /// Never sent: the row was invalid, or the job was cancelled first.
    NotSent {
        reason: String,
    },
}

/// An [`Outcome`] without its details: for counting and filtering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Invited,
    AlreadyInvited,
    AlreadyMember,
    Changed,
    Unchanged,
    Refused,
    NotSent,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 7] = [
        OutcomeKind::Invited,
        OutcomeKind::AlreadyInvited,
        OutcomeKind::AlreadyMember,
        OutcomeKind::Changed,
        OutcomeKind::Unchanged,
        OutcomeKind::Refused,
        OutcomeKind::NotSent,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            OutcomeKind::Invited => "Invited",
            OutcomeKind::AlreadyInvited => "Already invited",
            OutcomeKind::AlreadyMember => "Already a member",
            OutcomeKind::Changed => "Changed",
            OutcomeKind::Unchanged => "Already so",
            OutcomeKind::Refused => "Refused",
            OutcomeKind::NotSent => "Not sent",
        }
    }

    /// The word in the results CSV.
    pub const fn word(self) -> &'static str {
        match self {
            OutcomeKind::Invited => "invited",
            OutcomeKind::AlreadyInvited => "already_invited",
            OutcomeKind::AlreadyMember => "already_member",
            OutcomeKind::Changed => "changed",
            OutcomeKind::Unchanged => "unchanged",
            OutcomeKind::Refused => "refused",
            OutcomeKind::NotSent => "not_sent",
        }
    }
}

impl Outcome {
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Outcome::Invited => OutcomeKind::Invited,
            Outcome::AlreadyInvited => OutcomeKind::AlreadyInvited,
            Outcome::AlreadyMember => OutcomeKind::AlreadyMember,
            Outcome::Changed => OutcomeKind::Changed,
            Outcome::Unchanged => OutcomeKind::Unchanged,
            Outcome::Refused { .. } => OutcomeKind::Refused,
            Outcome::NotSent { .. } => OutcomeKind::NotSent,
        }
    }

    pub fn refused(error: &SlackError, method: &str) -> Self {
        let e = explain(error, Some(method));
        Outcome::Refused {
            code: e.code,
            summary: e.summary,
            fix: e.fix,
        }
    }

    /// The job gave up on a row after `tries` calls that failed transiently.
    fn gave_up(error: &SlackError, method: &str, tries: u32) -> Self {
        if let SlackError::RateLimited { .. } = error {
            return Outcome::Refused {
                code: error.code().to_owned(),
                summary: format!("Slack answered \u{201c}too many calls, slow down\u{201d} (HTTP 429) {tries} times for this row, so the console stopped trying it."),
                fix: "Send this person again later, on their own or in a smaller batch.".to_owned(),
            };
        }
        let e = explain(error, Some(method));
        Outcome::Refused {
            code: e.code,
            summary: format!("{} The console tried {tries} times.", e.summary),
            fix: e.fix,
        }
    }
}

/// Where a row stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RowState {
    /// To be sent (again).
    Pending,
    /// Sent, answer not recorded yet. `attempt` counts this row's calls (1 for the first);
    /// `possibly_delivered`: an earlier call may have reached Slack. A job restored in this
    /// state sends the row again, taking it as possibly delivered.
    InFlight {
        attempt: u32,
        possibly_delivered: bool,
    },
    Done {
        #[serde(flatten)]
        outcome: Outcome,
    },
}

fn is_zero<N: Default + PartialEq>(n: &N) -> bool {
    *n == N::default()
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One row of the job (saved without its zero counters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow<T = Invitation> {
    /// The line of the CSV (or the position in the list, from 1).
    pub line: usize,
    /// What the row is about (the first saved form called it `invitation`).
    #[serde(alias = "invitation")]
    pub item: T,
    pub state: RowState,
    /// Calls sent for this row.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub sends: u32,
    /// Transient failures so far (they count toward [`Pacing::max_attempts`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failures: u32,
    /// HTTP 429s so far.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rate_limited: u32,
    /// An earlier call may have reached Slack (it failed after being sent: dropped, 5xx,
    /// unreadable answer, or the job was closed while it was in flight).
    #[serde(default, skip_serializing_if = "is_false")]
    pub possibly_delivered: bool,
    /// Not before this time (backoff after a transient failure).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retry_at_ms: u64,
    /// The last error code Slack (or the network) gave for this row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_code: Option<String>,
    /// Something worth saying about the outcome (e.g. confirmed on a retry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl<T> JobRow<T> {
    pub fn pending(line: usize, item: T) -> Self {
        Self {
            line,
            item,
            state: RowState::Pending,
            sends: 0,
            failures: 0,
            rate_limited: 0,
            possibly_delivered: false,
            retry_at_ms: 0,
            last_code: None,
            note: None,
        }
    }

    pub fn not_sent(line: usize, item: T, reason: impl Into<String>) -> Self {
        Self {
            state: RowState::Done {
                outcome: Outcome::NotSent {
                    reason: reason.into(),
                },
            },
            ..Self::pending(line, item)
        }
    }

    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.state {
            RowState::Done { outcome } => Some(outcome),
            _ => None,
        }
    }

    pub fn is_pending(&self) -> bool {
        self.state == RowState::Pending
    }

    pub fn is_in_flight(&self) -> bool {
        matches!(self.state, RowState::InFlight { .. })
    }

    /// Slack's code, when it answered with one (a refusal, or "already so"), and a sentence:
    /// why it was refused and the fix, why it was not sent, a note, or what it waits for.
    pub fn code_and_detail(&self) -> (Option<String>, String) {
        let outcome = self.outcome();
        let code = match outcome {
            Some(Outcome::Refused { code, .. }) => Some(code.clone()),
            Some(Outcome::AlreadyInvited | Outcome::AlreadyMember | Outcome::Unchanged) => {
                self.last_code.clone()
            }
            _ => None,
        };
        let detail = match outcome {
            Some(Outcome::Refused { summary, fix, .. }) => format!("{summary} {fix}"),
            Some(Outcome::NotSent { reason }) => reason.clone(),
            Some(Outcome::AlreadyInvited | Outcome::AlreadyMember | Outcome::Unchanged) => self
                .last_code
                .as_deref()
                .map(|c| {
                    let e = explain_code(c);
                    format!("{} {}", e.summary, e.fix)
                })
                .or_else(|| self.note.clone())
                .unwrap_or_default(),
            Some(Outcome::Invited | Outcome::Changed) => self.note.clone().unwrap_or_default(),
            None => match (&self.state, &self.last_code) {
                (RowState::InFlight { .. }, _) => "Sending…".to_owned(),
                (_, Some(code)) => format!("Waiting to try again after {code}."),
                _ => String::new(),
            },
        };
        (code, detail)
    }
}

/// What to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Send `form` to `method` now, then [`Job::record`] the answer for `row`.
    Send {
        row: usize,
        form: Form,
        method: &'static str,
    },
    /// Nothing to send before this time (ms since the epoch); ask again then.
    WaitUntil(u64),
    /// A call is in flight: record its answer first.
    AwaitAnswer {
        row: usize,
    },
    Paused,
    /// Every row has its final state.
    Finished,
}

/// Counts by outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub invited: usize,
    pub already_invited: usize,
    pub already_member: usize,
    #[serde(default)]
    pub changed: usize,
    #[serde(default)]
    pub unchanged: usize,
    pub refused: usize,
    pub not_sent: usize,
}

impl Counts {
    pub fn get(&self, kind: OutcomeKind) -> usize {
        match kind {
            OutcomeKind::Invited => self.invited,
            OutcomeKind::AlreadyInvited => self.already_invited,
            OutcomeKind::AlreadyMember => self.already_member,
            OutcomeKind::Changed => self.changed,
            OutcomeKind::Unchanged => self.unchanged,
            OutcomeKind::Refused => self.refused,
            OutcomeKind::NotSent => self.not_sent,
        }
    }

    fn add(&mut self, kind: OutcomeKind) {
        let slot = match kind {
            OutcomeKind::Invited => &mut self.invited,
            OutcomeKind::AlreadyInvited => &mut self.already_invited,
            OutcomeKind::AlreadyMember => &mut self.already_member,
            OutcomeKind::Changed => &mut self.changed,
            OutcomeKind::Unchanged => &mut self.unchanged,
            OutcomeKind::Refused => &mut self.refused,
            OutcomeKind::NotSent => &mut self.not_sent,
        };
        *slot += 1;
    }
}

/// Where the job stands, for the progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub total: usize,
    /// Rows with their final state.
    pub done: usize,
    pub counts: Counts,
    pub in_flight: usize,
    /// Rows still to finish (pending and in flight).
    pub remaining: usize,
    /// Time to the end at the current pace; `None` while paused.
    pub eta_ms: Option<u64>,
    pub paused: bool,
    pub cancelled: bool,
    pub finished: bool,
    /// Calls sent so far, and how many Slack answered with 429.
    pub sends: u32,
    pub rate_limits: u32,
}

/// Why the whole job stopped: an answer that no row can get past (a revoked token, a missing
/// scope, Slack's invite cap, or a rate limit that does not lift). Refusing row after row
/// would only burn the list; the job pauses and says so, and [`Job::resume`] tries again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Halt {
    pub code: String,
    pub summary: String,
    pub fix: String,
    /// The line of the row that got the answer (it is sent again on resume).
    pub line: usize,
}

/// Codes that concern the token, the app or the org, never one row.
pub const HALTING_CODES: &[&str] = &[
    // The sandbox's worker stopped: nothing more can be sent in this tab.
    crate::catalogue::SANDBOX_UNAVAILABLE,
    "not_authed",
    "invalid_auth",
    "token_revoked",
    "token_expired",
    "account_inactive",
    "missing_scope",
    "no_permission",
    "not_allowed_token_type",
    // The caller may not do this at all (an admin asked to make owners, say).
    "not_an_admin",
    "not_an_owner",
    "invalid_permissions",
    "failed_to_validate_caller",
    "org_login_required",
    "team_added_to_org",
    "invite_limit_reached",
    "ekm_access_denied",
    // The org does not have the feature at all (invite requests turned off, say).
    "feature_not_enabled",
];

/// The longest wait a saved job may still impose after a restore: Slack's Retry-After is
/// capped at an hour when it is read (`decode::retry_after`).
const MAX_HOLD_MS: u64 = 3_600_000;

/// "1 min 20 s", "45 s", "2 h 5 min": a duration as the job panel says it.
pub fn duration_text(ms: u64) -> String {
    let s = ms.div_ceil(1000);
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

impl Pacing {
    /// The pace of `work` on a connection with `rate_scale` times Slack's allowances (1 but
    /// for a fast sandbox).
    pub fn scaled<W: Work>(work: &W, rate_scale: f64) -> Self {
        Self::per_minute(f64::from(work.tier().per_minute()) * rate_scale)
    }

    /// Calls a minute at this pace.
    pub fn per_minute_now(&self) -> u64 {
        60_000 / self.spacing_ms.max(1)
    }

    /// How long `rows` calls take at this pace, at best.
    pub fn duration_ms(&self, rows: usize) -> u64 {
        (rows as u64)
            .saturating_sub(1)
            .saturating_mul(self.spacing_ms)
    }
}

/// Where a job stands, in a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    Sending,
    Paused,
    /// Not paused, but no tab drives it (closed, or waiting for the admin to resume).
    Stopped,
    Finished,
    Cancelled,
}

impl JobState {
    pub const fn label(self) -> &'static str {
        match self {
            JobState::Sending => "Sending",
            JobState::Paused => "Paused",
            JobState::Stopped => "Stopped",
            JobState::Finished => "Finished",
            JobState::Cancelled => "Cancelled",
        }
    }
}

impl Progress {
    /// The state, given whether a tab is driving the job now.
    pub fn state(&self, driving: bool) -> JobState {
        match (self.finished, self.cancelled, self.paused, driving) {
            (true, true, ..) => JobState::Cancelled,
            (true, false, ..) => JobState::Finished,
            (false, _, true, _) => JobState::Paused,
            (false, _, false, true) => JobState::Sending,
            (false, _, false, false) => JobState::Stopped,
        }
    }

    /// Rows done, in percent (100 for an empty job).
    pub fn percent(&self) -> usize {
        (self.done * 100).checked_div(self.total).unwrap_or(100)
    }

    /// "About 3 min 0 s left" while the job runs; `None` when finished or paused.
    pub fn eta_text(&self) -> Option<String> {
        match (self.finished || self.paused, self.eta_ms) {
            (false, Some(ms)) => Some(format!("About {} left", duration_text(ms))),
            _ => None,
        }
    }
}

/// Which results to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResultFilter {
    #[default]
    All,
    Only(OutcomeKind),
    /// Rows without their final state yet.
    Pending,
}

impl ResultFilter {
    /// From the word of the results filter (`""`, an [`OutcomeKind::word`], `pending`).
    pub fn parse(word: &str) -> Self {
        match word {
            "pending" => ResultFilter::Pending,
            w => OutcomeKind::ALL
                .into_iter()
                .find(|k| k.word() == w)
                .map_or(ResultFilter::All, ResultFilter::Only),
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            ResultFilter::All => "",
            ResultFilter::Only(k) => k.word(),
            ResultFilter::Pending => "pending",
        }
    }

    pub fn matches(self, r: &RowResult) -> bool {
        match (self, r.kind()) {
            (ResultFilter::All, _) => true,
            (ResultFilter::Pending, k) => k.is_none(),
            (ResultFilter::Only(want), Some(k)) => want == k,
            (ResultFilter::Only(_), None) => false,
        }
    }
}

/// Completions remembered for the observed pace.
const RECENT: usize = 20;
/// The saved format's version.
const VERSION: u32 = 1;
/// The compact saved form's version.
const SAVED_VERSION: u32 = 2;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
struct Data<W: Work = InviteRoute> {
    version: u32,
    /// What every row does (the invite job's route).
    #[serde(rename = "route")]
    work: W,
    pacing: Pacing,
    rows: Vec<JobRow<W::Item>>,
    paused: bool,
    cancelled: bool,
    /// When the last call was sent.
    last_send_ms: Option<u64>,
    /// Slack's Retry-After: no call before this.
    hold_until_ms: u64,
    /// When the last rows that were sent reached their final state.
    recent: VecDeque<u64>,
    sends: u32,
    rate_limits: u32,
    /// Why the job paused itself, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    halt: Option<Halt>,
}

/// A bulk job: the invite job (`Job`, whose work is its [`InviteRoute`]) or another
/// [`Work`]. Serialize it after every [`Job::record`] (plain JSON; the invite job's is the
/// compact form of [`saved`]); restore it with [`Job::restore`] or any serde deserializer (the
/// invite job's first saved form is still read): rows in flight then are sent again as
/// possibly delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job<W: Work = InviteRoute>(Data<W>);

impl Serialize for Job<InviteRoute> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        saved::Saved::from(self.clone()).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Job<InviteRoute> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let form = saved::AnyForm::deserialize(d)?;
        Job::try_from(form).map_err(serde::de::Error::custom)
    }
}

/// Serde for the job of a work that is saved as it is (every job but the invite job, which
/// has its compact form): `plain_serde!(Change);`.
#[macro_export]
macro_rules! plain_job_serde {
    ($work:ty) => {
        impl serde::Serialize for $crate::invite::job::Job<$work> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.plain_serialize(s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $crate::invite::job::Job<$work> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::invite::job::Job::plain_deserialize(d)
            }
        }
    };
}

impl<W: Work> Job<W> {
    /// Serializes the job as its data are (see [`plain_job_serde`]).
    pub fn plain_serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }

    /// Reads a job serialized by [`Job::plain_serialize`]; a line that appears twice refuses
    /// it.
    pub fn plain_deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = Data::<W>::deserialize(d)?;
        if data.version != VERSION {
            return Err(serde::de::Error::custom(format!(
                "saved job version {} is not {VERSION}",
                data.version
            )));
        }
        let mut lines = std::collections::HashSet::new();
        if let Some(r) = data.rows.iter().find(|r| !lines.insert(r.line)) {
            return Err(serde::de::Error::custom(format!(
                "line {} appears twice",
                r.line
            )));
        }
        Ok(Job::from(data))
    }
}

impl<W: Work> From<Data<W>> for Job<W> {
    fn from(mut data: Data<W>) -> Self {
        for row in &mut data.rows {
            if let RowState::InFlight { .. } = row.state {
                // The answer of that call is lost: it may or may not have reached Slack.
                row.state = RowState::Pending;
                row.possibly_delivered = true;
                row.note = Some(
                    "The console was closed while this call was in flight; it was sent again."
                        .into(),
                );
            }
        }
        Job(data)
    }
}

impl<W: Work> Job<W> {
    pub fn from_rows(rows: Vec<JobRow<W::Item>>, work: W, pacing: Pacing) -> Self {
        Job(Data {
            version: VERSION,
            work,
            pacing,
            rows,
            paused: false,
            cancelled: false,
            last_send_ms: None,
            hold_until_ms: 0,
            recent: VecDeque::new(),
            sends: 0,
            rate_limits: 0,
            halt: None,
        })
    }

    /// Brings every saved time within reach of `now_ms` (see [`Job::restore_at`]).
    pub fn clamp_clock(&mut self, now_ms: u64) {
        let d = &mut self.0;
        d.last_send_ms = d.last_send_ms.map(|t| t.min(now_ms));
        d.hold_until_ms = d.hold_until_ms.min(now_ms.saturating_add(MAX_HOLD_MS));
        let backoff_max = d.pacing.backoff_max_ms;
        for r in &mut d.rows {
            r.retry_at_ms = r.retry_at_ms.min(now_ms.saturating_add(backoff_max));
        }
        d.recent.retain(|&t| t <= now_ms);
    }

    /// What every row does.
    pub fn work(&self) -> &W {
        &self.0.work
    }

    pub fn pacing(&self) -> &Pacing {
        &self.0.pacing
    }

    /// Paces the job as this connection allows, whatever pace was saved with it: a saved job
    /// is data anyone with access to the browser's storage could have written.
    pub fn set_pacing(&mut self, pacing: Pacing) {
        self.0.pacing = pacing;
    }

    pub fn rows(&self) -> &[JobRow<W::Item>] {
        &self.0.rows
    }

    pub fn is_paused(&self) -> bool {
        self.0.paused
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled
    }

    /// Every row has its final state.
    pub fn is_finished(&self) -> bool {
        self.0.rows.iter().all(|r| r.outcome().is_some())
    }

    fn in_flight(&self) -> Option<usize> {
        self.0.rows.iter().position(JobRow::is_in_flight)
    }

    /// The earliest time the next call may go out, whichever row it is.
    fn earliest_send(&self) -> u64 {
        let paced = self
            .0
            .last_send_ms
            .map_or(0, |t| t.saturating_add(self.0.pacing.spacing_ms));
        paced.max(self.0.hold_until_ms)
    }

    /// The pending row to send next and when: the first in order among those ready
    /// earliest (a row backing off lets the others go ahead).
    fn next_pending(&self, now_ms: u64) -> Option<(usize, u64)> {
        let earliest = self.earliest_send();
        // A backoff never reaches further than its maximum from now (clock jumps).
        let latest_retry = now_ms.saturating_add(self.0.pacing.backoff_max_ms);
        let mut found: Option<(usize, u64)> = None;
        for (i, row) in self.0.rows.iter().enumerate() {
            if !row.is_pending() {
                continue;
            }
            let at = earliest.max(row.retry_at_ms.min(latest_retry));
            if found.is_none_or(|(_, best)| at < best) {
                found = Some((i, at));
                if at == earliest {
                    break;
                }
            }
        }
        found
    }

    /// When [`Job::next`] would send next (ms since the epoch; at or before `now_ms`: now),
    /// or `None` when it would not send at all (paused, cancelled, finished, or a call in
    /// flight). Asking changes nothing: a driver that shares its turns with others (the
    /// proxy's) takes a turn only when the job would use it.
    pub fn next_send_at(&self, now_ms: u64) -> Option<u64> {
        if self.0.paused || self.0.cancelled || self.in_flight().is_some() {
            return None;
        }
        self.next_pending(now_ms).map(|(_, at)| at)
    }

    /// What to do at `now_ms`. On [`Step::Send`] the row is in flight until
    /// [`Job::record`] gets its answer.
    pub fn next(&mut self, now_ms: u64) -> Step {
        // A clock that jumped back (or a saved job from a clock that was ahead) must not
        // stall the job until the old future: a last send "later than now" happened now.
        if self.0.last_send_ms.is_some_and(|t| t > now_ms) {
            self.0.last_send_ms = Some(now_ms);
        }
        self.0.hold_until_ms = self.0.hold_until_ms.min(now_ms.saturating_add(MAX_HOLD_MS));
        let in_flight = self.in_flight();
        if self.0.cancelled {
            return match in_flight {
                Some(row) => Step::AwaitAnswer { row },
                None => Step::Finished,
            };
        }
        let Some((row, at)) = self.next_pending(now_ms) else {
            return match in_flight {
                Some(row) => Step::AwaitAnswer { row },
                None => Step::Finished,
            };
        };
        if self.0.paused {
            return Step::Paused;
        }
        if let Some(row) = in_flight {
            return Step::AwaitAnswer { row };
        }
        if at > now_ms {
            return Step::WaitUntil(at);
        }
        let method = self.0.work.method(&self.0.rows[row].item);
        let form = self.0.work.form(&self.0.rows[row].item);
        let r = &mut self.0.rows[row];
        r.sends += 1;
        r.state = RowState::InFlight {
            attempt: r.sends,
            possibly_delivered: r.possibly_delivered,
        };
        self.0.sends += 1;
        self.0.last_send_ms = Some(now_ms);
        Step::Send { row, form, method }
    }

    /// Records the answer to the call of `row` sent by the last [`Step::Send`]. Returns
    /// `false` (and changes nothing) when that row has no call in flight.
    pub fn record(&mut self, row: usize, result: Result<(), SlackError>, now_ms: u64) -> bool {
        let work = &self.0.work;
        let pacing = self.0.pacing;
        let cancelled = self.0.cancelled;
        let Some(r) = self.0.rows.get_mut(row) else {
            return false;
        };
        if !r.is_in_flight() {
            return false;
        }
        let method = work.method(&r.item);
        let mut hold_until = None;
        let mut halt = None;
        let outcome = match result {
            Ok(()) => Some(work.success()),
            Err(error) => {
                let code = error.code().to_owned();
                r.last_code = Some(code.clone());
                match &error {
                    SlackError::RateLimited { retry_after } => {
                        r.rate_limited += 1;
                        hold_until = Some(now_ms.saturating_add(retry_after.saturating_mul(1000)));
                        if r.rate_limited >= pacing.max_rate_limits {
                            // Slack keeps refusing whatever the pace: not this row's fault.
                            let tries = r.rate_limited;
                            r.rate_limited = 0;
                            let e = Outcome::gave_up(&error, method, tries);
                            if let Outcome::Refused { code, summary, .. } = e {
                                halt = Some(Halt {
                                    code,
                                    summary: format!("{summary} The job paused: Slack's limit did not lift after waiting as asked."),
                                    fix: "Resume later; the row is sent again.".to_owned(),
                                    line: r.line,
                                });
                            }
                        }
                        None
                    }
                    SlackError::Api { code, .. } if HALTING_CODES.contains(&code.as_str()) => {
                        // Not an attempt of this row: every row would get the same answer.
                        let e = explain(&error, Some(method));
                        halt = Some(Halt {
                            code: e.code,
                            summary: e.summary,
                            fix: e.fix,
                            line: r.line,
                        });
                        None
                    }
                    e if e.is_transient() => {
                        r.possibly_delivered = true;
                        r.failures += 1;
                        if r.failures >= pacing.max_attempts {
                            Some(Outcome::gave_up(&error, method, r.failures))
                        } else {
                            r.retry_at_ms = now_ms.saturating_add(pacing.backoff_ms(r.failures));
                            None
                        }
                    }
                    SlackError::Decode { .. } => {
                        let e = explain(&error, Some(method));
                        let (may, check) = work.unreadable();
                        Some(Outcome::Refused {
                            code: e.code,
                            summary: format!("{} {may}", e.summary),
                            fix: check.to_owned(),
                        })
                    }
                    _ => {
                        let (outcome, note) = work.refusal(&r.item, &error, r.possibly_delivered);
                        if note.is_some() {
                            r.note = note;
                        }
                        Some(outcome)
                    }
                }
            }
        };
        let outcome = match outcome {
            Some(o) => Some(o),
            None if cancelled => Some(Outcome::NotSent {
                reason: cancelled_reason(r, work),
            }),
            None => None,
        };
        match outcome {
            Some(outcome) => {
                r.state = RowState::Done { outcome };
                if self.0.recent.len() == RECENT {
                    self.0.recent.pop_front();
                }
                self.0.recent.push_back(now_ms);
            }
            None => r.state = RowState::Pending,
        }
        if let Some(t) = hold_until {
            self.0.rate_limits += 1;
            self.0.hold_until_ms = self.0.hold_until_ms.max(t);
        }
        if let Some(h) = halt {
            if !self.0.cancelled {
                self.0.paused = true;
                self.0.halt = Some(h);
            }
        }
        true
    }

    /// Why the job paused itself, if it did; cleared by [`Job::resume`].
    pub fn halt(&self) -> Option<&Halt> {
        self.0.halt.as_ref()
    }

    /// No new call until [`Job::resume`]; a call in flight still gets its answer recorded.
    pub fn pause(&mut self) {
        self.0.paused = true;
    }

    pub fn resume(&mut self) {
        self.0.paused = false;
        self.0.halt = None;
    }

    /// Rows not sent yet become `NotSent`; a call in flight still gets its answer recorded.
    pub fn cancel(&mut self) {
        self.0.cancelled = true;
        let work = &self.0.work;
        for r in &mut self.0.rows {
            if r.is_pending() {
                r.state = RowState::Done {
                    outcome: Outcome::NotSent {
                        reason: cancelled_reason(r, work),
                    },
                };
            }
        }
    }

    /// Counts, what is left, and an honest time to the end: the calls left times the pace
    /// (the tier's spacing, or the recently observed time per row when that is slower, e.g.
    /// after 429s and retries), plus any wait imposed now.
    pub fn progress(&self, now_ms: u64) -> Progress {
        let mut counts = Counts::default();
        let mut in_flight = 0;
        let mut pending = 0;
        for r in &self.0.rows {
            match &r.state {
                RowState::Done { outcome } => counts.add(outcome.kind()),
                RowState::InFlight { .. } => in_flight += 1,
                RowState::Pending => pending += 1,
            }
        }
        let remaining = pending + in_flight;
        let total = self.0.rows.len();
        let finished = remaining == 0;
        let eta_ms = if finished || (self.0.cancelled && pending == 0) {
            Some(0)
        } else if self.0.paused {
            None
        } else {
            Some(self.eta(now_ms, pending))
        };
        Progress {
            total,
            done: total - remaining,
            counts,
            in_flight,
            remaining,
            eta_ms,
            paused: self.0.paused,
            cancelled: self.0.cancelled,
            finished,
            sends: self.0.sends,
            rate_limits: self.0.rate_limits,
        }
    }

    fn eta(&self, now_ms: u64, pending: usize) -> u64 {
        if pending == 0 {
            return 0;
        }
        let spacing = self.0.pacing.spacing_ms;
        let recent = &self.0.recent;
        let observed = match (recent.front(), recent.back()) {
            (Some(&first), Some(&last)) if recent.len() >= 3 => {
                // Time per row lately, counting the time since the last one finished.
                let span = last.max(now_ms).saturating_sub(first);
                span / (recent.len() as u64 - 1).max(1)
            }
            _ => 0,
        };
        let per_row = spacing.max(observed);
        let first_at = self
            .next_pending(now_ms)
            .map_or(now_ms, |(_, at)| at)
            .max(now_ms);
        (first_at - now_ms).saturating_add(per_row.saturating_mul(pending as u64 - 1))
    }
}

impl<W: Work> Job<W>
where
    Job<W>: Serialize + DeserializeOwned,
{
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a job always encodes")
    }
}

impl Job<InviteRoute> {
    /// A job saved with [`Job::to_json`] (or any serde serializer).
    pub fn restore(json: &str) -> Result<Job, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// Restores a saved job read at `now_ms`, its times clamped to what the rules allow from
    /// now: a job saved by a clock that was ahead (or edited) never waits longer than one
    /// Retry-After or one backoff, and times in the future of a send are brought back to now.
    pub fn restore_at(json: &str, now_ms: u64) -> Result<Job, serde_json::Error> {
        let mut job = Self::restore(json)?;
        job.clamp_clock(now_ms);
        Ok(job)
    }

    /// A job sending `rows` in order; their lines are 1, 2, 3…
    pub fn new(rows: Vec<Invitation>, route: InviteRoute, pacing: Pacing) -> Self {
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, inv)| JobRow::pending(i + 1, inv))
            .collect();
        Self::from_rows(rows, route, pacing)
    }

    /// A job of a preview: valid rows are sent; invalid rows are reported `NotSent` with
    /// their problems, never sent.
    pub fn from_preview(rows: &[PreviewRow], route: InviteRoute, pacing: Pacing) -> Self {
        let rows = rows
            .iter()
            .map(|r| match &r.invitation {
                Some(inv) if r.is_valid() => JobRow::pending(r.line, inv.clone()),
                _ => JobRow::not_sent(r.line, draft(r), r.reason()),
            })
            .collect();
        Self::from_rows(rows, route, pacing)
    }

    pub fn route(&self) -> &InviteRoute {
        &self.0.work
    }

    /// Checks the rows still to send again, as on a restored job before it may run: a row
    /// that no longer passes (a guest expiration now in the past) is not sent, with the
    /// reason. Returns how many rows that took out.
    pub fn recheck(&mut self, now_s: i64) -> usize {
        let route = self.0.work.clone();
        let mut taken = 0;
        for r in &mut self.0.rows {
            if !r.is_pending() {
                continue;
            }
            if let Err(problems) = super::check(&r.item, &route, now_s) {
                let reason = problems
                    .iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                r.state = RowState::Done {
                    outcome: Outcome::NotSent {
                        reason: format!("Not sent: checked again before resuming, {reason}"),
                    },
                };
                taken += 1;
            }
        }
        taken
    }

    /// Every row, with its outcome so far.
    pub fn results(&self) -> Vec<RowResult> {
        self.0.rows.iter().map(RowResult::of).collect()
    }
}

fn cancelled_reason<W: Work>(r: &JobRow<W::Item>, work: &W) -> String {
    match (&r.last_code, r.possibly_delivered) {
        (Some(code), true) => work.cancelled_after(code),
        _ => "Cancelled before it was sent.".to_owned(),
    }
}

/// The invitation of an invalid preview row, as far as it can be read (for the results).
fn draft(row: &PreviewRow) -> Invitation {
    let f = &row.fields;
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    Invitation {
        email: f.email.trim().to_owned(),
        real_name: text(&f.name),
        first_name: text(&f.first_name),
        last_name: text(&f.last_name),
        member_type: MemberType::parse(&f.member_type).unwrap_or_default(),
        ..Invitation::default()
    }
}

/// Reads the answer to an invite call: `Ok` for `{"ok": true}`, else why not.
pub fn read_answer(response: &HttpResponse) -> Result<(), SlackError> {
    crate::decode::decode_envelope::<Ack>(response).map(|_| ())
}

/// The error for a call whose connection closed without an answer.
pub fn dropped() -> SlackError {
    SlackError::Http {
        status: 0,
        message: "the connection closed without an answer".into(),
    }
}

/// One row of the results table and export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowResult {
    pub line: usize,
    pub email: String,
    pub name: String,
    pub member_type: MemberType,
    pub channels: Vec<ChannelId>,
    /// `None` while the row is pending or in flight.
    pub outcome: Option<Outcome>,
    /// Slack's code, when it answered with one (refusals, already invited or a member).
    pub code: Option<String>,
    /// A sentence: why it was refused and the fix, why it was not sent, or a note.
    pub detail: String,
    pub sends: u32,
}

impl RowResult {
    fn of(r: &JobRow) -> Self {
        let outcome = r.outcome().cloned();
        let (code, detail) = r.code_and_detail();
        RowResult {
            line: r.line,
            email: r.item.email.clone(),
            name: r.item.full_name().unwrap_or_default(),
            member_type: r.item.member_type,
            channels: r.item.channels.clone(),
            outcome,
            code,
            detail,
            sends: r.sends,
        }
    }

    pub fn kind(&self) -> Option<OutcomeKind> {
        self.outcome.as_ref().map(Outcome::kind)
    }

    /// The outcome in words, "Waiting" until there is one.
    pub fn outcome_label(&self) -> &'static str {
        self.kind().map_or("Waiting", OutcomeKind::label)
    }

    /// The outcome's word, "pending" until there is one (for styling and the export).
    pub fn outcome_word(&self) -> &'static str {
        self.kind().map_or("pending", OutcomeKind::word)
    }

    /// The detail, with Slack's code after it when the detail does not name it.
    pub fn detail_with_code(&self) -> String {
        match &self.code {
            Some(code) if !self.detail.contains(code.as_str()) => {
                format!("{} ({code})", self.detail)
            }
            _ => self.detail.clone(),
        }
    }
}

/// The results as CSV: `line,email,name,type,channels,outcome,code,detail`, RFC 4180 quoting,
/// and cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) prefixed with `'`.
pub fn results_csv(results: &[RowResult]) -> String {
    let mut out = String::new();
    csv::write_row(
        &mut out,
        &[
            "line", "email", "name", "type", "channels", "outcome", "code", "detail",
        ],
    );
    for r in results {
        let channels: Vec<&str> = r.channels.iter().map(ChannelId::as_str).collect();
        let cells = [
            r.line.to_string(),
            r.email.clone(),
            r.name.clone(),
            r.member_type.csv_word().to_owned(),
            channels.join(" "),
            r.kind().map_or("pending", OutcomeKind::word).to_owned(),
            r.code.clone().unwrap_or_default(),
            r.detail.clone(),
        ];
        let cells: Vec<String> = cells.iter().map(|c| defuse(c)).collect();
        csv::write_row(&mut out, &cells);
    }
    out
}

/// Keeps a spreadsheet from reading a cell as a formula.
pub fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The saved form of a job: each row keeps only its address, name and state, and refers to
/// the details it shares with other rows (type, channels, expiration, message: the import's
/// defaults), to its outcome and to its note by number. 20,000 rows fit in well under the
/// 5 million characters a browser's localStorage holds (`a_saved_job_of_20000_rows_fits_the_
/// storage_quota`), where the first form repeated a 300-character message on every row.
mod saved {
    use super::*;
    use std::collections::HashMap;

    fn is_false(b: &bool) -> bool {
        !*b
    }

    fn is_zero<T: Default + PartialEq>(n: &T) -> bool {
        *n == T::default()
    }

    /// What rows share.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub(super) struct Tail {
        #[serde(default)]
        member_type: MemberType,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        channels: Vec<ChannelId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expiration_ts: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        custom_message: Option<String>,
        #[serde(default, skip_serializing_if = "is_false")]
        resend: bool,
    }

    /// One row, with short names and nothing that is at its default.
    #[derive(Clone, Debug, Default, Serialize, Deserialize)]
    pub(super) struct Row {
        l: usize,
        e: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        n: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        f: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        a: Option<String>,
        /// Index in `tails`.
        #[serde(default, skip_serializing_if = "is_zero")]
        t: usize,
        /// 1 + index in `outcomes` when done.
        #[serde(default, skip_serializing_if = "is_zero")]
        o: usize,
        /// The attempt in flight (0: none).
        #[serde(default, skip_serializing_if = "is_zero")]
        i: u32,
        #[serde(default, skip_serializing_if = "is_false")]
        ip: bool,
        #[serde(default, skip_serializing_if = "is_zero")]
        s: u32,
        #[serde(default, skip_serializing_if = "is_zero")]
        x: u32,
        #[serde(default, skip_serializing_if = "is_zero")]
        r: u32,
        #[serde(default, skip_serializing_if = "is_false")]
        p: bool,
        #[serde(default, skip_serializing_if = "is_zero")]
        w: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        c: Option<String>,
        /// 1 + index in `notes`.
        #[serde(default, skip_serializing_if = "is_zero")]
        nt: usize,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    pub(super) struct Saved {
        v: u32,
        route: InviteRoute,
        pacing: Pacing,
        #[serde(default, skip_serializing_if = "is_false")]
        paused: bool,
        #[serde(default, skip_serializing_if = "is_false")]
        cancelled: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_send_ms: Option<u64>,
        #[serde(default)]
        hold_until_ms: u64,
        #[serde(default)]
        recent: VecDeque<u64>,
        #[serde(default)]
        sends: u32,
        #[serde(default)]
        rate_limits: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        halt: Option<Halt>,
        tails: Vec<Tail>,
        #[serde(default)]
        outcomes: Vec<Outcome>,
        #[serde(default)]
        notes: Vec<String>,
        rows: Vec<Row>,
    }

    /// Either saved form.
    #[derive(Deserialize)]
    #[serde(untagged)]
    pub(super) enum AnyForm {
        Compact(Saved),
        First(Data),
    }

    /// Numbers each distinct value once.
    struct Interner<T> {
        items: Vec<T>,
        index: HashMap<String, usize>,
    }

    impl<T: Serialize + Clone> Interner<T> {
        fn new() -> Self {
            Self {
                items: Vec::new(),
                index: HashMap::new(),
            }
        }

        fn add(&mut self, item: &T) -> usize {
            let key = serde_json::to_string(item).unwrap_or_default();
            *self.index.entry(key).or_insert_with(|| {
                self.items.push(item.clone());
                self.items.len() - 1
            })
        }
    }

    impl From<Job> for Saved {
        fn from(job: Job) -> Self {
            let d = job.0;
            let mut tails = Interner::new();
            let mut outcomes = Interner::new();
            let mut notes = Interner::new();
            let rows = d
                .rows
                .into_iter()
                .map(|r| {
                    let inv = r.item;
                    let tail = Tail {
                        member_type: inv.member_type,
                        channels: inv.channels,
                        expiration_ts: inv.expiration_ts,
                        custom_message: inv.custom_message,
                        resend: inv.resend,
                    };
                    let (o, i, ip) = match &r.state {
                        RowState::Pending => (0, 0, false),
                        RowState::InFlight {
                            attempt,
                            possibly_delivered,
                        } => (0, (*attempt).max(1), *possibly_delivered),
                        RowState::Done { outcome } => (outcomes.add(outcome) + 1, 0, false),
                    };
                    Row {
                        l: r.line,
                        e: inv.email,
                        n: inv.real_name,
                        f: inv.first_name,
                        a: inv.last_name,
                        t: tails.add(&tail),
                        o,
                        i,
                        ip,
                        s: r.sends,
                        x: r.failures,
                        r: r.rate_limited,
                        p: r.possibly_delivered,
                        w: r.retry_at_ms,
                        c: r.last_code,
                        nt: r.note.as_ref().map_or(0, |n| notes.add(n) + 1),
                    }
                })
                .collect();
            Saved {
                v: SAVED_VERSION,
                route: d.work,
                pacing: d.pacing,
                paused: d.paused,
                cancelled: d.cancelled,
                last_send_ms: d.last_send_ms,
                hold_until_ms: d.hold_until_ms,
                recent: d.recent,
                sends: d.sends,
                rate_limits: d.rate_limits,
                halt: d.halt,
                tails: tails.items,
                outcomes: outcomes.items,
                notes: notes.items,
                rows,
            }
        }
    }

    impl TryFrom<AnyForm> for Job {
        type Error = String;

        /// A saved job is read whole or not at all: a number that points nowhere, a line
        /// that appears twice or a version this console does not know refuses the save
        /// (a damaged or planted job must not turn a confirmed row back into one to send).
        fn try_from(form: AnyForm) -> Result<Job, String> {
            let data = match form {
                AnyForm::First(data) => data,
                AnyForm::Compact(s) => {
                    if s.v != SAVED_VERSION {
                        return Err(format!("saved job version {} is not {SAVED_VERSION}", s.v));
                    }
                    let rows =
                        s.rows
                            .into_iter()
                            .map(|r| {
                                let tail =
                                    s.tails.get(r.t).cloned().ok_or_else(|| {
                                        format!("line {}: no details {}", r.l, r.t)
                                    })?;
                                let state = match (r.o, r.i) {
                                    (0, 0) => RowState::Pending,
                                    (0, attempt) => RowState::InFlight {
                                        attempt,
                                        possibly_delivered: r.ip,
                                    },
                                    (o, _) => RowState::Done {
                                        outcome: s.outcomes.get(o - 1).cloned().ok_or_else(
                                            || format!("line {}: no outcome {o}", r.l),
                                        )?,
                                    },
                                };
                                let note = match r.nt {
                                    0 => None,
                                    n => Some(
                                        s.notes
                                            .get(n - 1)
                                            .cloned()
                                            .ok_or_else(|| format!("line {}: no note {n}", r.l))?,
                                    ),
                                };
                                Ok(JobRow {
                                    line: r.l,
                                    item: Invitation {
                                        email: r.e,
                                        real_name: r.n,
                                        first_name: r.f,
                                        last_name: r.a,
                                        member_type: tail.member_type,
                                        channels: tail.channels,
                                        expiration_ts: tail.expiration_ts,
                                        custom_message: tail.custom_message,
                                        resend: tail.resend,
                                    },
                                    state,
                                    sends: r.s,
                                    failures: r.x,
                                    rate_limited: r.r,
                                    possibly_delivered: r.p,
                                    retry_at_ms: r.w,
                                    last_code: r.c,
                                    note,
                                })
                            })
                            .collect::<Result<Vec<_>, String>>()?;
                    Data {
                        version: VERSION,
                        work: s.route,
                        pacing: s.pacing,
                        rows,
                        paused: s.paused,
                        cancelled: s.cancelled,
                        last_send_ms: s.last_send_ms,
                        hold_until_ms: s.hold_until_ms,
                        recent: s.recent,
                        sends: s.sends,
                        rate_limits: s.rate_limits,
                        halt: s.halt,
                    }
                }
            };
            let mut lines = std::collections::HashSet::new();
            if let Some(r) = data.rows.iter().find(|r| !lines.insert(r.line)) {
                return Err(format!("line {} appears twice", r.line));
            }
            Ok(Job::from(data))
        }
    }
}

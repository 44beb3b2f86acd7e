//! The invite-request inbox: every pending request of every workspace in one list, kept right
//! while pages, polls, events and the admin's own decisions arrive in any order. Pure: the
//! page feeds it what Slack answered and draws what it says.
//!
//! Its rules:
//! - a request is shown once, whatever lists it again (a poll, an event, another page);
//! - a request decided here leaves the list at once and never comes back, even if a poll that
//!   started before the decision still lists it; unless Slack refuses the decision: then it is
//!   back with Slack's reason;
//! - a complete listing of a workspace is the truth for it: a request it no longer lists was
//!   decided elsewhere or expired, and leaves;
//! - a request that appears after a workspace was first listed in full is new until the admin
//!   has seen the list.

use crate::catalogue::explain;
use crate::ids::{InviteRequestId, TeamId, UserId};
use crate::invite::job::{defuse, Job, JobRow, Outcome, OutcomeKind, Pacing, Work};
use crate::members::{Row, Status};
use crate::method::Tier;
use crate::methods::admin_invite_requests::{ApprovedRequest, DeniedRequest, InviteRequest};
use crate::{Form, SlackError};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A request is known by its workspace and ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    pub team: TeamId,
    pub id: InviteRequestId,
}

impl Key {
    pub fn new(team: &TeamId, id: &InviteRequestId) -> Self {
        Key {
            team: team.clone(),
            id: id.clone(),
        }
    }
}

/// What the admin decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approve,
    Deny,
}

impl Verdict {
    pub fn method(self) -> &'static str {
        match self {
            Verdict::Approve => "admin.inviteRequests.approve",
            Verdict::Deny => "admin.inviteRequests.deny",
        }
    }

    /// "Approve", "Deny".
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Approve => "Approve",
            Verdict::Deny => "Deny",
        }
    }

    /// "approved", "denied".
    pub fn past(self) -> &'static str {
        match self {
            Verdict::Approve => "approved",
            Verdict::Deny => "denied",
        }
    }
}

/// Slack's refusal of a decision, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub verdict: Verdict,
    pub code: String,
    pub summary: String,
    pub fix: String,
}

/// A decision made here.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Local {
    /// Sent, not answered yet: hidden.
    Deciding(Verdict),
    /// Slack confirmed it: hidden for good.
    Decided(Verdict),
    /// Slack refused it: shown again with the reason.
    Refused(Refusal),
}

#[derive(Clone, Debug)]
struct Listed {
    request: InviteRequest,
    /// When it was first listed here, in arrival order.
    arrival: u64,
}

/// A request as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: Key,
    pub request: InviteRequest,
    /// Arrived after its workspace was first listed in full, and not seen yet.
    pub new: bool,
    /// Slack refused a decision made here.
    pub refused: Option<Refusal>,
}

/// The pending requests of every workspace, as this tab knows them.
#[derive(Clone, Debug, Default)]
pub struct Inbox {
    listed: HashMap<Key, Listed>,
    local: HashMap<Key, Local>,
    /// Workspaces being listed: the IDs their listing has named so far.
    walking: HashMap<TeamId, HashSet<InviteRequestId>>,
    /// Workspaces listed in full at least once.
    complete: HashSet<TeamId>,
    unseen: HashSet<Key>,
    arrivals: u64,
}

impl Inbox {
    pub fn new() -> Self {
        Self::default()
    }

    /// A listing of `team` starts (its first page is on the way).
    pub fn begin(&mut self, team: &TeamId) {
        self.walking.insert(team.clone(), HashSet::new());
    }

    /// A page of `team`'s pending requests.
    pub fn page(&mut self, team: &TeamId, requests: Vec<InviteRequest>) {
        for request in requests {
            if let Some(seen) = self.walking.get_mut(team) {
                seen.insert(request.id.clone());
            }
            self.add(team, request);
        }
    }

    /// `team`'s listing is complete: what it did not name is no longer pending.
    pub fn end(&mut self, team: &TeamId) {
        let Some(seen) = self.walking.remove(team) else {
            return;
        };
        let gone: Vec<Key> = self
            .listed
            .keys()
            .filter(|k| &k.team == team && !seen.contains(&k.id))
            .cloned()
            .collect();
        for key in gone {
            self.listed.remove(&key);
            self.unseen.remove(&key);
            // A refusal shown for a request that is no longer pending has said its piece.
            if matches!(self.local.get(&key), Some(Local::Refused(_))) {
                self.local.remove(&key);
            }
        }
        self.complete.insert(team.clone());
    }

    /// A listing of `team` failed part way: what it named stays, nothing leaves.
    pub fn abandon(&mut self, team: &TeamId) {
        self.walking.remove(team);
    }

    /// One request heard of on its own (an `invite_requested` event).
    pub fn arrived(&mut self, team: &TeamId, request: InviteRequest) {
        self.add(team, request);
    }

    fn add(&mut self, team: &TeamId, request: InviteRequest) {
        let key = Key::new(team, &request.id);
        match self.listed.get_mut(&key) {
            // Listed again: the newer copy (a name or reason may have been added).
            Some(l) => l.request = request,
            None => {
                if self.complete.contains(team) && !self.local.contains_key(&key) {
                    self.unseen.insert(key.clone());
                }
                self.arrivals += 1;
                self.listed.insert(
                    key,
                    Listed {
                        request,
                        arrival: self.arrivals,
                    },
                );
            }
        }
    }

    /// The admin decided `key`: it leaves the list now. False if it is not in the list (then
    /// nothing should be sent).
    pub fn decide(&mut self, key: &Key, verdict: Verdict) -> bool {
        if !self.listed.contains_key(key)
            || matches!(
                self.local.get(key),
                Some(Local::Deciding(_) | Local::Decided(_))
            )
        {
            return false;
        }
        self.local.insert(key.clone(), Local::Deciding(verdict));
        self.unseen.remove(key);
        true
    }

    /// Slack confirmed the decision on `key`.
    pub fn confirmed(&mut self, key: &Key) {
        if let Some(Local::Deciding(v)) = self.local.get(key).cloned() {
            self.local.insert(key.clone(), Local::Decided(v));
        }
        self.listed.remove(key);
    }

    /// Slack refused the decision on `key`: it is back in the list with the reason.
    pub fn refused(&mut self, key: &Key, error: &SlackError) {
        if let Some(Local::Deciding(verdict)) = self.local.get(key).cloned() {
            let e = explain(error, Some(verdict.method()));
            self.local.insert(
                key.clone(),
                Local::Refused(Refusal {
                    verdict,
                    code: e.code,
                    summary: e.summary,
                    fix: e.fix,
                }),
            );
        }
    }

    /// Slack says `key` was decided already (here, by a call whose answer was lost, or by
    /// another admin): it leaves the list for good, as a confirmed decision does.
    pub fn decided_elsewhere(&mut self, key: &Key, verdict: Verdict) {
        self.local.insert(key.clone(), Local::Decided(verdict));
        self.listed.remove(key);
        self.unseen.remove(key);
    }

    /// The decision on `key` was never sent (the job was cancelled first): back in the list.
    pub fn undecided(&mut self, key: &Key) {
        if matches!(self.local.get(key), Some(Local::Deciding(_))) {
            self.local.remove(key);
        }
    }

    /// The request of `key`, if it is listed (shown or being decided).
    pub fn get(&self, key: &Key) -> Option<&InviteRequest> {
        self.listed.get(key).map(|l| &l.request)
    }

    /// Whether `key` is in the list now.
    pub fn shows(&self, key: &Key) -> bool {
        self.listed.contains_key(key)
            && !matches!(
                self.local.get(key),
                Some(Local::Deciding(_) | Local::Decided(_))
            )
    }

    /// The list: newest request first (by when it was made, then by arrival here).
    pub fn entries(&self) -> Vec<Entry> {
        let mut out: Vec<(&Key, &Listed)> =
            self.listed.iter().filter(|(k, _)| self.shows(k)).collect();
        out.sort_by(|(ka, a), (kb, b)| {
            b.request
                .date_created
                .cmp(&a.request.date_created)
                .then(b.arrival.cmp(&a.arrival))
                .then(ka.cmp(kb))
        });
        out.into_iter()
            .map(|(k, l)| Entry {
                key: k.clone(),
                request: l.request.clone(),
                new: self.unseen.contains(k),
                refused: match self.local.get(k) {
                    Some(Local::Refused(r)) => Some(r.clone()),
                    _ => None,
                },
            })
            .collect()
    }

    /// How many requests are in the list.
    pub fn len(&self) -> usize {
        self.listed.keys().filter(|k| self.shows(k)).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many of them arrived since the admin last saw the list.
    pub fn new_count(&self) -> usize {
        self.unseen.len()
    }

    /// The admin has seen the list.
    pub fn seen(&mut self) {
        self.unseen.clear();
    }

    /// Whether `team` was listed in full at least once.
    pub fn listed_in_full(&self, team: &TeamId) -> bool {
        self.complete.contains(team)
    }
}

/// How long to wait between two polls of every workspace's pending requests: the round's
/// calls at half of `admin.inviteRequests.list`'s tier (Tier 2, 20 a minute), so that loading
/// the list again, paging and another admin's console fit beside it; at least 10 seconds.
/// `rate_scale` is how many times Slack's allowances the connection has (a fast sandbox).
pub fn poll_interval_ms(calls_per_round: usize, rate_scale: f64) -> u64 {
    let per_minute = f64::from(Tier::Two.per_minute()) / 2.0 * rate_scale.max(1.0);
    let ms = calls_per_round.max(1) as f64 * 60_000.0 / per_minute;
    (ms as u64).max(10_000)
}

/// How often the list is polled while the proxy's event stream is connected: a safety net for
/// an event lost on the way, not the way new requests arrive.
pub const LIVE_POLL_INTERVAL_MS: u64 = 5 * 60_000;

/// How long to wait between two polls: `interval_ms` (see [`poll_interval_ms`]), at least
/// [`LIVE_POLL_INTERVAL_MS`] while events arrive `live`, four times longer in a `hidden` tab.
pub fn poll_wait_ms(interval_ms: u64, live: bool, hidden: bool) -> u64 {
    let base = if live {
        interval_ms.max(LIVE_POLL_INTERVAL_MS)
    } else {
        interval_ms
    };
    if hidden {
        base.saturating_mul(4)
    } else {
        base
    }
}

/// What the inbox says about how it hears of new requests: live through the proxy's events,
/// or polled every `every_s` seconds; `checked_ago_s` is how long ago every workspace was
/// last listed (`None`: not yet).
pub fn cadence_sentence(live: bool, checked_ago_s: Option<u64>, every_s: u64) -> String {
    let when = |ago: u64| {
        if ago < 5 {
            "just now".to_owned()
        } else {
            format!("{} ago", span_text(ago as i64))
        }
    };
    match (live, checked_ago_s) {
        (true, None) => "Live: new requests arrive as Slack sends them.".to_owned(),
        (true, Some(ago)) => format!(
            "Live: new requests arrive as Slack sends them. Every workspace was checked {}.",
            when(ago)
        ),
        (false, None) => "Checking every workspace…".to_owned(),
        (false, Some(ago)) => format!(
            "Checked {}; checked again every {every_s} s while this tab is open and shown.",
            when(ago)
        ),
    }
}

/// What the console knows about a request's address, to decide with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// A member with this address: their ID, name, status and workspaces.
    pub member: Option<KnownMember>,
    /// Other pending requests for the address (other workspaces).
    pub also_requested: Vec<TeamId>,
    /// Earlier decisions on requests for the address, newest first.
    pub earlier: Vec<Earlier>,
    /// How many members have an address at the same domain.
    pub domain_members: usize,
    /// The address's domain.
    pub domain: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownMember {
    pub id: UserId,
    pub name: String,
    pub status: Status,
    pub workspaces: Vec<TeamId>,
}

/// A decision on an earlier request for the same address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Earlier {
    pub team: TeamId,
    pub verdict: Verdict,
    pub by: UserId,
    /// When the invitation was sent (approved requests; Slack gives no time for a denial).
    pub at: Option<i64>,
}

/// The history of decisions, as `approved.list` and `denied.list` give them per workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    pub approved: Vec<(TeamId, ApprovedRequest)>,
    pub denied: Vec<(TeamId, DeniedRequest)>,
}

/// Members by address and domain, and earlier decisions by address: built once per list of
/// members and history, so that the context of 1,000 requests is 1,000 lookups.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    by_email: HashMap<String, usize>,
    domains: HashMap<String, usize>,
    earlier: HashMap<String, Vec<Earlier>>,
}

/// The domain of an address, lower-case ("" when it has none).
pub fn domain_of(email: &str) -> String {
    email
        .rsplit_once('@')
        .map(|(_, d)| d.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn address(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The pending requests by address.
#[derive(Clone, Debug, Default)]
pub struct PendingByEmail(HashMap<String, Vec<Key>>);

impl PendingByEmail {
    pub fn new(entries: &[Entry]) -> Self {
        let mut map: HashMap<String, Vec<Key>> = HashMap::new();
        for e in entries {
            map.entry(address(&e.request.email))
                .or_default()
                .push(e.key.clone());
        }
        PendingByEmail(map)
    }
}

impl Directory {
    pub fn new(rows: &[Row], history: &History) -> Self {
        let mut by_email = HashMap::with_capacity(rows.len());
        let mut domains: HashMap<String, usize> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            let email = address(&r.email);
            if email.is_empty() {
                continue;
            }
            let domain = domain_of(&email);
            by_email.entry(email).or_insert(i);
            if !domain.is_empty() {
                *domains.entry(domain).or_default() += 1;
            }
        }
        let mut earlier: HashMap<String, Vec<Earlier>> = HashMap::new();
        for (team, a) in &history.approved {
            earlier
                .entry(address(&a.invite_request.email))
                .or_default()
                .push(Earlier {
                    team: team.clone(),
                    verdict: Verdict::Approve,
                    by: a.approved_by.actor_id.clone(),
                    at: a.invite.as_ref().map(|i| i.date_created).filter(|&t| t > 0),
                });
        }
        for (team, d) in &history.denied {
            earlier
                .entry(address(&d.invite_request.email))
                .or_default()
                .push(Earlier {
                    team: team.clone(),
                    verdict: Verdict::Deny,
                    by: d.denied_by.actor_id.clone(),
                    at: None,
                });
        }
        for list in earlier.values_mut() {
            list.sort_by_key(|e| std::cmp::Reverse(e.at));
        }
        Directory {
            by_email,
            domains,
            earlier,
        }
    }

    /// What is known about `entry`'s address.
    pub fn context(&self, rows: &[Row], entry: &Entry, pending: &PendingByEmail) -> Context {
        let email = address(&entry.request.email);
        let domain = domain_of(&email);
        let member = self
            .by_email
            .get(&email)
            .and_then(|&i| rows.get(i))
            .map(|r| KnownMember {
                id: r.id.clone(),
                name: r.label().to_owned(),
                status: r.status,
                workspaces: r.workspaces.clone(),
            });
        let also_requested = pending
            .0
            .get(&email)
            .map(|keys| {
                keys.iter()
                    .filter(|k| **k != entry.key)
                    .map(|k| k.team.clone())
                    .collect()
            })
            .unwrap_or_default();
        Context {
            member,
            also_requested,
            earlier: self.earlier.get(&email).cloned().unwrap_or_default(),
            domain_members: self.domains.get(&domain).copied().unwrap_or(0),
            domain,
        }
    }
}

/// A decision on a selection of requests, as a paced job on the shared engine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub verdict: Verdict,
}

/// One request of a [`Decision`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decided {
    pub key: Key,
    pub email: String,
}

crate::plain_job_serde!(Decision);

impl Work for Decision {
    type Item = Decided;
    const KINDS: &'static [OutcomeKind] = &[
        OutcomeKind::Changed,
        OutcomeKind::Refused,
        OutcomeKind::NotSent,
    ];

    fn method(&self, _: &Decided) -> &'static str {
        self.verdict.method()
    }

    fn form(&self, item: &Decided) -> Form {
        let mut form = Form::default();
        form.push("invite_request_id", item.key.id.as_str());
        form.push("team_id", item.key.team.as_str());
        form
    }

    fn tier(&self) -> Tier {
        Tier::Two
    }

    fn success(&self) -> Outcome {
        Outcome::Changed
    }

    fn refusal(
        &self,
        _: &Decided,
        error: &SlackError,
        possibly_delivered: bool,
    ) -> (Outcome, Option<String>) {
        if error.code() == crate::catalogue::ALREADY_PROCESSED && possibly_delivered {
            return (
                Outcome::Changed,
                Some(format!(
                    "{}: an earlier call that failed on the way back had reached Slack, which answered already_processed to the retry.",
                    capitalized(self.verdict.past())
                )),
            );
        }
        if error.code() == crate::catalogue::ALREADY_PROCESSED {
            return (
                Outcome::Unchanged,
                Some("Already decided, by another admin or in another tab.".to_owned()),
            );
        }
        (Outcome::refused(error, self.verdict.method()), None)
    }

    fn unreadable(&self) -> (&'static str, &'static str) {
        (
            "It reached Slack, so the request may have been decided.",
            "Open the history tabs to see whether it was.",
        )
    }

    fn cancelled_after(&self, code: &str) -> String {
        format!("Cancelled. An earlier call failed ({code}) and may have reached Slack: the history tabs say whether this request was decided.")
    }
}

/// `word` with its first letter in capitals ("approved" → "Approved").
pub fn capitalized(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The job that decides `entries` with `verdict`.
pub fn job(entries: &[Entry], verdict: Verdict, pacing: Pacing) -> Job<Decision> {
    let rows = entries
        .iter()
        .enumerate()
        .map(|(line, e)| {
            JobRow::pending(
                line + 1,
                Decided {
                    key: e.key.clone(),
                    email: e.request.email.clone(),
                },
            )
        })
        .collect();
    Job::from_rows(rows, Decision { verdict }, pacing)
}

/// A request's age or time left in words: "3 days", "5 hours", "12 minutes", "now".
pub fn span_text(seconds: i64) -> String {
    let s = seconds.max(0);
    let (n, unit) = if s >= 2 * 86_400 {
        (s / 86_400, "days")
    } else if s >= 86_400 {
        (1, "day")
    } else if s >= 2 * 3_600 {
        (s / 3_600, "hours")
    } else if s >= 3_600 {
        (1, "hour")
    } else if s >= 120 {
        (s / 60, "minutes")
    } else if s >= 60 {
        (1, "minute")
    } else {
        return "less than a minute".into();
    };
    format!("{n} {unit}")
}

/// The history as CSV, a line per decision, every cell defused against spreadsheet formulas.
/// `name` and `team` put a member's and a workspace's name to an ID.
pub fn history_csv(
    history: &History,
    name: &dyn Fn(&UserId) -> String,
    team: &dyn Fn(&TeamId) -> String,
) -> String {
    let mut out = String::new();
    crate::invite::csv::write_row(
        &mut out,
        &[
            "decision",
            "email",
            "name",
            "workspace",
            "decided_by",
            "decided_by_id",
            "invite_sent",
            "invite_type",
            "channel_ids",
            "bouncing",
            "requested",
            "reason",
            "request_id",
        ],
    );
    let mut line = |fields: Vec<String>| {
        let cells: Vec<String> = fields.iter().map(|f| defuse(f)).collect();
        crate::invite::csv::write_row(&mut out, &cells);
    };
    for (t, a) in &history.approved {
        let r = &a.invite_request;
        let invite = a.invite.as_ref();
        line(vec![
            "approved".into(),
            r.email.clone(),
            r.real_name.clone(),
            team(t),
            name(&a.approved_by.actor_id),
            a.approved_by.actor_id.as_str().to_owned(),
            invite
                .map(|i| crate::invite::dates::iso_utc(i.date_created))
                .unwrap_or_default(),
            invite
                .map(|i| i.invite_type().label().to_owned())
                .unwrap_or_default(),
            invite
                .map(|i| {
                    i.channel_ids()
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default(),
            invite
                .map(|i| i.is_bouncing.to_string())
                .unwrap_or_default(),
            crate::invite::dates::iso_utc(r.date_created),
            r.request_reason.clone(),
            r.id.as_str().to_owned(),
        ]);
    }
    for (t, d) in &history.denied {
        let r = &d.invite_request;
        line(vec![
            "denied".into(),
            r.email.clone(),
            r.real_name.clone(),
            team(t),
            name(&d.denied_by.actor_id),
            d.denied_by.actor_id.as_str().to_owned(),
            String::new(),
            r.invite_type.label().to_owned(),
            r.channel_ids
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            String::new(),
            crate::invite::dates::iso_utc(r.date_created),
            r.request_reason.clone(),
            r.id.as_str().to_owned(),
        ]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invite::job::Step;
    use crate::members::{Kind, Role};
    use crate::methods::admin_invite_requests::{Actor, Invite};
    use proptest::prelude::*;

    fn team(n: u8) -> TeamId {
        TeamId::new(format!("T{n}"))
    }

    fn request(id: u32, email: &str, created: i64) -> InviteRequest {
        InviteRequest {
            id: InviteRequestId(format!("Ir{id}")),
            email: email.into(),
            date_created: created,
            ..InviteRequest::default()
        }
    }

    fn key(t: u8, id: u32) -> Key {
        Key::new(&team(t), &InviteRequestId(format!("Ir{id}")))
    }

    fn ids(inbox: &Inbox) -> Vec<String> {
        inbox
            .entries()
            .iter()
            .map(|e| format!("{}/{}", e.key.team.as_str(), e.key.id.as_str()))
            .collect()
    }

    #[test]
    fn a_request_listed_twice_is_shown_once_newest_first() {
        let mut inbox = Inbox::new();
        inbox.begin(&team(1));
        inbox.page(
            &team(1),
            vec![request(1, "a@x.com", 100), request(2, "b@x.com", 200)],
        );
        inbox.page(&team(1), vec![request(1, "a@x.com", 100)]);
        inbox.end(&team(1));
        inbox.arrived(&team(1), request(2, "b@x.com", 200));
        assert_eq!(ids(&inbox), ["T1/Ir2", "T1/Ir1"]);
        assert_eq!(inbox.len(), 2);
    }

    #[test]
    fn a_decided_request_leaves_at_once_and_a_stale_poll_does_not_bring_it_back() {
        let mut inbox = Inbox::new();
        inbox.begin(&team(1));
        inbox.page(&team(1), vec![request(1, "a@x.com", 100)]);
        inbox.end(&team(1));
        // A poll starts, the admin decides, the poll (answered before the decision) ends.
        inbox.begin(&team(1));
        assert!(inbox.decide(&key(1, 1), Verdict::Approve));
        assert!(!inbox.decide(&key(1, 1), Verdict::Deny), "decided twice");
        assert!(inbox.entries().is_empty());
        inbox.page(&team(1), vec![request(1, "a@x.com", 100)]);
        inbox.confirmed(&key(1, 1));
        inbox.end(&team(1));
        inbox.arrived(&team(1), request(1, "a@x.com", 100));
        assert!(inbox.entries().is_empty());
        assert_eq!(inbox.new_count(), 0);
    }

    #[test]
    fn a_refused_decision_brings_the_request_back_with_slacks_reason() {
        let mut inbox = Inbox::new();
        inbox.arrived(&team(1), request(1, "a@x.com", 100));
        inbox.decide(&key(1, 1), Verdict::Approve);
        inbox.refused(&key(1, 1), &SlackError::api("failed_to_send_invite"));
        let e = &inbox.entries()[0];
        let r = e.refused.as_ref().unwrap();
        assert_eq!(r.code, "failed_to_send_invite");
        assert!(!r.summary.is_empty() && !r.fix.is_empty());
        // It can be decided again; a later listing that no longer names it drops it.
        assert!(inbox.decide(&key(1, 1), Verdict::Deny));
        inbox.refused(&key(1, 1), &SlackError::api("already_processed"));
        inbox.begin(&team(1));
        inbox.end(&team(1));
        assert!(inbox.entries().is_empty());
    }

    #[test]
    fn a_complete_listing_drops_what_it_no_longer_names_in_its_workspace_only() {
        let mut inbox = Inbox::new();
        for t in [1, 2] {
            inbox.begin(&team(t));
            inbox.page(&team(t), vec![request(1, "a@x.com", 100)]);
            inbox.end(&team(t));
        }
        inbox.begin(&team(1));
        inbox.page(&team(1), vec![request(3, "c@x.com", 300)]);
        inbox.end(&team(1));
        assert_eq!(ids(&inbox), ["T1/Ir3", "T2/Ir1"]);
        // A failed listing drops nothing.
        inbox.begin(&team(2));
        inbox.abandon(&team(2));
        inbox.end(&team(2));
        assert_eq!(ids(&inbox), ["T1/Ir3", "T2/Ir1"]);
    }

    #[test]
    fn only_requests_after_the_first_full_listing_are_new_until_seen() {
        let mut inbox = Inbox::new();
        inbox.begin(&team(1));
        inbox.page(&team(1), vec![request(1, "a@x.com", 100)]);
        assert_eq!(inbox.new_count(), 0);
        inbox.end(&team(1));
        inbox.arrived(&team(1), request(2, "b@x.com", 200));
        inbox.arrived(&team(2), request(3, "c@x.com", 300));
        assert_eq!(inbox.new_count(), 1, "team 2 was never listed in full");
        assert!(inbox.entries()[1].new);
        inbox.seen();
        assert_eq!(inbox.new_count(), 0);
        assert!(inbox.entries().iter().all(|e| !e.new));
    }

    #[test]
    fn the_poll_stays_well_inside_the_tier() {
        // One workspace: 10 s (the floor); five workspaces of one page: 5 calls at 10 a
        // minute, 30 s; a fast sandbox (50x) the floor again.
        assert_eq!(poll_interval_ms(1, 1.0), 10_000);
        assert_eq!(poll_interval_ms(5, 1.0), 30_000);
        assert_eq!(poll_interval_ms(5, 50.0), 10_000);
        assert_eq!(poll_interval_ms(0, 1.0), 10_000);
    }

    #[test]
    fn a_live_stream_slows_the_poll_to_a_safety_net_and_its_loss_brings_it_back() {
        assert_eq!(poll_wait_ms(30_000, false, false), 30_000);
        assert_eq!(poll_wait_ms(30_000, true, false), LIVE_POLL_INTERVAL_MS);
        assert_eq!(poll_wait_ms(30_000, false, true), 120_000);
        assert_eq!(poll_wait_ms(30_000, true, true), 4 * LIVE_POLL_INTERVAL_MS);
        // A round longer than the safety net keeps its own pace.
        assert_eq!(poll_wait_ms(600_000, true, false), 600_000);
    }

    #[test]
    fn the_inbox_says_whether_it_hears_requests_live_or_polls() {
        assert_eq!(
            cadence_sentence(true, Some(2), 30),
            "Live: new requests arrive as Slack sends them. Every workspace was checked just now."
        );
        assert_eq!(
            cadence_sentence(true, None, 30),
            "Live: new requests arrive as Slack sends them."
        );
        assert_eq!(
            cadence_sentence(false, Some(180), 30),
            "Checked 3 minutes ago; checked again every 30 s while this tab is open and shown."
        );
        assert_eq!(
            cadence_sentence(false, None, 30),
            "Checking every workspace…"
        );
    }

    fn member(id: &str, email: &str, status: Status, teams: &[u8]) -> Row {
        let mut r = Row::new(
            UserId::new(id),
            "Ana Lima",
            "",
            email,
            Role::Member,
            Kind::Full,
            status,
        );
        r.workspaces = teams.iter().map(|&t| team(t)).collect();
        r
    }

    #[test]
    fn context_says_member_earlier_requests_and_known_domain() {
        let rows = vec![
            member("W1", "Ana@Northwind.example", Status::Deactivated, &[1, 2]),
            member("W2", "bo@northwind.example", Status::Active, &[1]),
            member("W3", "cy@elsewhere.example", Status::Active, &[1]),
        ];
        let mut inbox = Inbox::new();
        inbox.arrived(&team(1), request(1, "ana@northwind.example", 100));
        inbox.arrived(&team(2), request(2, "ANA@northwind.example", 90));
        inbox.arrived(&team(1), request(3, "new@gmail.example", 80));
        let pending = inbox.entries();
        let history = History {
            approved: vec![(
                team(3),
                ApprovedRequest {
                    approved_by: Actor {
                        actor_id: UserId::new("W2"),
                        actor_type: "user".into(),
                    },
                    invite: Some(Invite {
                        date_created: 50,
                        ..Invite::default()
                    }),
                    invite_request: request(9, "ana@northwind.example", 40),
                },
            )],
            denied: vec![(
                team(1),
                DeniedRequest {
                    denied_by: Actor {
                        actor_id: UserId::new("W3"),
                        actor_type: "user".into(),
                    },
                    invite_request: request(8, "Ana@northwind.example", 30),
                },
            )],
        };
        let dir = Directory::new(&rows, &history);
        let by_email = PendingByEmail::new(&pending);
        let ana = pending.iter().find(|e| e.key == key(1, 1)).unwrap();
        let c = dir.context(&rows, ana, &by_email);
        let m = c.member.unwrap();
        assert_eq!((m.id.as_str(), m.status), ("W1", Status::Deactivated));
        assert_eq!(m.workspaces, [team(1), team(2)]);
        assert_eq!(c.also_requested, [team(2)]);
        assert_eq!(c.earlier.len(), 2);
        assert_eq!(
            (c.earlier[0].verdict, c.earlier[0].at),
            (Verdict::Approve, Some(50))
        );
        assert_eq!(
            (c.earlier[1].verdict, c.earlier[1].at),
            (Verdict::Deny, None)
        );
        assert_eq!(
            (c.domain.as_str(), c.domain_members),
            ("northwind.example", 2)
        );
        let stranger = pending.iter().find(|e| e.key == key(1, 3)).unwrap();
        let c = dir.context(&rows, stranger, &by_email);
        assert_eq!(c.member, None);
        assert!(c.also_requested.is_empty() && c.earlier.is_empty());
        assert_eq!(c.domain_members, 0);
    }

    #[test]
    fn slacks_example_list_decodes_into_the_inbox_with_its_nulls_absent() {
        let body = br#"{"ok":true,"invite_requests":[{"id":"Ir558ULC1J","email":"foobar@example.com","date_created":1619700970,"requester_ids":["U558ULC10"],"channel_ids":["C558ULC19","C558ULC0W"],"invite_type":"full_member","real_name":null,"date_expire":null,"request_reason":null}],"response_metadata":{"next_cursor":"ZGF0ZV9jcmVhdGU6MTYxOTcwMDk3MA=="}}"#;
        let answer = crate::HttpResponse {
            status: 200,
            headers: vec![],
            body: body.to_vec(),
        };
        let list = crate::decode::<crate::methods::admin_invite_requests::AdminInviteRequestsList>(
            &answer,
        )
        .unwrap();
        let mut inbox = Inbox::new();
        inbox.page(&team(1), list.invite_requests);
        let e = &inbox.entries()[0];
        assert_eq!(e.request.email, "foobar@example.com");
        assert_eq!(e.request.real_name, "");
        assert_eq!(e.request.request_reason, "");
        assert_eq!(e.request.date_expire, 0);
        assert_eq!(e.request.channel_ids.len(), 2);
    }

    #[test]
    fn a_bulk_decision_sends_each_request_with_its_workspace() {
        let mut inbox = Inbox::new();
        inbox.arrived(&team(1), request(1, "a@x.com", 100));
        inbox.arrived(&team(2), request(2, "b@x.com", 200));
        let mut job = job(&inbox.entries(), Verdict::Deny, Pacing::per_minute(20.0));
        let Step::Send { form, method, .. } = job.next(0) else {
            panic!("nothing to send");
        };
        assert_eq!(method, "admin.inviteRequests.deny");
        assert_eq!(form.get("invite_request_id"), Some("Ir2"));
        assert_eq!(form.get("team_id"), Some("T2"));
        // Already processed after a call that may have reached Slack: decided.
        let (o, note) = Decision {
            verdict: Verdict::Deny,
        }
        .refusal(
            &job.rows()[0].item,
            &SlackError::api("already_processed"),
            true,
        );
        assert_eq!(o, Outcome::Changed);
        assert!(note.unwrap().starts_with("Denied"));
        // Without an earlier call: decided by someone else, not refused.
        let (o, _) = Decision {
            verdict: Verdict::Deny,
        }
        .refusal(
            &job.rows()[0].item,
            &SlackError::api("already_processed"),
            false,
        );
        assert_eq!(o, Outcome::Unchanged);
    }

    #[test]
    fn a_request_decided_elsewhere_leaves_for_good() {
        let mut inbox = Inbox::new();
        inbox.arrived(&team(1), request(1, "a@x.com", 100));
        inbox.decide(&key(1, 1), Verdict::Approve);
        inbox.decided_elsewhere(&key(1, 1), Verdict::Approve);
        inbox.arrived(&team(1), request(1, "a@x.com", 100));
        assert!(inbox.entries().is_empty());
        assert!(!inbox.decide(&key(1, 1), Verdict::Deny));
    }

    #[test]
    fn the_history_exports_defused() {
        let history = History {
            approved: vec![],
            denied: vec![(
                team(1),
                DeniedRequest {
                    denied_by: Actor {
                        actor_id: UserId::new("W3"),
                        actor_type: "user".into(),
                    },
                    invite_request: InviteRequest {
                        request_reason: "=HYPERLINK(\"x\")".into(),
                        ..request(8, "a@x.com", 0)
                    },
                },
            )],
        };
        let csv = history_csv(&history, &|_| "Cy".into(), &|t| t.as_str().into());
        let table = crate::invite::csv::parse(&csv).unwrap();
        assert_eq!(table.cell(1, 0), "denied");
        assert_eq!(table.cell(1, 4), "Cy");
        assert_eq!(table.cell(1, 11), "'=HYPERLINK(\"x\")");
    }

    #[derive(Clone, Debug)]
    enum Op {
        Begin(u8),
        Page(u8, Vec<u32>),
        End(u8),
        Abandon(u8),
        Arrived(u8, u32),
        Decide(u8, u32, bool),
        Confirm(u8, u32),
        Refuse(u8, u32),
        Cancel(u8, u32),
        Seen,
    }

    fn arb_op() -> impl Strategy<Value = Op> {
        let t = 1u8..3;
        let id = 1u32..6;
        prop_oneof![
            t.clone().prop_map(Op::Begin),
            (t.clone(), proptest::collection::vec(id.clone(), 0..4))
                .prop_map(|(t, v)| Op::Page(t, v)),
            t.clone().prop_map(Op::End),
            t.clone().prop_map(Op::Abandon),
            (t.clone(), id.clone()).prop_map(|(t, i)| Op::Arrived(t, i)),
            (t.clone(), id.clone(), any::<bool>()).prop_map(|(t, i, a)| Op::Decide(t, i, a)),
            (t.clone(), id.clone()).prop_map(|(t, i)| Op::Confirm(t, i)),
            (t.clone(), id.clone()).prop_map(|(t, i)| Op::Refuse(t, i)),
            (t, id).prop_map(|(t, i)| Op::Cancel(t, i)),
            Just(Op::Seen),
        ]
    }

    proptest! {
        #[test]
        fn never_twice_and_a_decided_request_never_back_unless_refused(
            ops in proptest::collection::vec(arb_op(), 0..60)
        ) {
            let mut inbox = Inbox::new();
            // What a naive model says: confirmed keys are gone for good; keys in flight are
            // hidden; every other key shown is one some listing or event named.
            let mut confirmed: HashSet<Key> = HashSet::new();
            let mut in_flight: HashSet<Key> = HashSet::new();
            let mut named: HashSet<Key> = HashSet::new();
            for op in ops {
                match op {
                    Op::Begin(t) => inbox.begin(&team(t)),
                    Op::Page(t, v) => {
                        named.extend(v.iter().map(|&i| key(t, i)));
                        inbox.page(&team(t), v.iter().map(|&i| request(i, "a@x.com", i64::from(i))).collect());
                    }
                    Op::End(t) => inbox.end(&team(t)),
                    Op::Abandon(t) => inbox.abandon(&team(t)),
                    Op::Arrived(t, i) => {
                        named.insert(key(t, i));
                        inbox.arrived(&team(t), request(i, "a@x.com", i64::from(i)));
                    }
                    Op::Decide(t, i, approve) => {
                        let k = key(t, i);
                        let shown = inbox.shows(&k);
                        let v = if approve { Verdict::Approve } else { Verdict::Deny };
                        prop_assert_eq!(inbox.decide(&k, v), shown);
                        if shown {
                            in_flight.insert(k);
                        }
                    }
                    Op::Confirm(t, i) => {
                        let k = key(t, i);
                        if in_flight.remove(&k) {
                            inbox.confirmed(&k);
                            confirmed.insert(k);
                        }
                    }
                    Op::Refuse(t, i) => {
                        let k = key(t, i);
                        if in_flight.remove(&k) {
                            inbox.refused(&k, &SlackError::api("invalid_request"));
                        }
                    }
                    Op::Cancel(t, i) => {
                        let k = key(t, i);
                        if in_flight.remove(&k) {
                            inbox.undecided(&k);
                        }
                    }
                    Op::Seen => inbox.seen(),
                }
                let entries = inbox.entries();
                let keys: HashSet<&Key> = entries.iter().map(|e| &e.key).collect();
                prop_assert_eq!(keys.len(), entries.len(), "a request shown twice");
                for k in &keys {
                    prop_assert!(!confirmed.contains(*k), "a decided request came back: {:?}", k);
                    prop_assert!(!in_flight.contains(*k), "a request being decided is shown: {:?}", k);
                    prop_assert!(named.contains(*k));
                }
                prop_assert_eq!(inbox.len(), entries.len());
                prop_assert!(inbox.new_count() <= entries.len());
                prop_assert!(entries.windows(2).all(|w| w[0].request.date_created >= w[1].request.date_created));
            }
        }
    }
}

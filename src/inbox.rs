//! The invite-request inbox of this tab: every pending request of every workspace the token
//! reaches, loaded once per connection and kept in memory (never in storage), then polled on
//! a cadence well inside `admin.inviteRequests.list`'s tier, paused while the tab is hidden
//! and caught up when it is shown. Through a proxy that receives Slack's events, new requests
//! arrive as `invite_requested` events instead ([`crate::live`]), and the poll slows to a
//! safety net while the stream is up. The merge of pages, polls, events and decisions is
//! core's [`slack_admin_core::inbox::Inbox`]; this is its IO.

use crate::live::LiveState;
use crate::session::{Session, Settings};
use crate::transport::{Retry, Transport};
use leptos::prelude::*;
use slack_admin_core::catalogue::ALREADY_PROCESSED;
use slack_admin_core::connection::Feature;
use slack_admin_core::events::{decode_event, InviteRequested, SseMessage};
use slack_admin_core::inbox::{self, capitalized, Entry, History, Inbox, Key, Verdict};
use slack_admin_core::invite::job::{
    read_answer, Job, Outcome, Pacing, RowState, Step, HALTING_CODES,
};
use slack_admin_core::methods::admin_invite_requests::{
    AdminInviteRequestsApprovedList, AdminInviteRequestsDeniedList, AdminInviteRequestsList,
};
use slack_admin_core::{SlackError, TeamId};
use std::collections::HashSet;
use std::sync::Arc;

/// Where the first full listing stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    Idle,
    Loading,
    Done,
    /// No workspace could be listed (the reason is `poll_error`).
    Failed,
}

/// The app-wide inbox (a `Copy` handle of signals).
#[derive(Clone, Copy)]
pub struct InboxStore {
    inbox: StoredValue<Inbox>,
    /// Bumped whenever the inbox changes: what views subscribe to.
    version: RwSignal<u64>,
    load: RwSignal<Load>,
    /// When every workspace was last listed (ms), and what the last listing failed with.
    checked_at: RwSignal<Option<u64>>,
    poll_error: RwSignal<Option<SlackError>>,
    /// The time between two polls (ms), for the page to say.
    interval_ms: RwSignal<u64>,
    /// Approved and denied requests, loaded when a history tab opens.
    history: RwSignal<Option<Result<History, SlackError>>>,
    history_loading: RwSignal<bool>,
    /// Counts history loads: only the latest one's answer is kept.
    history_generation: StoredValue<u64>,
    /// The selection's decision, while and after it runs; which one it is, and the rows
    /// already applied to the list.
    job: RwSignal<Option<Job<inbox::Decision>>>,
    job_generation: StoredValue<u64>,
    settled: StoredValue<HashSet<usize>>,
    /// What the last decision did, for screen readers.
    said: RwSignal<String>,
    for_transport: StoredValue<Option<Transport>, LocalStorage>,
    /// Single decisions waiting to be sent, in order, and whether they are being sent.
    queue: StoredValue<std::collections::VecDeque<(inbox::Decided, Verdict)>>,
    queued: RwSignal<usize>,
    /// Why the queue stopped (a revoked token, say), until the next decision.
    queue_halt: RwSignal<Option<SlackError>>,
    sending: StoredValue<bool>,
    /// Bumped by `clear`: a sender of an earlier connection stops.
    sender_generation: StoredValue<u64>,
    last_sent_ms: StoredValue<u64>,
    /// The list as last computed, and for which version.
    cache: StoredValue<Option<(u64, Arc<Vec<Entry>>)>>,
    /// Set to poll now (Refresh, or the tab shown again).
    poll_now: StoredValue<bool>,
    /// The proxy's event stream, when the connection is through one.
    live: RwSignal<LiveState>,
    /// When the stream last came up, and when the last listing round started (ms): a stream
    /// that came up after the last round may have missed something, and one round catches up.
    live_since: StoredValue<u64>,
    round_started: StoredValue<u64>,
}

impl InboxStore {
    pub fn new() -> Self {
        Self {
            inbox: StoredValue::new(Inbox::new()),
            version: RwSignal::new(0),
            load: RwSignal::new(Load::Idle),
            checked_at: RwSignal::new(None),
            poll_error: RwSignal::new(None),
            interval_ms: RwSignal::new(0),
            history: RwSignal::new(None),
            history_loading: RwSignal::new(false),
            history_generation: StoredValue::new(0),
            job: RwSignal::new(None),
            job_generation: StoredValue::new(0),
            settled: StoredValue::new(HashSet::new()),
            said: RwSignal::new(String::new()),
            for_transport: StoredValue::new_local(None),
            queue: StoredValue::new(Default::default()),
            queued: RwSignal::new(0),
            queue_halt: RwSignal::new(None),
            sending: StoredValue::new(false),
            sender_generation: StoredValue::new(0),
            last_sent_ms: StoredValue::new(0),
            poll_now: StoredValue::new(false),
            cache: StoredValue::new(None),
            live: RwSignal::new(LiveState::Off),
            live_since: StoredValue::new(0),
            round_started: StoredValue::new(0),
        }
    }

    /// Reads the inbox (subscribing to changes).
    pub fn with<T>(&self, f: impl FnOnce(&Inbox) -> T) -> T {
        self.version.track();
        self.inbox.with_value(f)
    }

    /// The list as shown (newest first), computed once per change and shared.
    pub fn entries(&self) -> Arc<Vec<Entry>> {
        let version = self.version.get();
        if let Some((v, list)) = self.cache.with_value(|c| c.clone()) {
            if v == version {
                return list;
            }
        }
        let list = Arc::new(self.inbox.with_value(Inbox::entries));
        self.cache.set_value(Some((version, list.clone())));
        list
    }

    pub fn load_state(&self) -> ReadSignal<Load> {
        self.load.read_only()
    }

    pub fn checked_at(&self) -> ReadSignal<Option<u64>> {
        self.checked_at.read_only()
    }

    pub fn poll_error(&self) -> ReadSignal<Option<SlackError>> {
        self.poll_error.read_only()
    }

    pub fn interval_ms(&self) -> ReadSignal<u64> {
        self.interval_ms.read_only()
    }

    /// Where the proxy's event stream stands (`Off` without a proxy).
    pub fn live_state(&self) -> ReadSignal<LiveState> {
        self.live.read_only()
    }

    pub fn history(&self) -> ReadSignal<Option<Result<History, SlackError>>> {
        self.history.read_only()
    }

    pub fn history_loading(&self) -> ReadSignal<bool> {
        self.history_loading.read_only()
    }

    pub fn job(&self) -> ReadSignal<Option<Job<inbox::Decision>>> {
        self.job.read_only()
    }

    pub fn said(&self) -> ReadSignal<String> {
        self.said.read_only()
    }

    /// The admin has seen the list: nothing is new any more.
    pub fn seen(&self) {
        if self.inbox.with_value(|i| i.new_count()) > 0 {
            self.inbox.update_value(Inbox::seen);
            self.bump();
        }
    }

    fn bump(&self) {
        let _ = self.version.try_update(|v| *v += 1);
    }

    /// The workspaces whose requests the token lists: every workspace of the org.
    pub fn teams(session: Session) -> Vec<TeamId> {
        let Some(c) = session.connection() else {
            return Vec::new();
        };
        let teams: Vec<TeamId> = c.identity.org_teams.iter().map(|t| t.id.clone()).collect();
        if teams.is_empty() {
            vec![c.identity.team.id.clone()]
        } else {
            teams
        }
    }

    /// Whether this connection can list requests at all (a Grid org admin token).
    pub fn available(session: Session) -> bool {
        session.connection().is_some_and(|c| {
            c.identity
                .capabilities()
                .iter()
                .any(|cap| cap.feature == Feature::InviteRequests && cap.available())
        })
    }

    /// Starts listing and polling the current connection's requests, unless already doing so.
    pub fn ensure(&self, session: Session) {
        let Some(connection) = session.connection() else {
            return;
        };
        if !Self::available(session) {
            return;
        }
        let same = self
            .for_transport
            .with_value(|t| t.as_ref().is_some_and(|t| t.same(&connection.transport)));
        if same {
            return;
        }
        let store = *self;
        let transport = connection.transport.clone();
        self.for_transport.set_value(Some(transport.clone()));
        self.inbox.set_value(Inbox::new());
        self.history.set(None);
        self.job.set(None);
        self.load.set(Load::Loading);
        self.bump();
        let teams = Self::teams(session);
        let rate = connection.rate_scale;
        self.live_since.set_value(0);
        self.round_started.set_value(0);
        let proxied = match connection.settings() {
            Settings::Proxy { url, key } => {
                self.live.set(LiveState::Connecting);
                self.listen(
                    session,
                    &transport,
                    format!("{url}proxy/events"),
                    key,
                    &teams,
                );
                true
            }
            _ => {
                self.live.set(LiveState::Off);
                false
            }
        };
        leptos::task::spawn_local(async move {
            let current = || {
                store
                    .for_transport
                    .try_with_value(|t| t.as_ref().is_some_and(|t| t.same(&transport)))
                    .unwrap_or(false)
                    && session.is_current(&transport)
            };
            // The first listing waits (a little) for the stream: a request made between the
            // two is then in one or the other.
            let asked = crate::browser::now_ms();
            while proxied
                && store.live.try_get_untracked() == Some(LiveState::Connecting)
                && crate::browser::now_ms() < asked + 5_000
            {
                crate::browser::sleep(100).await;
            }
            let mut calls = teams.len();
            loop {
                if !current() {
                    return;
                }
                let (made, listed) = store.round(&transport, &teams, &current).await;
                calls = made.max(calls);
                if !current() {
                    return;
                }
                if listed {
                    let _ = store.load.try_set(Load::Done);
                } else if store.load.get_untracked() != Load::Done {
                    let _ = store.load.try_set(Load::Failed);
                }
                // A hidden tab checks four times less often: the count in its title still
                // moves, at a quarter of the cost. While the proxy's events arrive, the poll
                // is only a safety net.
                let interval = inbox::poll_interval_ms(calls, rate);
                let _ = store.interval_ms.try_set(interval);
                // Wait for the next round in short steps, so that a tab shown again after
                // its (visible) round was due, or a stream that is lost, polls at once.
                let started = crate::browser::now_ms();
                loop {
                    crate::browser::sleep(500).await;
                    if !current() {
                        return;
                    }
                    let live = store.live.try_get_untracked() == Some(LiveState::Live);
                    let wait = inbox::poll_wait_ms(interval, live, page_hidden());
                    let asked = store.poll_now.try_get_value().unwrap_or(false);
                    // The stream came back after a loss: one round catches up on what it
                    // missed.
                    let catch_up = store.live_since.try_get_value().unwrap_or(0)
                        > store.round_started.try_get_value().unwrap_or(0);
                    if asked || catch_up || crate::browser::now_ms() >= started + wait {
                        let _ = store.poll_now.try_set_value(false);
                        break;
                    }
                }
            }
        });
    }

    /// Lists every workspace's pending requests once; returns how many calls it took and
    /// whether any workspace was listed in full.
    async fn round(
        &self,
        transport: &Transport,
        teams: &[TeamId],
        current: &impl Fn() -> bool,
    ) -> (usize, bool) {
        let mut calls = 0;
        let mut listed = false;
        let mut failed = None;
        let _ = self.round_started.try_set_value(crate::browser::now_ms());
        for team in teams {
            if !current() {
                return (calls, listed);
            }
            self.inbox.update_value(|i| i.begin(team));
            let request = AdminInviteRequestsList {
                limit: Some(1000),
                team_id: Some(team.clone()),
                ..AdminInviteRequestsList::default()
            };
            let mut pages = slack_admin_core::pagination::Pages::default();
            let mut ok = true;
            while let Some(cursor) = pages.next_request() {
                calls += 1;
                use slack_admin_core::pagination::Paginated;
                match transport.call(&request.at_cursor(cursor)).await {
                    Ok(answer) => {
                        if let Err(e) = pages.record(AdminInviteRequestsList::next_cursor(&answer))
                        {
                            failed = Some(e);
                            ok = false;
                            break;
                        }
                        if !current() {
                            return (calls, listed);
                        }
                        self.inbox
                            .update_value(|i| i.page(team, answer.invite_requests));
                        self.bump();
                    }
                    Err(e) => {
                        failed = Some(e);
                        ok = false;
                        break;
                    }
                }
            }
            if !current() {
                return (calls, listed);
            }
            listed |= ok;
            self.inbox
                .update_value(|i| if ok { i.end(team) } else { i.abandon(team) });
            self.bump();
        }
        let _ = self.poll_error.try_set(failed);
        if listed {
            let _ = self.checked_at.try_set(Some(crate::browser::now_ms()));
        }
        (calls, listed)
    }

    /// Follows the proxy's event stream at `url` while `transport` is this tab's connection:
    /// each `invite_requested` event of one of `teams` arrives in the list at once.
    fn listen(
        &self,
        session: Session,
        transport: &Transport,
        url: String,
        key: String,
        teams: &[TeamId],
    ) {
        let store = *self;
        let transport = transport.clone();
        let teams: Arc<Vec<TeamId>> = Arc::new(teams.to_vec());
        leptos::task::spawn_local(async move {
            let current = move || {
                store
                    .for_transport
                    .try_with_value(|t| t.as_ref().is_some_and(|t| t.same(&transport)))
                    .unwrap_or(false)
                    && session.is_current(&transport)
            };
            crate::live::follow(
                url,
                key,
                current,
                move |state| {
                    if state == LiveState::Live {
                        let _ = store.live_since.try_set_value(crate::browser::now_ms());
                    }
                    let _ = store.live.try_set(state);
                },
                move |message| store.heard(&teams, message),
            )
            .await;
        });
    }

    /// A message of the proxy's stream: an invite request arrives in the list.
    fn heard(&self, teams: &[TeamId], message: &SseMessage) {
        if message.event != "invite_requested" {
            return;
        }
        // An event that does not read is left to the next listing, which lists it anyway.
        let Ok(Some(InviteRequested { team, request })) = decode_event(&message.data) else {
            return;
        };
        if !teams.contains(&team) {
            return;
        }
        if self
            .inbox
            .try_update_value(|i| i.arrived(&team, request))
            .is_some()
        {
            self.bump();
        }
    }

    /// Lists again now (the Check now button), unless it just did (at most every 5 s).
    pub fn refresh(&self) {
        let recent = self
            .checked_at
            .get_untracked()
            .is_some_and(|at| crate::browser::now_ms().saturating_sub(at) < 5_000);
        if !recent {
            self.poll_now.set_value(true);
        }
    }

    /// Decides one request: it leaves the list now, and comes back with Slack's reason if
    /// Slack refuses. Decisions made faster than Slack allows (Tier 2: 20 a minute) wait their
    /// turn in order; the page says how many are waiting.
    pub fn decide(&self, session: Session, key: Key, verdict: Verdict) {
        let Some(connection) = session.connection() else {
            return;
        };
        let email = self
            .inbox
            .with_value(|i| i.get(&key).map(|r| r.email.clone()))
            .unwrap_or_default();
        if !self
            .inbox
            .try_update_value(|i| i.decide(&key, verdict))
            .unwrap_or(false)
        {
            return;
        }
        self.bump();
        self.queue_halt.set(None);
        self.queue
            .update_value(|q| q.push_back((inbox::Decided { key, email }, verdict)));
        let _ = self.queued.try_update(|n| *n += 1);
        if self.sending.get_value() {
            return;
        }
        self.sending.set_value(true);
        let generation = self.sender_generation.get_value();
        let store = *self;
        let transport = connection.transport.clone();
        let interval_ms = (60_000.0
            / (f64::from(slack_admin_core::Tier::Two.per_minute())
                * connection.rate_scale.max(1.0))) as u64;
        leptos::task::spawn_local(async move {
            while let Some((item, verdict)) =
                store.queue.try_update_value(|q| q.pop_front()).flatten()
            {
                let form =
                    slack_admin_core::invite::job::Work::form(&inbox::Decision { verdict }, &item);
                // A failure on the way (a dropped answer, a 5xx) is tried again, up to three
                // times, knowing that the earlier call may have reached Slack.
                let mut possibly_delivered = false;
                let mut tries = 0;
                let result = loop {
                    let wait = store
                        .last_sent_ms
                        .get_value()
                        .saturating_add(interval_ms)
                        .saturating_sub(crate::browser::now_ms());
                    if wait > 0 {
                        crate::browser::sleep(wait).await;
                    }
                    if store.sender_generation.try_get_value() != Some(generation)
                        || !session.is_current(&transport)
                    {
                        return;
                    }
                    store.last_sent_ms.set_value(crate::browser::now_ms());
                    let result = transport
                        .send(verdict.method(), &form, Retry::RateLimits)
                        .await
                        .and_then(|answer| read_answer(&answer));
                    if store.sender_generation.try_get_value() != Some(generation)
                        || !session.is_current(&transport)
                    {
                        return;
                    }
                    tries += 1;
                    match &result {
                        Err(e) if e.is_transient() && tries < 3 => {
                            possibly_delivered = true;
                            crate::browser::sleep(1_000 << tries).await;
                        }
                        _ => break result,
                    }
                };
                let _ = store.queued.try_update(|n| *n = n.saturating_sub(1));
                let key = &item.key;
                let code = result.as_ref().err().map(|e| e.code().to_owned());
                match (result, code.as_deref()) {
                    (Ok(()), _) => {
                        store.inbox.update_value(|i| i.confirmed(key));
                        let _ = store.said.try_set(format!(
                            "{} {}.",
                            capitalized(verdict.past()),
                            item.email
                        ));
                    }
                    (Err(_), Some(ALREADY_PROCESSED)) => {
                        store
                            .inbox
                            .update_value(|i| i.decided_elsewhere(key, verdict));
                        let _ = store.said.try_set(if possibly_delivered {
                            format!("{} {}.", capitalized(verdict.past()), item.email)
                        } else {
                            format!(
                                "{} was already decided, by another admin or in another tab.",
                                item.email
                            )
                        });
                    }
                    (Err(e), Some(c)) if HALTING_CODES.contains(&c) => {
                        // Nothing queued can get past this: put it all back, say it once.
                        let rest = store
                            .queue
                            .try_update_value(std::mem::take)
                            .unwrap_or_default();
                        store.inbox.update_value(|i| {
                            i.undecided(key);
                            for (queued, _) in &rest {
                                i.undecided(&queued.key);
                            }
                        });
                        let _ = store.queued.try_set(0);
                        let _ = store.said.try_set(format!(
                            "Slack refused the decisions ({c}); {} back in the list.",
                            match rest.len() + 1 {
                                1 => "the request is".to_owned(),
                                n => format!("{n} requests are"),
                            }
                        ));
                        let _ = store.queue_halt.try_set(Some(e));
                    }
                    (Err(e), _) => {
                        let c = e.code().to_owned();
                        store.inbox.update_value(|i| i.refused(key, &e));
                        let _ = store.said.try_set(format!(
                            "Slack refused to {} {} ({c}); it is back in the list.",
                            verdict.label().to_lowercase(),
                            item.email
                        ));
                    }
                }
                store.bump();
            }
            store.sending.set_value(false);
        });
    }

    /// Why the single decisions stopped, if they did.
    pub fn queue_halt(&self) -> ReadSignal<Option<SlackError>> {
        self.queue_halt.read_only()
    }

    /// Whether anything decided here has not reached Slack yet (leaving would lose it).
    pub fn unsent(&self) -> bool {
        self.queued.get_untracked() > 0
            || self
                .job
                .with_untracked(|j| j.as_ref().is_some_and(|j| !j.is_finished()))
    }

    /// How many single decisions wait to be sent.
    pub fn queued(&self) -> ReadSignal<usize> {
        self.queued.read_only()
    }

    /// Decides `entries` as one paced job; each leaves the list now and comes back if Slack
    /// refuses it. False (and nothing done) while another selection's decision is unfinished.
    pub fn decide_all(&self, session: Session, entries: Vec<Entry>, verdict: Verdict) -> bool {
        let Some(connection) = session.connection() else {
            return false;
        };
        if self
            .job
            .with_untracked(|j| j.as_ref().is_some_and(|j| !j.is_finished()))
        {
            return false;
        }
        let entries: Vec<Entry> = entries
            .into_iter()
            .filter(|e| self.inbox.with_value(|i| i.shows(&e.key)))
            .collect();
        if entries.is_empty() {
            return false;
        }
        self.inbox.update_value(|i| {
            for e in &entries {
                i.decide(&e.key, verdict);
            }
        });
        self.bump();
        let pacing = Pacing::scaled(&inbox::Decision { verdict }, connection.rate_scale);
        self.job_generation.update_value(|g| *g += 1);
        let generation = self.job_generation.get_value();
        self.settled.set_value(HashSet::new());
        self.job.set(Some(inbox::job(&entries, verdict, pacing)));
        let store = *self;
        let transport = connection.transport.clone();
        // This job's, on this connection: an answer that arrives after a disconnect, or after
        // another job replaced this one, is dropped.
        let ours = move || {
            store.job_generation.try_get_value() == Some(generation)
                && session.is_current(&transport)
        };
        let transport = connection.transport.clone();
        leptos::task::spawn_local(async move {
            loop {
                if !ours() {
                    return;
                }
                let now = crate::browser::now_ms();
                let step = store
                    .job
                    .try_update_untracked(|j| j.as_mut().map(|j| j.next(now)))
                    .flatten();
                match step {
                    Some(Step::Send { row, form, method }) => {
                        store.job.notify();
                        let result = transport
                            .send(method, &form, Retry::Never)
                            .await
                            .and_then(|answer| read_answer(&answer));
                        if !ours() {
                            return;
                        }
                        let error = result.as_ref().err().cloned();
                        let _ = store.job.try_update(|j| {
                            if let Some(j) = j {
                                j.record(row, result, crate::browser::now_ms());
                            }
                        });
                        store.settle(row, error);
                    }
                    Some(Step::WaitUntil(t)) => {
                        crate::browser::sleep(t.saturating_sub(now).clamp(1, 500)).await;
                    }
                    Some(Step::AwaitAnswer { .. }) => crate::browser::sleep(100).await,
                    Some(Step::Paused) => crate::browser::sleep(250).await,
                    Some(Step::Finished) | None => break,
                }
            }
            // Rows never sent (cancelled) go back to the list.
            store.settle_all();
            let summary = store.job.with_untracked(|j| {
                j.as_ref().map(|j| {
                    let p = j.progress(crate::browser::now_ms());
                    format!(
                        "{} {} of {}; {} refused.",
                        capitalized(verdict.past()),
                        p.counts.changed + p.counts.unchanged,
                        j.rows().len(),
                        p.counts.refused
                    )
                })
            });
            if let Some(s) = summary {
                let _ = store.said.try_set(s);
            }
        });
        true
    }

    /// Applies row `row`'s final state to the inbox, once.
    fn settle(&self, row: usize, error: Option<SlackError>) {
        let Some((key, state)) = self.job.with_untracked(|j| {
            j.as_ref()
                .and_then(|j| j.rows().get(row))
                .map(|r| (r.item.key.clone(), r.state.clone()))
        }) else {
            return;
        };
        let RowState::Done { outcome } = &state else {
            return;
        };
        if !self
            .settled
            .try_update_value(|s| s.insert(row))
            .unwrap_or(false)
        {
            return;
        }
        let verdict = self
            .job
            .with_untracked(|j| j.as_ref().map(|j| j.work().verdict))
            .unwrap_or(Verdict::Approve);
        self.inbox.update_value(|i| match outcome {
            Outcome::Changed => i.confirmed(&key),
            Outcome::Unchanged => i.decided_elsewhere(&key, verdict),
            Outcome::Refused { .. } => i.refused(
                &key,
                &error.unwrap_or_else(|| SlackError::api("fatal_error")),
            ),
            Outcome::NotSent { .. } => i.undecided(&key),
            _ => {}
        });
        self.bump();
    }

    fn settle_all(&self) {
        let n = self
            .job
            .with_untracked(|j| j.as_ref().map_or(0, |j| j.rows().len()));
        for row in 0..n {
            self.settle(row, None);
        }
    }

    /// Pauses, resumes or cancels the selection's decision.
    pub fn pause(&self) {
        self.job.update(|j| {
            if let Some(j) = j {
                j.pause()
            }
        });
    }

    pub fn resume(&self) {
        self.job.update(|j| {
            if let Some(j) = j {
                j.resume()
            }
        });
    }

    pub fn cancel(&self) {
        self.job.update(|j| {
            if let Some(j) = j {
                j.cancel()
            }
        });
        self.settle_all();
    }

    /// Puts the finished job's panel away.
    pub fn dismiss(&self) {
        if self
            .job
            .with_untracked(|j| j.as_ref().is_some_and(Job::is_finished))
        {
            self.job.set(None);
        }
    }

    /// Loads the approved and denied requests of every workspace (every page).
    pub fn load_history(&self, session: Session) {
        let Some(connection) = session.connection() else {
            return;
        };
        self.history_generation.update_value(|g| *g += 1);
        let generation = self.history_generation.get_value();
        self.history_loading.set(true);
        let store = *self;
        let transport = connection.transport.clone();
        let teams = Self::teams(session);
        leptos::task::spawn_local(async move {
            let mut history = History::default();
            let mut result = Ok(());
            for team in &teams {
                let approved = AdminInviteRequestsApprovedList {
                    limit: Some(1000),
                    team_id: Some(team.clone()),
                    ..Default::default()
                };
                let denied = AdminInviteRequestsDeniedList {
                    limit: Some(1000),
                    team_id: Some(team.clone()),
                    ..Default::default()
                };
                match transport.call_all(&approved).await {
                    Ok(items) => history
                        .approved
                        .extend(items.into_iter().map(|a| (team.clone(), a))),
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
                match transport.call_all(&denied).await {
                    Ok(items) => history
                        .denied
                        .extend(items.into_iter().map(|d| (team.clone(), d))),
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
            }
            let latest = store.history_generation.try_get_value() == Some(generation);
            if !session.is_current(&transport) || !latest {
                return;
            }
            // Newest first.
            history.approved.sort_by_key(|(_, a)| {
                std::cmp::Reverse(
                    a.invite
                        .as_ref()
                        .map_or(a.invite_request.date_created, |i| i.date_created),
                )
            });
            history
                .denied
                .sort_by_key(|(_, d)| std::cmp::Reverse(d.invite_request.date_created));
            let _ = store.history.try_set(Some(result.map(|()| history)));
            let _ = store.history_loading.try_set(false);
        });
    }

    /// Forgets everything (disconnect).
    pub fn clear(&self) {
        self.for_transport.set_value(None);
        self.queue.set_value(Default::default());
        self.queued.set(0);
        self.sender_generation.update_value(|g| *g += 1);
        self.sending.set_value(false);
        self.job_generation.update_value(|g| *g += 1);
        self.inbox.set_value(Inbox::new());
        self.history.set(None);
        self.job.set(None);
        self.load.set(Load::Idle);
        self.checked_at.set(None);
        self.poll_error.set(None);
        self.live.set(LiveState::Off);
        self.bump();
    }
}

impl Default for InboxStore {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether the tab is hidden (another tab in front, the window minimised).
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

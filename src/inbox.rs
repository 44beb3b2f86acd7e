//! The invite-request inbox of this tab: every pending request of every workspace the token
//! reaches, loaded once per connection and kept in memory (never in storage), then polled on
//! a cadence well inside `admin.inviteRequests.list`'s tier, paused while the tab is hidden
//! and caught up when it is shown. The merge of pages, polls and decisions is core's
//! [`slack_admin_core::inbox::Inbox`]; this is its IO.

use crate::session::Session;
use crate::transport::{Retry, Transport};
use leptos::prelude::*;
use slack_admin_core::connection::Feature;
use slack_admin_core::inbox::{self, Entry, History, Inbox, Key, Verdict};
use slack_admin_core::invite::job::{read_answer, Job, Outcome, Pacing, RowState, Step};
use slack_admin_core::methods::admin_invite_requests::{
    AdminInviteRequestsApprovedList, AdminInviteRequestsDeniedList, AdminInviteRequestsList,
};
use slack_admin_core::{SlackError, TeamId};

/// Where the first full listing stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    Idle,
    Loading,
    Done,
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
    /// The selection's decision, while and after it runs.
    job: RwSignal<Option<Job<inbox::Decision>>>,
    /// What the last decision did, for screen readers.
    said: RwSignal<String>,
    for_transport: StoredValue<Option<Transport>, LocalStorage>,
    /// Set to poll now (Refresh, or the tab shown again).
    poll_now: StoredValue<bool>,
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
            said: RwSignal::new(String::new()),
            for_transport: StoredValue::new_local(None),
            poll_now: StoredValue::new(false),
        }
    }

    /// Reads the inbox (subscribing to changes).
    pub fn with<T>(&self, f: impl FnOnce(&Inbox) -> T) -> T {
        self.version.track();
        self.inbox.with_value(f)
    }

    pub fn entries(&self) -> Vec<Entry> {
        self.with(Inbox::entries)
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
        leptos::task::spawn_local(async move {
            let current = || {
                store
                    .for_transport
                    .try_with_value(|t| t.as_ref().is_some_and(|t| t.same(&transport)))
                    .unwrap_or(false)
                    && session.is_current(&transport)
            };
            let mut calls = teams.len();
            loop {
                if !current() {
                    return;
                }
                calls = store.round(&transport, &teams, &current).await.max(calls);
                if !current() {
                    return;
                }
                let _ = store.load.try_set(Load::Done);
                let interval = inbox::poll_interval_ms(calls, rate);
                let _ = store.interval_ms.try_set(interval);
                // Wait for the next round in short steps: a hidden tab does not poll, and one
                // shown again after its round was due polls at once.
                let due = crate::browser::now_ms() + interval;
                loop {
                    crate::browser::sleep(500).await;
                    if !current() {
                        return;
                    }
                    if page_hidden() {
                        continue;
                    }
                    let asked = store.poll_now.try_get_value().unwrap_or(false);
                    if asked || crate::browser::now_ms() >= due {
                        let _ = store.poll_now.try_set_value(false);
                        break;
                    }
                }
            }
        });
    }

    /// Lists every workspace's pending requests once; returns how many calls it took.
    async fn round(
        &self,
        transport: &Transport,
        teams: &[TeamId],
        current: &impl Fn() -> bool,
    ) -> usize {
        let mut calls = 0;
        let mut failed = None;
        for team in teams {
            if !current() {
                return calls;
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
                            return calls;
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
                return calls;
            }
            self.inbox
                .update_value(|i| if ok { i.end(team) } else { i.abandon(team) });
            self.bump();
        }
        let _ = self.poll_error.try_set(failed);
        let _ = self.checked_at.try_set(Some(crate::browser::now_ms()));
        calls
    }

    /// Lists again now (the Refresh button).
    pub fn refresh(&self) {
        self.poll_now.set_value(true);
    }

    /// Decides one request: it leaves the list now, and comes back with Slack's reason if
    /// Slack refuses.
    pub fn decide(&self, session: Session, key: Key, verdict: Verdict) {
        let Some(connection) = session.connection() else {
            return;
        };
        let email = self.inbox.with_value(|i| {
            i.entries()
                .into_iter()
                .find(|e| e.key == key)
                .map(|e| e.request.email)
        });
        if !self
            .inbox
            .try_update_value(|i| i.decide(&key, verdict))
            .unwrap_or(false)
        {
            return;
        }
        self.bump();
        let store = *self;
        let transport = connection.transport.clone();
        leptos::task::spawn_local(async move {
            let item = inbox::Decided {
                key: key.clone(),
                email: email.unwrap_or_default(),
            };
            let form =
                slack_admin_core::invite::job::Work::form(&inbox::Decision { verdict }, &item);
            let result = transport
                .send(verdict.method(), &form, Retry::RateLimits)
                .await
                .and_then(|answer| read_answer(&answer));
            if !session.is_current(&transport) {
                return;
            }
            match result {
                Ok(()) => {
                    store.inbox.update_value(|i| i.confirmed(&key));
                    let _ = store.said.try_set(format!(
                        "{} {}.",
                        capitalized(verdict.past()),
                        item.email
                    ));
                }
                Err(e) => {
                    let code = e.code().to_owned();
                    store.inbox.update_value(|i| i.refused(&key, &e));
                    let _ = store.said.try_set(format!(
                        "Slack refused to {} {} ({code}); it is back in the list.",
                        verdict.label().to_lowercase(),
                        item.email
                    ));
                }
            }
            store.bump();
        });
    }

    /// Decides `entries` as one paced job; each leaves the list now and comes back if Slack
    /// refuses it.
    pub fn decide_all(&self, session: Session, entries: Vec<Entry>, verdict: Verdict) {
        let Some(connection) = session.connection() else {
            return;
        };
        if self
            .job
            .with_untracked(|j| j.as_ref().is_some_and(|j| !j.is_finished()))
        {
            return;
        }
        let entries: Vec<Entry> = entries
            .into_iter()
            .filter(|e| self.inbox.with_value(|i| i.shows(&e.key)))
            .collect();
        if entries.is_empty() {
            return;
        }
        self.inbox.update_value(|i| {
            for e in &entries {
                i.decide(&e.key, verdict);
            }
        });
        self.bump();
        let pacing = Pacing::scaled(&inbox::Decision { verdict }, connection.rate_scale);
        self.job.set(Some(inbox::job(&entries, verdict, pacing)));
        let store = *self;
        let transport = connection.transport.clone();
        leptos::task::spawn_local(async move {
            loop {
                if !session.is_current(&transport) {
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
                    let done = p.counts.changed;
                    let refused = p.counts.refused;
                    format!(
                        "{} {done} of {}; {refused} refused.",
                        capitalized(verdict.past()),
                        j.rows().len()
                    )
                })
            });
            if let Some(s) = summary {
                let _ = store.said.try_set(s);
            }
        });
    }

    /// Applies row `row`'s final state to the inbox.
    fn settle(&self, row: usize, error: Option<SlackError>) {
        let Some((key, state)) = self.job.with_untracked(|j| {
            j.as_ref()
                .and_then(|j| j.rows().get(row))
                .map(|r| (r.item.key.clone(), r.state.clone()))
        }) else {
            return;
        };
        self.inbox.update_value(|i| match &state {
            RowState::Done {
                outcome: Outcome::Changed,
                ..
            } => i.confirmed(&key),
            RowState::Done {
                outcome: Outcome::Refused { .. },
                ..
            } => i.refused(
                &key,
                &error.unwrap_or_else(|| SlackError::api("fatal_error")),
            ),
            RowState::Done {
                outcome: Outcome::NotSent { .. },
                ..
            } => i.undecided(&key),
            _ => {}
        });
        self.bump();
    }

    fn settle_all(&self) {
        let n = self
            .job
            .with_untracked(|j| j.as_ref().map_or(0, |j| j.rows().len()));
        for row in 0..n {
            let not_sent = self.job.with_untracked(|j| {
                j.as_ref().and_then(|j| j.rows().get(row)).is_some_and(|r| {
                    matches!(
                        r.state,
                        RowState::Done {
                            outcome: Outcome::NotSent { .. },
                            ..
                        }
                    )
                })
            });
            if not_sent {
                self.settle(row, None);
            }
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
        self.inbox.set_value(Inbox::new());
        self.history.set(None);
        self.job.set(None);
        self.load.set(Load::Idle);
        self.checked_at.set(None);
        self.poll_error.set(None);
        self.bump();
    }
}

impl Default for InboxStore {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether the tab is hidden (another tab in front, the window minimised).
fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

fn capitalized(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

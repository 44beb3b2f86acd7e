//! The jobs of this browser (bulk invites, bulk changes to members), one of each kind: held
//! app-wide (it keeps going while the admin looks at
//! other pages), driven one call at a time by exactly one tab, and saved to localStorage after
//! every step so that a reload, or another tab, can take it up where it stopped.
//!
//! - One writer: the tab that drives holds a Web Lock ([`lock`]) for as long as it drives, and
//!   reloads the job from storage when it takes the lock (another tab may have moved it on).
//!   Only the lock holder saves. Other tabs show the job read-only, following the `storage`
//!   events of the saved job; their Pause and Cancel reach the driving tab ([`channel`]).
//! - A job restored from storage never starts by itself: it waits for the admin to resume it,
//!   and is checked again against the connection first (owner, route, rows).
//! - A job belongs to the connection that started it (team and user, never the token);
//!   another account connecting in this tab never sees it.

mod channel;
mod lock;

use crate::browser::now_ms;
use crate::session::{Connection, Session};
use crate::transport::Retry;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use slack_admin_core::connection::{Feature, Identity};
use slack_admin_core::invite::job::read_answer;
use slack_admin_core::invite::job::{Job, Pacing, Step, Work};
use slack_admin_core::invite::InviteRoute;
use slack_admin_core::members::bulk::Change;

pub use channel::Command;

/// A kind of job this console runs: where it is saved, and what is checked before it runs.
pub trait Kept: Work {
    /// The localStorage key of its saved jobs (`<KEY>:<owner>`), also the name of its lock
    /// and of its channel between tabs.
    const KEY: &'static str;
    /// Why a new job was not started: another tab runs one of this kind.
    const BUSY: &'static str;
    fn encode(saved: &SavedJob<Self>) -> Option<String>;
    fn decode(json: &str) -> Option<SavedJob<Self>>;
    /// Why `connection` may not run a job of this work, if it may not.
    fn problem(&self, connection: &Connection) -> Option<String>;
    /// Checks the rows still to send again before a resumed job runs.
    fn recheck(job: &mut Job<Self>, now_s: i64);
}

impl Kept for InviteRoute {
    const KEY: &'static str = "slack-admin-console.invite-job";
    const BUSY: &'static str = "Another tab of this browser is sending invitations. Let it finish (or pause it there), then choose Send again: nothing was sent from here.";

    fn encode(saved: &SavedJob<Self>) -> Option<String> {
        serde_json::to_string(saved).ok()
    }

    fn decode(json: &str) -> Option<SavedJob<Self>> {
        serde_json::from_str(json).ok()
    }

    fn problem(&self, connection: &Connection) -> Option<String> {
        route_problem(self, connection)
    }

    fn recheck(job: &mut Job<Self>, now_s: i64) {
        job.recheck(now_s);
    }
}

impl Kept for Change {
    const KEY: &'static str = "slack-admin-console.members-job";
    const BUSY: &'static str = "Another tab of this browser is changing members. Let it finish (or pause it there), then run this change again: nothing was sent from here.";

    fn encode(saved: &SavedJob<Self>) -> Option<String> {
        serde_json::to_string(saved).ok()
    }

    fn decode(json: &str) -> Option<SavedJob<Self>> {
        serde_json::from_str(json).ok()
    }

    fn problem(&self, connection: &Connection) -> Option<String> {
        let identity = &connection.identity;
        let can = identity
            .capabilities()
            .iter()
            .any(|c| c.feature == Feature::Roles && c.available());
        if !can {
            return Some("This connection cannot change members through Slack's API: connect with the Grid org admin token that started this job.".to_owned());
        }
        // A saved job is data: roles go only where this connection's org is.
        let org = identity.auth.enterprise_id.as_ref().map(|e| e.as_str());
        let reaches = org == Some(self.org_id.as_str())
            || identity.org_teams.iter().any(|t| t.id == self.org_id);
        (!reaches).then(|| {
            format!(
                "This job changes roles in {}, which is not this connection's org. Close it.",
                self.org_id
            )
        })
    }

    fn recheck(_: &mut Job<Self>, _: i64) {}
}

/// The bulk invite job's handle.
pub type InviteJob = JobHandle<InviteRoute>;
/// The bulk change of members' handle.
pub type MembersJob = JobHandle<Change>;

/// How often the driver looks again while waiting (pause and cancel act within this).
const POLL_MS: u64 = 200;

/// A job and whose it is.
#[derive(Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "Job<W>: Serialize",
    deserialize = "Job<W>: Deserialize<'de>"
))]
pub struct SavedJob<W: Work = InviteRoute> {
    pub owner: String,
    pub job: Job<W>,
}

/// Who a connection is, for matching a saved job to it (no token in it).
pub fn owner_of(identity: &Identity, sandbox: bool) -> String {
    format!(
        "{}:{}:{}",
        if sandbox { "sandbox" } else { "slack" },
        identity.auth.team_id,
        identity.auth.user_id
    )
}

/// Why a restored job may not run on this connection, if it may not: the route it was
/// started on must still be the one this connection invites with, into a workspace it
/// reaches.
pub fn route_problem(route: &InviteRoute, connection: &Connection) -> Option<String> {
    let identity = &connection.identity;
    let via = identity
        .capabilities()
        .into_iter()
        .find(|c| c.feature == Feature::Invite)
        .and_then(|c| c.via);
    if via != Some(route.method_name()) {
        return Some(format!(
            "This job sends with {}, which this connection cannot use. Connect as when it was started to finish it, or start a new import.",
            route.method_name()
        ));
    }
    if let InviteRoute::Admin { team_id } = route {
        let reaches =
            identity.team.id == *team_id || identity.org_teams.iter().any(|t| t.id == *team_id);
        if !reaches {
            return Some(format!(
                "This job invites into workspace {team_id}, which this connection does not reach. Start a new import."
            ));
        }
    }
    None
}

/// The name of the workspace a route invites into, as this connection knows it.
pub fn workspace_name(route: &InviteRoute, identity: &Identity) -> String {
    match route {
        InviteRoute::Admin { team_id } => identity
            .org_teams
            .iter()
            .find(|t| t.id == *team_id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| {
                if identity.team.id == *team_id {
                    identity.team.name.clone()
                } else {
                    team_id.to_string()
                }
            }),
        InviteRoute::Legacy => identity.team.name.clone(),
    }
}

/// The app-wide handle of one kind of job: a `Copy` struct of signals; read them through the
/// getters, change the job through the verbs.
pub struct JobHandle<W: Kept> {
    saved: RwSignal<Option<SavedJob<W>>>,
    /// The owner this tab shows jobs for (the connection's), `None` when disconnected.
    owner: RwSignal<Option<String>>,
    /// This tab drives the job now (it holds the lock).
    driving: RwSignal<bool>,
    /// This tab holds the lock: the only state in which it writes the saved job.
    holding: StoredValue<bool>,
    /// A drive or a start is under way (taking the lock, or running).
    busy: StoredValue<bool>,
    /// Another tab of this browser drives it: this one only shows it.
    elsewhere: RwSignal<bool>,
    /// Restored from storage: waits for the admin to confirm before it runs.
    awaiting: RwSignal<bool>,
    /// Progress could not be saved (storage full or blocked): the job paused.
    save_failed: RwSignal<bool>,
    /// The clock the progress is read at, ticked by the driver.
    now_ms: RwSignal<u64>,
}

impl<W: Kept> Clone for JobHandle<W> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<W: Kept> Copy for JobHandle<W> {}

impl<W: Kept> JobHandle<W> {
    /// The handle, listening to the other tabs of this browser.
    pub fn new() -> Self {
        let this = Self {
            saved: RwSignal::new(None),
            owner: RwSignal::new(None),
            driving: RwSignal::new(false),
            holding: StoredValue::new(false),
            busy: StoredValue::new(false),
            elsewhere: RwSignal::new(false),
            awaiting: RwSignal::new(false),
            save_failed: RwSignal::new(false),
            now_ms: RwSignal::new(now_ms()),
        };
        // Another tab asks the driver to pause or cancel this owner's job.
        channel::listen(W::KEY, move |command, owner| {
            if this.holding.get_value() && this.owner.get_untracked().as_deref() == Some(owner) {
                this.apply(command);
            }
        });
        // Another tab saved this owner's job: follow it (the tab holding the lock is the only
        // writer and ignores this; a removed job disappears here too).
        channel::on_storage_change(W::KEY, move |key| {
            if this.holding.get_value() {
                return;
            }
            let Some(owner) = this.owner.get_untracked() else {
                return;
            };
            if key.is_some_and(|k| k != store::key::<W>(&owner)) {
                return;
            }
            let _ = this.now_ms.try_set(now_ms());
            let _ = this.saved.try_set(store::load::<W>(&owner));
        });
        this
    }

    /// The job this tab shows, if any.
    pub fn saved(&self) -> Signal<Option<SavedJob<W>>> {
        self.saved.into()
    }
    pub fn is_shown(&self) -> bool {
        self.saved.with(Option::is_some)
    }
    pub fn driving(&self) -> Signal<bool> {
        self.driving.into()
    }
    pub fn elsewhere(&self) -> Signal<bool> {
        self.elsewhere.into()
    }
    pub fn awaiting(&self) -> Signal<bool> {
        self.awaiting.into()
    }
    pub fn save_failed(&self) -> Signal<bool> {
        self.save_failed.into()
    }
    pub fn now_ms(&self) -> Signal<u64> {
        self.now_ms.into()
    }

    /// Shows the saved job of `connection`, if there is one, without running it: it runs
    /// when the admin resumes it, unless another tab drives it (then this tab follows).
    pub fn show_for(&self, connection: &Connection) {
        let owner = owner_of(&connection.identity, connection.sandbox);
        if self.owner.get_untracked().as_ref() == Some(&owner) && self.is_shown_untracked() {
            return;
        }
        self.forget();
        self.owner.set(Some(owner.clone()));
        let Some(saved) = store::load(&owner) else {
            return;
        };
        let unfinished = !saved.job.is_finished();
        self.saved.set(Some(saved));
        if unfinished {
            let this = *self;
            leptos::task::spawn_local(async move {
                // Held by another tab: it drives, this one follows. Otherwise the admin
                // decides.
                if lock::held_anywhere(W::KEY).await && !this.driving.get_untracked() {
                    this.follow();
                } else {
                    let _ = this.awaiting.try_set(true);
                }
            });
        }
    }

    /// Follows a job another tab drives, until that tab lets go of it (closed, or the job
    /// paused or ended there): then this tab offers to resume it.
    fn follow(&self) {
        if self.elsewhere.get_untracked() {
            return;
        }
        self.elsewhere.set(true);
        let this = *self;
        leptos::task::spawn_local(async move {
            loop {
                crate::browser::sleep(1_000).await;
                if !this.elsewhere.try_get_untracked().unwrap_or(false) {
                    return;
                }
                if !lock::held_anywhere(W::KEY).await {
                    this.reload_from_store();
                    let unfinished = this
                        .saved
                        .try_with_untracked(|s| s.as_ref().is_some_and(|s| !s.job.is_finished()))
                        .unwrap_or(false);
                    let _ = this.elsewhere.try_set(false);
                    let _ = this.awaiting.try_set(unfinished);
                    return;
                }
            }
        });
    }

    fn is_shown_untracked(&self) -> bool {
        self.saved.with_untracked(Option::is_some)
    }

    /// Forgets what this tab shows (on disconnect, or another account): the saved job stays
    /// in storage for its owner, who can resume it after connecting again.
    pub fn forget(&self) {
        self.owner.set(None);
        self.saved.set(None);
        self.awaiting.set(false);
        self.elsewhere.set(false);
        self.save_failed.set(false);
    }

    /// Starts a new job for `connection`, once this tab holds the lock; `refused` hears why
    /// not when another tab of this browser is sending (nothing is saved then, and the
    /// import stays as it was).
    pub fn start(
        &self,
        session: Session,
        connection: &Connection,
        job: Job<W>,
        refused: impl FnOnce(String) + 'static,
    ) {
        if self.busy.get_value() {
            return;
        }
        self.busy.set_value(true);
        let owner = owner_of(&connection.identity, connection.sandbox);
        let this = *self;
        leptos::task::spawn_local(async move {
            let Some(held) = lock::try_take(W::KEY).await else {
                this.busy.set_value(false);
                refused(W::BUSY.into());
                return;
            };
            // Another tab may have saved a job since this one looked: an unfinished job is
            // never replaced (its rows could then be sent again, or never).
            if store::load::<W>(&owner).is_some_and(|s| !s.job.is_finished()) {
                drop(held);
                this.busy.set_value(false);
                let _ = this.owner.try_set(Some(owner.clone()));
                this.reload_from_store();
                let _ = this.awaiting.try_set(true);
                refused("A job saved in this browser is not finished yet (it is shown here now): resume it, or cancel the rest, before starting another. Nothing new was sent.".into());
                return;
            }
            let _ = this.owner.try_set(Some(owner.clone()));
            let _ = this.saved.try_set(Some(SavedJob { owner, job }));
            let _ = this.awaiting.try_set(false);
            this.holding.set_value(true);
            let _ = this.save_failed.try_set(!this.save());
            this.drive_with(session, held, false).await;
        });
    }

    /// Pauses: at once when this tab drives; otherwise the driving tab is told, and when no
    /// tab drives, this one writes the pause itself (holding the lock while it does).
    pub fn pause(&self) {
        self.command(Command::Pause);
    }

    /// Cancels the rows not sent yet (see [`JobHandle::pause`] for who writes it).
    pub fn cancel(&self) {
        self.command(Command::Cancel);
    }

    fn command(&self, command: Command) {
        if self.holding.get_value() {
            self.apply(command);
            return;
        }
        let Some(owner) = self.owner.get_untracked() else {
            return;
        };
        channel::send(W::KEY, command, &owner);
        if self.busy.get_value() {
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            // Nobody drives: write it here, as the one writer for a moment.
            if let Some(_held) = lock::try_take(W::KEY).await {
                this.holding.set_value(true);
                this.reload_from_store();
                this.apply(command);
                this.holding.set_value(false);
                let _ = this.awaiting.try_set(false);
                let _ = this.elsewhere.try_set(false);
            }
        });
    }

    fn apply(&self, command: Command) {
        let _ = self.saved.try_update(|s| {
            if let Some(s) = s {
                match command {
                    Command::Pause => s.job.pause(),
                    Command::Cancel => s.job.cancel(),
                }
            }
        });
        self.save();
    }

    /// Runs the job after the admin chose Resume (or confirmed a restored job).
    pub fn resume(&self, session: Session) {
        self.save_failed.set(false);
        self.drive(session, true);
    }

    /// Forgets the job, its results too (offered for a finished job, or one this connection
    /// cannot run), holding the lock while it does: a job another tab drives is followed
    /// instead.
    pub fn clear(&self) {
        let Some(owner) = self.owner.get_untracked() else {
            self.saved.set(None);
            return;
        };
        let this = *self;
        leptos::task::spawn_local(async move {
            let held = if this.holding.get_value() {
                None
            } else {
                match lock::try_take(W::KEY).await {
                    Some(h) => Some(h),
                    None => {
                        this.follow();
                        return;
                    }
                }
            };
            store::clear::<W>(&owner);
            drop(held);
            let _ = this.saved.try_set(None);
            let _ = this.awaiting.try_set(false);
            let _ = this.elsewhere.try_set(false);
        });
    }

    /// Replaces the job in memory with the saved one of the same owner.
    fn reload_from_store(&self) {
        if let Some(saved) = self
            .owner
            .get_untracked()
            .as_deref()
            .and_then(store::load::<W>)
        {
            let _ = self.saved.try_set(Some(saved));
        }
    }

    /// Drives the job until it is paused, finished, or the connection goes away. `resume`:
    /// the admin asked for it to run (it is checked again and unpaused).
    fn drive(&self, session: Session, resume: bool) {
        if self.busy.get_value() {
            return;
        }
        self.busy.set_value(true);
        let this = *self;
        leptos::task::spawn_local(async move {
            let Some(held) = lock::try_take(W::KEY).await else {
                // Another tab drives: follow it.
                this.busy.set_value(false);
                this.reload_from_store();
                this.follow();
                return;
            };
            this.holding.set_value(true);
            this.drive_with(session, held, resume).await;
        });
    }

    /// Drives with the lock held: the saved job is the latest (another tab may have moved it
    /// on), its times made sane for this clock and its pace this connection's.
    async fn drive_with(&self, session: Session, held: lock::Held, resume: bool) {
        let this = *self;
        let connection = session.connection();
        let owner = connection
            .as_ref()
            .map(|c| owner_of(&c.identity, c.sandbox));
        let runnable =
            connection.filter(|_| owner.is_some() && owner == this.owner.get_untracked());
        if let Some(connection) = runnable {
            if let Some(mut saved) = store::load::<W>(owner.as_deref().unwrap_or_default()) {
                saved.job.clamp_clock(now_ms());
                let _ = this.saved.try_set(Some(saved));
            }
            let pacing = this.saved.try_with_untracked(|s| {
                s.as_ref()
                    .map(|s| Pacing::scaled(s.job.work(), connection.rate_scale))
            });
            let problem = this
                .saved
                .try_with_untracked(|s| s.as_ref().and_then(|s| s.job.work().problem(&connection)));
            let _ = this.elsewhere.try_set(false);
            let _ = this.awaiting.try_set(false);
            if problem.flatten().is_none() {
                let _ = this.saved.try_update(|s| {
                    if let Some(s) = s {
                        if let Some(Some(p)) = pacing {
                            s.job.set_pacing(p);
                        }
                        if resume {
                            W::recheck(&mut s.job, crate::browser::now_s());
                            s.job.resume();
                        }
                    }
                });
                let _ = this.driving.try_set(true);
                this.run(session, &connection.transport, &held).await;
            }
        }
        let _ = this.driving.try_set(false);
        let _ = this.now_ms.try_set(now_ms());
        this.save();
        this.holding.set_value(false);
        this.busy.set_value(false);
        drop(held);
    }

    async fn run(
        &self,
        session: Session,
        transport: &crate::transport::Transport,
        held: &lock::Held,
    ) {
        loop {
            // A disconnect, or a new connection, stops the job: it never sends with a token
            // the admin dropped, nor another account's rows.
            if !session.is_current(transport) {
                break;
            }
            // Without Web Locks the lease is renewed each step; lost, this tab stops writing.
            if !held.still_held() {
                self.holding.set_value(false);
                let _ = self.elsewhere.try_set(true);
                break;
            }
            let now = now_ms();
            let _ = self.now_ms.try_set(now);
            // Asking for the next step changes nothing worth redrawing while waiting: only a
            // send, a pause or the end notify (the ETA follows `now_ms`).
            let step = self
                .saved
                .try_update_untracked(|s| s.as_mut().map(|s| s.job.next(now)))
                .flatten();
            if matches!(step, Some(Step::Paused | Step::Finished)) {
                self.saved.notify();
            }
            match step {
                Some(Step::Send { row, form, method }) => {
                    // The row is in flight now: saved so, a reload retries it as possibly
                    // delivered rather than losing or repeating it blindly. Unsaved, a reload
                    // could send confirmed rows again: pause instead of sending.
                    if !self.save() {
                        let _ = self.saved.try_update(|s| {
                            if let Some(s) = s {
                                s.job.pause();
                            }
                        });
                        let _ = self.save_failed.try_set(true);
                        break;
                    }
                    self.saved.notify();
                    // One attempt: the job paces itself and decides about retries.
                    let result = transport
                        .send(method, &form, Retry::Never)
                        .await
                        .and_then(|answer| read_answer(&answer));
                    let _ = self.saved.try_update(|s| {
                        if let Some(s) = s {
                            s.job.record(row, result, now_ms());
                        }
                    });
                    self.save();
                }
                Some(Step::WaitUntil(t)) => {
                    crate::browser::sleep(t.saturating_sub(now).clamp(1, POLL_MS)).await;
                }
                Some(Step::AwaitAnswer { .. }) => crate::browser::sleep(POLL_MS).await,
                Some(Step::Paused) | Some(Step::Finished) | None => break,
            }
        }
    }

    /// Saves the job; false if the browser refused to store it. Only the driving tab, or a
    /// tab holding the lock for a moment, calls this.
    fn save(&self) -> bool {
        if !self.holding.get_value() {
            return false;
        }
        self.saved
            .try_with_untracked(|s| s.as_ref().map(store::save::<W>).unwrap_or(true))
            .unwrap_or(false)
    }
}

impl<W: Kept> Default for JobHandle<W> {
    fn default() -> Self {
        Self::new()
    }
}

/// One saved job of each kind per owner, so that another account in this browser never
/// overwrites it.
mod store {
    use super::{Kept, SavedJob};
    use crate::session::storage::local;

    pub fn key<W: Kept>(owner: &str) -> String {
        format!("{}:{owner}", W::KEY)
    }

    /// False when the job could not be stored (quota, private mode).
    pub fn save<W: Kept>(saved: &SavedJob<W>) -> bool {
        match (local(), W::encode(saved)) {
            (Some(store), Some(json)) => store.set_item(&key::<W>(&saved.owner), &json).is_ok(),
            _ => false,
        }
    }

    /// The saved job of `owner`; one saved before jobs had a key per owner is moved to it.
    pub fn load<W: Kept>(owner: &str) -> Option<SavedJob<W>> {
        let store = local()?;
        if let Some(json) = store.get_item(&key::<W>(owner)).ok()? {
            return W::decode(&json).filter(|s| s.owner == owner);
        }
        let old: SavedJob<W> = W::decode(&store.get_item(W::KEY).ok()??)?;
        if old.owner != owner {
            return None;
        }
        let _ = store.remove_item(W::KEY);
        save(&old).then_some(old)
    }

    pub fn clear<W: Kept>(owner: &str) {
        if let Some(store) = local() {
            let _ = store.remove_item(&key::<W>(owner));
        }
    }
}

/// Whether this browser holds a saved job of kind `W` of `owner`.
pub fn has_saved<W: Kept>(owner: &str) -> bool {
    store::load::<W>(owner).is_some()
}

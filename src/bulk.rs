//! The bulk invite job of this tab: held app-wide (it keeps going while the admin looks at
//! other pages), driven one call at a time, saved to localStorage after every step so a
//! reload resumes exactly where it stopped.

use crate::session::Session;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use slack_admin_core::connection::Identity;
use slack_admin_core::invite::job::{Job, Step};
use slack_admin_core::methods::Ack;

/// The localStorage key of the saved job.
pub const JOB_KEY: &str = "slack-admin-console.invite-job";

/// How often the driver looks again while waiting (pause and cancel act within this).
const POLL_MS: u64 = 200;

/// A tab that drives the job renews its lease at least this often...
const LEASE_RENEW_MS: u64 = 1_000;
/// ...and another tab takes over only when the lease is older than this.
const LEASE_MS: u64 = 5_000;

/// A job and whose it is: a job is only resumed by the connection that started it.
#[derive(Clone, Serialize, Deserialize)]
pub struct SavedJob {
    pub owner: String,
    pub job: Job,
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

/// The owner of the job saved in this browser, if any.
pub fn saved_owner() -> Option<String> {
    storage::load().map(|s| s.owner)
}

/// The app-wide handle: a small `Copy` struct of signals.
#[derive(Clone, Copy)]
pub struct BulkJob {
    pub saved: RwSignal<Option<SavedJob>>,
    pub running: RwSignal<bool>,
    /// Set when another tab of this browser is driving the job.
    pub elsewhere: RwSignal<bool>,
    /// Set when progress could not be saved (storage full or blocked): the job pauses.
    pub save_failed: RwSignal<bool>,
    /// This tab's name in the lease.
    tab: StoredValue<String>,
    /// The clock the progress is read at, ticked by the driver.
    pub now_ms: RwSignal<u64>,
}

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

impl BulkJob {
    pub fn new() -> Self {
        Self {
            saved: RwSignal::new(None),
            running: RwSignal::new(false),
            elsewhere: RwSignal::new(false),
            save_failed: RwSignal::new(false),
            tab: StoredValue::new(lease::tab_id()),
            now_ms: RwSignal::new(now_ms()),
        }
    }

    /// Loads the saved job of this connection, if any, and resumes it unless it was paused
    /// or is finished.
    pub fn restore(&self, session: Session, owner: &str) {
        if self
            .saved
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.owner == owner))
        {
            return;
        }
        let Some(saved) = storage::load().filter(|s| s.owner == owner) else {
            return;
        };
        let resume = !saved.job.is_paused() && !saved.job.is_finished();
        self.saved.set(Some(saved));
        if resume {
            self.drive(session);
        }
    }

    /// Starts a new job.
    pub fn start(&self, session: Session, owner: String, job: Job) {
        let saved = SavedJob { owner, job };
        self.save_failed.set(!storage::save(&saved));
        self.saved.set(Some(saved));
        self.drive(session);
    }

    pub fn pause(&self) {
        self.update(Job::pause);
    }

    pub fn resume(&self, session: Session) {
        self.save_failed.set(false);
        self.update(Job::resume);
        self.drive(session);
    }

    pub fn cancel(&self, session: Session) {
        self.update(Job::cancel);
        // Let the driver record an answer still in flight and finish the job.
        self.drive(session);
    }

    /// Forgets a finished job (its results too).
    pub fn clear(&self) {
        storage::clear();
        self.saved.set(None);
    }

    fn update(&self, f: impl FnOnce(&mut Job)) {
        self.saved.update(|s| {
            if let Some(s) = s {
                f(&mut s.job);
                let _ = storage::save(s);
            }
        });
    }

    /// Runs the job until it is paused, finished, or the connection goes away.
    pub fn drive(&self, session: Session) {
        if self.running.get_untracked() {
            return;
        }
        let Some(connection) = session.connection() else {
            return;
        };
        // Only the connection that started a job runs it.
        let owner = owner_of(&connection.identity, connection.sandbox);
        if !self
            .saved
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.owner == owner))
        {
            return;
        }
        let tab = self.tab.get_value();
        if !lease::take(&tab, now_ms()) {
            self.elsewhere.set(true);
            return;
        }
        self.elsewhere.set(false);
        let transport = connection.transport;
        let this = *self;
        this.running.set(true);
        leptos::task::spawn_local(async move {
            loop {
                // A disconnect, or a new connection, stops the job: it never sends with a
                // token the admin dropped, nor another account's rows.
                if !session.is_current(&transport) {
                    break;
                }
                let now = now_ms();
                // Two tabs never drive one job: rows would go out twice.
                if !lease::take(&tab, now) {
                    let _ = this.elsewhere.try_set(true);
                    break;
                }
                let _ = this.now_ms.try_set(now);
                // Asking for the next step changes nothing worth redrawing while waiting: only
                // a send, a pause or the end notify (the ETA follows `now_ms`).
                let step = this
                    .saved
                    .try_update_untracked(|s| s.as_mut().map(|s| s.job.next(now)))
                    .flatten();
                if matches!(step, Some(Step::Paused | Step::Finished)) {
                    this.saved.notify();
                }
                match step {
                    Some(Step::Send { row, form, method }) => {
                        // The row is in flight now: saved so, a reload retries it as possibly
                        // delivered rather than losing or repeating it blindly. Unsaved, a
                        // reload could send confirmed rows again: pause instead of sending.
                        if !this.save() {
                            let _ = this.saved.try_update(|s| {
                                if let Some(s) = s {
                                    s.job.pause();
                                }
                            });
                            let _ = this.save_failed.try_set(true);
                            break;
                        }
                        let result = transport.call_once::<Ack>(method, &form).await.map(|_| ());
                        let _ = this.saved.try_update(|s| {
                            if let Some(s) = s {
                                s.job.record(row, result, now_ms());
                            }
                        });
                        this.save();
                    }
                    Some(Step::WaitUntil(t)) => {
                        let wait = t.saturating_sub(now).clamp(1, POLL_MS);
                        gloo_timers::future::TimeoutFuture::new(wait as u32).await;
                    }
                    Some(Step::AwaitAnswer { .. }) => {
                        gloo_timers::future::TimeoutFuture::new(POLL_MS as u32).await;
                    }
                    Some(Step::Paused) | Some(Step::Finished) | None => break,
                }
            }
            let _ = this.running.try_set(false);
            let _ = this.now_ms.try_set(now_ms());
            this.save();
            lease::release(&tab);
        });
    }

    /// Saves the job; false if the browser refused to store it.
    fn save(&self) -> bool {
        self.saved
            .try_with_untracked(|s| s.as_ref().map(storage::save).unwrap_or(true))
            .unwrap_or(false)
    }
}

impl Default for BulkJob {
    fn default() -> Self {
        Self::new()
    }
}

/// Which tab drives the job: `tab:ms` in localStorage, renewed while driving.
mod lease {
    use super::{JOB_KEY, LEASE_MS, LEASE_RENEW_MS};
    use crate::session::storage::local;

    fn key() -> String {
        format!("{JOB_KEY}.lease")
    }

    /// This tab's name: kept across a reload (sessionStorage), so a reloaded tab takes its own
    /// lease back at once; new for any other navigation, so a duplicated tab (which copies
    /// sessionStorage) gets its own.
    pub fn tab_id() -> String {
        const TAB_KEY: &str = "slack-admin-console.tab";
        let window = web_sys::window();
        let session = window
            .as_ref()
            .and_then(|w| w.session_storage().ok().flatten());
        let reloaded = window
            .as_ref()
            .and_then(|w| w.performance())
            .map(|p| p.get_entries_by_type("navigation"))
            .and_then(|entries| {
                js_sys::Reflect::get(&entries.get(0), &"type".into())
                    .ok()?
                    .as_string()
            })
            .is_some_and(|t| t == "reload");
        if reloaded {
            if let Some(id) = session
                .as_ref()
                .and_then(|s| s.get_item(TAB_KEY).ok().flatten())
            {
                return id;
            }
        }
        let id = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
        if let Some(s) = session {
            let _ = s.set_item(TAB_KEY, &id);
        }
        id
    }

    /// Takes or renews the lease for `tab`; false when another tab holds a fresh one.
    pub fn take(tab: &str, now: u64) -> bool {
        let Some(store) = local() else {
            return true;
        };
        let held = store.get_item(&key()).ok().flatten();
        if let Some((holder, at)) = held.as_deref().and_then(|h| h.split_once(':')) {
            let at: u64 = at.parse().unwrap_or(0);
            if holder != tab && now.saturating_sub(at) < LEASE_MS {
                return false;
            }
            if holder == tab && now.saturating_sub(at) < LEASE_RENEW_MS {
                return true;
            }
        }
        let _ = store.set_item(&key(), &format!("{tab}:{now}"));
        true
    }

    pub fn release(tab: &str) {
        if let Some(store) = local() {
            let held = store.get_item(&key()).ok().flatten();
            if held.is_some_and(|h| h.starts_with(&format!("{tab}:"))) {
                let _ = store.remove_item(&key());
            }
        }
    }
}

mod storage {
    use super::{SavedJob, JOB_KEY};
    use crate::session::storage::local;

    /// False when the job could not be stored (quota, private mode).
    pub fn save(saved: &SavedJob) -> bool {
        match (local(), serde_json::to_string(saved)) {
            (Some(store), Ok(json)) => store.set_item(JOB_KEY, &json).is_ok(),
            _ => false,
        }
    }

    pub fn load() -> Option<SavedJob> {
        let json = local()?.get_item(JOB_KEY).ok()??;
        serde_json::from_str(&json).ok()
    }

    pub fn clear() {
        if let Some(store) = local() {
            let _ = store.remove_item(JOB_KEY);
        }
    }
}

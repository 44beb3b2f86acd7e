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
        storage::save(&saved);
        self.saved.set(Some(saved));
        self.drive(session);
    }

    pub fn pause(&self) {
        self.update(Job::pause);
    }

    pub fn resume(&self, session: Session) {
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
                storage::save(s);
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
        let transport = connection.transport;
        let this = *self;
        this.running.set(true);
        leptos::task::spawn_local(async move {
            loop {
                // A disconnect stops the job: it never sends with a token the admin dropped.
                if session.connection().is_none() {
                    break;
                }
                let now = now_ms();
                this.now_ms.set(now);
                let step = this
                    .saved
                    .try_update(|s| s.as_mut().map(|s| s.job.next(now)))
                    .flatten();
                match step {
                    Some(Step::Send { row, form, method }) => {
                        // The row is in flight now: saved so, a reload retries it as possibly
                        // delivered rather than losing or repeating it blindly.
                        this.save();
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
        });
    }

    fn save(&self) {
        self.saved.with_untracked(|s| {
            if let Some(s) = s {
                storage::save(s);
            }
        });
    }
}

impl Default for BulkJob {
    fn default() -> Self {
        Self::new()
    }
}

mod storage {
    use super::{SavedJob, JOB_KEY};

    fn local() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    pub fn save(saved: &SavedJob) {
        if let (Some(store), Ok(json)) = (local(), serde_json::to_string(saved)) {
            let _ = store.set_item(JOB_KEY, &json);
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

//! Jobs on the proxy: a bulk invite or member change the console hands over, driven here by
//! core's job engine so that it goes on when the tab closes. The job is saved in SQLite
//! before every call (the row in flight) and after every answer, so a restart, `kill -9`
//! included, resumes it: a row whose answer was lost is sent again as possibly delivered
//! (core then reads `already_invited` and the like as done), and a row Slack confirmed is
//! never sent again. Its calls take the same turns (the pacer) and leave the same audit
//! entries as the admins' own, in the name of the key that started or last resumed it.
//!
//! Routes (an access key in `Authorization: Bearer`; a read-only key may only look):
//! - `GET /proxy/jobs`: every job, newest first, as [`Summary`]s;
//! - `POST /proxy/jobs`: start one ([`NewJob`], JSON);
//! - `GET /proxy/jobs/{id}`: its summary and the job itself (the console's saved form);
//! - `POST /proxy/jobs/{id}/pause` · `resume` · `cancel`.

use crate::app::{self, AppState};
use crate::store::KeyInfo;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Response, StatusCode};
use slack_admin_core::audit;
use slack_admin_core::error::SlackError;
use slack_admin_core::invite::job::{
    dropped, read_answer, Halt, Job, Pacing, Progress, Step, Work,
};
use slack_admin_core::invite::InviteRoute;
use slack_admin_core::members::bulk::Change;
use slack_admin_core::server_jobs::{self, Kind, NewJob, Summary};
use slack_admin_core::wire::HttpResponse;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// The largest job accepted (5,000 rows of the console's saved form fit easily).
pub const MAX_JOB_BYTES: usize = 8 << 20;

/// A job of either kind.
#[derive(Clone, Debug)]
enum AnyJob {
    Invite(Job<InviteRoute>),
    Change(Job<Change>),
}

macro_rules! each {
    ($job:expr, $j:ident => $e:expr) => {
        match $job {
            AnyJob::Invite($j) => $e,
            AnyJob::Change($j) => $e,
        }
    };
}

impl AnyJob {
    fn kind(&self) -> Kind {
        match self {
            AnyJob::Invite(_) => Kind::Invite,
            AnyJob::Change(_) => Kind::Change,
        }
    }

    fn admit(new: NewJob) -> Result<Self, String> {
        let allowed = |m: &str| app::allowed(m).is_some_and(|info| !app::is_read(info));
        Ok(match new.kind {
            Kind::Invite => AnyJob::Invite(server_jobs::admit(new.job, allowed)?),
            Kind::Change => AnyJob::Change(server_jobs::admit(new.job, allowed)?),
        })
    }

    fn read(kind: &str, json: &str) -> Result<Self, String> {
        let e = |e: serde_json::Error| e.to_string();
        Ok(match kind {
            "invite" => AnyJob::Invite(serde_json::from_str(json).map_err(e)?),
            "change" => AnyJob::Change(serde_json::from_str(json).map_err(e)?),
            other => return Err(format!("unknown kind {other}")),
        })
    }

    fn json(&self) -> String {
        each!(self, j => serde_json::to_string(j).unwrap_or_default())
    }

    fn value(&self) -> serde_json::Value {
        each!(self, j => serde_json::to_value(j).unwrap_or_default())
    }

    /// Paced as the proxy allows (never as the sender said), times made sane for this clock.
    fn settle(&mut self, rate_scale: f64, now_ms: u64) {
        each!(self, j => {
            j.set_pacing(Pacing::scaled(j.work(), rate_scale));
            j.clamp_clock(now_ms);
        })
    }

    fn next(&mut self, now_ms: u64) -> Step {
        each!(self, j => j.next(now_ms))
    }

    fn record(&mut self, row: usize, result: Result<(), SlackError>, now_ms: u64) -> bool {
        each!(self, j => j.record(row, result, now_ms))
    }

    fn progress(&self, now_ms: u64) -> Progress {
        each!(self, j => j.progress(now_ms))
    }

    fn halt(&self) -> Option<Halt> {
        each!(self, j => j.halt().cloned())
    }

    fn line(&self, row: usize) -> usize {
        each!(self, j => j.rows().get(row).map_or(0, |r| r.line))
    }

    fn pause(&mut self) {
        each!(self, j => j.pause())
    }

    fn resume(&mut self) {
        each!(self, j => j.resume())
    }

    fn cancel(&mut self) {
        each!(self, j => j.cancel())
    }

    fn is_finished(&self) -> bool {
        each!(self, j => j.is_finished())
    }

    fn next_send_at(&self, now_ms: u64) -> Option<u64> {
        each!(self, j => j.next_send_at(now_ms))
    }

    /// The method the next row calls, if a row is still to be sent.
    fn next_method(&self) -> Option<&'static str> {
        each!(self, j => j.rows().iter().find(|r| r.is_pending()).map(|r| j.work().method(&r.item)))
    }
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Invite => "invite",
        Kind::Change => "change",
    }
}

struct Entry {
    job: AnyJob,
    title: String,
    started_by: String,
    /// The key the calls are made in the name of: who started it, or last resumed it.
    owner: String,
    created_s: i64,
    updated_s: i64,
    /// Why the proxy paused it, when the engine did not (the owner's key was revoked).
    stop: Option<Halt>,
    /// Whether a task drives it now.
    running: bool,
    /// Counts the saves: an older one never overwrites a newer one.
    version: i64,
    wake: Arc<Notify>,
}

impl Entry {
    fn summary(&self, id: i64, now_ms: u64) -> Summary {
        Summary {
            id,
            kind: self.job.kind(),
            title: self.title.clone(),
            started_by: self.started_by.clone(),
            owner: self.owner.clone(),
            created_s: self.created_s,
            updated_s: self.updated_s,
            progress: self.job.progress(now_ms),
            halt: self.job.halt().or_else(|| self.stop.clone()),
        }
    }
}

/// Every job the proxy knows, in memory and in SQLite.
#[derive(Default)]
pub struct Jobs {
    all: Mutex<BTreeMap<i64, Entry>>,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

const TABLE: &str = "CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    started_by TEXT NOT NULL,
    owner TEXT NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    stop TEXT,
    version INTEGER NOT NULL DEFAULT 0,
    job TEXT NOT NULL
)";

/// How many finished jobs the proxy keeps in memory and lists (they all stay in SQLite).
pub const FINISHED_KEPT: usize = 100;

/// Lets go of finished jobs beyond the newest [`FINISHED_KEPT`].
fn forget_old(all: &mut BTreeMap<i64, Entry>) {
    let finished: Vec<i64> = all
        .iter()
        .filter(|(_, e)| e.job.is_finished() && !e.running)
        .map(|(id, _)| *id)
        .collect();
    for id in finished
        .iter()
        .take(finished.len().saturating_sub(FINISHED_KEPT))
    {
        all.remove(id);
    }
}

/// Loads every saved job and drives those neither paused nor finished (after a restart, the
/// row that was in flight is sent again as possibly delivered). Call once, in the runtime.
pub fn start(state: &AppState) -> Result<usize, String> {
    let rows = {
        let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
        let db = store.db();
        db.execute(TABLE, [])
            .map_err(|e| format!("preparing the jobs table: {e}"))?;
        let mut q = db
            .prepare(
                "SELECT id, kind, title, owner, created, updated, stop, job, started_by FROM jobs",
            )
            .map_err(|e| e.to_string())?;
        let rows = q
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                ))
            })
            .map_err(|e| e.to_string())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        rows
    };
    let now = now_ms();
    let mut resumed = 0;
    let mut all = state.jobs.all.lock().unwrap_or_else(|p| p.into_inner());
    for (id, kind, title, owner, created_s, updated_s, stop, json, started_by) in rows {
        let mut job = match AnyJob::read(&kind, &json) {
            Ok(j) => j,
            Err(e) => {
                tracing::error!(job = id, error = %e, "a saved job could not be read; left as it is");
                continue;
            }
        };
        job.settle(state.config.rate_scale, now);
        let runs = !job.is_finished() && !job.progress(now).paused;
        all.insert(
            id,
            Entry {
                job,
                title,
                started_by,
                owner,
                created_s,
                updated_s,
                stop: stop.and_then(|s| serde_json::from_str(&s).ok()),
                running: runs,
                version: 0,
                wake: Arc::new(Notify::new()),
            },
        );
        if runs {
            resumed += 1;
            tracing::info!(job = id, "resuming a job after a restart");
            tokio::spawn(drive(state.clone(), id));
        }
    }
    forget_old(&mut all);
    Ok(resumed)
}

/// A job as it is to be saved, taken under the jobs' lock and written after it is let go.
struct Snapshot {
    id: i64,
    version: i64,
    job: String,
    updated_s: i64,
    stop: Option<String>,
    owner: String,
}

fn snapshot(id: i64, entry: &mut Entry) -> Snapshot {
    entry.updated_s = app::unix_now();
    entry.version += 1;
    Snapshot {
        id,
        version: entry.version,
        job: entry.job.json(),
        updated_s: entry.updated_s,
        stop: entry
            .stop
            .as_ref()
            .and_then(|s| serde_json::to_string(s).ok()),
        owner: entry.owner.clone(),
    }
}

/// Writes a snapshot unless a newer one is saved already. `false`: it could not be saved.
fn write(state: &AppState, snap: &Snapshot) -> bool {
    let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
    match store.db().execute(
        "UPDATE jobs SET job = ?1, updated = ?2, stop = ?3, owner = ?4, version = ?6 WHERE id = ?5 AND version < ?6",
        rusqlite::params![snap.job, snap.updated_s, snap.stop, snap.owner, snap.id, snap.version],
    ) {
        Ok(_) => true,
        Err(e) => {
            tracing::error!(job = snap.id, error = %e, "saving a job");
            false
        }
    }
}

/// As [`write`], on a blocking thread: the runtime's workers never wait for the disk.
async fn write_off_runtime(state: &AppState, snap: Snapshot) -> bool {
    let state = state.clone();
    tokio::task::spawn_blocking(move || write(&state, &snap))
        .await
        .unwrap_or(false)
}

/// Saves job `id` as it is in memory, now (starting, pausing, finishing: rare steps).
/// `false`: it could not be saved.
fn save(state: &AppState, id: i64, entry: &mut Entry) -> bool {
    let snap = snapshot(id, entry);
    write(state, &snap)
}

/// Whether the key named `name` may still write (not revoked, not read-only).
fn may_write(state: &AppState, name: &str) -> bool {
    let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
    store.list_keys().is_ok_and(|keys| {
        keys.iter()
            .any(|k| k.name == name && !k.revoked && !k.read_only)
    })
}

/// What the next loop of [`drive`] does.
enum Next {
    Send {
        row: usize,
        method: &'static str,
        fields: Vec<(String, String)>,
        owner: KeyInfo,
        in_flight: Snapshot,
    },
    Wait(u64, Arc<Notify>),
    Idle(Arc<Notify>),
    Done,
}

/// Drives job `id` until it is finished, or paused (then waits to be woken).
async fn drive(state: AppState, id: i64) {
    loop {
        let next = {
            let mut all = state.jobs.all.lock().unwrap_or_else(|p| p.into_inner());
            let Some(entry) = all.get_mut(&id) else {
                return;
            };
            let now = now_ms();
            let progress = entry.job.progress(now);
            if !progress.paused && !progress.finished && !may_write(&state, &entry.owner) {
                // Its key was revoked (or made read-only): nothing more is sent in its name,
                // and the job waits for an admin to resume it in theirs.
                entry.job.pause();
                entry.stop = Some(Halt {
                    code: "key_revoked".into(),
                    summary: format!(
                        "The access key \u{201c}{}\u{201d} that runs this job was revoked or made read-only, so the job paused.",
                        entry.owner
                    ),
                    fix: "Resume it with a key of your own: it then runs in your name.".into(),
                    line: 0,
                });
                save(&state, id, entry);
                tracing::warn!(job = id, key = %entry.owner, "paused: its key may no longer write");
            }
            // The job takes only a free turn of its method, and only when it would send: an
            // admin's own call never waits behind a job's (theirs queue ahead; the job waits
            // for the next free turn, and takes it in the same step as it decides to send).
            let turn = match (entry.job.next_send_at(now), entry.job.next_method()) {
                (Some(at), Some(method)) if at <= now => {
                    let tier = app::allowed(method).map_or(slack_admin_core::Tier::Two, |i| i.tier);
                    match state
                        .pacer
                        .reserve(method, tier, Instant::now(), Duration::ZERO)
                    {
                        Some(_) => Ok(()),
                        None => Err(state.pacer.free_in(method, Instant::now())),
                    }
                }
                _ => Ok(()),
            };
            if let Err(busy_for) = turn {
                Next::Wait(busy_for.as_millis() as u64 + 1, entry.wake.clone())
            } else {
                match entry.job.next(now) {
                    Step::Send { row, form, method } => Next::Send {
                        row,
                        method,
                        fields: form.0,
                        owner: KeyInfo {
                            name: entry.owner.clone(),
                            read_only: false,
                            created: 0,
                            revoked: false,
                        },
                        // The row in flight is saved before the call leaves.
                        in_flight: snapshot(id, entry),
                    },
                    Step::WaitUntil(t) => Next::Wait(t.saturating_sub(now), entry.wake.clone()),
                    Step::AwaitAnswer { .. } => Next::Wait(100, entry.wake.clone()),
                    Step::Paused => Next::Idle(entry.wake.clone()),
                    Step::Finished => {
                        entry.running = false;
                        save(&state, id, entry);
                        tracing::info!(job = id, "job finished");
                        Next::Done
                    }
                }
            }
        };
        match next {
            Next::Send {
                row,
                method,
                fields,
                owner,
                in_flight,
            } => {
                if !write_off_runtime(&state, in_flight).await {
                    // Unsaved, a restart could not know this row is in flight: it is not sent,
                    // and stays possibly delivered (the safe side) when resumed.
                    let mut all = state.jobs.all.lock().unwrap_or_else(|p| p.into_inner());
                    if let Some(entry) = all.get_mut(&id) {
                        entry.job.record(row, Err(dropped()), now_ms());
                        entry.job.pause();
                        entry.stop = Some(Halt {
                            code: "internal_error".into(),
                            summary: "The proxy could not save the job, so it paused rather than risk sending a row twice.".into(),
                            fix: "Check the proxy's disk and its log, then resume.".into(),
                            line: entry.job.line(row),
                        });
                        save(&state, id, entry);
                    }
                    continue;
                }
                let result = send(&state, method, &owner, &fields).await;
                let answered = {
                    let mut all = state.jobs.all.lock().unwrap_or_else(|p| p.into_inner());
                    all.get_mut(&id).map(|entry| {
                        entry.job.record(row, result, now_ms());
                        snapshot(id, entry)
                    })
                };
                if let Some(snap) = answered {
                    write_off_runtime(&state, snap).await;
                }
            }
            Next::Wait(ms, wake) => {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(ms.clamp(1, 60_000))) => {}
                    _ = wake.notified() => {}
                }
            }
            Next::Idle(wake) => {
                // Paused: a resume or cancel wakes it (and a minute's sleep re-checks).
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(60)) => {}
                    _ = wake.notified() => {}
                }
            }
            Next::Done => return,
        }
    }
}

/// One call of a job: at the method's turn for everyone, audited like an admin's own.
async fn send(
    state: &AppState,
    method: &str,
    owner: &KeyInfo,
    fields: &[(String, String)],
) -> Result<(), SlackError> {
    if app::allowed(method).is_none() {
        return Err(SlackError::Api {
            code: "unknown_method".into(),
            needed: None,
            provided: None,
            detail: None,
        });
    };
    // The turn was taken when the job decided to send.
    let wait = Duration::ZERO;
    let target = app::audit_target(fields);
    {
        let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = store.audit(app::unix_now(), &owner.name, method, &target, "sent") {
            tracing::error!(error = %e, "writing the audit log");
            // Not sent: a transient failure the engine retries.
            return Err(SlackError::Api {
                code: "internal_error".into(),
                needed: None,
                provided: None,
                detail: None,
            });
        }
    }
    match app::call(state, method, owner, fields, &target, true, wait).await {
        Ok(answer) => read_answer(&HttpResponse {
            status: answer.status.as_u16(),
            headers: answer
                .retry_after
                .map(|r| vec![("retry-after".to_owned(), r)])
                .unwrap_or_default(),
            body: answer.body.to_vec(),
        }),
        Err(_) => Err(dropped()),
    }
}

/// Records in the audit log that `who` starts, pauses, resumes or cancels job `id` (the job's
/// own calls are recorded as they are sent). `false`: it could not be recorded, and the
/// action must not happen.
fn audit_control(
    state: &AppState,
    who: &KeyInfo,
    what: &str,
    id: i64,
    title: &str,
    rows: Option<usize>,
) -> bool {
    let mut fields = vec![
        ("job".to_owned(), id.to_string()),
        ("title".to_owned(), title.to_owned()),
    ];
    if let Some(n) = rows {
        fields.push(("rows".to_owned(), n.to_string()));
    }
    let target = serde_json::to_string(&fields).unwrap_or_default();
    let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
    match store.audit(app::unix_now(), &who.name, what, &target, "ok") {
        Ok(_) => true,
        Err(e) => {
            tracing::error!(job = id, error = %e, "writing the audit log");
            false
        }
    }
}

/// A refusal in Slack's shape, with a sentence saying what is wrong.
fn refused(status: StatusCode, code: &str, detail: &str) -> Response<Body> {
    json(
        status,
        serde_json::json!({"ok": false, "error": code, "detail": detail}),
    )
}

fn json(status: StatusCode, value: serde_json::Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(value.to_string()))
        .expect("a response")
}

/// The key's holder; `write`: it must be allowed to write.
// The refusal is the answer itself, handed straight back: boxing it would only allocate.
#[allow(clippy::result_large_err)]
fn holder(state: &AppState, headers: &HeaderMap, write: bool) -> Result<KeyInfo, Response<Body>> {
    let who = app::check_key(state, app::bearer_key(headers))?;
    if write && who.read_only {
        return Err(refused(
            StatusCode::FORBIDDEN,
            "no_permission",
            "This access key is read-only: it may look at jobs but not start, pause, resume or cancel them.",
        ));
    }
    Ok(who)
}

pub async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response<Body> {
    if let Err(r) = holder(&state, &headers, false) {
        return r;
    }
    let now = now_ms();
    let all = state.jobs.all.lock().unwrap_or_else(|p| p.into_inner());
    let jobs: Vec<Summary> = all
        .iter()
        .rev()
        .map(|(id, e)| e.summary(*id, now))
        .collect();
    json(
        StatusCode::OK,
        serde_json::json!({"ok": true, "jobs": jobs}),
    )
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response<Body> {
    if let Err(r) = holder(&state, &headers, false) {
        return r;
    }
    let all = state.jobs.all.lock().unwrap_or_else(|p| p.into_inner());
    match all.get(&id) {
        Some(e) => json(
            StatusCode::OK,
            serde_json::json!({"ok": true, "summary": e.summary(id, now_ms()), "job": e.job.value()}),
        ),
        None => refused(
            StatusCode::NOT_FOUND,
            "job_not_found",
            "No job has this number on this proxy.",
        ),
    }
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response<Body> {
    let who = match holder(&state, &headers, true) {
        Ok(w) => w,
        Err(r) => return r,
    };
    let bytes: Bytes = {
        use http_body_util::BodyExt;
        let limited = http_body_util::Limited::new(body, MAX_JOB_BYTES);
        match tokio::time::timeout(state.config.read_timeout * 3, limited.collect()).await {
            Ok(Ok(c)) => c.to_bytes(),
            Ok(Err(_)) => {
                return refused(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "request_too_large",
                    "The job is larger than 8 MB: split the list.",
                )
            }
            Err(_) => {
                return refused(
                    StatusCode::REQUEST_TIMEOUT,
                    "request_timeout",
                    "The job took too long to arrive: try again.",
                )
            }
        }
    };
    let new: NewJob = match serde_json::from_slice(&bytes) {
        Ok(n) => n,
        Err(e) => {
            return refused(
                StatusCode::BAD_REQUEST,
                "invalid_arguments",
                &format!("The job could not be read ({e})."),
            )
        }
    };
    let title = server_jobs::title(new.kind, &new.title);
    let mut job = match AnyJob::admit(new) {
        Ok(j) => j,
        Err(why) => return refused(StatusCode::BAD_REQUEST, "invalid_arguments", &why),
    };
    let now = now_ms();
    job.settle(state.config.rate_scale, now);
    let created_s = app::unix_now();
    let inserted = {
        let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
        store
            .db()
            .execute(
                "INSERT INTO jobs (kind, title, started_by, owner, created, updated, job) VALUES (?1, ?2, ?3, ?3, ?4, ?4, ?5)",
                rusqlite::params![kind_word(job.kind()), title, who.name, created_s, job.json()],
            )
            .map(|_| store.db().last_insert_rowid())
    };
    let id = match inserted {
        Ok(id) => id,
        Err(e) => {
            tracing::error!(error = %e, "saving a new job");
            return refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "The proxy could not save the job; nothing was sent.",
            );
        }
    };
    let entry = Entry {
        job,
        title,
        started_by: who.name.clone(),
        owner: who.name.clone(),
        created_s,
        updated_s: created_s,
        stop: None,
        running: true,
        version: 0,
        wake: Arc::new(Notify::new()),
    };
    let summary = entry.summary(id, now);
    // Recorded before it runs: a job that cannot be recorded does not start.
    if !audit_control(
        &state,
        &who,
        audit::JOB_START,
        id,
        &summary.title,
        Some(summary.progress.total),
    ) {
        let store = state.store.lock().unwrap_or_else(|p| p.into_inner());
        let _ = store.db().execute("DELETE FROM jobs WHERE id = ?1", [id]);
        return refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "The proxy could not record the job in its audit log, so it did not start it; nothing was sent.",
        );
    }
    {
        let mut all = state.jobs.all.lock().unwrap_or_else(|p| p.into_inner());
        all.insert(id, entry);
        forget_old(&mut all);
    }
    tracing::info!(job = id, key = %who.name, rows = summary.progress.total, "job started");
    tokio::spawn(drive(state.clone(), id));
    json(
        StatusCode::OK,
        serde_json::json!({"ok": true, "summary": summary}),
    )
}

pub async fn control(
    State(state): State<AppState>,
    Path((id, action)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Response<Body> {
    let who = match holder(&state, &headers, true) {
        Ok(w) => w,
        Err(r) => return r,
    };
    let now = now_ms();
    let mut spawn = false;
    let summary = {
        let mut all = state.jobs.all.lock().unwrap_or_else(|p| p.into_inner());
        let Some(entry) = all.get_mut(&id) else {
            return refused(
                StatusCode::NOT_FOUND,
                "job_not_found",
                "No job has this number on this proxy.",
            );
        };
        let p = entry.job.progress(now);
        let (what, changes) = match action.as_str() {
            "pause" => (audit::JOB_PAUSE, !p.paused && !p.finished),
            "resume" => {
                if p.finished {
                    return refused(
                        StatusCode::CONFLICT,
                        "job_finished",
                        "This job has finished: there is nothing to resume.",
                    );
                }
                (audit::JOB_RESUME, p.paused || entry.stop.is_some())
            }
            "cancel" => (audit::JOB_CANCEL, !p.finished),
            _ => {
                return refused(
                    StatusCode::NOT_FOUND,
                    "unknown_method",
                    "A job can be paused, resumed or cancelled.",
                )
            }
        };
        // Asking for what already is changes nothing and records nothing.
        if changes {
            // Recorded first: an action that cannot be recorded does not happen.
            if !audit_control(&state, &who, what, id, &entry.title, None) {
                return refused(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "The proxy could not record this in its audit log, so it changed nothing.",
                );
            }
            match action.as_str() {
                "pause" => entry.job.pause(),
                "resume" => {
                    entry.job.resume();
                    entry.stop = None;
                    // From now on its calls are made in the name of who resumed it.
                    entry.owner = who.name.clone();
                    if !entry.running {
                        entry.running = true;
                        spawn = true;
                    }
                }
                _ => entry.job.cancel(),
            }
            save(&state, id, entry);
            entry.wake.notify_one();
            tracing::info!(job = id, key = %who.name, %action, "job control");
        }
        entry.summary(id, now)
    };
    if spawn {
        tokio::spawn(drive(state.clone(), id));
    }
    json(
        StatusCode::OK,
        serde_json::json!({"ok": true, "summary": summary}),
    )
}

//! Jobs the proxy runs ("on the proxy"): a bulk invite or a bulk member change handed over by
//! the console, driven by the same engine ([`Job`]) on the server, where it goes on when the
//! tab closes. This module holds what the proxy and the console share: the kinds, the
//! summary the list shows, and the checks a job passes before the proxy takes it.

use crate::invite::job::{
    Halt, Job, JobRow, JobState, Outcome, OutcomeKind, Progress, RowState, Work,
};
use crate::invite::InviteRoute;
use crate::members::bulk::Change;
use serde::{Deserialize, Serialize};

/// The most rows one job may hold (the console's own limit for a bulk change).
pub const MAX_ROWS: usize = 5_000;
/// The longest title kept.
pub const MAX_TITLE: usize = 200;

/// What a job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A bulk invite: `Job<InviteRoute>`.
    Invite,
    /// A bulk member change: `Job<Change>`.
    Change,
}

impl Kind {
    pub const fn word(self) -> &'static str {
        match self {
            Kind::Invite => "Invitations",
            Kind::Change => "Member changes",
        }
    }
}

/// What the console sends to start a job on the proxy: the job as it would save it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewJob {
    pub kind: Kind,
    /// What the job does, in the console's words ("Invite 40 people to Northwind HQ").
    pub title: String,
    /// The job (`Job<InviteRoute>` or `Job<Change>`) as the console saves it.
    pub job: serde_json::Value,
}

/// One job in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub id: i64,
    pub kind: Kind,
    pub title: String,
    /// The name of the key that started it.
    pub started_by: String,
    /// The name of the key its calls are made with: who started it, or last resumed it.
    pub owner: String,
    pub created_s: i64,
    pub updated_s: i64,
    pub progress: Progress,
    pub halt: Option<Halt>,
}

impl Summary {
    /// The proxy drives every job that is neither paused nor finished.
    pub fn state(&self) -> JobState {
        self.progress.state(true)
    }

    /// "Sending · 12 of 40 · about 1 min left", for the list.
    pub fn status_line(&self) -> String {
        let p = &self.progress;
        let mut line = format!("{} · {} of {}", self.state().label(), p.done, p.total);
        if let Some(eta) = p.eta_text() {
            line.push_str(" · ");
            line.push_str(&eta.to_lowercase());
        }
        line
    }
}

impl Kind {
    /// The outcomes a job of this kind counts, in order.
    pub fn outcomes(self) -> &'static [OutcomeKind] {
        match self {
            Kind::Invite => <InviteRoute as Work>::KINDS,
            Kind::Change => <Change as Work>::KINDS,
        }
    }
}

/// "Invited 12 · Refused 1": the outcomes counted so far (none: "Nothing sent yet").
pub fn count_line(kind: Kind, progress: &Progress) -> String {
    let parts: Vec<String> = kind
        .outcomes()
        .iter()
        .map(|k| (k.label(), progress.counts.get(*k)))
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("{label} {n}"))
        .collect();
    if parts.is_empty() {
        "Nothing sent yet".into()
    } else {
        parts.join(" · ")
    }
}

/// The results of a job as the proxy sends it (`job` in `GET /proxy/jobs/{id}`), as CSV:
/// the same columns as the console's own export of that kind of job, defused.
pub fn results_csv(
    kind: Kind,
    job: serde_json::Value,
    names: crate::members::bulk::Names,
) -> Result<String, String> {
    let unreadable =
        |e: serde_json::Error| format!("the proxy sent a job this console cannot read ({e})");
    Ok(match kind {
        Kind::Invite => {
            let job: Job<InviteRoute> = serde_json::from_value(job).map_err(unreadable)?;
            crate::invite::job::results_csv(&job.results())
        }
        Kind::Change => {
            let job: Job<Change> = serde_json::from_value(job).map_err(unreadable)?;
            crate::members::bulk::results_csv(&job, names)
        }
    })
}

/// What an admin may do to a job now, by key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Actions {
    pub pause: bool,
    pub resume: bool,
    pub cancel: bool,
}

impl Summary {
    /// Pause while it runs, resume while paused, cancel the rest until it is finished; none
    /// of them with a read-only key.
    pub fn actions(&self, read_only: bool) -> Actions {
        let p = &self.progress;
        if read_only || p.finished {
            return Actions::default();
        }
        Actions {
            pause: !p.paused,
            resume: p.paused,
            cancel: true,
        }
    }

    /// "No. 3 · Invitations · started by ana 5 minutes ago · runs as ben · updated just now".
    pub fn about(&self, now_s: i64) -> String {
        let mut line = format!(
            "No. {} · {} · started by {} {}",
            self.id,
            self.kind.word(),
            self.started_by,
            crate::audit::ago(self.created_s, now_s)
        );
        if self.owner != self.started_by {
            line.push_str(&format!(" · runs as {}", self.owner));
        }
        line.push_str(&format!(
            " · updated {}",
            crate::audit::ago(self.updated_s, now_s)
        ));
        line
    }

    /// Why it stopped, with the line when a row was at fault: ("Paused at line 12: ", …).
    pub fn halt_heading(&self) -> Option<String> {
        self.halt.as_ref().map(|h| {
            if h.line > 0 {
                format!("Paused at line {}: ", h.line)
            } else {
                "Paused: ".to_owned()
            }
        })
    }
}

/// Reads a job of kind `kind` the console sent and makes it the proxy's: no more than
/// [`MAX_ROWS`] rows and at least one, each calling a method `allowed` allows, and no halt or
/// pause carried over. The pace is the proxy's to set.
pub fn admit<W: Work>(
    job: serde_json::Value,
    allowed: impl Fn(&str) -> bool,
) -> Result<Job<W>, String>
where
    Job<W>: serde::de::DeserializeOwned,
{
    let mut job: Job<W> = serde_json::from_value(job)
        .map_err(|e| format!("the job could not be read ({e}); start it again from the console"))?;
    let rows = job.rows().len();
    if rows == 0 {
        return Err("the job has no rows: there is nothing to send".into());
    }
    if rows > MAX_ROWS {
        return Err(format!(
            "the job has {rows} rows; the proxy takes at most {MAX_ROWS} in one job: split the list"
        ));
    }
    if let Some(refused) = job
        .rows()
        .iter()
        .map(|r| job.work().method(&r.item))
        .find(|m| !allowed(m))
    {
        return Err(format!(
            "the job calls {refused}, which this key may not call through the proxy"
        ));
    }
    // Nothing the sender says about what happened is taken: every row starts afresh, either to
    // be sent or not sent (the preview's or dry run's refusals). A row already sent, answered
    // or "possibly delivered" would let a client write outcomes Slack never gave.
    let mut rows = Vec::with_capacity(job.rows().len());
    for r in job.rows() {
        if r.sends > 0 || r.possibly_delivered {
            return Err(format!(
                "line {} was sent already; the proxy takes only jobs with nothing sent yet",
                r.line
            ));
        }
        rows.push(match &r.state {
            RowState::Pending => JobRow::pending(r.line, r.item.clone()),
            RowState::Done {
                outcome: Outcome::NotSent { reason },
            } => JobRow::not_sent(r.line, r.item.clone(), reason.clone()),
            _ => {
                return Err(format!(
                "line {} already has an outcome; the proxy takes only jobs with nothing sent yet",
                r.line
            ))
            }
        });
    }
    if !rows.iter().any(|r| r.is_pending()) {
        return Err(
            "every row of the job is marked not to be sent: there is nothing to send".into(),
        );
    }
    job = Job::from_rows(rows, job.work().clone(), *job.pacing());
    Ok(job)
}

/// A title as kept: trimmed, single-line, at most [`MAX_TITLE`] characters, never empty.
pub fn title(kind: Kind, given: &str) -> String {
    let one_line: String = given
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_TITLE)
        .collect();
    if one_line.is_empty() {
        kind.word().to_owned()
    } else {
        one_line
    }
}

/// The job types, by kind (for code that handles both).
pub type InviteJob = Job<InviteRoute>;
pub type ChangeJob = Job<Change>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invite::job::{JobRow, Pacing, Step};
    use crate::invite::Invitation;

    fn invite_job(rows: usize) -> serde_json::Value {
        let rows = (0..rows)
            .map(|i| JobRow::pending(i + 1, Invitation::new(format!("p{i}@example.com"))))
            .collect();
        let route = InviteRoute::Admin {
            team_id: crate::ids::TeamId::new("T1"),
        };
        let mut job = Job::from_rows(rows, route, Pacing::per_minute(1e9));
        job.pause();
        serde_json::to_value(&job).unwrap()
    }

    #[test]
    fn a_job_is_admitted_unpaused_with_its_rows() {
        let job: InviteJob = admit(invite_job(3), |_| true).unwrap();
        assert_eq!(job.rows().len(), 3);
        assert!(!job.is_paused());
    }

    #[test]
    fn empty_oversized_unreadable_and_forbidden_jobs_are_refused_with_the_reason() {
        let e = admit::<InviteRoute>(invite_job(0), |_| true).unwrap_err();
        assert!(e.contains("no rows"), "{e}");
        let e = admit::<InviteRoute>(invite_job(MAX_ROWS + 1), |_| true).unwrap_err();
        assert!(e.contains("at most 5000"), "{e}");
        let e = admit::<InviteRoute>(serde_json::json!({"rows": 3}), |_| true).unwrap_err();
        assert!(e.contains("could not be read"), "{e}");
        let e = admit::<InviteRoute>(invite_job(2), |m| m != "admin.users.invite").unwrap_err();
        assert!(e.contains("admin.users.invite"), "{e}");
        // An invite job read as a change job is not a change job.
        assert!(admit::<Change>(invite_job(2), |_| true).is_err());
    }

    #[test]
    fn what_the_sender_says_happened_is_never_taken() {
        // A row "already invited" by the sender's say-so, and one sent once.
        let mut job: InviteJob = admit(invite_job(3), |_| true).unwrap();
        let Step::Send { row, .. } = job.next(0) else {
            panic!("a send")
        };
        job.record(row, Ok(()), 0);
        let e = admit::<InviteRoute>(serde_json::to_value(&job).unwrap(), |_| true).unwrap_err();
        assert!(e.contains("line 1 was sent already"), "{e}");
        // Rows not to be sent stay so, with their reason; a job of nothing but those is refused.
        let rows = vec![
            JobRow::not_sent(1, Invitation::new("a@example.com"), "a duplicate of line 2"),
            JobRow::pending(2, Invitation::new("b@example.com")),
        ];
        let route = InviteRoute::Admin {
            team_id: crate::ids::TeamId::new("T1"),
        };
        let mixed = Job::from_rows(rows.clone(), route.clone(), Pacing::per_minute(20.0));
        let admitted: InviteJob = admit(serde_json::to_value(&mixed).unwrap(), |_| true).unwrap();
        assert_eq!(admitted.progress(0).counts.not_sent, 1);
        assert_eq!(admitted.progress(0).remaining, 1);
        let none = Job::from_rows(rows[..1].to_vec(), route, Pacing::per_minute(20.0));
        let e = admit::<InviteRoute>(serde_json::to_value(&none).unwrap(), |_| true).unwrap_err();
        assert!(e.contains("nothing to send"), "{e}");
    }

    #[test]
    fn counts_and_results_read_what_the_proxy_sends() {
        let value = invite_job(2);
        let mut job: InviteJob = admit(value, |_| true).unwrap();
        assert_eq!(
            count_line(Kind::Invite, &job.progress(0)),
            "Nothing sent yet"
        );
        let Step::Send { row, .. } = job.next(0) else {
            panic!("a send")
        };
        job.record(row, Ok(()), 0);
        let line = count_line(Kind::Invite, &job.progress(0));
        assert!(line.starts_with("Invited 1"), "{line}");
        let csv =
            results_csv(Kind::Invite, serde_json::to_value(&job).unwrap(), &|_| None).unwrap();
        assert_eq!(csv.lines().count(), 3, "{csv}");
        assert!(csv.contains("p0@example.com"));
        let e =
            results_csv(Kind::Change, serde_json::to_value(&job).unwrap(), &|_| None).unwrap_err();
        assert!(e.contains("cannot read"), "{e}");
    }

    fn summary(paused: bool, finished: bool) -> Summary {
        let mut progress = Progress {
            total: 3,
            paused,
            finished,
            ..Progress::default()
        };
        progress.done = if finished { 3 } else { 1 };
        Summary {
            id: 3,
            kind: Kind::Invite,
            title: "Invite 3 people".into(),
            started_by: "ana".into(),
            owner: "ana".into(),
            created_s: 1_000,
            updated_s: 1_000,
            progress,
            halt: None,
        }
    }

    #[test]
    fn what_an_admin_may_do_to_a_job_follows_its_state_and_the_key() {
        let all = |p: bool, r: bool, c: bool| Actions {
            pause: p,
            resume: r,
            cancel: c,
        };
        assert_eq!(summary(false, false).actions(false), all(true, false, true));
        assert_eq!(summary(true, false).actions(false), all(false, true, true));
        assert_eq!(summary(false, true).actions(false), Actions::default());
        assert_eq!(summary(false, false).actions(true), Actions::default());
    }

    #[test]
    fn a_job_says_who_started_it_and_whose_key_runs_it() {
        let mut s = summary(false, false);
        assert_eq!(
            s.about(1_000),
            "No. 3 · Invitations · started by ana just now · updated just now"
        );
        s.owner = "ben".into();
        assert!(s.about(1_000).contains(" · runs as ben · "));
        assert_eq!(s.halt_heading(), None);
        s.halt = Some(Halt {
            code: "key_revoked".into(),
            summary: String::new(),
            fix: String::new(),
            line: 0,
        });
        assert_eq!(s.halt_heading().as_deref(), Some("Paused: "));
    }

    #[test]
    fn a_driver_can_ask_when_the_job_sends_next_without_changing_it() {
        let mut job: InviteJob = admit(invite_job(2), |_| true).unwrap();
        job.set_pacing(Pacing::per_minute(20.0));
        assert_eq!(job.next_send_at(1_000), Some(0), "at once");
        assert_eq!(job.next_send_at(1_000), Some(0), "asking takes nothing");
        let Step::Send { row, .. } = job.next(1_000) else {
            panic!("a send")
        };
        assert_eq!(job.next_send_at(1_000), None, "a call is in flight");
        job.record(row, Ok(()), 1_200);
        assert_eq!(
            job.next_send_at(1_200),
            Some(4_000),
            "3 s after the last send"
        );
        job.pause();
        assert_eq!(job.next_send_at(9_000), None);
    }

    #[test]
    fn titles_are_one_short_line() {
        assert_eq!(
            title(Kind::Invite, "  Invite\n40  people "),
            "Invite 40 people"
        );
        assert_eq!(title(Kind::Change, " \u{7} "), "Member changes");
        assert_eq!(title(Kind::Invite, &"x".repeat(500)).len(), MAX_TITLE);
    }
}

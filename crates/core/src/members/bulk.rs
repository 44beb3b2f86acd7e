//! One change to many members at once.
//!
//! - [`plan`] is the dry run: for every selected member, in order, what will happen or why it
//!   cannot (the member panel's own rules, so a bulk change refuses exactly what the panel
//!   refuses).
//! - [`job`] turns a plan into a job on the bulk job engine that bulk invites use (paced by
//!   the methods' tier, retried, halted by an answer no row can get past, saved after every
//!   step): refused members are in it as "not sent", with the reason.
//! - [`inverse`] is the job that undoes a finished one, for the members it changed, where
//!   Slack's API has a way back.

use super::{expiration_consequence, offers, Action, Kind, Role, Row, Scene, Status};
use crate::error::SlackError;
use crate::ids::{TeamId, UserId};
use crate::invite::job::{defuse, Job, JobRow, Outcome, OutcomeKind, Pacing, Work};
use crate::method::{Method, Tier};
use crate::methods::admin_users::{
    AdminUsersAssign, AdminUsersRemove, AdminUsersSessionReset, AdminUsersSetAdmin,
    AdminUsersSetExpiration, AdminUsersSetOwner, AdminUsersSetRegular,
};
use crate::wire::Form;
use serde::{Deserialize, Serialize};

/// What a bulk change does to every member in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Where role changes apply: the org (its enterprise ID) on Grid.
    pub org_id: TeamId,
    /// The change in words, for the panel and the results ("Make admin").
    pub title: String,
    /// Tells one job from the next (the time it was made, in ms).
    #[serde(default)]
    pub id: u64,
}

/// One member of a bulk change. Saved, it keeps the member's ID and what the job needs, never
/// their name or email (no member data in the browser's storage): a restored job names its
/// members from the loaded list, or by ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub user_id: UserId,
    #[serde(skip)]
    pub label: String,
    #[serde(skip)]
    pub email: String,
    pub kind: Kind,
    pub action: Action,
    /// The role before the change: the inverse gives it back.
    pub before_role: Role,
    /// The guest expiration before the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_expiration: Option<i64>,
    /// The member's first workspace (where a guest's expiration is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<TeamId>,
}

crate::plain_job_serde!(Change);

impl Action {
    /// The call that makes this change to `user_id` (a `kind` account), role changes applying
    /// to `org_id`; a guest's expiration is set in `home`, their first workspace (Slack
    /// requires a workspace on Grid: `team_id_required_for_enterprise`).
    pub fn form(
        &self,
        user_id: &UserId,
        kind: Kind,
        org_id: &TeamId,
        home: Option<&TeamId>,
    ) -> Form {
        let user_id = user_id.clone();
        match self {
            Action::MakeAdmin => AdminUsersSetAdmin {
                team_id: org_id.clone(),
                user_id,
            }
            .form(),
            Action::MakeOwner => AdminUsersSetOwner {
                team_id: org_id.clone(),
                user_id,
            }
            .form(),
            Action::MakeRegular => AdminUsersSetRegular {
                team_id: org_id.clone(),
                user_id,
            }
            .form(),
            Action::Remove { team } => AdminUsersRemove {
                team_id: team.clone(),
                user_id,
            }
            .form(),
            Action::SignOut => AdminUsersSessionReset {
                user_id,
                ..AdminUsersSessionReset::default()
            }
            .form(),
            Action::SetExpiration { ts } => AdminUsersSetExpiration {
                expiration_ts: *ts,
                user_id,
                team_id: Some(home.unwrap_or(org_id).clone()),
            }
            .form(),
            Action::Assign { team, channels } => AdminUsersAssign {
                team_id: team.clone(),
                user_id,
                channel_ids: (!channels.is_empty()).then(|| channels.clone()),
                is_restricted: (kind == Kind::MultiChannelGuest).then_some(true),
                is_ultra_restricted: (kind == Kind::SingleChannelGuest).then_some(true),
            }
            .form(),
        }
    }

    /// The code Slack answers when the member is already as this action would leave them:
    /// after a call that may have reached Slack, it means the earlier call did it.
    fn already_code(&self) -> Option<&'static str> {
        match self {
            Action::Remove { .. } => Some("user_not_found"),
            Action::Assign { .. } => Some("user_already_team_member"),
            _ => None,
        }
    }
}

impl Work for Change {
    type Item = Target;
    const KINDS: &'static [OutcomeKind] = &[
        OutcomeKind::Changed,
        OutcomeKind::Unchanged,
        OutcomeKind::Refused,
        OutcomeKind::NotSent,
    ];

    fn method(&self, item: &Target) -> &'static str {
        item.action.method()
    }

    fn form(&self, item: &Target) -> Form {
        item.action
            .form(&item.user_id, item.kind, &self.org_id, item.home.as_ref())
    }

    fn tier(&self) -> Tier {
        // Every admin.users method that changes a member is Tier 2.
        Tier::Two
    }

    fn success(&self) -> Outcome {
        Outcome::Changed
    }

    fn refusal(
        &self,
        item: &Target,
        error: &SlackError,
        possibly_delivered: bool,
    ) -> (Outcome, Option<String>) {
        let code = error.code();
        match item.action.already_code() {
            Some(already) if already == code && possibly_delivered => (
                Outcome::Changed,
                Some(format!("Changed: an earlier call that failed on the way back had reached Slack, which answered {code} to the retry.")),
            ),
            Some(already) if already == code => (Outcome::Unchanged, None),
            _ => (Outcome::refused(error, item.action.method()), None),
        }
    }

    fn unreadable(&self) -> (&'static str, &'static str) {
        (
            "It reached Slack, so the change may have been made.",
            "Refresh the members list to see whether it was.",
        )
    }

    fn cancelled_after(&self, code: &str) -> String {
        format!("Cancelled. An earlier call failed ({code}) and may have reached Slack: refresh the members list to see whether this member was changed.")
    }
}

/// The most members one change takes, refused ones included: the job's progress is saved in
/// the browser after every member (5,000 rows, every one refused with its reason, are under
/// 2.5 million characters of the 5 million a site may keep, shared with the invite job), and
/// at Slack's pace for these methods (20 a minute) 5,000 members already take 4 hours.
pub const MAX_MEMBERS: usize = 5_000;

/// What `job` does, said from its rows, not from the title saved with it (a saved job is data
/// anyone with access to the browser's storage could have written): "Make admin", or the
/// changes it mixes, and where roles apply when that is not the org (`org_id`).
pub fn describe(
    job: &Job<Change>,
    org_id: &TeamId,
    team_name: &dyn Fn(&TeamId) -> String,
) -> String {
    let mut titles: Vec<String> = Vec::new();
    let mut roles = false;
    for r in job.rows() {
        let a = &r.item.action;
        roles |= matches!(
            a,
            Action::MakeAdmin | Action::MakeOwner | Action::MakeRegular
        );
        let t = action_title(a, team_name);
        if !titles.contains(&t) {
            titles.push(t);
        }
    }
    let mut out = match titles.len() {
        0 => "No change".to_owned(),
        1..=3 => titles.join(" · "),
        n => format!("{} · and {} other changes", titles[..2].join(" · "), n - 2),
    };
    let scope = &job.work().org_id;
    if roles && scope != org_id {
        out.push_str(&format!(" (roles in {})", team_name(scope)));
    }
    out
}

/// One line of the dry run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub target: Target,
    /// What will happen ("Ana will be able to manage…"), or why it will not.
    pub verdict: Result<String, String>,
}

impl Planned {
    pub fn will_run(&self) -> bool {
        self.verdict.is_ok()
    }
}

/// The changes a bulk selection can take, with the words the page shows.
pub fn action_title(action: &Action, team_name: &dyn Fn(&TeamId) -> String) -> String {
    match action {
        Action::MakeAdmin => "Make admin".into(),
        Action::MakeOwner => "Make owner".into(),
        Action::MakeRegular => "Make regular member".into(),
        Action::Remove { team } => format!("Remove from {}", team_name(team)),
        Action::SignOut => "Sign out everywhere".into(),
        Action::SetExpiration { ts } => format!(
            "Set guest expiration to {} UTC",
            crate::invite::dates::iso_utc(*ts)
        ),
        Action::Assign { team, .. } => format!("Add to {}", team_name(team)),
    }
}

/// The dry run of `action` on `rows`, in their order: each member with what will happen or
/// why not, by the rules of the member panel. `now` is the time in Unix seconds.
pub fn plan(
    rows: &[&Row],
    action: &Action,
    scene: &Scene,
    team_name: &dyn Fn(&TeamId) -> String,
    now: i64,
) -> Vec<Planned> {
    rows.iter()
        .map(|row| Planned {
            target: Target {
                user_id: row.id.clone(),
                label: row.label().to_owned(),
                email: row.email.clone(),
                kind: row.kind,
                action: action.clone(),
                before_role: row.role,
                before_expiration: row.expiration_ts,
                home: row.workspaces.first().cloned(),
            },
            verdict: verdict(row, action, scene, team_name, now),
        })
        .collect()
}

fn verdict(
    row: &Row,
    action: &Action,
    scene: &Scene,
    team_name: &dyn Fn(&TeamId) -> String,
    now: i64,
) -> Result<String, String> {
    match action {
        Action::SetExpiration { ts } => {
            if !scene.can_change_roles {
                return Err("This token cannot change members through Slack's API: it takes an Enterprise Grid org admin token with admin.users:write.".into());
            }
            if row.status == Status::Deactivated {
                return Err("The account is deactivated: reactivate it first.".into());
            }
            if row.expiration_ts == Some(*ts) {
                return Err(format!("{}'s account already ends then.", row.label()));
            }
            expiration_consequence(row, *ts, now)
        }
        Action::Assign { team, .. } => Err(format!(
            "Adding members to {} is done one at a time, from the member panel, where their channels are chosen.",
            team_name(team)
        )),
        Action::Remove { team } if !row.workspaces.contains(team) => {
            Err(format!("{} is not in {}.", row.label(), team_name(team)))
        }
        _ => {
            let offer = offers(row, scene, team_name)
                .into_iter()
                .find(|o| &o.action == action);
            match offer {
                Some(o) => match o.refused {
                    Some(why) => Err(why),
                    None => Ok(o.consequence),
                },
                None => Err(format!("This cannot be done for {}.", row.label())),
            }
        }
    }
}

/// A job of the plan: the members that will run are sent in order; the others are in it,
/// not sent, with the reason.
pub fn job(planned: &[Planned], change: Change, pacing: Pacing) -> Job<Change> {
    let rows = planned
        .iter()
        .enumerate()
        .map(|(i, p)| match &p.verdict {
            Ok(_) => JobRow::pending(i + 1, p.target.clone()),
            // Saved without the member's name: the row names them.
            Err(why) => JobRow::not_sent(
                i + 1,
                p.target.clone(),
                format!(
                    "Refused in the dry run: {}",
                    anonymous(why, &p.target.label)
                ),
            ),
        })
        .collect();
    Job::from_rows(rows, change, pacing)
}

/// `why` with the member's name, where a sentence starts with it ("Ana is already…",
/// "Ana's account…"), said as "This member". Only the start: a short name ("Al") may be part
/// of other words.
fn anonymous(why: &str, label: &str) -> String {
    if label.is_empty() {
        return why.to_owned();
    }
    match why.strip_prefix(label) {
        Some(rest) if rest.starts_with("'s ") || rest.starts_with(' ') => {
            format!("This member{rest}")
        }
        _ => why.to_owned(),
    }
}

/// The way back for one member changed by `target.action`, if Slack's API has one.
/// `org_wide`: the job set roles for the whole org. Then a role is given back only by taking
/// rights away: the member's earlier admin or owner role may have been in one workspace only,
/// which the list does not say, and an undo must never give more than there was.
fn way_back(target: &Target, now: i64, org_wide: bool) -> Result<Action, String> {
    let role_back = || {
        match target.before_role {
        Role::Member => Ok(Action::MakeRegular),
        Role::Admin | Role::Owner if org_wide => Err("Their earlier role may have been in one workspace only: give it back from their panel, choosing where it applies.".to_owned()),
        Role::Admin => Ok(Action::MakeAdmin),
        Role::Owner => Ok(Action::MakeOwner),
        Role::PrimaryOwner => {
            Err("The primary owner's role cannot be set through the API.".to_owned())
        }
    }
    };
    match &target.action {
        Action::MakeAdmin | Action::MakeOwner | Action::MakeRegular => role_back(),
        Action::Remove { team } if target.kind == Kind::Full => Ok(Action::Assign {
            team: team.clone(),
            channels: Vec::new(),
        }),
        Action::Remove { .. } => Err("A guest is added back with their channels, which Slack does not list: add them back from the member panel.".into()),
        Action::Assign { team, .. } => Ok(Action::Remove { team: team.clone() }),
        Action::SetExpiration { .. } => match target.before_expiration {
            Some(ts) if ts > now => Ok(Action::SetExpiration { ts }),
            Some(_) => Err("The earlier expiration date has passed.".into()),
            None => Err("Slack's API cannot clear a guest's expiration: set a later date instead.".into()),
        },
        Action::SignOut => Err("A sign-out cannot be undone.".into()),
    }
}

/// The undo of a finished job: what it would do, for whom, and who has no way back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inverse {
    /// "Make these 40 members regular again".
    pub title: String,
    /// The job, when at least one member can go back.
    pub job: Option<Job<Change>>,
    /// Members changed with no way back, with the reason.
    pub without: Vec<(String, String)>,
}

/// The job that undoes `job` for the members it changed, each back to where they were
/// (`now`: Unix seconds, to leave out expiration dates that have passed). `None` when the job
/// changed nobody.
pub fn inverse(job: &Job<Change>, pacing: Pacing, now: i64) -> Option<Inverse> {
    let changed: Vec<&Target> = job
        .rows()
        .iter()
        .filter(|r| r.outcome() == Some(&Outcome::Changed))
        .map(|r| &r.item)
        .collect();
    if changed.is_empty() {
        return None;
    }
    // Workspace IDs start with T; the org's (an enterprise) with E.
    let org_wide = !job.work().org_id.as_str().starts_with('T');
    let mut rows = Vec::new();
    let mut without = Vec::new();
    for t in changed {
        match way_back(t, now, org_wide) {
            Ok(action) => rows.push(JobRow::pending(
                rows.len() + 1,
                Target {
                    action,
                    before_role: role_after(t),
                    before_expiration: match t.action {
                        Action::SetExpiration { ts } => Some(ts),
                        _ => t.before_expiration,
                    },
                    ..t.clone()
                },
            )),
            Err(why) => without.push((
                if t.label.is_empty() {
                    t.user_id.to_string()
                } else {
                    t.label.clone()
                },
                why,
            )),
        }
    }
    let n = rows.len();
    let members = if n == 1 {
        "this member".to_owned()
    } else {
        format!("these {n} members")
    };
    let actions: Vec<&Action> = rows
        .iter()
        .map(|r: &JobRow<Target>| &r.item.action)
        .collect();
    let same = actions.windows(2).all(|w| w[0] == w[1]);
    let title = match actions.first() {
        None => "Nothing to undo through the API".to_owned(),
        Some(Action::MakeRegular) if same => format!("Make {members} regular again"),
        Some(Action::MakeAdmin) if same => format!("Make {members} admins again"),
        Some(Action::MakeOwner) if same => format!("Make {members} owners again"),
        Some(Action::Assign { .. }) if same => format!("Add {members} back"),
        Some(Action::Remove { .. }) if same => format!("Remove {members} again"),
        Some(Action::SetExpiration { .. }) => {
            format!("Give {members} their earlier expiration dates back")
        }
        Some(_) => format!("Give {members} their earlier roles back"),
    };
    let job = (n > 0).then(|| {
        Job::from_rows(
            rows,
            Change {
                org_id: job.work().org_id.clone(),
                title: format!("Undo: {}", job.work().title),
                id: job.work().id.wrapping_add(1),
            },
            pacing,
        )
    });
    Some(Inverse {
        title,
        job,
        without,
    })
}

/// The role a member has after `t.action` succeeded.
fn role_after(t: &Target) -> Role {
    match t.action {
        Action::MakeAdmin => Role::Admin,
        Action::MakeOwner => Role::Owner,
        Action::MakeRegular => Role::Member,
        _ => t.before_role,
    }
}

/// One row of a bulk change's results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeResult {
    pub line: usize,
    pub user_id: UserId,
    /// The change of this row, in words (workspaces by ID).
    pub change: String,
    pub label: String,
    pub email: String,
    pub outcome: Option<Outcome>,
    pub code: Option<String>,
    pub detail: String,
}

impl ChangeResult {
    pub fn kind(&self) -> Option<OutcomeKind> {
        self.outcome.as_ref().map(Outcome::kind)
    }
}

/// Who a member is, by ID (name, email), for a job restored without names.
pub type Names<'a> = &'a dyn Fn(&UserId) -> Option<(String, String)>;

/// Every row of `job` with its outcome so far; a member the job has no name for is named by
/// `names`, else by ID.
pub fn results(job: &Job<Change>, names: Names) -> Vec<ChangeResult> {
    job.rows()
        .iter()
        .map(|r| {
            let (code, detail) = r.code_and_detail();
            let t = &r.item;
            let (label, email) = if t.label.is_empty() {
                names(&t.user_id).unwrap_or_else(|| (t.user_id.to_string(), String::new()))
            } else {
                (t.label.clone(), t.email.clone())
            };
            ChangeResult {
                line: r.line,
                user_id: t.user_id.clone(),
                change: action_title(&t.action, &|team| team.to_string()),
                label,
                email,
                outcome: r.outcome().cloned(),
                code,
                detail,
            }
        })
        .collect()
}

/// The results as CSV (`line,user_id,name,email,change,outcome,code,detail`), defused like
/// every export.
pub fn results_csv(job: &Job<Change>, names: Names) -> String {
    let mut out = String::new();
    crate::invite::csv::write_row(
        &mut out,
        &[
            "line", "user_id", "name", "email", "change", "outcome", "code", "detail",
        ],
    );
    for r in results(job, names) {
        let outcome = r.kind().map_or("pending", OutcomeKind::word);
        let cells = [
            r.line.to_string(),
            r.user_id.to_string(),
            r.label,
            r.email,
            r.change,
            outcome.to_owned(),
            r.code.unwrap_or_default(),
            r.detail,
        ];
        let cells: Vec<String> = cells.iter().map(|c| defuse(c)).collect();
        crate::invite::csv::write_row(&mut out, &cells);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invite::job::Step;

    fn row(id: &str, role: Role, kind: Kind) -> Row {
        let mut r = Row::new(
            UserId::new(id),
            &format!("Person {id}"),
            "",
            &format!("{id}@example.com"),
            role,
            kind,
            Status::Active,
        );
        r.workspaces = vec![TeamId::new("T1")];
        r
    }

    fn scene() -> Scene {
        Scene {
            can_change_roles: true,
            org_name: "Northwind".into(),
            me: UserId::new("WME"),
            scope: None,
        }
    }

    fn name(t: &TeamId) -> String {
        format!("workspace {t}")
    }

    fn change() -> Change {
        Change {
            org_id: TeamId::new("E1"),
            title: "Make admin".into(),
            id: 1,
        }
    }

    /// Finishes every sendable row of `job` with `answer`.
    fn finish(job: &mut Job<Change>, answer: impl Fn(&Target) -> Result<(), SlackError>) {
        let mut now = 0;
        loop {
            match job.next(now) {
                Step::Send { row, .. } => {
                    let result = answer(&job.rows()[row].item);
                    job.record(row, result, now);
                }
                Step::WaitUntil(t) => now = t,
                _ => return,
            }
        }
    }

    #[test]
    fn a_saved_job_round_trips_and_a_doubled_line_is_refused() {
        let a = row("W1", Role::Member, Kind::Full);
        let b = row("W2", Role::Admin, Kind::Full);
        let plan = plan(&[&a, &b], &Action::MakeAdmin, &scene(), &name, 0);
        assert!(plan[0].will_run());
        assert_eq!(
            plan[1].verdict,
            Err("Person W2 is already an admin.".into())
        );
        let job = job(&plan, change(), Pacing::for_tier(Tier::Two));
        let json = serde_json::to_string(&job).unwrap();
        assert!(
            !json.contains("example.com") && !json.contains("Person"),
            "{json}"
        );
        let back: Job<Change> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.rows().len(), 2);
        for (a, b) in back.rows().iter().zip(job.rows()) {
            assert_eq!(
                (&a.item.user_id, &a.item.action, &a.state),
                (&b.item.user_id, &b.item.action, &b.state)
            );
        }
        let doubled = json.replace("\"line\":2", "\"line\":1");
        let err = serde_json::from_str::<Job<Change>>(&doubled).unwrap_err();
        assert!(err.to_string().contains("appears twice"), "{err}");
    }

    #[test]
    fn the_inverse_gives_each_member_their_own_role_back_and_never_more() {
        let m = row("W1", Role::Member, Kind::Full);
        let o = row("W2", Role::Owner, Kind::Full);
        // In one workspace: each gets back what they had there.
        let t1 = Scene {
            scope: Some((TeamId::new("T1"), "HQ".into())),
            ..scene()
        };
        let plan = plan(&[&m, &o], &Action::MakeAdmin, &t1, &name, 0);
        let in_t1 = Change {
            org_id: TeamId::new("T1"),
            ..change()
        };
        let mut j = job(&plan, in_t1, Pacing::for_tier(Tier::Two));
        finish(&mut j, |_| Ok(()));
        let undo = inverse(&j, Pacing::for_tier(Tier::Two), 0).unwrap();
        assert_eq!(undo.title, "Give these 2 members their earlier roles back");
        let back = undo.job.unwrap();
        let actions: Vec<&Action> = back.rows().iter().map(|r| &r.item.action).collect();
        assert_eq!(actions, [&Action::MakeRegular, &Action::MakeOwner]);
        assert_eq!(back.work().title, "Undo: Make admin");
        assert_eq!(back.work().org_id, TeamId::new("T1"));
        // Org-wide, an owner's earlier role may have been one workspace's: not given back.
        let plan = super::plan(&[&m, &o], &Action::MakeAdmin, &scene(), &name, 0);
        let mut j = job(&plan, change(), Pacing::for_tier(Tier::Two));
        finish(&mut j, |_| Ok(()));
        let undo = inverse(&j, Pacing::for_tier(Tier::Two), 0).unwrap();
        assert_eq!(undo.title, "Make this member regular again");
        assert_eq!(undo.without.len(), 1);
        assert!(undo.without[0].1.contains("one workspace only"));
    }

    #[test]
    fn only_changed_members_are_undone_and_a_way_back_that_does_not_exist_is_named() {
        let g = row("W1", Role::Member, Kind::MultiChannelGuest);
        let f = row("W2", Role::Member, Kind::Full);
        let team = TeamId::new("T1");
        let plan = plan(
            &[&g, &f],
            &Action::Remove { team: team.clone() },
            &scene(),
            &name,
            0,
        );
        let mut j = job(&plan, change(), Pacing::for_tier(Tier::Two));
        finish(&mut j, |_| Ok(()));
        let undo = inverse(&j, Pacing::for_tier(Tier::Two), 0).unwrap();
        assert_eq!(undo.title, "Add this member back");
        assert_eq!(undo.without.len(), 1);
        assert!(undo.without[0].1.contains("channels"));

        // Nobody changed: no inverse at all.
        let mut j = job(&plan, change(), Pacing::for_tier(Tier::Two));
        finish(&mut j, |_| Err(SlackError::api("user_not_found")));
        assert_eq!(j.progress(0).counts.unchanged, 2);
        assert!(inverse(&j, Pacing::for_tier(Tier::Two), 0).is_none());
    }

    #[test]
    fn an_expiration_is_planned_for_guests_only_and_undone_to_the_earlier_date() {
        let mut g = row("W1", Role::Member, Kind::MultiChannelGuest);
        g.expiration_ts = Some(2_000_000_000);
        let f = row("W2", Role::Member, Kind::Full);
        let mut never = row("W3", Role::Member, Kind::SingleChannelGuest);
        never.expiration_ts = None;
        let ts = 2_100_000_000;
        let plan = plan(
            &[&g, &f, &never],
            &Action::SetExpiration { ts },
            &scene(),
            &name,
            1_900_000_000,
        );
        assert!(plan[0].verdict.as_ref().unwrap().contains("deactivated on"));
        assert_eq!(
            plan[1].verdict,
            Err("Only guests have an expiration date.".into())
        );
        assert!(plan[2].will_run());
        let mut j = job(&plan, change(), Pacing::for_tier(Tier::Two));
        finish(&mut j, |_| Ok(()));
        let undo = inverse(&j, Pacing::for_tier(Tier::Two), 1_900_000_000).unwrap();
        let back = undo.job.unwrap();
        assert_eq!(back.rows().len(), 1);
        assert_eq!(
            back.rows()[0].item.action,
            Action::SetExpiration { ts: 2_000_000_000 }
        );
        assert!(undo.without[0].1.contains("cannot clear"));
    }

    #[test]
    fn a_role_in_one_workspace_is_for_its_members_and_says_so() {
        let inside = row("W1", Role::Member, Kind::Full);
        let mut outside = row("W2", Role::Member, Kind::Full);
        outside.workspaces = vec![TeamId::new("T2")];
        let hq = Scene {
            scope: Some((TeamId::new("T1"), "Northwind HQ".into())),
            ..scene()
        };
        let plan = plan(&[&inside, &outside], &Action::MakeAdmin, &hq, &name, 0);
        assert_eq!(
            plan[0].verdict,
            Ok("Person W1 will be able to manage members and settings of Northwind HQ.".into())
        );
        assert_eq!(
            plan[1].verdict,
            Err("Person W2 is not in Northwind HQ.".into())
        );
        // Org-wide, both may.
        let plan = super::plan(&[&inside, &outside], &Action::MakeAdmin, &scene(), &name, 0);
        assert!(plan.iter().all(Planned::will_run));
        assert!(plan[0]
            .verdict
            .as_ref()
            .unwrap()
            .ends_with("of Northwind's workspaces."));
    }

    #[test]
    fn the_largest_job_fits_the_browser_storage_and_is_described_by_its_rows() {
        let rows: Vec<Row> = (0..MAX_MEMBERS)
            .map(|i| row(&format!("W{i:08}"), Role::Member, Kind::Full))
            .collect();
        let refs: Vec<&Row> = rows.iter().collect();
        let plan = plan(&refs, &Action::MakeAdmin, &scene(), &name, 0);
        let mut forged = change();
        forged.title = "Make regular member".into();
        let j = job(&plan, forged, Pacing::for_tier(Tier::Two));
        let json = serde_json::to_string(&j).unwrap();
        assert!(json.len() < 1_000_000, "{} characters", json.len());
        // The worst case: every member refused, each with the reason.
        let admins: Vec<Row> = (0..MAX_MEMBERS)
            .map(|i| row(&format!("W{i:08}"), Role::Admin, Kind::Full))
            .collect();
        let refs: Vec<&Row> = admins.iter().collect();
        let refused = super::plan(&refs, &Action::MakeAdmin, &scene(), &name, 0);
        assert!(refused.iter().all(|p| !p.will_run()));
        let json =
            serde_json::to_string(&job(&refused, change(), Pacing::for_tier(Tier::Two))).unwrap();
        assert!(json.len() < 2_500_000, "{} characters", json.len());
        // The saved title says one thing, the rows another: the rows are what is shown.
        assert_eq!(describe(&j, &TeamId::new("E1"), &name), "Make admin");
        assert_eq!(
            describe(&j, &TeamId::new("E2"), &name),
            "Make admin (roles in workspace E1)"
        );
    }

    #[test]
    fn a_saved_reason_drops_the_name_it_starts_with_and_nothing_else() {
        assert_eq!(
            anonymous("Al is already an admin.", "Al"),
            "This member is already an admin."
        );
        assert_eq!(
            anonymous(
                "Guests cannot hold a role: make them a full member first.",
                "a"
            ),
            "Guests cannot hold a role: make them a full member first."
        );
        assert_eq!(
            anonymous("Ana's account already ends then.", "Ana"),
            "This member's account already ends then."
        );
        assert_eq!(anonymous("Analytics is…", "Ana"), "Analytics is…");
    }

    #[test]
    fn role_changes_apply_to_the_org_and_removal_to_its_workspace() {
        let f = Action::MakeAdmin.form(&UserId::new("W1"), Kind::Full, &TeamId::new("E1"), None);
        assert_eq!(f.get("team_id"), Some("E1"));
        assert_eq!(f.get("user_id"), Some("W1"));
        let f = Action::Remove {
            team: TeamId::new("T9"),
        }
        .form(&UserId::new("W1"), Kind::Full, &TeamId::new("E1"), None);
        assert_eq!(f.get("team_id"), Some("T9"));
        let f = Action::SetExpiration { ts: 5 }.form(
            &UserId::new("W1"),
            Kind::MultiChannelGuest,
            &TeamId::new("E1"),
            Some(&TeamId::new("T2")),
        );
        assert_eq!(f.get("team_id"), Some("T2"));
        let f = Action::Assign {
            team: TeamId::new("T9"),
            channels: vec![],
        }
        .form(
            &UserId::new("W1"),
            Kind::SingleChannelGuest,
            &TeamId::new("E1"),
            None,
        );
        assert_eq!(f.get("is_ultra_restricted"), Some("true"));
    }
}

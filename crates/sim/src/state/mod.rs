//! The sim's state: tenants (the Grid org and the standalone workspaces), their users,
//! channels, invitations and invite requests, as plain typed structs.
//!
//! Every operation that Slack can refuse returns `Result<_, Code>`, the error code Slack would
//! send. Times are seconds since the Unix epoch unless a name ends in `_ms`.

pub mod invites;
pub mod requests;
pub mod users;

use slack_admin_core::methods::admin_invite_requests::{
    ApprovedRequest, DeniedRequest, InviteRequest, InviteType,
};
use slack_admin_core::{ChannelId, EnterpriseId, TeamId, UserId};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A Slack error code.
pub type Code = &'static str;

/// Which Slack plan a tenant is on: it decides which APIs answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Pro: legacy tokens and `users.admin.invite`; no SCIM, no admin APIs.
    Pro,
    /// Business+: SCIM, SSO.
    BusinessPlus,
    /// Enterprise Grid: admin APIs, SCIM.
    Enterprise,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enterprise {
    pub id: EnterpriseId,
    pub name: String,
    pub domain: String,
}

/// A workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub domain: String,
    pub email_domain: String,
    /// `open`, `invite_only`, `closed` or `unlisted`.
    pub discoverability: &'static str,
    /// SSO required: `users.admin.invite` refuses full members.
    pub sso: bool,
    pub primary_owner: UserId,
    pub created: i64,
}

impl Team {
    pub fn url(&self) -> String {
        format!("https://{}.slack.com/", self.domain)
    }
}

/// A user's account type. Owners and admins are also `is_admin` on the wire, as in Slack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    PrimaryOwner,
    Owner,
    Admin,
    Regular,
    /// Multi-channel guest (`is_restricted`).
    Guest,
    /// Single-channel guest (`is_ultra_restricted`).
    SingleChannelGuest,
}

impl Role {
    pub fn is_guest(self) -> bool {
        matches!(self, Role::Guest | Role::SingleChannelGuest)
    }

    pub fn is_owner(self) -> bool {
        matches!(self, Role::PrimaryOwner | Role::Owner)
    }

    /// Admins and owners: who may call the admin methods.
    pub fn is_admin(self) -> bool {
        matches!(self, Role::PrimaryOwner | Role::Owner | Role::Admin)
    }

    pub fn of_invite(t: InviteType) -> Role {
        match t {
            InviteType::FullMember => Role::Regular,
            InviteType::Restricted => Role::Guest,
            InviteType::UltraRestricted => Role::SingleChannelGuest,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    /// Empty for bots.
    pub email: String,
    /// The handle (`name` in `users.list`, `username` in `admin.users.list`).
    pub username: String,
    pub real_name: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    /// An org-level admin or owner (set with the org's ID as `team_id`).
    pub org_level: bool,
    pub is_bot: bool,
    pub bot_id: Option<String>,
    /// The workspaces the user is on.
    pub workspaces: Vec<TeamId>,
    pub active: bool,
    pub date_created: i64,
    pub deactivated_ts: Option<i64>,
    /// Guests only: when the account is disabled.
    pub expiration_ts: Option<i64>,
    pub has_2fa: bool,
    pub has_sso: bool,
}

impl User {
    pub fn in_team(&self, team: &TeamId) -> bool {
        self.workspaces.iter().any(|t| t == team)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub id: ChannelId,
    pub team_id: TeamId,
    pub name: String,
    pub is_private: bool,
    pub is_archived: bool,
    pub is_general: bool,
    pub num_members: u32,
}

/// Where an invitation stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InviteState {
    Pending,
    Accepted(UserId),
}

/// An invitation email that was sent (by `admin.users.invite`, `users.admin.invite`, or an
/// approved invite request).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub team_id: TeamId,
    pub email: String,
    pub invite_type: InviteType,
    pub channel_ids: Vec<ChannelId>,
    pub inviter_id: Option<UserId>,
    pub real_name: Option<String>,
    pub guest_expiration_ts: Option<i64>,
    pub date_created: i64,
    pub date_resent: Option<i64>,
    /// When the sim will accept it on the invitee's behalf (`None`: never by itself).
    pub accept_at: Option<i64>,
    pub state: InviteState,
}

impl Invitation {
    pub fn last_sent(&self) -> i64 {
        self.date_resent.unwrap_or(self.date_created)
    }
}

/// The Grid org, or a standalone workspace: users, channels and invitations live in one.
#[derive(Clone, Debug)]
pub struct Tenant {
    pub enterprise: Option<Enterprise>,
    pub plan: Plan,
    pub teams: Vec<Team>,
    /// Sorted by ID; new IDs are always larger, so a page walk never misses a new user.
    pub users: BTreeMap<UserId, User>,
    /// Lower-cased email → user.
    pub emails: HashMap<String, UserId>,
    pub channels: BTreeMap<ChannelId, Channel>,
    pub invitations: BTreeMap<u64, Invitation>,
    /// Lower-cased email → keys of its invitations.
    pub invitations_by_email: HashMap<String, Vec<u64>>,
    /// Pending invite requests by number (`Ir` + number is the ID).
    pub requests: BTreeMap<u64, InviteRequest>,
    /// Decided requests, by the order of the decision.
    pub approved: BTreeMap<u64, ApprovedRequest>,
    pub denied: BTreeMap<u64, DeniedRequest>,
    /// Guest expirations to apply, by time.
    pub expirations: BTreeSet<(i64, UserId)>,
    /// Invitations to accept, by time.
    pub acceptances: BTreeSet<(i64, u64)>,
    /// `admin.users.session.reset`: when each user was last signed out, and of what.
    pub session_resets: BTreeMap<UserId, (i64, SessionKind)>,
    pub user_prefix: char,
    pub user_base: u64,
    pub next_user: u64,
    pub next_invitation: u64,
    pub next_request: u64,
    pub next_decision: u64,
}

/// Which sessions `admin.users.session.reset` ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionKind {
    All,
    Mobile,
    Web,
}

impl Tenant {
    pub fn new(
        enterprise: Option<Enterprise>,
        plan: Plan,
        user_prefix: char,
        user_base: u64,
    ) -> Self {
        Self {
            enterprise,
            plan,
            teams: Vec::new(),
            users: BTreeMap::new(),
            emails: HashMap::new(),
            channels: BTreeMap::new(),
            invitations: BTreeMap::new(),
            invitations_by_email: HashMap::new(),
            requests: BTreeMap::new(),
            approved: BTreeMap::new(),
            denied: BTreeMap::new(),
            expirations: BTreeSet::new(),
            acceptances: BTreeSet::new(),
            session_resets: BTreeMap::new(),
            user_prefix,
            user_base,
            next_user: 1,
            next_invitation: 1,
            next_request: 1,
            next_decision: 1,
        }
    }

    pub fn is_grid(&self) -> bool {
        self.enterprise.is_some()
    }

    /// `admin.inviteRequests.*` without `team_id` on an org of several workspaces: "team_id is
    /// required if your Enterprise org contains more than one workspace" (their method pages,
    /// which name no code for it; seed 003's `team_id_required_for_enterprise` is used).
    pub fn require_team_id(&self, team_id: Option<&str>) -> Result<(), Code> {
        match team_id.map(str::trim).filter(|t| !t.is_empty()) {
            None if self.teams.len() > 1 => Err("team_id_required_for_enterprise"),
            _ => Ok(()),
        }
    }

    pub fn team(&self, id: &TeamId) -> Option<&Team> {
        self.teams.iter().find(|t| &t.id == id)
    }

    /// Whether `id` names the org itself (an `E…` ID given as `team_id`).
    pub fn is_org_id(&self, id: &str) -> bool {
        self.enterprise
            .as_ref()
            .is_some_and(|e| e.id.as_str() == id)
    }

    pub fn user(&self, id: &UserId) -> Option<&User> {
        self.users.get(id)
    }

    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.emails
            .get(&email.to_lowercase())
            .and_then(|id| self.users.get(id))
    }

    /// The ID the next new user gets.
    pub fn next_user_id(&mut self) -> UserId {
        let n = self.next_user;
        self.next_user += 1;
        UserId(format!("{}{:08X}", self.user_prefix, self.user_base + n))
    }

    /// Adds a user (its ID must be new) and indexes its email.
    pub fn insert_user(&mut self, user: User) {
        if !user.email.is_empty() {
            self.emails
                .insert(user.email.to_lowercase(), user.id.clone());
        }
        if let (Some(ts), true) = (user.expiration_ts, user.active) {
            self.expirations.insert((ts, user.id.clone()));
        }
        self.users.insert(user.id.clone(), user);
    }

    /// Adds an invitation and indexes it.
    pub fn insert_invitation(&mut self, key: u64, invitation: Invitation) {
        if let Some(at) = invitation.accept_at {
            self.acceptances.insert((at, key));
        }
        self.invitations_by_email
            .entry(invitation.email.to_lowercase())
            .or_default()
            .push(key);
        self.invitations.insert(key, invitation);
    }

    /// The pending invitation of `email` to `team`, if any.
    pub fn pending_invitation(&self, email: &str, team: &TeamId) -> Option<u64> {
        self.invitations_by_email
            .get(&email.to_lowercase())?
            .iter()
            .copied()
            .find(|k| {
                let inv = &self.invitations[k];
                &inv.team_id == team && inv.state == InviteState::Pending
            })
    }

    pub fn new_invitation_key(&mut self) -> u64 {
        let k = self.next_invitation;
        self.next_invitation += 1;
        k
    }

    /// The channels of `team`, checked: every ID must be a live channel of that workspace.
    pub fn channels_of_team(&self, ids: &[ChannelId], team: &TeamId) -> Result<(), ChannelId> {
        for id in ids {
            match self.channels.get(id) {
                Some(c) if &c.team_id == team && !c.is_archived => {}
                _ => return Err(id.clone()),
            }
        }
        Ok(())
    }

    /// Counts a new member in each channel.
    pub fn join_channels(&mut self, ids: &[ChannelId]) {
        for id in ids {
            if let Some(c) = self.channels.get_mut(id) {
                c.num_members += 1;
            }
        }
    }

    /// Applies what time does: guests past their expiration are deactivated, invitations
    /// due are accepted.
    pub fn tick(&mut self, now: i64) {
        while let Some((ts, id)) = self.expirations.first().cloned() {
            if ts > now {
                break;
            }
            self.expirations.pop_first();
            if let Some(u) = self.users.get_mut(&id) {
                if u.active && u.expiration_ts == Some(ts) {
                    u.active = false;
                    u.deactivated_ts = Some(ts);
                }
            }
        }
        while let Some((at, key)) = self.acceptances.first().copied() {
            if at > now {
                break;
            }
            self.acceptances.pop_first();
            let _ = self.accept_invitation(key, at);
        }
    }

    /// Shifts every fixture time by `delta` seconds (done once, at the first request, so the
    /// fixture's dates are relative to the clock the sim runs under).
    pub fn shift_times(&mut self, delta: i64) {
        for t in &mut self.teams {
            t.created += delta;
        }
        self.expirations.clear();
        for u in self.users.values_mut() {
            u.date_created += delta;
            if let Some(ts) = u.deactivated_ts.as_mut() {
                *ts += delta;
            }
            if let Some(ts) = u.expiration_ts.as_mut() {
                *ts += delta;
                if u.active {
                    self.expirations.insert((*ts, u.id.clone()));
                }
            }
        }
        self.acceptances.clear();
        for (k, inv) in self.invitations.iter_mut() {
            inv.date_created += delta;
            if let Some(ts) = inv.date_resent.as_mut() {
                *ts += delta;
            }
            if let Some(ts) = inv.guest_expiration_ts.as_mut() {
                *ts += delta;
            }
            if let Some(ts) = inv.accept_at.as_mut() {
                *ts += delta;
                if inv.state == InviteState::Pending {
                    self.acceptances.insert((*ts, *k));
                }
            }
        }
        let shift = |r: &mut InviteRequest| {
            r.date_created += delta;
            r.date_expire += delta;
        };
        self.requests.values_mut().for_each(shift);
        for a in self.approved.values_mut() {
            shift(&mut a.invite_request);
            if let Some(inv) = a.invite.as_mut() {
                inv.date_created += delta;
            }
        }
        for d in self.denied.values_mut() {
            shift(&mut d.invite_request);
        }
    }
}

/// Everything the sim knows.
#[derive(Clone, Debug)]
pub struct State {
    pub tenants: Vec<Tenant>,
    pub seed: u64,
    /// Tokens revoked with `POST /sim/revoke`: Slack answers `token_revoked` to them.
    pub revoked: BTreeSet<String>,
}

impl State {
    /// The tenant holding `team` (a workspace ID or the org's ID).
    pub fn tenant_of_team(&self, team: &str) -> Option<usize> {
        self.tenants
            .iter()
            .position(|t| t.is_org_id(team) || t.teams.iter().any(|w| w.id.as_str() == team))
    }

    pub fn tick(&mut self, now: i64) {
        for t in &mut self.tenants {
            t.tick(now);
        }
    }
}

/// `Ir` + number: the ID of an invite request.
pub fn request_id(n: u64) -> String {
    format!("Ir{n:07}")
}

/// The number of an invite request ID, if it is one of ours.
pub fn request_number(id: &str) -> Option<u64> {
    id.strip_prefix("Ir")?.parse().ok()
}

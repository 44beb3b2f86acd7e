//! The Web API methods: decode the arguments with core's request types, act on the state,
//! answer with core's response types.

use crate::auth::{TokenDef, TokenKind};
use crate::cursor;
use crate::state::{Code, Role, SessionKind, State, Tenant, User};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use slack_admin_core::method::{Method, MethodInfo, Requirement};
use slack_admin_core::methods::admin_invite_requests::*;
use slack_admin_core::methods::admin_teams::*;
use slack_admin_core::methods::admin_users::*;
use slack_admin_core::methods::auth::*;
use slack_admin_core::methods::conversations::*;
use slack_admin_core::methods::team::*;
use slack_admin_core::methods::users::*;
use slack_admin_core::methods::Ack;
use slack_admin_core::pagination::ResponseMetadata;
use slack_admin_core::{Form, HttpResponse, TeamId, UserId};
use std::collections::BTreeMap;
use std::ops::Bound;

/// Why a call was refused: HTTP 200, `{"ok": false, "error": code, ...extra}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub code: String,
    pub extra: Map<String, Value>,
}

impl Refusal {
    pub fn new(code: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            extra: Map::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    pub fn response(&self) -> HttpResponse {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            ok: bool,
            error: &'a str,
            #[serde(flatten)]
            extra: &'a Map<String, Value>,
        }
        HttpResponse::json(
            200,
            &Body {
                ok: false,
                error: &self.code,
                extra: &self.extra,
            },
        )
    }
}

impl From<Code> for Refusal {
    fn from(code: Code) -> Self {
        Refusal::new(code)
    }
}

type Answer = Result<HttpResponse, Refusal>;

/// Everything a method handler gets.
pub struct Call<'a> {
    pub token: &'static TokenDef,
    pub form: &'a Form,
    pub now: i64,
    pub seed: u64,
}

impl Call<'_> {
    fn caller(&self) -> UserId {
        UserId::new(self.token.user)
    }

    fn args<T: DeserializeOwned>(&self) -> Result<T, Refusal> {
        self.form.to_struct::<T>().map_err(|e| {
            Refusal::new("invalid_arguments").with(
                "response_metadata",
                json!({ "messages": [format!("[ERROR] {e}")] }),
            )
        })
    }
}

/// Whether the token may call the method at all: token type, plan, scopes.
pub fn check_access(info: &MethodInfo, token: &TokenDef, state: &State) -> Result<(), Refusal> {
    let tenant = &state.tenants[token.tenant];
    match info.requires {
        Requirement::AnyToken => {}
        Requirement::UserToken | Requirement::LegacyToken => {
            if token.kind == TokenKind::Bot {
                return Err(Refusal::new("not_allowed_token_type"));
            }
        }
        Requirement::GridOrgAdmin => {
            if token.kind == TokenKind::Bot {
                return Err(Refusal::new("not_allowed_token_type"));
            }
            if !tenant.is_grid() {
                return Err(Refusal::new("feature_not_enabled"));
            }
        }
    }
    if !token.has_scope(info.scopes) {
        return Err(Refusal::new("missing_scope")
            .with("needed", info.scopes.join(","))
            .with("provided", token.scope_list()));
    }
    Ok(())
}

/// Runs a method (access already checked).
pub fn dispatch(name: &str, state: &mut State, call: &Call) -> Answer {
    let tenant = &mut state.tenants[call.token.tenant];
    match name {
        <AuthTest as Method>::NAME => auth_test(tenant, call),
        <TeamInfo as Method>::NAME => team_info(tenant, call),
        <AdminTeamsList as Method>::NAME => admin_teams_list(tenant, call),
        <ConversationsList as Method>::NAME => conversations_list(tenant, call),
        <UsersList as Method>::NAME => users_list(tenant, call),
        <UsersAdminInvite as Method>::NAME => users_admin_invite(tenant, call),
        <AdminUsersInvite as Method>::NAME => {
            let req: AdminUsersInvite = call.args()?;
            tenant.admin_invite(&call.caller(), &req, call.now, call.seed)?;
            ok()
        }
        <AdminUsersList as Method>::NAME => admin_users_list(tenant, call),
        <AdminUsersRemove as Method>::NAME => {
            let req: AdminUsersRemove = call.args()?;
            tenant.remove_user(&call.caller(), req.team_id.as_str(), &req.user_id)?;
            ok()
        }
        <AdminUsersAssign as Method>::NAME => {
            let req: AdminUsersAssign = call.args()?;
            let guest = match (req.is_restricted, req.is_ultra_restricted) {
                (_, Some(true)) => Some(Role::SingleChannelGuest),
                (Some(true), _) => Some(Role::Guest),
                _ => None,
            };
            let channels = req.channel_ids.unwrap_or_default();
            tenant.assign_user(
                &call.caller(),
                req.team_id.as_str(),
                &req.user_id,
                &channels,
                guest,
            )?;
            ok()
        }
        <AdminUsersSetAdmin as Method>::NAME => {
            let req: AdminUsersSetAdmin = call.args()?;
            tenant.set_admin(&call.caller(), req.team_id.as_str(), &req.user_id)?;
            ok()
        }
        <AdminUsersSetOwner as Method>::NAME => {
            let req: AdminUsersSetOwner = call.args()?;
            tenant.set_owner(&call.caller(), req.team_id.as_str(), &req.user_id)?;
            ok()
        }
        <AdminUsersSetRegular as Method>::NAME => {
            let req: AdminUsersSetRegular = call.args()?;
            tenant.set_regular(&call.caller(), req.team_id.as_str(), &req.user_id)?;
            ok()
        }
        <AdminUsersSetExpiration as Method>::NAME => {
            let req: AdminUsersSetExpiration = call.args()?;
            tenant.set_expiration(
                &call.caller(),
                req.team_id.as_ref().map(TeamId::as_str),
                &req.user_id,
                req.expiration_ts,
                call.now,
            )?;
            ok()
        }
        <AdminUsersGetExpiration as Method>::NAME => {
            let req: AdminUsersGetExpiration = call.args()?;
            let user = tenant.get_expiration(
                &call.caller(),
                req.target_team.as_ref().map(TeamId::as_str),
                req.user_id.as_ref(),
            )?;
            Ok(HttpResponse::json(
                200,
                &AdminUsersGetExpirationResponse {
                    ok: true,
                    user: GuestExpiration {
                        id: user.id.clone(),
                        email: user.email.clone(),
                        is_restricted: user.role == Role::Guest,
                        is_ultra_restricted: user.role == Role::SingleChannelGuest,
                        expiration_ts: user.expiration_ts.unwrap_or(0),
                    },
                },
            ))
        }
        <AdminTeamsAdminsList as Method>::NAME => {
            let req: AdminTeamsAdminsList = call.args()?;
            let (admin_ids, next) = role_holders(
                tenant,
                call,
                &req.team_id,
                req.cursor.as_deref(),
                req.limit,
                Role::is_admin,
            )?;
            Ok(HttpResponse::json(
                200,
                &AdminTeamsAdminsListResponse {
                    ok: true,
                    admin_ids,
                    response_metadata: next,
                },
            ))
        }
        <AdminTeamsOwnersList as Method>::NAME => {
            let req: AdminTeamsOwnersList = call.args()?;
            let (owner_ids, next) = role_holders(
                tenant,
                call,
                &req.team_id,
                req.cursor.as_deref(),
                req.limit,
                Role::is_owner,
            )?;
            Ok(HttpResponse::json(
                200,
                &AdminTeamsOwnersListResponse {
                    ok: true,
                    owner_ids,
                    response_metadata: next,
                },
            ))
        }
        <UsersInfo as Method>::NAME => {
            let req: UsersInfo = call.args()?;
            let user = tenant
                .user(&req.user)
                .ok_or(Refusal::new("user_not_found"))?;
            one_user(user, call)
        }
        <UsersLookupByEmail as Method>::NAME => {
            let req: UsersLookupByEmail = call.args()?;
            let user = tenant
                .user_by_email(req.email.trim())
                .ok_or(Refusal::new("users_not_found"))?;
            one_user(user, call)
        }
        <AdminUsersSessionReset as Method>::NAME => {
            let req: AdminUsersSessionReset = call.args()?;
            tenant.require_admin(&call.caller(), "not_an_admin")?;
            if tenant.user(&req.user_id).is_none() {
                return Err(Refusal::new("user_not_found"));
            }
            let kind = match (req.mobile_only, req.web_only) {
                (Some(true), Some(true)) => return Err(Refusal::new("invalid_arguments")),
                (Some(true), _) => SessionKind::Mobile,
                (_, Some(true)) => SessionKind::Web,
                _ => SessionKind::All,
            };
            tenant
                .session_resets
                .insert(req.user_id.clone(), (call.now, kind));
            ok()
        }
        <AdminInviteRequestsList as Method>::NAME => invite_requests_list(tenant, call),
        <AdminInviteRequestsApprovedList as Method>::NAME => approved_list(tenant, call),
        <AdminInviteRequestsDeniedList as Method>::NAME => denied_list(tenant, call),
        <AdminInviteRequestsApprove as Method>::NAME => {
            let req: AdminInviteRequestsApprove = call.args()?;
            let team = req.team_id.as_ref().map(TeamId::as_str);
            tenant.approve_request(
                &call.caller(),
                req.invite_request_id.as_str(),
                team,
                call.now,
                call.seed,
            )?;
            ok()
        }
        <AdminInviteRequestsDeny as Method>::NAME => {
            let req: AdminInviteRequestsDeny = call.args()?;
            let team = req.team_id.as_ref().map(TeamId::as_str);
            tenant.deny_request(&call.caller(), req.invite_request_id.as_str(), team)?;
            ok()
        }
        _ => Err(Refusal::new("unknown_method")),
    }
}

/// The admins or owners (`holds`) of one workspace, a page at a time.
fn role_holders(
    tenant: &Tenant,
    call: &Call,
    team_id: &TeamId,
    cursor_text: Option<&str>,
    limit_arg: Option<u32>,
    holds: fn(Role) -> bool,
) -> Result<(Vec<UserId>, Option<ResponseMetadata>), Refusal> {
    tenant.require_admin(&call.caller(), "not_an_admin")?;
    let team = tenant.workspace(team_id.as_str())?;
    let n = limit(
        limit_arg,
        Limit::Strict {
            default: 100,
            max: 1000,
        },
    )?;
    let after = resume(cursor_text, "user")?.map(UserId);
    let (items, next) = page(&tenant.users, after, n, |u: &User| {
        u.active && u.in_team(&team) && holds(u.role)
    });
    let ids = items.into_iter().map(|u| u.id.clone()).collect();
    Ok((ids, metadata("user", next.map(|u| u.0))))
}

/// `users.info` and `users.lookupByEmail`: a workspace token sees its workspace's members,
/// an org-wide one everyone; the address only with `users:read.email`.
fn one_user(user: &User, call: &Call) -> Answer {
    let own = TeamId::new(call.token.team);
    if !call.token.org_wide && !user.in_team(&own) {
        return Err(Refusal::new("user_not_visible"));
    }
    let mut m = member(user, None);
    if !call.token.has_scope(&["users:read.email"]) {
        m.profile.email = None;
    }
    Ok(HttpResponse::json(200, &UserResponse { ok: true, user: m }))
}

fn ok() -> Answer {
    Ok(HttpResponse::json(200, &Ack::ok()))
}

// ----- paging -----

/// How a method treats `limit`.
#[derive(Clone, Copy, Debug)]
enum Limit {
    /// Out of range is clamped (users.list, conversations.list, admin.users.list).
    Clamp { default: usize, max: usize },
    /// Out of range is `invalid_limit` (admin.teams.list, admin.inviteRequests.*).
    Strict { default: usize, max: usize },
}

fn limit(value: Option<u32>, rule: Limit) -> Result<usize, Refusal> {
    match (rule, value) {
        (Limit::Clamp { default, .. }, None | Some(0)) => Ok(default),
        (Limit::Clamp { max, .. }, Some(n)) => Ok((n as usize).min(max)),
        (Limit::Strict { default, .. }, None) => Ok(default),
        (Limit::Strict { max, .. }, Some(n)) if n >= 1 && n as usize <= max => Ok(n as usize),
        (Limit::Strict { .. }, Some(_)) => Err(Refusal::new("invalid_limit")),
    }
}

/// Where a walk resumes: after the key in the cursor, or from the start.
fn resume(cursor_text: Option<&str>, kind: &str) -> Result<Option<String>, Refusal> {
    match cursor_text.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => cursor::decode(c, kind)
            .map(Some)
            .ok_or_else(|| Refusal::new("invalid_cursor")),
    }
}

/// One page of `map` after `after`, keeping items that pass `keep`; the cursor of the next
/// page when another matching item follows.
fn page<K: Ord + Clone, V>(
    map: &BTreeMap<K, V>,
    after: Option<K>,
    limit: usize,
    keep: impl Fn(&V) -> bool,
) -> (Vec<&V>, Option<K>) {
    let start = match after {
        Some(k) => Bound::Excluded(k),
        None => Bound::Unbounded,
    };
    let mut items = Vec::with_capacity(limit.min(1024));
    let mut last: Option<&K> = None;
    for (k, v) in map.range((start, Bound::Unbounded)) {
        if !keep(v) {
            continue;
        }
        if items.len() == limit {
            return (items, last.cloned());
        }
        items.push(v);
        last = Some(k);
    }
    (items, None)
}

fn metadata(kind: &str, next: Option<String>) -> Option<ResponseMetadata> {
    Some(ResponseMetadata::with_cursor(
        next.map(|k| cursor::encode(kind, &k)),
    ))
}

fn numeric_key(cursor_text: Option<&str>, kind: &str) -> Result<Option<u64>, Refusal> {
    match resume(cursor_text, kind)? {
        None => Ok(None),
        Some(k) => k
            .parse()
            .map(Some)
            .map_err(|_| Refusal::new("invalid_cursor")),
    }
}

// ----- identity -----

fn auth_test(tenant: &Tenant, call: &Call) -> Answer {
    let _: AuthTest = call.args()?;
    let team = tenant
        .team(&TeamId::new(call.token.team))
        .expect("token teams exist");
    let user = tenant.user(&call.caller()).expect("token users exist");
    Ok(HttpResponse::json(
        200,
        &AuthTestResponse {
            ok: true,
            url: team.url(),
            team: team.name.clone(),
            user: user.username.clone(),
            team_id: team.id.clone(),
            user_id: user.id.clone(),
            enterprise_id: tenant.enterprise.as_ref().map(|e| e.id.clone()),
            is_enterprise_install: tenant.is_grid().then_some(call.token.org_wide),
            bot_id: user.bot_id.clone(),
        },
    ))
}

fn team_info(tenant: &Tenant, call: &Call) -> Answer {
    let req: TeamInfo = call.args()?;
    let id = req.team.unwrap_or_else(|| TeamId::new(call.token.team));
    let team = tenant.team(&id).ok_or("team_not_found")?;
    let icon = |size: u32| {
        Some(format!(
            "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-{size}.png"
        ))
    };
    Ok(HttpResponse::json(
        200,
        &TeamInfoResponse {
            ok: true,
            team: slack_admin_core::methods::team::Team {
                id: team.id.clone(),
                name: team.name.clone(),
                domain: team.domain.clone(),
                email_domain: Some(team.email_domain.clone()),
                icon: TeamIcon {
                    image_34: icon(34),
                    image_44: icon(44),
                    image_68: icon(68),
                    image_88: icon(88),
                    image_102: icon(102),
                    image_132: icon(132),
                    image_default: Some(true),
                },
                enterprise_id: tenant.enterprise.as_ref().map(|e| e.id.clone()),
                enterprise_name: tenant.enterprise.as_ref().map(|e| e.name.clone()),
            },
        },
    ))
}

fn admin_teams_list(tenant: &Tenant, call: &Call) -> Answer {
    let req: AdminTeamsList = call.args()?;
    // "The maximum number of items to return. Must be between 1 - 1000 both inclusive."
    let n = limit(
        req.limit,
        Limit::Strict {
            default: 100,
            max: 1000,
        },
    )?;
    let after = resume(req.cursor.as_deref(), "team")?;
    let map: BTreeMap<String, &crate::state::Team> =
        tenant.teams.iter().map(|t| (t.id.0.clone(), t)).collect();
    let (items, next) = page(&map, after, n, |_| true);
    let teams = items
        .into_iter()
        .map(|t| OrgTeam {
            id: t.id.clone(),
            name: t.name.clone(),
            discoverability: t.discoverability.into(),
            primary_owner: tenant.user(&t.primary_owner).map(|u| PrimaryOwner {
                user_id: u.id.clone(),
                email: u.email.clone(),
            }),
            team_url: t.url(),
        })
        .collect();
    Ok(HttpResponse::json(
        200,
        &AdminTeamsListResponse {
            ok: true,
            teams,
            response_metadata: metadata("team", next),
        },
    ))
}

// ----- channels and members -----

/// The workspace a non-admin list method reads: `team_id` if given (it must be one the token
/// reaches), else the token's own; `None` for an org-wide token without `team_id` (the whole
/// org).
fn list_team(
    tenant: &Tenant,
    call: &Call,
    team_id: Option<&TeamId>,
) -> Result<Option<TeamId>, Refusal> {
    match team_id.filter(|t| !t.as_str().is_empty()) {
        Some(t) => {
            let reachable =
                tenant.team(t).is_some() && (call.token.org_wide || t.as_str() == call.token.team);
            if reachable {
                Ok(Some(t.clone()))
            } else {
                Err(Refusal::new("team_access_not_granted"))
            }
        }
        // "team_id: required if org token is used"; their pages list `missing_argument`.
        None if call.token.org_wide => Err(Refusal::new("missing_argument").with(
            "response_metadata",
            json!({ "messages": ["[ERROR] missing required field: team_id"] }),
        )),
        None => Ok(Some(TeamId::new(call.token.team))),
    }
}

fn conversations_list(tenant: &Tenant, call: &Call) -> Answer {
    let req: ConversationsList = call.args()?;
    let n = limit(
        req.limit,
        Limit::Clamp {
            default: 100,
            max: 1000,
        },
    )?;
    let team = list_team(tenant, call, req.team_id.as_ref())?;
    let types = req.types.as_deref().unwrap_or("public_channel");
    let (mut public, mut private) = (false, false);
    for t in types.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        match t {
            "public_channel" => public = true,
            "private_channel" => private = true,
            "mpim" | "im" => {}
            _ => return Err(Refusal::new("invalid_types")),
        }
    }
    if private && !call.token.has_scope(&["groups:read"]) {
        private = false;
    }
    let exclude_archived = req.exclude_archived.unwrap_or(false);
    let after = resume(req.cursor.as_deref(), "channel")?;
    let after = after.map(slack_admin_core::ChannelId);
    let (items, next) = page(&tenant.channels, after, n, |c| {
        team.as_ref().is_none_or(|t| &c.team_id == t)
            && (if c.is_private { private } else { public })
            && !(exclude_archived && c.is_archived)
    });
    let channels = items
        .into_iter()
        .map(|c| Channel {
            id: c.id.clone(),
            name: c.name.clone(),
            is_channel: !c.is_private,
            is_private: c.is_private,
            is_archived: c.is_archived,
            is_general: c.is_general,
            num_members: c.num_members,
            context_team_id: Some(c.team_id.clone()),
        })
        .collect();
    Ok(HttpResponse::json(
        200,
        &ConversationsListResponse {
            ok: true,
            channels,
            response_metadata: metadata("channel", next.map(|c| c.0)),
        },
    ))
}

pub fn member(u: &User, team: Option<&TeamId>) -> Member {
    Member {
        id: u.id.clone(),
        team_id: team.cloned().or_else(|| u.workspaces.first().cloned()),
        name: u.username.clone(),
        real_name: u.real_name.clone(),
        deleted: !u.active,
        is_admin: u.role.is_admin(),
        is_owner: u.role.is_owner(),
        is_primary_owner: u.role == Role::PrimaryOwner,
        is_restricted: u.role.is_guest(),
        is_ultra_restricted: u.role == Role::SingleChannelGuest,
        is_bot: u.is_bot,
        profile: Profile {
            email: (!u.email.is_empty()).then(|| u.email.clone()),
            real_name: u.real_name.clone(),
            display_name: u.display_name.clone(),
            first_name: (!u.first_name.is_empty()).then(|| u.first_name.clone()),
            last_name: (!u.last_name.is_empty()).then(|| u.last_name.clone()),
            image_72: None,
        },
        // The sim's users have all signed up: pending invitations are not users here.
        is_invited_user: None,
    }
}

/// Past this many members, `users.list` without `limit` answers `limit_required`.
const UNPAGED_MAX: usize = 1000;

fn users_list(tenant: &Tenant, call: &Call) -> Answer {
    let req: UsersList = call.args()?;
    let team = list_team(tenant, call, req.team_id.as_ref())?;
    let keep = |u: &User| team.as_ref().is_none_or(|t| u.in_team(t));
    let n = match req.limit {
        None | Some(0) => {
            if tenant.users.values().filter(|u| keep(u)).count() > UNPAGED_MAX {
                return Err(Refusal::new("limit_required"));
            }
            usize::MAX
        }
        Some(n) => (n as usize).min(1000),
    };
    let after = resume(req.cursor.as_deref(), "user")?.map(UserId);
    let (items, next) = page(&tenant.users, after, n, keep);
    let members = items
        .into_iter()
        .map(|u| {
            let mut m = member(u, team.as_ref());
            // "email: requires users:read.email" (the user object's profile fields).
            if !call.token.has_scope(&["users:read.email"]) {
                m.profile.email = None;
            }
            m
        })
        .collect();
    Ok(HttpResponse::json(
        200,
        &UsersListResponse {
            ok: true,
            members,
            cache_ts: Some(call.now),
            response_metadata: metadata("user", next.map(|u| u.0)),
        },
    ))
}

fn users_admin_invite(tenant: &mut Tenant, call: &Call) -> Answer {
    let req: UsersAdminInvite = call.args()?;
    if call.token.kind != TokenKind::Legacy {
        return Err(Refusal::new("not_allowed_token_type"));
    }
    let team = TeamId::new(call.token.team);
    tenant.legacy_invite(&call.caller(), &team, &req, call.now, call.seed)?;
    ok()
}

// ----- admin.users.list -----

pub fn admin_user(u: &User, all_workspaces: bool) -> AdminUser {
    AdminUser {
        id: u.id.clone(),
        email: u.email.clone(),
        is_admin: u.role.is_admin(),
        is_owner: u.role.is_owner(),
        is_primary_owner: u.role == Role::PrimaryOwner,
        is_restricted: u.role == Role::Guest,
        is_ultra_restricted: u.role == Role::SingleChannelGuest,
        is_bot: u.is_bot,
        username: u.username.clone(),
        full_name: u.real_name.clone(),
        is_active: u.active,
        date_created: u.date_created,
        deactivated_ts: u.deactivated_ts,
        expiration_ts: u.expiration_ts,
        workspaces: if u.active || all_workspaces {
            u.workspaces.clone()
        } else {
            Vec::new()
        },
        has_2fa: u.has_2fa,
        has_sso: u.has_sso,
        roles: Vec::new(),
        is_invited_user: None,
        // Slack's admin.users.list does not document activity; the sim sends none.
        last_active_ts: None,
    }
}

fn admin_users_list(tenant: &Tenant, call: &Call) -> Answer {
    let req: AdminUsersList = call.args()?;
    tenant.require_admin(&call.caller(), "not_an_admin")?;
    let n = limit(
        req.limit,
        Limit::Clamp {
            default: 100,
            max: 1000,
        },
    )?;
    let team = match req.team_id.as_ref().filter(|t| !t.as_str().is_empty()) {
        None => None,
        Some(t) if tenant.is_org_id(t.as_str()) => None,
        Some(t) => Some(tenant.workspace(t.as_str())?),
    };
    let all_workspaces = req.include_deactivated_user_workspaces.unwrap_or(false);
    if all_workspaces && req.team_id.is_some() {
        return Err(Refusal::new("include_deactivated_user_workspaces_invalid"));
    }
    let admins = req.include_admins.unwrap_or(false);
    let owners = req.include_owners.unwrap_or(false);
    let guests = req.only_guests.unwrap_or(false);
    if guests && (admins || owners) {
        return Err(Refusal::new("invalid_arguments").with(
            "response_metadata",
            json!({ "messages": ["[ERROR] only_guests cannot be used together with include_admins or include_owners"] }),
        ));
    }
    let active = req.is_active.unwrap_or(true);
    let after = resume(req.cursor.as_deref(), "user")?.map(UserId);
    let (items, next) = page(&tenant.users, after, n, |u| {
        u.active == active
            && team.as_ref().is_none_or(|t| u.in_team(t))
            && match (admins, owners, guests) {
                (_, _, true) => u.role.is_guest(),
                (true, true, _) => u.role.is_admin(),
                (true, false, _) => u.role == Role::Admin,
                (false, true, _) => u.role.is_owner(),
                (false, false, _) => true,
            }
    });
    let users = items
        .into_iter()
        .map(|u| admin_user(u, all_workspaces))
        .collect();
    Ok(HttpResponse::json(
        200,
        &AdminUsersListResponse {
            ok: true,
            users,
            response_metadata: metadata("user", next.map(|u| u.0)),
        },
    ))
}

// ----- invite requests -----

struct ListArgs {
    team: Option<TeamId>,
    after: Option<u64>,
    limit: usize,
}

fn list_args(
    tenant: &Tenant,
    call: &Call,
    kind: &str,
    cursor_text: Option<&str>,
    lim: Option<u32>,
    team: Option<&TeamId>,
) -> Result<ListArgs, Refusal> {
    tenant.require_admin(&call.caller(), "not_an_admin")?;
    tenant.require_team_id(team.map(TeamId::as_str))?;
    let team = match team.filter(|t| !t.as_str().is_empty()) {
        None => None,
        Some(t) => Some(tenant.workspace(t.as_str())?),
    };
    Ok(ListArgs {
        team,
        after: numeric_key(cursor_text, kind)?,
        limit: limit(
            lim,
            Limit::Strict {
                default: 100,
                max: 1000,
            },
        )?,
    })
}

fn in_team(r: &InviteRequest, team: &Option<TeamId>) -> bool {
    match (team, &r.team) {
        (Some(t), Some(rt)) => &rt.id == t,
        _ => true,
    }
}

fn invite_requests_list(tenant: &Tenant, call: &Call) -> Answer {
    let req: AdminInviteRequestsList = call.args()?;
    let a = list_args(
        tenant,
        call,
        "request",
        req.cursor.as_deref(),
        req.limit,
        req.team_id.as_ref(),
    )?;
    let (items, next) = page(&tenant.requests, a.after, a.limit, |r| in_team(r, &a.team));
    Ok(HttpResponse::json(
        200,
        &AdminInviteRequestsListResponse {
            ok: true,
            invite_requests: items.into_iter().cloned().collect(),
            response_metadata: metadata("request", next.map(|k| k.to_string())),
        },
    ))
}

fn approved_list(tenant: &Tenant, call: &Call) -> Answer {
    let req: AdminInviteRequestsApprovedList = call.args()?;
    let a = list_args(
        tenant,
        call,
        "approved",
        req.cursor.as_deref(),
        req.limit,
        req.team_id.as_ref(),
    )?;
    let (items, next) = page(&tenant.approved, a.after, a.limit, |r| {
        in_team(&r.invite_request, &a.team)
    });
    Ok(HttpResponse::json(
        200,
        &AdminInviteRequestsApprovedListResponse {
            ok: true,
            approved_requests: items.into_iter().cloned().collect(),
            response_metadata: metadata("approved", next.map(|k| k.to_string())),
        },
    ))
}

fn denied_list(tenant: &Tenant, call: &Call) -> Answer {
    let req: AdminInviteRequestsDeniedList = call.args()?;
    let a = list_args(
        tenant,
        call,
        "denied",
        req.cursor.as_deref(),
        req.limit,
        req.team_id.as_ref(),
    )?;
    let (items, next) = page(&tenant.denied, a.after, a.limit, |r| {
        in_team(&r.invite_request, &a.team)
    });
    Ok(HttpResponse::json(
        200,
        &AdminInviteRequestsDeniedListResponse {
            ok: true,
            denied_requests: items.into_iter().cloned().collect(),
            response_metadata: metadata("denied", next.map(|k| k.to_string())),
        },
    ))
}

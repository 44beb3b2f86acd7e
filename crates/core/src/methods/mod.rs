//! One request struct and one response struct per Web API method the console uses.
//!
//! Field names and types are Slack's. Optional arguments are `Option` and left out of the form
//! when `None`; booleans go through [`crate::wire::flag`], ID lists through
//! [`crate::wire::comma`].

pub mod admin_invite_requests;
pub mod admin_teams;
pub mod admin_users;
pub mod auth;
pub mod conversations;
pub mod team;
pub mod users;

use crate::method::MethodInfo;

/// Every Web API method the console uses, for code that works by name.
pub fn all() -> &'static [MethodInfo] {
    use admin_invite_requests::*;
    use admin_users::*;
    const ALL: &[MethodInfo] = &[
        MethodInfo::of::<auth::AuthTest>(),
        MethodInfo::of::<team::TeamInfo>(),
        MethodInfo::of::<admin_teams::AdminTeamsList>(),
        MethodInfo::of::<admin_teams::AdminTeamsAdminsList>(),
        MethodInfo::of::<admin_teams::AdminTeamsOwnersList>(),
        MethodInfo::of::<conversations::ConversationsList>(),
        MethodInfo::of::<users::UsersList>(),
        MethodInfo::of::<users::UsersInfo>(),
        MethodInfo::of::<users::UsersLookupByEmail>(),
        MethodInfo::of::<users::UsersAdminInvite>(),
        MethodInfo::of::<AdminUsersInvite>(),
        MethodInfo::of::<AdminUsersList>(),
        MethodInfo::of::<AdminUsersRemove>(),
        MethodInfo::of::<AdminUsersAssign>(),
        MethodInfo::of::<AdminUsersSetAdmin>(),
        MethodInfo::of::<AdminUsersSetOwner>(),
        MethodInfo::of::<AdminUsersSetRegular>(),
        MethodInfo::of::<AdminUsersSetExpiration>(),
        MethodInfo::of::<AdminUsersGetExpiration>(),
        MethodInfo::of::<AdminUsersSessionReset>(),
        MethodInfo::of::<AdminInviteRequestsList>(),
        MethodInfo::of::<AdminInviteRequestsApprove>(),
        MethodInfo::of::<AdminInviteRequestsDeny>(),
        MethodInfo::of::<AdminInviteRequestsApprovedList>(),
        MethodInfo::of::<AdminInviteRequestsDeniedList>(),
    ];
    ALL
}

/// The facts of a method by name.
pub fn info(name: &str) -> Option<MethodInfo> {
    all().iter().copied().find(|m| m.name == name)
}

/// `{"ok": true}` and nothing else worth reading: the answer of invites, role changes,
/// removals, approvals.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ack {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

impl Ack {
    pub fn ok() -> Self {
        Self {
            ok: true,
            warning: None,
        }
    }
}

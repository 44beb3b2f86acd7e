//! `admin.users.*`: Enterprise Grid user administration (seed 003).

use super::Ack;
use crate::ids::{ChannelId, TeamId, UserId};
use crate::method::{Method, Requirement, Tier};
use crate::pagination::{Paginated, ResponseMetadata};
use crate::wire::{comma, flag};
use serde::{Deserialize, Serialize};

const WRITE: &[&str] = &["admin.users:write"];
const READ: &[&str] = &["admin.users:read"];

/// `admin.users.invite`: invite a user to a workspace of the org.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersInvite {
    /// At least one channel is required.
    #[serde(with = "comma", default, skip_serializing_if = "Option::is_none")]
    pub channel_ids: Option<Vec<ChannelId>>,
    pub email: String,
    pub team_id: TeamId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub email_password_policy_enabled: Option<bool>,
    /// Seconds since the epoch, as Slack's `0123456789.012345` text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_expiration_ts: Option<String>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub is_restricted: Option<bool>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub is_ultra_restricted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real_name: Option<String>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub resend: Option<bool>,
}

impl Method for AdminUsersInvite {
    const NAME: &'static str = "admin.users.invite";
    const TIER: Tier = Tier::Two;
    const SCOPES: &'static [&'static str] = WRITE;
    const REQUIRES: Requirement = Requirement::GridOrgAdmin;
    type Response = Ack;
}

/// `admin.users.list`: users of the org or of one workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersList {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub include_admins: Option<bool>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub include_deactivated_user_workspaces: Option<bool>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub include_owners: Option<bool>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub only_guests: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<TeamId>,
}

/// One user as `admin.users.list` reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: UserId,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub email: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_admin: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_owner: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_primary_owner: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_restricted: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_ultra_restricted: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_bot: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub username: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub full_name: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_active: bool,
    #[serde(default, deserialize_with = "crate::wire::lenient_ts")]
    pub date_created: i64,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::wire::lenient_opt_ts"
    )]
    pub deactivated_ts: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::wire::lenient_opt_ts"
    )]
    pub expiration_ts: Option<i64>,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub workspaces: Vec<TeamId>,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub has_2fa: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub has_sso: bool,
    /// Role IDs, where Slack sends them (the SDKs' response types list `roles`).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::wire::null_as_default"
    )]
    pub roles: Vec<String>,
    /// Invited, not signed up yet, where Slack says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_invited_user: Option<bool>,
    /// Last activity, where Slack sends it (not on every plan or version of the method).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::wire::lenient_opt_ts"
    )]
    pub last_active_ts: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersListResponse {
    pub ok: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub users: Vec<AdminUser>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_metadata: Option<ResponseMetadata>,
}

impl Method for AdminUsersList {
    const NAME: &'static str = "admin.users.list";
    const TIER: Tier = Tier::Four;
    const SCOPES: &'static [&'static str] = READ;
    const REQUIRES: Requirement = Requirement::GridOrgAdmin;
    type Response = AdminUsersListResponse;
}

impl Paginated for AdminUsersList {
    type Item = AdminUser;

    fn at_cursor(&self, cursor: Option<String>) -> Self {
        Self {
            cursor,
            ..self.clone()
        }
    }

    fn next_cursor(response: &Self::Response) -> Option<String> {
        crate::pagination::next_cursor(response.response_metadata.as_ref()).map(str::to_owned)
    }

    fn into_items(response: Self::Response) -> Vec<AdminUser> {
        response.users
    }
}

/// `admin.users.remove`: remove a user from a workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersRemove {
    pub team_id: TeamId,
    pub user_id: UserId,
}

impl Method for AdminUsersRemove {
    const NAME: &'static str = "admin.users.remove";
    const TIER: Tier = Tier::Two;
    const SCOPES: &'static [&'static str] = WRITE;
    const REQUIRES: Requirement = Requirement::GridOrgAdmin;
    type Response = Ack;
}

/// `admin.users.assign`: add an org user to a workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersAssign {
    pub team_id: TeamId,
    pub user_id: UserId,
    #[serde(with = "comma", default, skip_serializing_if = "Option::is_none")]
    pub channel_ids: Option<Vec<ChannelId>>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub is_restricted: Option<bool>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub is_ultra_restricted: Option<bool>,
}

impl Method for AdminUsersAssign {
    const NAME: &'static str = "admin.users.assign";
    const TIER: Tier = Tier::Two;
    const SCOPES: &'static [&'static str] = WRITE;
    const REQUIRES: Requirement = Requirement::GridOrgAdmin;
    type Response = Ack;
}

macro_rules! role_change {
    ($(#[$doc:meta])* $name:ident, $method:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            /// The workspace, or the org's ID for an org-wide change.
            pub team_id: TeamId,
            pub user_id: UserId,
        }

        impl Method for $name {
            const NAME: &'static str = $method;
            const TIER: Tier = Tier::Two;
            const SCOPES: &'static [&'static str] = WRITE;
            const REQUIRES: Requirement = Requirement::GridOrgAdmin;
            type Response = Ack;
        }
    };
}

role_change!(
    /// `admin.users.setAdmin`: make a regular user or owner an admin.
    AdminUsersSetAdmin, "admin.users.setAdmin"
);
role_change!(
    /// `admin.users.setOwner`: make a regular user or admin an owner.
    AdminUsersSetOwner, "admin.users.setOwner"
);
role_change!(
    /// `admin.users.setRegular`: make a guest, admin or owner a regular user.
    AdminUsersSetRegular, "admin.users.setRegular"
);

/// `admin.users.setExpiration`: when a guest account is disabled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersSetExpiration {
    /// Seconds since the epoch.
    pub expiration_ts: i64,
    pub user_id: UserId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<TeamId>,
}

impl Method for AdminUsersSetExpiration {
    const NAME: &'static str = "admin.users.setExpiration";
    const TIER: Tier = Tier::Two;
    const SCOPES: &'static [&'static str] = WRITE;
    const REQUIRES: Requirement = Requirement::GridOrgAdmin;
    type Response = Ack;
}

/// `admin.users.getExpiration`: a guest's expiration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersGetExpiration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_team: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestExpiration {
    pub id: UserId,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub email: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_restricted: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_ultra_restricted: bool,
    /// `0` or absent: no expiration.
    #[serde(default, deserialize_with = "crate::wire::lenient_ts")]
    pub expiration_ts: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersGetExpirationResponse {
    pub ok: bool,
    pub user: GuestExpiration,
}

impl Method for AdminUsersGetExpiration {
    const NAME: &'static str = "admin.users.getExpiration";
    const TIER: Tier = Tier::Four;
    const SCOPES: &'static [&'static str] = READ;
    const REQUIRES: Requirement = Requirement::GridOrgAdmin;
    type Response = AdminUsersGetExpirationResponse;
}

/// `admin.users.session.reset`: signs a user out of every session (or only mobile, or only
/// web).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersSessionReset {
    pub user_id: UserId,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub mobile_only: Option<bool>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub web_only: Option<bool>,
}

impl Method for AdminUsersSessionReset {
    const NAME: &'static str = "admin.users.session.reset";
    const TIER: Tier = Tier::Two;
    const SCOPES: &'static [&'static str] = WRITE;
    const REQUIRES: Requirement = Requirement::GridOrgAdmin;
    type Response = Ack;
}

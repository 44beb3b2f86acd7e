//! `users.list` and the undocumented, legacy-token-only `users.admin.invite` (seed 000).

use super::Ack;
use crate::ids::{ChannelId, TeamId, UserId};
use crate::method::{Method, Requirement, Tier};
use crate::pagination::{Paginated, ResponseMetadata};
use crate::wire::{comma, flag};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersList {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub include_locale: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<TeamId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub real_name: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_72: Option<String>,
}

/// A member as `users.list` reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: UserId,
    #[serde(default)]
    pub team_id: Option<TeamId>,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub real_name: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub deleted: bool,
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
    pub profile: Profile,
    /// Invited, not signed up yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_invited_user: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersListResponse {
    pub ok: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub members: Vec<Member>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_ts: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_metadata: Option<ResponseMetadata>,
}

impl Method for UsersList {
    const NAME: &'static str = "users.list";
    const TIER: Tier = Tier::Two;
    const SCOPES: &'static [&'static str] = &["users:read"];
    const REQUIRES: Requirement = Requirement::AnyToken;
    type Response = UsersListResponse;
}

impl Paginated for UsersList {
    type Item = Member;

    fn at_cursor(&self, cursor: Option<String>) -> Self {
        Self {
            cursor,
            ..self.clone()
        }
    }

    fn next_cursor(response: &Self::Response) -> Option<String> {
        crate::pagination::next_cursor(response.response_metadata.as_ref()).map(str::to_owned)
    }

    fn into_items(response: Self::Response) -> Vec<Member> {
        response.members
    }
}

/// `users.admin.invite`: the undocumented invite of legacy tokens (scope `client`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersAdminInvite {
    pub email: String,
    /// IDs, not names.
    #[serde(with = "comma", default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<ChannelId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub resend: Option<bool>,
    /// A multi-channel guest.
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub restricted: Option<bool>,
    /// A single-channel guest.
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub ultra_restricted: Option<bool>,
    /// Not in seed 000, but sent by Slack's own invite dialog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
}

impl Method for UsersAdminInvite {
    const NAME: &'static str = "users.admin.invite";
    const TIER: Tier = Tier::Two;
    const SCOPES: &'static [&'static str] = &["client"];
    const REQUIRES: Requirement = Requirement::LegacyToken;
    type Response = Ack;
}

/// `users.info`: one member, as `users.list` describes them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersInfo {
    pub user: UserId,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub include_locale: Option<bool>,
}

/// The answer of `users.info` and `users.lookupByEmail`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserResponse {
    pub ok: bool,
    pub user: Member,
}

impl Method for UsersInfo {
    const NAME: &'static str = "users.info";
    const TIER: Tier = Tier::Four;
    const SCOPES: &'static [&'static str] = &["users:read"];
    const REQUIRES: Requirement = Requirement::AnyToken;
    type Response = UserResponse;
}

/// `users.lookupByEmail`: the member with this address (needs `users:read.email`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersLookupByEmail {
    pub email: String,
}

impl Method for UsersLookupByEmail {
    const NAME: &'static str = "users.lookupByEmail";
    const TIER: Tier = Tier::Three;
    const SCOPES: &'static [&'static str] = &["users:read.email"];
    const REQUIRES: Requirement = Requirement::AnyToken;
    type Response = UserResponse;
}

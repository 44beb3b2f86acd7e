//! `admin.inviteRequests.*`: the invite-request inbox of a Grid workspace (seed 002).

use super::Ack;
use crate::ids::{ChannelId, InviteRequestId, TeamId, UserId};
use crate::method::{Method, Requirement, Tier};
use crate::pagination::{Paginated, ResponseMetadata};
use serde::{Deserialize, Serialize};

const READ: &[&str] = &["admin.invites:read"];
const WRITE: &[&str] = &["admin.invites:write"];

/// `full_member`, `restricted` (multi-channel guest) or `ultra_restricted` (single-channel).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteType {
    #[default]
    FullMember,
    Restricted,
    UltraRestricted,
}

impl InviteType {
    pub fn label(self) -> &'static str {
        match self {
            InviteType::FullMember => "Full member",
            InviteType::Restricted => "Multi-channel guest",
            InviteType::UltraRestricted => "Single-channel guest",
        }
    }
}

/// The workspace a request is for, as events carry it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestTeam {
    pub id: TeamId,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub domain: String,
}

/// An invite request, as lists and the `invite_requested` event carry it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRequest {
    pub id: InviteRequestId,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub email: String,
    #[serde(default, deserialize_with = "crate::wire::lenient_ts")]
    pub date_created: i64,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub requester_ids: Vec<UserId>,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub channel_ids: Vec<ChannelId>,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub invite_type: InviteType,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub real_name: String,
    #[serde(default, deserialize_with = "crate::wire::lenient_ts")]
    pub date_expire: i64,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub request_reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<RequestTeam>,
}

macro_rules! list_method {
    ($(#[$doc:meta])* $name:ident, $response:ident, $method:literal, $field:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cursor: Option<String>,
            /// 1 to 1000; Slack's default is 100.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub limit: Option<u32>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub team_id: Option<TeamId>,
        }

        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $response {
            pub ok: bool,
            #[serde(default)]
            pub $field: Vec<$item>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub response_metadata: Option<ResponseMetadata>,
        }

        impl Method for $name {
            const NAME: &'static str = $method;
            const TIER: Tier = Tier::Two;
            const SCOPES: &'static [&'static str] = READ;
            const REQUIRES: Requirement = Requirement::GridOrgAdmin;
            type Response = $response;
        }

        impl Paginated for $name {
            type Item = $item;

            fn at_cursor(&self, cursor: Option<String>) -> Self {
                Self {
                    cursor,
                    ..self.clone()
                }
            }

            fn next_cursor(response: &Self::Response) -> Option<String> {
                crate::pagination::next_cursor(response.response_metadata.as_ref())
                    .map(str::to_owned)
            }

            fn into_items(response: Self::Response) -> Vec<$item> {
                response.$field
            }
        }
    };
}

list_method!(
    /// `admin.inviteRequests.list`: pending requests.
    AdminInviteRequestsList, AdminInviteRequestsListResponse,
    "admin.inviteRequests.list", invite_requests, InviteRequest
);
list_method!(
    /// `admin.inviteRequests.approved.list`: requests an admin approved.
    AdminInviteRequestsApprovedList, AdminInviteRequestsApprovedListResponse,
    "admin.inviteRequests.approved.list", approved_requests, ApprovedRequest
);
list_method!(
    /// `admin.inviteRequests.denied.list`: requests an admin denied.
    AdminInviteRequestsDeniedList, AdminInviteRequestsDeniedListResponse,
    "admin.inviteRequests.denied.list", denied_requests, DeniedRequest
);

/// Who approved or denied a request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub actor_id: UserId,
    /// `user` or `app`.
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub actor_type: String,
}

/// The invitation an approval created, in Slack's shape: its type and channels are under
/// `invite_preferences`, not beside the other fields as on an [`InviteRequest`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub id: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub email: String,
    #[serde(default, deserialize_with = "crate::wire::lenient_ts")]
    pub date_created: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inviter_id: Option<UserId>,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub invite_preferences: InvitePreferences,
    /// The invitation email bounced.
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_bouncing: bool,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::wire::lenient_opt_ts"
    )]
    pub date_resent: Option<i64>,
}

impl Invite {
    /// Full member, or which kind of guest, from the preferences' flags.
    pub fn invite_type(&self) -> InviteType {
        self.invite_preferences.invite_type()
    }

    /// The channels the invitation adds the person to.
    pub fn channel_ids(&self) -> &[ChannelId] {
        &self.invite_preferences.channel_ids
    }
}

/// An invitation's channels and kind, as flags (`is_restricted`: multi-channel guest,
/// `is_ultra_restricted`: single-channel guest, neither: full member).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvitePreferences {
    pub channel_ids: Vec<ChannelId>,
    /// The address's domain is one the workspace accepts sign-ups from.
    pub is_domain_matched: bool,
    pub is_restricted: bool,
    pub is_ultra_restricted: bool,
}

impl InvitePreferences {
    /// The preferences of an invitation of this kind to these channels.
    pub fn new(invite_type: InviteType, channel_ids: Vec<ChannelId>) -> Self {
        Self {
            channel_ids,
            is_domain_matched: false,
            is_restricted: invite_type == InviteType::Restricted,
            is_ultra_restricted: invite_type == InviteType::UltraRestricted,
        }
    }

    /// Single-channel wins if Slack ever set both flags: it is the narrower access.
    pub fn invite_type(&self) -> InviteType {
        if self.is_ultra_restricted {
            InviteType::UltraRestricted
        } else if self.is_restricted {
            InviteType::Restricted
        } else {
            InviteType::FullMember
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovedRequest {
    pub approved_by: Actor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite: Option<Invite>,
    pub invite_request: InviteRequest,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeniedRequest {
    pub denied_by: Actor,
    pub invite_request: InviteRequest,
}

macro_rules! decision_method {
    ($(#[$doc:meta])* $name:ident, $method:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            pub invite_request_id: InviteRequestId,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub team_id: Option<TeamId>,
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

decision_method!(
    /// `admin.inviteRequests.approve`: turn a request into an invitation.
    AdminInviteRequestsApprove, "admin.inviteRequests.approve"
);
decision_method!(
    /// `admin.inviteRequests.deny`: refuse a request.
    AdminInviteRequestsDeny, "admin.inviteRequests.deny"
);

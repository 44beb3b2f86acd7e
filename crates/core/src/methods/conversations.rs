//! `conversations.list`: channels, for choosing them by name.

use crate::ids::{ChannelId, TeamId};
use crate::method::{Method, Requirement, Tier};
use crate::pagination::{Paginated, ResponseMetadata};
use crate::wire::flag;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationsList {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(with = "flag", default, skip_serializing_if = "Option::is_none")]
    pub exclude_archived: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Required with an org-level token: which workspace's channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<TeamId>,
    /// `public_channel,private_channel,mpim,im`; default `public_channel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub types: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: ChannelId,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_channel: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_private: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_archived: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub is_general: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub num_members: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_team_id: Option<TeamId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationsListResponse {
    pub ok: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub channels: Vec<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_metadata: Option<ResponseMetadata>,
}

impl Method for ConversationsList {
    const NAME: &'static str = "conversations.list";
    const TIER: Tier = Tier::Two;
    const SCOPES: &'static [&'static str] = &["channels:read", "groups:read"];
    const REQUIRES: Requirement = Requirement::AnyToken;
    type Response = ConversationsListResponse;
}

impl Paginated for ConversationsList {
    type Item = Channel;

    fn at_cursor(&self, cursor: Option<String>) -> Self {
        Self {
            cursor,
            ..self.clone()
        }
    }

    fn next_cursor(response: &Self::Response) -> Option<String> {
        crate::pagination::next_cursor(response.response_metadata.as_ref()).map(str::to_owned)
    }

    fn into_items(response: Self::Response) -> Vec<Channel> {
        response.channels
    }
}

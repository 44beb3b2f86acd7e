//! `team.info`: the workspace's name and icon.

use crate::ids::{EnterpriseId, TeamId};
use crate::method::{Method, Requirement, Tier};
use serde::{Deserialize, Serialize};

/// `team.info`: with no `team`, the token's own workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamIcon {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_34: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_44: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_68: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_88: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_102: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_132: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_default: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub domain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_domain: Option<String>,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub icon: TeamIcon,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_id: Option<EnterpriseId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamInfoResponse {
    pub ok: bool,
    pub team: Team,
}

impl Method for TeamInfo {
    const NAME: &'static str = "team.info";
    const TIER: Tier = Tier::Three;
    const SCOPES: &'static [&'static str] = &["team:read"];
    const REQUIRES: Requirement = Requirement::AnyToken;
    type Response = TeamInfoResponse;
}

//! `auth.test`: who this token is.

use crate::ids::{EnterpriseId, TeamId, UserId};
use crate::method::{Method, Requirement, Tier};
use serde::{Deserialize, Serialize};

/// `auth.test`: no arguments.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthTest {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthTestResponse {
    pub ok: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub url: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub team: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub user: String,
    pub team_id: TeamId,
    pub user_id: UserId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_id: Option<EnterpriseId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_enterprise_install: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_id: Option<String>,
}

impl Method for AuthTest {
    const NAME: &'static str = "auth.test";
    // "Special rate limits: hundreds of requests per minute" (its method page).
    const TIER: Tier = Tier::Special;
    const SCOPES: &'static [&'static str] = &[];
    const REQUIRES: Requirement = Requirement::AnyToken;
    type Response = AuthTestResponse;
}

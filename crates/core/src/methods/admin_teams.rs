//! `admin.teams.list`: the workspaces of an Enterprise Grid org.

use crate::ids::{TeamId, UserId};
use crate::method::{Method, Requirement, Tier};
use crate::pagination::{Paginated, ResponseMetadata};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminTeamsList {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgTeam {
    pub id: TeamId,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub discoverability: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_owner: Option<PrimaryOwner>,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub team_url: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryOwner {
    pub user_id: UserId,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub email: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminTeamsListResponse {
    pub ok: bool,
    #[serde(default, deserialize_with = "crate::wire::null_as_default")]
    pub teams: Vec<OrgTeam>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_metadata: Option<ResponseMetadata>,
}

impl Method for AdminTeamsList {
    const NAME: &'static str = "admin.teams.list";
    // Tier 3 on its method page (docs.slack.dev/reference/methods/admin.teams.list).
    const TIER: Tier = Tier::Three;
    const SCOPES: &'static [&'static str] = &["admin.teams:read"];
    const REQUIRES: Requirement = Requirement::GridOrgAdmin;
    type Response = AdminTeamsListResponse;
}

impl Paginated for AdminTeamsList {
    type Item = OrgTeam;

    fn at_cursor(&self, cursor: Option<String>) -> Self {
        Self {
            cursor,
            ..self.clone()
        }
    }

    fn next_cursor(response: &Self::Response) -> Option<String> {
        crate::pagination::next_cursor(response.response_metadata.as_ref()).map(str::to_owned)
    }

    fn into_items(response: Self::Response) -> Vec<OrgTeam> {
        response.teams
    }
}

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

macro_rules! role_holders_list {
    ($(#[$doc:meta])* $name:ident, $response:ident, $method:literal, $field:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            pub team_id: TeamId,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cursor: Option<String>,
            /// 1 to 1000; Slack's default is 100.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub limit: Option<u32>,
        }

        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $response {
            pub ok: bool,
            #[serde(default, deserialize_with = "crate::wire::null_as_default")]
            pub $field: Vec<UserId>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub response_metadata: Option<ResponseMetadata>,
        }

        impl Method for $name {
            const NAME: &'static str = $method;
            // Tier 3 on its method page.
            const TIER: Tier = Tier::Three;
            const SCOPES: &'static [&'static str] = &["admin.teams:read"];
            const REQUIRES: Requirement = Requirement::GridOrgAdmin;
            type Response = $response;
        }

        impl Paginated for $name {
            type Item = UserId;

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

            fn into_items(response: Self::Response) -> Vec<UserId> {
                response.$field
            }
        }
    };
}

role_holders_list!(
    /// `admin.teams.admins.list`: who is an admin of one workspace.
    AdminTeamsAdminsList,
    AdminTeamsAdminsListResponse,
    "admin.teams.admins.list",
    admin_ids
);
role_holders_list!(
    /// `admin.teams.owners.list`: who is an owner of one workspace.
    AdminTeamsOwnersList,
    AdminTeamsOwnersListResponse,
    "admin.teams.owners.list",
    owner_ids
);

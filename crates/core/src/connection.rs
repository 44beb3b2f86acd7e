//! Who a token is and what the console can do with it: the pure part of "connect".
//!
//! The app calls `auth.test`, `team.info` and (on a Grid org) `admin.teams.list`, reads the
//! token's scopes from the `x-oauth-scopes` header when the answer exposes it, and hands all
//! of it to [`Identity`]; [`Identity::capabilities`] then says, feature by feature, whether it
//! works and why not.

use crate::method::Method;
use crate::methods::admin_invite_requests::AdminInviteRequestsList;
use crate::methods::admin_teams::OrgTeam;
use crate::methods::admin_users::{
    AdminUsersInvite, AdminUsersList, AdminUsersSetAdmin, AdminUsersSetExpiration,
};
use crate::methods::auth::AuthTestResponse;
use crate::methods::conversations::ConversationsList;
use crate::methods::team::Team;
use crate::methods::users::{UsersAdminInvite, UsersList};

/// What kind of token the admin connected with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A user token installed on an Enterprise Grid org with admin scopes.
    GridOrgAdmin,
    /// A legacy token (scope `client`): `users.admin.invite` works, the Admin API does not.
    Legacy,
    /// A user token without admin scopes.
    Member,
    /// A bot token (`xoxb-`): the admin methods refuse bot tokens.
    Bot,
}

impl TokenKind {
    pub fn label(self) -> &'static str {
        match self {
            TokenKind::GridOrgAdmin => "Enterprise Grid org admin token",
            TokenKind::Legacy => "Legacy token",
            TokenKind::Member => "Member token (no admin scopes)",
            TokenKind::Bot => "Bot token",
        }
    }
}

/// The scopes a connection's answers named, if they named any.
///
/// Slack sends them in `x-oauth-scopes`; a browser sees that header only if Slack exposes it
/// to scripts, so they may be unknown. The sandbox always knows them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scopes(pub Option<Vec<String>>);

impl Scopes {
    /// Parses `x-oauth-scopes` (`a,b, c`).
    pub fn from_header(value: Option<&str>) -> Self {
        Scopes(value.map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        }))
    }

    /// `Some(true/false)` when the scopes are known, `None` when not.
    pub fn has(&self, scope: &str) -> Option<bool> {
        self.0.as_ref().map(|s| s.iter().any(|x| x == scope))
    }

    pub fn is_known(&self) -> bool {
        self.0.is_some()
    }
}

/// Everything the console learned about a connection. It crosses from the entrance module to
/// the console module as JSON (see the app's `console_module`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    pub auth: AuthTestResponse,
    pub team: Team,
    /// The org's workspaces, when `admin.teams.list` answered.
    pub org_teams: Vec<OrgTeam>,
    pub scopes: Scopes,
    /// Whether the token is a bot token (`xoxb-` prefix or `bot_id` in `auth.test`).
    pub is_bot: bool,
    /// Through `slack-admin-proxy`: what the access key may do (`read-only` or
    /// `read-write`), from the proxy's `x-slack-admin-proxy` header. The token is the proxy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_key: Option<String>,
}

/// A part of the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    Invite,
    Members,
    Roles,
    GuestExpiration,
    InviteRequests,
    Channels,
}

impl Feature {
    pub const ALL: [Feature; 6] = [
        Feature::Invite,
        Feature::Members,
        Feature::Roles,
        Feature::GuestExpiration,
        Feature::InviteRequests,
        Feature::Channels,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Feature::Invite => "Invite people",
            Feature::Members => "List members",
            Feature::Roles => "Change roles and remove members",
            Feature::GuestExpiration => "Guest expiration",
            Feature::InviteRequests => "Answer invite requests",
            Feature::Channels => "Choose channels by name",
        }
    }
}

/// Whether a feature works with this connection, through which method, or why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capability {
    pub feature: Feature,
    /// The method the console will use, when the feature works.
    pub via: Option<&'static str>,
    /// Why it does not work, or a caveat when it does.
    pub note: Option<String>,
}

impl Capability {
    pub fn available(&self) -> bool {
        self.via.is_some()
    }

    fn yes(feature: Feature, via: &'static str, note: Option<String>) -> Self {
        Self {
            feature,
            via: Some(via),
            note,
        }
    }

    fn no(feature: Feature, why: impl Into<String>) -> Self {
        Self {
            feature,
            via: None,
            note: Some(why.into()),
        }
    }
}

impl Identity {
    /// The org's ID when this is an Enterprise Grid connection.
    pub fn is_grid(&self) -> bool {
        self.auth.enterprise_id.is_some() || self.team.enterprise_id.is_some()
    }

    pub fn token_kind(&self) -> TokenKind {
        if self.is_bot {
            TokenKind::Bot
        } else if self.scopes.has("client") == Some(true) {
            TokenKind::Legacy
        } else if self.is_grid() && self.has_admin_scope() != Some(false) {
            TokenKind::GridOrgAdmin
        } else if self.is_grid() || self.scopes.is_known() {
            TokenKind::Member
        } else {
            // Not Grid and scopes unknown: only a legacy token invites outside Grid, and the
            // first invite will tell.
            TokenKind::Legacy
        }
    }

    fn has_admin_scope(&self) -> Option<bool> {
        let s = &self.scopes;
        Some(
            s.has("admin.users:read")?
                || s.has("admin.users:write")?
                || s.has("admin.invites:read")?,
        )
    }

    /// The org's or workspace's display name.
    pub fn org_name(&self) -> &str {
        self.team
            .enterprise_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(&self.team.name)
    }

    /// Feature by feature: does it work here, via which method, and if not, why.
    pub fn capabilities(&self) -> Vec<Capability> {
        Feature::ALL
            .iter()
            .map(|f| self.with_key(self.capability(*f)))
            .collect()
    }

    /// Through the proxy with a read-only access key, nothing that writes works, whatever the
    /// token behind it may do (the proxy refuses with `no_permission`).
    fn with_key(&self, cap: Capability) -> Capability {
        if self.proxy_key.as_deref() != Some("read-only") || !cap.available() {
            return cap;
        }
        const WHY: &str = "Your access key to the proxy is read-only: ask the proxy's admin for \
                           a read-write key.";
        match cap.feature {
            Feature::Invite | Feature::Roles | Feature::GuestExpiration => {
                Capability::no(cap.feature, WHY)
            }
            Feature::InviteRequests => Capability {
                note: Some(
                    "Read-only access key: the requests and their history can be seen, not \
                     answered."
                        .into(),
                ),
                ..cap
            },
            Feature::Members | Feature::Channels => cap,
        }
    }

    fn capability(&self, feature: Feature) -> Capability {
        let kind = self.token_kind();
        let grid = self.is_grid();
        if kind == TokenKind::Bot {
            let why = match feature {
                Feature::Channels => None,
                _ => Some(
                    "Bot tokens are refused by Slack's admin methods (not_allowed_token_type). \
                     Connect with a user token (xoxp-) of an admin.",
                ),
            };
            return match why {
                Some(why) => Capability::no(feature, why),
                None => self.scoped_for::<ConversationsList>(feature, None),
            };
        }
        match feature {
            Feature::Invite => match kind {
                TokenKind::GridOrgAdmin => self.scoped_for::<AdminUsersInvite>(feature, None),
                TokenKind::Legacy => Capability::yes(
                    feature,
                    UsersAdminInvite::NAME,
                    Some(if grid {
                        "A legacy token: invites use users.admin.invite.".into()
                    } else {
                        "admin.users.invite needs an Enterprise Grid org; this is a legacy \
                         token: invites will use users.admin.invite."
                            .into()
                    }),
                ),
                _ => Capability::no(feature, self.needs_admin_for::<AdminUsersInvite>()),
            },
            Feature::Members => match kind {
                TokenKind::GridOrgAdmin => self.scoped_for::<AdminUsersList>(feature, None),
                _ => Capability::yes(
                    feature,
                    UsersList::NAME,
                    Some(format!(
                        "Read only: admin.users.list needs {}; members are listed with users.list.",
                        self.grid_admin_phrase()
                    )),
                ),
            },
            Feature::Roles => match kind {
                TokenKind::GridOrgAdmin => self.scoped_for::<AdminUsersSetAdmin>(feature, None),
                _ => Capability::no(feature, self.needs_admin_for::<AdminUsersSetAdmin>()),
            },
            Feature::GuestExpiration => match kind {
                TokenKind::GridOrgAdmin => {
                    self.scoped_for::<AdminUsersSetExpiration>(feature, None)
                }
                _ => Capability::no(feature, self.needs_admin_for::<AdminUsersSetExpiration>()),
            },
            Feature::InviteRequests => match kind {
                TokenKind::GridOrgAdmin => {
                    self.scoped_for::<AdminInviteRequestsList>(feature, None)
                }
                _ => Capability::no(feature, self.needs_admin_for::<AdminInviteRequestsList>()),
            },
            Feature::Channels => match kind {
                TokenKind::Legacy => Capability::yes(feature, ConversationsList::NAME, None),
                _ => self.scoped_for::<ConversationsList>(feature, None),
            },
        }
    }

    /// [`Self::scoped`] with the method's declared name and (first) scope.
    fn scoped_for<M: Method>(&self, feature: Feature, note: Option<String>) -> Capability {
        self.scoped(
            feature,
            M::NAME,
            M::SCOPES.first().copied().unwrap_or(""),
            note,
        )
    }

    /// [`Self::needs_admin`] with the method's declared name and (first) scope.
    fn needs_admin_for<M: Method>(&self) -> String {
        self.needs_admin(M::NAME, M::SCOPES.first().copied().unwrap_or(""))
    }

    /// Available if the token has `scope` (or its scopes are unknown, with a caveat).
    fn scoped(
        &self,
        feature: Feature,
        via: &'static str,
        scope: &str,
        note: Option<String>,
    ) -> Capability {
        match self.scopes.has(scope) {
            Some(true) => Capability::yes(feature, via, note),
            Some(false) => Capability::no(
                feature,
                format!(
                    "{via} needs the {scope} scope, which this token lacks. Reinstall the app \
                     with {scope} added."
                ),
            ),
            None => Capability::yes(
                feature,
                via,
                Some(note.unwrap_or_else(|| {
                    format!(
                        "Slack did not say which scopes this token has; {via} needs {scope} and \
                         will say so if it is missing."
                    )
                })),
            ),
        }
    }

    fn grid_admin_phrase(&self) -> &'static str {
        if self.is_grid() {
            "a token of an org admin with admin scopes"
        } else {
            "an Enterprise Grid org"
        }
    }

    fn needs_admin(&self, method: &str, scope: &str) -> String {
        if self.is_grid() {
            format!(
                "{method} needs a token of an org admin or owner with the {scope} scope; this \
                 token has no admin scopes."
            )
        } else {
            format!("{method} needs an Enterprise Grid org; this workspace is not on Grid.")
        }
    }
}

/// Checks a pasted token's shape before anything is sent. The message never repeats the token.
pub fn check_token(input: &str) -> Result<String, String> {
    let token = input.trim();
    if token.is_empty() {
        return Err("Paste a token first. User tokens start with xoxp-.".into());
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(
            "The token has spaces or line breaks inside it. Copy it again as one piece.".into(),
        );
    }
    let known = ["xoxp-", "xoxb-", "xoxe.xoxp-", "xoxe-", "xoxa-", "xoxs-"];
    if !known.iter().any(|p| token.starts_with(p)) {
        return Err(
            "That does not look like a Slack token: they start with xoxp- (user), xoxb- (bot) \
             or xoxe. (rotating). Copy it from your app's OAuth & Permissions page."
                .into(),
        );
    }
    if token.len() < 12 {
        return Err("The token is too short; it may have been cut off. Copy it again.".into());
    }
    Ok(token.to_owned())
}

/// What an access key of `slack-admin-proxy` looks like: `sak_` and 64 hex digits.
pub fn check_proxy_key(input: &str) -> Result<String, String> {
    let key = input.trim();
    if key.is_empty() {
        return Err(
            "Paste the access key your proxy's admin gave you (it starts with sak_).".into(),
        );
    }
    let hex = key.strip_prefix("sak_").unwrap_or("");
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(
            "That is not a proxy access key: they are sak_ and 64 letters and digits, as \
             `slack-admin-proxy keys add` printed it. Copy it again as one piece."
                .into(),
        );
    }
    Ok(key.to_owned())
}

/// Normalises the API base URL: `https://` anywhere, or `http://` on loopback only (such as a
/// local `slack-sim`); always ends with `/`.
pub fn check_base_url(input: &str) -> Result<String, String> {
    let url = input.trim();
    if url.is_empty() {
        return Err("Give the API base URL, such as https://slack.com/api/.".into());
    }
    let rest = if let Some(rest) = url.strip_prefix("https://") {
        rest
    } else if let Some(rest) = url.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or("");
        if !matches!(host, "127.0.0.1" | "localhost") {
            return Err(format!(
                "{url} is not encrypted: plain http:// is allowed only on this computer \
                 (127.0.0.1 or localhost). Use https://."
            ));
        }
        rest
    } else {
        return Err(format!(
            "{url} is not a web address: it must start with https:// (or http://127.0.0.1 for a \
             local slack-sim)."
        ));
    };
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or("");
    if host.is_empty() || url.contains(['?', '#', ' ', '@']) {
        return Err(format!(
            "{url} is not a usable base URL: give the part before the method name, such as \
             https://slack.com/api/."
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_read_only_proxy_key_can_do_nothing_that_writes() {
        let mut i = identity(true, Some(ADMIN), false);
        assert!(cap(&i, Feature::Invite).available());
        i.proxy_key = Some("read-only".into());
        assert!(!cap(&i, Feature::Invite).available());
        assert!(cap(&i, Feature::Invite).note.unwrap().contains("read-only"));
        assert!(!cap(&i, Feature::Roles).available());
        assert!(cap(&i, Feature::Members).available());
        let requests = cap(&i, Feature::InviteRequests);
        assert!(requests.available() && requests.note.unwrap().contains("not answered"));
        i.proxy_key = Some("read-write".into());
        assert!(cap(&i, Feature::Invite).available());
    }

    #[test]
    fn a_proxy_key_is_sak_and_64_hex_digits() {
        let key = format!("sak_{}", "0a".repeat(32));
        assert_eq!(check_proxy_key(&format!("  {key}\n")).unwrap(), key);
        assert!(check_proxy_key("")
            .unwrap_err()
            .contains("starts with sak_"));
        assert!(check_proxy_key("xoxp-123")
            .unwrap_err()
            .contains("not a proxy access key"));
        assert!(check_proxy_key(&format!("sak_{}", "zz".repeat(32))).is_err());
        assert!(check_proxy_key(&key[..40]).is_err());
    }

    use super::*;
    use crate::ids::{EnterpriseId, TeamId, UserId};

    fn identity(grid: bool, scopes: Option<&str>, bot: bool) -> Identity {
        Identity {
            auth: AuthTestResponse {
                ok: true,
                url: "https://x.slack.com/".into(),
                team: "X".into(),
                user: "ana".into(),
                team_id: TeamId::new("T0000000A"),
                user_id: UserId::new("W0000000A"),
                enterprise_id: grid.then(|| EnterpriseId::new("E0000000A")),
                is_enterprise_install: Some(grid),
                bot_id: None,
            },
            team: Team {
                id: TeamId::new("T0000000A"),
                name: "Workspace".into(),
                enterprise_name: grid.then(|| "Org".to_owned()),
                ..Team::default()
            },
            org_teams: vec![],
            scopes: Scopes::from_header(scopes),
            is_bot: bot,
            proxy_key: None,
        }
    }

    const ADMIN: &str = "admin.users:read,admin.users:write,admin.invites:read,admin.invites:write,admin.teams:read,users:read,channels:read,team:read";

    fn cap(i: &Identity, f: Feature) -> Capability {
        i.capabilities()
            .into_iter()
            .find(|c| c.feature == f)
            .unwrap()
    }

    #[test]
    fn an_identity_survives_its_trip_between_the_modules_as_json() {
        for (grid, scopes, bot) in [
            (true, Some(ADMIN), false),
            (false, None, false),
            (false, Some("users:read"), true),
        ] {
            let mut i = identity(grid, scopes, bot);
            i.org_teams = vec![OrgTeam {
                id: TeamId::new("T0000000B"),
                name: "Second".into(),
                ..OrgTeam::default()
            }];
            let json = serde_json::to_string(&i).unwrap();
            assert_eq!(
                serde_json::from_str::<Identity>(&json).unwrap(),
                i,
                "{json}"
            );
        }
    }

    #[test]
    fn a_grid_admin_can_do_everything_through_the_admin_api() {
        let i = identity(true, Some(ADMIN), false);
        assert_eq!(i.token_kind(), TokenKind::GridOrgAdmin);
        assert!(i.capabilities().iter().all(Capability::available));
        assert_eq!(cap(&i, Feature::Invite).via, Some("admin.users.invite"));
        assert_eq!(i.org_name(), "Org");
    }

    #[test]
    fn a_legacy_token_invites_with_users_admin_invite_and_says_why() {
        let i = identity(false, Some("client"), false);
        assert_eq!(i.token_kind(), TokenKind::Legacy);
        let invite = cap(&i, Feature::Invite);
        assert_eq!(invite.via, Some("users.admin.invite"));
        assert_eq!(
            invite.note.as_deref(),
            Some("admin.users.invite needs an Enterprise Grid org; this is a legacy token: invites will use users.admin.invite.")
        );
        let requests = cap(&i, Feature::InviteRequests);
        assert!(!requests.available());
        assert!(requests
            .note
            .unwrap()
            .contains("needs an Enterprise Grid org"));
    }

    #[test]
    fn a_member_token_lists_members_read_only_and_cannot_invite() {
        let i = identity(true, Some("users:read,channels:read,team:read"), false);
        assert_eq!(i.token_kind(), TokenKind::Member);
        assert!(!cap(&i, Feature::Invite).available());
        assert!(cap(&i, Feature::Invite)
            .note
            .unwrap()
            .contains("admin.users:write"));
        assert_eq!(cap(&i, Feature::Members).via, Some("users.list"));
    }

    #[test]
    fn a_bot_token_is_refused_by_admin_features() {
        let i = identity(true, Some("channels:read,users:read"), true);
        assert_eq!(i.token_kind(), TokenKind::Bot);
        assert!(!cap(&i, Feature::Roles).available());
        assert!(cap(&i, Feature::Roles).note.unwrap().contains("xoxp-"));
        assert!(cap(&i, Feature::Channels).available());
    }

    #[test]
    fn a_missing_scope_is_named() {
        let i = identity(true, Some("admin.users:read,channels:read"), false);
        let invite = cap(&i, Feature::Invite);
        assert!(!invite.available());
        assert!(invite.note.unwrap().contains("admin.users:write"));
    }

    #[test]
    fn unknown_scopes_are_assumed_with_a_caveat() {
        let i = identity(true, None, false);
        assert_eq!(i.token_kind(), TokenKind::GridOrgAdmin);
        let invite = cap(&i, Feature::Invite);
        assert!(invite.available());
        assert!(invite.note.unwrap().contains("did not say which scopes"));
    }

    #[test]
    fn tokens_are_checked_without_echoing_them() {
        assert_eq!(
            check_token("  xoxp-1234-5678-abcd \n").unwrap(),
            "xoxp-1234-5678-abcd"
        );
        assert!(check_token("").unwrap_err().contains("Paste a token"));
        assert!(check_token("xoxp-12 34-5678")
            .unwrap_err()
            .contains("spaces"));
        let e = check_token("hunter2-secret-value").unwrap_err();
        assert!(e.contains("does not look like a Slack token"));
        assert!(!e.contains("hunter2"));
        assert!(check_token("xoxp-1").unwrap_err().contains("too short"));
    }

    #[test]
    fn base_urls_are_https_or_loopback_and_end_with_a_slash() {
        assert_eq!(
            check_base_url("https://slack.com/api").unwrap(),
            "https://slack.com/api/"
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:4100/api/").unwrap(),
            "http://127.0.0.1:4100/api/"
        );
        assert!(check_base_url("http://example.com/api/")
            .unwrap_err()
            .contains("not encrypted"));
        assert!(check_base_url("slack.com/api")
            .unwrap_err()
            .contains("must start with https://"));
        assert!(check_base_url("https://slack.com/api/?x=1").is_err());
        assert!(check_base_url("http://localhost:@evil.example/api/").is_err());
        assert!(check_base_url(" ").is_err());
    }

    #[test]
    fn scopes_header_parses_with_spaces() {
        let s = Scopes::from_header(Some("a, b,,c "));
        assert_eq!(s.0.unwrap(), vec!["a", "b", "c"]);
        assert_eq!(Scopes::from_header(None).has("a"), None);
    }
}

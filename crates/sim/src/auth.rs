//! The sandbox's tokens: who each one is, where it belongs, what it may do.

use crate::fixture::{self, ids};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// `xoxp-`: a user token of a modern app.
    User,
    /// `xoxb-`: a bot token.
    Bot,
    /// A legacy token (scope `client`), the only kind `users.admin.invite` accepts.
    Legacy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenDef {
    pub token: &'static str,
    pub who: &'static str,
    /// Index into `State::tenants`.
    pub tenant: usize,
    /// The workspace the token belongs to.
    pub team: &'static str,
    pub user: &'static str,
    pub kind: TokenKind,
    /// Installed on the whole Grid org (`is_enterprise_install`).
    pub org_wide: bool,
    pub scopes: &'static [&'static str],
}

impl TokenDef {
    /// Whether the token has one of `needed` (empty: nothing needed). A legacy token's
    /// `client` covers every scope but the `admin.*` ones.
    pub fn has_scope(&self, needed: &[&str]) -> bool {
        needed.is_empty()
            || needed.iter().any(|n| {
                self.scopes.contains(n)
                    || (self.scopes.contains(&"client") && !n.starts_with("admin"))
            })
    }

    pub fn scope_list(&self) -> String {
        self.scopes.join(",")
    }
}

pub const ADMIN_SCOPES: &[&str] = &[
    // SCIM's own scope.
    "admin",
    "admin.users:read",
    "admin.users:write",
    "admin.invites:read",
    "admin.invites:write",
    "admin.teams:read",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
    "team:read",
];

pub const TOKENS: &[TokenDef] = &[
    TokenDef {
        token: "xoxp-sandbox-org-admin",
        who: "Mateo García, an org admin (not owner) of Northwind Trading (Enterprise Grid), with the admin scopes",
        tenant: fixture::GRID,
        team: fixture::HQ,
        user: ids::ORG_ADMIN,
        kind: TokenKind::User,
        org_wide: true,
        scopes: ADMIN_SCOPES,
    },
    TokenDef {
        token: "xoxp-sandbox-org-owner",
        who: "Ingrid Solberg, the primary owner of Northwind Trading, with the admin scopes",
        tenant: fixture::GRID,
        team: fixture::HQ,
        user: ids::PRIMARY_OWNER,
        kind: TokenKind::User,
        org_wide: true,
        scopes: ADMIN_SCOPES,
    },
    TokenDef {
        token: "xoxp-sandbox-member",
        who: "Priya Raman, a regular member of Northwind HQ, without admin scopes",
        tenant: fixture::GRID,
        team: fixture::HQ,
        user: ids::MEMBER,
        kind: TokenKind::User,
        org_wide: false,
        scopes: &["users:read", "channels:read", "groups:read", "team:read"],
    },
    TokenDef {
        token: "xoxp-sandbox-legacy",
        who: "Rosa Delgado, an admin of Harbor Bakery Co-op (Pro, not Grid): a legacy token, scope client",
        tenant: fixture::BAKERY_TENANT,
        team: fixture::BAKERY,
        user: ids::BAKERY_ADMIN,
        kind: TokenKind::Legacy,
        org_wide: false,
        scopes: &["client"],
    },
    TokenDef {
        token: "xoxp-sandbox-legacy-sso",
        who: "Sigrid Haugen, an admin of Fjord Analytics (Business+, SSO required): a legacy token, scope client",
        tenant: fixture::FJORD_TENANT,
        team: fixture::FJORD,
        user: ids::FJORD_ADMIN,
        kind: TokenKind::Legacy,
        org_wide: false,
        // `admin` as well, so that SCIM (the way to add full members under SSO) can be tried.
        scopes: &["client", "admin"],
    },
    TokenDef {
        token: "xoxb-sandbox-bot",
        who: "Northwind Helper, a bot in Northwind HQ",
        tenant: fixture::GRID,
        team: fixture::HQ,
        user: ids::BOT,
        kind: TokenKind::Bot,
        org_wide: false,
        scopes: &["users:read", "channels:read", "team:read", "chat:write"],
    },
];

/// (token, who) for printing and docs.
pub const TOKEN_LIST: &[(&str, &str)] = &[
    (TOKENS[0].token, TOKENS[0].who),
    (TOKENS[1].token, TOKENS[1].who),
    (TOKENS[2].token, TOKENS[2].who),
    (TOKENS[3].token, TOKENS[3].who),
    (TOKENS[4].token, TOKENS[4].who),
    (TOKENS[5].token, TOKENS[5].who),
];

pub fn find(token: &str) -> Option<&'static TokenDef> {
    TOKENS.iter().find(|t| t.token == token)
}

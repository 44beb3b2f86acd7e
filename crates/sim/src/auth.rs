//! The sandbox's tokens: who each one is, where it belongs, what it may do.

use crate::fixture::{self, ids};
use slack_admin_core::sandbox;

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
        token: sandbox::TOKENS[0].0,
        who: sandbox::TOKENS[0].1,
        tenant: fixture::GRID,
        team: fixture::HQ,
        user: ids::ORG_ADMIN,
        kind: TokenKind::User,
        org_wide: true,
        scopes: ADMIN_SCOPES,
    },
    TokenDef {
        token: sandbox::TOKENS[1].0,
        who: sandbox::TOKENS[1].1,
        tenant: fixture::GRID,
        team: fixture::HQ,
        user: ids::PRIMARY_OWNER,
        kind: TokenKind::User,
        org_wide: true,
        scopes: ADMIN_SCOPES,
    },
    TokenDef {
        token: sandbox::TOKENS[2].0,
        who: sandbox::TOKENS[2].1,
        tenant: fixture::GRID,
        team: fixture::HQ,
        user: ids::MEMBER,
        kind: TokenKind::User,
        org_wide: false,
        scopes: &["users:read", "channels:read", "groups:read", "team:read"],
    },
    TokenDef {
        token: sandbox::TOKENS[3].0,
        who: sandbox::TOKENS[3].1,
        tenant: fixture::BAKERY_TENANT,
        team: fixture::BAKERY,
        user: ids::BAKERY_ADMIN,
        kind: TokenKind::Legacy,
        org_wide: false,
        scopes: &["client"],
    },
    TokenDef {
        token: sandbox::TOKENS[4].0,
        who: sandbox::TOKENS[4].1,
        tenant: fixture::FJORD_TENANT,
        team: fixture::FJORD,
        user: ids::FJORD_ADMIN,
        kind: TokenKind::Legacy,
        org_wide: false,
        // `admin` as well, so that SCIM (the way to add full members under SSO) can be tried.
        scopes: &["client", "admin"],
    },
    TokenDef {
        token: sandbox::TOKENS[5].0,
        who: sandbox::TOKENS[5].1,
        tenant: fixture::GRID,
        team: fixture::HQ,
        user: ids::BOT,
        kind: TokenKind::Bot,
        org_wide: false,
        scopes: &["users:read", "channels:read", "team:read", "chat:write"],
    },
];

/// (token, who) for printing and docs: core's table, which [`TOKENS`] is built from.
pub const TOKEN_LIST: &[(&str, &str)] = sandbox::TOKENS;

pub fn find(token: &str) -> Option<&'static TokenDef> {
    TOKENS.iter().find(|t| t.token == token)
}

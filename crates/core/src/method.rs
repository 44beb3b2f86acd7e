//! What every Web API method knows about itself.

use crate::wire::Form;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Slack's rate-limit tiers: calls allowed per minute, per method, per workspace, per app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tier {
    One,
    Two,
    Three,
    Four,
    /// Slack's "special" limits, stated per method: `auth.test` allows "hundreds of requests
    /// per minute", far above Tier 4; the floor of that, 200 a minute, is assumed.
    Special,
}

impl Tier {
    /// The documented floor of the tier: "Tier 2: 20+ per minute" is 20.
    pub const fn per_minute(self) -> u32 {
        match self {
            Tier::One => 1,
            Tier::Two => 20,
            Tier::Three => 50,
            Tier::Four => 100,
            Tier::Special => 200,
        }
    }

    /// Milliseconds between calls that keep a steady stream inside the tier.
    pub const fn spacing_ms(self) -> u64 {
        60_000 / self.per_minute() as u64
    }

    pub const fn label(self) -> &'static str {
        match self {
            Tier::One => "Tier 1",
            Tier::Two => "Tier 2",
            Tier::Three => "Tier 3",
            Tier::Four => "Tier 4",
            Tier::Special => "special (hundreds a minute)",
        }
    }
}

/// What kind of connection a method needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Requirement {
    /// Any valid token.
    AnyToken,
    /// A user token (not a bot token) of a member.
    UserToken,
    /// A user token installed org-wide on an Enterprise Grid org by an admin or owner.
    GridOrgAdmin,
    /// A legacy token with the `client` scope (the undocumented `users.admin.invite`).
    LegacyToken,
}

/// A Web API method: its request is the struct implementing this trait.
///
/// The request serializes to the form fields Slack accepts (see [`crate::wire`]); the token is
/// never part of it, the transport adds it.
pub trait Method: Serialize + DeserializeOwned {
    /// The method name, as in `https://slack.com/api/<NAME>`.
    const NAME: &'static str;
    const TIER: Tier;
    /// Scopes the token needs (any one of them suffices where Slack accepts several).
    const SCOPES: &'static [&'static str];
    const REQUIRES: Requirement;
    /// The decoded answer of a successful call.
    type Response: Serialize + DeserializeOwned;

    /// The form fields of this call.
    fn form(&self) -> Form {
        Form::from_struct(self)
    }
}

/// The facts of a method, for code that holds a name rather than a type (the sim, the proxy's
/// allowlist, the capability list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodInfo {
    pub name: &'static str,
    pub tier: Tier,
    pub scopes: &'static [&'static str],
    pub requires: Requirement,
}

impl MethodInfo {
    pub const fn of<M: Method>() -> Self {
        Self {
            name: M::NAME,
            tier: M::TIER,
            scopes: M::SCOPES,
            requires: M::REQUIRES,
        }
    }
}

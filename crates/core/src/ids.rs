//! ID newtypes, so that passing a channel where a user belongs is a compile error.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, [$($prefix:literal),*]) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// What kind of ID this is, in words ("user ID").
            pub const KIND: &'static str = $kind;
            /// The letters an ID of this kind starts with (empty: any).
            pub const PREFIXES: &'static [char] = &[$($prefix),*];

            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// A user: `U…` in a workspace, `W…` for an Enterprise Grid user.
    UserId, "user ID", ['U', 'W']
);
id_type!(
    /// A workspace (team): `T…`.
    TeamId, "workspace ID", ['T']
);
id_type!(
    /// A public or private channel: `C…`, or `G…` for old private channels.
    ChannelId, "channel ID", ['C', 'G']
);
id_type!(
    /// An Enterprise Grid org: `E…`.
    EnterpriseId, "org ID", ['E']
);
id_type!(
    /// An invite request. Slack's are opaque strings; any non-empty one is kept.
    InviteRequestId, "invite request ID", []
);

//! Slack's admin API as data.
//!
//! A call is data: build a request (a type implementing [`Method`]), turn it into form fields
//! with [`Method::form`], send those through any transport, and decode the answer with
//! [`decode`]. Nothing here does IO, so everything is tested with plain `cargo test` and the
//! same code runs in the browser, the proxy and the simulated Slack.

pub mod audit;
pub mod catalogue;
pub mod channel_search;
pub mod connection;
pub mod decode;
pub mod error;
pub mod events;
pub mod ids;
pub mod inbox;
pub mod invite;
pub mod members;
pub mod method;
pub mod methods;
pub mod origin;
pub mod pagination;
pub mod sandbox;
pub mod scim;
pub mod server_jobs;
pub mod validate;
pub mod wire;

pub use catalogue::{explain, explain_code, Explanation};
pub use decode::{decode, decode_envelope};
pub use error::SlackError;
pub use ids::{ChannelId, EnterpriseId, InviteRequestId, TeamId, UserId};
pub use method::{Method, Requirement, Tier};
pub use scim::{decode_scim, ScimCall, ScimRequest};
pub use validate::FieldError;
pub use wire::{Form, HttpResponse};

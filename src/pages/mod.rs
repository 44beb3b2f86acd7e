//! Routed pages.

pub mod connect;
pub mod invite;
pub mod members;
pub mod not_found;
pub mod overview;

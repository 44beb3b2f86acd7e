//! Routed pages.

pub mod connect;
pub mod inbox;
pub mod invite;
pub mod members;
pub mod not_found;
pub mod overview;

//! Routed pages.

pub mod connect;
pub mod not_found;
pub mod overview;

//! Routed pages.

pub mod activity;
pub mod connect;
pub mod inbox;
pub mod invite;
pub mod jobs;
pub mod members;
pub mod not_found;
pub mod overview;

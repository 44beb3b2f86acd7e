//! `slack-admin-proxy`: the Slack token stays on a server. Admins hold their own revocable
//! access keys and call the proxy exactly as they would call Slack's Web API; the proxy checks
//! the key, allows only the methods the console uses, paces every admin's calls together under
//! Slack's limits, forwards the form with the server's token, and records every write in an
//! audit log chained by hashes.

pub mod activity;
pub mod app;
pub mod events;
pub mod jobs;
pub mod live;
pub mod pacer;
pub mod store;

//! Pieces shared by pages.

pub mod channel_picker;
pub mod error_panel;
pub mod org_icon;
pub mod shell;

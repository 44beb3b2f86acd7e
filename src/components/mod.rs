//! Pieces shared by pages.

pub mod error_panel;
pub mod shell;

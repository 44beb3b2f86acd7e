//! The Slack Admin Console: a Leptos single-page app.
//!
//! `main.rs` only mounts [`App`]; everything is exported here so browser tests can mount it.

pub mod browser;
pub mod components;
pub mod invite_job;
pub mod page_origin;
pub mod pages;
pub mod sandbox;
pub mod session;
pub mod transport;

use components::shell::Shell;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use pages::connect::ConnectPage;
use pages::invite::InvitePage;
use pages::not_found::NotFoundPage;
use pages::overview::OverviewPage;
use session::Session;

/// The one-line description shown under the name.
pub const TAGLINE: &str = "Invite people, change roles and answer invite requests in Slack.";

/// The path the app is served under (`/` locally, `/<repo>/` on GitHub Pages), from the
/// `<base href>` that trunk writes, without its trailing slash.
pub fn base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| web_sys::Url::new(&uri).ok())
        .map(|url| url.pathname())
        .unwrap_or_default();
    base.trim_end_matches('/').to_owned()
}

/// An in-app link target under the base path: leptos_router's `<A>` does not prefix the
/// router's base to absolute paths, so links would leave the sub-path on GitHub Pages.
pub fn href(path: &str) -> String {
    format!("{}{path}", base_path())
}

#[component]
pub fn App() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    provide_context(invite_job::InviteJob::new());
    session.restore();
    view! {
        <Router base=base_path()>
            <Shell>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=ConnectPage />
                    <Route path=path!("/overview") view=OverviewPage />
                    <Route path=path!("/invite") view=InvitePage />
                </Routes>
            </Shell>
        </Router>
    }
}

//! The Slack Admin Console: a Leptos single-page app in two wasm modules (see
//! [`console_module`]): `main.rs` mounts the [`entrance::Entrance`] (the first load: the
//! connect page), `bin/console.rs` the whole [`App`] once connected. Everything is exported
//! here so browser tests can mount it.

pub mod browser;
pub mod components;
pub mod console_module;
pub mod entrance;
pub mod inbox;
pub mod job;
pub mod live;
pub mod members;
pub mod page_origin;
pub mod pages;
pub mod proxy_api;
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

/// The console's pages (the routes of [`App`]); the entrance shows the connect forms at each.
pub const PAGES: &[&str] = &[
    "/",
    "/overview",
    "/invite",
    "/members",
    "/requests",
    "/jobs",
    "/activity",
];

/// The page's path under the base path (`/` at the start page).
pub fn current_page() -> String {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let base = base_path();
    let rest = path.strip_prefix(base.as_str()).unwrap_or(&path);
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() {
        "/".to_owned()
    } else {
        rest.to_owned()
    }
}

/// An in-app link target under the base path: leptos_router's `<A>` does not prefix the
/// router's base to absolute paths, so links would leave the sub-path on GitHub Pages.
pub fn href(path: &str) -> String {
    format!("{}{path}", base_path())
}

/// The whole console. Given a `handover`, it starts with the entrance's connection; without
/// one (tests), it restores a remembered connection itself.
#[component]
pub fn App(#[prop(optional)] handover: Option<console_module::Handover>) -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    let job = job::InviteJob::new();
    provide_context(job);
    let change_job = job::MembersJob::new();
    provide_context(change_job);
    let members = members::Members::new();
    provide_context(members);
    let requests = inbox::InboxStore::new();
    provide_context(requests);
    // The navigation's count of pending requests, and new ones in the tab's title.
    provide_context(components::shell::RequestCount(Signal::derive(move || {
        requests.with(|i| (i.len(), i.new_count()))
    })));
    // The inbox listens from the moment a Grid admin connects, not from the first visit to
    // its page: the navigation's count is the admin's alert.
    Effect::new(move |_| {
        if matches!(session.status().get(), session::Status::Connected(_)) {
            requests.ensure(session);
        }
    });
    // Leaving the page would lose decisions not sent yet: the browser asks first.
    let leaving = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if requests.unsent() {
            ev.prevent_default();
            ev.set_return_value("Some decisions on invite requests are not sent yet.");
        }
    });
    on_cleanup(move || leaving.remove());
    Effect::new(move |_| {
        let new = requests.with(|i| i.new_count());
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            d.set_title(&if new > 0 {
                format!("({new} new) Slack Admin Console")
            } else {
                "Slack Admin Console".to_owned()
            });
        }
    });
    match handover {
        Some(h) => {
            if let Err(e) = session.adopt(h) {
                session.fail_restore(e);
            }
        }
        None => session.restore(),
    }
    // What the next connection must not see goes with this one (the saved job stays in
    // storage for its owner).
    let forget = move |()| {
        job.forget();
        change_job.forget();
        members.clear();
        requests.clear();
    };
    view! {
        <Router base=base_path()>
            <Shell on_disconnect=forget>
                // Every path here is in PAGES too (the entrance's list).
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=ConnectPage />
                    <Route path=path!("/overview") view=OverviewPage />
                    <Route path=path!("/invite") view=InvitePage />
                    <Route path=path!("/members") view=pages::members::MembersPage />
                    <Route path=path!("/requests") view=pages::inbox::InboxPage />
                    <Route path=path!("/jobs") view=pages::jobs::JobsPage />
                    <Route path=path!("/activity") view=pages::activity::ActivityPage />
                </Routes>
            </Shell>
        </Router>
    }
}

//! The entrance: the first load (see [`crate::console_module`]). The shell and the connect
//! page for every path of the console; once connected, it loads the console module, hands it
//! the connection and leaves the page to it.

use crate::components::error_panel::ErrorPanel;
use crate::components::shell::Shell;
use crate::console_module::{self, Handover};
use crate::pages::connect::RequireConnection;
use crate::pages::not_found::NotFoundPage;
use crate::sandbox;
use crate::session::{Session, Status};
use leptos::mount::{mount_to, UnmountHandle};
use leptos::prelude::*;
use slack_admin_core::SlackError;
use std::cell::RefCell;

/// Asks the entrance to start downloading the console (a connect form was submitted).
#[derive(Clone, Copy)]
pub struct Prefetch;

impl Prefetch {
    pub fn start(self) {
        let _ = console_module::prefetch();
    }
}

thread_local! {
    /// The entrance's root element and mount, until it leaves.
    static MOUNTED: RefCell<Option<(web_sys::HtmlElement, Box<dyn std::any::Any>)>> =
        const { RefCell::new(None) };
}

/// Mounts the entrance in a container of its own, so it can leave without a trace.
pub fn mount() {
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| Some((d.create_element("div").ok()?, d.body()?)))
    else {
        return;
    };
    let (root, body) = body;
    let _ = body.append_child(&root);
    let root: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(root);
    let handle: UnmountHandle<_> = mount_to(root.clone(), Entrance);
    MOUNTED.with(|m| *m.borrow_mut() = Some((root, Box::new(handle))));
}

/// Takes the entrance off the page at once (so the page never holds two shells, not even for
/// a task) and unmounts it after the current task, outside the reactive update that asked.
fn leave() {
    let Some((root, handle)) = MOUNTED.with(|m| m.borrow_mut().take()) else {
        return;
    };
    root.remove();
    gloo_timers::callback::Timeout::new(0, move || drop(handle)).forget();
}

#[component]
pub fn Entrance() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    provide_context(Prefetch);
    if crate::session::storage::load().is_some() {
        // A remembered connection: the console will be needed.
        Prefetch.start();
    }
    session.restore();
    // No router here: the console's router takes the page over at the same address, and a
    // router of the entrance would go on catching clicks on its links.
    let known = crate::PAGES.contains(&crate::current_page().as_str());
    view! {
        <Shell bare=true>
            // An unknown address says so, unless connected: the console then shows its own.
            {move || {
                if known || matches!(session.status().get(), Status::Connected(_)) {
                    view! { <ConnectThenOpen /> }.into_any()
                } else {
                    view! { <NotFoundPage /> }.into_any()
                }
            }}
        </Shell>
    }
}

#[component]
fn ConnectThenOpen() -> impl IntoView {
    view! {
        <RequireConnection>
            <OpenConsole />
        </RequireConnection>
    }
}

/// Connected: hands the connection to the console module.
#[component]
fn OpenConsole() -> impl IntoView {
    let session = expect_context::<Session>();
    let failed = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        let Some(connection) = session.connection() else {
            return;
        };
        let handover = Handover {
            settings: connection.settings(),
            identity: connection.identity.clone(),
        };
        let worker = sandbox::Worker::current().and_then(|w| w.js());
        match console_module::hand_over(&handover, worker).await {
            Ok(()) => leave(),
            Err(why) => failed.set(Some(why)),
        }
    });
    move || match failed.get() {
        None => view! { <p class="muted" role="status">"Opening the console…"</p> }.into_any(),
        Some(why) => view! {
            <ErrorPanel error=SlackError::Api {
                code: slack_admin_core::catalogue::CONSOLE_UNAVAILABLE.into(),
                needed: None,
                provided: None,
                detail: Some(why),
            } />
        }
        .into_any(),
    }
}

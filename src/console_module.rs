//! Two wasm modules, one app.
//!
//! The first load is the **entrance** (`src/main.rs`): the shell, the connect page and the
//! connection itself, and nothing else, so that it stays small however many pages the console
//! grows. Once connected, the entrance loads the **console** module (`src/bin/console.rs`:
//! every page) on the same thread and hands it the connection; the console then owns the page
//! until it is reloaded. The download starts when the admin submits a connect form, so it
//! overlaps Slack's answers.
//!
//! trunk 0.21 cannot split one wasm module, but it builds a second one as a "worker"
//! (wasm-bindgen's no-modules output), which `console-loader.js` loads into the page. Those files
//! are not content-hashed, so their URLs carry the entrance's own hash (`?v=`): a browser never
//! runs an entrance of one deployment with a console of another.

use crate::session::Settings;
use js_sys::{Function, Promise, Reflect};
use serde::{Deserialize, Serialize};
use slack_admin_core::connection::Identity;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The loader the entrance adds to the page (see `assets/console-loader.js`).
pub const LOADER: &str = "console-loader.js";

/// Where the loader leaves the promise of the console's start-up.
const READY: &str = "__slackAdminConsoleReady";

/// Where the console module leaves its start function, taken (and removed) by the entrance.
const START: &str = "__slackAdminConsoleStart";

/// What the entrance hands the console: the connection it made. Holds the token; it passes
/// from one module to the other in memory, as a function argument, and is never stored.
#[derive(Clone, Serialize, Deserialize)]
pub struct Handover {
    pub settings: Settings,
    pub identity: Identity,
}

thread_local! {
    /// The console's start-up, once asked for (shared by every caller).
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// `?v=<hash>` from the entrance's own content-hashed script (trunk names it
/// `slack-admin-console-<hash>.js`), or nothing when it cannot be found (a dev build).
pub fn build_query() -> String {
    let document = web_sys::window().and_then(|w| w.document());
    let href = document
        .and_then(|d| {
            d.query_selector("link[rel=modulepreload][href*='slack-admin-console-']")
                .ok()
                .flatten()
        })
        .and_then(|l| l.get_attribute("href"))
        .unwrap_or_default();
    slack_admin_core::origin::build_hash(&href)
        .map(|v| format!("?v={v}"))
        .unwrap_or_default()
}

/// Starts downloading the console module if nobody has; returns its start-up.
pub fn prefetch() -> Promise {
    LOADING.with(|l| {
        l.borrow_mut()
            .get_or_insert_with(|| {
                let promise = start_loading();
                // A failure is reported to whoever awaits it, not as unhandled.
                let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
                let _ = promise.catch(&ignore);
                ignore.forget();
                promise
            })
            .clone()
    })
}

fn start_loading() -> Promise {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Promise::reject(&JsValue::from_str("the page has no document"));
    };
    let Ok(script) = document.create_element("script") else {
        return Promise::reject(&JsValue::from_str("the page could not add a script"));
    };
    let loaded = Promise::new(&mut |resolve, reject| {
        let failed = reject.clone();
        let on_load = Closure::once_into_js(move || {
            // The loader ran: its promise of the module's start-up is on the window.
            let ready = web_sys::window()
                .and_then(|w| Reflect::get(&w, &JsValue::from_str(READY)).ok())
                .filter(|p| p.is_instance_of::<Promise>());
            let _ = match ready {
                Some(p) => resolve.call1(&JsValue::NULL, &p),
                None => reject.call1(&JsValue::NULL, &"its loader did not run".into()),
            };
        });
        let on_error = Closure::once_into_js(move || {
            let _ = failed.call1(
                &JsValue::NULL,
                &format!("{LOADER} could not be downloaded").into(),
            );
        });
        let _ = Reflect::set(&script, &"onload".into(), &on_load);
        let _ = Reflect::set(&script, &"onerror".into(), &on_error);
    });
    let _ = script.set_attribute("src", &format!("{LOADER}{}", build_query()));
    match document.head().map(|h| h.append_child(&script)) {
        Some(Ok(_)) => loaded,
        _ => Promise::reject(&JsValue::from_str("the page could not add a script")),
    }
}

/// Loads the console module if need be and starts it with `handover` and the tab's sandbox
/// worker. On success the console owns the page; the entrance should leave.
pub async fn hand_over(handover: &Handover, worker: Option<web_sys::Worker>) -> Result<(), String> {
    JsFuture::from(prefetch()).await.map_err(|e| {
        let why = e
            .as_string()
            .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| e.message().into()))
            .unwrap_or_else(|| "it did not start".into());
        format!("the console module did not load ({why})")
    })?;
    let window = web_sys::window().ok_or("the page has no window")?;
    let start = Reflect::get(&window, &JsValue::from_str(START))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or("the console module loaded but did not offer to start")?;
    // Taken once: nothing else on the page can start it again with other settings.
    let _ = Reflect::delete_property(&window, &JsValue::from_str(START));
    let json = serde_json::to_string(handover).map_err(|e| e.to_string())?;
    let worker = worker.map(JsValue::from).unwrap_or(JsValue::NULL);
    start
        .call2(&JsValue::NULL, &JsValue::from_str(&json), &worker)
        .map_err(|_| "the console failed to start".to_owned())?;
    Ok(())
}

/// In the console module: offers the start function the entrance calls. `start` mounts the
/// app with what it was handed.
pub fn offer_start(start: impl Fn(Handover, Option<web_sys::Worker>) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let f = Closure::<dyn Fn(JsValue, JsValue) -> Result<(), JsValue>>::new(
        move |json: JsValue, worker: JsValue| {
            let handover: Handover = json
                .as_string()
                .and_then(|j| serde_json::from_str(&j).ok())
                .ok_or_else(|| JsValue::from_str("unreadable handover"))?;
            start(handover, worker.dyn_into::<web_sys::Worker>().ok());
            Ok(())
        },
    );
    let _ = Reflect::set(&window, &JsValue::from_str(START), f.as_ref());
    f.forget();
}

/// If the page is at the console's start path, moves it to the overview (history replace).
pub fn start_on_overview() {
    if crate::current_page() != "/" {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&crate::href("/overview")));
    }
}

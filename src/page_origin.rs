//! Where this page runs: its origin, its Content-Security-Policy, and whether its storage is
//! shared with other sites (the rules are in `slack_admin_core::origin`).

use wasm_bindgen::JsCast;

/// `https://host[:port]` of this page.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The policy in the page's `<meta http-equiv="Content-Security-Policy">`, or "" without one.
pub fn policy() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[http-equiv='Content-Security-Policy']")
                .ok()
                .flatten()
        })
        .and_then(|m| m.dyn_into::<web_sys::HtmlMetaElement>().ok())
        .map(|m| m.content())
        .unwrap_or_default()
}

/// Refuses a base URL this page's policy would block (see `origin::check_connect`).
pub fn check_connect(base_url: &str) -> Result<(), String> {
    slack_admin_core::origin::check_connect(&policy(), &origin(), base_url)
}

/// Why this page's `localStorage` is shared with other sites, if it is.
pub fn shared_storage() -> Option<String> {
    let host = web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .unwrap_or_default();
    slack_admin_core::origin::shared_origin(&host, &crate::base_path())
}

/// Why this page must not be given a token, if it must not: it runs inside another page (which
/// could read what is typed), or a service worker controls it (the console registers none, so
/// another site's worker stands between it and the network).
pub fn token_unsafe() -> Option<String> {
    let window = web_sys::window()?;
    let framed = window
        .top()
        .ok()
        .flatten()
        .is_some_and(|top| !js_sys::Object::is(&top, &window));
    if framed {
        return Some(
            "This page is shown inside another page, which could read what is typed here. Open \
             the console in its own tab to connect with a token."
                .into(),
        );
    }
    let controller = js_sys::Reflect::get(&window.navigator(), &"serviceWorker".into())
        .ok()
        .filter(|sw| !sw.is_undefined())
        .and_then(|sw| js_sys::Reflect::get(&sw, &"controller".into()).ok())
        .is_some_and(|c| !c.is_null() && !c.is_undefined());
    controller.then(|| {
        "A service worker the console did not install controls this page (another site on this \
         address may have put it there), so a token typed here is not safe. Run the console on \
         an address of its own."
            .into()
    })
}

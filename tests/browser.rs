//! In-browser tests: mount the app into a fresh element in headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_first_page_shows_the_name_and_what_it_does() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let host: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(host);
    let _handle = leptos::mount::mount_to(host.clone(), slack_admin_console::App);
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("Slack Admin Console"), "{text}");
    assert!(text.contains(slack_admin_console::TAGLINE), "{text}");
}

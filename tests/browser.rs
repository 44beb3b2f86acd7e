//! In-browser tests (wasm-bindgen-test in headless Chromium): mount components into a fresh
//! element, act, wait a tick, assert what a person would see.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use slack_admin_console::components::error_panel::ErrorPanel;
use slack_admin_console::session::{identify, Settings};
use slack_admin_console::transport::{Transport, RATE_LIMIT_RETRIES};
use slack_admin_core::connection::TokenKind;
use slack_admin_core::methods::admin_users::AdminUsersList;
use slack_admin_core::SlackError;
use slack_sim::SimConfig;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host.unchecked_into()
}

async fn tick() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

#[wasm_bindgen_test]
async fn the_app_starts_on_the_connect_page_with_its_name() {
    let host = host();
    let _handle = leptos::mount::mount_to(host.clone(), slack_admin_console::App);
    tick().await;
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("Slack Admin Console"), "{text}");
    assert!(text.contains(slack_admin_console::TAGLINE), "{text}");
    assert!(text.contains("Connect to Slack"), "{text}");
    assert!(host.query_selector("#connect-sandbox").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn the_sandbox_answers_through_core_decode() {
    let transport = Transport::sandbox("xoxp-sandbox-org-admin");
    let page = transport
        .call(&AdminUsersList {
            limit: Some(50),
            ..Default::default()
        })
        .await
        .expect("the org admin may list users");
    assert_eq!(page.users.len(), 50);
    assert!(page.response_metadata.unwrap().next_cursor.is_some());
}

#[wasm_bindgen_test]
async fn identify_tells_each_sandbox_token_apart() {
    for (token, kind) in [
        ("xoxp-sandbox-org-admin", TokenKind::GridOrgAdmin),
        ("xoxp-sandbox-member", TokenKind::Member),
        ("xoxp-sandbox-legacy", TokenKind::Legacy),
        ("xoxb-sandbox-bot", TokenKind::Bot),
    ] {
        let identity = identify(
            &Settings::Sandbox {
                token: token.into(),
                fast: false,
            }
            .transport(None),
        )
        .await
        .unwrap();
        assert_eq!(identity.token_kind(), kind, "{token}");
    }
}

#[wasm_bindgen_test]
async fn a_refusal_keeps_slacks_code() {
    let transport = Transport::sandbox("xoxp-sandbox-member");
    let err = transport
        .call(&AdminUsersList::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "missing_scope");
}

#[wasm_bindgen_test]
async fn rate_limits_are_waited_out_and_shown_then_reported() {
    let owner = Owner::new();
    owner.set();
    let config = SimConfig {
        faults: "burst429=1.0:1000".parse().unwrap(),
        ..SimConfig::default()
    };
    let waiting = RwSignal::new(None::<u64>);
    // The indicator is given to the transport when it is built, not to each call.
    let transport = Transport::sandbox_with("xoxp-sandbox-org-admin", config, Some(waiting));
    let seen = std::rc::Rc::new(std::cell::Cell::new(false));
    let watcher = {
        let seen = seen.clone();
        async move {
            for _ in 0..40 {
                if waiting.get_untracked().is_some() {
                    seen.set(true);
                }
                gloo_timers::future::TimeoutFuture::new(50).await;
            }
        }
    };
    leptos::task::spawn_local(watcher);
    let started = js_sys::Date::now();
    let err = transport
        .call(&AdminUsersList::default())
        .await
        .unwrap_err();
    assert!(matches!(err, SlackError::RateLimited { .. }), "{err:?}");
    let waited_ms = js_sys::Date::now() - started;
    assert!(
        waited_ms >= 1000.0 * RATE_LIMIT_RETRIES as f64,
        "waited only {waited_ms} ms"
    );
    assert!(seen.get(), "the wait was never shown");
    assert_eq!(
        waiting.get_untracked(),
        None,
        "the banner is cleared afterwards"
    );
}

#[wasm_bindgen_test]
async fn the_error_panel_shows_the_sentence_the_fix_and_the_code() {
    let host = host();
    let error = SlackError::Api {
        code: "missing_scope".into(),
        needed: Some("admin.users:write".into()),
        provided: Some("users:read".into()),
        detail: None,
    };
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        view! { <ErrorPanel error=error.clone() method="admin.users.invite" /> }
    });
    tick().await;
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("admin.users:write"), "{text}");
    assert!(text.contains("missing_scope"), "{text}");
    assert!(host.query_selector("[role=alert]").unwrap().is_some());
}

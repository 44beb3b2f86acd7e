//! In-browser tests (wasm-bindgen-test in headless Chromium): mount components into a fresh
//! element, act, wait a tick, assert what a person would see.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use slack_admin_console::components::error_panel::ErrorPanel;
use slack_admin_console::sandbox::{self, Backend, Stage};
use slack_admin_console::session::identify;
use slack_admin_console::transport::{configure_sandbox, Retry, Transport, RATE_LIMIT_RETRIES};
use slack_admin_core::connection::TokenKind;
use slack_admin_core::methods::admin_users::AdminUsersList;
use slack_admin_core::methods::team::TeamInfo;
use slack_admin_core::sandbox::protocol::{self, FromWorker, ToWorker};
use slack_admin_core::{Method, SlackError};
use slack_sim::worker::Host;
use slack_sim::SimConfig;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
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

/// The sandbox org in this test page, over the worker's protocol (the test runner serves no
/// worker): the same messages, as text, as `crates/sandbox-worker` moves them.
struct InPage(RefCell<Host>);

impl Backend for InPage {
    fn exchange(&self, message: ToWorker) -> Pin<Box<dyn Future<Output = FromWorker>>> {
        let out = self
            .0
            .borrow_mut()
            .on_message(&protocol::encode(&message), js_sys::Date::now() as u64);
        Box::pin(async move {
            if out.delay_ms > 0 {
                gloo_timers::future::TimeoutFuture::new(out.delay_ms as u32).await;
            }
            protocol::decode(&out.text).unwrap()
        })
    }
}

fn org(config: SimConfig) -> Rc<dyn Backend> {
    Rc::new(InPage(RefCell::new(Host::new(config))))
}

fn sandbox(token: &str) -> Transport {
    Transport::sandbox(org(SimConfig::default()), token, None)
}

#[wasm_bindgen_test]
async fn the_app_starts_on_the_connect_page_with_its_name() {
    let host = host();
    let _handle = leptos::mount::mount_to(host.clone(), || view! { <slack_admin_console::App /> });
    tick().await;
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("Slack Admin Console"), "{text}");
    assert!(text.contains(slack_admin_console::TAGLINE), "{text}");
    assert!(text.contains("Connect to Slack"), "{text}");
    assert!(host.query_selector("#connect-sandbox").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn the_entrance_is_the_connect_page_with_no_navigation() {
    let host = host();
    let _handle = leptos::mount::mount_to(host.clone(), slack_admin_console::entrance::Entrance);
    tick().await;
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("Connect to Slack"), "{text}");
    assert!(host.query_selector("#connect-sandbox").unwrap().is_some());
    assert!(host.query_selector("nav").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_sandbox_answers_through_core_decode() {
    let transport = sandbox("xoxp-sandbox-org-admin");
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
        let identity = identify(&sandbox(token)).await.unwrap();
        assert_eq!(identity.token_kind(), kind, "{token}");
    }
}

#[wasm_bindgen_test]
async fn the_faster_sandbox_is_a_setting_of_the_org() {
    // team.info is Tier 3 (50 a minute): at Slack's allowance the 51st call at once is refused,
    // at 50 times it (and 450 more) pass.
    async fn statuses(rate_scale: Option<f64>, calls: usize) -> Vec<u16> {
        let backend = org(SimConfig::default());
        if let Some(scale) = rate_scale {
            configure_sandbox(&*backend, scale, None).await.unwrap();
        }
        let transport = Transport::sandbox(backend, "xoxp-sandbox-member", None);
        let mut statuses = Vec::new();
        for _ in 0..calls {
            let answer = transport
                .send(TeamInfo::NAME, &TeamInfo::default().form(), Retry::Never)
                .await
                .unwrap();
            statuses.push(answer.status);
        }
        statuses
    }
    let slack = statuses(None, 51).await;
    assert_eq!(slack.last(), Some(&429), "{slack:?}");
    let fast = statuses(Some(50.0), 500).await;
    assert!(fast.iter().all(|s| *s == 200), "{fast:?}");
}

#[wasm_bindgen_test]
async fn a_sandbox_worker_that_cannot_load_says_so() {
    // The test runner serves no sandbox-loader.js: the worker fails as it would on a host that
    // lost the file.
    let stages = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&stages);
    let err = sandbox::open(move |s| seen.borrow_mut().push(s))
        .await
        .err()
        .expect("no worker here");
    assert_eq!(err.code(), "sandbox_unavailable", "{err:?}");
    let stages = stages.borrow();
    assert_eq!(stages.first(), Some(&Stage::Loading), "{stages:?}");
    assert!(
        matches!(stages.last(), Some(Stage::Failed(_))),
        "{stages:?}"
    );
}

#[wasm_bindgen_test]
async fn a_refusal_keeps_slacks_code() {
    let transport = sandbox("xoxp-sandbox-member");
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
    let transport = Transport::sandbox(org(config), "xoxp-sandbox-org-admin", Some(waiting));
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

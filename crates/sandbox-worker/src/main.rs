//! The sandbox org in a dedicated Web Worker. trunk builds this binary as a second wasm module
//! (`<link data-trunk rel="rust" data-type="worker">` in `index.html`); the page starts it
//! through `sandbox-loader.js` only when the admin opens the sandbox, so the first load never
//! carries the simulated org.
//!
//! All it does is move text: each message from the page goes to
//! [`slack_sim::worker::Host::on_message`], and what that returns is posted back after its
//! delay. The org lives as long as the worker, which is as long as the tab.

#[cfg(target_arch = "wasm32")]
fn main() {
    use slack_sim::worker::Host;
    use slack_sim::SimConfig;
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let host = RefCell::new(Host::new(SimConfig::default()));
    let post = {
        let scope = scope.clone();
        move |text: &str| {
            let _ = scope.post_message(&JsValue::from_str(text));
        }
    };
    let later = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        // The page only ever sends text; anything else is answered as unreadable.
        let text = event.data().as_string().unwrap_or_default();
        let out = host
            .borrow_mut()
            .on_message(&text, js_sys::Date::now() as u64);
        if out.delay_ms == 0 {
            post(&out.text);
            return;
        }
        let post = post.clone();
        let send = Closure::once_into_js(move || post(&out.text));
        let _ = later.set_timeout_with_callback_and_timeout_and_arguments_0(
            send.unchecked_ref(),
            out.delay_ms as i32,
        );
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Messages posted before this point would be lost: the page waits for it.
    let _ = scope.post_message(&JsValue::from_str(&Host::ready()));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "sandbox-worker runs inside a browser's Web Worker: `trunk build` builds it with the \
         console (see index.html). For a simulated Slack on this machine, run `slack-sim`."
    );
    std::process::exit(2);
}

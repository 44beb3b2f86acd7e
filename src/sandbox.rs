//! The sandbox org, in its own Web Worker (`crates/sandbox-worker`).
//!
//! Nothing of the simulated org is in the page's own bundle: the worker (a second wasm module)
//! is fetched the first time the admin opens the sandbox and then kept for the life of the
//! tab, so every sandbox sign-in of the tab sees one org; a reload starts a fresh one. The page
//! and the worker exchange [`protocol`] messages: an HTTP request as the `slack-sim` server
//! would get it, and its response.
//!
//! [`Backend`] is the seam: the app talks to the [`Worker`]; the browser tests run the same
//! protocol against the sim in their own page.

use js_sys::{Function, Promise};
use slack_admin_core::sandbox::protocol::{self, FromWorker, ToWorker, VERSION};
use slack_admin_core::SlackError;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The script the worker starts from, beside `index.html` (see `assets/sandbox-loader.js`).
pub const LOADER: &str = "sandbox-loader.js";

/// How long the worker may take to download and start before the page gives up on it.
pub const START_TIMEOUT_MS: i32 = 60_000;

/// Where the sandbox org stands in this tab.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Stage {
    /// Not asked for yet.
    #[default]
    Idle,
    /// The worker is downloading and building the org.
    Loading,
    Ready,
    /// It could not start; the reason, in words. Opening the sandbox again tries again.
    Failed(String),
}

/// What carries protocol messages to a simulated org and brings back its answers.
pub trait Backend {
    /// Sends one message and resolves with the answer to it (same id).
    fn exchange(&self, message: ToWorker) -> Pin<Box<dyn Future<Output = FromWorker>>>;
}

thread_local! {
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
    /// The tab's worker, once started (a failed one is replaced at the next try).
    static WORKER: RefCell<Option<Rc<Worker>>> = const { RefCell::new(None) };
}

/// A fresh message id, unique in this tab.
pub fn next_id() -> u64 {
    NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

/// The tab's sandbox worker, started if need be, once it is ready. `on_stage` hears
/// [`Stage::Loading`] (only when it has to wait) and then `Ready` or `Failed`.
pub async fn open(on_stage: impl Fn(Stage)) -> Result<Rc<Worker>, SlackError> {
    let worker = WORKER.with(|w| {
        let mut w = w.borrow_mut();
        match w.as_ref() {
            Some(existing) if existing.failure().is_none() => Rc::clone(existing),
            _ => {
                let started = Worker::start();
                *w = Some(Rc::clone(&started));
                started
            }
        }
    });
    if !worker.ready.get() {
        on_stage(Stage::Loading);
    }
    match JsFuture::from(worker.started.clone()).await {
        Ok(_) => {
            on_stage(Stage::Ready);
            Ok(worker)
        }
        Err(_) => {
            let why = worker
                .failure()
                .unwrap_or_else(|| "the sandbox stopped before it was ready".into());
            on_stage(Stage::Failed(why.clone()));
            Err(unavailable(&why))
        }
    }
}

/// The error a call gets when the sandbox cannot answer; `why` is the browser's reason.
pub fn unavailable(why: &str) -> SlackError {
    SlackError::Api {
        code: slack_admin_core::catalogue::SANDBOX_UNAVAILABLE.into(),
        needed: None,
        provided: None,
        detail: Some(why.to_owned()),
    }
}

/// The worker and the calls waiting for it.
pub struct Worker {
    /// None when the browser refused to create it (then `failure` says why).
    worker: Option<web_sys::Worker>,
    /// Resolves when the worker says it is ready; rejects if it cannot start.
    started: Promise,
    ready: Rc<Cell<bool>>,
    shared: Rc<RefCell<Shared>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
    _timeout: Option<gloo_timers::callback::Timeout>,
}

#[derive(Default)]
struct Shared {
    /// Resolvers of calls in flight, by id.
    pending: HashMap<u64, Function>,
    /// (resolve, reject) of `started`, until it settles.
    start: Option<(Function, Function)>,
    failure: Option<String>,
}

impl Shared {
    /// Stops everything: the start and every call in flight fail with `why`.
    fn fail(&mut self, why: String) {
        if self.failure.is_some() {
            return;
        }
        if let Some((_, reject)) = self.start.take() {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&why));
        }
        let failed = JsValue::from_str(&protocol::encode(&FromWorker::Failed {
            reason: why.clone(),
        }));
        for (_, resolve) in self.pending.drain() {
            let _ = resolve.call1(&JsValue::NULL, &failed);
        }
        self.failure = Some(why);
    }
}

impl Worker {
    fn start() -> Rc<Worker> {
        let worker =
            web_sys::Worker::new(&format!("{LOADER}{}", crate::console_module::build_query()))
                .map_err(|e| {
                    e.dyn_ref::<js_sys::Error>()
                        .map(|e| String::from(e.message()))
                        .unwrap_or_else(|| "the browser refused to start a worker".into())
                });
        Self::wrap(worker, false)
    }

    /// The worker another module of this page started (the entrance hands it to the console
    /// module, so the tab keeps one org).
    pub fn adopt(worker: web_sys::Worker) -> Rc<Worker> {
        let adopted = Self::wrap(Ok(worker), true);
        WORKER.with(|w| *w.borrow_mut() = Some(Rc::clone(&adopted)));
        adopted
    }

    /// The tab's worker, if it started and still answers.
    pub fn current() -> Option<Rc<Worker>> {
        WORKER.with(|w| {
            w.borrow()
                .as_ref()
                .filter(|w| w.ready.get() && w.failure().is_none())
                .cloned()
        })
    }

    /// The browser's worker object, to hand to another module of the page.
    pub fn js(&self) -> Option<web_sys::Worker> {
        self.worker.clone()
    }

    fn wrap(worker: Result<web_sys::Worker, String>, started_already: bool) -> Rc<Worker> {
        let shared = Rc::new(RefCell::new(Shared::default()));
        let ready = Rc::new(Cell::new(started_already));
        let started = {
            let shared = Rc::clone(&shared);
            Promise::new(&mut |resolve, reject| shared.borrow_mut().start = Some((resolve, reject)))
        };
        // A rejection nobody awaits yet must not be reported as unhandled.
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
        let _ = started.catch(&ignore);
        ignore.forget();

        let on_message = {
            let shared = Rc::clone(&shared);
            let ready = Rc::clone(&ready);
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let text = event.data().as_string().unwrap_or_default();
                let mut shared = shared.borrow_mut();
                match protocol::decode::<FromWorker>(&text) {
                    Ok(FromWorker::Ready { version }) if version == VERSION => {
                        ready.set(true);
                        if let Some((resolve, _)) = shared.start.take() {
                            let _ = resolve.call0(&JsValue::NULL);
                        }
                    }
                    Ok(FromWorker::Ready { .. }) => shared.fail(
                        "the sandbox is from another version of the console, cached by the \
                         browser"
                            .into(),
                    ),
                    Ok(FromWorker::Failed { reason }) => {
                        shared.fail(format!("it failed to start: {reason}"))
                    }
                    Ok(
                        FromWorker::Configured { id }
                        | FromWorker::Answer { id, .. }
                        | FromWorker::Dropped { id }
                        | FromWorker::Unreadable { id: Some(id), .. },
                    ) => {
                        if let Some(resolve) = shared.pending.remove(&id) {
                            let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&text));
                        }
                    }
                    Ok(FromWorker::Unreadable { id: None, reason }) => {
                        shared.fail(format!("it could not read a message: {reason}"))
                    }
                    Err(reason) => shared.fail(format!("its answer was unreadable: {reason}")),
                }
            })
        };
        let on_error = {
            let shared = Rc::clone(&shared);
            // A script that fails to download fires a plain Event; a crash, an ErrorEvent.
            Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                let message = js_sys::Reflect::get(&event, &JsValue::from_str("message"))
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_default();
                shared.borrow_mut().fail(if message.is_empty() {
                    "its files could not be downloaded, or it stopped".into()
                } else {
                    format!("it stopped: {message}")
                });
            })
        };
        let worker = match worker {
            Ok(w) => Some(w),
            Err(why) => {
                shared.borrow_mut().fail(why);
                None
            }
        };
        if started_already {
            if let Some((resolve, _)) = shared.borrow_mut().start.take() {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
        let timeout = worker.as_ref().filter(|_| !started_already).map(|_| {
            let shared = Rc::clone(&shared);
            gloo_timers::callback::Timeout::new(START_TIMEOUT_MS as u32, move || {
                let mut shared = shared.borrow_mut();
                if shared.start.is_some() {
                    shared.fail(format!(
                        "it did not start within {} s",
                        START_TIMEOUT_MS / 1000
                    ));
                }
            })
        });
        if let Some(worker) = &worker {
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        }
        Rc::new(Worker {
            worker,
            started,
            ready,
            shared,
            _on_message: on_message,
            _on_error: on_error,
            _timeout: timeout,
        })
    }

    /// Why the worker cannot answer, if it cannot.
    pub fn failure(&self) -> Option<String> {
        self.shared.borrow().failure.clone()
    }
}

impl Backend for Worker {
    fn exchange(&self, message: ToWorker) -> Pin<Box<dyn Future<Output = FromWorker>>> {
        let failed = |reason: String| -> Pin<Box<dyn Future<Output = FromWorker>>> {
            Box::pin(std::future::ready(FromWorker::Failed { reason }))
        };
        let (Some(worker), None) = (&self.worker, self.failure()) else {
            return failed(self.failure().unwrap_or_default());
        };
        let id = message.id();
        let shared = Rc::clone(&self.shared);
        let answer = Promise::new(&mut |resolve, _| {
            shared.borrow_mut().pending.insert(id, resolve);
        });
        if worker
            .post_message(&JsValue::from_str(&protocol::encode(&message)))
            .is_err()
        {
            self.shared.borrow_mut().pending.remove(&id);
            return failed("the browser could not reach the sandbox worker".into());
        }
        Box::pin(async move {
            let text = JsFuture::from(answer)
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            protocol::decode::<FromWorker>(&text).unwrap_or_else(|reason| FromWorker::Failed {
                reason: format!("its answer was unreadable: {reason}"),
            })
        })
    }
}

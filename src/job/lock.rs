//! One tab drives a job (one lock per kind of job): it holds a Web Lock (`navigator.locks`) for as long as it
//! drives, so a second tab can neither drive the same job nor write it. The browser releases
//! the lock when the tab closes or crashes, so another tab can take over at once.
//!
//! Where Web Locks are missing (an origin that is neither https nor loopback, an old
//! browser), a lease in localStorage stands in: the holder renews it every step, and another
//! tab takes over only once it is a few seconds old.

use crate::browser::now_ms;
use crate::session::storage::local;
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// A lease not renewed for this long is free.
const LEASE_MS: u64 = 5_000;

/// The lock (or lease), held until dropped.
pub struct Held {
    how: How,
}

enum How {
    WebLock(Option<Function>),
    Lease(&'static str, String),
}

impl Held {
    /// Whether this tab still holds it: always for a Web Lock; a lease is renewed, and is lost
    /// if another tab took it over (this tab stalled longer than the lease).
    pub fn still_held(&self) -> bool {
        match &self.how {
            How::WebLock(_) => true,
            How::Lease(name, tab) => lease::renew(name, tab),
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        match &mut self.how {
            How::WebLock(release) => {
                if let Some(release) = release.take() {
                    let _ = release.call0(&JsValue::NULL);
                }
            }
            How::Lease(name, tab) => lease::release(name, tab),
        }
    }
}

fn locks() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    Reflect::get(&navigator, &"locks".into())
        .ok()
        .filter(|l| !l.is_undefined() && !l.is_null())
}

/// Takes the lock `name` (shared by every tab of this origin) if no other tab holds it:
/// `None` when one does (or the browser refused).
pub async fn try_take(name: &'static str) -> Option<Held> {
    let Some(locks) = locks() else {
        let tab = lease::tab();
        return lease::take(name, &tab).then_some(Held {
            how: How::Lease(name, tab),
        });
    };
    let request: Function = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let granted_resolve: Rc<RefCell<Option<Function>>> = Rc::default();
    let release: Rc<RefCell<Option<Function>>> = Rc::default();
    let granted = {
        let slot = Rc::clone(&granted_resolve);
        Promise::new(&mut |resolve, _| *slot.borrow_mut() = Some(resolve))
    };
    let tell = {
        let granted_resolve = Rc::clone(&granted_resolve);
        move |v: bool| {
            if let Some(f) = granted_resolve.borrow_mut().take() {
                let _ = f.call1(&JsValue::NULL, &JsValue::from_bool(v));
            }
        }
    };
    let callback = {
        let release = Rc::clone(&release);
        let tell = tell.clone();
        Closure::once_into_js(move |lock: JsValue| -> JsValue {
            if lock.is_null() || lock.is_undefined() {
                tell(false);
                return JsValue::UNDEFINED;
            }
            // The lock is held until this promise settles: on release.
            let held = Promise::new(&mut |resolve, _| *release.borrow_mut() = Some(resolve));
            tell(true);
            held.into()
        })
    };
    let options = Object::new();
    Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE).ok()?;
    let requested = request
        .call3(&locks, &name.into(), &options, &callback)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    // A refused request (an opaque origin, a sandboxed frame) must not leave us waiting.
    let refused = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| tell(false));
    let _ = requested.catch(&refused);
    refused.forget();
    let ok = JsFuture::from(granted)
        .await
        .ok()?
        .as_bool()
        .unwrap_or(false);
    let release = release.borrow_mut().take();
    ok.then_some(Held {
        how: How::WebLock(release),
    })
}

/// Whether some tab (this one included) holds the lock `name` now.
pub async fn held_anywhere(name: &'static str) -> bool {
    let Some(locks) = locks() else {
        return lease::held(name);
    };
    let Some(query) = Reflect::get(&locks, &"query".into())
        .ok()
        .and_then(|q| q.dyn_into::<Function>().ok())
    else {
        return false;
    };
    let Ok(promise) = query.call0(&locks).and_then(|p| p.dyn_into::<Promise>()) else {
        return false;
    };
    let Ok(snapshot) = JsFuture::from(promise).await else {
        return false;
    };
    let held = Reflect::get(&snapshot, &"held".into()).unwrap_or(JsValue::UNDEFINED);
    js_sys::Array::from(&held).iter().any(|l| {
        Reflect::get(&l, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .is_some_and(|n| n == name)
    })
}

/// The lease in localStorage, at `<lock name>.lease`: `tab:expiry_ms`.
mod lease {
    use super::{local, now_ms, LEASE_MS};

    fn key(name: &str) -> String {
        format!("{name}.lease")
    }

    thread_local! {
        static TAB: String = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
    }

    /// This page's name in the lease.
    pub fn tab() -> String {
        TAB.with(Clone::clone)
    }

    fn holder(name: &str) -> Option<(String, u64)> {
        let value = local()?.get_item(&key(name)).ok()??;
        let (tab, until) = value.split_once(':')?;
        Some((tab.to_owned(), until.parse().ok()?))
    }

    fn write(name: &str, tab: &str) -> bool {
        local().is_some_and(|s| {
            s.set_item(&key(name), &format!("{tab}:{}", now_ms() + LEASE_MS))
                .is_ok()
        })
    }

    /// Takes the lease unless another tab holds a fresh one.
    pub fn take(name: &str, tab: &str) -> bool {
        match holder(name) {
            Some((other, until)) if other != tab && until > now_ms() => false,
            _ => write(name, tab) && holder(name).is_some_and(|(t, _)| t == tab),
        }
    }

    /// Renews this tab's lease; false when another tab holds it now.
    pub fn renew(name: &str, tab: &str) -> bool {
        match holder(name) {
            Some((holder, until)) if holder != tab && until > now_ms() => false,
            _ => write(name, tab),
        }
    }

    pub fn release(name: &str, tab: &str) {
        if holder(name).is_some_and(|(t, _)| t == tab) {
            if let Some(s) = local() {
                let _ = s.remove_item(&key(name));
            }
        }
    }

    /// Whether any tab holds a fresh lease.
    pub fn held(name: &str) -> bool {
        holder(name).is_some_and(|(_, until)| until > now_ms())
    }
}

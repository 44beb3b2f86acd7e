//! One tab drives the invite job: it holds a Web Lock (`navigator.locks`) for as long as it
//! drives, so a second tab can neither drive the same job nor write it. The browser releases
//! the lock when the tab closes or crashes, so another tab can take over at once.

use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The lock's name, shared by every tab of this origin.
const NAME: &str = "slack-admin-console.invite-job";

/// The lock, held until dropped.
pub struct Held {
    release: Option<Function>,
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

fn locks() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    Reflect::get(&navigator, &"locks".into())
        .ok()
        .filter(|l| !l.is_undefined() && !l.is_null())
}

/// Takes the lock if no other tab holds it: `None` when one does. A browser without Web
/// Locks (they need a secure context: https or loopback) has one writer per tab only.
pub async fn try_take() -> Option<Held> {
    let Some(locks) = locks() else {
        return Some(Held { release: None });
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
    let callback = {
        let granted_resolve = Rc::clone(&granted_resolve);
        let release = Rc::clone(&release);
        Closure::once_into_js(move |lock: JsValue| -> JsValue {
            let tell = |v: bool| {
                if let Some(f) = granted_resolve.borrow_mut().take() {
                    let _ = f.call1(&JsValue::NULL, &JsValue::from_bool(v));
                }
            };
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
    let _ = request.call3(&locks, &NAME.into(), &options, &callback);
    let ok = JsFuture::from(granted)
        .await
        .ok()?
        .as_bool()
        .unwrap_or(false);
    let release = release.borrow_mut().take();
    ok.then_some(Held { release })
}

/// Whether some tab (this one included) holds the lock now.
pub async fn held_anywhere() -> bool {
    let Some(locks) = locks() else {
        return false;
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
            .is_some_and(|n| n == NAME)
    })
}

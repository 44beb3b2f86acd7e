//! What the tabs of this browser tell each other about a job (one channel per kind of job): a tab that only shows
//! it sends Pause or Cancel to the tab that drives it (BroadcastChannel), and follows its
//! progress from the `storage` events of the saved job.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A request from another tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Pause,
    Cancel,
}

impl Command {
    fn word(self) -> &'static str {
        match self {
            Command::Pause => "pause",
            Command::Cancel => "cancel",
        }
    }

    fn parse(word: &str) -> Option<Self> {
        match word {
            "pause" => Some(Command::Pause),
            "cancel" => Some(Command::Cancel),
            _ => None,
        }
    }
}

/// Sends `command` about the job of `owner` to the other tabs, on channel `name`.
pub fn send(name: &str, command: Command, owner: &str) {
    if let Ok(channel) = web_sys::BroadcastChannel::new(name) {
        let _ = channel.post_message(&format!("{}\n{owner}", command.word()).into());
        channel.close();
    }
}

/// Calls `on_command` with every command another tab sends, and whose job it is about, for
/// the life of the page.
pub fn listen(name: &str, on_command: impl Fn(Command, &str) + 'static) {
    let Ok(channel) = web_sys::BroadcastChannel::new(name) else {
        return;
    };
    let handler = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let Some(text) = e.data().as_string() else {
            return;
        };
        if let Some((word, owner)) = text.split_once('\n') {
            if let Some(c) = Command::parse(word) {
                on_command(c, owner);
            }
        }
    });
    channel.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // Both live as long as the page: one listener per page.
    handler.forget();
    std::mem::forget(channel);
}

/// Calls `on_change` with the key whenever another tab changes a localStorage key that
/// starts with `prefix` (`None`: the whole storage was cleared).
pub fn on_storage_change(prefix: &'static str, on_change: impl Fn(Option<String>) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let handler = Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
        // A null key means the whole storage was cleared.
        let key = e.key();
        if key.as_deref().is_none_or(|k| k.starts_with(prefix)) {
            on_change(key);
        }
    });
    let _ = window.add_event_listener_with_callback("storage", handler.as_ref().unchecked_ref());
    handler.forget();
}

//! The few browser services the app uses beside rendering: the clock, timers, downloads.

use wasm_bindgen::JsCast;

/// Milliseconds since the epoch, by this browser's clock.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Seconds since the epoch.
pub fn now_s() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Whether a key event is typing into a field (a text field, a select, a text area; not a
/// checkbox): page shortcuts leave those keys alone.
pub fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            let checkbox = el.get_attribute("type").as_deref() == Some("checkbox");
            matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA") && !checkbox
        })
}

/// Waits `ms` milliseconds (at most about 24 days).
pub async fn sleep(ms: u64) {
    gloo_timers::future::TimeoutFuture::new(ms.min(u64::from(u32::MAX)) as u32).await;
}

/// Offers `text` as a CSV file download. The byte order mark tells spreadsheets the file is
/// UTF-8 (names like José, 山田).
pub fn download_csv(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&format!("\u{feff}{text}")));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(a) = document
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoked later: some browsers start the download after click() returns.
    leptos::task::spawn_local(async move {
        sleep(60_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
}

/// The bytes of a chosen file.
pub async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, ()> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| ())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

//! The org's icon, or its initial when there is none or it cannot be loaded (blocked by the
//! page's image policy, offline, or a URL of a local slack-sim): never a broken image.

use leptos::prelude::*;

/// The first letter of a name, upper-cased; `?` for an empty name.
pub fn initial(name: &str) -> String {
    name.trim()
        .chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".to_owned())
}

#[component]
pub fn OrgIcon(
    /// The icon's URL, if Slack gave one.
    src: Option<String>,
    /// The org or workspace name, for the initial.
    #[prop(into)]
    name: String,
    /// Width and height in CSS pixels: 28 or 56 (`.org-initial-N` in main.css).
    size: u32,
    /// The class of the image (its corner radius).
    #[prop(into)]
    class: String,
) -> impl IntoView {
    let failed = RwSignal::new(false);
    let letter = initial(&name);
    // A class, not a style attribute: the page's CSP allows no inline style.
    let box_class = format!("org-initial org-initial-{size}");
    move || match src.clone().filter(|_| !failed.get()) {
        Some(src) => view! {
            <img
                class=class.clone()
                src=src
                alt=""
                width=size
                height=size
                on:error=move |_| failed.set(true)
            />
        }
        .into_any(),
        None => view! {
            <span class=box_class.clone() aria-hidden="true">{letter.clone()}</span>
        }
        .into_any(),
    }
}

//! The Slack Admin Console: a Leptos single-page app.

use leptos::prelude::*;

/// The one-line description shown under the name.
pub const TAGLINE: &str = "Invite people, change roles and answer invite requests in Slack.";

#[component]
pub fn App() -> impl IntoView {
    view! {
        <main class="page">
            <h1>"Slack Admin Console"</h1>
            <p class="tagline">{TAGLINE}</p>
        </main>
    }
}

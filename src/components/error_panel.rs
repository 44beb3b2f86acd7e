//! A failed call, as a person reads it: what happened, what to do, and the raw code.

use leptos::prelude::*;
use slack_admin_core::catalogue::explain;
use slack_admin_core::SlackError;

/// Shows the catalogue's sentence and fix for `error`; `method` names the call that failed.
#[component]
pub fn ErrorPanel(
    error: SlackError,
    #[prop(optional)] method: Option<&'static str>,
) -> impl IntoView {
    let explanation = explain(&error, method);
    view! {
        <div class="error-panel" role="alert">
            <p class="error-summary">{explanation.summary}</p>
            <p class="error-fix">{explanation.fix}</p>
            <p class="error-code">"Slack's code: " <code>{explanation.code}</code></p>
        </div>
    }
}

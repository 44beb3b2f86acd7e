use leptos::prelude::*;
use leptos_router::components::A;

/// A path the console does not have.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Page not found"</h1>
            <p>"The console has no page at this address. It may have been mistyped."</p>
            <p><A href=crate::href("/")>"Go to the start"</A></p>
        </section>
    }
}

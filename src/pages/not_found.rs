use leptos::prelude::*;

/// A path the console does not have.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Page not found"</h1>
            <p>"The console has no page at this address. It may have been mistyped."</p>
            // A plain link: the console's router catches it; the entrance has no router.
            <p><a href=crate::href("/")>"Go to the start"</a></p>
        </section>
    }
}

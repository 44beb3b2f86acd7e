//! The frame around every page: header with the connected org, navigation, the rate-limit
//! banner.

use crate::components::org_icon::OrgIcon;
use crate::session::{Session, Status};
use crate::{href, TAGLINE};
use leptos::prelude::*;
use leptos_router::components::A;

/// Pending invite requests and how many of them are new, for the navigation (the console
/// provides it; the entrance has no inbox).
#[derive(Clone, Copy)]
pub struct RequestCount(pub Signal<(usize, usize)>);

fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    let main = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"));
    if let Some(main) =
        main.and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok())
    {
        let _ = main.focus();
    }
}

/// `on_disconnect` runs before the session forgets the connection (the console forgets what
/// the next connection must not see). `bare` (the entrance, while it hands the connection to
/// the console) shows neither the connection nor the navigation: nothing to click that the
/// console is about to replace.
#[component]
pub fn Shell(
    children: Children,
    #[prop(optional, into)] on_disconnect: Option<Callback<()>>,
    #[prop(optional)] bare: bool,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let disconnect = move |_| {
        if let Some(f) = on_disconnect {
            f.run(());
        }
        session.disconnect();
    };
    let through_proxy = move || {
        session
            .status()
            .with(|s| matches!(s, Status::Connected(c) if c.identity.proxy_key.is_some()))
    };
    view! {
        // With a <base href>, "#main" would resolve to the start page: focus by hand.
        <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
        <header class="app-header">
            <div class="brand">
                <img class="brand-mark" src="favicon.svg" alt="" width="28" height="28" />
                <div>
                    <span class="brand-name">"Slack Admin Console"</span>
                    <span class="brand-tagline">{TAGLINE}</span>
                </div>
            </div>
            {move || match session.status().get() {
                Status::Connected(c) if !bare => {
                    let identity = c.identity;
                    let icon = identity.team.icon.image_44.clone().filter(|_| !c.sandbox);
                    let org = identity.org_name().to_owned();
                    let user = identity.auth.user.clone();
                    let kind = identity.token_kind().label();
                    view! {
                        <div class="connected" aria-label="Connection">
                            <OrgIcon src=icon name=org.clone() size=28 class="org-icon" />
                            <div class="connected-text">
                                <span class="org-name">{org}</span>
                                <span class="who">
                                    {user} " · " {kind} {c.sandbox.then_some(" · sandbox")}
                                </span>
                            </div>
                            <button class="button secondary" on:click=disconnect>
                                "Disconnect"
                            </button>
                        </div>
                    }
                        .into_any()
                }
                _ => ().into_any(),
            }}
        </header>
        <Show when=move || !bare && matches!(session.status().get(), Status::Connected(_))>
            <nav class="app-nav" aria-label="Main">
                <A href=href("/overview")>"Overview"</A>
                <A href=href("/invite")>"Invite"</A>
                <A href=href("/members")>"Members"</A>
                {use_context::<RequestCount>().map(|RequestCount(count)| view! {
                    <A href=href("/requests")>
                        "Requests"
                        {move || {
                            let (pending, new) = count.get();
                            let fresh = new > 0;
                            (pending > 0).then(|| view! {
                                <span class="nav-count" class:fresh=fresh>
                                    {pending}
                                    <span class="visually-hidden">
                                        {if new > 0 { format!(" pending, {new} new") } else { " pending".to_owned() }}
                                    </span>
                                </span>
                            })
                        }}
                    </A>
                })}
                // Jobs run by the proxy: only a connection through one has them.
                <Show when=move || through_proxy()>
                    <A href=href("/jobs")>"Jobs"</A>
                </Show>
                // The proxy's audit log: only a proxy keeps one.
                <Show when=move || through_proxy()>
                    <A href=href("/activity")>"Activity"</A>
                </Show>
            </nav>
        </Show>
        {move || {
            session
                .waiting()
                .get()
                .map(|s| {
                    view! {
                        <div class="banner" role="status">
                            {format!("Waiting for Slack's rate limit ({s} s)…")}
                        </div>
                    }
                })
        }}
        <main id="main" class="page" tabindex="-1">
            {children()}
        </main>
    }
}

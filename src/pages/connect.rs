//! The connect page: the sandbox or a pasted token.

use crate::components::error_panel::ErrorPanel;
use crate::sandbox::Stage;
use crate::session::{Session, Settings, Status, SLACK_API};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use slack_admin_core::connection::{check_base_url, check_token};
use slack_admin_core::sandbox;
use slack_admin_core::SlackError;

/// `/`: the connect forms, or on to the overview once connected.
#[component]
pub fn ConnectPage() -> impl IntoView {
    view! {
        <RequireConnection>
            <Redirect path="/overview" />
        </RequireConnection>
    }
}

/// Shows its children when connected; otherwise the connect forms, in place, so a deep link
/// opened while disconnected lands on its page right after connecting.
#[component]
pub fn RequireConnection(children: ChildrenFn) -> impl IntoView {
    let session = expect_context::<Session>();
    move || match session.status().get() {
        Status::Connected(_) => children().into_any(),
        Status::Reconnecting => view! {
            <p class="muted" role="status">"Reconnecting with the remembered token…"</p>
            <SandboxLoading />
        }
        .into_any(),
        Status::Disconnected => view! { <ConnectForms /> }.into_any(),
    }
}

/// While the sandbox org's worker downloads and starts: a progress bar and what is happening.
#[component]
fn SandboxLoading() -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        (session.sandbox_stage().get() == Stage::Loading).then(|| {
            view! {
                <div class="loading-note" role="status">
                    <progress aria-label="Loading the sandbox org"></progress>
                    <p>"Downloading the simulated org (once per tab)…"</p>
                </div>
            }
        })
    }
}

/// Which form was submitted last, so its answer shows beside it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    Sandbox,
    Token,
    Proxy,
}

#[component]
fn ConnectForms() -> impl IntoView {
    let session = expect_context::<Session>();
    let who = RwSignal::new(sandbox::TOKENS[0].0.to_owned());
    let fast = RwSignal::new(false);
    let big = RwSignal::new(false);
    let token = RwSignal::new(String::new());
    let base_url = RwSignal::new(SLACK_API.to_owned());
    let remember = RwSignal::new(false);
    let token_error = RwSignal::new(None::<String>);
    let url_error = RwSignal::new(None::<String>);
    // Read once: where the page runs does not change while it is open.
    let shared = crate::page_origin::shared_storage();
    let reveal = RwSignal::new(false);
    let way = RwSignal::new(Way::Sandbox);
    // Through a proxy: its address (this page's own when the proxy serves it) and a key.
    let proxy_url = RwSignal::new(String::new());
    let proxy_here = RwSignal::new(false);
    let proxy_key = RwSignal::new(String::new());
    let proxy_remember = RwSignal::new(false);
    let proxy_error = RwSignal::new(None::<String>);
    let proxy_url_error = RwSignal::new(None::<String>);
    // `slack-admin-proxy` marks the page it serves (a <meta name="slack-admin-proxy">): then
    // its address is this page's own. Elsewhere (GitHub Pages) there is no mark.
    let marked = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name='slack-admin-proxy']")
                .ok()
                .flatten()
        })
        .is_some();
    if marked {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        proxy_url.set(format!("{origin}{}/", crate::base_path()));
        proxy_here.set(true);
    }

    // In the entrance, the console module starts downloading as a form is sent.
    let prefetch = use_context::<crate::entrance::Prefetch>();
    let connect = Action::new_local(move |(settings, remember): &(Settings, bool)| {
        if let Some(p) = prefetch {
            p.start();
        }
        let (settings, remember) = (settings.clone(), *remember);
        async move { session.connect(settings, remember).await }
    });
    let pending = connect.pending();
    // The failure of the last attempt (or of restoring a remembered connection).
    let failure = move |w: Way| -> Option<SlackError> {
        if way.get() != w {
            return None;
        }
        match connect.value().get() {
            Some(Err(e)) => Some(e),
            Some(Ok(())) => None,
            None if w == Way::Token || w == Way::Proxy => session.restore_error().get(),
            None => None,
        }
    };

    let open_sandbox = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        way.set(Way::Sandbox);
        connect.dispatch((
            Settings::Sandbox {
                token: who.get_untracked(),
                fast: fast.get_untracked(),
                big: big.get_untracked(),
            },
            remember.get_untracked(),
        ));
    };
    let connect_token = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        way.set(Way::Token);
        // Refused before anything else: a framed or hijacked page never takes a token.
        if let Some(why) = crate::page_origin::token_unsafe() {
            token_error.set(Some(why));
            return;
        }
        let t = check_token(&token.get_untracked());
        // Refused here, with the true reason, rather than blocked by the browser as a
        // mysterious network failure.
        let u = check_base_url(&base_url.get_untracked())
            .and_then(|u| crate::page_origin::check_connect(&u).map(|()| u));
        token_error.set(t.as_ref().err().cloned());
        url_error.set(u.as_ref().err().cloned());
        if let (Ok(token), Ok(base_url)) = (t, u) {
            connect.dispatch((
                Settings::Token { base_url, token },
                remember.get_untracked(),
            ));
        }
    };

    let connect_proxy = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        way.set(Way::Proxy);
        if let Some(why) = crate::page_origin::token_unsafe() {
            proxy_error.set(Some(why));
            return;
        }
        let k = slack_admin_core::connection::check_proxy_key(&proxy_key.get_untracked());
        // The address an SDK would be given (…/api/) is the proxy's too.
        let typed = proxy_url.get_untracked();
        let typed = typed.trim();
        let typed = typed
            .strip_suffix("api/")
            .or_else(|| typed.strip_suffix("api"))
            .unwrap_or(typed);
        let u =
            check_base_url(typed).and_then(|u| crate::page_origin::check_connect(&u).map(|()| u));
        proxy_error.set(k.as_ref().err().cloned());
        proxy_url_error.set(u.as_ref().err().cloned());
        if let (Ok(key), Ok(url)) = (k, u) {
            connect.dispatch((Settings::Proxy { url, key }, proxy_remember.get_untracked()));
        }
    };

    view! {
        <h1 class="page-title">"Connect to Slack"</h1>
        <p class="lead">
            "Choose where the console works: a simulated org in this tab, your own org with a token, or your org through your team's proxy."
        </p>
        <div class="connect-grid">
            <section class="card" aria-labelledby="sandbox-heading">
                <h2 id="sandbox-heading">"Try the sandbox"</h2>
                <p>
                    "A simulated Enterprise Grid org runs inside this browser tab: hundreds of members, "
                    "channels and invite requests. It is downloaded when you open it; nothing leaves "
                    "your browser."
                </p>
                <form on:submit=open_sandbox>
                    <label for="sandbox-who">"Sign in as"</label>
                    <select
                        id="sandbox-who"
                        on:change=move |ev| who.set(event_target_value(&ev))
                        prop:value=move || who.get()
                    >
                        {sandbox::TOKENS
                            .iter()
                            .map(|(t, label)| view! { <option value=*t>{*label}</option> })
                            .collect_view()}
                    </select>
                    <div class="checkbox">
                        <input id="sandbox-fast" type="checkbox" bind:checked=fast />
                        <label for="sandbox-fast">"Faster rate limits (50× Slack's)"</label>
                    </div>
                    <p class="help">
                        "For a quick demo of bulk invites. Unticked, the sandbox limits calls as Slack does: "
                        "about 20 invitations a minute."
                    </p>
                    <div class="checkbox">
                        <input id="sandbox-big" type="checkbox" bind:checked=big />
                        <label for="sandbox-big">"A big org: 100,000 members"</label>
                    </div>
                    <p class="help">
                        "To see how the console handles a large org. Changing the size starts a new org in this tab."
                    </p>
                    <button
                        id="connect-sandbox"
                        class="button primary"
                        type="submit"
                        disabled=move || pending.get()
                    >
                        {move || if pending.get() && way.get() == Way::Sandbox { "Opening…" } else { "Open the sandbox" }}
                    </button>
                </form>
                <SandboxLoading />
                {move || failure(Way::Sandbox).map(|e| view! { <ErrorPanel error=e /> })}
            </section>

            <section class="card" aria-labelledby="token-heading">
                <h2 id="token-heading">"Connect with a token"</h2>
                <p>
                    "Paste a user token of your org or workspace. The page calls Slack's API "
                    "straight from your browser; the token goes nowhere else."
                </p>
                <form on:submit=connect_token novalidate>
                    <label for="token">"Slack token"</label>
                    // A text field masked by CSS, not type=password: a password field makes
                    // the form look like a login, and browsers and password managers offer
                    // to save the token with this site's address.
                    <div class="secret-field">
                        <input
                            id="token"
                            type="text"
                            class="secret"
                            class:revealed=move || reveal.get()
                            name="slack-api-token"
                            autocomplete="off"
                            autocapitalize="off"
                            spellcheck="false"
                            data-1p-ignore="true"
                            data-lpignore="true"
                            data-bwignore="true"
                            data-form-type="other"
                            placeholder="xoxp-…"
                            aria-describedby="token-error"
                            aria-invalid=move || token_error.get().is_some().to_string()
                            bind:value=token
                        />
                        <button
                            type="button"
                            class="button secondary reveal"
                            aria-controls="token"
                            on:click=move |_| reveal.update(|r| *r = !*r)
                        >
                            {move || if reveal.get() { "Hide" } else { "Show" }}
                        </button>
                    </div>
                    <p id="token-error" class="field-error" aria-live="polite">
                        {move || token_error.get()}
                    </p>
                    <details>
                        <summary>"Advanced"</summary>
                        <label for="base-url">"API base URL"</label>
                        <input
                            id="base-url"
                            type="url"
                            spellcheck="false"
                            aria-describedby="base-url-help base-url-error"
                            aria-invalid=move || url_error.get().is_some().to_string()
                            bind:value=base_url
                        />
                        <p id="base-url-help" class="help">
                            "Slack's is " <code>{SLACK_API}</code>
                            ". A local slack-sim stands in for Slack at http://127.0.0.1:PORT/api/."
                        </p>
                        <p id="base-url-error" class="field-error" aria-live="polite">
                            {move || url_error.get()}
                        </p>
                    </details>
                    <div class="checkbox">
                        <input id="remember" type="checkbox" aria-describedby="remember-help remember-shared" bind:checked=remember />
                        <label for="remember">"Remember on this device"</label>
                    </div>
                    <p id="remember-help" class="help">
                        "Stores the token in this browser's local storage, so a reload stays "
                        "connected; anyone using this browser profile can read it. "
                        "Disconnect wipes it. Unticked, the token lives only in this tab's memory."
                    </p>
                    {shared.clone().map(|why| view! {
                        <p id="remember-shared" class="notice" class:warning=move || remember.get()>
                            <strong>"Best left off here. "</strong>
                            {why}
                            " Such a site could also script this page while it is open, so use a real token here "
                            "only if you trust every site at this address; better, run the console on an "
                            "address of its own (a custom domain)."
                        </p>
                    })}
                    <button
                        id="connect-token"
                        class="button primary"
                        type="submit"
                        disabled=move || pending.get()
                    >
                        {move || if pending.get() && way.get() == Way::Token { "Connecting…" } else { "Connect" }}
                    </button>
                </form>
                {move || failure(Way::Token).map(|e| view! { <ErrorPanel error=e method="auth.test" /> })}
            </section>

            <section class="card" aria-labelledby="proxy-heading">
                <h2 id="proxy-heading">"Through your team's proxy"</h2>
                <p>
                    {move || if proxy_here.get() {
                        "This page is served by your team's slack-admin-proxy: it holds the Slack token, and you sign in with the access key its admin gave you."
                    } else {
                        "If your team runs slack-admin-proxy, it holds the Slack token and you hold an access key of your own."
                    }}
                </p>
                <form on:submit=connect_proxy novalidate>
                    <label for="proxy-url">"Proxy address"</label>
                    <input
                        id="proxy-url"
                        type="url"
                        spellcheck="false"
                        placeholder="https://slack-proxy.example.com/"
                        aria-describedby="proxy-url-error"
                        aria-invalid=move || proxy_url_error.get().is_some().to_string()
                        bind:value=proxy_url
                    />
                    <p id="proxy-url-error" class="field-error" aria-live="polite">
                        {move || proxy_url_error.get()}
                    </p>
                    <label for="proxy-key">"Access key"</label>
                    <input
                        id="proxy-key"
                        type="text"
                        class="secret"
                        class:revealed=move || reveal.get()
                        autocomplete="off"
                        autocapitalize="off"
                        spellcheck="false"
                        data-1p-ignore="true"
                        data-lpignore="true"
                        data-bwignore="true"
                        data-form-type="other"
                        placeholder="sak_…"
                        aria-describedby="proxy-key-error"
                        aria-invalid=move || proxy_error.get().is_some().to_string()
                        bind:value=proxy_key
                    />
                    <p id="proxy-key-error" class="field-error" aria-live="polite">
                        {move || proxy_error.get()}
                    </p>
                    <div class="checkbox">
                        <input id="proxy-remember" type="checkbox" aria-describedby="proxy-remember-shared" bind:checked=proxy_remember />
                        <label for="proxy-remember">"Remember the key on this device"</label>
                    </div>
                    {shared.map(|why| view! {
                        <p id="proxy-remember-shared" class="notice" class:warning=move || proxy_remember.get()>
                            <strong>"Best left off here. "</strong>
                            {why}
                            " A remembered key could be read by those sites; ask your proxy's admin to serve the console from the proxy itself."
                        </p>
                    })}
                    <button
                        id="connect-proxy"
                        class="button primary"
                        type="submit"
                        disabled=move || pending.get()
                    >
                        {move || if pending.get() && way.get() == Way::Proxy { "Connecting…" } else { "Connect through the proxy" }}
                    </button>
                </form>
                {move || failure(Way::Proxy).map(|e| match e.code() {
                    // The proxy refused the key: Slack never saw it.
                    code @ ("invalid_auth" | "not_authed") => {
                        let code = code.to_owned();
                        view! {
                            <div class="error-panel" role="alert">
                                <p class="error-summary">
                                    "The proxy did not accept this access key: it is mistyped, or its admin revoked it."
                                </p>
                                <p class="error-fix">
                                    "Copy the key again as one piece, or ask the proxy's admin for a new one (slack-admin-proxy keys add)."
                                </p>
                                <p class="error-code">"The proxy's code: " <code>{code}</code></p>
                            </div>
                        }
                        .into_any()
                    }
                    _ => view! { <ErrorPanel error=e method="auth.test" /> }.into_any(),
                })}
            </section>
        </div>

        <section class="card token-guide" aria-labelledby="guide-heading">
            <h2 id="guide-heading">"Which tokens work"</h2>
            <table>
                <thead>
                    <tr><th scope="col">"Token"</th><th scope="col">"What the console can do"</th></tr>
                </thead>
                <tbody>
                    <tr>
                        <td>"User token (xoxp-) of an Enterprise Grid org admin or owner, installed on the org"</td>
                        <td>"Everything: invites with admin.users.invite, members, roles, guest expiration, invite requests."</td>
                    </tr>
                    <tr>
                        <td>"Legacy token (scope client), any plan"</td>
                        <td>"Invites with users.admin.invite; members read-only. Slack issues no new legacy tokens since May 2020."</td>
                    </tr>
                    <tr>
                        <td>"Member user token or bot token (xoxb-)"</td>
                        <td>"Read-only views; Slack refuses admin actions to these."</td>
                    </tr>
                </tbody>
            </table>
            <h3>"Scopes each feature needs"</h3>
            <ul class="scopes">
                <li>"Invite people: " <code>"admin.users:write"</code> " (Grid) or " <code>"client"</code> " (legacy)"</li>
                <li>"List members: " <code>"admin.users:read"</code> " (or " <code>"users:read"</code> ", read-only)"</li>
                <li>"Change roles, remove, guest expiration: " <code>"admin.users:write"</code></li>
                <li>"Invite requests: " <code>"admin.invites:read"</code> " and " <code>"admin.invites:write"</code></li>
                <li>"Workspaces of the org: " <code>"admin.teams:read"</code> "; channels by name: " <code>"channels:read"</code> ", " <code>"groups:read"</code></li>
            </ul>
        </section>
    }
}

//! `/members`: everyone in the org, found in a keystroke. Search, filter chips (each can be
//! negated) and sort live in the URL query (`slack_admin_core::members::View`), so a link
//! reproduces the view and Back undoes a filter. Only the rows in sight are in the DOM.

use crate::components::error_panel::ErrorPanel;
use crate::members::{Load, Members};
use crate::pages::connect::RequireConnection;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use slack_admin_core::invite::csv::thousands;
use slack_admin_core::members::{
    self, chip_code, has_activity_data, kind_label, parse_chip, role_label, status_label, Chip,
    Row, SortKey, View,
};
use wasm_bindgen::JsCast;

/// The height of a row, in pixels (style/main.css `.members-table tr`).
const ROW_PX: f64 = 44.0;
/// Rows drawn beyond the visible ones, above and below.
const MARGIN: usize = 10;

#[component]
pub fn MembersPage() -> impl IntoView {
    view! {
        <RequireConnection>
            <MembersView />
        </RequireConnection>
    }
}

#[component]
fn MembersView() -> impl IntoView {
    let session = expect_context::<Session>();
    let members = expect_context::<Members>();
    members.ensure(session);
    let location = use_location();
    let navigate = use_navigate();
    // The view is the URL's; a bad query is reported and read as the default view.
    let parsed = Memo::new(move |_| View::from_query(&location.search.get()));
    let view_of = move || parsed.get().unwrap_or_default();
    let now = crate::browser::now_s();
    let order = Memo::new(move |_| {
        let view = view_of();
        members.with(|rows| view.apply(rows, now))
    });
    let total = Memo::new(move |_| members.with(|rows| rows.len()));
    let set_view = {
        let navigate = navigate.clone();
        move |view: View, replace: bool| {
            let query = view.to_query();
            // The full path (href() adds the base), taken as it is.
            let path = crate::href("/members");
            let to = if query.is_empty() {
                path
            } else {
                format!("{path}?{query}")
            };
            navigate(
                &to,
                NavigateOptions {
                    resolve: false,
                    replace,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            );
        }
    };

    // Scrolling: which rows are in sight.
    let scroller = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport = 560.0_f64;
    let window = Memo::new(move |_| {
        let n = order.with(Vec::len);
        let first = ((scroll_top.get() / ROW_PX) as usize).saturating_sub(MARGIN);
        let count = (viewport / ROW_PX) as usize + 2 * MARGIN;
        let last = (first + count).min(n);
        (first.min(n), last)
    });
    // The row under the keyboard cursor (an index into the view's order).
    let cursor = RwSignal::new(None::<usize>);
    let search_input = NodeRef::<leptos::html::Input>::new();

    // Keys: `/` to search, `j`/`k` to move, Esc to leave the search.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "/" if !typing => {
                ev.prevent_default();
                if let Some(input) = search_input.get_untracked() {
                    let _ = input.focus();
                }
            }
            "Escape" if typing => {
                if let Some(input) = search_input.get_untracked() {
                    let _ = input.blur();
                }
            }
            "j" | "k" if !typing => {
                let n = order.with_untracked(Vec::len);
                if n == 0 {
                    return;
                }
                let next = match (cursor.get_untracked(), ev.key().as_str()) {
                    (None, _) => 0,
                    (Some(c), "j") => (c + 1).min(n - 1),
                    (Some(c), _) => c.saturating_sub(1),
                };
                cursor.set(Some(next));
                // Keep it in sight.
                if let Some(el) = scroller.get_untracked() {
                    let top = next as f64 * ROW_PX;
                    let seen = el.scroll_top() as f64;
                    if top < seen || top + ROW_PX > seen + f64::from(el.client_height()) {
                        el.set_scroll_top((top - viewport / 2.0).max(0.0) as i32);
                    }
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    let export = move |_| {
        let csv = members.with(|rows| members::to_csv(rows, &order.get_untracked()));
        crate::browser::download_csv("members.csv", &csv);
    };
    let org_teams = session
        .connection()
        .map(|c| c.identity.org_teams.clone())
        .unwrap_or_default();
    let team_name = {
        let teams = org_teams.clone();
        move |id: &str| {
            teams
                .iter()
                .find(|t| t.id.as_str() == id)
                .map(|t| t.name.clone())
                .unwrap_or_else(|| id.to_owned())
        }
    };

    let add_filter = {
        let set_view = set_view.clone();
        move |ev: leptos::ev::Event| {
            let code = event_target_value(&ev);
            if let Some(chip) = parse_chip(&code) {
                let mut view = view_of();
                view.toggle(chip, false);
                set_view(view, false);
            }
            if let Some(select) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                select.set_value("");
            }
        }
    };
    let on_search = {
        let set_view = set_view.clone();
        move |ev: leptos::ev::Event| {
            let mut view = view_of();
            view.search = event_target_value(&ev);
            // Typing does not fill the history: one entry per search.
            set_view(view, true);
            cursor.set(None);
        }
    };
    let sort_by = {
        let set_view = set_view.clone();
        move |key: SortKey| {
            let mut view = view_of();
            if view.sort == key {
                view.descending = !view.descending;
            } else {
                view.sort = key;
                view.descending = false;
            }
            set_view(view, false);
        }
    };
    let header = move |label: &'static str, key: SortKey| {
        let sort_by = sort_by.clone();
        let state = move || {
            let v = view_of();
            if v.sort != key {
                "none"
            } else if v.descending {
                "descending"
            } else {
                "ascending"
            }
        };
        view! {
            <th scope="col" aria-sort=state>
                <button class="sort" on:click=move |_| sort_by(key)>{label}</button>
            </th>
        }
    };

    let chips = {
        let set_view = set_view.clone();
        let team_name = team_name.clone();
        move || {
            view_of()
                .filters
                .into_iter()
                .map(|f| {
                    let label = match &f.chip {
                        Chip::Workspace(t) => {
                            let name = format!("in {}", team_name(t.as_str()));
                            if f.negated { format!("not {name}") } else { name }
                        }
                        _ => f.label(),
                    };
                    let (negate, remove) = (set_view.clone(), set_view.clone());
                    let (chip, chip2) = (f.chip.clone(), f.chip.clone());
                    let negated = f.negated;
                    view! {
                        <li class="chip" class:negated=negated>
                            <span>{label.clone()}</span>
                            <button
                                class="chip-action"
                                aria-label=format!("{} the filter {label}", if negated { "Un-negate" } else { "Negate" })
                                on:click=move |_| {
                                    let mut v = view_of();
                                    v.toggle(chip.clone(), !negated);
                                    negate(v, false);
                                }
                            >
                                {if negated { "Un-negate" } else { "Negate" }}
                            </button>
                            <button
                                class="chip-action"
                                aria-label=format!("Remove the filter {label}")
                                on:click=move |_| {
                                    let mut v = view_of();
                                    v.remove(&chip2);
                                    remove(v, false);
                                }
                            >
                                "×"
                            </button>
                        </li>
                    }
                })
                .collect_view()
        }
    };

    view! {
        <div class="page-head">
            <h1 class="page-title">"Members"</h1>
            <div class="page-actions">
                <button class="button secondary" on:click=export>"Export this view (CSV)"</button>
                <button
                    class="button secondary"
                    on:click=move |_| members.refresh(session)
                    disabled=move || members.load_state().get() == Load::Loading
                >
                    "Refresh"
                </button>
            </div>
        </div>
        <p class="muted" role="status" aria-live="polite">
            {move || {
                let n = thousands(total.get());
                let source = members.source().get();
                match members.load_state().get() {
                    Load::Loading => format!("{n} members loaded… (via {source})"),
                    Load::Done => format!("{n} members, via {source}."),
                    Load::Failed(_) => format!("{n} members loaded before the error below."),
                    Load::Idle => String::new(),
                }
            }}
        </p>
        {move || match members.load_state().get() {
            Load::Failed(e) => Some(view! { <ErrorPanel error=e method=members.source().get_untracked() /> }),
            _ => None,
        }}
        {move || parsed.get().err().map(|why| view! {
            <p class="notice warning" role="alert">
                {format!("The address asks for something this page cannot show: {why}. The filter was left out.")}
            </p>
        })}
        <div class="members-tools">
            <label for="members-search" class="visually-hidden">"Search members"</label>
            <input
                id="members-search"
                type="search"
                node_ref=search_input
                placeholder="Search name, email or ID  ( / )"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || view_of().search
                on:input=on_search
            />
            <label for="members-add-filter" class="visually-hidden">"Add a filter"</label>
            <select id="members-add-filter" on:change=add_filter>
                <option value="">"Add a filter…"</option>
                {members::CHOICES
                    .iter()
                    .map(|code| {
                        let label = parse_chip(code).map(|c| c.label()).unwrap_or_default();
                        view! { <option value=*code>{label}</option> }
                    })
                    .collect_view()}
                {org_teams
                    .iter()
                    .map(|t| {
                        let code = chip_code(&Chip::Workspace(t.id.clone()));
                        view! { <option value=code>{format!("in {}", t.name)}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
        <ul class="chips" aria-label="Filters">{chips}</ul>
        {move || {
            let inactive = view_of().filters.iter().any(|f| f.chip.needs_activity_data());
            (inactive && !members.with(has_activity_data)).then(|| view! {
                <p class="notice">
                    "Slack sent no activity data for these members, so \u{201c}inactive for N days\u{201d} matches nobody."
                </p>
            })
        }}
        <p class="muted">
            {move || format!("{} shown", thousands(order.with(Vec::len)))}
        </p>
        <div
            class="members-scroller"
            node_ref=scroller
            tabindex="0"
            aria-label="Members, scroll to see more"
            on:scroll=move |ev| {
                if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                    scroll_top.set(f64::from(el.scroll_top()));
                }
            }
        >
            <table class="members-table" aria-rowcount=move || order.with(Vec::len) + 1>
                <thead>
                    <tr aria-rowindex="1">
                        {header("Name", SortKey::Name)}
                        {header("Email", SortKey::Email)}
                        {header("Role", SortKey::Role)}
                        {header("Type", SortKey::Kind)}
                        {header("Workspaces", SortKey::Workspaces)}
                        {header("2FA", SortKey::TwoFactor)}
                        {header("SSO", SortKey::Sso)}
                        {header("Guest expiry", SortKey::Expiry)}
                        {header("Status", SortKey::Status)}
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", window.get().0 as f64 * ROW_PX)></tr>
                    {move || {
                        let (first, last) = window.get();
                        let cur = cursor.get();
                        order.with(|order| {
                            members.with(|rows| {
                                order[first..last]
                                    .iter()
                                    .enumerate()
                                    .map(|(k, &i)| member_row(&rows[i], first + k, cur == Some(first + k), &team_name))
                                    .collect_view()
                            })
                        })
                    }}
                    <tr class="spacer" aria-hidden="true" style:height=move || {
                        let (_, last) = window.get();
                        format!("{}px", (order.with(Vec::len) - last) as f64 * ROW_PX)
                    }></tr>
                </tbody>
            </table>
        </div>
        {move || (order.with(Vec::is_empty) && members.load_state().get() != Load::Loading).then(|| view! {
            <p class="members-empty">"No member matches this view. Remove a filter or change the search."</p>
        })}
    }
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "on",
        Some(false) => "off",
        None => "—",
    }
}

fn member_row(
    r: &Row,
    position: usize,
    current: bool,
    team_name: &impl Fn(&str) -> String,
) -> impl IntoView {
    let workspaces = match r.workspaces.len() {
        0 => "none".to_owned(),
        1 => team_name(r.workspaces[0].as_str()),
        n => format!("{n} workspaces"),
    };
    let expiry = r
        .expiration_ts
        .map(slack_admin_core::invite::dates::iso_utc)
        .map(|d| format!("{d} UTC"))
        .unwrap_or_else(|| {
            if r.is_guest() {
                "none".into()
            } else {
                String::new()
            }
        });
    view! {
        <tr aria-rowindex=position + 2 class:current=current aria-current=current.then_some("true")>
            <td>
                <span class="member-name">{r.label().to_owned()}</span>
                {(!r.display_name.is_empty() && r.display_name != r.label()).then(|| view! {
                    <span class="muted member-handle">{format!(" @{}", r.display_name)}</span>
                })}
            </td>
            <td>{r.email.clone()}</td>
            <td>{role_label(r.role)}</td>
            <td>{kind_label(r.kind)}</td>
            <td>{workspaces}</td>
            <td class:off=r.has_2fa == Some(false)>{yes_no(r.has_2fa)}</td>
            <td class:off=r.has_sso == Some(false)>{yes_no(r.has_sso)}</td>
            <td>{expiry}</td>
            <td>{status_label(r.status)}</td>
        </tr>
    }
}

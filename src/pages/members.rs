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
use std::collections::HashSet;
use wasm_bindgen::JsCast;

mod bulk;

/// What the connection allows, for the panel's offers and the bulk dry run, and the ID role
/// changes apply to (the org's, on Grid).
fn scene_of(
    identity: &slack_admin_core::connection::Identity,
) -> (slack_admin_core::members::Scene, slack_admin_core::TeamId) {
    let scene = slack_admin_core::members::Scene {
        can_change_roles: identity
            .capabilities()
            .iter()
            .any(|c| c.feature == slack_admin_core::connection::Feature::Roles && c.available()),
        org_name: identity.org_name().to_owned(),
        me: identity.auth.user_id.clone(),
        scope: None,
    };
    let org_id = identity
        .auth
        .enterprise_id
        .as_ref()
        .map(|e| slack_admin_core::TeamId::new(e.as_str()))
        .unwrap_or_else(|| identity.team.id.clone());
    (scene, org_id)
}

/// The height of a row, in pixels (style/main.css `.members-table tr`).
const ROW_PX: f64 = 44.0;
/// The rows of a view, shared rather than copied (a view of 100,000 rows is passed around on
/// every keystroke); two are equal when they are the same result.
#[derive(Clone, Debug, Default)]
pub struct Shown(std::sync::Arc<Vec<usize>>);

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Shown {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        &self.0
    }
}

/// Results of recent views kept for going back to them (a backspace).
const RECENT_VIEWS: usize = 24;
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
    let change_job = expect_context::<crate::job::MembersJob>();
    if let Some(c) = session.connection() {
        change_job.show_for(&c);
    }
    let location = use_location();
    let navigate = use_navigate();
    // The view lives in the URL; a bad query is reported and read as the default view.
    let parsed = Memo::new(move |_| View::from_query(&location.search.get()));
    // The view drawn now. A change made here (a keystroke, a chip) is drawn at once and
    // written to the address after; a change of the address from elsewhere (Back, Forward, a
    // link) is drawn when the router makes it. `ours` holds the views this page sent to the
    // address, in order, so that the router catching up with them changes nothing.
    let current = RwSignal::new(parsed.get_untracked().unwrap_or_default());
    let ours = StoredValue::new(std::collections::VecDeque::<View>::new());
    Effect::new(move |_| {
        let seen = parsed.get().unwrap_or_default();
        let caught_up = ours
            .try_update_value(|q| match q.iter().position(|v| v == &seen) {
                Some(k) => {
                    q.drain(..=k);
                    true
                }
                None => {
                    q.clear();
                    false
                }
            })
            .unwrap_or(false);
        if !caught_up && current.with_untracked(|c| c != &seen) {
            current.set(seen);
        }
    });
    let view_of = move || current.get();
    let now = crate::browser::now_s();
    // Sorted once per column and direction; a keystroke only filters that order.
    let sort_key = Memo::new(move |_| {
        let v = view_of();
        (v.sort, v.descending)
    });
    let sorted = Memo::new(move |_| {
        let (sort, descending) = sort_key.get();
        let view = View {
            sort,
            descending,
            ..View::default()
        };
        members.with(|rows| view.sort_order(rows))
    });
    // Every row's search text in one buffer, built again when the list changes (and only
    // when a search reads it: memos are lazy).
    let search_text = Memo::new(move |_| members.with(members::SearchText::new));
    // Built once the list is complete, while the admin reads it, so that the first keystroke
    // does not wait for it.
    Effect::new(move |_| {
        if members.load_state().get() == Load::Done {
            let _ = members.version().get();
            set_timeout(
                move || search_text.try_with_untracked(|_| ()).unwrap_or(()),
                std::time::Duration::from_millis(100),
            );
        }
    });
    // Typing forward filters the previous result, not the whole list.
    let recent = StoredValue::new(Vec::<(View, u64, Shown)>::new());
    let filtered = Memo::new(move |prev: Option<&(View, u64, Shown)>| {
        let view = view_of();
        let version = members.version().get();
        let filter = |within: &[usize]| {
            if view.search.trim().is_empty() {
                members.with(|rows| view.filter_sorted(rows, within, now))
            } else {
                search_text
                    .with(|text| members.with(|rows| view.filter_indexed(rows, within, text, now)))
            }
        };
        // A view seen lately (a backspace goes back to one) is not computed again.
        let known = recent.with_value(|r| {
            r.iter()
                .find(|(v, at, _)| *at == version && v == &view)
                .map(|(_, _, order)| order.clone())
        });
        let order = match (known, prev) {
            (Some(order), _) => order,
            (None, Some((before, v, result))) if *v == version && view.narrows(before) => {
                Shown(std::sync::Arc::new(filter(result)))
            }
            _ => Shown(std::sync::Arc::new(sorted.with(|sorted| filter(sorted)))),
        };
        recent.update_value(|r| {
            r.retain(|(v, _, _)| v != &view);
            r.push((view.clone(), version, order.clone()));
            if r.len() > RECENT_VIEWS {
                r.remove(0);
            }
        });
        (view, version, order)
    });
    let order = Memo::new(move |_| filtered.with(|(_, _, order)| order.clone()));
    let total = Memo::new(move |_| members.with(|rows| rows.len()));
    let set_view = {
        let navigate = navigate.clone();
        move |view: View, replace: bool| {
            let query = view.to_query();
            current.set(view.clone());
            ours.update_value(|q| q.push_back(view));
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
        let n = order.with(|o| o.len());
        let first = ((scroll_top.get() / ROW_PX) as usize).saturating_sub(MARGIN);
        let count = (viewport / ROW_PX) as usize + 2 * MARGIN;
        let last = (first + count).min(n);
        (first.min(n), last)
    });
    // The row under the keyboard cursor (an index into the view's order).
    let cursor = RwSignal::new(None::<usize>);
    // The member whose panel is open.
    let opened = RwSignal::new(None::<slack_admin_core::UserId>);
    // The members selected for a bulk change (kept when the view changes), and where a
    // shift-click range starts (a position in the view's order).
    let selected = RwSignal::new(HashSet::<slack_admin_core::UserId>::new());
    // The member a range starts from (a member, not a place: the view may have changed).
    let anchor = StoredValue::new(None::<slack_admin_core::UserId>);
    // Selects or unselects the row at `position`; with `range`, every row from the last one
    // chosen to it, as that one now is.
    let toggle = move |position: usize, range: bool| {
        let ids: Vec<slack_admin_core::UserId> = order.with_untracked(|order| {
            let start = anchor.get_value().filter(|_| range).and_then(|a| {
                members.with(|rows| {
                    order
                        .iter()
                        .position(|&i| rows.get(i).is_some_and(|r| r.id == a))
                })
            });
            let (from, to) = match start {
                Some(a) => (a.min(position), a.max(position)),
                None => (position, position),
            };
            members.with(|rows| {
                order
                    .get(from..=to.min(order.len().saturating_sub(1)))
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&i| rows.get(i).map(|r| r.id.clone()))
                    .collect()
            })
        });
        let target = order
            .with_untracked(|o| o.get(position).copied())
            .and_then(|i| members.with(|rows| rows.get(i).map(|r| r.id.clone())));
        let Some(target) = target else {
            return;
        };
        let on = !selected.with_untracked(|s| s.contains(&target));
        selected.update(|s| {
            for id in ids {
                if on {
                    s.insert(id);
                } else {
                    s.remove(&id);
                }
            }
        });
        anchor.set_value(Some(target));
    };
    let search_input = NodeRef::<leptos::html::Input>::new();

    // Keys: `/` to search, `j`/`k` to move, Esc to leave the search.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = crate::browser::typing_in_field(&ev);
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
            "Escape" => opened.set(None),
            "Enter" if !typing => {
                if let Some(c) = cursor.get_untracked() {
                    let id = order
                        .with_untracked(|o| o.get(c).copied())
                        .and_then(|i| members.with(|rows| rows.get(i).map(|r| r.id.clone())));
                    if id.is_some() {
                        opened.set(id);
                    }
                }
            }
            "x" | "X" if !typing => {
                if let Some(c) = cursor.get_untracked() {
                    toggle(c, ev.shift_key());
                }
            }
            "j" | "k" if !typing => {
                let n = order.with_untracked(|o| o.len());
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
        <p class="quick-views">
            "Guests: "
            <a href=crate::href("/members?f=expiring%3A7")>"expiring within 7 days"</a>
            " · "
            <a href=crate::href("/members?f=expiring%3A30")>"within 30 days"</a>
            " · "
            <a href=crate::href("/members?f=no-expiry")>"no expiry"</a>
        </p>
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
            {move || format!("{} shown", thousands(order.with(|o| o.len())))}
        </p>
        <bulk::BulkBar selected=selected order=order />
        <bulk::ChangePanel />
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
            <table class="members-table" aria-rowcount=move || order.with(|o| o.len()) + 1 data-search=move || view_of().search>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col" class="select-col"><span class="visually-hidden">"Selected"</span></th>
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
                    // A fixed set of row slots, each showing the row at its place in the
                    // window: a keystroke or a scroll changes their texts, not the DOM's shape.
                    <For
                        each=move || { let (first, last) = window.get(); 0..(last - first) }
                        key=|k| *k
                        children=move |k| slot_row(k, window, order, members, cursor, selected, toggle, team_name.clone(), opened)
                    />
                    <tr class="spacer" aria-hidden="true" style:height=move || {
                        let (_, last) = window.get();
                        format!("{}px", (order.with(|o| o.len()) - last) as f64 * ROW_PX)
                    }></tr>
                </tbody>
            </table>
        </div>
        {move || opened.get().map(|id| view! { <MemberPanel id=id opened=opened /> })}
        {move || (order.with(|o| o.is_empty()) && members.load_state().get() != Load::Loading).then(|| view! {
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

/// What a row of the table shows, as text.
#[derive(Clone, Debug, PartialEq)]
struct Cells {
    /// The row's place in the view.
    position: usize,
    id: slack_admin_core::UserId,
    label: String,
    handle: String,
    email: String,
    role: &'static str,
    kind: &'static str,
    workspaces: String,
    two_fa: Option<bool>,
    sso: Option<bool>,
    expiry: String,
    status: &'static str,
}

impl Cells {
    fn of(r: &Row, position: usize, team_name: &impl Fn(&str) -> String) -> Self {
        Cells {
            position,
            id: r.id.clone(),
            label: r.label().to_owned(),
            handle: if !r.display_name.is_empty() && r.display_name != r.label() {
                format!(" @{}", r.display_name)
            } else {
                String::new()
            },
            email: r.email.clone(),
            role: role_label(r.role),
            kind: kind_label(r.kind),
            workspaces: match r.workspaces.len() {
                0 => "none".to_owned(),
                1 => team_name(r.workspaces[0].as_str()),
                n => format!("{n} workspaces"),
            },
            two_fa: r.has_2fa,
            sso: r.has_sso,
            expiry: r
                .expiration_ts
                .map(slack_admin_core::invite::dates::iso_utc)
                .map(|d| format!("{d} UTC"))
                .unwrap_or_else(|| {
                    if r.is_guest() {
                        "none".into()
                    } else {
                        String::new()
                    }
                }),
            status: status_label(r.status),
        }
    }
}

/// Slot `k` of the table: the row at the window's start plus `k`.
#[allow(clippy::too_many_arguments)]
fn slot_row(
    k: usize,
    window: Memo<(usize, usize)>,
    order: Memo<Shown>,
    members: Members,
    cursor: RwSignal<Option<usize>>,
    selected: RwSignal<HashSet<slack_admin_core::UserId>>,
    toggle: impl Fn(usize, bool) + Copy + Send + Sync + 'static,
    team_name: impl Fn(&str) -> String + Send + Sync + 'static,
    opened: RwSignal<Option<slack_admin_core::UserId>>,
) -> impl IntoView {
    let cells = Memo::new(move |_| {
        let position = window.get().0 + k;
        let index = order.with(|o| o.get(position).copied())?;
        members.with(|rows| rows.get(index).map(|r| Cells::of(r, position, &team_name)))
    });
    let text = move |f: fn(&Cells) -> String| {
        move || cells.with(|c| c.as_ref().map(f).unwrap_or_default())
    };
    let position = move || cells.with(|c| c.as_ref().map_or(0, |c| c.position));
    let current = move || cursor.get() == Some(position());
    let is_selected = move || {
        cells.with(|c| {
            c.as_ref()
                .is_some_and(|c| selected.with(|s| s.contains(&c.id)))
        })
    };
    let off = move |f: fn(&Cells) -> Option<bool>| {
        move || cells.with(|c| c.as_ref().and_then(f) == Some(false))
    };
    let yes_no_of =
        move |f: fn(&Cells) -> Option<bool>| move || cells.with(|c| yes_no(c.as_ref().and_then(f)));
    view! {
        <tr
            aria-rowindex=move || position() + 2
            class:current=current
            class:selected=is_selected
            aria-current=move || current().then_some("true")
        >
            <td class="select-col">
                <input
                    type="checkbox"
                    aria-label=move || cells.with(|c| format!("Select {}", c.as_ref().map_or("", |c| c.label.as_str())))
                    prop:checked=is_selected
                    on:click=move |ev: leptos::ev::MouseEvent| toggle(position(), ev.shift_key())
                />
            </td>
            <td>
                <button
                    class="link member-name"
                    on:click=move |_| opened.set(cells.with_untracked(|c| c.as_ref().map(|c| c.id.clone())))
                >
                    {text(|c| c.label.clone())}
                </button>
                <span class="muted member-handle">{text(|c| c.handle.clone())}</span>
            </td>
            <td>{text(|c| c.email.clone())}</td>
            <td>{text(|c| c.role.to_owned())}</td>
            <td>{text(|c| c.kind.to_owned())}</td>
            <td>{text(|c| c.workspaces.clone())}</td>
            <td class:off=off(|c| c.two_fa)>{yes_no_of(|c| c.two_fa)}</td>
            <td class:off=off(|c| c.sso)>{yes_no_of(|c| c.sso)}</td>
            <td>{text(|c| c.expiry.clone())}</td>
            <td>{text(|c| c.status.to_owned())}</td>
        </tr>
    }
}

/// One member: what Slack says of them, and what can be changed, each change named before it
/// is confirmed.
#[component]
fn MemberPanel(
    id: slack_admin_core::UserId,
    opened: RwSignal<Option<slack_admin_core::UserId>>,
) -> impl IntoView {
    use slack_admin_core::members::{after, expiration_consequence, offers, Action, Offer};
    let session = expect_context::<Session>();
    let members = expect_context::<Members>();
    let Some(connection) = session.connection() else {
        return ().into_any();
    };
    let identity = connection.identity.clone();
    let (scene, org_id) = scene_of(&identity);
    let teams = identity.org_teams.clone();
    let team_name = move |t: &slack_admin_core::TeamId| {
        teams
            .iter()
            .find(|x| &x.id == t)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| t.to_string())
    };
    let confirming = RwSignal::new(None::<Offer>);
    let result = RwSignal::new(None::<Result<String, slack_admin_core::SlackError>>);
    let busy = RwSignal::new(false);
    let expiry_text = RwSignal::new(String::new());
    let expiry_error = RwSignal::new(None::<String>);
    let row_id = id.clone();
    let heading_id = format!("member-{}", id.as_str());
    let row = move || members.get(&row_id);
    // Kept beside the view (it is not Send): the closures only hold its handle.
    let transport = StoredValue::new_local(connection.transport.clone());
    // Where role changes apply: the whole org (`None`) or one of the member's workspaces.
    let scope = RwSignal::new(None::<slack_admin_core::TeamId>);
    let run = {
        move |offer: Offer| {
            let Some(current) = members.get(&id) else {
                return;
            };
            let transport = transport.get_value();
            // The call core builds for this change: the bulk job sends the same.
            let role_team = scope.get_untracked().unwrap_or_else(|| org_id.clone());
            let form = offer.action.form(
                &current.id,
                current.kind,
                &role_team,
                current.workspaces.first(),
            );
            let method = offer.action.method();
            busy.set(true);
            leptos::task::spawn_local(async move {
                let outcome = transport
                    .send(method, &form, crate::transport::Retry::RateLimits)
                    .await
                    .and_then(|answer| slack_admin_core::invite::job::read_answer(&answer));
                busy.set(false);
                confirming.set(None);
                match outcome {
                    Ok(()) => {
                        members.replace(after(&current, &offer.action));
                        result.set(Some(Ok(format!("Done: {}", offer.consequence))));
                    }
                    Err(e) => result.set(Some(Err(e))),
                }
            });
        }
    };
    let label_id = heading_id.clone();
    view! {
        <aside class="card member-panel" role="region" aria-labelledby=label_id>
            {move || row().map(|r| {
                let team_name = team_name.clone();
                let scene = slack_admin_core::members::Scene {
                    scope: scope.get().map(|t| { let n = team_name(&t); (t, n) }),
                    ..scene.clone()
                };
                let list: Vec<Offer> = offers(&r, &scene, &team_name);
                let scopes: Vec<(String, String)> = r.workspaces.iter().map(|t| (t.to_string(), team_name(t))).collect();
                let guest = r.is_guest();
                let r2 = r.clone();
                let run = run.clone();
                let run2 = run.clone();
                view! {
                    <div class="panel-head">
                        <h2 id=heading_id.clone()>{r.label().to_owned()}</h2>
                        <button class="button secondary" on:click=move |_| opened.set(None)>"Close (Esc)"</button>
                    </div>
                    <dl class="facts">
                        <dt>"ID"</dt><dd>{r.id.to_string()}</dd>
                        <dt>"Email"</dt><dd>{if r.email.is_empty() { "not shown to this token".to_owned() } else { r.email.clone() }}</dd>
                        <dt>"Role"</dt><dd>{role_label(r.role)}</dd>
                        <dt>"Type"</dt><dd>{kind_label(r.kind)}</dd>
                        <dt>"Status"</dt><dd>{status_label(r.status)}</dd>
                        <dt>"Workspaces"</dt>
                        <dd>{if r.workspaces.is_empty() { "none".to_owned() } else { r.workspaces.iter().map(&team_name).collect::<Vec<_>>().join(", ") }}</dd>
                        {guest.then(|| view! {
                            <dt>"Guest account expires"</dt>
                            <dd>{r.expiration_ts.map(|t| format!("{} UTC", slack_admin_core::invite::dates::iso_utc(t))).unwrap_or_else(|| "never".into())}</dd>
                        })}
                    </dl>
                    {(scene.can_change_roles && !scopes.is_empty()).then(|| view! {
                        <div class="role-scope">
                            <label for="role-scope">"Roles apply to"</label>
                            <select
                                id="role-scope"
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    scope.set((!v.is_empty()).then(|| slack_admin_core::TeamId::new(&v)));
                                }
                                prop:value=move || scope.get().map(|t| t.to_string()).unwrap_or_default()
                            >
                                <option value="">{format!("the whole org ({})", scene.org_name)}</option>
                                {scopes.into_iter().map(|(id, name)| view! { <option value=id>{format!("{name} only")}</option> }).collect_view()}
                            </select>
                        </div>
                    })}
                    <ul class="member-actions">
                        {list.into_iter().map(|o| {
                            let refused = o.refused.clone();
                            let o2 = o.clone();
                            view! {
                                <li>
                                    <button
                                        class="button secondary"
                                        disabled=refused.is_some() || busy.get()
                                        aria-describedby=refused.as_ref().map(|_| format!("why-{}", o.label.replace(' ', "-")))
                                        on:click=move |_| { result.set(None); confirming.set(Some(o2.clone())); }
                                    >
                                        {o.label.clone()}
                                    </button>
                                    {refused.map(|why| view! { <span class="muted why" id=format!("why-{}", o.label.replace(' ', "-"))>{why}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {guest.then(|| {
                        let r3 = r2.clone();
                        let run = run2.clone();
                        view! {
                            <div class="expiry-form">
                                <label for="member-expiry">"New expiration (your time zone)"</label>
                                <input id="member-expiry" type="datetime-local" bind:value=expiry_text />
                                <button class="button secondary" disabled=move || !scene.can_change_roles || busy.get() on:click=move |_| {
                                    let text = expiry_text.get_untracked();
                                    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&text)).get_time();
                                    if text.is_empty() || ms.is_nan() {
                                        expiry_error.set(Some("Choose a date and time first.".into()));
                                        return;
                                    }
                                    let ts = (ms / 1000.0) as i64;
                                    match expiration_consequence(&r3, ts, crate::browser::now_s()) {
                                        Ok(c) => {
                                            expiry_error.set(None);
                                            result.set(None);
                                            confirming.set(Some(Offer {
                                                action: Action::SetExpiration { ts },
                                                label: "Set expiration".into(),
                                                consequence: c,
                                                refused: None,
                                                method: "admin.users.setExpiration",
                                            }));
                                        }
                                        Err(e) => expiry_error.set(Some(e)),
                                    }
                                    let _ = &run;
                                }>"Set expiration…"</button>
                                <p class="field-error" aria-live="polite">{move || expiry_error.get()}</p>
                            </div>
                        }
                    })}
                    {(scene.can_change_roles && r2.kind != slack_admin_core::members::Kind::Bot).then(|| {
                        view! { <AssignForm row=r2.clone() confirming=confirming result=result /> }
                    })}
                    {move || confirming.get().map(|o| {
                        let run = run.clone();
                        let o2 = o.clone();
                        view! {
                            <div class="confirm" role="alertdialog" aria-label=format!("Confirm: {}", o.label)>
                                <p><strong>{o.label.clone()}</strong> ": " {o.consequence.clone()}</p>
                                <p class="muted">"Sent with " <code>{o.method}</code> "."</p>
                                <button class="button primary" disabled=move || busy.get() on:click=move |_| run(o2.clone())>"Confirm"</button>
                                <button class="button secondary" on:click=move |_| confirming.set(None)>"Cancel"</button>
                            </div>
                        }
                    })}
                    {move || result.get().map(|r| match r {
                        Ok(done) => view! { <p class="success-panel" role="status">{done}</p> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    })}
                }
            })}
        </aside>
    }
    .into_any()
}

/// Add to a workspace: which one, and the channels to join there (the kind of account stays).
#[component]
fn AssignForm(
    row: Row,
    confirming: RwSignal<Option<slack_admin_core::members::Offer>>,
    result: RwSignal<Option<Result<String, slack_admin_core::SlackError>>>,
) -> impl IntoView {
    use crate::components::channel_picker::ChannelChooser;
    use slack_admin_core::members::{assign_consequence, Action, Offer};
    let session = expect_context::<Session>();
    let Some(connection) = session.connection() else {
        return ().into_any();
    };
    let others: Vec<(slack_admin_core::TeamId, String)> = connection
        .identity
        .org_teams
        .iter()
        .filter(|t| {
            !(row.status == slack_admin_core::members::Status::Active
                && row.workspaces.contains(&t.id))
        })
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect();
    if others.is_empty() {
        return ().into_any();
    }
    let team = RwSignal::new(others[0].0.clone());
    let chosen = RwSignal::new(Vec::<slack_admin_core::ChannelId>::new());
    let error = RwSignal::new(None::<String>);
    let transport = StoredValue::new_local(connection.transport.clone());
    let loaded = LocalResource::new(move || {
        let transport = transport.get_value();
        let team = team.get();
        async move {
            let channels = session.channels_of(&transport, Some(team.clone())).await;
            (team, channels)
        }
    });
    let listed: Signal<
        Option<
            Result<
                Vec<slack_admin_core::methods::conversations::Channel>,
                slack_admin_core::SlackError,
            >,
        >,
    > = Signal::derive(move || {
        let want = team.get();
        loaded.get().filter(|(of, _)| *of == want).map(|(_, c)| c)
    });
    let single = row.kind == slack_admin_core::members::Kind::SingleChannelGuest;
    let names = others.clone();
    let ask = move |_| {
        let t = team.get_untracked();
        let team_name = names
            .iter()
            .find(|(id, _)| *id == t)
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        let ids = chosen.get_untracked();
        let channel_names: Vec<String> = listed.with_untracked(|l| {
            let all = l.as_ref().and_then(|r| r.as_ref().ok());
            ids.iter()
                .map(|id| {
                    all.and_then(|c| c.iter().find(|ch| &ch.id == id).map(|ch| ch.name.clone()))
                        .unwrap_or_else(|| id.to_string())
                })
                .collect()
        });
        match assign_consequence(&row, &t, &team_name, &channel_names) {
            Ok(c) => {
                error.set(None);
                result.set(None);
                confirming.set(Some(Offer {
                    action: Action::Assign {
                        team: t,
                        channels: ids,
                    },
                    label: format!("Add to {team_name}"),
                    consequence: c,
                    refused: None,
                    method: "admin.users.assign",
                }));
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <fieldset class="assign-form">
            <legend>"Add to a workspace"</legend>
            <label for="assign-team">"Workspace"</label>
            <select
                id="assign-team"
                on:change=move |ev| {
                    chosen.set(Vec::new());
                    team.set(slack_admin_core::TeamId::new(event_target_value(&ev)));
                }
            >
                {others.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
            </select>
            <label for="assign-channels">"Channels to join (optional for full members)"</label>
            <ChannelChooser
                input_id="assign-channels"
                channels=listed
                chosen=chosen
                max=Signal::derive(move || single.then_some(1))
            />
            <button class="button secondary" on:click=ask>"Add to workspace…"</button>
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
    .into_any()
}

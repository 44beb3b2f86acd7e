//! `/activity`: what was changed through the proxy, when, with which access key, and Slack's
//! answer: the proxy's audit log (`GET /proxy/audit`), one row per write, newest first, a page
//! at a time. The filters live in the address ([`slack_admin_core::audit::View`]) and are
//! applied by the proxy over the whole log; the export gathers every page of the filtered
//! view. A log whose chain of hashes does not hold is said at the top. Through a token or in
//! the sandbox there is no log: the page says where it is kept.

use crate::components::error_panel::ErrorPanel;
use crate::inbox::InboxStore;
use crate::members::Members;
use crate::pages::connect::RequireConnection;
use crate::proxy_api::ProxyApi;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use slack_admin_core::audit::{self, Day, Ending, Filter, Names, Page, Query, View, Write};
use slack_admin_core::invite::csv::thousands;
use slack_admin_core::{InviteRequestId, SlackError, TeamId, UserId};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Writes per page.
const PAGE: u32 = 100;
/// The most writes one export gathers.
const EXPORT_MAX: usize = 100_000;
/// The most members a search names to the proxy.
const NAMED_MAX: usize = 100;
/// How long typing rests before the search is sent (ms).
const TYPING_MS: u64 = 300;

/// What the proxy answered for the view, with the pages loaded so far.
#[derive(Clone, Debug, PartialEq)]
struct Loaded {
    filter: Filter,
    writes: Vec<Write>,
    next: String,
    total: usize,
    key_names: Vec<String>,
    chain_ok: bool,
    chain_entries: usize,
    broken_at: Option<i64>,
    broken_reason: Option<String>,
}

impl Loaded {
    fn new(filter: Filter, page: Page) -> Self {
        Loaded {
            filter,
            writes: page.entries,
            next: page.next_cursor,
            total: page.total,
            key_names: page.key_names,
            chain_ok: page.chain_ok,
            chain_entries: page.chain_entries,
            broken_at: page.broken_at,
            broken_reason: page.broken_reason,
        }
    }

    /// An older page, after the ones loaded; what the log says of itself is the latest.
    fn append(&mut self, page: Page) {
        self.writes.extend(page.entries);
        self.next = page.next_cursor;
        self.total = page.total;
        self.key_names = page.key_names;
        self.chain_ok = page.chain_ok;
        self.chain_entries = page.chain_entries;
        self.broken_at = page.broken_at;
        self.broken_reason = page.broken_reason;
    }
}

/// The proxy's log, read through the proxy's own API.
#[derive(Clone)]
struct AuditLog(ProxyApi);

impl AuditLog {
    /// One page of `GET /proxy/audit`.
    async fn page(&self, query: &Query) -> Result<Page, SlackError> {
        let answer = self
            .0
            .get(&format!("proxy/audit?{}", query.to_query()))
            .await?;
        serde_json::from_value(answer).map_err(|e| SlackError::Decode {
            message: format!("the proxy's log is not in the form this console reads ({e})"),
        })
    }
}

/// The first second of `day` in the browser's time zone.
fn midnight(day: Day) -> i64 {
    let date = js_sys::Date::new_with_year_month_day(
        day.year as u32,
        day.month as i32 - 1,
        day.day as i32,
    );
    (date.get_time() / 1000.0) as i64
}

/// The browser's offset from UTC at `at` (minutes, east positive).
fn offset_minutes(at: i64) -> i64 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64 * 1000.0));
    -(date.get_timezone_offset() as i64)
}

/// The loaded members' names for `ids`, in one pass over the list.
fn member_names(members: &Members, ids: &HashSet<UserId>) -> HashMap<UserId, String> {
    if ids.is_empty() {
        return HashMap::new();
    }
    members.with(|rows| {
        rows.iter()
            .filter(|r| ids.contains(&r.id))
            .map(|r| (r.id.clone(), r.label().to_owned()))
            .collect()
    })
}

/// The addresses of the invite requests this tab knows (pending, approved, denied).
fn request_emails(store: &InboxStore) -> HashMap<InviteRequestId, String> {
    let mut out: HashMap<InviteRequestId, String> = store.with(|i| {
        i.entries()
            .into_iter()
            .map(|e| (e.request.id, e.request.email))
            .collect()
    });
    store.history().with(|h| {
        if let Some(Ok(h)) = h {
            for (_, a) in &h.approved {
                out.insert(a.invite_request.id.clone(), a.invite_request.email.clone());
            }
            for (_, d) in &h.denied {
                out.insert(d.invite_request.id.clone(), d.invite_request.email.clone());
            }
        }
    });
    out
}

#[component]
pub fn ActivityPage() -> impl IntoView {
    view! {
        <RequireConnection>
            <ActivityView />
        </RequireConnection>
    }
}

#[component]
fn ActivityView() -> impl IntoView {
    let session = expect_context::<Session>();
    let Some(connection) = session.connection() else {
        return ().into_any();
    };
    let Some(proxy) = ProxyApi::of(&connection) else {
        return view! { <NotThroughProxy sandbox=connection.sandbox /> }.into_any();
    };
    let members = expect_context::<Members>();
    let requests = expect_context::<InboxStore>();
    // Members by name, in the rows and for the search (IDs until the list is in).
    members.ensure(session);
    // Where the pages come from, and the connection they belong to (answers for another one
    // are dropped): kept in the page's arena, so that handlers stay `Copy`.
    let source = StoredValue::new_local((AuditLog(proxy), connection.transport.clone()));
    let identity = connection.identity.clone();
    // Workspaces and the org by name.
    let teams: Arc<HashMap<TeamId, String>> = Arc::new({
        let mut t: HashMap<TeamId, String> = identity
            .org_teams
            .iter()
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect();
        t.insert(identity.team.id.clone(), identity.team.name.clone());
        if let Some(e) = &identity.auth.enterprise_id {
            t.insert(TeamId::new(e.as_str()), identity.org_name().to_owned());
        }
        t
    });

    // The view lives in the address; what cannot be read is left out and said.
    let location = use_location();
    let navigate = use_navigate();
    let parsed = Memo::new(move |_| View::from_query(&location.search.get()));
    let view_of = move || parsed.with(|(v, _)| v.clone());
    let set_view = move |view: View, replace: bool| {
        let query = view.to_query();
        let path = crate::href("/activity");
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
    };

    // The search box: typed words go to the address once typing rests.
    let text = RwSignal::new(view_of().text);
    let typing = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let wanted = parsed.with(|(v, _)| v.text.clone());
        if typing.with_value(Option::is_none) && text.get_untracked() != wanted {
            text.set(wanted);
        }
    });
    let on_search = {
        let set_view = set_view.clone();
        move |ev: leptos::ev::Event| {
            text.set(event_target_value(&ev));
            if let Some(t) = typing.get_value() {
                t.clear();
            }
            let set_view = set_view.clone();
            let handle = set_timeout_with_handle(
                move || {
                    typing.set_value(None);
                    let mut v = view_of();
                    v.text = text.get_untracked();
                    if v != view_of() {
                        set_view(v, true);
                    }
                },
                std::time::Duration::from_millis(TYPING_MS),
            )
            .ok();
            typing.set_value(handle);
        }
    };
    on_cleanup(move || {
        if let Some(t) = typing.try_get_value().flatten() {
            t.clear();
        }
    });

    // What the proxy is asked: the view, and the members whose names the words match.
    let filter = Memo::new(move |_| {
        let view = view_of();
        let users = if view.text.trim().is_empty() {
            Vec::new()
        } else {
            members.with(|rows| audit::members_named(rows, &view.text, NAMED_MAX))
        };
        view.filter(&midnight, users)
    });

    let loaded = RwSignal::new(None::<Result<Loaded, SlackError>>);
    let loading = RwSignal::new(true);
    let older_loading = RwSignal::new(false);
    let older_error = RwSignal::new(None::<SlackError>);
    // Answers to an earlier view are dropped.
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let filter = filter.get();
        let current = generation.get_value() + 1;
        generation.set_value(current);
        loading.set(true);
        older_error.set(None);
        let (log, transport) = source.get_value();
        leptos::task::spawn_local(async move {
            let query = Query {
                filter: filter.clone(),
                cursor: None,
                limit: PAGE,
            };
            let answer = log.page(&query).await;
            if generation.try_get_value() != Some(current) || !session.is_current(&transport) {
                return;
            }
            loaded.set(Some(answer.map(|p| Loaded::new(filter, p))));
            loading.set(false);
        });
    });
    let load_older = {
        move |_| {
            let Some((filter, next)) = loaded.with_untracked(|l| match l {
                Some(Ok(l)) if !l.next.is_empty() => Some((l.filter.clone(), l.next.clone())),
                _ => None,
            }) else {
                return;
            };
            let current = generation.get_value();
            older_loading.set(true);
            older_error.set(None);
            let (log, transport) = source.get_value();
            leptos::task::spawn_local(async move {
                let query = Query {
                    filter,
                    cursor: next.parse().ok(),
                    limit: PAGE,
                };
                let answer = log.page(&query).await;
                if generation.try_get_value() != Some(current) || !session.is_current(&transport) {
                    return;
                }
                match answer {
                    Ok(page) => loaded.update(|l| {
                        if let Some(Ok(l)) = l {
                            l.append(page);
                        }
                    }),
                    Err(e) => older_error.set(Some(e)),
                }
                older_loading.set(false);
            });
        }
    };

    // Names for the IDs in view: members (if loaded), workspaces, requests this tab knows.
    let ids_in_view = Memo::new(move |_| {
        loaded.with(|l| match l {
            Some(Ok(l)) => l
                .writes
                .iter()
                .filter_map(|w| w.target.user_id.clone())
                .collect::<HashSet<UserId>>(),
            _ => HashSet::new(),
        })
    });
    let user_names = Memo::new(move |_| ids_in_view.with(|ids| member_names(&members, ids)));
    let request_names = Memo::new(move |_| request_emails(&requests));

    // The relative times move on.
    let now = RwSignal::new(crate::browser::now_s());
    let tick = set_interval_with_handle(
        move || now.set(crate::browser::now_s()),
        std::time::Duration::from_secs(30),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = tick {
            t.clear();
        }
    });

    // The export: every page of the filtered view, then one CSV.
    let exporting = RwSignal::new(None::<(usize, usize)>);
    let export_error = RwSignal::new(None::<SlackError>);
    let export = {
        let teams = teams.clone();
        move |_| {
            let Some((filter, mut writes, mut next, total)) = loaded.with_untracked(|l| match l {
                Some(Ok(l)) => Some((l.filter.clone(), l.writes.clone(), l.next.clone(), l.total)),
                _ => None,
            }) else {
                return;
            };
            export_error.set(None);
            let (log, transport) = source.get_value();
            let teams = teams.clone();
            leptos::task::spawn_local(async move {
                while !next.is_empty() && writes.len() < EXPORT_MAX {
                    exporting.set(Some((writes.len(), total)));
                    let query = Query {
                        filter: filter.clone(),
                        cursor: next.parse().ok(),
                        limit: audit::MAX_LIMIT,
                    };
                    let answer = log.page(&query).await;
                    if !session.is_current(&transport) {
                        return;
                    }
                    match answer {
                        Ok(page) => {
                            writes.extend(page.entries);
                            next = page.next_cursor;
                        }
                        Err(e) => {
                            exporting.set(None);
                            export_error.set(Some(e));
                            return;
                        }
                    }
                }
                exporting.set(None);
                let ids: HashSet<UserId> = writes
                    .iter()
                    .filter_map(|w| w.target.user_id.clone())
                    .collect();
                let users = member_names(&members, &ids);
                let emails = request_names.get_untracked();
                let user = |id: &UserId| users.get(id).cloned();
                let team = |id: &TeamId| teams.get(id).cloned();
                let request = |id: &InviteRequestId| emails.get(id).cloned();
                let names = Names {
                    user: &user,
                    team: &team,
                    request: &request,
                };
                crate::browser::download_csv("activity.csv", &audit::to_csv(&writes, &names));
            });
        }
    };

    // The rows, in words.
    let rows = {
        let teams = teams.clone();
        move || {
            let users = user_names.get();
            let emails = request_names.get();
            let now = now.get();
            let user = |id: &UserId| users.get(id).cloned();
            let team = |id: &TeamId| teams.get(id).cloned();
            let request = |id: &InviteRequestId| emails.get(id).cloned();
            let names = Names {
                user: &user,
                team: &team,
                request: &request,
            };
            loaded.with(|l| match l {
                Some(Ok(l)) => l
                    .writes
                    .iter()
                    .map(|w| audit::shown(w, &names, now, &offset_minutes, l.broken_at))
                    .collect::<Vec<_>>(),
                _ => Vec::new(),
            })
        }
    };

    // The filters' controls.
    let set_key = {
        let set_view = set_view.clone();
        move |ev: leptos::ev::Event| {
            let mut v = view_of();
            v.key = Some(event_target_value(&ev)).filter(|k| !k.is_empty());
            set_view(v, false);
        }
    };
    let set_kind = {
        let set_view = set_view.clone();
        move |ev: leptos::ev::Event| {
            let mut v = view_of();
            v.kind = audit::Kind::parse(&event_target_value(&ev));
            set_view(v, false);
        }
    };
    let set_ending = {
        let set_view = set_view.clone();
        move |ev: leptos::ev::Event| {
            let mut v = view_of();
            v.ending = Ending::parse(&event_target_value(&ev));
            set_view(v, false);
        }
    };
    let set_from = {
        let set_view = set_view.clone();
        move |ev: leptos::ev::Event| {
            let mut v = view_of();
            v.from = Day::parse(&event_target_value(&ev));
            set_view(v, false);
        }
    };
    let set_to = {
        let set_view = set_view.clone();
        move |ev: leptos::ev::Event| {
            let mut v = view_of();
            v.to = Day::parse(&event_target_value(&ev));
            set_view(v, false);
        }
    };
    let clear = {
        let set_view = set_view.clone();
        move |_| {
            if let Some(t) = typing.get_value() {
                t.clear();
                typing.set_value(None);
            }
            text.set(String::new());
            set_view(View::default(), false);
        }
    };
    let key_options = move || {
        let chosen = view_of().key;
        let mut names = loaded.with(|l| match l {
            Some(Ok(l)) => l.key_names.clone(),
            _ => Vec::new(),
        });
        if let Some(k) = &chosen {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
        names
            .into_iter()
            .map(|n| {
                let selected = chosen.as_deref() == Some(n.as_str());
                view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
            })
            .collect_view()
    };
    let status = move || {
        if exporting.get().is_some() {
            let (n, total) = exporting.get().unwrap_or_default();
            return format!(
                "Gathering the export: {} of {} changes…",
                thousands(n),
                thousands(total)
            );
        }
        loaded.with(|l| match l {
            None => "Reading the proxy's log…".to_owned(),
            Some(Err(_)) => String::new(),
            Some(Ok(l)) => {
                let line = audit::count_line(l.writes.len(), l.total, !l.filter.is_empty());
                if loading.get() {
                    format!("{line} Updating…")
                } else {
                    line
                }
            }
        })
    };
    let chain = move || {
        loaded.with(|l| match l {
            Some(Ok(l)) if l.chain_ok => Some(
                view! {
                    <p class="muted chain-ok">
                        {format!(
                            "The log's {} entries hold together: each is chained to the one before by its hash, so none before the newest was changed, removed or reordered. Newest entries removed, or the whole file rewritten, show only against the audit_head lines in the proxy's journal.",
                            thousands(l.chain_entries),
                        )}
                    </p>
                }
                .into_any(),
            ),
            Some(Ok(l)) => l.broken_at.map(|at| {
                let reason = l.broken_reason.clone().unwrap_or_default();
                view! {
                    <section class="chain-broken" role="alert" aria-labelledby="chain-heading">
                        <h2 id="chain-heading">{format!("The audit log does not verify at entry {at}")}</h2>
                        <p>{audit::broken_notice(at, &reason)}</p>
                        <p>
                            "Run " <code>"slack-admin-proxy audit verify"</code>
                            " on the server, and compare the log with the audit_head lines in the proxy's own journal."
                        </p>
                    </section>
                }
                .into_any()
            }),
            _ => None,
        })
    };
    let has_more = move || loaded.with(|l| matches!(l, Some(Ok(l)) if !l.next.is_empty()));
    let can_export = move || {
        exporting.get().is_none() && loaded.with(|l| matches!(l, Some(Ok(l)) if l.total > 0))
    };

    view! {
        <div class="page-head">
            <h1 class="page-title">"Activity"</h1>
            <div class="page-actions">
                <button class="button secondary" on:click=export disabled=move || !can_export()>
                    "Export this view (CSV)"
                </button>
            </div>
        </div>
        <p class="lead">
            "Every change made through this proxy: when, with which access key, what, and Slack's answer. The proxy writes each one down before sending it and again with the answer."
        </p>
        {chain}
        {move || parsed.with(|(_, problem)| problem.clone()).map(|why| view! {
            <p class="notice warning" role="alert">
                {format!("The address asks for something this page cannot show: {why}. That filter was left out.")}
            </p>
        })}
        <form class="activity-filters" role="search" aria-label="Filter the activity" on:submit=|ev| ev.prevent_default()>
            <div class="activity-field activity-search">
                <label for="activity-search">"Search"</label>
                <input
                    id="activity-search"
                    type="search"
                    placeholder="Name, email, ID or error"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || text.get()
                    on:input=on_search
                />
            </div>
            <div class="activity-field">
                <label for="activity-key">"Key"</label>
                <select id="activity-key" on:change=set_key>
                    <option value="" selected=move || view_of().key.is_none()>"Any key"</option>
                    {key_options}
                </select>
            </div>
            <div class="activity-field">
                <label for="activity-kind">"Change"</label>
                <select id="activity-kind" on:change=set_kind>
                    <option value="" selected=move || view_of().kind.is_none()>"Any change"</option>
                    {audit::KINDS.iter().map(|(kind, code, label)| {
                        let kind = *kind;
                        view! { <option value=*code selected=move || view_of().kind == Some(kind)>{*label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="activity-field">
                <label for="activity-outcome">"Outcome"</label>
                <select id="activity-outcome" on:change=set_ending>
                    <option value="" selected=move || view_of().ending.is_none()>"Any outcome"</option>
                    {audit::ENDINGS.iter().map(|(ending, code, label)| {
                        let ending = *ending;
                        view! { <option value=*code selected=move || view_of().ending == Some(ending)>{*label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="activity-field">
                <label for="activity-from">"From"</label>
                <input id="activity-from" type="date" prop:value=move || view_of().from.map(|d| d.to_string()).unwrap_or_default() on:change=set_from />
            </div>
            <div class="activity-field">
                <label for="activity-to">"To"</label>
                <input id="activity-to" type="date" prop:value=move || view_of().to.map(|d| d.to_string()).unwrap_or_default() on:change=set_to />
            </div>
            <button type="button" class="button secondary" on:click=clear hidden=move || view_of().is_empty() && text.get().is_empty()>
                "Clear filters"
            </button>
        </form>
        <p class="muted" role="status" aria-live="polite">{status}</p>
        {move || export_error.get().map(|e| view! { <ErrorPanel error=e /> })}
        {move || loaded.get().and_then(Result::err).map(|e| view! { <ErrorPanel error=e /> })}
        {move || {
            let rows = rows();
            (!rows.is_empty()).then(|| view! {
                <div class="activity-wrap">
                    <table class="activity-table">
                        <thead>
                            <tr>
                                <th scope="col">"When"</th>
                                <th scope="col">"Key"</th>
                                <th scope="col">"Change"</th>
                                <th scope="col">"Target"</th>
                                <th scope="col">"Outcome"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|s| {
                                let class = match s.ending {
                                    Ending::Done => "outcome outcome-done",
                                    Ending::Refused => "outcome outcome-refused",
                                    Ending::NoAnswer => "outcome outcome-none",
                                };
                                view! {
                                    <tr class:unverified=s.unverified data-entry=s.seq.to_string()>
                                        <td class="activity-when">
                                            <span title=s.when_utc.clone()>{s.when}</span>
                                            <span class="muted">{s.ago}</span>
                                        </td>
                                        <td>{s.key}</td>
                                        <td>
                                            <span class="activity-action">{s.action}</span>
                                            <span class="muted activity-detail">
                                                {s.detail.map(|d| format!("{d} · "))}
                                                <code>{s.method}</code>
                                            </span>
                                        </td>
                                        <td class="activity-target">{s.target}</td>
                                        <td>
                                            <span class=class>{s.outcome}</span>
                                            {s.unverified.then(|| view! { <span class="badge warn">"Unverified"</span> })}
                                            {(!s.explanation.is_empty()).then(|| view! {
                                                <span class="muted activity-explanation">{s.explanation}</span>
                                            })}
                                            <span class="muted activity-entry">{format!("Entry {}", s.seq)}</span>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })
        }}
        {move || older_error.get().map(|e| view! { <ErrorPanel error=e /> })}
        <Show when=has_more>
            <div class="activity-more">
                <button class="button secondary" on:click=load_older disabled=move || older_loading.get()>
                    {move || if older_loading.get() { "Loading older changes…" } else { "Load older changes" }}
                </button>
            </div>
        </Show>
    }
    .into_any()
}

/// Why there is no log on this connection, and how to see it.
#[component]
fn NotThroughProxy(sandbox: bool) -> impl IntoView {
    view! {
        <h1 class="page-title">"Activity"</h1>
        <section class="card notice-card">
            <p class="lead">"The activity log is kept by slack-admin-proxy, on the server that holds the Slack token."</p>
            <p>
                "The proxy writes down every change made through it (invitations, role changes, decisions on invite requests): when, with which access key, and Slack's answer, each entry chained to the one before so that an edit shows."
            </p>
            <p>
                {if sandbox {
                    "This tab is connected to the sandbox, a simulated org with no proxy in front of it, so there is no log to show."
                } else {
                    "This tab is connected to Slack directly with a token, so no proxy sees the changes and there is no log to show."
                }}
            </p>
            <p class="muted">
                "To see it, disconnect and connect \u{201c}Through your team's proxy\u{201d} on the connect page, with the proxy's address and the access key its admin gave you."
            </p>
        </section>
    }
}

//! `/requests`: the invite-request inbox. Every pending request of every workspace, with what
//! the console knows about the address, decided one at a time by keyboard or as a paced job
//! for a selection; and the history of decisions. The list's rules are core's
//! ([`slack_admin_core::inbox`]); this page draws it and turns keys into decisions.

use crate::components::error_panel::ErrorPanel;
use crate::inbox::{InboxStore, Load};
use crate::live::LiveState;
use crate::members::Members;
use crate::pages::connect::RequireConnection;
use crate::session::Session;
use leptos::prelude::*;
use slack_admin_core::inbox::{
    cadence_sentence, history_csv, span_text, Context, Directory, Entry, History, Key,
    PendingByEmail, Verdict,
};
use slack_admin_core::invite::csv::thousands;
use slack_admin_core::invite::job::{Outcome, RowState};
use slack_admin_core::members::{Row, Status};
use slack_admin_core::methods::admin_invite_requests::AdminInviteRequestsList;
use slack_admin_core::{ChannelId, Method, TeamId, UserId};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// A value shared by the memos that build it, equal only to itself (no deep comparison of
/// 100,000 members' addresses on every change).
struct Shared<T>(Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ListState {
    Loading,
    Failed,
    Empty,
    Some,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Pending,
    Approved,
    Denied,
}

#[component]
pub fn InboxPage() -> impl IntoView {
    view! {
        <RequireConnection>
            <InboxView />
        </RequireConnection>
    }
}

/// The id of a request's element in the list.
fn element_id(key: &Key) -> String {
    format!("request-{}-{}", key.team.as_str(), key.id.as_str())
}

fn focus_key(key: &Key) {
    let id = element_id(key);
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

#[component]
fn InboxView() -> impl IntoView {
    let session = expect_context::<Session>();
    let store = expect_context::<InboxStore>();
    let members = expect_context::<Members>();
    let Some(connection) = session.connection() else {
        return ().into_any();
    };
    if !InboxStore::available(session) {
        return view! { <NotAvailable /> }.into_any();
    }
    store.ensure(session);
    members.ensure(session);
    // Through the proxy with a read-only key: requests can be seen, not answered.
    let read_only = connection.identity.proxy_key.as_deref() == Some("read-only");
    // What arrives while the admin looks at the list is seen (it keeps its New mark); in a
    // hidden tab it counts in the title until the tab is shown.
    Effect::new(move |_| {
        if store.with(|i| i.new_count()) > 0 && !crate::inbox::page_hidden() {
            store.seen();
        }
    });
    let shown = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if !crate::inbox::page_hidden() {
            store.seen();
        }
    });
    on_cleanup(move || {
        shown.remove();
        store.seen();
    });
    if store.history().get_untracked().is_none() {
        store.load_history(session);
    }
    let org_teams = connection.identity.org_teams.clone();
    let team_names: Arc<HashMap<TeamId, String>> = Arc::new(
        org_teams
            .iter()
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect(),
    );
    let tab = RwSignal::new(Tab::Pending);
    let team_filter = RwSignal::new(None::<TeamId>);
    // Everything shown, newest first, in the chosen workspace.
    let entries = Memo::new(move |_| {
        let all = store.entries();
        Shared(match team_filter.get() {
            Some(t) => Arc::new(all.iter().filter(|e| e.key.team == t).cloned().collect()),
            None => all,
        })
    });
    let cursor = RwSignal::new(None::<Key>);
    let selected = RwSignal::new(HashSet::<Key>::new());
    // Each drawn request's own "selected" signal, kept in step with `selected` by one effect.
    let flags = StoredValue::new(HashMap::<Key, RwSignal<bool>>::new());
    Effect::new(move |before: Option<HashSet<Key>>| {
        let now = selected.get();
        let before = before.unwrap_or_default();
        flags.with_value(|f| {
            for k in before.symmetric_difference(&now) {
                if let Some(flag) = f.get(k) {
                    flag.try_set(now.contains(k));
                }
            }
        });
        now
    });
    // The cursor's mark: the class moves from one element to the next.
    Effect::new(move |before: Option<Option<Key>>| {
        let now = cursor.get();
        let element = |k: &Key| {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&element_id(k)))
        };
        if let Some(el) = before.flatten().as_ref().and_then(element) {
            let _ = el.class_list().remove_1("current");
        }
        if let Some(el) = now.as_ref().and_then(element) {
            let _ = el.class_list().add_1("current");
        }
        now
    });
    // Denials ask first unless the admin turned that off (for this tab's session).
    let ask_before_deny = RwSignal::new(true);
    // A denial waiting for its confirmation: the requests it would deny.
    let confirming = RwSignal::new(None::<Vec<Key>>);
    let show_keys = RwSignal::new(false);

    // What the console knows to decide with: members by address, names, earlier decisions.
    let names = Memo::new(move |_| {
        members.with(|rows| {
            Shared(Arc::new(
                rows.iter()
                    .map(|r| (r.id.clone(), r.label().to_owned()))
                    .collect::<HashMap<UserId, String>>(),
            ))
        })
    });
    let directory = Memo::new(move |_| {
        let history = store
            .history()
            .with(|h| h.as_ref().and_then(|h| h.as_ref().ok()).cloned())
            .unwrap_or_default();
        members.with(|rows| Shared(Arc::new(Directory::new(rows, &history))))
    });
    let pending_by_email =
        Memo::new(move |_| Shared(Arc::new(PendingByEmail::new(&store.entries()))));
    // Channel names, per workspace with requests (conversations.list, cached per connection).
    let channel_names = RwSignal::new(HashMap::<ChannelId, String>::new());
    {
        let transport = connection.transport.clone();
        let teams = InboxStore::teams(session);
        leptos::task::spawn_local(async move {
            for team in teams {
                if let Ok(channels) = session.channels_of(&transport, Some(team)).await {
                    let _ = channel_names.try_update(|m| {
                        for c in channels {
                            m.insert(c.id.clone(), c.name.clone());
                        }
                    });
                }
            }
        });
    }

    let move_to = move |key: Option<Key>| {
        cursor.set(key.clone());
        if let Some(k) = key {
            // After the list is drawn without the decided one.
            request_animation_frame(move || focus_key(&k));
        }
    };
    // A selection's decision refused because another one is still running.
    let busy = RwSignal::new(false);
    let decide = move |keys: Vec<Key>, verdict: Verdict| {
        if keys.is_empty() {
            return;
        }
        let chosen: HashSet<Key> = keys.iter().cloned().collect();
        // Focus goes to the first request after the first one decided that is not decided
        // too, or else the nearest one before it.
        let next = entries.with_untracked(|list| {
            let at = list.iter().position(|e| chosen.contains(&e.key))?;
            list[at..]
                .iter()
                .chain(list[..at].iter().rev())
                .find(|e| !chosen.contains(&e.key))
                .map(|e| e.key.clone())
        });
        if keys.len() == 1 {
            store.decide(session, keys[0].clone(), verdict);
        } else {
            let picked: Vec<Entry> = entries.with_untracked(|list| {
                list.iter()
                    .filter(|e| chosen.contains(&e.key))
                    .cloned()
                    .collect()
            });
            if !store.decide_all(session, picked, verdict) {
                busy.set(true);
                return;
            }
        }
        busy.set(false);
        selected.update(|s| s.retain(|k| !chosen.contains(k)));
        move_to(next);
    };
    let ask_or_decide = move |keys: Vec<Key>, verdict: Verdict| {
        if keys.is_empty() || read_only {
            return;
        }
        if verdict == Verdict::Deny && ask_before_deny.get_untracked() {
            confirming.set(Some(keys));
        } else {
            decide(keys, verdict);
        }
    };
    let selection = move || -> Vec<Key> {
        let chosen = selected.get_untracked();
        entries.with_untracked(|list| {
            list.iter()
                .filter(|e| chosen.contains(&e.key))
                .map(|e| e.key.clone())
                .collect()
        })
    };
    let toggle = move |key: Key| {
        selected.update(|s| {
            if !s.remove(&key) {
                s.insert(key);
            }
        });
    };

    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if tab.get_untracked() != Tab::Pending {
            return;
        }
        let typing = crate::browser::typing_in_field(&ev);
        // A held key repeats: one decision per press, not thirty a second.
        if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.repeat() {
            return;
        }
        let back_to_list = move || {
            if let Some(k) = cursor.get_untracked() {
                request_animation_frame(move || focus_key(&k));
            }
        };
        // A dialog open: only its own keys.
        if let Some(keys) = confirming.get_untracked() {
            match ev.key().as_str() {
                "Escape" => {
                    confirming.set(None);
                    back_to_list();
                }
                // d again denies (d, d); the dialog's focus is on "Keep it".
                "d" => {
                    ev.prevent_default();
                    confirming.set(None);
                    decide(keys, Verdict::Deny);
                }
                _ => {}
            }
            return;
        }
        if show_keys.get_untracked() {
            if matches!(ev.key().as_str(), "Escape" | "?") {
                show_keys.set(false);
                back_to_list();
            }
            return;
        }
        let current = cursor
            .get_untracked()
            .filter(|k| entries.with_untracked(|list| list.iter().any(|e| &e.key == k)));
        match ev.key().as_str() {
            "j" | "k" => {
                ev.prevent_default();
                let next = entries.with_untracked(|list| {
                    if list.is_empty() {
                        return None;
                    }
                    let at = current
                        .as_ref()
                        .and_then(|k| list.iter().position(|e| &e.key == k));
                    let to = match (at, ev.key().as_str()) {
                        (None, _) => 0,
                        (Some(i), "j") => (i + 1).min(list.len() - 1),
                        (Some(i), _) => i.saturating_sub(1),
                    };
                    list.get(to).map(|e| e.key.clone())
                });
                move_to(next);
            }
            "a" => {
                if let Some(k) = current {
                    decide(vec![k], Verdict::Approve);
                }
            }
            "d" => {
                if let Some(k) = current {
                    ask_or_decide(vec![k], Verdict::Deny);
                }
            }
            // Shift held, not Caps Lock: a whole selection is not decided by accident.
            "A" if ev.shift_key() => ask_or_decide(selection(), Verdict::Approve),
            "D" if ev.shift_key() => ask_or_decide(selection(), Verdict::Deny),
            "x" => {
                if let Some(k) = current {
                    ev.prevent_default();
                    toggle(k);
                }
            }
            "?" => show_keys.set(true),
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    let team_names_for_select = team_names.clone();
    let team_select = move || {
        (team_names_for_select.len() > 1).then(|| {
            let options = org_teams
                .iter()
                .map(|t| {
                    let id = t.id.as_str().to_owned();
                    view! { <option value=id.clone()>{t.name.clone()}</option> }
                })
                .collect_view();
            view! {
                <label class="inline-field">
                    <span>"Workspace"</span>
                    <select on:change=move |ev| {
                        let v = event_target_value(&ev);
                        team_filter.set((!v.is_empty()).then(|| TeamId::new(v)));
                        cursor.set(None);
                    }>
                        <option value="">"All workspaces"</option>
                        {options}
                    </select>
                </label>
            }
        })
    };

    let tab_button = move |which: Tab, label: &'static str, id: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                id=id
                class="tab"
                aria-controls="inbox-panel"
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| {
                    tab.set(which);
                    // The history as it is now (decisions made since are in it).
                    if which != Tab::Pending {
                        store.load_history(session);
                    }
                }
            >
                {label}
                {move || {
                    (which == Tab::Pending)
                        .then(|| {
                            view! {
                                <span class="tab-count">{move || thousands(entries.with(|l| l.len()))}</span>
                            }
                        })
                }}
            </button>
        }
    };

    let names_for_list = names;
    let team_names_for_list = team_names.clone();
    let list = move || {
        let team_names = team_names_for_list.clone();
        view! {
            <ul class="requests" aria-label="Pending invite requests">
                <For
                    // Keys only: a decision clones 1,000 keys, not 1,000 requests.
                    each=move || {
                        entries.with(|l| {
                            l.iter()
                                .map(|e| (e.key.clone(), e.refused.is_some()))
                                .collect::<Vec<_>>()
                        })
                    }
                    key=|k: &(Key, bool)| k.clone()
                    children=move |(key, _): (Key, bool)| {
                        let e = entries
                            .with_untracked(|l| l.iter().find(|e| e.key == key).cloned())
                            .unwrap_or_else(|| Entry {
                                key: key.clone(),
                                request: Default::default(),
                                new: false,
                                refused: None,
                            });
                        let chosen = RwSignal::new(
                            selected.with_untracked(|s| s.contains(&e.key)),
                        );
                        flags.update_value(|f| {
                            f.insert(e.key.clone(), chosen);
                        });
                        view! {
                            <RequestItem
                                entry=e
                                cursor=cursor
                                chosen=chosen
                                names=names_for_list
                                directory=directory
                                pending=pending_by_email
                                channel_names=channel_names
                                team_names=team_names.clone()
                                on_decide=Callback::new(move |(key, verdict): (Key, Verdict)| {
                                    ask_or_decide(vec![key], verdict)
                                })
                                on_toggle=Callback::new(toggle)
                                read_only=read_only
                            />
                        }
                    }
                />
            </ul>
        }
    };

    let list_state =
        Memo::new(
            move |_| match (store.load_state().get(), entries.with(|l| l.is_empty())) {
                (_, false) => ListState::Some,
                (Load::Loading | Load::Idle, true) => ListState::Loading,
                (Load::Failed, true) => ListState::Failed,
                (Load::Done, true) => ListState::Empty,
            },
        );
    let pending_panel = move || {
        let list = list.clone();
        view! {
            <div class="inbox-tools">
                <label class="checkbox">
                    <input
                        type="checkbox"
                        prop:checked=move || {
                            let n = entries.with(|l| l.len());
                            n > 0 && selected.with(|s| entries.with(|l| l.iter().all(|e| s.contains(&e.key))))
                        }
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| {
                                entries.with_untracked(|l| {
                                    for e in l.iter() {
                                        if on {
                                            s.insert(e.key.clone());
                                        } else {
                                            s.remove(&e.key);
                                        }
                                    }
                                })
                            });
                        }
                    />
                    <span>{move || format!("Select all {} shown", thousands(entries.with(|l| l.len())))}</span>
                </label>
                <button
                    class="button primary"
                    hidden=read_only
                    disabled=move || selected.with(HashSet::is_empty)
                    on:click=move |_| ask_or_decide(selection(), Verdict::Approve)
                >
                    {move || format!("Approve selected ({})", selected.with(HashSet::len))}
                </button>
                <button
                    class="button secondary"
                    hidden=read_only
                    disabled=move || selected.with(HashSet::is_empty)
                    on:click=move |_| ask_or_decide(selection(), Verdict::Deny)
                >
                    {move || format!("Deny selected ({})", selected.with(HashSet::len))}
                </button>
                <label class="checkbox">
                    <input
                        type="checkbox"
                        prop:checked=move || ask_before_deny.get()
                        on:change=move |ev| ask_before_deny.set(event_target_checked(&ev))
                    />
                    <span>"Ask before denying"</span>
                </label>
                <button class="button link" on:click=move |_| show_keys.update(|s| *s = !*s)>
                    "Keys (?)"
                </button>
            </div>
            {move || busy.get().then(|| view! {
                <p class="notice" role="status">
                    "A decision on a selection is still running: wait for it to finish, or cancel the rest, then decide the new selection."
                </p>
            })}
            {move || store.queue_halt().get().map(|e| view! {
                <div class="queue-halt">
                    <p class="lead">"The decisions stopped: Slack refused them all."</p>
                    <ErrorPanel error=e />
                </div>
            })}
            <DecisionPanel />
            // The state decides the sentence; the list itself is built once and follows the
            // entries (a decision removes one element, it does not rebuild the list).
            {move || match list_state.get() {
                ListState::Loading => view! {
                    <p class="muted inbox-empty">"Listing the pending requests of every workspace…"</p>
                }
                .into_any(),
                ListState::Empty => view! {
                    <div class="inbox-empty">
                        <p class="lead">"No pending requests."</p>
                        <p class="muted">
                            "New requests appear here as members make them; the console checks every workspace on its own."
                        </p>
                    </div>
                }
                .into_any(),
                ListState::Failed => view! {
                    <p class="muted inbox-empty">
                        "No workspace's requests could be listed (the reason is above). The console tries again on its own."
                    </p>
                }
                .into_any(),
                ListState::Some => ().into_any(),
            }}
            {list()}
        }
    };

    let history_panel = move |which: Tab| {
        let team_names = team_names.clone();
        view! { <HistoryPanel which=which names=names team_names=team_names team_filter=team_filter /> }
    };

    view! {
        <div class="page-head">
            <h1 class="page-title">"Invite requests"</h1>
            <div class="page-actions">
                {team_select}
                <button
                    class="button secondary"
                    on:click=move |_| {
                        store.refresh();
                        if tab.get_untracked() != Tab::Pending {
                            store.load_history(session);
                        }
                    }
                >
                    "Check now"
                </button>
            </div>
        </div>
        <CheckedLine />
        {read_only.then(|| view! {
            <p class="notice">
                "Your access key to the proxy is read-only: you can see the requests and their history, not answer them."
            </p>
        })}
        <p class="visually-hidden" role="status" aria-live="polite">{move || store.said().get()}</p>
        <div class="tabs" role="tablist" aria-label="Requests">
            {tab_button(Tab::Pending, "Pending", "tab-pending")}
            {tab_button(Tab::Approved, "Approved", "tab-approved")}
            {tab_button(Tab::Denied, "Denied", "tab-denied")}
        </div>
        <section id="inbox-panel" role="tabpanel" class="inbox-panel">
            {move || match tab.get() {
                Tab::Pending => pending_panel().into_any(),
                which => history_panel(which).into_any(),
            }}
        </section>
        {move || confirming.get().map(|keys| view! { <ConfirmDeny keys=keys on_done=Callback::new(move |go: bool| {
            let keys = confirming.get_untracked().unwrap_or_default();
            confirming.set(None);
            if go {
                decide(keys, Verdict::Deny);
            } else if let Some(k) = cursor.get_untracked() {
                request_animation_frame(move || focus_key(&k));
            }
        }) /> })}
        {move || show_keys.get().then(|| view! { <KeysHelp on_close=Callback::new(move |()| {
            show_keys.set(false);
            if let Some(k) = cursor.get_untracked() {
                request_animation_frame(move || focus_key(&k));
            }
        }) /> })}
    }
    .into_any()
}

/// When the list was last checked, how often it is, and a failed check's reason.
#[component]
fn CheckedLine() -> impl IntoView {
    let store = expect_context::<InboxStore>();
    let now = RwSignal::new(crate::browser::now_ms());
    let tick = set_interval_with_handle(
        move || now.set(crate::browser::now_ms()),
        std::time::Duration::from_secs(5),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = tick {
            t.clear();
        }
    });
    // Live through the proxy's events, or polled.
    let live = move || store.live_state().get() == LiveState::Live;
    let sentence = move || {
        let ago = store
            .checked_at()
            .get()
            .map(|at| now.get().saturating_sub(at) / 1000);
        cadence_sentence(live(), ago, store.interval_ms().get() / 1000)
    };
    view! {
        <p class="muted checked-line" class:live=live>{sentence}</p>
        {move || {
            let n = store.queued().get();
            (n > 0).then(|| view! {
                <p class="notice queued-note" role="status">
                    {if n == 1 { "1 decision is waiting to be sent".to_owned() } else { format!("{n} decisions are waiting to be sent") }}
                    ": Slack takes about 20 a minute, so they go in order. They are already out of the list."
                </p>
            })
        }}
        {move || store.poll_error().get().map(|e| view! { <ErrorPanel error=e method=AdminInviteRequestsList::NAME /> })}
    }
}

/// What a request shows.
#[component]
fn RequestItem(
    entry: Entry,
    cursor: RwSignal<Option<Key>>,
    /// Whether this request is selected: its own signal, so that selecting one request does
    /// not wake the other 999.
    chosen: RwSignal<bool>,
    names: Memo<Shared<HashMap<UserId, String>>>,
    directory: Memo<Shared<Directory>>,
    pending: Memo<Shared<PendingByEmail>>,
    channel_names: RwSignal<HashMap<ChannelId, String>>,
    team_names: Arc<HashMap<TeamId, String>>,
    on_decide: Callback<(Key, Verdict)>,
    on_toggle: Callback<Key>,
    /// A read-only access key: no decisions.
    read_only: bool,
) -> impl IntoView {
    let members = expect_context::<Members>();
    let key = entry.key.clone();
    let r = entry.request.clone();
    let now = crate::browser::now_s();
    let team_name = |t: &TeamId| {
        team_names
            .get(t)
            .cloned()
            .unwrap_or_else(|| t.as_str().to_owned())
    };
    let workspace = team_name(&key.team);
    let email = r.email.clone();
    // The cursor's mark is moved by the list (two elements change, not 1,000 subscribers).
    let class = if cursor.with_untracked(|c| c.as_ref() == Some(&key)) {
        "request current"
    } else {
        "request"
    };
    let requesters = {
        let ids = r.requester_ids.clone();
        move || {
            names.with(|n| {
                ids.iter()
                    .map(|id| n.get(id).cloned().unwrap_or_else(|| id.as_str().to_owned()))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        }
    };
    let channels = {
        let ids = r.channel_ids.clone();
        move || {
            channel_names.with(|n| {
                ids.iter()
                    .map(|id| match n.get(id) {
                        Some(name) => format!("#{name}"),
                        None => id.as_str().to_owned(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        }
    };
    let age = if r.date_created > 0 {
        format!("asked {} ago", span_text(now - r.date_created))
    } else {
        "asked at a time Slack did not give".to_owned()
    };
    let expiry = if r.date_expire <= 0 {
        "no expiry given".to_owned()
    } else if r.date_expire <= now {
        "expired".to_owned()
    } else {
        format!("expires in {}", span_text(r.date_expire - now))
    };
    // Recomputed when members, history or the pending list change, redrawn only when this
    // request's context itself changed (not at every decision on another request).
    let context = {
        let entry = entry.clone();
        // Only the directory (members and history, which change rarely) is tracked: a decision
        // on another request changes `pending` for all 1,000 at once, and 1,000 subscribers
        // re-subscribing costs more than the sentence is worth ("also requested for" is as of
        // when the request was drawn).
        Memo::new(move |_| {
            directory.with(|d| {
                untrack(|| {
                    members.with(|rows: &[Row]| pending.with(|p| d.context(rows, &entry, p)))
                })
            })
        })
    };
    let context_view = {
        let team_names = team_names.clone();
        move || {
            context.with(|c| {
                context_lines(
                    c,
                    &|t| {
                        team_names
                            .get(t)
                            .cloned()
                            .unwrap_or_else(|| t.as_str().to_owned())
                    },
                    &names.get(),
                )
            })
        }
    };
    let (key_a, key_d, key_t, key_c) = (key.clone(), key.clone(), key.clone(), key.clone());
    let title_id = format!("{}-title", element_id(&key));
    let title_ref = title_id.clone();
    view! {
        <li
            class=class
            class:chosen=move || chosen.get()
            id=element_id(&key)
            tabindex="-1"
            aria-labelledby=title_ref
            on:click=move |_| cursor.set(Some(key_c.clone()))
        >
            <input
                type="checkbox"
                class="request-check"
                aria-label=format!("Select the request for {email}")
                prop:checked=move || chosen.get()
                on:change=move |_| on_toggle.run(key_t.clone())
            />
            <div class="request-body">
                <p class="request-title" id=title_id>
                    <strong>{r.email.clone()}</strong>
                    {(!r.real_name.trim().is_empty()).then(|| view! { <span class="request-name">{r.real_name.clone()}</span> })}
                    {entry.new.then(|| view! { <span class="badge new">"New"</span> })}
                </p>
                <p class="request-meta">
                    {r.invite_type.label()} " · " {workspace} " · " {age} " · " {expiry}
                </p>
                <p class="request-meta">"Asked by " {requesters}</p>
                {(!r.channel_ids.is_empty()).then(|| view! { <p class="request-meta">"Channels: " {channels}</p> })}
                {if r.request_reason.trim().is_empty() {
                    view! { <p class="request-reason muted">"No reason given."</p> }.into_any()
                } else {
                    view! { <blockquote class="request-reason">{r.request_reason.clone()}</blockquote> }.into_any()
                }}
                <ul class="request-context">{context_view}</ul>
                {entry.refused.clone().map(|f| view! {
                    <div class="error-panel" role="alert">
                        <p class="error-summary">
                            {format!("Slack refused to {} this request. ", f.verdict.label().to_lowercase())}
                            {f.summary}
                        </p>
                        <p class="error-fix">{f.fix}</p>
                        <p class="error-code">"Slack's code: " <code>{f.code}</code></p>
                    </div>
                })}
            </div>
            {(!read_only).then(|| view! {
                <div class="request-actions">
                    <button class="button primary" on:click=move |ev| {
                        ev.stop_propagation();
                        on_decide.run((key_a.clone(), Verdict::Approve))
                    }>"Approve"</button>
                    <button class="button secondary" on:click=move |ev| {
                        ev.stop_propagation();
                        on_decide.run((key_d.clone(), Verdict::Deny))
                    }>"Deny"</button>
                </div>
            })}
        </li>
    }
}

/// The context of a request in sentences, each a list item.
fn context_lines(
    c: &Context,
    team_name: &dyn Fn(&TeamId) -> String,
    names: &HashMap<UserId, String>,
) -> Vec<AnyView> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let teams = |ts: &[TeamId]| ts.iter().map(team_name).collect::<Vec<_>>().join(", ");
    if let Some(m) = &c.member {
        let state = match m.status {
            Status::Active => "an active member",
            Status::Deactivated => "a deactivated member",
            Status::Invited => "invited already, not signed up yet",
        };
        let where_ = if m.workspaces.is_empty() {
            String::new()
        } else {
            format!(" in {}", teams(&m.workspaces))
        };
        out.push((
            "warn",
            format!("This address is {state} ({}){where_}.", m.name),
        ));
    }
    if !c.also_requested.is_empty() {
        out.push((
            "info",
            format!("Also requested for {}.", teams(&c.also_requested)),
        ));
    }
    for e in &c.earlier {
        let by = names
            .get(&e.by)
            .cloned()
            .unwrap_or_else(|| e.by.as_str().to_owned());
        let when =
            e.at.map(|t| format!(" on {}", &slack_admin_core::invite::dates::iso_utc(t)[..10]))
                .unwrap_or_default();
        out.push((
            if e.verdict == Verdict::Deny {
                "warn"
            } else {
                "info"
            },
            format!(
                "{} before for {} by {by}{when}.",
                match e.verdict {
                    Verdict::Approve => "Approved",
                    Verdict::Deny => "Denied",
                },
                team_name(&e.team)
            ),
        ));
    }
    if c.domain.is_empty() {
        out.push(("warn", "The address has no domain.".to_owned()));
    } else if c.domain_members > 0 {
        out.push((
            "ok",
            format!(
                "{} member{} of the org use{} {}.",
                thousands(c.domain_members),
                if c.domain_members == 1 { "" } else { "s" },
                if c.domain_members == 1 { "s" } else { "" },
                c.domain
            ),
        ));
    } else {
        out.push(("warn", format!("No member of the org uses {}.", c.domain)));
    }
    out.into_iter()
        .map(|(kind, text)| view! { <li class=format!("context-{kind}")>{text}</li> }.into_any())
        .collect()
}

/// The selection's decision: progress, pause and cancel, and what Slack refused.
#[component]
fn DecisionPanel() -> impl IntoView {
    let store = expect_context::<InboxStore>();
    move || {
        store.job().with(|job| {
            job.as_ref().map(|job| {
                let verdict = job.work().verdict;
                let p = job.progress(crate::browser::now_ms());
                let title = if p.finished {
                    format!(
                        "{} {} of {} requests.",
                        match verdict {
                            Verdict::Approve => "Approved",
                            Verdict::Deny => "Denied",
                        },
                        p.counts.changed + p.counts.unchanged,
                        p.total
                    )
                } else {
                    format!(
                        "{} {} requests: {} of {} done{}.",
                        match verdict {
                            Verdict::Approve => "Approving",
                            Verdict::Deny => "Denying",
                        },
                        p.total,
                        p.done,
                        p.total,
                        p.eta_ms
                            .map(|ms| format!(", about {} left", slack_admin_core::invite::job::duration_text(ms)))
                            .unwrap_or_default()
                    )
                };
                let refused: Vec<(String, String, String)> = job
                    .rows()
                    .iter()
                    .filter_map(|r| match &r.state {
                        RowState::Done {
                            outcome: Outcome::Refused { code, summary, .. },
                        } => Some((r.item.email.clone(), code.clone(), summary.clone())),
                        RowState::Done {
                            outcome: Outcome::NotSent { reason },
                        } => Some((r.item.email.clone(), "not sent".into(), reason.clone())),
                        _ => None,
                    })
                    .collect();
                let halt = job.halt().cloned();
                let percent = p.percent();
                let finished = p.finished;
                let paused = p.paused;
                view! {
                    <section class="card decision-panel" aria-label="Decision on the selection">
                        <p class="job-status">{title}</p>
                        <progress max="100" value=percent.to_string() aria-label="Progress"></progress>
                        <p class="muted">
                            {format!("{} done, {} refused", p.counts.changed, p.counts.refused)}
                            {(p.counts.unchanged > 0).then(|| format!(", {} decided already by someone else", p.counts.unchanged))}
                            {(p.counts.not_sent > 0).then(|| format!(", {} not sent", p.counts.not_sent))}
                            " · paced at Slack's Tier 2 (20 a minute, or the sandbox's pace)"
                        </p>
                        {(paused && !finished).then(|| view! {
                            <p>
                                {format!(
                                    "{} of the selected requests wait in this decision, out of the list, until it is resumed or the rest is cancelled.",
                                    p.remaining
                                )}
                            </p>
                        })}
                        {halt.map(|h| view! {
                            <div class="error-panel" role="alert">
                                <p class="error-summary">{format!("Stopped: {}", h.summary)}</p>
                                <p class="error-fix">{h.fix}</p>
                                <p class="error-code">"Slack's code: " <code>{h.code}</code></p>
                            </div>
                        })}
                        <div class="actions">
                            {(!finished && !paused).then(|| view! { <button class="button secondary" on:click=move |_| store.pause()>"Pause"</button> })}
                            {(!finished && paused).then(|| view! { <button class="button primary" on:click=move |_| store.resume()>"Resume"</button> })}
                            {(!finished).then(|| view! { <button class="button secondary" on:click=move |_| store.cancel()>"Cancel the rest"</button> })}
                            {finished.then(|| view! { <button class="button secondary" on:click=move |_| store.dismiss()>"Close"</button> })}
                        </div>
                        {(!refused.is_empty()).then(|| view! {
                            <table class="results-table">
                                <caption>"Not decided (back in the list)"</caption>
                                <thead><tr><th scope="col">"Email"</th><th scope="col">"Code"</th><th scope="col">"Why"</th></tr></thead>
                                <tbody>
                                    {refused.into_iter().map(|(email, code, why)| view! {
                                        <tr><td>{email}</td><td><code>{code}</code></td><td>{why}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })}
                    </section>
                }
            })
        })
    }
}

/// Approved or denied requests, filtered by a search, exported as CSV.
#[component]
fn HistoryPanel(
    which: Tab,
    names: Memo<Shared<HashMap<UserId, String>>>,
    team_names: Arc<HashMap<TeamId, String>>,
    team_filter: RwSignal<Option<TeamId>>,
) -> impl IntoView {
    let store = expect_context::<InboxStore>();
    let search = RwSignal::new(String::new());
    let team_name = {
        let t = team_names.clone();
        move |id: &TeamId| t.get(id).cloned().unwrap_or_else(|| id.as_str().to_owned())
    };
    // The history in view: this tab's decisions, in the chosen workspace, matching the search.
    let shown = Memo::new(move |_| {
        let needle = search.get().trim().to_lowercase();
        let team = team_filter.get();
        store.history().with(|h| {
            let Some(Ok(h)) = h else {
                return History::default();
            };
            let keep = |t: &TeamId, email: &str, name: &str| {
                team.as_ref().is_none_or(|x| x == t)
                    && (needle.is_empty()
                        || email.to_lowercase().contains(&needle)
                        || name.to_lowercase().contains(&needle))
            };
            History {
                approved: if which == Tab::Approved {
                    h.approved
                        .iter()
                        .filter(|(t, a)| {
                            keep(t, &a.invite_request.email, &a.invite_request.real_name)
                        })
                        .cloned()
                        .collect()
                } else {
                    Vec::new()
                },
                denied: if which == Tab::Denied {
                    h.denied
                        .iter()
                        .filter(|(t, d)| {
                            keep(t, &d.invite_request.email, &d.invite_request.real_name)
                        })
                        .cloned()
                        .collect()
                } else {
                    Vec::new()
                },
            }
        })
    });
    let team_name_csv = team_name.clone();
    let export = move |_| {
        let csv = names.with_untracked(|n| {
            shown.with_untracked(|h| {
                history_csv(h, &|id| n.get(id).cloned().unwrap_or_default(), &|t| {
                    team_name_csv(t)
                })
            })
        });
        let file = if which == Tab::Approved {
            "approved-requests.csv"
        } else {
            "denied-requests.csv"
        };
        crate::browser::download_csv(file, &csv);
    };
    let who = move |id: &UserId| {
        names.with(|n| n.get(id).cloned().unwrap_or_else(|| id.as_str().to_owned()))
    };
    let rows = move || {
        let team_name = team_name.clone();
        shown.with(|h| {
            let approved = h.approved.iter().map(|(t, a)| {
                let r = &a.invite_request;
                let invite = a.invite.as_ref();
                let sent = invite
                    .map(|i| slack_admin_core::invite::dates::iso_utc(i.date_created)[..16].replace('T', " "))
                    .unwrap_or_else(|| "—".into());
                let kind = invite.map_or(r.invite_type.label(), |i| i.invite_type().label());
                let channels = invite.map_or(r.channel_ids.len(), |i| i.channel_ids().len());
                let bouncing = invite.is_some_and(|i| i.is_bouncing);
                view! {
                    <tr>
                        <td>{r.email.clone()} {(!r.real_name.is_empty()).then(|| view! { <span class="muted">" · " {r.real_name.clone()}</span> })}</td>
                        <td>{team_name(t)}</td>
                        <td>{who(&a.approved_by.actor_id)}</td>
                        <td>{sent} " UTC"</td>
                        <td>{kind} {(channels > 0).then(|| format!(" · {channels} channel{}", if channels == 1 { "" } else { "s" }))}</td>
                        <td>{if bouncing { view! { <span class="badge warn">"Bouncing"</span> }.into_any() } else { "Delivered or pending".into_any() }}</td>
                    </tr>
                }
            }).collect_view();
            let denied = h.denied.iter().map(|(t, d)| {
                let r = &d.invite_request;
                view! {
                    <tr>
                        <td>{r.email.clone()} {(!r.real_name.is_empty()).then(|| view! { <span class="muted">" · " {r.real_name.clone()}</span> })}</td>
                        <td>{team_name(t)}</td>
                        <td>{who(&d.denied_by.actor_id)}</td>
                        <td>{r.invite_type.label()}</td>
                        <td>{if r.request_reason.is_empty() { "—".to_owned() } else { r.request_reason.clone() }}</td>
                    </tr>
                }
            }).collect_view();
            (approved, denied)
        })
    };
    let count = move || shown.with(|h| h.approved.len() + h.denied.len());
    view! {
        <div class="inbox-tools">
            <label class="inline-field">
                <span>"Filter"</span>
                <input type="search" placeholder="Email or name" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
            </label>
            <button class="button secondary" on:click=export disabled=move || count() == 0>"Export CSV"</button>
            <span class="muted" role="status">{move || {
                if store.history_loading().get() { "Loading the history of every workspace…".to_owned() } else { format!("{} shown", thousands(count())) }
            }}</span>
        </div>
        {move || store.history().get().and_then(Result::err).map(|e| view! { <ErrorPanel error=e /> })}
        {move || {
            let (approved, denied) = rows();
            if count() == 0 {
                return view! { <p class="muted inbox-empty">{if which == Tab::Approved { "No approved requests here." } else { "No denied requests here." }}</p> }.into_any();
            }
            if which == Tab::Approved {
                view! {
                    <div class="table-wrap">
                        <table class="results-table history-table">
                            <thead><tr>
                                <th scope="col">"Email"</th><th scope="col">"Workspace"</th><th scope="col">"Approved by"</th>
                                <th scope="col">"Invitation sent"</th><th scope="col">"Invited as"</th><th scope="col">"Delivery"</th>
                            </tr></thead>
                            <tbody>{approved}</tbody>
                        </table>
                    </div>
                }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="results-table history-table">
                            <thead><tr>
                                <th scope="col">"Email"</th><th scope="col">"Workspace"</th><th scope="col">"Denied by"</th>
                                <th scope="col">"Asked as"</th><th scope="col">"Reason given"</th>
                            </tr></thead>
                            <tbody>{denied}</tbody>
                        </table>
                    </div>
                    <p class="muted">"Slack does not say when a request was denied."</p>
                }.into_any()
            }
        }}
    }
}

/// The confirmation of a denial.
#[component]
fn ConfirmDeny(keys: Vec<Key>, on_done: Callback<bool>) -> impl IntoView {
    let store = expect_context::<InboxStore>();
    let emails: Vec<String> = store.with(|i| {
        let all = i.entries();
        keys.iter()
            .filter_map(|k| {
                all.iter()
                    .find(|e| &e.key == k)
                    .map(|e| e.request.email.clone())
            })
            .collect()
    });
    let n = emails.len();
    let text = if n == 1 {
        format!("Deny the request for {}? The person is not invited, and the requester is not told by the console.", emails[0])
    } else {
        format!("Deny {n} requests? None of these people is invited.")
    };
    let confirm = NodeRef::<leptos::html::Button>::new();
    let keep = NodeRef::<leptos::html::Button>::new();
    // The safe choice has the focus; Tab stays between the two buttons.
    Effect::new(move |_| {
        if let Some(b) = keep.get() {
            let _ = b.focus();
        }
    });
    let trap = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Tab" {
            ev.prevent_default();
            let on_keep = keep.get_untracked().is_some_and(|k| {
                web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.active_element())
                    .is_some_and(|a| a == **k)
            });
            let target = if on_keep {
                confirm.get_untracked()
            } else {
                keep.get_untracked()
            };
            if let Some(b) = target {
                let _ = b.focus();
            }
        }
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="deny-title" aria-describedby="deny-text" on:keydown=trap>
                <h2 id="deny-title">{if n == 1 { "Deny this request?".to_owned() } else { format!("Deny {n} requests?") }}</h2>
                <p id="deny-text">{text}</p>
                {(n > 1 && n <= 10).then(|| view! { <ul>{emails.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul> })}
                <p class="muted">"Press d again to deny, Esc to keep it. Turn off “Ask before denying” to deny with one key for the rest of this session."</p>
                <div class="actions">
                    <button class="button danger" node_ref=confirm on:click=move |_| on_done.run(true)>"Deny"</button>
                    <button class="button secondary" node_ref=keep on:click=move |_| on_done.run(false)>"Keep it"</button>
                </div>
            </div>
        </div>
    }
}

/// The keys, listed by `?`.
#[component]
fn KeysHelp(on_close: Callback<()>) -> impl IntoView {
    let close = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = close.get() {
            let _ = b.focus();
        }
    });
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="keys-title" on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Tab" {
                    ev.prevent_default();
                }
            }>
                <h2 id="keys-title">"Keys"</h2>
                <dl class="keys">
                    <dt><kbd>"j"</kbd> " / " <kbd>"k"</kbd></dt><dd>"Next / previous request"</dd>
                    <dt><kbd>"a"</kbd></dt><dd>"Approve the request"</dd>
                    <dt><kbd>"d"</kbd></dt><dd>"Deny the request (asks first, unless turned off)"</dd>
                    <dt><kbd>"x"</kbd></dt><dd>"Select or unselect the request"</dd>
                    <dt><kbd>"Shift"</kbd> "+" <kbd>"A"</kbd></dt><dd>"Approve the selection"</dd>
                    <dt><kbd>"Shift"</kbd> "+" <kbd>"D"</kbd></dt><dd>"Deny the selection"</dd>
                    <dt><kbd>"?"</kbd></dt><dd>"Show or hide these keys"</dd>
                    <dt><kbd>"d"</kbd> " " <kbd>"d"</kbd></dt><dd>"Deny without the pointer, when asked to confirm"</dd>
                    <dt><kbd>"Esc"</kbd></dt><dd>"Close this"</dd>
                </dl>
                <div class="actions">
                    <button class="button secondary" node_ref=close on:click=move |_| on_close.run(())>"Close"</button>
                </div>
            </div>
        </div>
    }
}

/// Why there is no inbox on this connection.
#[component]
fn NotAvailable() -> impl IntoView {
    let session = expect_context::<Session>();
    let identity = session.connection().map(|c| c.identity);
    let grid = identity.as_ref().is_some_and(|i| i.is_grid());
    let note = identity.as_ref().and_then(|i| {
        i.capabilities()
            .into_iter()
            .find(|c| c.feature == slack_admin_core::connection::Feature::InviteRequests)
            .and_then(|c| c.note)
    });
    view! {
        <h1 class="page-title">"Invite requests"</h1>
        <section class="card notice-card">
            {if grid {
                view! {
                    <p class="lead">"This token cannot list invite requests."</p>
                    <p>{note.unwrap_or_default()}</p>
                    <p class="muted">"The inbox needs an org admin or owner's user token with admin.invites:read (and admin.invites:write to decide)."</p>
                }.into_any()
            } else {
                view! {
                    <p class="lead">"Slack offers invite requests to apps only on Enterprise Grid."</p>
                    <p>
                        "On this plan, when members ask to invite someone, the request arrives as a Slackbot message to the workspace's owners and admins, and is answered in Slack (Settings & administration › Manage members › Invitations)."
                    </p>
                    <p class="muted">"The console cannot list or answer them here. Invites and member changes work as usual."</p>
                }.into_any()
            }}
        </section>
    }
}

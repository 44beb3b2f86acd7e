//! Choosing channels by name: a searchable list (ARIA combobox) and chips to remove.
//!
//! Keyboard: type to filter, ↓/↑ to move, Enter to add, Escape to close, Backspace in an empty
//! field removes the last chip.

use leptos::prelude::*;
use slack_admin_core::channel_search::{by_id, search};
use slack_admin_core::methods::conversations::Channel;
use slack_admin_core::{ChannelId, SlackError};

/// A [`ChannelPicker`] over channels still being listed: "Loading channels…" until the
/// chosen workspace's list is there (never the previous workspace's list meanwhile), a plain
/// sentence if it could not be listed (the page shows Slack's reason once, above the forms).
/// The picker is built once per state, not per list, so focus and typing survive a reload.
#[component]
pub fn ChannelChooser(
    /// The `id` of the text field, for its `<label for>`.
    #[prop(into)]
    input_id: String,
    /// The chosen workspace's channels: `None` while they load.
    channels: Signal<Option<Result<Vec<Channel>, SlackError>>>,
    /// The chosen channels, in order.
    chosen: RwSignal<Vec<ChannelId>>,
    /// At most this many may be chosen.
    #[prop(into)]
    max: Signal<Option<usize>>,
    /// The id of the element that describes the field.
    #[prop(into, optional)]
    described_by: String,
) -> impl IntoView {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Loading,
        Failed,
        Ready,
    }
    let state = Memo::new(
        move |_| match channels.with(|c| c.as_ref().map(Result::is_ok)) {
            None => State::Loading,
            Some(false) => State::Failed,
            Some(true) => State::Ready,
        },
    );
    let list = Signal::derive(move || {
        channels.with(|c| {
            c.as_ref()
                .and_then(|r| r.as_ref().ok())
                .cloned()
                .unwrap_or_default()
        })
    });
    move || {
        let input_id = input_id.clone();
        let described_by = described_by.clone();
        match state.get() {
            State::Loading => view! {
                // Labelled like the field, so its <label for> still points somewhere useful.
                <input id=input_id type="text" class="picker-loading" readonly placeholder="Loading channels…" aria-busy="true" aria-describedby=described_by />
            }
            .into_any(),
            State::Failed => view! {
                <input id=input_id type="text" class="picker-loading" readonly disabled placeholder="The channels could not be listed (see above)" aria-describedby=described_by />
            }
            .into_any(),
            State::Ready => view! {
                <ChannelPicker input_id=input_id channels=list chosen=chosen max=max described_by=described_by />
            }
            .into_any(),
        }
    }
}

/// How many matches the list shows at once.
const SHOWN: usize = 8;

#[component]
pub fn ChannelPicker(
    /// The `id` of the text field, for its `<label for>`.
    #[prop(into)]
    input_id: String,
    /// Every channel of the workspace.
    #[prop(into)]
    channels: Signal<Vec<Channel>>,
    /// The chosen channels, in order.
    chosen: RwSignal<Vec<ChannelId>>,
    /// At most this many may be chosen (1 for a single-channel guest).
    #[prop(into)]
    max: Signal<Option<usize>>,
    /// The id of the element that describes the field (help or error text).
    #[prop(into, optional)]
    described_by: String,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(0usize);
    let list_id = format!("{input_id}-list");
    let option_id = {
        let list_id = list_id.clone();
        move |i: usize| format!("{list_id}-{i}")
    };
    let matches = Memo::new(move |_| {
        channels.with(|all| {
            chosen.with(|c| {
                search(all, &query.get(), c, SHOWN)
                    .into_iter()
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let full = move || max.get().is_some_and(|m| chosen.with(Vec::len) >= m);
    let add = move |id: ChannelId| {
        if full() {
            return;
        }
        chosen.update(|c| {
            if !c.contains(&id) {
                c.push(id);
            }
        });
        query.set(String::new());
        active.set(0);
        // Closed after a pick, so the list never covers what comes next; typing or ↓ reopens.
        open.set(false);
    };
    let remove = move |id: &ChannelId| chosen.update(|c| c.retain(|x| x != id));

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = matches.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                open.set(true);
                if count > 0 {
                    active.update(|a| *a = (*a + 1) % count);
                }
            }
            "ArrowUp" => {
                ev.prevent_default();
                open.set(true);
                if count > 0 {
                    active.update(|a| *a = (*a + count - 1) % count);
                }
            }
            "Enter" if open.get() && count > 0 => {
                ev.prevent_default();
                let i = active.get().min(count - 1);
                if let Some(c) = matches.with(|m| m.get(i).map(|c| c.id.clone())) {
                    add(c);
                }
            }
            "Escape" => open.set(false),
            "Backspace" if query.with(String::is_empty) => {
                chosen.update(|c| {
                    c.pop();
                });
            }
            _ => {}
        }
    };

    let name_of = move |id: &ChannelId| {
        channels.with(|all| {
            by_id(all, id)
                .map(|c| format!("#{}", c.name))
                .unwrap_or_else(|| id.to_string())
        })
    };
    let active_descendant = {
        let option_id = option_id.clone();
        move || (open.get() && matches.with(|m| !m.is_empty())).then(|| option_id(active.get()))
    };

    view! {
        <div class="picker">
            <ul class="chips" aria-label="Chosen channels">
                <For
                    each=move || chosen.get()
                    key=|id| id.clone()
                    children=move |id| {
                        let label = name_of(&id);
                        let remove_label = format!("Remove {label}");
                        view! {
                            <li class="chip">
                                <span>{label}</span>
                                <button
                                    type="button"
                                    class="chip-remove"
                                    aria-label=remove_label
                                    on:click=move |_| remove(&id)
                                >
                                    "×"
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <input
                id=input_id
                type="text"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || open.get().to_string()
                aria-activedescendant=active_descendant
                aria-describedby=described_by
                placeholder=move || {
                    if full() { "Limit reached: remove a channel to choose another" } else { "Type a channel name" }
                }
                // Read-only rather than disabled: the field keeps focus, so Backspace still
                // removes the chosen channel.
                readonly=full
                aria-readonly=move || full().to_string()
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    active.set(0);
                    open.set(true);
                }
                on:focus=move |_| open.set(true)
                on:click=move |_| open.set(true)
                on:blur=move |_| open.set(false)
                on:keydown=on_keydown
            />
            <ul id=list_id class="picker-list" role="listbox" aria-label="Matching channels" hidden=move || !open.get()>
                {move || {
                    let items = matches.get();
                    if items.is_empty() {
                        let text = if channels.with(Vec::is_empty) {
                            "This workspace has no channels that this token can see"
                        } else {
                            "No channel matches"
                        };
                        return view! { <li class="picker-empty" role="presentation">{text}</li> }.into_any();
                    }
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let id = c.id.clone();
                            view! {
                                <li
                                    id=option_id(i)
                                    role="option"
                                    class="picker-option"
                                    aria-selected=move || (active.get() == i).to_string()
                                    // mousedown, not click: the input's blur would close the list first.
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        add(id.clone());
                                    }
                                >
                                    <span class="picker-name">"#" {c.name.clone()}</span>
                                    {c.is_private.then(|| view! { <span class="picker-tag">"private"</span> })}
                                    <span class="picker-count">{format!("{} members", c.num_members)}</span>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
        </div>
    }
}

//! Reading the CSV: paste or file, how its columns map, the defaults, then the preview.

use super::preview::PreviewTable;
use crate::components::channel_picker::ChannelChooser;
use crate::job::InviteJob;
use crate::pages::invite::InviteContext;
use crate::session::Session;
use leptos::prelude::*;
use slack_admin_core::invite::csv::{self, Table};
use slack_admin_core::invite::job::{duration_text, Job, Pacing};
use slack_admin_core::invite::preview::{extract, summary, Context, Defaults, Draft, Mapping};
use slack_admin_core::invite::{ChannelDirectory, Field, InviteRoute, MemberType};
use std::collections::HashSet;

/// A sample the admin can start from.
const EXAMPLE: &str = "email,name,type,channels\nana.lima@example.com,Ana Lima,member,#general\nbo.chen@partner.example,Bo Chen,multi-channel guest,#general #design\n";

/// The most a saved job may take in localStorage (about 5 million characters per origin,
/// shared with everything else the console keeps).
const MAX_SAVED_CHARS: usize = 4_000_000;

/// The columns a mapping offers for a route.
fn mapped_fields(legacy: bool) -> Vec<Field> {
    let mut fields = vec![Field::Email];
    if legacy {
        fields.extend([Field::FirstName, Field::LastName, Field::Name]);
    } else {
        fields.extend([Field::Name, Field::FirstName, Field::LastName]);
    }
    fields.extend([
        Field::MemberType,
        Field::Channels,
        Field::Expiration,
        Field::Message,
    ]);
    fields
}

#[component]
pub fn Importer() -> impl IntoView {
    let session = expect_context::<Session>();
    let job = expect_context::<InviteJob>();
    let ctx = expect_context::<InviteContext>();
    let text = RwSignal::new(String::new());
    let read_error = RwSignal::new(None::<String>);
    let table = RwSignal::new(None::<Table>);
    let mapping = RwSignal::new(Mapping::default());
    let has_header = RwSignal::new(false);
    let default_type = RwSignal::new(MemberType::FullMember);
    // Emptied when another workspace is chosen (InviteContext::choose_team).
    let default_channels = ctx.default_channels;
    let default_message = RwSignal::new(String::new());
    let draft = RwSignal::new(Draft::default());

    let read_text = move || match csv::parse(&text.get_untracked()) {
        Ok(t) => {
            let (m, header) = Mapping::guess(&t);
            read_error.set(None);
            draft.set(Draft::new(extract(&t, &m, header)));
            mapping.set(m);
            has_header.set(header);
            table.set(Some(t));
        }
        Err(e) => {
            read_error.set(Some(e.to_string()));
            table.set(None);
        }
    };
    // A new mapping or header choice reads the file's rows again.
    let remap = move || {
        table.with_untracked(|t| {
            if let Some(t) = t {
                draft.set(Draft::new(extract(
                    t,
                    &mapping.get_untracked(),
                    has_header.get_untracked(),
                )));
            }
        })
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // Refused before it is read: a 50 MB file is never loaded into the page.
        let size = file.size() as usize;
        if size > csv::MAX_BYTES {
            read_error.set(Some(csv::CsvError::TooLarge { bytes: size }.to_string()));
            table.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            let read = crate::browser::file_bytes(&file).await;
            // The importer may be gone by the time the file is read.
            match read.map(|bytes| csv::decode_bytes(&bytes)) {
                Ok(Ok(value)) => {
                    if text.try_set(value).is_none() {
                        read_text();
                    }
                }
                Ok(Err(e)) => {
                    let _ = read_error.try_set(Some(e.to_string()));
                    let _ = table.try_set(None);
                }
                Err(()) => {
                    let _ = read_error.try_set(Some(
                        "The file could not be read. Choose it again, or paste its text.".into(),
                    ));
                }
            }
        });
    };

    let rows = Memo::new(move |_| {
        let route = ctx.route();
        let directory = ctx.channels.with(|c| ChannelDirectory::from_channels(c));
        let defaults = Defaults {
            member_type: default_type.get(),
            channels: default_channels.get(),
            custom_message: Some(default_message.get()).filter(|m| !m.trim().is_empty()),
            ..Defaults::default()
        };
        let known = HashSet::new();
        let context = Context {
            defaults: &defaults,
            directory: &directory,
            known_members: &known,
            route: &route,
            now_s: crate::browser::now_s(),
        };
        draft.with(|d| d.preview(&context))
    });
    let counts = Memo::new(move |_| rows.with(|r| summary(r)));

    // Why Send did not start a job, if it did not.
    let send_error = RwSignal::new(None::<String>);
    let send = move |_| {
        let Some(connection) = session.connection() else {
            return;
        };
        let route = ctx.route();
        let pacing = Pacing::scaled(&route, connection.rate_scale);
        let new_job = rows.with_untracked(|r| Job::from_preview(r, route, pacing));
        // The job is saved after every step: one that cannot be saved must not start.
        let size = new_job.to_json().len();
        if size > MAX_SAVED_CHARS {
            send_error.set(Some(format!(
                "These rows would not fit in this browser's storage ({} characters saved; about {} fit), and the job saves its progress after every step. Split the file, or use shorter messages.",
                csv::thousands(size),
                csv::thousands(MAX_SAVED_CHARS)
            )));
            return;
        }
        send_error.set(None);
        job.start(session, &connection, new_job, move |why| {
            let _ = send_error.try_set(Some(why));
        });
    };
    // Through a proxy, the job can run there instead: it goes on when this tab closes.
    let proxy = session
        .connection()
        .filter(|c| c.identity.proxy_key.as_deref() == Some("read-write"))
        .as_ref()
        .and_then(crate::proxy_api::ProxyApi::of);
    let on_proxy = proxy.is_some();
    let navigate = leptos_router::hooks::use_navigate();
    let handing_over = RwSignal::new(false);
    let run_on_proxy = move |_| {
        let (Some(connection), Some(api)) = (session.connection(), proxy.clone()) else {
            return;
        };
        let route = ctx.route();
        let pacing = Pacing::scaled(&route, connection.rate_scale);
        let new_job = rows.with_untracked(|r| Job::from_preview(r, route.clone(), pacing));
        let count = new_job.rows().iter().filter(|r| r.is_pending()).count();
        let title = format!(
            "Invite {} people to {}",
            csv::thousands(count),
            crate::job::workspace_name(&route, &connection.identity)
        );
        let Ok(value) = serde_json::to_value(&new_job) else {
            return;
        };
        if handing_over.get_untracked() {
            return;
        }
        send_error.set(None);
        handing_over.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let started = api
                .start_job(slack_admin_core::server_jobs::Kind::Invite, title, value)
                .await;
            let _ = handing_over.try_set(false);
            match started {
                Ok(_) => navigate(
                    &crate::href("/jobs"),
                    leptos_router::NavigateOptions {
                        resolve: false,
                        ..Default::default()
                    },
                ),
                Err(e) => {
                    let _ = send_error.try_set(Some(crate::proxy_api::not_started(&e)));
                }
            }
        });
    };
    let estimate = move || {
        let valid = counts.get().valid;
        let rate = session.connection().map(|c| c.rate_scale).unwrap_or(1.0);
        let route = ctx.route();
        let p = Pacing::scaled(&route, rate);
        let limit = if rate > 1.0 {
            "the faster sandbox's limit"
        } else {
            "Slack's limit"
        };
        format!(
            "About {} at {} invitations a minute, under {limit} for {}.",
            duration_text(p.duration_ms(valid)),
            p.per_minute_now(),
            route.method_name()
        )
    };
    let legacy = move || ctx.route() == InviteRoute::Legacy;
    let column_label = move |i: usize| {
        table.with(|t| {
            let sample = t
                .as_ref()
                .and_then(|t| t.rows.first())
                .and_then(|r| r.get(i))
                .cloned()
                .unwrap_or_default();
            let sample: String = sample.chars().take(32).collect();
            format!("Column {}: {}", i + 1, sample)
        })
    };
    let columns = move || {
        table.with(|t| {
            t.as_ref()
                .map(|t| t.rows.iter().map(Vec::len).max().unwrap_or(0))
                .unwrap_or(0)
        })
    };

    view! {
        <div class="bulk">
            <div class="field wide">
                <label for="csv-text">"Paste CSV"</label>
                <textarea
                    id="csv-text"
                    class="csv-input"
                    spellcheck="false"
                    placeholder=EXAMPLE
                    aria-describedby="csv-help csv-error"
                    bind:value=text
                ></textarea>
                <p id="csv-help" class="help">
                    "One person per line. Columns: email, name (or first and last name), type "
                    "(member, multi-channel guest, single-channel guest), channels (names or IDs), "
                    "expiration (YYYY-MM-DD, UTC), message. A header row is optional; commas, "
                    "semicolons and tabs all work."
                </p>
                <p id="csv-error" class="field-error" role="alert">{move || read_error.get()}</p>
            </div>
            <div class="actions">
                <button id="read-csv" type="button" class="button primary" on:click=move |_| read_text()>
                    "Read the rows"
                </button>
                <label class="file-label" for="csv-file">"or choose a CSV file"</label>
                <input id="csv-file" type="file" accept=".csv,.tsv,.txt,text/csv" on:change=on_file />
            </div>

            <Show when=move || table.with(Option::is_some)>
                <section class="subsection" aria-labelledby="mapping-heading">
                    <h3 id="mapping-heading">"How the columns were read"</h3>
                    <div class="checkbox">
                        <input
                            id="has-header"
                            type="checkbox"
                            prop:checked=move || has_header.get()
                            on:change=move |ev| {
                                has_header.set(event_target_checked(&ev));
                                remap();
                            }
                        />
                        <label for="has-header">"The first row is a header"</label>
                    </div>
                    <div class="mapping-grid">
                        {move || mapped_fields(legacy()).into_iter().map(|field| {
                            let id = format!("map-{}", field.label().to_lowercase().replace(' ', "-"));
                            view! {
                                <div class="field">
                                    <label for=id.clone()>{field.label()}</label>
                                    <select
                                        id=id
                                        prop:value=move || mapping.with(|m| m.get(field).map(|c| c.to_string()).unwrap_or_default())
                                        on:change=move |ev| {
                                            let value = event_target_value(&ev);
                                            mapping.update(|m| m.set(field, value.parse().ok()));
                                            remap();
                                        }
                                    >
                                        <option value="">"— not in the file"</option>
                                        {(0..columns()).map(|i| view! { <option value=i.to_string()>{column_label(i)}</option> }).collect_view()}
                                    </select>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </section>

                <section class="subsection" aria-labelledby="defaults-heading">
                    <h3 id="defaults-heading">"For rows that leave these empty"</h3>
                    <div class="form-grid">
                        <div class="field">
                            <label for="default-type">"Member type"</label>
                            <select
                                id="default-type"
                                on:change=move |ev| {
                                    if let Some(t) = MemberType::parse(&event_target_value(&ev)) {
                                        default_type.set(t);
                                    }
                                }
                            >
                                {MemberType::ALL.iter().map(|t| view! {
                                    <option value=t.csv_word() selected=*t == MemberType::FullMember>{t.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="default-channels">"Channels"</label>
                            <ChannelChooser
                                input_id="default-channels"
                                channels=ctx.listed
                                chosen=default_channels
                                max=Signal::derive(|| None)
                            />
                        </div>
                        <div class="field wide">
                            <label for="default-message">"Message in the invitation email"</label>
                            <textarea
                                id="default-message"
                                prop:value=move || default_message.get()
                                on:change=move |ev| default_message.set(event_target_value(&ev))
                            ></textarea>
                        </div>
                    </div>
                </section>

                <section class="subsection" aria-labelledby="preview-heading">
                    <h3 id="preview-heading">"Preview"</h3>
                    <p class="preview-summary" role="status">
                        {move || {
                            let s = counts.get();
                            let mut text = format!("{} ready", s.valid);
                            if s.invalid > 0 {
                                text.push_str(&format!(" · {} need attention and will not be sent until fixed", s.invalid));
                            }
                            text
                        }}
                    </p>
                    <PreviewTable rows=rows draft=draft />
                    <div class="actions">
                        <button
                            id="send-bulk"
                            type="button"
                            class="button primary"
                            // Not before the workspace's channels are listed: rows name them.
                            disabled=move || counts.get().valid == 0 || !ctx.channels_ready()
                            on:click=send
                        >
                            {move || format!("Send {} invitations", counts.get().valid)}
                        </button>
                        {on_proxy.then(|| view! {
                            <button
                                id="send-bulk-proxy"
                                type="button"
                                class="button secondary"
                                title="The proxy sends them: the job goes on when this tab closes"
                                disabled=move || counts.get().valid == 0 || !ctx.channels_ready() || handing_over.get()
                                on:click=run_on_proxy.clone()
                            >
                                "Run on the proxy"
                            </button>
                        })}
                        <span class="muted">{estimate}</span>
                    </div>
                    <p id="send-error" class="field-error" role="alert">{move || send_error.get()}</p>
                </section>
            </Show>
        </div>
    }
}

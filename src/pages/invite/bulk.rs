//! Many invitations: paste or upload CSV, map its columns, fix rows in the preview, send as a
//! paced job with progress, then read and export the results.

use super::InviteContext;
use crate::bulk::{owner_of, BulkJob};
use crate::components::channel_picker::ChannelChooser;
use crate::session::Session;
use leptos::prelude::*;
use slack_admin_core::invite::csv::{self, Table};
use slack_admin_core::invite::job::{results_csv, Job, OutcomeKind, Pacing};
use slack_admin_core::invite::preview::{
    build_rows, extract, summary, Context, Defaults, Mapping, PreviewRow, RowFields,
};
use slack_admin_core::invite::{ChannelDirectory, Field, InviteRoute, MemberType};
use std::collections::HashSet;
use wasm_bindgen::JsCast;

/// A sample the admin can start from.
const EXAMPLE: &str = "email,name,type,channels\nana.lima@example.com,Ana Lima,member,#general\nbo.chen@partner.example,Bo Chen,multi-channel guest,#general #design\n";

fn now_s() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// "1 min 20 s", "45 s", "2 h 5 min".
pub fn duration_text(ms: u64) -> String {
    let s = ms.div_ceil(1000);
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// The pace of a route on this connection: Slack's tier, times the sandbox's scale.
fn pacing(route: &InviteRoute, rate_scale: f64) -> Pacing {
    Pacing::per_minute(route.tier().per_minute() as f64 * rate_scale)
}

#[component]
pub fn BulkInvite() -> impl IntoView {
    let session = expect_context::<Session>();
    let bulk = expect_context::<BulkJob>();
    if let Some(c) = session.connection() {
        bulk.restore(session, &owner_of(&c.identity, c.sandbox));
    }
    move || {
        if bulk.saved.with(Option::is_some) {
            view! { <JobPanel /> }.into_any()
        } else {
            view! { <Importer /> }.into_any()
        }
    }
}

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
fn Importer() -> impl IntoView {
    let session = expect_context::<Session>();
    let bulk = expect_context::<BulkJob>();
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
    let fields = RwSignal::new(Vec::<(usize, RowFields)>::new());
    let only_problems = RwSignal::new(false);

    let read = move || match csv::parse(&text.get_untracked()) {
        Ok(t) => {
            let (m, header) = Mapping::guess(&t);
            read_error.set(None);
            fields.set(extract(&t, &m, header));
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
                fields.set(extract(
                    t,
                    &mapping.get_untracked(),
                    has_header.get_untracked(),
                ));
            }
        })
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                // The importer may be gone by the time the file is read.
                Ok(value) => {
                    if text
                        .try_set(value.as_string().unwrap_or_default())
                        .is_none()
                    {
                        read();
                    }
                }
                Err(_) => {
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
            now_s: now_s(),
        };
        build_rows(fields.get(), &context)
    });
    let counts = Memo::new(move |_| rows.with(|r| summary(r)));

    let send = move |_| {
        let Some(connection) = session.connection() else {
            return;
        };
        let route = ctx.route();
        let job = rows.with_untracked(|r| {
            Job::from_preview(r, route.clone(), pacing(&route, connection.rate_scale))
        });
        bulk.start(
            session,
            owner_of(&connection.identity, connection.sandbox),
            job,
        );
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
                <button id="read-csv" type="button" class="button primary" on:click=move |_| read()>
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
                                channels=ctx.loaded
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
                    <div class="checkbox">
                        <input id="only-problems" type="checkbox" bind:checked=only_problems />
                        <label for="only-problems">"Show only rows that need attention"</label>
                    </div>
                    // Focusable so the scrolling region can be scrolled from the keyboard.
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Preview rows">
                        <table class="preview-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Line"</th>
                                    <th scope="col">"Email"</th>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Type"</th>
                                    <th scope="col">"Channels"</th>
                                    <th scope="col">"Status"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || rows.with(|rows| rows.iter().enumerate()
                                    .filter(|(_, r)| !only_problems.get() || !r.is_valid())
                                    .map(|(i, r)| view! { <PreviewLine index=i row=r.clone() fields=fields /> })
                                    .collect_view())}
                            </tbody>
                        </table>
                    </div>
                    <div class="actions">
                        <button
                            id="send-bulk"
                            type="button"
                            class="button primary"
                            disabled=move || counts.get().valid == 0
                            on:click=send
                        >
                            {move || format!("Send {} invitations", counts.get().valid)}
                        </button>
                        <span class="muted">
                            {move || {
                                let valid = counts.get().valid as u64;
                                let rate = session.connection().map(|c| c.rate_scale).unwrap_or(1.0);
                                let p = pacing(&ctx.route(), rate);
                                let limit = if rate > 1.0 {
                                    "the faster sandbox's limit"
                                } else {
                                    "Slack's limit"
                                };
                                format!(
                                    "About {} at {} invitations a minute, under {limit} for {}.",
                                    duration_text(valid.saturating_sub(1) * p.spacing_ms),
                                    (60_000 / p.spacing_ms.max(1)),
                                    ctx.route().method_name()
                                )
                            }}
                        </span>
                    </div>
                </section>
            </Show>
        </div>
    }
}

/// One preview row: text when ready; fields to fix in place when not.
#[component]
fn PreviewLine(
    index: usize,
    row: PreviewRow,
    fields: RwSignal<Vec<(usize, RowFields)>>,
) -> impl IntoView {
    let line = row.line;
    let valid = row.is_valid();
    let invalid_fields: Vec<Field> = row.problems.iter().map(|p| p.field).collect();
    let cell = move |field: Field, value: String| {
        if valid {
            return view! { <span>{value}</span> }.into_any();
        }
        let label = format!("Line {line}: {}", field.label().to_lowercase());
        let invalid = invalid_fields.contains(&field);
        view! {
            <input
                type="text"
                class="cell-input"
                aria-label=label
                aria-invalid=invalid.to_string()
                prop:value=value
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    fields.update(|f| {
                        if let Some((_, r)) = f.get_mut(index) {
                            r.set(field, v);
                        }
                    });
                }
            />
        }
        .into_any()
    };
    let f = row.fields.clone();
    let name = if f.name.is_empty() {
        format!("{} {}", f.first_name, f.last_name)
            .trim()
            .to_owned()
    } else {
        f.name.clone()
    };
    let type_text = row
        .invitation
        .as_ref()
        .map(|i| i.member_type.label().to_owned())
        .unwrap_or_else(|| f.member_type.clone());
    let channels_text = f.channels.clone();
    let problems: Vec<String> = row.problems.iter().map(|p| p.message.clone()).collect();
    view! {
        <tr class=if valid { "row-ok" } else { "row-problem" }>
            <td>{line}</td>
            <td>{cell(Field::Email, f.email.clone())}</td>
            <td>{if valid { view! { <span>{name}</span> }.into_any() } else { cell(Field::Name, name) }}</td>
            <td>{if valid { view! { <span>{type_text}</span> }.into_any() } else { cell(Field::MemberType, f.member_type.clone()) }}</td>
            <td>{cell(Field::Channels, channels_text)}</td>
            <td>
                {if valid {
                    view! { <span class="status-ok">"Ready"</span> }.into_any()
                } else {
                    view! {
                        <ul class="problems">
                            {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                        </ul>
                        <button
                            type="button"
                            class="button link"
                            aria-label=format!("Leave out line {line}")
                            on:click=move |_| fields.update(|f| _ = f.remove(index))
                        >
                            "Leave out"
                        </button>
                    }
                    .into_any()
                }}
            </td>
        </tr>
    }
}

/// Progress of the job, its controls, and then its results.
#[component]
fn JobPanel() -> impl IntoView {
    let session = expect_context::<Session>();
    let bulk = expect_context::<BulkJob>();
    let filter = RwSignal::new(String::new());
    let progress = Memo::new(move |_| {
        let now = bulk.now_ms.get();
        bulk.saved.with(|s| s.as_ref().map(|s| s.job.progress(now)))
    });
    let results = Memo::new(move |_| {
        bulk.saved
            .with(|s| s.as_ref().map(|s| s.job.results()).unwrap_or_default())
    });
    let method = move || {
        bulk.saved.with(|s| {
            s.as_ref()
                .map(|s| s.job.route().method_name())
                .unwrap_or("")
        })
    };
    let export = move |_| {
        let csv = results.with_untracked(|r| results_csv(r));
        download("invite-results.csv", &csv);
    };

    view! {
        {move || progress.get().map(|p| {
            let state = if p.finished {
                if p.cancelled { "Cancelled" } else { "Finished" }
            } else if p.paused {
                "Paused"
            } else if bulk.running.get() {
                "Sending"
            } else {
                "Stopped"
            };
            let eta = match (p.finished || p.paused, p.eta_ms) {
                (false, Some(ms)) => format!("About {} left", duration_text(ms)),
                _ => String::new(),
            };
            view! {
                <div class="job-status">
                    {bulk.elsewhere.get().then(|| view! {
                        <p class="banner-inline" role="status">
                            "This job is running in another tab of this browser. Watch it there, or close that tab and choose Resume here."
                        </p>
                    })}
                    {bulk.save_failed.get().then(|| view! {
                        <p class="banner-inline error" role="alert">
                            "The job paused because this browser refused to save its progress (storage full or blocked). "
                            "Without it, a reload could send rows again. Free some space for this site, then choose Resume."
                        </p>
                    })}
                    <p class="job-state"><strong>{state}</strong> {format!(" · {} of {} rows done", p.done, p.total)}
                        {(!eta.is_empty()).then(|| format!(" · {eta}"))}
                    </p>
                    <div
                        class="progress"
                        role="progressbar"
                        aria-label="Invitations done"
                        aria-valuemin="0"
                        aria-valuemax=p.total.to_string()
                        aria-valuenow=p.done.to_string()
                    >
                        <div class="progress-bar" style:width=format!("{}%", (p.done * 100).checked_div(p.total).unwrap_or(100))></div>
                    </div>
                    <ul class="outcome-counts">
                        {OutcomeKind::ALL.iter().map(|k| view! {
                            <li class=format!("count count-{}", k.word())>
                                <span class="count-n">{p.counts.get(*k)}</span> " " {k.label()}
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="muted">
                        {format!("Sent with {} · {} calls", method(), p.sends)}
                        {(p.rate_limits > 0).then(|| format!(" · Slack asked to slow down {} times; the job waited as told", p.rate_limits))}
                    </p>
                    <div class="actions">
                        {(!p.finished && !p.paused && bulk.running.get()).then(|| view! {
                            <button type="button" class="button secondary" on:click=move |_| bulk.pause()>"Pause"</button>
                        })}
                        {(!p.finished && (p.paused || !bulk.running.get())).then(|| view! {
                            <button type="button" class="button primary" on:click=move |_| bulk.resume(session)>"Resume"</button>
                        })}
                        {(!p.finished && !p.cancelled).then(|| view! {
                            <button type="button" class="button secondary" on:click=move |_| bulk.cancel(session)>"Cancel the rest"</button>
                        })}
                        <button type="button" class="button secondary" on:click=export>"Download results (CSV)"</button>
                        {p.finished.then(|| view! {
                            <button type="button" class="button secondary" on:click=move |_| bulk.clear()>"Start a new import"</button>
                        })}
                    </div>
                </div>
            }
        })}
        <section class="subsection" aria-labelledby="results-heading">
            <h3 id="results-heading">"Results"</h3>
            <div class="field results-filter">
                <label for="results-filter">"Show"</label>
                <select id="results-filter" on:change=move |ev| filter.set(event_target_value(&ev))>
                    <option value="">"Every row"</option>
                    {OutcomeKind::ALL.iter().map(|k| view! { <option value=k.word()>{k.label()}</option> }).collect_view()}
                    <option value="pending">"Not done yet"</option>
                </select>
            </div>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Results">
                <table class="results-table">
                    <thead>
                        <tr>
                            <th scope="col">"Line"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Outcome"</th>
                            <th scope="col">"Detail"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let f = filter.get();
                            results.with(|rs| rs.iter()
                                .filter(|r| match (f.as_str(), r.kind()) {
                                    ("", _) => true,
                                    ("pending", k) => k.is_none(),
                                    (word, Some(k)) => k.word() == word,
                                    (_, None) => false,
                                })
                                .map(|r| {
                                    let outcome = r.kind().map(|k| k.label()).unwrap_or("Waiting");
                                    let class = format!("outcome outcome-{}", r.kind().map(|k| k.word()).unwrap_or("pending"));
                                    let detail = match &r.code {
                                        Some(code) if !r.detail.contains(code.as_str()) => format!("{} ({code})", r.detail),
                                        _ => r.detail.clone(),
                                    };
                                    view! {
                                        <tr>
                                            <td>{r.line}</td>
                                            <td>{r.email.clone()}</td>
                                            <td><span class=class>{outcome}</span></td>
                                            <td>{detail}</td>
                                        </tr>
                                    }
                                })
                                .collect_view())
                        }}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Offers `text` as a file download.
fn download(name: &str, text: &str) {
    // The byte order mark tells spreadsheets the file is UTF-8 (names like José, 山田).
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&format!("\u{feff}{text}")));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(a) = document
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoked later: some browsers start the download after click() returns.
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(60_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
}

//! `/jobs`: the jobs the proxy runs for the team (bulk invitations and member changes started
//! with "Run on the proxy"). They go on when this tab closes and after the proxy restarts;
//! this page follows them and pauses, resumes or cancels them. Only in the navigation when
//! connected through a proxy.

use crate::browser::download_csv;
use crate::components::error_panel::ErrorPanel;
use crate::proxy_api::ProxyApi;
use crate::session::Session;
use leptos::prelude::*;
use slack_admin_core::audit::ago;
use slack_admin_core::invite::csv::thousands;
use slack_admin_core::invite::job::JobState;
use slack_admin_core::server_jobs::{self, Summary};
use slack_admin_core::SlackError;

/// How often the list is read while a job runs, and while none does.
const RUNNING_POLL_MS: u64 = 2_000;
const IDLE_POLL_MS: u64 = 15_000;

#[component]
pub fn JobsPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let api = session.connection().as_ref().and_then(ProxyApi::of);
    let read_only = session
        .connection()
        .is_some_and(|c| c.identity.proxy_key.as_deref() == Some("read-only"));
    let Some(api) = api else {
        return view! {
            <h1>"Jobs on the proxy"</h1>
            <p>
                "Jobs that go on when the tab closes run on your team's proxy, which keeps the Slack token on a server. "
                "This connection is not made through one. Disconnect, then choose \u{201c}Through your team's proxy\u{201d} with an access key from its admin."
            </p>
        }
        .into_any();
    };
    let jobs = RwSignal::new(None::<Vec<Summary>>);
    let error = RwSignal::new(None::<SlackError>);
    let now_s = RwSignal::new(crate::browser::now_s());
    let alive = StoredValue::new(true);
    on_cleanup(move || alive.set_value(false));

    let refresh = {
        let api = api.clone();
        move || {
            let api = api.clone();
            async move {
                match api.get("proxy/jobs").await {
                    Ok(json) => {
                        let list: Vec<Summary> =
                            serde_json::from_value(json["jobs"].clone()).unwrap_or_default();
                        let _ = jobs.try_set(Some(list));
                        let _ = error.try_set(None);
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                    }
                }
                let _ = now_s.try_set(crate::browser::now_s());
            }
        }
    };
    {
        let refresh = refresh.clone();
        leptos::task::spawn_local(async move {
            while alive.try_get_value().unwrap_or(false) {
                refresh().await;
                let running = jobs
                    .try_with_untracked(|j| {
                        j.as_ref()
                            .is_some_and(|j| j.iter().any(|s| s.state() == JobState::Sending))
                    })
                    .unwrap_or(false);
                crate::browser::sleep(if running {
                    RUNNING_POLL_MS
                } else {
                    IDLE_POLL_MS
                })
                .await;
            }
        });
    }
    let announce = RwSignal::new(String::new());
    let act = {
        let api = api.clone();
        let refresh = refresh.clone();
        move |id: i64, action: &'static str| {
            let (api, refresh) = (api.clone(), refresh.clone());
            leptos::task::spawn_local(async move {
                match api.post(&format!("proxy/jobs/{id}/{action}"), None).await {
                    Ok(_) => {
                        let _ = announce.try_set(format!(
                            "Job {id}: {}",
                            match action {
                                "pause" => "paused",
                                "resume" => "resumed",
                                _ => "the rest cancelled",
                            }
                        ));
                        let _ = error.try_set(None);
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                    }
                }
                refresh().await;
            });
        }
    };
    let export = {
        let api = api.clone();
        move |summary: Summary| {
            let api = api.clone();
            leptos::task::spawn_local(async move {
                let result = match api.get(&format!("proxy/jobs/{}", summary.id)).await {
                    Ok(json) => {
                        server_jobs::results_csv(summary.kind, json["job"].clone(), &|_| None)
                            .map_err(|why| SlackError::Http {
                                status: 0,
                                message: why,
                            })
                    }
                    Err(e) => Err(e),
                };
                match result {
                    Ok(csv) => download_csv(&format!("proxy-job-{}-results.csv", summary.id), &csv),
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                    }
                }
            });
        }
    };

    let card = move |s: Summary| {
        let id = s.id;
        let state = s.state();
        let finished = s.progress.finished;
        let paused = s.progress.paused;
        let (act_pause, act_resume, act_cancel) = (act.clone(), act.clone(), act.clone());
        let export = export.clone();
        let for_export = s.clone();
        let started = format!(
            "No. {id} · {} · started by {} {} · updated {}",
            s.kind.word(),
            s.owner,
            ago(s.created_s, now_s.get_untracked()),
            ago(s.updated_s, now_s.get_untracked())
        );
        view! {
            <li class="card server-job" data-job=id.to_string()>
                <div class="server-job-head">
                    <h2>{s.title.clone()}</h2>
                    <span class=format!("badge state-{}", state.label().to_lowercase())>{state.label()}</span>
                </div>
                <p class="muted">{started}</p>
                {s.halt.clone().map(|h| view! {
                    <div class="banner-inline error" role="alert">
                        <p><strong>{if h.line > 0 { format!("Paused at line {}: ", h.line) } else { "Paused: ".to_owned() }}</strong>{h.summary.clone()}</p>
                        <p>{h.fix.clone()}</p>
                        <p class="muted">"Code: " <code>{h.code.clone()}</code></p>
                    </div>
                })}
                <p class="job-state">
                    <strong>{format!("{} of {} rows done", thousands(s.progress.done), thousands(s.progress.total))}</strong>
                    {s.progress.eta_text().map(|e| format!(" · {e}"))}
                </p>
                <div
                    class="progress"
                    role="progressbar"
                    aria-label=format!("Job {id}: rows done")
                    aria-valuemin="0"
                    aria-valuemax=s.progress.total.to_string()
                    aria-valuenow=s.progress.done.to_string()
                >
                    <div class="progress-bar" style:width=format!("{}%", s.progress.percent())></div>
                </div>
                <p class="outcome-line">{server_jobs::count_line(s.kind, &s.progress)}</p>
                <div class="actions">
                    {(!read_only && !finished && !paused).then(|| view! {
                        <button type="button" class="button secondary" on:click=move |_| act_pause(id, "pause")>"Pause"</button>
                    })}
                    {(!read_only && !finished && paused).then(|| view! {
                        <button type="button" class="button primary" on:click=move |_| act_resume(id, "resume")>"Resume"</button>
                    })}
                    {(!read_only && !finished).then(|| view! {
                        <button type="button" class="button secondary" on:click=move |_| act_cancel(id, "cancel")>"Cancel the rest"</button>
                    })}
                    <button type="button" class="button secondary" on:click=move |_| export(for_export.clone())>"Download results (CSV)"</button>
                </div>
            </li>
        }
    };

    view! {
        <h1>"Jobs on the proxy"</h1>
        <p class="muted lead">
            "Bulk invitations and member changes your team's proxy runs. They go on when this tab closes and after the proxy restarts; "
            "a row Slack confirmed is never sent again. Start one with \u{201c}Run on the proxy\u{201d} on the Invite or Members page."
        </p>
        {read_only.then(|| view! {
            <p class="banner-inline" role="status">"Your access key is read-only: you can follow jobs, not start, pause or cancel them."</p>
        })}
        <p class="visually-hidden" role="status" aria-live="polite">{move || announce.get()}</p>
        {move || error.get().map(|e| view! { <ErrorPanel error=e /> })}
        {move || match jobs.get() {
            None => view! { <p class="muted" role="status">"Reading the proxy's jobs…"</p> }.into_any(),
            Some(list) if list.is_empty() => view! {
                <p class="empty">"No job has run on this proxy yet."</p>
            }
            .into_any(),
            Some(list) => view! {
                <ul class="server-jobs">{list.into_iter().map(card.clone()).collect_view()}</ul>
            }
            .into_any(),
        }}
    }
    .into_any()
}

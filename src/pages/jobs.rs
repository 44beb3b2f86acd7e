//! `/jobs`: the jobs the proxy runs for the team (bulk invitations and member changes started
//! with "Run on the proxy"). They go on when this tab closes and after the proxy restarts;
//! this page follows them and pauses, resumes or cancels them. Only in the navigation when
//! connected through a proxy.

use crate::browser::download_csv;
use crate::components::error_panel::ErrorPanel;
use crate::proxy_api::{JobAction, ProxyApi};
use crate::session::Session;
use leptos::prelude::*;
use slack_admin_core::invite::csv::thousands;
use slack_admin_core::invite::job::JobState;
use slack_admin_core::server_jobs::{self, Summary};
use slack_admin_core::SlackError;

/// How often the list is read while a job runs, and while none does.
const RUNNING_POLL_MS: u64 = 2_000;
const IDLE_POLL_MS: u64 = 15_000;

/// The page's state, shared by its cards.
#[derive(Clone)]
struct Jobs {
    api: ProxyApi,
    list: RwSignal<Option<Vec<Summary>>>,
    error: RwSignal<Option<SlackError>>,
    announce: RwSignal<String>,
    now_s: RwSignal<i64>,
    read_only: bool,
}

impl Jobs {
    async fn refresh(&self) {
        match self.api.jobs().await {
            Ok(list) => {
                let _ = self.list.try_set(Some(list));
                let _ = self.error.try_set(None);
            }
            Err(e) => {
                let _ = self.error.try_set(Some(e));
            }
        }
        let _ = self.now_s.try_set(crate::browser::now_s());
    }

    fn act(&self, id: i64, action: JobAction) {
        let this = self.clone();
        leptos::task::spawn_local(async move {
            match this.api.control(id, action).await {
                Ok(_) => {
                    let _ = this
                        .announce
                        .try_set(format!("Job {id}: {}", action.done()));
                    let _ = this.error.try_set(None);
                }
                Err(e) => {
                    let _ = this.error.try_set(Some(e));
                }
            }
            this.refresh().await;
        });
    }

    fn export(&self, id: i64) {
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let csv = match this.api.job(id).await {
                Ok(d) => server_jobs::results_csv(d.summary.kind, d.job, &|_| None)
                    .map_err(|message| SlackError::Decode { message }),
                Err(e) => Err(e),
            };
            match csv {
                Ok(csv) => download_csv(&format!("proxy-job-{id}-results.csv"), &csv),
                Err(e) => {
                    let _ = this.error.try_set(Some(e));
                }
            }
        });
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let connection = session.connection();
    let Some(api) = connection.as_ref().and_then(ProxyApi::of) else {
        return view! {
            <h1>"Jobs on the proxy"</h1>
            <p>
                "Jobs that go on when the tab closes run on your team's proxy, which keeps the Slack token on a server. "
                "This connection is not made through one. Disconnect, then choose \u{201c}Through your team's proxy\u{201d} with an access key from its admin."
            </p>
        }
        .into_any();
    };
    let jobs = Jobs {
        api,
        list: RwSignal::new(None),
        error: RwSignal::new(None),
        announce: RwSignal::new(String::new()),
        now_s: RwSignal::new(crate::browser::now_s()),
        read_only: connection.is_some_and(|c| c.identity.proxy_key.as_deref() == Some("read-only")),
    };
    // Read while the page is open: often while a job runs, now and then otherwise.
    let alive = StoredValue::new(true);
    on_cleanup(move || alive.set_value(false));
    {
        let jobs = jobs.clone();
        leptos::task::spawn_local(async move {
            while alive.try_get_value().unwrap_or(false) {
                jobs.refresh().await;
                let running = jobs
                    .list
                    .try_with_untracked(|l| {
                        l.as_ref()
                            .is_some_and(|l| l.iter().any(|s| s.state() == JobState::Sending))
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
    // The cards stay while their jobs do: a poll changes their text, not the elements (a
    // focused button keeps its focus).
    let list = jobs.list;
    let ids = Memo::new(move |_| {
        list.with(|l| {
            l.as_ref()
                .map(|l| l.iter().map(|s| s.id).collect::<Vec<_>>())
        })
    });
    let shape = Memo::new(move |_| ids.with(|i| i.as_ref().map(Vec::is_empty)));
    let read_only = jobs.read_only;
    let (announce, error) = (jobs.announce, jobs.error);

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
        {move || match shape.get() {
            None => view! { <p class="muted" role="status">"Reading the proxy's jobs…"</p> }.into_any(),
            Some(true) => view! { <p class="empty">"No job has run on this proxy yet."</p> }.into_any(),
            Some(false) => {
                let jobs = jobs.clone();
                view! {
                    <ul class="server-jobs">
                        <For
                            each=move || ids.get().unwrap_or_default()
                            key=|id| *id
                            children=move |id| view! { <JobCard id=id jobs=jobs.clone() /> }
                        />
                    </ul>
                }
                .into_any()
            }
        }}
    }
    .into_any()
}

#[component]
fn JobCard(id: i64, jobs: Jobs) -> impl IntoView {
    let list = jobs.list;
    let summary = Memo::new(move |_| {
        list.with(|l| {
            l.as_ref()
                .and_then(|l| l.iter().find(|s| s.id == id).cloned())
        })
    });
    let now_s = jobs.now_s;
    let read_only = jobs.read_only;
    let with = move |f: fn(&Summary) -> String| move || summary.with(|s| s.as_ref().map(f));
    let state = move || summary.with(|s| s.as_ref().map(Summary::state));
    let actions =
        move || summary.with(|s| s.as_ref().map(|s| s.actions(read_only)).unwrap_or_default());
    let progress = move || summary.with(|s| s.as_ref().map(|s| s.progress));
    let (toggle_jobs, cancel_jobs, export_jobs) = (jobs.clone(), jobs.clone(), jobs.clone());
    let toggle = move |_| {
        let action = if actions().pause {
            JobAction::Pause
        } else {
            JobAction::Resume
        };
        toggle_jobs.act(id, action);
    };
    let cancel = move |_| {
        let title = summary.with_untracked(|s| s.as_ref().map(|s| s.title.clone()));
        let asked = format!(
            "Cancel the rest of \u{201c}{}\u{201d}? Rows not sent yet will not be sent; what was sent stays sent.",
            title.unwrap_or_default()
        );
        let sure = web_sys::window()
            .and_then(|w| w.confirm_with_message(&asked).ok())
            .unwrap_or(false);
        if sure {
            cancel_jobs.act(id, JobAction::Cancel);
        }
    };
    view! {
        <li class="card server-job" data-job=id.to_string()>
            <div class="server-job-head">
                <h2>{with(|s| s.title.clone())}</h2>
                <span class=move || format!("badge state-{}", state().map(|s| s.label().to_lowercase()).unwrap_or_default())>
                    {move || state().map(JobState::label)}
                </span>
            </div>
            <p class="muted">{move || summary.with(|s| s.as_ref().map(|s| s.about(now_s.get())))}</p>
            {move || summary.with(|s| s.as_ref().and_then(|s| Some((s.halt_heading()?, s.halt.clone()?)))).map(|(heading, h)| view! {
                <div class="banner-inline error" role="alert">
                    <p><strong>{heading}</strong>{h.summary.clone()}</p>
                    <p>{h.fix.clone()}</p>
                    <p class="muted">"Code: " <code>{h.code.clone()}</code></p>
                </div>
            })}
            <p class="job-state">
                <strong>{move || progress().map(|p| format!("{} of {} rows done", thousands(p.done), thousands(p.total)))}</strong>
                {move || progress().and_then(|p| p.eta_text()).map(|e| format!(" · {e}"))}
            </p>
            <div
                class="progress"
                role="progressbar"
                aria-label=format!("Job {id}: rows done")
                aria-valuemin="0"
                aria-valuemax=move || progress().map(|p| p.total).unwrap_or(0).to_string()
                aria-valuenow=move || progress().map(|p| p.done).unwrap_or(0).to_string()
            >
                <div class="progress-bar" style:width=move || format!("{}%", progress().map(|p| p.percent()).unwrap_or(0))></div>
            </div>
            <p class="outcome-line">{move || summary.with(|s| s.as_ref().map(|s| server_jobs::count_line(s.kind, &s.progress)))}</p>
            <div class="actions">
                // One button for pause and resume: it keeps the keyboard's focus as it turns.
                <button
                    type="button"
                    class=move || if actions().resume { "button primary" } else { "button secondary" }
                    hidden=move || { let a = actions(); !(a.pause || a.resume) }
                    on:click=toggle
                >
                    {move || if actions().resume { "Resume" } else { "Pause" }}
                </button>
                <button type="button" class="button secondary" hidden=move || !actions().cancel on:click=cancel>
                    "Cancel the rest"
                </button>
                <button type="button" class="button secondary" on:click=move |_| export_jobs.export(id)>"Download results (CSV)"</button>
            </div>
        </li>
    }
}

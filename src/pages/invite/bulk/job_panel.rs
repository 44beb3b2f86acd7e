//! The job's progress and controls. The panel is drawn once; the job's ticks change its
//! texts, the bar and the counts only, so the buttons keep keyboard focus while it runs.

use super::results::Results;
use crate::job::{route_problem, workspace_name, InviteJob};
use crate::session::Session;
use leptos::prelude::*;
use slack_admin_core::invite::csv::thousands;
use slack_admin_core::invite::job::Work;
use slack_admin_core::invite::job::{results_csv, JobState};
use slack_admin_core::invite::InviteRoute;

#[component]
pub fn JobPanel() -> impl IntoView {
    let session = expect_context::<Session>();
    let job = expect_context::<InviteJob>();
    let saved = job.saved();
    let progress = Memo::new(move |_| {
        let now = job.now_ms().get();
        saved.with(|s| s.as_ref().map(|s| s.job.progress(now)))
    });
    let results =
        Memo::new(move |_| saved.with(|s| s.as_ref().map(|s| s.job.results()).unwrap_or_default()));
    let state = Memo::new(move |_| {
        progress
            .get()
            .map(|p| p.state(job.driving().get()))
            .unwrap_or(JobState::Stopped)
    });
    let halt = Memo::new(move |_| saved.with(|s| s.as_ref().and_then(|s| s.job.halt().cloned())));
    let method = move || {
        saved.with(|s| {
            s.as_ref()
                .map(|s| s.job.route().method_name())
                .unwrap_or("")
        })
    };
    // Why this connection may not run the job (checked before Resume is offered).
    let problem = Memo::new(move |_| {
        let connection = session.connection()?;
        saved.with(|s| {
            s.as_ref()
                .and_then(|s| route_problem(s.job.route(), &connection))
        })
    });
    let question = move || {
        let connection = session.connection()?;
        let remaining = progress.get()?.remaining;
        let workspace = saved.with(|s| {
            s.as_ref()
                .map(|s| workspace_name(s.job.route(), &connection.identity))
        })?;
        Some(format!(
            "Resume {} invitation{} to {workspace} as {}?",
            thousands(remaining),
            if remaining == 1 { "" } else { "s" },
            connection.identity.auth.user
        ))
    };
    let finished = move || progress.with(|p| p.is_some_and(|p| p.finished));
    // The state as this tab sees it: a restored job waits for the admin; a job another tab
    // drives is sending there.
    let label = move || match state.get() {
        JobState::Stopped if job.awaiting().get() => "Waiting for you",
        JobState::Stopped if job.elsewhere().get() => "Sending in another tab",
        other => other.label(),
    };
    let eta = move || {
        let moving = state.get() == JobState::Sending || job.elsewhere().get();
        progress
            .get()
            .and_then(|p| p.eta_text())
            .filter(|_| moving)
            .map(|eta| format!(" · {eta}"))
    };
    let cancelled = move || progress.with(|p| p.is_some_and(|p| p.cancelled));
    let running = move || state.get() == JobState::Sending;
    let export = move |_| {
        let csv = results.with_untracked(|r| results_csv(r));
        crate::browser::download_csv("invite-results.csv", &csv);
    };
    let resume = move |_| job.resume(session);

    view! {
        <div class="job-status">
            <Show when=move || job.elsewhere().get() && !finished()>
                <p class="banner-inline" role="status">
                    "This job is running in another tab of this browser; this tab follows its progress. "
                    "Pause or cancel it here or there. If that tab is closed, this one offers to resume it."
                </p>
            </Show>
            <Show when=move || job.save_failed().get()>
                <p class="banner-inline error" role="alert">
                    "The job paused because this browser refused to save its progress (storage full or blocked). "
                    "Without it, a reload could send rows again. Free some space for this site, then choose Resume."
                </p>
            </Show>
            <Show when=move || job.awaiting().get() && !job.driving().get() && !finished()>
                <div class="job-question" role="alert">
                    <p><strong>{question}</strong></p>
                    <p class="muted">
                        "This job was saved in this browser and waits for you: nothing is sent until you resume it. "
                        "Rows already confirmed are never sent again."
                    </p>
                </div>
            </Show>
            {move || problem.get().map(|p| view! { <p class="banner-inline error" role="alert">{p}</p> })}
            {move || halt.get().map(|h| view! {
                <div class="banner-inline error" role="alert">
                    <p><strong>{format!("Paused at line {}: ", h.line)}</strong>{h.summary.clone()}</p>
                    <p>{h.fix.clone()} " Then choose Resume; no row was given up."</p>
                    <p class="muted">"Slack's code: " <code>{h.code.clone()}</code></p>
                </div>
            })}
            <p class="job-state">
                <strong>{label}</strong>
                {move || progress.get().map(|p| format!(" · {} of {} rows done", thousands(p.done), thousands(p.total)))}
                {eta}
            </p>
            <div
                class="progress"
                role="progressbar"
                aria-label="Invitations done"
                aria-valuemin="0"
                aria-valuemax=move || progress.get().map(|p| p.total).unwrap_or(0).to_string()
                aria-valuenow=move || progress.get().map(|p| p.done).unwrap_or(0).to_string()
            >
                <div class="progress-bar" style:width=move || format!("{}%", progress.get().map(|p| p.percent()).unwrap_or(0))></div>
            </div>
            <ul class="outcome-counts">
                {<InviteRoute as Work>::KINDS.iter().map(|k| {
                    let k = *k;
                    view! {
                        <li class=format!("count count-{}", k.word())>
                            <span class="count-n">{move || progress.get().map(|p| p.counts.get(k)).unwrap_or(0)}</span> " " {k.label()}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="muted">
                {move || progress.get().map(|p| format!("Sent with {} · {} calls", method(), p.sends))}
                {move || progress.get().filter(|p| p.rate_limits > 0).map(|p| format!(" · Slack asked to slow down {} times; the job waited as told", p.rate_limits))}
            </p>
            <div class="actions">
                <Show when=move || running() && !finished()>
                    <button id="job-pause" type="button" class="button secondary" on:click=move |_| job.pause()>"Pause"</button>
                </Show>
                <Show when=move || !running() && !finished() && !job.elsewhere().get() && problem.get().is_none()>
                    <button id="job-resume" type="button" class="button primary" on:click=resume>"Resume"</button>
                </Show>
                <Show when=move || !finished() && !cancelled()>
                    <button id="job-cancel" type="button" class="button secondary" on:click=move |_| job.cancel()>"Cancel the rest"</button>
                </Show>
                <button type="button" class="button secondary" on:click=export>"Download results (CSV)"</button>
                <Show when=move || finished() || problem.get().is_some()>
                    <button type="button" class="button secondary" on:click=move |_| job.clear()>"Start a new import"</button>
                </Show>
            </div>
        </div>
        <Results results=results />
    }
}

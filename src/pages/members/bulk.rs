//! One change to many members: the selection's bar (choose a change, see its dry run), the dry
//! run (every selected member with what will happen or why not, from core's `bulk::plan`),
//! and the job's panel (progress, results, undo). The job runs on the engine of bulk invites
//! (`crate::job`): paced, one tab writing, resumable after a reload.

use crate::job::MembersJob;
use crate::members::Members;
use crate::session::Session;
use leptos::prelude::*;
use slack_admin_core::invite::csv::thousands;
use slack_admin_core::invite::job::{duration_text, JobState, OutcomeKind, Pacing, Work};
use slack_admin_core::members::bulk::{self, action_title, Change, Planned, MAX_MEMBERS};
use slack_admin_core::members::{Action, Row};
use slack_admin_core::{TeamId, UserId};
use std::collections::{HashMap, HashSet};

/// Rows of the dry run drawn on the page; the job holds every row.
const PREVIEW_ROWS: usize = 500;
/// Rows needing attention drawn in the job's panel; the CSV has every row.
const ATTENTION_ROWS: usize = 200;

/// The change chosen in the bar, from its `<select>` value and the date field.
fn chosen_action(choice: &str, expiry: &str) -> Result<Action, String> {
    match choice {
        "" => Err("Choose a change first.".into()),
        "admin" => Ok(Action::MakeAdmin),
        "owner" => Ok(Action::MakeOwner),
        "regular" => Ok(Action::MakeRegular),
        "signout" => Ok(Action::SignOut),
        "expire" => {
            let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(expiry)).get_time();
            if expiry.is_empty() || ms.is_nan() {
                return Err("Choose the new expiration date and time first.".into());
            }
            Ok(Action::SetExpiration {
                ts: (ms / 1000.0) as i64,
            })
        }
        other => match other.strip_prefix("remove:") {
            Some(team) => Ok(Action::Remove {
                team: TeamId::new(team),
            }),
            None => Err(format!("Unknown change \u{201c}{other}\u{201d}.")),
        },
    }
}

/// The selected members, in the order of the table (then any selected ones the view hides).
fn selected_rows(rows: &[Row], order: &[usize], selected: &HashSet<UserId>) -> Vec<Row> {
    let mut seen = HashSet::new();
    let mut out: Vec<Row> = order
        .iter()
        .filter_map(|&i| rows.get(i))
        .filter(|r| selected.contains(&r.id))
        .inspect(|r| {
            seen.insert(r.id.clone());
        })
        .cloned()
        .collect();
    out.extend(
        rows.iter()
            .filter(|r| selected.contains(&r.id) && !seen.contains(&r.id))
            .cloned(),
    );
    out
}

/// The bar above the table while members are selected: how many, select every one shown,
/// the change to make, and its dry run.
#[component]
pub fn BulkBar(selected: RwSignal<HashSet<UserId>>, order: Memo<super::Shown>) -> impl IntoView {
    let session = expect_context::<Session>();
    let members = expect_context::<Members>();
    let job = expect_context::<MembersJob>();
    let Some(connection) = session.connection() else {
        return ().into_any();
    };
    let (scene, org_id) = super::scene_of(&connection.identity);
    let teams = connection.identity.org_teams.clone();
    let team_name = {
        let teams = teams.clone();
        move |t: &TeamId| {
            teams
                .iter()
                .find(|x| &x.id == t)
                .map(|x| x.name.clone())
                .unwrap_or_else(|| t.to_string())
        }
    };
    let choice = RwSignal::new(String::new());
    // Where role changes apply: the whole org (`None`) or one workspace.
    let scope = RwSignal::new(None::<TeamId>);
    let is_role = move || matches!(choice.get().as_str(), "admin" | "owner" | "regular");
    let expiry = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let refused = RwSignal::new(None::<String>);
    let preview = RwSignal::new(None::<(Vec<Planned>, Change)>);
    let count = move || selected.with(HashSet::len);
    let shown = move || order.with(|o| o.len());
    let busy = move || {
        job.saved()
            .with(|s| s.as_ref().is_some_and(|s| !s.job.is_finished()))
    };
    let select_all = move |_| {
        let ids: HashSet<UserId> = order.with_untracked(|order| {
            members.with(|rows| {
                order
                    .iter()
                    .filter_map(|&i| rows.get(i))
                    .map(|r| r.id.clone())
                    .collect()
            })
        });
        selected.set(ids);
    };
    let make_preview = {
        let team_name = team_name.clone();
        move |_| {
            refused.set(None);
            let action = match chosen_action(&choice.get_untracked(), &expiry.get_untracked()) {
                Ok(a) => a,
                Err(e) => {
                    problem.set(Some(e));
                    return;
                }
            };
            problem.set(None);
            let rows = selected.with_untracked(|sel| {
                order.with_untracked(|order| members.with(|rows| selected_rows(rows, order, sel)))
            });
            let refs: Vec<&Row> = rows.iter().collect();
            let role = matches!(
                action,
                Action::MakeAdmin | Action::MakeOwner | Action::MakeRegular
            );
            let within = scope.get_untracked().filter(|_| role);
            let scene = slack_admin_core::members::Scene {
                scope: within.clone().map(|t| {
                    let n = team_name(&t);
                    (t, n)
                }),
                ..scene.clone()
            };
            let plan = bulk::plan(&refs, &action, &scene, &team_name, crate::browser::now_s());
            let title = match &within {
                Some(t) => format!("{} in {}", action_title(&action, &team_name), team_name(t)),
                None => action_title(&action, &team_name),
            };
            let change = Change {
                org_id: within.unwrap_or_else(|| org_id.clone()),
                title,
                id: crate::browser::now_ms(),
            };
            preview.set(Some((plan, change)));
        }
    };
    let run = move |_| {
        let Some((plan, change)) = preview.get_untracked() else {
            return;
        };
        let Some(connection) = session.connection() else {
            return;
        };
        let pacing = Pacing::scaled(&change, connection.rate_scale);
        let new_job = bulk::job(&plan, change, pacing);
        job.start(session, &connection, new_job, move |why| {
            let _ = refused.try_set(Some(why));
        });
        preview.set(None);
        selected.set(HashSet::new());
    };
    // Through a proxy, the change can run there instead: it goes on when this tab closes.
    let proxy = StoredValue::new(
        Some(&connection)
            .filter(|c| c.identity.proxy_key.as_deref() == Some("read-write"))
            .and_then(crate::proxy_api::ProxyApi::of),
    );
    let on_proxy = proxy.with_value(Option::is_some);
    let handing_over = RwSignal::new(false);
    let navigate = StoredValue::new(leptos_router::hooks::use_navigate());
    let run_on_proxy = move |_| {
        let Some((plan, change)) = preview.get_untracked() else {
            return;
        };
        let (Some(connection), Some(api)) = (session.connection(), proxy.get_value()) else {
            return;
        };
        let title = change.title.clone();
        let pacing = Pacing::scaled(&change, connection.rate_scale);
        let new_job = bulk::job(&plan, change, pacing);
        let Ok(value) = serde_json::to_value(&new_job) else {
            return;
        };
        refused.set(None);
        // One hand-over at a time: a second click would start a second job.
        if handing_over.get_untracked() {
            return;
        }
        handing_over.set(true);
        leptos::task::spawn_local(async move {
            let started = api
                .start_job(slack_admin_core::server_jobs::Kind::Change, title, value)
                .await;
            let _ = handing_over.try_set(false);
            match started {
                Ok(_) => {
                    let _ = preview.try_set(None);
                    let _ = selected.try_set(HashSet::new());
                    navigate.with_value(|n| {
                        n(
                            &crate::href("/jobs"),
                            leptos_router::NavigateOptions {
                                resolve: false,
                                ..Default::default()
                            },
                        )
                    });
                }
                Err(e) => {
                    let _ = refused.try_set(Some(crate::proxy_api::not_started(&e)));
                }
            }
        });
    };
    let rate_scale = connection.rate_scale;
    let any_selected = move || count() > 0;
    let scope_options = StoredValue::new(
        teams
            .iter()
            .map(|t| (t.id.to_string(), format!("{} only", t.name)))
            .collect::<Vec<_>>(),
    );
    let more_shown = move || shown() > count();

    view! {
        <Show when=any_selected>
            <section class="bulk-bar card" aria-label="Change the selected members">
                <p class="bulk-count">
                    <strong role="status">{move || format!("{} selected", thousands(count()))}</strong>
                    <button class="link" on:click=move |_| { selected.set(HashSet::new()); preview.set(None); }>"Clear the selection"</button>
                    <Show when=more_shown>
                        <button class="link" on:click=select_all>{move || format!("Select all {} shown", thousands(shown()))}</button>
                    </Show>
                </p>
                <div class="bulk-choose">
                    <label for="bulk-action">"Change"</label>
                    <select id="bulk-action" on:change=move |ev| { choice.set(event_target_value(&ev)); preview.set(None); }>
                        <option value="">"Choose a change…"</option>
                        <option value="admin">"Make admin"</option>
                        <option value="owner">"Make owner"</option>
                        <option value="regular">"Make regular member"</option>
                        {teams.iter().map(|t| view! {
                            <option value=format!("remove:{}", t.id)>{format!("Remove from {}", t.name)}</option>
                        }).collect_view()}
                        <option value="expire">"Set guest expiration (extend to a date)"</option>
                        <option value="signout">"Sign out everywhere"</option>
                    </select>
                    <Show when=is_role>
                        <label for="bulk-scope">"in"</label>
                        <select id="bulk-scope" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            scope.set((!v.is_empty()).then(|| TeamId::new(&v)));
                            preview.set(None);
                        }>
                            <option value="">"the whole org"</option>
                            {scope_options.with_value(|o| o.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view())}
                        </select>
                    </Show>
                    <Show when=move || choice.get() == "expire">
                        <label for="bulk-expiry">"New expiration (your time zone)"</label>
                        <input id="bulk-expiry" type="datetime-local" bind:value=expiry />
                    </Show>
                    <button id="bulk-preview" class="button secondary" on:click=make_preview.clone()>"Preview the change"</button>
                </div>
                <p class="field-error" aria-live="polite">{move || problem.get()}</p>
                {move || refused.get().map(|why| view! { <p class="notice warning" role="alert">{why}</p> })}
                {move || preview.get().map(|(plan, change)| {
                    let will = plan.iter().filter(|p| p.will_run()).count();
                    let wont = plan.len() - will;
                    let too_many = plan.len() > MAX_MEMBERS;
                    let pacing = Pacing::scaled(&change, rate_scale);
                    let eta = duration_text(pacing.duration_ms(will));
                    let more = plan.len().saturating_sub(PREVIEW_ROWS);
                    let rows = plan.into_iter().take(PREVIEW_ROWS).map(|p| {
                        let ok = p.will_run();
                        let text = match p.verdict { Ok(c) => c, Err(why) => why };
                        view! {
                            <tr class:refused=!ok>
                                <td>{p.target.label.clone()}</td>
                                <td>{if ok { "Will change" } else { "Not changed" }}</td>
                                <td>{text}</td>
                            </tr>
                        }
                    }).collect_view();
                    view! {
                        <div class="bulk-preview" role="region" aria-labelledby="bulk-preview-heading">
                            <h2 id="bulk-preview-heading">{format!("Dry run: {}", change.title)}</h2>
                            <p>
                                <strong>{format!("{} will change", thousands(will))}</strong>
                                {format!(" · {} will not, each with the reason below. Nothing has been sent yet.", thousands(wont))}
                            </p>
                            <p class="muted">{format!("Sent one at a time at Slack's Tier 2 pace: about {eta}. You can pause, leave the page or reload; the change goes on where it stopped.")}</p>
                            <div class="table-wrap preview-wrap" tabindex="0" role="region" aria-label="Every selected member">
                                <table class="results-table">
                                    <thead><tr><th scope="col">"Member"</th><th scope="col">"Outcome"</th><th scope="col">"What happens"</th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                            {(more > 0).then(|| view! { <p class="muted">{format!("…and {} more, all in the job and its results CSV.", thousands(more))}</p> })}
                            <div class="actions">
                                <button id="bulk-run" class="button primary" disabled=move || will == 0 || too_many || busy() on:click=run>
                                    {format!("Change {} member{}", thousands(will), if will == 1 { "" } else { "s" })}
                                </button>
                                {on_proxy.then(|| view! {
                                    <button
                                        id="bulk-run-proxy"
                                        class="button secondary"
                                        title="The proxy makes the change: it goes on when this tab closes"
                                        disabled=move || will == 0 || too_many || handing_over.get()
                                        on:click=run_on_proxy
                                    >
                                        "Run on the proxy"
                                    </button>
                                })}
                                <button class="button secondary" on:click=move |_| preview.set(None)>"Back"</button>
                            </div>
                            {too_many.then(|| view! {
                                <p class="notice warning">{format!(
                                    "One change takes at most {} selected members: this browser saves its progress after every member, and at Slack's pace {} members already take 4 hours. Narrow the selection (a filter, or a workspace) and run it in parts.",
                                    thousands(MAX_MEMBERS), thousands(MAX_MEMBERS)
                                )}</p>
                            })}
                            <Show when=busy>
                                <p class="notice warning">"A change is under way (below): let it finish, or cancel the rest, before starting another."</p>
                            </Show>
                        </div>
                    }
                })}
            </section>
        </Show>
    }
    .into_any()
}

/// The change under way or finished: progress, what needs attention, the results CSV, and
/// the undo.
#[component]
pub fn ChangePanel() -> impl IntoView {
    let session = expect_context::<Session>();
    let members = expect_context::<Members>();
    let job = expect_context::<MembersJob>();
    let saved = job.saved();
    let progress = Memo::new(move |_| {
        let now = job.now_ms().get();
        saved.with(|s| s.as_ref().map(|s| s.job.progress(now)))
    });
    let state = Memo::new(move |_| {
        progress
            .get()
            .map(|p| p.state(job.driving().get()))
            .unwrap_or(JobState::Stopped)
    });
    // Said from the rows, not from the title saved with them.
    let org_and_teams = StoredValue::new(session.connection().map(|c| {
        let (_, org_id) = super::scene_of(&c.identity);
        (org_id, c.identity.org_teams.clone())
    }));
    let title = move || {
        let Some((org_id, teams)) = org_and_teams.get_value() else {
            return String::new();
        };
        let team_name = move |t: &TeamId| {
            teams
                .iter()
                .find(|x| &x.id == t)
                .map(|x| x.name.clone())
                .unwrap_or_else(|| t.to_string())
        };
        saved.with(|s| {
            s.as_ref()
                .map(|s| bulk::describe(&s.job, &org_id, &team_name))
                .unwrap_or_default()
        })
    };
    // Names for a job restored without them (it saves IDs only).
    let names = move |ids: &HashSet<UserId>| -> HashMap<UserId, (String, String)> {
        members.with(|rows| {
            rows.iter()
                .filter(|r| ids.contains(&r.id))
                .map(|r| (r.id.clone(), (r.label().to_owned(), r.email.clone())))
                .collect()
        })
    };
    let results = Memo::new(move |_| {
        saved.with(|s| {
            s.as_ref()
                .map(|s| {
                    let ids: HashSet<UserId> = s
                        .job
                        .rows()
                        .iter()
                        .filter(|r| r.item.label.is_empty())
                        .map(|r| r.item.user_id.clone())
                        .collect();
                    let known = names(&ids);
                    bulk::results(&s.job, &|id| known.get(id).cloned())
                })
                .unwrap_or_default()
        })
    });
    // What Slack confirmed shows in the table at once, each change once.
    // What the job had changed before this panel was drawn is in the list Slack gave (or a
    // saved job's claim, which is not trusted): only changes confirmed from now are applied.
    Effect::new(move |applied: Option<HashSet<(u64, usize)>>| {
        let first = applied.is_none();
        let mut applied = applied.unwrap_or_default();
        let fresh: Vec<(UserId, Action)> = saved.with(|s| {
            let Some(s) = s else { return Vec::new() };
            let id = s.job.work().id;
            s.job
                .rows()
                .iter()
                .filter(|r| r.outcome() == Some(&slack_admin_core::invite::job::Outcome::Changed))
                .filter(|r| applied.insert((id, r.line)))
                .map(|r| (r.item.user_id.clone(), r.item.action.clone()))
                .collect()
        });
        if !first {
            members.apply(&fresh);
        }
        applied
    });
    let finished = move || progress.with(|p| p.is_some_and(|p| p.finished));
    let running = move || state.get() == JobState::Sending;
    let cancelled = move || progress.with(|p| p.is_some_and(|p| p.cancelled));
    let problem = Memo::new(move |_| {
        let connection = session.connection()?;
        saved.with(|s| {
            s.as_ref()
                .and_then(|s| crate::job::Kept::problem(s.job.work(), &connection))
        })
    });
    let halt = Memo::new(move |_| saved.with(|s| s.as_ref().and_then(|s| s.job.halt().cloned())));
    let label = move || match state.get() {
        JobState::Stopped if job.awaiting().get() => "Waiting for you",
        JobState::Stopped if job.elsewhere().get() => "Running in another tab",
        JobState::Sending => "Changing",
        other => other.label(),
    };
    let eta = move || {
        let moving = state.get() == JobState::Sending || job.elsewhere().get();
        progress
            .get()
            .and_then(|p| p.eta_text())
            .filter(|_| moving)
            .map(|e| format!(" · {e}"))
    };
    let export = move |_| {
        let csv = saved.with_untracked(|s| {
            s.as_ref().map(|s| {
                let ids: HashSet<UserId> = s
                    .job
                    .rows()
                    .iter()
                    .map(|r| r.item.user_id.clone())
                    .collect();
                let known = names(&ids);
                bulk::results_csv(&s.job, &|id| known.get(id).cloned())
            })
        });
        if let Some(csv) = csv {
            crate::browser::download_csv("member-changes.csv", &csv);
        }
    };
    // The undo, offered once the job is finished.
    // The job whose undo is being confirmed: another tab may finish another job meanwhile.
    let confirm_undo = RwSignal::new(None::<u64>);
    let job_id = move || saved.with(|s| s.as_ref().map(|s| s.job.work().id));
    let undo_refused = RwSignal::new(None::<String>);
    let inverse = Memo::new(move |_| {
        if !finished() {
            return None;
        }
        let scale = session.connection().map(|c| c.rate_scale).unwrap_or(1.0);
        saved.with(|s| {
            s.as_ref().and_then(|s| {
                let pacing = Pacing::scaled(s.job.work(), scale);
                bulk::inverse(&s.job, pacing, crate::browser::now_s())
            })
        })
    });
    let run_undo = move |_| {
        let Some(connection) = session.connection() else {
            return;
        };
        let asked = confirm_undo.get_untracked();
        confirm_undo.set(None);
        if asked.is_none() || asked != saved.with_untracked(|s| s.as_ref().map(|s| s.job.work().id))
        {
            let _ = undo_refused.try_set(Some("The change shown here is not the one you asked to undo any more (another tab ran another change): look at it again.".into()));
            return;
        }
        let Some(undo) = inverse.get_untracked().and_then(|i| i.job) else {
            return;
        };
        job.start(session, &connection, undo, move |why| {
            let _ = undo_refused.try_set(Some(why));
        });
    };
    let attention = move || {
        results.with(|rs| {
            rs.iter()
                .filter(|r| {
                    matches!(
                        r.kind(),
                        Some(OutcomeKind::Refused | OutcomeKind::NotSent | OutcomeKind::Unchanged)
                    )
                })
                .take(ATTENTION_ROWS)
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    view! {
        <Show when=move || saved.with(Option::is_some)>
            <section class="card change-panel" aria-labelledby="change-heading">
                <h2 id="change-heading">{title}</h2>
                <Show when=move || job.elsewhere().get() && !finished()>
                    <p class="banner-inline" role="status">"This change is running in another tab of this browser; this tab follows it. Pause or cancel it here or there."</p>
                </Show>
                <Show when=move || job.save_failed().get()>
                    <p class="banner-inline error" role="alert">"The change paused because this browser refused to save its progress (storage full or blocked). Without it, a reload could send rows again. Free some space for this site, then choose Resume."</p>
                </Show>
                <Show when=move || job.awaiting().get() && !job.driving().get() && !finished()>
                    <div class="banner-inline" role="alert">
                        <p>"This change was saved in this browser and waits for you: nothing is sent until you resume it. Members confirmed changed are not sent again."</p>
                        <p>"Resuming sends, in order:"</p>
                        <ul class="pending-list">
                            {move || results.with(|rs| {
                                let waiting: Vec<_> = rs.iter().filter(|r| r.kind().is_none()).collect();
                                let more = waiting.len().saturating_sub(ATTENTION_ROWS);
                                let mut items: Vec<_> = waiting.iter().take(ATTENTION_ROWS).map(|r| view! { <li>{format!("{}: {}", r.label, r.change)}</li> }.into_any()).collect();
                                if more > 0 {
                                    items.push(view! { <li>{format!("and {} more (all in the results CSV)", thousands(more))}</li> }.into_any());
                                }
                                items
                            })}
                        </ul>
                    </div>
                </Show>
                {move || problem.get().map(|p| view! { <p class="banner-inline error" role="alert">{p}</p> })}
                {move || halt.get().map(|h| view! {
                    <div class="banner-inline error" role="alert">
                        <p><strong>{format!("Paused at row {}: ", h.line)}</strong>{h.summary.clone()}</p>
                        <p>{h.fix.clone()} " Then choose Resume; no member was given up."</p>
                        <p class="muted">"Slack's code: " <code>{h.code.clone()}</code></p>
                    </div>
                })}
                <p class="job-state">
                    <strong>{label}</strong>
                    {move || progress.get().map(|p| format!(" · {} of {} members done", thousands(p.done), thousands(p.total)))}
                    {eta}
                </p>
                <div
                    class="progress"
                    role="progressbar"
                    aria-label="Members done"
                    aria-valuemin="0"
                    aria-valuemax=move || progress.get().map(|p| p.total).unwrap_or(0).to_string()
                    aria-valuenow=move || progress.get().map(|p| p.done).unwrap_or(0).to_string()
                >
                    <div class="progress-bar" style:width=move || format!("{}%", progress.get().map(|p| p.percent()).unwrap_or(0))></div>
                </div>
                <ul class="outcome-counts">
                    {Change::KINDS.iter().map(|k| {
                        let k = *k;
                        view! {
                            <li class=format!("count count-{}", k.word())>
                                <span class="count-n">{move || progress.get().map(|p| p.counts.get(k)).unwrap_or(0)}</span> " " {k.label()}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <div class="actions">
                    <Show when=move || running() && !finished()>
                        <button id="change-pause" type="button" class="button secondary" on:click=move |_| job.pause()>"Pause"</button>
                    </Show>
                    <Show when=move || !running() && !finished() && !job.elsewhere().get() && problem.get().is_none()>
                        <button id="change-resume" type="button" class="button primary" on:click=move |_| job.resume(session)>"Resume"</button>
                    </Show>
                    <Show when=move || !finished() && !cancelled()>
                        <button id="change-cancel" type="button" class="button secondary" on:click=move |_| job.cancel()>"Cancel the rest"</button>
                    </Show>
                    <button type="button" class="button secondary" on:click=export>"Download results (CSV)"</button>
                    {move || inverse.get().and_then(|i| i.job.map(|_| i.title)).map(|t| view! {
                        <button id="change-undo" type="button" class="button secondary" on:click=move |_| confirm_undo.set(job_id())>{format!("Undo: {}", lower_first(&t))}</button>
                    })}
                    <Show when=move || finished() || problem.get().is_some()>
                        <button type="button" class="button secondary" on:click=move |_| job.clear()>"Close"</button>
                    </Show>
                </div>
                {move || confirm_undo.get().is_some().then(|| inverse.get()).flatten().map(|i| {
                    let n = i.job.as_ref().map(|j| j.rows().len()).unwrap_or(0);
                    let ids: HashSet<UserId> = i.job.as_ref().map(|j| j.rows().iter().map(|r| r.item.user_id.clone()).collect()).unwrap_or_default();
                    let known = names(&ids);
                    let who: Vec<String> = i.job.as_ref().map(|j| j.rows().iter().take(20).map(|r| known.get(&r.item.user_id).map(|(n, _)| n.clone()).unwrap_or_else(|| r.item.user_id.to_string())).collect()).unwrap_or_default();
                    view! {
                        <div class="confirm" role="alertdialog" aria-label="Confirm the undo">
                            <p><strong>{i.title.clone()}</strong>{format!(": {} member{} go back to where they were before this change. These results are replaced by the undo's; download them first if you need them.", n, if n == 1 { "" } else { "s" })}</p>
                            <p class="muted">{format!("{}{}", who.join(", "), if n > who.len() { format!(" and {} more", n - who.len()) } else { String::new() })}</p>
                            {(!i.without.is_empty()).then(|| view! {
                                <p class="muted">{format!("{} changed member{} cannot be undone through Slack's API:", i.without.len(), if i.without.len() == 1 { "" } else { "s" })}</p>
                                <ul class="muted">{i.without.iter().take(20).map(|(who, why)| view! { <li>{format!("{who}: {why}")}</li> }).collect_view()}</ul>
                            })}
                            <button id="change-undo-confirm" class="button primary" on:click=run_undo>"Undo"</button>
                            <button class="button secondary" on:click=move |_| confirm_undo.set(None)>"Cancel"</button>
                        </div>
                    }
                })}
                {move || undo_refused.get().map(|why| view! { <p class="notice warning" role="alert">{why}</p> })}
                {move || {
                    let rows = attention();
                    (!rows.is_empty()).then(|| view! {
                        <h3>"Not changed"</h3>
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Members not changed">
                            <table class="results-table">
                                <thead><tr><th scope="col">"Member"</th><th scope="col">"Outcome"</th><th scope="col">"Why, and what to do"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr class=format!("outcome-{}", r.kind().map_or("pending", OutcomeKind::word))>
                                            <td>{r.label.clone()}</td>
                                            <td>{r.kind().map_or("Waiting", OutcomeKind::label)}</td>
                                            <td>{match &r.code { Some(c) if !r.detail.contains(c.as_str()) => format!("{} ({c})", r.detail), _ => r.detail.clone() }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })
                }}
            </section>
        </Show>
    }
}

/// "Make these…" → "make these…", for "Undo: make these 40 members regular again".
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

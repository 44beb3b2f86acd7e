//! `/overview`: where the admin is and what the console can do here.

use crate::components::org_icon::OrgIcon;
use crate::pages::connect::RequireConnection;
use crate::session::{Session, Status};
use leptos::prelude::*;

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <RequireConnection>
            <Overview />
        </RequireConnection>
    }
}

#[component]
fn Overview() -> impl IntoView {
    let session = expect_context::<Session>();
    let Status::Connected(connection) = session.status().get_untracked() else {
        return ().into_any();
    };
    let identity = connection.identity;
    let grid = identity.is_grid();
    let capabilities = identity.capabilities();
    let icon = identity
        .team
        .icon
        .image_88
        .clone()
        .filter(|_| !connection.sandbox);
    let org_name = identity.org_name().to_owned();
    let workspace = identity.team.name.clone();
    let domain = identity.team.domain.clone();
    let kind = identity.token_kind().label();
    let user = identity.auth.user.clone();
    let user_id = identity.auth.user_id.to_string();
    let teams = identity.org_teams.clone();
    let scopes = identity.scopes.0.clone();
    let proxy = identity.proxy_key.clone().map(|k| {
        if k == "read-only" {
            "held by your team's proxy; your access key may list and read, not change anything"
        } else {
            "held by your team's proxy; your access key may do everything the console does"
        }
    });
    view! {
        <h1 class="page-title">"Overview"</h1>
        <section class="card org-card" aria-labelledby="org-heading">
            <div class="org-head">
                <OrgIcon src=icon name=org_name.clone() size=56 class="org-icon-large" />
                <div>
                    <h2 id="org-heading">{org_name.clone()}</h2>
                    <p class="muted">
                        {if grid { "Enterprise Grid org" } else { "Workspace" }}
                        {(!domain.is_empty()).then(|| format!(" · {domain}.slack.com"))}
                        {connection.sandbox.then_some(" · sandbox")}
                    </p>
                </div>
            </div>
            <dl class="facts">
                <dt>"Signed in as"</dt>
                <dd>{user} " " <span class="muted">"(" {user_id} ")"</span></dd>
                <dt>"Token"</dt>
                <dd>{kind} {proxy.map(|p| view! { <span class="muted">" (" {p} ")"</span> })}</dd>
                <dt>"Workspace of the token"</dt>
                <dd>{workspace}</dd>
                <dt>"Scopes"</dt>
                <dd>
                    {match scopes {
                        Some(s) if !s.is_empty() => s.join(", "),
                        Some(_) => "none".to_owned(),
                        None => "not reported by Slack to this page".to_owned(),
                    }}
                </dd>
            </dl>
            {(!teams.is_empty()).then(|| view! {
                <h3>"Workspaces in this org"</h3>
                <ul class="workspaces">
                    {teams.into_iter().map(|t| view! {
                        <li>{t.name} " " <span class="muted">{t.id.to_string()}</span></li>
                    }).collect_view()}
                </ul>
            })}
        </section>

        <SecurityAtAGlance />

        <section class="card" aria-labelledby="capabilities-heading">
            <h2 id="capabilities-heading">"What this token can do"</h2>
            <ul class="capabilities">
                {capabilities.into_iter().map(|c| {
                    let ok = c.available();
                    view! {
                        <li class=if ok { "capability yes" } else { "capability no" }>
                            <span class="capability-mark" aria-hidden="true">{if ok { "✓" } else { "✕" }}</span>
                            <div>
                                <span class="capability-name">{c.feature.label()}</span>
                                <span class="visually-hidden">{if ok { ": available" } else { ": not available" }}</span>
                                {c.via.map(|m| view! { <span class="via">" via " <code>{m}</code></span> })}
                                {c.note.map(|n| view! { <p class="capability-note">{n}</p> })}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// Admins and owners without 2FA or SSO, counted from the members list (Grid admin tokens:
/// only `admin.users.list` says who has them).
#[component]
fn SecurityAtAGlance() -> impl IntoView {
    use crate::members::{Load, Members};
    use slack_admin_core::connection::Feature;
    use slack_admin_core::members::Role;
    let session = expect_context::<Session>();
    let members = expect_context::<Members>();
    let Some(connection) = session.connection() else {
        return ().into_any();
    };
    let grid_list = connection
        .identity
        .capabilities()
        .into_iter()
        .find(|c| c.feature == Feature::Members)
        .and_then(|c| c.via)
        == Some("admin.users.list");
    if !grid_list {
        return view! {
            <section class="card" aria-labelledby="security-heading">
                <h2 id="security-heading">"Security at a glance"</h2>
                <p class="muted">
                    "Who has two-factor authentication or SSO is known only through admin.users.list, "
                    "with an Enterprise Grid org admin token."
                </p>
            </section>
        }
        .into_any();
    }
    members.ensure(session);
    let counts = Memo::new(move |_| {
        members.with(|rows| {
            let privileged = |r: &&slack_admin_core::members::Row| {
                r.role != Role::Member && r.status == slack_admin_core::members::Status::Active
            };
            let no_2fa = rows
                .iter()
                .filter(privileged)
                .filter(|r| r.has_2fa == Some(false))
                .count();
            let no_sso = rows
                .iter()
                .filter(privileged)
                .filter(|r| r.has_sso == Some(false))
                .count();
            (no_2fa, no_sso)
        })
    });
    let line = move |n: usize, what: &'static str, chip: &'static str| {
        let href = crate::href(&format!(
            "/members?f=-role%3Amember&f=status%3Aactive&f={chip}"
        ));
        view! {
            <li class:warning={n > 0}>
                <a href=href>{format!("{n} {} without {what}", if n == 1 { "admin or owner" } else { "admins and owners" })}</a>
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="security-heading">
            <h2 id="security-heading">"Security at a glance"</h2>
            {move || match members.load_state().get() {
                Load::Done => {
                    let (a, b) = counts.get();
                    view! {
                        <ul class="security-counts">
                            {line(a, "two-factor authentication", "2fa-off")}
                            {line(b, "SSO", "sso-off")}
                        </ul>
                    }
                    .into_any()
                }
                Load::Failed(_) => view! {
                    <p class="muted">"The members list did not load; see Members for the reason."</p>
                }
                .into_any(),
                _ => view! { <p class="muted" role="status">"Counting from the members list…"</p> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

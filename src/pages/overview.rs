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
                <dd>{kind}</dd>
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

//! `/invite`: invite one person (and, with its tab, many from a CSV file).

mod bulk;
mod single;

use crate::components::error_panel::ErrorPanel;
use crate::pages::connect::RequireConnection;
use crate::session::{Connection, Session};
use bulk::BulkInvite;
use leptos::prelude::*;
use single::SingleInvite;
use slack_admin_core::connection::Feature;
use slack_admin_core::invite::InviteRoute;
use slack_admin_core::methods::conversations::Channel;
use slack_admin_core::{ChannelId, SlackError, TeamId};

#[component]
pub fn InvitePage() -> impl IntoView {
    view! {
        <RequireConnection>
            <Invite />
        </RequireConnection>
    }
}

/// What every invite form of the page shares: where invitations go, the channels there, and
/// the channels chosen in each form (they belong to the workspace, so choosing another one
/// empties them).
#[derive(Clone, Copy)]
pub struct InviteContext {
    /// `Some(team)` on a Grid org (the chosen workspace), `None` with a legacy token.
    team: RwSignal<Option<TeamId>>,
    /// The chosen workspace's channels (every page of `conversations.list`): `None` while
    /// they load, also while a previous workspace's list is still at hand.
    pub listed: Signal<Option<Result<Vec<Channel>, SlackError>>>,
    pub channels: Signal<Vec<Channel>>,
    pub channels_error: Signal<Option<SlackError>>,
    /// The channels chosen in the one-person form.
    pub single_channels: RwSignal<Vec<ChannelId>>,
    /// The default channels of the CSV import.
    pub default_channels: RwSignal<Vec<ChannelId>>,
}

impl InviteContext {
    pub fn route(&self) -> InviteRoute {
        match self.team.get() {
            Some(team_id) => InviteRoute::Admin { team_id },
            None => InviteRoute::Legacy,
        }
    }

    pub fn team(&self) -> Signal<Option<TeamId>> {
        self.team.into()
    }

    /// Whether the chosen workspace's channels are listed (nothing may be sent before).
    pub fn channels_ready(&self) -> bool {
        self.listed.with(Option::is_some)
    }

    /// Invitations go to `team` from now on; channels chosen in the other one are dropped.
    pub fn choose_team(&self, team: TeamId) {
        if self.team.get_untracked().as_ref() == Some(&team) {
            return;
        }
        self.team.set(Some(team));
        self.single_channels.set(Vec::new());
        self.default_channels.set(Vec::new());
    }
}

#[component]
fn Invite() -> impl IntoView {
    let session = expect_context::<Session>();
    let Some(connection) = session.connection() else {
        return ().into_any();
    };
    let Connection {
        transport,
        identity,
        sandbox,
        ..
    } = connection;
    // Every feature has a capability; were one missing, the page says the token cannot
    // invite rather than stopping the app.
    let capability = identity
        .capabilities()
        .into_iter()
        .find(|c| c.feature == Feature::Invite);
    let (via, note) = capability.map(|c| (c.via, c.note)).unwrap_or_default();
    let Some(via) = via else {
        return view! {
            <h1 class="page-title">"Invite people"</h1>
            <section class="card" role="alert">
                <h2>"This token cannot invite"</h2>
                <p>{note.unwrap_or_default()}</p>
            </section>
        }
        .into_any();
    };
    let admin = via == "admin.users.invite";
    // Workspaces to invite into: the org's, or the token's own.
    let workspaces: Vec<(TeamId, String)> = if identity.org_teams.is_empty() {
        vec![(identity.team.id.clone(), identity.team.name.clone())]
    } else {
        identity
            .org_teams
            .iter()
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect()
    };
    let first = workspaces
        .iter()
        .find(|(id, _)| *id == identity.auth.team_id)
        .or(workspaces.first())
        .map(|(id, _)| id.clone());
    let team = RwSignal::new(if admin { first } else { None });

    // The list carries the workspace it is of: while another workspace's loads, the old
    // list is not offered (its channels would be sent to the new workspace).
    let loaded = LocalResource::new(move || {
        let transport = transport.clone();
        let team = team.get();
        async move {
            let channels = session.channels_of(&transport, team.clone()).await;
            (team, channels)
        }
    });
    let listed = Memo::new(move |_| {
        let want = team.get();
        loaded
            .get()
            .filter(|(of, _)| *of == want)
            .map(|(_, channels)| channels)
    });
    let listed: Signal<Option<Result<Vec<Channel>, SlackError>>> = listed.into();
    let channels = Signal::derive(move || {
        listed.with(|l| {
            l.as_ref()
                .and_then(|r| r.as_ref().ok())
                .cloned()
                .unwrap_or_default()
        })
    });
    let channels_error = Signal::derive(move || listed.with(|l| l.clone().and_then(|r| r.err())));
    let context = InviteContext {
        team,
        listed,
        channels,
        channels_error,
        single_channels: RwSignal::new(Vec::new()),
        default_channels: RwSignal::new(Vec::new()),
    };
    provide_context(context);

    let route_note = if admin {
        "Invitations are sent with admin.users.invite (Enterprise Grid)."
    } else {
        "Invitations are sent with users.admin.invite (legacy token): admin.users.invite needs an Enterprise Grid org."
    };
    let several = workspaces.len() > 1;
    // A saved job of this connection opens the CSV tab, where its progress is.
    let job = expect_context::<crate::job::InviteJob>();
    let owner = crate::job::owner_of(&identity, sandbox);
    let many = RwSignal::new(
        crate::job::has_saved::<slack_admin_core::invite::InviteRoute>(&owner)
            || job.saved().with_untracked(Option::is_some),
    );
    view! {
        <h1 class="page-title">"Invite people"</h1>
        <p class="route-note">{route_note}</p>
        {(admin && several).then(|| view! {
            <div class="field workspace-chooser">
                <label for="workspace">"Workspace"</label>
                <select
                    id="workspace"
                    on:change=move |ev| context.choose_team(TeamId::new(event_target_value(&ev)))
                    prop:value=move || team.get().map(|t| t.to_string()).unwrap_or_default()
                >
                    {workspaces.iter().map(|(id, name)| view! {
                        <option value=id.to_string()>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
        })}
        {move || channels_error.get().map(|e| view! {
            <div class="card">
                <p>"The channels of this workspace could not be listed, so they cannot be chosen by name."</p>
                <ErrorPanel error=e method="conversations.list" />
            </div>
        })}
        <div class="tabs" role="tablist" aria-label="How many people">
            <button
                type="button"
                role="tab"
                id="tab-one"
                class="tab"
                aria-controls="panel-invite"
                aria-selected=move || (!many.get()).to_string()
                on:click=move |_| many.set(false)
            >
                "One person"
            </button>
            <button
                type="button"
                role="tab"
                id="tab-many"
                class="tab"
                aria-controls="panel-invite"
                aria-selected=move || many.get().to_string()
                on:click=move |_| many.set(true)
            >
                "Many (CSV)"
            </button>
        </div>
        <section
            class="card"
            id="panel-invite"
            role="tabpanel"
            aria-labelledby=move || if many.get() { "tab-many" } else { "tab-one" }
        >
            // Both stay mounted, so switching tabs loses nothing typed or pasted.
            <div hidden=move || many.get()>
                <SingleInvite />
            </div>
            <div hidden=move || !many.get()>
                <BulkInvite />
            </div>
        </section>
    }
    .into_any()
}

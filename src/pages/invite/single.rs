//! The form for one invitation.

use super::InviteContext;
use crate::components::channel_picker::ChannelChooser;
use crate::components::error_panel::ErrorPanel;
use crate::session::Session;
use crate::transport::Retry;
use leptos::prelude::*;
use slack_admin_core::invite::job::read_answer;
use slack_admin_core::invite::{check, form, Field, Invitation, InviteRoute, MemberType, Problem};
use slack_admin_core::SlackError;

/// What the last send did.
#[derive(Clone)]
struct Sent {
    invitation: Invitation,
    method: &'static str,
    result: Result<(), SlackError>,
}

/// The epoch seconds of a `datetime-local` value, read in the browser's time zone.
fn local_time_to_epoch(value: &str) -> Option<i64> {
    if value.trim().is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    ms.is_finite().then(|| (ms / 1000.0) as i64)
}

/// What the resend box does on each route: `users.admin.invite` emails the person again;
/// `admin.users.invite` sends nothing again, it only lets an admin resend the invitation
/// later from Slack's own admin pages (seed 003: "Resending can only be done via the UI").
fn resend_label(legacy: bool) -> &'static str {
    if legacy {
        "Resend the email if this address was already invited"
    } else {
        "Allow resending this invitation later from Slack's admin pages"
    }
}

fn resend_help(legacy: bool) -> &'static str {
    if legacy {
        "users.admin.invite sends the invitation email again to an address invited some time ago."
    } else {
        "admin.users.invite does not email an address that was already invited. Ticked, Slack \
         lets an admin resend the invitation later from its admin pages, until the person joins."
    }
}

fn now_s() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

#[component]
pub fn SingleInvite() -> impl IntoView {
    let session = expect_context::<Session>();
    let ctx = expect_context::<InviteContext>();
    let email = RwSignal::new(String::new());
    let real_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let member_type = RwSignal::new(MemberType::FullMember);
    let channels = ctx.single_channels;
    let expiration = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let resend = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let legacy = move || ctx.route() == InviteRoute::Legacy;

    // A single-channel guest gets exactly one channel: keep the first when switching to it.
    let choose_type = move |value: MemberType| {
        member_type.set(value);
        if value == MemberType::SingleChannelGuest {
            channels.update(|c| c.truncate(1));
        }
    };

    let send = Action::new_local(move |(invitation, route): &(Invitation, InviteRoute)| {
        let (invitation, route) = (invitation.clone(), route.clone());
        let transport = session.connection().map(|c| c.transport);
        async move {
            let method = route.method_name();
            let result = match transport {
                Some(t) => t
                    .send(method, &form(&invitation, &route), Retry::RateLimits)
                    .await
                    .and_then(|answer| read_answer(&answer)),
                None => Err(SlackError::api("not_authed")),
            };
            Sent {
                invitation,
                method,
                result,
            }
        }
    });
    let pending = send.pending();

    let invitation = move || Invitation {
        email: email.get_untracked(),
        real_name: Some(real_name.get_untracked()).filter(|_| !legacy()),
        first_name: Some(first_name.get_untracked()).filter(|_| legacy()),
        last_name: Some(last_name.get_untracked()).filter(|_| legacy()),
        member_type: member_type.get_untracked(),
        channels: channels.get_untracked(),
        expiration_ts: if member_type.get_untracked().is_guest() {
            local_time_to_epoch(&expiration.get_untracked())
        } else {
            None
        },
        custom_message: Some(message.get_untracked()),
        resend: resend.get_untracked(),
    };
    let submit = move || {
        // Channels are chosen from the workspace's list: not before it is there.
        if !ctx.channels_ready() {
            problems.set(vec![Problem::new(
                Field::Channels,
                "The channels of this workspace are still loading: send again in a moment.",
            )]);
            return;
        }
        let inv = invitation();
        let route = ctx.route();
        match check(&inv, &route, now_s()) {
            Ok(()) => {
                problems.set(Vec::new());
                send.dispatch((inv, route));
            }
            Err(p) => problems.set(p),
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit();
    };
    let problem = move |field: Field| {
        move || {
            problems.with(|ps| {
                ps.iter()
                    .filter(|p| p.field == field)
                    .map(|p| p.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }
    };
    let invalid = move |field: Field| {
        move || {
            problems
                .with(|ps| ps.iter().any(|p| p.field == field))
                .to_string()
        }
    };

    let type_radio = move |value: MemberType, id: &'static str| {
        view! {
            <div class="radio">
                <input
                    type="radio"
                    id=id
                    name="member-type"
                    prop:checked=move || member_type.get() == value
                    on:change=move |_| choose_type(value)
                />
                <label for=id>{value.label()}</label>
            </div>
        }
    };

    view! {
        <form class="invite-form" on:submit=on_submit novalidate>
            <div class="form-grid">
                <div class="field">
                    <label for="invite-email">"Email address"</label>
                    <input
                        id="invite-email"
                        type="email"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="name@example.com"
                        aria-describedby="invite-email-error"
                        aria-invalid=invalid(Field::Email)
                        bind:value=email
                    />
                    <p id="invite-email-error" class="field-error" aria-live="polite">{problem(Field::Email)}</p>
                </div>
                <Show
                    when=legacy
                    fallback=move || view! {
                        <div class="field">
                            <label for="invite-name">"Full name " <span class="muted">"(optional)"</span></label>
                            <input id="invite-name" type="text" autocomplete="off" aria-describedby="invite-name-error" aria-invalid=invalid(Field::Name) bind:value=real_name />
                            <p id="invite-name-error" class="field-error" aria-live="polite">{problem(Field::Name)}</p>
                        </div>
                    }
                >
                    <div class="field">
                        <label for="invite-first">"First name " <span class="muted">"(optional)"</span></label>
                        <input id="invite-first" type="text" autocomplete="off" aria-describedby="invite-first-error" aria-invalid=invalid(Field::FirstName) bind:value=first_name />
                        <p id="invite-first-error" class="field-error" aria-live="polite">{problem(Field::FirstName)}</p>
                    </div>
                    <div class="field">
                        <label for="invite-last">"Last name " <span class="muted">"(optional)"</span></label>
                        <input id="invite-last" type="text" autocomplete="off" aria-describedby="invite-last-error" aria-invalid=invalid(Field::LastName) bind:value=last_name />
                        <p id="invite-last-error" class="field-error" aria-live="polite">{problem(Field::LastName)}</p>
                    </div>
                </Show>
                <fieldset class="field wide">
                    <legend>"Member type"</legend>
                    <div class="radios">
                        {type_radio(MemberType::FullMember, "type-full")}
                        {type_radio(MemberType::MultiChannelGuest, "type-multi")}
                        {type_radio(MemberType::SingleChannelGuest, "type-single")}
                    </div>
                    <p class="field-error" aria-live="polite">{problem(Field::MemberType)}</p>
                </fieldset>
                <div class="field wide">
                    <label for="invite-channels">
                        {move || if member_type.get() == MemberType::SingleChannelGuest { "Channel (exactly one)" } else { "Channels" }}
                    </label>
                    <ChannelChooser
                        input_id="invite-channels"
                        channels=ctx.listed
                        chosen=channels
                        max=Signal::derive(move || (member_type.get() == MemberType::SingleChannelGuest).then_some(1))
                        described_by="invite-channels-help invite-channels-error"
                    />
                    <p id="invite-channels-help" class="help">
                        {move || if legacy() { "Optional: the person joins these channels." } else { "At least one: the person joins these channels." }}
                    </p>
                    <p id="invite-channels-error" class="field-error" aria-live="polite">{problem(Field::Channels)}</p>
                </div>
                <Show when=move || member_type.get().is_guest()>
                    <div class="field">
                        <label for="invite-expiration">"Guest account expires " <span class="muted">"(optional, your local time)"</span></label>
                        <input id="invite-expiration" type="datetime-local" aria-describedby="invite-expiration-error" aria-invalid=invalid(Field::Expiration) bind:value=expiration />
                        <p id="invite-expiration-error" class="field-error" aria-live="polite">{problem(Field::Expiration)}</p>
                    </div>
                </Show>
                <div class="field wide">
                    <label for="invite-message">"Message in the invitation email " <span class="muted">"(optional)"</span></label>
                    <textarea id="invite-message" aria-describedby="invite-message-error" aria-invalid=invalid(Field::Message) bind:value=message></textarea>
                    <p id="invite-message-error" class="field-error" aria-live="polite">{problem(Field::Message)}</p>
                </div>
                <div class="field wide">
                    <div class="checkbox">
                        <input id="invite-resend" type="checkbox" aria-describedby="invite-resend-help" bind:checked=resend />
                        <label for="invite-resend">{move || resend_label(legacy())}</label>
                    </div>
                    <p id="invite-resend-help" class="help">{move || resend_help(legacy())}</p>
                </div>
            </div>
            <div class="actions">
                <button id="send-invite" class="button primary" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Sending…" } else { "Send invitation" }}
                </button>
            </div>
        </form>
        {move || send.value().get().map(|sent| {
            let Sent { invitation, method, result } = sent;
            match result {
                Ok(()) => view! {
                    <div class="success-panel" role="status">
                        <p>
                            <strong>"Invitation sent to " {invitation.email.clone()}</strong>
                            {format!(" as {} with {method}.", invitation.member_type.label().to_lowercase())}
                        </p>
                        <button type="button" class="button secondary" on:click=move |_| {
                            email.set(String::new());
                            real_name.set(String::new());
                            first_name.set(String::new());
                            last_name.set(String::new());
                            send.value().set(None);
                        }>"Invite someone else"</button>
                    </div>
                }.into_any(),
                Err(error) => {
                    let code = error.code().to_owned();
                    let offer_guest = code == "not_allowed" && invitation.member_type == MemberType::FullMember;
                    // Only users.admin.invite sends the email again; admin.users.invite's resend
                    // is done from Slack's admin pages (the refusal's fix says so).
                    let offer_resend = method == "users.admin.invite"
                        && matches!(code.as_str(), "already_invited" | "already_in_team_invited_user")
                        && !invitation.resend;
                    view! {
                        <ErrorPanel error=error method=method />
                        <div class="actions">
                            {offer_guest.then(|| view! {
                                <button type="button" class="button primary" disabled=move || pending.get() on:click=move |_| {
                                    member_type.set(MemberType::MultiChannelGuest);
                                    submit();
                                }>"Invite as a multi-channel guest instead"</button>
                            })}
                            {offer_resend.then(|| view! {
                                <button type="button" class="button primary" disabled=move || pending.get() on:click=move |_| {
                                    resend.set(true);
                                    submit();
                                }>"Resend the invitation"</button>
                            })}
                        </div>
                    }.into_any()
                }
            }
        })}
    }
}

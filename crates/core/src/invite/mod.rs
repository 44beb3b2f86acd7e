//! Invitations as data: one person or a thousand.
//!
//! - [`Invitation`] is what the admin asks for; [`check`] says what is wrong with it, field by
//!   field, before anything is sent; [`form`] turns it into the call of the chosen
//!   [`InviteRoute`] (`admin.users.invite` on Grid, `users.admin.invite` with a legacy token).
//! - [`csv`] reads a pasted or uploaded file, [`preview`] maps its columns, applies defaults,
//!   resolves channel names through a [`ChannelDirectory`] and validates every row.
//! - [`job`] sends the valid rows as a bulk job: an IO-free state machine with the clock
//!   passed in, paced under the method's tier, retrying what may succeed, resumable from its
//!   saved JSON.

pub mod csv;
pub mod dates;
pub mod directory;
pub mod job;
pub mod preview;

pub use dates::parse_expiration;
pub use directory::ChannelDirectory;
pub use job::{
    results_csv, Counts, Job, JobRow, Outcome, OutcomeKind, Pacing, Progress, RowResult, RowState,
    Step,
};
pub use preview::{Context, Defaults, Mapping, PreviewRow, RowFields, Summary};

use crate::ids::{ChannelId, TeamId};
use crate::method::{Method, Tier};
use crate::methods::admin_users::AdminUsersInvite;
use crate::methods::users::UsersAdminInvite;
use crate::validate;
use crate::wire::Form;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of account the invitee gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberType {
    #[default]
    FullMember,
    /// `is_restricted` / `restricted`.
    MultiChannelGuest,
    /// `is_ultra_restricted` / `ultra_restricted`: exactly one channel.
    SingleChannelGuest,
}

impl MemberType {
    pub const ALL: [MemberType; 3] = [
        MemberType::FullMember,
        MemberType::MultiChannelGuest,
        MemberType::SingleChannelGuest,
    ];

    /// Reads the words people write in a CSV's type column, case-insensitively: `member`,
    /// `full`, `full member`, `regular`; `guest`, `multi`, `multi-channel guest`,
    /// `restricted`; `single`, `single-channel guest`, `ultra_restricted`.
    pub fn parse(text: &str) -> Option<MemberType> {
        let words: Vec<String> = text
            .trim()
            .to_lowercase()
            .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        match words.join(" ").as_str() {
            "member" | "full" | "full member" | "regular" | "regular member" | "fullmember" => {
                Some(MemberType::FullMember)
            }
            "guest"
            | "multi"
            | "multi channel"
            | "multi channel guest"
            | "multichannel guest"
            | "restricted"
            | "mcg" => Some(MemberType::MultiChannelGuest),
            "single"
            | "single channel"
            | "single channel guest"
            | "singlechannel guest"
            | "ultra restricted"
            | "ultrarestricted"
            | "scg" => Some(MemberType::SingleChannelGuest),
            _ => None,
        }
    }

    /// For display: "Full member", "Multi-channel guest", "Single-channel guest".
    pub const fn label(self) -> &'static str {
        match self {
            MemberType::FullMember => "Full member",
            MemberType::MultiChannelGuest => "Multi-channel guest",
            MemberType::SingleChannelGuest => "Single-channel guest",
        }
    }

    /// The word written in exported CSVs; [`MemberType::parse`] reads it back.
    pub const fn csv_word(self) -> &'static str {
        match self {
            MemberType::FullMember => "member",
            MemberType::MultiChannelGuest => "multi-channel guest",
            MemberType::SingleChannelGuest => "single-channel guest",
        }
    }

    pub const fn is_guest(self) -> bool {
        !matches!(self, MemberType::FullMember)
    }
}

impl fmt::Display for MemberType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One invitation, whichever method sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    /// The full name. `admin.users.invite` takes it as is; `users.admin.invite` gets it split
    /// into first and last name when those are not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default)]
    pub member_type: MemberType,
    #[serde(default)]
    pub channels: Vec<ChannelId>,
    /// Guests only: when the account is disabled, in seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_ts: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
    #[serde(default)]
    pub resend: bool,
}

impl Invitation {
    /// A full-member invitation of `email` with nothing else set.
    pub fn new(email: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            ..Self::default()
        }
    }

    /// The full name: `real_name`, else "first last"; `None` when there is no name at all.
    pub fn full_name(&self) -> Option<String> {
        if let Some(name) = non_empty(self.real_name.as_deref()) {
            return Some(name.to_owned());
        }
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .filter_map(non_empty)
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// First and last name: the given ones, else the full name split after its first word.
    pub fn name_parts(&self) -> (Option<String>, Option<String>) {
        let first = non_empty(self.first_name.as_deref()).map(str::to_owned);
        let last = non_empty(self.last_name.as_deref()).map(str::to_owned);
        if first.is_some() || last.is_some() {
            return (first, last);
        }
        match non_empty(self.real_name.as_deref()) {
            Some(full) => match full.split_once(char::is_whitespace) {
                Some((f, l)) => (Some(f.to_owned()), non_empty(Some(l)).map(str::to_owned)),
                None => (Some(full.to_owned()), None),
            },
            None => (None, None),
        }
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Which method sends invitations on this connection.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum InviteRoute {
    /// `admin.users.invite` into one workspace of an Enterprise Grid org.
    Admin { team_id: TeamId },
    /// `users.admin.invite` with a legacy token, into the token's workspace.
    Legacy,
}

impl InviteRoute {
    pub const fn method_name(&self) -> &'static str {
        match self {
            InviteRoute::Admin { .. } => AdminUsersInvite::NAME,
            InviteRoute::Legacy => UsersAdminInvite::NAME,
        }
    }

    /// The method's rate tier (both are Tier 2: about 20 a minute).
    pub const fn tier(&self) -> Tier {
        match self {
            InviteRoute::Admin { .. } => AdminUsersInvite::TIER,
            InviteRoute::Legacy => UsersAdminInvite::TIER,
        }
    }

    /// Whether the method needs at least one channel (`admin.users.invite` does).
    pub const fn needs_channel(&self) -> bool {
        matches!(self, InviteRoute::Admin { .. })
    }

    /// Whether the method can set a guest's expiration (`users.admin.invite` cannot).
    pub const fn sets_expiration(&self) -> bool {
        matches!(self, InviteRoute::Admin { .. })
    }
}

/// The form fields of the call that sends `inv` by `route` (the token is the transport's).
pub fn form(inv: &Invitation, route: &InviteRoute) -> Form {
    let channels = (!inv.channels.is_empty()).then(|| inv.channels.clone());
    let flag = |on: bool| on.then_some(true);
    let multi = inv.member_type == MemberType::MultiChannelGuest;
    let single = inv.member_type == MemberType::SingleChannelGuest;
    let message = non_empty(inv.custom_message.as_deref()).map(str::to_owned);
    match route {
        InviteRoute::Admin { team_id } => AdminUsersInvite {
            channel_ids: channels,
            email: inv.email.trim().to_owned(),
            team_id: team_id.clone(),
            custom_message: message,
            email_password_policy_enabled: None,
            guest_expiration_ts: inv
                .expiration_ts
                .filter(|_| inv.member_type.is_guest())
                .map(|ts| ts.to_string()),
            is_restricted: flag(multi),
            is_ultra_restricted: flag(single),
            real_name: inv.full_name(),
            resend: flag(inv.resend),
        }
        .form(),
        InviteRoute::Legacy => {
            let (first_name, last_name) = inv.name_parts();
            UsersAdminInvite {
                email: inv.email.trim().to_owned(),
                channels,
                first_name,
                last_name,
                resend: flag(inv.resend),
                restricted: flag(multi),
                ultra_restricted: flag(single),
                custom_message: message,
            }
            .form()
        }
    }
}

/// Which part of an invitation (or of a CSV row) a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Email,
    Name,
    FirstName,
    LastName,
    MemberType,
    Channels,
    Expiration,
    Message,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Email,
        Field::Name,
        Field::FirstName,
        Field::LastName,
        Field::MemberType,
        Field::Channels,
        Field::Expiration,
        Field::Message,
    ];

    /// For column headings and the mapping editor.
    pub const fn label(self) -> &'static str {
        match self {
            Field::Email => "Email",
            Field::Name => "Full name",
            Field::FirstName => "First name",
            Field::LastName => "Last name",
            Field::MemberType => "Type",
            Field::Channels => "Channels",
            Field::Expiration => "Expiration",
            Field::Message => "Message",
        }
    }
}

/// What is wrong with one field, as a sentence that says how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: Field,
    pub message: String,
}

impl Problem {
    pub fn new(field: Field, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Everything wrong with `inv` for `route` at `now_s` (seconds since the epoch), before
/// anything is sent: the address, the names' length, the member type against the channels and
/// the expiration, the custom message.
pub fn check(inv: &Invitation, route: &InviteRoute, now_s: i64) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    if let Err(e) = validate::email(&inv.email) {
        problems.push(Problem::new(Field::Email, e.to_string()));
    }
    check_all_but_email(inv, route, now_s, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// [`check`] without the address (the preview checks that once, itself).
pub(crate) fn check_all_but_email(
    inv: &Invitation,
    route: &InviteRoute,
    now_s: i64,
    problems: &mut Vec<Problem>,
) {
    let name_field = if non_empty(inv.real_name.as_deref()).is_some() {
        Field::Name
    } else {
        Field::FirstName
    };
    for (field, text) in [
        (Field::Name, inv.real_name.as_deref()),
        (Field::FirstName, inv.first_name.as_deref()),
        (Field::LastName, inv.last_name.as_deref()),
    ] {
        if let Some(Err(e)) = text.map(validate::real_name) {
            let message = e.to_string().replace("full name", field_noun(field));
            problems.push(Problem::new(field, message));
        }
    }
    if !problems.iter().any(|p| p.field != Field::Email) {
        if let Some(Err(e)) = inv.full_name().as_deref().map(validate::real_name) {
            problems.push(Problem::new(name_field, e.to_string()));
        }
    }
    let channels = inv.channels.len();
    for id in &inv.channels {
        if let Err(e) = validate::id::<ChannelId>(id.as_str()) {
            problems.push(Problem::new(Field::Channels, e.to_string()));
        }
    }
    if inv.member_type == MemberType::SingleChannelGuest && channels != 1 {
        problems.push(Problem::new(
            Field::Channels,
            if channels == 0 {
                "A single-channel guest needs exactly one channel, and none is chosen. Add one, or make them a multi-channel guest.".to_owned()
            } else {
                format!("A single-channel guest gets exactly one channel, and {channels} are chosen. Keep one, or make them a multi-channel guest.")
            },
        ));
    } else if channels == 0 && route.needs_channel() {
        problems.push(Problem::new(
            Field::Channels,
            "admin.users.invite needs at least one channel for the new person to join. Add one, for example #general (in a CSV import, default channels fill rows that leave them empty).",
        ));
    }
    if let Some(ts) = inv.expiration_ts {
        if !inv.member_type.is_guest() {
            problems.push(Problem::new(
                Field::Expiration,
                "Only guests can have an expiration date. Clear it, or make this person a multi-channel or single-channel guest.",
            ));
        } else if !route.sets_expiration() {
            problems.push(Problem::new(
                Field::Expiration,
                "users.admin.invite cannot set a guest expiration. Clear it here, and set it under Members once the guest has joined.",
            ));
        } else if let Err(e) = validate::expiration(ts, now_s) {
            problems.push(Problem::new(Field::Expiration, e.to_string()));
        }
    }
    if let Some(Err(e)) = inv.custom_message.as_deref().map(validate::custom_message) {
        problems.push(Problem::new(Field::Message, e.to_string()));
    }
}

fn field_noun(field: Field) -> &'static str {
    match field {
        Field::FirstName => "first name",
        Field::LastName => "last name",
        _ => "full name",
    }
}

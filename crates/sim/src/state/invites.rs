//! Invitations: `admin.users.invite`, the legacy `users.admin.invite`, and acceptance (an
//! invitee signing up), by the sim's clock or on request.

use super::{Code, Invitation, InviteState, Role, Tenant, User};
use crate::prng;
use slack_admin_core::methods::admin_invite_requests::InviteType;
use slack_admin_core::methods::admin_users::AdminUsersInvite;
use slack_admin_core::methods::users::UsersAdminInvite;
use slack_admin_core::validate;
use slack_admin_core::{ChannelId, TeamId, UserId};

/// `users.admin.invite` with `resend=true` within this many seconds of the last email:
/// `sent_recently`.
pub const RESEND_WINDOW: i64 = 3600;

/// What an invitation is made of, whichever method sent it.
#[derive(Clone, Debug)]
pub struct NewInvitation {
    pub team: TeamId,
    pub email: String,
    pub invite_type: InviteType,
    pub channel_ids: Vec<ChannelId>,
    pub inviter: Option<UserId>,
    pub real_name: Option<String>,
    pub guest_expiration_ts: Option<i64>,
}

/// Whether Slack would take this address: the rules of `slack_admin_core::validate::email`,
/// so the console and the sim agree (Slack refuses things like `qwe`).
pub fn email_is_valid(email: &str) -> bool {
    validate::email(email).is_ok()
}

/// When the sim accepts an invitation on the invitee's behalf: six in ten invitees sign up
/// 2 to 30 minutes after the email, the others never do. Decided by the address, so it does
/// not depend on the order of calls.
pub fn acceptance_time(seed: u64, email: &str, sent: i64) -> Option<i64> {
    let h = prng::hash(seed, &email.to_lowercase());
    (h % 100 < 60).then(|| sent + 120 + ((h / 100) % 1680) as i64)
}

impl Tenant {
    /// Sends an invitation email. No checks: callers check first.
    pub fn send_invitation(&mut self, new: NewInvitation, now: i64, seed: u64) -> u64 {
        let key = self.new_invitation_key();
        let accept_at = acceptance_time(seed, &new.email, now);
        let invitation = Invitation {
            id: format!("I{:08X}", 0x0B00_0000 + key),
            team_id: new.team,
            email: new.email,
            invite_type: new.invite_type,
            channel_ids: new.channel_ids,
            inviter_id: new.inviter,
            real_name: new.real_name,
            guest_expiration_ts: new.guest_expiration_ts,
            date_created: now,
            date_resent: None,
            accept_at,
            state: InviteState::Pending,
        };
        self.insert_invitation(key, invitation);
        key
    }

    /// Why `email` cannot be invited to `team` as a new user, if it cannot.
    fn existing_account(&self, email: &str) -> Result<(), Code> {
        match self.user_by_email(email) {
            Some(u) if !u.active => Err("user_disabled"),
            Some(_) => Err("already_in_team"),
            None => Ok(()),
        }
    }

    /// `admin.users.invite`.
    pub fn admin_invite(
        &mut self,
        caller: &UserId,
        req: &AdminUsersInvite,
        now: i64,
        seed: u64,
    ) -> Result<u64, Code> {
        let team = self.workspace(req.team_id.as_str())?;
        self.require_admin(caller, "not_an_admin")?;
        let email = req.email.trim();
        if !email_is_valid(email) {
            return Err("invalid_email");
        }
        let invite_type = match (req.is_restricted, req.is_ultra_restricted) {
            (_, Some(true)) => InviteType::UltraRestricted,
            (Some(true), _) => InviteType::Restricted,
            _ => InviteType::FullMember,
        };
        let channels = req.channel_ids.clone().unwrap_or_default();
        if channels.is_empty()
            || self.channels_of_team(&channels, &team).is_err()
            || (invite_type == InviteType::UltraRestricted && channels.len() != 1)
        {
            return Err("failed_to_validate_channels");
        }
        let expiration = match req.guest_expiration_ts.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match text.parse::<f64>() {
                Ok(ts) if ts.is_finite() && invite_type != InviteType::FullMember => Some(
                    validate::expiration(ts as i64, now)
                        .map_err(|_| "failed_to_validate_expiration")?,
                ),
                _ => return Err("failed_to_validate_expiration"),
            },
        };
        if let Some(m) = req.custom_message.as_deref() {
            validate::custom_message(m).map_err(|_| "failed_to_validate_custom_message")?;
        }
        self.existing_account(email)?;
        if self.pending_invitation(email, &team).is_some() {
            return Err("already_in_team_invited_user");
        }
        let real_name = req
            .real_name
            .as_deref()
            .map(real_name_text)
            .filter(|s| !s.is_empty());
        Ok(self.send_invitation(
            NewInvitation {
                team,
                email: email.to_owned(),
                invite_type,
                channel_ids: channels,
                inviter: Some(caller.clone()),
                real_name,
                guest_expiration_ts: expiration,
            },
            now,
            seed,
        ))
    }

    /// `users.admin.invite` (legacy tokens), into the token's workspace.
    pub fn legacy_invite(
        &mut self,
        caller: &UserId,
        team: &TeamId,
        req: &UsersAdminInvite,
        now: i64,
        seed: u64,
    ) -> Result<(), Code> {
        let email = req.email.trim();
        if !email_is_valid(email) {
            return Err("invalid_email");
        }
        let channels = req.channels.clone().unwrap_or_default();
        if self.channels_of_team(&channels, team).is_err() {
            return Err("channel_not_found");
        }
        let invite_type = match (req.restricted, req.ultra_restricted) {
            (_, Some(true)) => InviteType::UltraRestricted,
            (Some(true), _) => InviteType::Restricted,
            _ => InviteType::FullMember,
        };
        let sso = self.team(team).is_some_and(|t| t.sso);
        if sso && invite_type == InviteType::FullMember {
            return Err("not_allowed");
        }
        self.existing_account(email)?;
        if let Some(key) = self.pending_invitation(email, team) {
            if req.resend != Some(true) {
                return Err("already_invited");
            }
            let inv = self.invitations.get_mut(&key).expect("indexed");
            if now - inv.last_sent() < RESEND_WINDOW {
                return Err("sent_recently");
            }
            inv.date_resent = Some(now);
            return Ok(());
        }
        let real_name = [req.first_name.as_deref(), req.last_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        self.send_invitation(
            NewInvitation {
                team: team.clone(),
                email: email.to_owned(),
                invite_type,
                channel_ids: channels,
                inviter: Some(caller.clone()),
                real_name: (!real_name.is_empty()).then_some(real_name),
                guest_expiration_ts: None,
            },
            now,
            seed,
        );
        Ok(())
    }

    /// The invitee signs up: the invitation becomes a member of its workspace.
    pub fn accept_invitation(&mut self, key: u64, now: i64) -> Result<UserId, Code> {
        let inv = self
            .invitations
            .get(&key)
            .ok_or("invite_not_found")?
            .clone();
        if inv.state != InviteState::Pending {
            return Err("already_accepted");
        }
        if let Some(at) = inv.accept_at {
            self.acceptances.remove(&(at, key));
        }
        let id = match self.user_by_email(&inv.email).map(|u| u.id.clone()) {
            Some(id) => {
                let user = self.users.get_mut(&id).expect("indexed");
                if !user.in_team(&inv.team_id) {
                    user.workspaces.push(inv.team_id.clone());
                }
                id
            }
            None => {
                let id = self.next_user_id();
                let user = self.user_from_invitation(&inv, id.clone(), now);
                self.insert_user(user);
                id
            }
        };
        self.join_channels(&inv.channel_ids);
        self.invitations.get_mut(&key).expect("exists").state = InviteState::Accepted(id.clone());
        Ok(id)
    }

    /// Accepts every pending invitation of `email`.
    pub fn accept_email(&mut self, email: &str, now: i64) -> Result<UserId, Code> {
        let keys: Vec<u64> = self
            .invitations_by_email
            .get(&email.trim().to_lowercase())
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|k| self.invitations[k].state == InviteState::Pending)
            .collect();
        let mut last = Err("invite_not_found");
        for k in keys {
            last = self.accept_invitation(k, now);
        }
        last
    }

    fn user_from_invitation(&self, inv: &Invitation, id: UserId, now: i64) -> User {
        let local = inv.email.split('@').next().unwrap_or_default();
        let real_name = inv.real_name.clone().unwrap_or_else(|| {
            local
                .split(['.', '_', '-'])
                .filter(|p| !p.is_empty())
                .map(capitalize)
                .collect::<Vec<_>>()
                .join(" ")
        });
        let mut parts = real_name.splitn(2, ' ');
        let first = parts.next().unwrap_or_default().to_owned();
        let last = parts.next().unwrap_or_default().to_owned();
        User {
            id,
            email: inv.email.clone(),
            username: self.free_username(local),
            display_name: first.clone(),
            real_name,
            first_name: first,
            last_name: last,
            role: Role::of_invite(inv.invite_type),
            org_level: false,
            is_bot: false,
            bot_id: None,
            workspaces: vec![inv.team_id.clone()],
            active: true,
            date_created: now,
            deactivated_ts: None,
            expiration_ts: inv.guest_expiration_ts,
            has_2fa: false,
            has_sso: self.team(&inv.team_id).is_some_and(|t| t.sso),
        }
    }

    /// `wanted`, or `wanted2`, `wanted3`… whichever no user has.
    pub fn free_username(&self, wanted: &str) -> String {
        let base: String = wanted
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .collect();
        let base = if base.is_empty() {
            "user".to_owned()
        } else {
            base
        };
        let taken = |name: &str| self.users.values().any(|u| u.username == name);
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|c| !taken(c))
            .expect("some suffix is free")
    }
}

/// `real_name` of `admin.users.invite`: plain text, or Slack's `{"full_name": "…"}` example.
fn real_name_text(raw: &str) -> String {
    let raw = raw.trim();
    if raw.starts_with('{') {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(raw) {
            if let Some(serde_json::Value::String(s)) = map.get("full_name") {
                return s.trim().to_owned();
            }
        }
    }
    raw.to_owned()
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rules() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org", "o'neil@x.io"] {
            assert!(email_is_valid(ok), "{ok}");
        }
        for bad in [
            "qwe", "", "a@b", "@b.co", "a@.co", "a b@c.co", "a@b..co", ".a@b.co", "a@@b.co",
        ] {
            assert!(!email_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn real_name_accepts_slacks_json_example() {
        assert_eq!(real_name_text(r#"{"full_name":"Joe Smith"}"#), "Joe Smith");
        assert_eq!(real_name_text(" Ana "), "Ana");
    }
}

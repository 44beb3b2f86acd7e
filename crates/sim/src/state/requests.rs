//! Invite requests: members ask, admins approve (the request becomes an invitation and moves
//! to the approved list) or deny (it moves to the denied list). Deciding twice:
//! `already_processed`.

use super::invites::NewInvitation;
use super::{request_id, request_number, Code, Tenant};
use slack_admin_core::methods::admin_invite_requests::{
    Actor, ApprovedRequest, DeniedRequest, Invite, InvitePreferences, InviteRequest, InviteType,
    RequestTeam,
};
use slack_admin_core::{ChannelId, InviteRequestId, TeamId, UserId};

/// A request a member makes (the sim's `/sim/invite_request`, or the fixture).
#[derive(Clone, Debug)]
pub struct NewRequest {
    pub team: TeamId,
    pub email: String,
    pub real_name: String,
    pub invite_type: InviteType,
    pub channel_ids: Vec<ChannelId>,
    pub requester: UserId,
    pub reason: String,
}

/// Requests expire a month after they are made.
pub const REQUEST_LIFETIME: i64 = 30 * 86_400;

impl Tenant {
    /// Files a pending request and returns it.
    pub fn add_request(&mut self, new: NewRequest, now: i64) -> Result<InviteRequest, Code> {
        let team = self.team(&new.team).ok_or("team_not_found")?;
        let team = RequestTeam {
            id: team.id.clone(),
            name: team.name.clone(),
            domain: team.domain.clone(),
        };
        let n = self.next_request;
        self.next_request += 1;
        let request = InviteRequest {
            id: InviteRequestId(request_id(n)),
            email: new.email,
            date_created: now,
            requester_ids: vec![new.requester],
            channel_ids: new.channel_ids,
            invite_type: new.invite_type,
            real_name: new.real_name,
            date_expire: now + REQUEST_LIFETIME,
            request_reason: new.reason,
            team: Some(team),
        };
        self.requests.insert(n, request.clone());
        Ok(request)
    }

    /// Finds a request by ID, pending or decided, checking the optional `team_id`.
    fn find_request(&self, id: &str, team_id: Option<&str>) -> Result<(u64, bool), Code> {
        self.require_team_id(team_id)?;
        if let Some(t) = team_id.filter(|t| !t.is_empty()) {
            self.workspace(t)?;
        }
        let n = request_number(id.trim()).ok_or("invalid_request")?;
        let same_team = |r: &InviteRequest| match (team_id.filter(|t| !t.is_empty()), &r.team) {
            (Some(t), Some(rt)) => rt.id.as_str() == t,
            _ => true,
        };
        if let Some(r) = self.requests.get(&n) {
            return if same_team(r) {
                Ok((n, true))
            } else {
                Err("invalid_request")
            };
        }
        let decided = self
            .approved
            .values()
            .map(|a| &a.invite_request)
            .chain(self.denied.values().map(|d| &d.invite_request))
            .any(|r| r.id.as_str() == id.trim() && same_team(r));
        if decided {
            Ok((n, false))
        } else {
            Err("invalid_request")
        }
    }

    /// `admin.inviteRequests.approve`.
    pub fn approve_request(
        &mut self,
        caller: &UserId,
        id: &str,
        team_id: Option<&str>,
        now: i64,
        seed: u64,
    ) -> Result<(), Code> {
        let (n, pending) = self.find_request(id, team_id)?;
        self.require_admin(caller, "not_an_admin")?;
        if !pending {
            return Err("already_processed");
        }
        let request = self.requests[&n].clone();
        let team = request
            .team
            .as_ref()
            .map(|t| t.id.clone())
            .ok_or("team_not_found")?;
        // The invitation itself can still fail: the address joined or was deactivated since.
        if self.user_by_email(&request.email).is_some() {
            return Err("failed_to_send_invite");
        }
        let key = match self.pending_invitation(&request.email, &team) {
            Some(k) => k,
            None => self.send_invitation(
                NewInvitation {
                    team,
                    email: request.email.clone(),
                    invite_type: request.invite_type,
                    channel_ids: request.channel_ids.clone(),
                    inviter: Some(caller.clone()),
                    real_name: Some(request.real_name.clone()).filter(|s| !s.is_empty()),
                    guest_expiration_ts: None,
                },
                now,
                seed,
            ),
        };
        let inv = &self.invitations[&key];
        let invite = Invite {
            id: inv.id.clone(),
            email: inv.email.clone(),
            date_created: inv.date_created,
            inviter_id: inv.inviter_id.clone(),
            invite_preferences: InvitePreferences::new(inv.invite_type, inv.channel_ids.clone()),
            is_bouncing: false,
            date_resent: inv.date_resent,
        };
        self.requests.remove(&n);
        let d = self.next_decision;
        self.next_decision += 1;
        self.approved.insert(
            d,
            ApprovedRequest {
                approved_by: Actor {
                    actor_id: caller.clone(),
                    actor_type: "user".into(),
                },
                invite: Some(invite),
                invite_request: request,
            },
        );
        Ok(())
    }

    /// `admin.inviteRequests.deny`.
    pub fn deny_request(
        &mut self,
        caller: &UserId,
        id: &str,
        team_id: Option<&str>,
    ) -> Result<(), Code> {
        let (n, pending) = self.find_request(id, team_id)?;
        self.require_admin(caller, "not_an_admin")?;
        if !pending {
            return Err("already_processed");
        }
        let request = self.requests.remove(&n).expect("pending");
        let d = self.next_decision;
        self.next_decision += 1;
        self.denied.insert(
            d,
            DeniedRequest {
                denied_by: Actor {
                    actor_id: caller.clone(),
                    actor_type: "user".into(),
                },
                invite_request: request,
            },
        );
        Ok(())
    }
}

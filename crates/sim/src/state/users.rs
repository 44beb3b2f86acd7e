//! Users: role changes, removal, assignment to workspaces, guest expiration.

use super::{Code, Role, Tenant, User};
use slack_admin_core::{ChannelId, TeamId, UserId};

/// Where a role change applies: the whole org, or one workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Org,
    Team(TeamId),
}

impl Tenant {
    /// The caller's role, if the caller is an active user here.
    pub fn caller_role(&self, caller: &UserId) -> Option<Role> {
        self.users.get(caller).filter(|u| u.active).map(|u| u.role)
    }

    /// Refuses with `code` unless the caller is an active admin or owner.
    pub fn require_admin(&self, caller: &UserId, code: Code) -> Result<(), Code> {
        match self.caller_role(caller) {
            Some(r) if r.is_admin() => Ok(()),
            _ => Err(code),
        }
    }

    /// A `team_id` that may name the org or one of its workspaces.
    pub fn scope(&self, team_id: &str) -> Result<Scope, Code> {
        if self.is_org_id(team_id) {
            Ok(Scope::Org)
        } else if self.teams.iter().any(|t| t.id.as_str() == team_id) {
            Ok(Scope::Team(TeamId::new(team_id)))
        } else {
            Err("team_not_found")
        }
    }

    /// A workspace of this tenant.
    pub fn workspace(&self, team_id: &str) -> Result<TeamId, Code> {
        match self.scope(team_id)? {
            Scope::Team(t) => Ok(t),
            Scope::Org => Err("team_not_found"),
        }
    }

    fn target(&self, user_id: &UserId, scope: &Scope) -> Result<&User, Code> {
        let user = self.users.get(user_id).ok_or("user_not_found")?;
        if let Scope::Team(t) = scope {
            if !user.in_team(t) && !user.workspaces.is_empty() {
                return Err("user_not_found");
            }
        }
        Ok(user)
    }

    /// `admin.users.setAdmin`.
    pub fn set_admin(
        &mut self,
        caller: &UserId,
        team_id: &str,
        user_id: &UserId,
    ) -> Result<(), Code> {
        let scope = self.scope(team_id)?;
        self.require_admin(caller, "not_an_admin")?;
        let user = self.target(user_id, &scope)?;
        if user.role == Role::PrimaryOwner {
            return Err("cannot_modify_primary_owner");
        }
        if user.is_bot || user.role.is_guest() || !user.active {
            return Err("invalid_role_for_user");
        }
        let user = self.users.get_mut(user_id).expect("checked above");
        user.role = Role::Admin;
        user.org_level = scope == Scope::Org;
        Ok(())
    }

    /// `admin.users.setOwner`: only owners may make owners.
    pub fn set_owner(
        &mut self,
        caller: &UserId,
        team_id: &str,
        user_id: &UserId,
    ) -> Result<(), Code> {
        let scope = self.scope(team_id)?;
        self.require_admin(caller, "not_an_admin")?;
        if !self.caller_role(caller).is_some_and(Role::is_owner) {
            return Err("not_an_owner");
        }
        let user = self.target(user_id, &scope)?;
        if user.role == Role::PrimaryOwner {
            return Err("cannot_modify_primary_owner");
        }
        if user.is_bot || user.role.is_guest() || !user.active {
            return Err("invalid_role_for_user");
        }
        if user.workspaces.is_empty() {
            return Err("user_must_be_in_workspace");
        }
        let user = self.users.get_mut(user_id).expect("checked above");
        user.role = Role::Owner;
        user.org_level = scope == Scope::Org;
        Ok(())
    }

    /// `admin.users.setRegular`: a guest, admin or owner becomes a full member.
    pub fn set_regular(
        &mut self,
        caller: &UserId,
        team_id: &str,
        user_id: &UserId,
    ) -> Result<(), Code> {
        let scope = self.scope(team_id)?;
        self.require_admin(caller, "not_an_admin")?;
        let user = self.target(user_id, &scope)?;
        if user.role == Role::PrimaryOwner {
            return Err("cannot_modify_primary_owner");
        }
        if user.is_bot || !user.active {
            return Err("failed_to_set_user_to_regular");
        }
        if let Scope::Team(_) = scope {
            if user.role.is_admin() && user.org_level {
                return Err("cannot_set_org_admin_to_regular_at_workspace_level");
            }
            if user.role.is_guest() && user.workspaces.len() > 1 {
                return Err("cannot_set_this_guest_to_regular_at_team_level");
            }
        }
        let user = self.users.get_mut(user_id).expect("checked above");
        if let Some(ts) = user.expiration_ts.take() {
            self.expirations.remove(&(ts, user.id.clone()));
        }
        user.role = Role::Regular;
        user.org_level = false;
        Ok(())
    }

    /// `admin.users.remove`: takes the user off one workspace (the account stays in the org).
    pub fn remove_user(
        &mut self,
        caller: &UserId,
        team_id: &str,
        user_id: &UserId,
    ) -> Result<(), Code> {
        let team = self.workspace(team_id)?;
        self.require_admin(caller, "invalid_permissions")?;
        let user = self.users.get(user_id).ok_or("user_not_found")?;
        if user.role == Role::PrimaryOwner {
            return Err("cannot_modify_primary_owner");
        }
        if !user.active {
            return Err("user_already_deleted");
        }
        if !user.in_team(&team) {
            return Err("user_not_found");
        }
        let user = self.users.get_mut(user_id).expect("checked above");
        user.workspaces.retain(|t| t != &team);
        Ok(())
    }

    /// `admin.users.assign`: adds an org user to a workspace (reactivating a deactivated one).
    pub fn assign_user(
        &mut self,
        caller: &UserId,
        team_id: &str,
        user_id: &UserId,
        channel_ids: &[ChannelId],
        guest: Option<Role>,
    ) -> Result<(), Code> {
        let team = self.workspace(team_id)?;
        self.require_admin(caller, "not_an_admin")?;
        let user = self.users.get(user_id).ok_or("user_not_found")?;
        if user.is_bot {
            return Err("user_is_bot");
        }
        if user.active && user.in_team(&team) {
            return Err("user_already_team_member");
        }
        match guest {
            Some(_) if !user.role.is_guest() => return Err("invalid_role_for_user"),
            None if user.role.is_guest() => return Err("invalid_role_for_user"),
            _ => {}
        }
        if self.channels_of_team(channel_ids, &team).is_err() {
            return Err("channel_not_found");
        }
        let user = self.users.get_mut(user_id).expect("checked above");
        if !user.active {
            user.active = true;
            user.deactivated_ts = None;
        }
        if let Some(role) = guest {
            user.role = role;
        }
        if !user.in_team(&team) {
            user.workspaces.push(team);
        }
        self.join_channels(channel_ids);
        Ok(())
    }

    /// `admin.users.setExpiration`.
    pub fn set_expiration(
        &mut self,
        caller: &UserId,
        team_id: Option<&str>,
        user_id: &UserId,
        expiration_ts: i64,
        now: i64,
    ) -> Result<(), Code> {
        let team_id = match team_id {
            Some(t) if !t.is_empty() => t,
            _ if self.is_grid() => return Err("team_id_required_for_enterprise"),
            _ => self.teams[0].id.as_str(),
        };
        let scope = self.scope(team_id)?;
        self.require_admin(caller, "failed_to_validate_caller")?;
        let user = self.target(user_id, &scope)?;
        if !user.active {
            return Err("user_is_deactivated");
        }
        if !user.role.is_guest() {
            return Err("user_is_not_a_guest");
        }
        if expiration_ts <= now {
            return Err("failed_to_validate_expiration");
        }
        // "Expiration is applied on an hourly schedule": 11:10 takes effect at 12:00.
        let expiration_ts = on_the_hour(expiration_ts);
        let user = self.users.get_mut(user_id).expect("checked above");
        if let Some(old) = user.expiration_ts.replace(expiration_ts) {
            self.expirations.remove(&(old, user.id.clone()));
        }
        self.expirations.insert((expiration_ts, user_id.clone()));
        Ok(())
    }

    /// `admin.users.getExpiration`.
    pub fn get_expiration(
        &self,
        caller: &UserId,
        target_team: Option<&str>,
        user_id: Option<&UserId>,
    ) -> Result<&User, Code> {
        if let Some(t) = target_team.filter(|t| !t.is_empty()) {
            if self.scope(t).is_err() {
                return Err("target_team_not_on_org");
            }
        }
        self.require_admin(caller, "no_perms")?;
        let user = user_id
            .and_then(|id| self.users.get(id))
            .ok_or("user_not_found")?;
        if !user.role.is_guest() {
            return Err("user_is_not_guest");
        }
        Ok(user)
    }

    /// Deactivates an account (SCIM `DELETE`).
    pub fn deactivate(&mut self, user_id: &UserId, now: i64) -> Result<(), Code> {
        let user = self.users.get_mut(user_id).ok_or("user_not_found")?;
        if user.role == Role::PrimaryOwner {
            return Err("cannot_modify_primary_owner");
        }
        if user.active {
            user.active = false;
            user.deactivated_ts = Some(now);
        }
        Ok(())
    }

    /// Reactivates an account (SCIM `active: true`).
    pub fn reactivate(&mut self, user_id: &UserId) -> Result<(), Code> {
        let user = self.users.get_mut(user_id).ok_or("user_not_found")?;
        user.active = true;
        user.deactivated_ts = None;
        Ok(())
    }
}

/// The hour at or after `ts`, when Slack applies a guest expiration.
pub fn on_the_hour(ts: i64) -> i64 {
    ts.div_euclid(3600) * 3600 + if ts.rem_euclid(3600) == 0 { 0 } else { 3600 }
}

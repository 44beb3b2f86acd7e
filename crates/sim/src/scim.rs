//! SCIM v2 at `/scim/v2/Users` (Bearer token of an admin, Business+ or Enterprise): create,
//! list (with `startIndex`, `count` and a simple `filter`), read, update, deactivate.
//!
//! Errors carry the SCIM v2 fields (`schemas`, `detail`, `status`) and Slack's `Errors`
//! object, which the official SDK reads.

use crate::auth::{self, TokenKind};
use crate::http::{bearer, split_path};
use crate::rate::RateLimiter;
use crate::state::{Plan, Role, State, Tenant, User};
use crate::Request;
use serde_json::{json, Map, Value};
use slack_admin_core::scim::ScimUserCreate;
use slack_admin_core::{Form, HttpResponse, UserId};

pub use slack_admin_core::scim::{
    SCHEMA_ERROR as ERROR_SCHEMA, SCHEMA_LIST_RESPONSE as LIST_SCHEMA, SCHEMA_USER as USER_SCHEMA,
};
pub const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const BASE: &str = "https://api.slack.com/scim/v2/";

/// A SCIM error answer.
pub fn error(status: u16, detail: &str, scim_type: Option<&str>) -> HttpResponse {
    let mut body = json!({
        "schemas": [ERROR_SCHEMA],
        "status": status.to_string(),
        "detail": detail,
        "Errors": { "code": status, "description": detail },
    });
    if let Some(t) = scim_type {
        body["scimType"] = t.into();
    }
    scim_json(status, &body)
}

fn scim_json(status: u16, body: &Value) -> HttpResponse {
    let mut r = HttpResponse::json(status, body);
    r.headers[0].1 = "application/scim+json; charset=utf-8".into();
    r
}

/// Serves `/scim/v2/<rest>`.
pub fn handle(
    state: &mut State,
    rate: &mut RateLimiter,
    request: &Request,
    rest: &str,
    now_ms: u64,
) -> HttpResponse {
    let Some(token_text) = bearer(request) else {
        return error(401, "not_authed", None);
    };
    let Some(token) = auth::find(&token_text) else {
        return error(401, "invalid_authentication", None);
    };
    let tenant = &mut state.tenants[token.tenant];
    if token.kind == TokenKind::Bot {
        return error(403, "not_allowed_token_type", None);
    }
    if !matches!(tenant.plan, Plan::BusinessPlus | Plan::Enterprise) {
        return error(
            403,
            "The SCIM API is only available on Business+ and Enterprise plans",
            None,
        );
    }
    if tenant.require_admin(&UserId::new(token.user), "").is_err() {
        return error(403, "insufficient_permissions", None);
    }
    // SCIM needs the `admin` scope itself (a legacy token's `client` does not cover it).
    if !token.scopes.contains(&"admin") {
        return error(
            403,
            "missing_scope: the SCIM API needs a token with the admin scope",
            None,
        );
    }
    let method = request.method.to_ascii_uppercase();
    // Org-wide, across every SCIM app of the org (docs.slack.dev/reference/scim-api/
    // rate-limits): writes 600 a minute (burst 180) in all; each of POST, PUT/PATCH and
    // DELETE 180 a minute (burst 20); a single user's GET 300 a minute. Lists are not named
    // there: 300 a minute too.
    let org = format!("scim-org-{}", token.tenant);
    let endpoint = match method.as_str() {
        "GET" => ("scim:get", 300, 300),
        "POST" => ("scim:post", 180, 20),
        "DELETE" => ("scim:delete", 180, 20),
        _ => ("scim:put-patch", 180, 20),
    };
    let writes = (method != "GET").then_some(("scim:writes", 600, 180));
    for (bucket, per_minute, burst) in writes.into_iter().chain([endpoint]) {
        if let Err(retry) = rate.check_burst(&org, bucket, per_minute, burst, now_ms) {
            let mut r = error(429, "rate_limited", None);
            r.headers.push(("retry-after".into(), retry.to_string()));
            return r;
        }
    }
    let now = (now_ms / 1000) as i64;
    let rest = rest.trim_end_matches('/');
    let (resource, id) = match rest.split_once('/') {
        Some((r, id)) => (r, Some(id)),
        None => (rest, None),
    };
    if resource != "Users" {
        return error(404, "resource not found", None);
    }
    match (method.as_str(), id) {
        ("GET", None) => list(tenant, request),
        ("POST", None) => create(tenant, request, now),
        ("GET", Some(id)) => match visible(tenant, id) {
            Some(u) => scim_json(200, &resource_of(u)),
            None => error(404, "user not found", None),
        },
        ("DELETE", Some(id)) => {
            if visible(tenant, id).is_none() {
                return error(404, "user not found", None);
            }
            match tenant.deactivate(&UserId::new(id), now) {
                Ok(()) => HttpResponse {
                    status: 204,
                    headers: Vec::new(),
                    body: Vec::new(),
                },
                Err(code) => error(403, code, None),
            }
        }
        ("PATCH" | "PUT", Some(id)) => update(tenant, request, id, now),
        _ => error(405, "method not allowed", None),
    }
}

fn visible<'a>(tenant: &'a Tenant, id: &str) -> Option<&'a User> {
    tenant.user(&UserId::new(id)).filter(|u| !u.is_bot)
}

/// Seconds since the epoch as `2024-03-01T12:00:00Z` (core's `validate::utc` does the
/// calendar; this adds seconds and RFC 3339's shape).
pub fn iso8601(ts: i64) -> String {
    let text = slack_admin_core::validate::utc(ts); // "2024-03-01 12:00 UTC"
    format!(
        "{}T{}:{:02}Z",
        &text[..10],
        &text[11..16],
        ts.rem_euclid(60)
    )
}

pub fn resource_of(u: &User) -> Value {
    let user_type = match u.role {
        Role::PrimaryOwner => "Primary Owner",
        Role::Owner => "Owner",
        Role::Admin => "Admin",
        Role::Regular => "User",
        Role::Guest => "Multi-Channel Guest",
        Role::SingleChannelGuest => "Single-Channel Guest",
    };
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
        "id": u.id,
        "externalId": "",
        "userName": u.username,
        "nickName": u.username,
        "name": { "givenName": u.first_name, "familyName": u.last_name },
        "displayName": u.display_name,
        "userType": user_type,
        "active": u.active,
        "emails": [{ "value": u.email, "primary": true, "type": "work" }],
        "photos": [],
        "groups": [],
        "meta": { "created": iso8601(u.date_created), "location": format!("{BASE}Users/{}", u.id) },
    })
}

/// A `filter` of the form `attribute op "value"` (op: eq, co, sw).
struct Filter {
    attribute: String,
    op: String,
    value: String,
}

fn parse_filter(text: &str) -> Option<Filter> {
    let text = text.trim();
    let (attribute, rest) = text.split_once(char::is_whitespace)?;
    let (op, value) = rest.trim().split_once(char::is_whitespace)?;
    let value = value.trim();
    let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        // Quotes and backslashes inside are escaped (`slack_admin_core::scim::eq_filter`).
        Some(v) => v.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => value.to_owned(),
    };
    let op = op.to_ascii_lowercase();
    matches!(op.as_str(), "eq" | "co" | "sw").then(|| Filter {
        attribute: attribute.to_ascii_lowercase(),
        op,
        value,
    })
}

impl Filter {
    /// The attributes a filter may name (lower-cased).
    const ATTRIBUTES: &'static [&'static str] = &[
        "username",
        "emails",
        "emails.value",
        "email",
        "displayname",
        "id",
        "active",
        "externalid",
    ];

    fn valid(&self) -> bool {
        Self::ATTRIBUTES.contains(&self.attribute.as_str())
    }

    fn field(&self, u: &User) -> Option<String> {
        Some(match self.attribute.as_str() {
            "username" => u.username.clone(),
            "emails" | "emails.value" | "email" => u.email.clone(),
            "displayname" => u.display_name.clone(),
            "id" => u.id.0.clone(),
            "active" => u.active.to_string(),
            "externalid" => String::new(),
            _ => return None,
        })
    }

    fn matches(&self, u: &User) -> bool {
        let Some(field) = self.field(u) else {
            return false;
        };
        let (f, v) = (field.to_lowercase(), self.value.to_lowercase());
        match self.op.as_str() {
            "eq" => f == v,
            "co" => f.contains(&v),
            _ => f.starts_with(&v),
        }
    }
}

fn list(tenant: &Tenant, request: &Request) -> HttpResponse {
    let (_, query) = split_path(&request.path);
    let q = Form::parse(query);
    let start: usize = match q.get("startIndex").map(str::parse::<i64>) {
        None => 1,
        Some(Ok(n)) => n.max(1) as usize,
        Some(Err(_)) => return error(400, "startIndex must be a number", Some("invalidValue")),
    };
    // Slack's SCIM pages hold 10 users unless asked; above 1000 is read as 1000.
    let count: usize = match q.get("count").map(str::parse::<i64>) {
        None => 10,
        Some(Ok(n)) => n.clamp(0, 1000) as usize,
        Some(Err(_)) => return error(400, "count must be a number", Some("invalidValue")),
    };
    let filter = match q.get("filter").filter(|f| !f.trim().is_empty()) {
        None => None,
        Some(text) => match parse_filter(text).filter(Filter::valid) {
            Some(f) => Some(f),
            None => return error(400, "unsupported filter", Some("invalidFilter")),
        },
    };
    let matching = tenant
        .users
        .values()
        .filter(|u| !u.is_bot && filter.as_ref().is_none_or(|f| f.matches(u)));
    let mut total = 0usize;
    let mut resources = Vec::new();
    for (i, u) in matching.enumerate() {
        total += 1;
        if i + 1 >= start && resources.len() < count {
            resources.push(resource_of(u));
        }
    }
    scim_json(
        200,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "itemsPerPage": resources.len(),
            "startIndex": start,
            "Resources": resources,
        }),
    )
}

fn body_object(request: &Request) -> Result<Map<String, Value>, HttpResponse> {
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(error(
            400,
            "the body is not a JSON object",
            Some("invalidSyntax"),
        )),
    }
}

fn create(tenant: &mut Tenant, request: &Request, now: i64) -> HttpResponse {
    let body: ScimUserCreate = match serde_json::from_slice(&request.body) {
        Ok(b) => b,
        Err(e) => return error(400, &format!("invalid user: {e}"), Some("invalidValue")),
    };
    let user_name = body.user_name.trim();
    if user_name.is_empty() {
        return error(400, "userName is required", Some("invalidValue"));
    }
    let Some(email) = body
        .emails
        .iter()
        .find(|e| e.primary == Some(true))
        .or_else(|| body.emails.first())
        .map(|e| e.value.trim().to_owned())
    else {
        return error(400, "at least one email is required", Some("invalidValue"));
    };
    if !crate::state::invites::email_is_valid(&email) {
        return error(400, "invalid_email", Some("invalidValue"));
    }
    if tenant.user_by_email(&email).is_some() {
        return error(409, "email_taken", Some("uniqueness"));
    }
    if tenant
        .users
        .values()
        .any(|u| u.username.eq_ignore_ascii_case(user_name))
    {
        return error(409, "username_taken", Some("uniqueness"));
    }
    let name = body.name.clone().unwrap_or_default();
    let given = name.given_name.unwrap_or_default();
    let family = name.family_name.unwrap_or_default();
    let display = body.display_name.clone().unwrap_or_else(|| given.clone());
    let real_name = [given.as_str(), family.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let team = tenant.teams[0].clone();
    let id = tenant.next_user_id();
    let active = body.active.unwrap_or(true);
    let user = User {
        id: id.clone(),
        email,
        username: user_name.to_owned(),
        real_name: if real_name.is_empty() {
            display.clone()
        } else {
            real_name
        },
        display_name: display,
        first_name: given,
        last_name: family,
        role: Role::Regular,
        org_level: false,
        is_bot: false,
        bot_id: None,
        workspaces: vec![team.id.clone()],
        active,
        date_created: now,
        deactivated_ts: (!active).then_some(now),
        expiration_ts: None,
        has_2fa: false,
        has_sso: team.sso,
    };
    tenant.insert_user(user);
    let mut r = scim_json(201, &resource_of(&tenant.users[&id]));
    r.headers
        .push(("location".into(), format!("{BASE}Users/{id}")));
    r
}

fn update(tenant: &mut Tenant, request: &Request, id: &str, now: i64) -> HttpResponse {
    if visible(tenant, id).is_none() {
        return error(404, "user not found", None);
    }
    let body = match body_object(request) {
        Ok(b) => b,
        Err(r) => return r,
    };
    // SCIM v2 PatchOp, or a partial user (as v1 clients send).
    let mut changes: Vec<(String, Value)> = Vec::new();
    if let Some(ops) = body.get("Operations").and_then(Value::as_array) {
        for op in ops {
            let kind = op
                .get("op")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_lowercase();
            if !matches!(kind.as_str(), "replace" | "add") {
                return error(
                    400,
                    "only replace and add are supported",
                    Some("invalidSyntax"),
                );
            }
            match (op.get("path").and_then(Value::as_str), op.get("value")) {
                (Some(path), Some(v)) => changes.push((path.to_owned(), v.clone())),
                (None, Some(Value::Object(m))) => {
                    changes.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())))
                }
                _ => return error(400, "an operation needs a value", Some("invalidSyntax")),
            }
        }
    } else {
        changes.extend(body.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let uid = UserId::new(id);
    for (path, value) in changes {
        let result = match path.as_str() {
            "active" => match value.as_bool() {
                Some(true) => tenant.reactivate(&uid),
                Some(false) => tenant.deactivate(&uid, now),
                None => Err("active must be a boolean"),
            },
            "userName" | "displayName" | "name.givenName" | "name.familyName" => {
                let text = value.as_str().unwrap_or_default().to_owned();
                let u = tenant.users.get_mut(&uid).expect("visible");
                match path.as_str() {
                    "userName" => u.username = text,
                    "displayName" => u.display_name = text,
                    "name.givenName" => u.first_name = text,
                    _ => u.last_name = text,
                }
                Ok(())
            }
            "name" => {
                let u = tenant.users.get_mut(&uid).expect("visible");
                if let Some(g) = value.get("givenName").and_then(Value::as_str) {
                    u.first_name = g.to_owned();
                }
                if let Some(f) = value.get("familyName").and_then(Value::as_str) {
                    u.last_name = f.to_owned();
                }
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(detail) = result {
            return error(400, detail, Some("invalidValue"));
        }
    }
    scim_json(200, &resource_of(&tenant.users[&uid]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_like_iso8601() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400 + 3661), "2000-02-29T01:01:01Z");
    }

    #[test]
    fn filters_parse() {
        let f = parse_filter("userName eq \"ana.silva\"").unwrap();
        assert_eq!(
            (f.attribute.as_str(), f.op.as_str(), f.value.as_str()),
            ("username", "eq", "ana.silva")
        );
        assert!(parse_filter("userName gt 3").is_none());
        assert!(parse_filter("nonsense").is_none());
    }
}

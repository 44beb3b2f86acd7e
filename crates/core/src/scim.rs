//! SCIM v2 `Users`, as data: create, list, get, deactivate.
//!
//! SCIM is a REST API under `https://api.slack.com/scim/v2/` (Business+ and Enterprise Grid,
//! `Authorization: Bearer <admin token>`), reached through the proxy. A call is a
//! [`ScimRequest`] (verb, path relative to the SCIM base, JSON body) built from a typed struct;
//! the answer is read with [`decode_scim`], which turns SCIM's error bodies into
//! [`SlackError::Api`] with one of the `scim_*` codes below.

use crate::decode::{http_reason, retry_after};
use crate::error::SlackError;
use crate::ids::UserId;
use crate::validate::{self, FieldError};
use crate::wire::HttpResponse;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub const SCHEMA_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const SCHEMA_LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const SCHEMA_PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const SCHEMA_ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// HTTP 400 (or 413, 422): a value is missing or malformed.
pub const SCIM_INVALID_REQUEST: &str = "scim_invalid_request";
/// HTTP 401: the token was not accepted.
pub const SCIM_UNAUTHORIZED: &str = "scim_unauthorized";
/// HTTP 403: the plan has no SCIM, or the token's account may not do this.
pub const SCIM_FORBIDDEN: &str = "scim_forbidden";
/// HTTP 404: no such user.
pub const SCIM_NOT_FOUND: &str = "scim_not_found";
/// HTTP 409, or a `uniqueness` / "already exists" / "taken" error: the user exists already.
pub const SCIM_CONFLICT: &str = "scim_conflict";
/// Any other SCIM error body with a 4xx status.
pub const SCIM_ERROR: &str = "scim_error";

/// One SCIM call. `path` is relative to the SCIM base and already percent-encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimRequest {
    /// The HTTP verb: `GET`, `POST`, `PATCH`, `DELETE`.
    pub method: &'static str,
    /// E.g. `Users/W123` or `Users?startIndex=1&count=100`.
    pub path: String,
    /// JSON (`application/scim+json`), for POST and PATCH.
    pub body: Option<Vec<u8>>,
}

/// A typed SCIM call: what it sends and what it answers.
pub trait ScimCall {
    /// The decoded answer (`()` for `204 No Content`).
    type Response: DeserializeOwned;
    fn request(&self) -> ScimRequest;
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimName {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimEmail {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    /// `work`, `home`, …
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// RFC 3339 text, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

fn yes() -> bool {
    true
}

/// A user as SCIM reports it. Fields Slack adds (photos, enterprise extension, …) are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimUser {
    #[serde(default)]
    pub schemas: Vec<String>,
    pub id: UserId,
    #[serde(default)]
    pub user_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<ScimName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default)]
    pub emails: Vec<ScimEmail>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<ScimMeta>,
}

impl ScimUser {
    /// The primary email, or the first one.
    pub fn email(&self) -> Option<&str> {
        self.emails
            .iter()
            .find(|e| e.primary == Some(true))
            .or_else(|| self.emails.first())
            .map(|e| e.value.as_str())
    }
}

/// `GET /Users`'s answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimListResponse<T = ScimUser> {
    #[serde(default)]
    pub schemas: Vec<String>,
    #[serde(default)]
    pub total_results: u32,
    #[serde(default)]
    pub items_per_page: u32,
    #[serde(default = "one")]
    pub start_index: u32,
    #[serde(rename = "Resources", default = "Vec::new")]
    pub resources: Vec<T>,
}

fn one() -> u32 {
    1
}

impl<T> ScimListResponse<T> {
    /// The `startIndex` of the next page, `None` after the last one.
    pub fn next_start_index(&self) -> Option<u32> {
        let next = self
            .start_index
            .max(1)
            .saturating_add(self.resources.len() as u32);
        (!self.resources.is_empty() && next <= self.total_results).then_some(next)
    }
}

/// `POST /Users`: create a user. Needs `userName` and at least one email; answers 201 with
/// the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimUserCreate {
    pub schemas: Vec<String>,
    pub user_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<ScimName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    pub emails: Vec<ScimEmail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<String>,
}

impl ScimUserCreate {
    /// A user with a user name and one primary email, both checked.
    pub fn new(user_name: &str, email: &str) -> Result<Self, FieldError> {
        let user_name = validate::user_name(user_name)?;
        let email = validate::email(email)?;
        Ok(Self {
            schemas: vec![SCHEMA_USER.to_owned()],
            user_name,
            name: None,
            display_name: None,
            emails: vec![ScimEmail {
                value: email,
                primary: Some(true),
                kind: Some("work".to_owned()),
            }],
            active: None,
            user_type: None,
        })
    }

    /// Sets `name.givenName` / `name.familyName` (empty parts are left out).
    pub fn with_name(mut self, given: &str, family: &str) -> Self {
        let part = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        self.name = Some(ScimName {
            given_name: part(given),
            family_name: part(family),
        });
        self
    }

    pub fn with_display_name(mut self, display_name: &str) -> Self {
        self.display_name = Some(display_name.trim().to_owned()).filter(|s| !s.is_empty());
        self
    }
}

impl ScimCall for ScimUserCreate {
    type Response = ScimUser;
    fn request(&self) -> ScimRequest {
        ScimRequest {
            method: "POST",
            path: "Users".to_owned(),
            body: Some(serde_json::to_vec(self).expect("SCIM users always encode")),
        }
    }
}

/// `GET /Users?startIndex=&count=&filter=`: one page of users (`startIndex` is 1-based).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScimUserList {
    pub start_index: Option<u32>,
    pub count: Option<u32>,
    /// A SCIM filter, e.g. `userName eq "ana"`; see [`eq_filter`].
    pub filter: Option<String>,
}

impl ScimCall for ScimUserList {
    type Response = ScimListResponse<ScimUser>;
    fn request(&self) -> ScimRequest {
        let mut query = Vec::new();
        if let Some(i) = self.start_index {
            query.push(format!("startIndex={i}"));
        }
        if let Some(c) = self.count {
            query.push(format!("count={c}"));
        }
        if let Some(f) = &self.filter {
            query.push(format!("filter={}", percent_encode(f)));
        }
        let path = if query.is_empty() {
            "Users".to_owned()
        } else {
            format!("Users?{}", query.join("&"))
        };
        ScimRequest {
            method: "GET",
            path,
            body: None,
        }
    }
}

/// A filter `attribute eq "value"`, with the value's quotes and backslashes escaped.
pub fn eq_filter(attribute: &str, value: &str) -> String {
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    format!("{attribute} eq \"{escaped}\"")
}

/// `GET /Users/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScimUserGet {
    pub id: UserId,
}

impl ScimCall for ScimUserGet {
    type Response = ScimUser;
    fn request(&self) -> ScimRequest {
        ScimRequest {
            method: "GET",
            path: user_path(&self.id),
            body: None,
        }
    }
}

/// `DELETE /Users/{id}`: deactivates the user (Slack never deletes); answers 204.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScimUserDeactivate {
    pub id: UserId,
}

impl ScimCall for ScimUserDeactivate {
    type Response = ();
    fn request(&self) -> ScimRequest {
        ScimRequest {
            method: "DELETE",
            path: user_path(&self.id),
            body: None,
        }
    }
}

/// `PATCH /Users/{id}` with `active`: deactivates (`false`) or reactivates (`true`); answers
/// the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScimUserSetActive {
    pub id: UserId,
    pub active: bool,
}

impl ScimCall for ScimUserSetActive {
    type Response = ScimUser;
    fn request(&self) -> ScimRequest {
        let body = serde_json::json!({
            "schemas": [SCHEMA_PATCH_OP],
            "Operations": [{ "op": "replace", "path": "active", "value": self.active }],
        });
        ScimRequest {
            method: "PATCH",
            path: user_path(&self.id),
            body: Some(serde_json::to_vec(&body).expect("JSON values always encode")),
        }
    }
}

fn user_path(id: &UserId) -> String {
    format!("Users/{}", percent_encode(id.as_str()))
}

/// Percent-encodes everything but RFC 3986's unreserved characters (spaces become `%20`).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// SCIM error bodies: Slack's `{"Errors": {"description", "code"}}` (an object or a list) and
/// RFC 7644's `{"schemas": [..Error], "status": "409", "scimType", "detail"}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    #[serde(default, rename = "Errors")]
    errors: Option<OneOrMany>,
    #[serde(default)]
    schemas: Vec<serde_json::Value>,
    #[serde(default)]
    status: Option<serde_json::Value>,
    #[serde(default)]
    scim_type: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(SlackScimError),
    Many(Vec<SlackScimError>),
}

#[derive(Deserialize)]
struct SlackScimError {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    code: Option<serde_json::Value>,
}

fn status_number(v: &serde_json::Value) -> Option<u16> {
    match v {
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// What an error body said: its status (if any) and its text.
struct ScimFailure {
    status: Option<u16>,
    scim_type: Option<String>,
    detail: Option<String>,
}

fn scim_failure(body: &[u8]) -> Option<ScimFailure> {
    let parsed: ErrorBody = serde_json::from_slice(body).ok()?;
    let is_error_schema = parsed
        .schemas
        .iter()
        .any(|s| s.as_str() == Some(SCHEMA_ERROR));
    let slack = parsed.errors.map(|errors| match errors {
        OneOrMany::One(e) => Some(e),
        OneOrMany::Many(list) => list.into_iter().next(),
    });
    if slack.is_none() && !is_error_schema {
        return None;
    }
    // Bodies may carry both shapes (the sim's do): prefer RFC 7644's fields, fill from Slack's.
    let (slack_status, slack_detail) = match slack.flatten() {
        Some(e) => (e.code.as_ref().and_then(status_number), e.description),
        None => (None, None),
    };
    Some(ScimFailure {
        status: parsed
            .status
            .as_ref()
            .and_then(status_number)
            .or(slack_status),
        scim_type: parsed.scim_type,
        detail: parsed.detail.or(slack_detail),
    })
}

fn scim_code(status: u16, scim_type: Option<&str>, detail: Option<&str>) -> &'static str {
    let text = detail.unwrap_or_default().to_ascii_lowercase();
    let looks_taken = scim_type == Some("uniqueness")
        || text.contains("already exists")
        || text.contains("taken")
        || text.contains("already_exists");
    match status {
        409 => SCIM_CONFLICT,
        _ if looks_taken => SCIM_CONFLICT,
        401 => SCIM_UNAUTHORIZED,
        403 => SCIM_FORBIDDEN,
        404 => SCIM_NOT_FOUND,
        400 | 413 | 422 => SCIM_INVALID_REQUEST,
        _ if scim_type.is_some() => SCIM_INVALID_REQUEST,
        _ => SCIM_ERROR,
    }
}

/// Decodes a SCIM answer. 2xx reads `T` (an empty body reads as JSON `null`, so `()` fits
/// `204 No Content`); 429 is [`SlackError::RateLimited`]; a SCIM error body is
/// [`SlackError::Api`] with a `scim_*` code and SCIM's text in `detail`; 5xx and other
/// failures without a SCIM body are [`SlackError::Http`].
pub fn decode_scim<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, SlackError> {
    let status = response.status;
    if status == 429 {
        return Err(SlackError::RateLimited {
            retry_after: retry_after(response),
        });
    }
    let failure = scim_failure(&response.body);
    if status >= 500 {
        return Err(SlackError::Http {
            status,
            message: failure
                .and_then(|f| f.detail)
                .unwrap_or_else(|| http_reason(status).to_owned()),
        });
    }
    if let Some(f) = failure {
        let effective = if (200..300).contains(&status) {
            f.status.unwrap_or(400)
        } else {
            status
        };
        if effective == 429 {
            return Err(SlackError::RateLimited {
                retry_after: retry_after(response),
            });
        }
        if effective >= 500 {
            return Err(SlackError::Http {
                status: effective,
                message: f
                    .detail
                    .unwrap_or_else(|| http_reason(effective).to_owned()),
            });
        }
        return Err(SlackError::Api {
            code: scim_code(effective, f.scim_type.as_deref(), f.detail.as_deref()).to_owned(),
            needed: None,
            provided: None,
            detail: f.detail,
        });
    }
    if !(200..300).contains(&status) {
        return Err(SlackError::Http {
            status,
            message: http_reason(status).to_owned(),
        });
    }
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &response.body
    };
    serde_json::from_slice(body).map_err(|e| SlackError::Decode {
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;
    use serde_json::json;

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/scim+json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    const ANA: &str = r#"{
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "id": "W0123ABCD",
        "externalId": "",
        "meta": {"created": "2024-03-01T10:00:00-08:00",
                 "location": "https://api.slack.com/scim/v2/Users/W0123ABCD"},
        "userName": "ana.lima",
        "nickName": "ana.lima",
        "name": {"givenName": "Ana", "familyName": "Lima"},
        "displayName": "Ana",
        "profileUrl": "https://acme.enterprise.slack.com/team/ana.lima",
        "title": "",
        "timezone": "America/Los_Angeles",
        "active": true,
        "emails": [{"value": "ana@acme.test", "primary": true}],
        "photos": [{"value": "https://avatars.slack-edge.com/ana_192.png", "type": "photo"}],
        "groups": [],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Ops"}
    }"#;

    #[test]
    fn create_posts_the_user_with_scim_names() {
        let create = ScimUserCreate::new(" ana.lima ", "Ana@ACME.test")
            .unwrap()
            .with_name("Ana", "Lima")
            .with_display_name("Ana");
        let req = create.request();
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "Users");
        let body: serde_json::Value = serde_json::from_slice(&req.body.unwrap()).unwrap();
        assert_eq!(
            body,
            json!({
                "schemas": [SCHEMA_USER],
                "userName": "ana.lima",
                "name": {"givenName": "Ana", "familyName": "Lima"},
                "displayName": "Ana",
                "emails": [{"value": "Ana@acme.test", "primary": true, "type": "work"}],
            })
        );
    }

    #[test]
    fn create_needs_a_user_name_and_a_valid_email() {
        assert!(ScimUserCreate::new("", "ana@acme.test").is_err());
        assert!(ScimUserCreate::new("ana", "qwe").is_err());
    }

    #[test]
    fn created_user_decodes_from_201_ignoring_extra_fields() {
        let user: ScimUser = decode_scim(&answer(201, ANA)).unwrap();
        assert_eq!(user.id, UserId::from("W0123ABCD"));
        assert_eq!(user.user_name, "ana.lima");
        assert_eq!(
            user.name.as_ref().unwrap().family_name.as_deref(),
            Some("Lima")
        );
        assert_eq!(user.email(), Some("ana@acme.test"));
        assert!(user.active);
        assert_eq!(
            user.meta.unwrap().location.as_deref(),
            Some("https://api.slack.com/scim/v2/Users/W0123ABCD")
        );
    }

    #[test]
    fn list_builds_the_query_and_pages() {
        let req = ScimUserList {
            start_index: Some(101),
            count: Some(100),
            filter: Some(eq_filter("userName", "ana \"al\" lima")),
        }
        .request();
        assert_eq!(req.method, "GET");
        assert_eq!(
            req.path,
            "Users?startIndex=101&count=100&filter=userName%20eq%20%22ana%20%5C%22al%5C%22%20lima%22"
        );
        assert_eq!(ScimUserList::default().request().path, "Users");

        let body = format!(
            r#"{{"schemas":["{SCHEMA_LIST_RESPONSE}"],"totalResults":3,"itemsPerPage":2,"startIndex":1,"Resources":[{ANA},{ANA}]}}"#
        );
        let page: ScimListResponse = decode_scim(&answer(200, &body)).unwrap();
        assert_eq!(page.total_results, 3);
        assert_eq!(page.resources.len(), 2);
        assert_eq!(page.next_start_index(), Some(3));
        let last: ScimListResponse = decode_scim(&answer(
            200,
            r#"{"totalResults":3,"itemsPerPage":1,"startIndex":3,"Resources":[{"id":"W9","userName":"z"}]}"#,
        ))
        .unwrap();
        assert_eq!(last.next_start_index(), None);
        let empty: ScimListResponse = decode_scim(&answer(
            200,
            r#"{"totalResults":0,"itemsPerPage":0,"startIndex":1}"#,
        ))
        .unwrap();
        assert!(empty.resources.is_empty());
        assert_eq!(empty.next_start_index(), None);
    }

    #[test]
    fn get_and_deactivate_address_the_user() {
        let id = UserId::from("W0123ABCD");
        assert_eq!(
            ScimUserGet { id: id.clone() }.request(),
            ScimRequest {
                method: "GET",
                path: "Users/W0123ABCD".into(),
                body: None
            }
        );
        let del = ScimUserDeactivate { id: id.clone() }.request();
        assert_eq!(
            (del.method, del.path.as_str()),
            ("DELETE", "Users/W0123ABCD")
        );
        assert_eq!(decode_scim::<()>(&answer(204, "")), Ok(()));

        let patch = ScimUserSetActive { id, active: false }.request();
        assert_eq!(patch.method, "PATCH");
        let body: serde_json::Value = serde_json::from_slice(&patch.body.unwrap()).unwrap();
        assert_eq!(body["schemas"][0], SCHEMA_PATCH_OP);
        assert_eq!(body["Operations"][0]["path"], "active");
        assert_eq!(body["Operations"][0]["value"], false);
        // IDs are escaped in paths.
        assert_eq!(
            ScimUserGet {
                id: "W1/../x".into()
            }
            .request()
            .path,
            "Users/W1%2F..%2Fx"
        );
    }

    fn code_of(r: Result<ScimUser, SlackError>) -> (String, Option<String>) {
        match r {
            Err(SlackError::Api { code, detail, .. }) => (code, detail),
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    #[test]
    fn slack_style_errors_map_to_scim_codes() {
        let (code, detail) = code_of(decode_scim(&answer(
            409,
            r#"{"Errors":{"description":"username_taken","code":409}}"#,
        )));
        assert_eq!(code, SCIM_CONFLICT);
        assert_eq!(detail.as_deref(), Some("username_taken"));
        let (code, _) = code_of(decode_scim(&answer(
            400,
            r#"{"Errors":{"description":"email_taken","code":400}}"#,
        )));
        assert_eq!(code, SCIM_CONFLICT);
        let (code, _) = code_of(decode_scim(&answer(
            404,
            r#"{"Errors":{"description":"User not found","code":404}}"#,
        )));
        assert_eq!(code, SCIM_NOT_FOUND);
        let (code, _) = code_of(decode_scim(&answer(
            401,
            r#"{"Errors":[{"description":"invalid_authentication","code":"401"}]}"#,
        )));
        assert_eq!(code, SCIM_UNAUTHORIZED);
        let (code, _) = code_of(decode_scim(&answer(
            403,
            r#"{"Errors":{"description":"scim_not_enabled_for_team","code":403}}"#,
        )));
        assert_eq!(code, SCIM_FORBIDDEN);
        let (code, _) = code_of(decode_scim(&answer(
            400,
            r#"{"Errors":{"description":"missing required field: userName","code":400}}"#,
        )));
        assert_eq!(code, SCIM_INVALID_REQUEST);
    }

    #[test]
    fn rfc7644_errors_map_to_scim_codes() {
        let (code, detail) = code_of(decode_scim(&answer(
            409,
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"User with userName ana.lima already exists"}"#,
        )));
        assert_eq!(code, SCIM_CONFLICT);
        assert!(detail.unwrap().contains("already exists"));
        let (code, _) = code_of(decode_scim(&answer(
            400,
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidFilter","detail":"bad filter"}"#,
        )));
        assert_eq!(code, SCIM_INVALID_REQUEST);
        let (code, _) = code_of(decode_scim(&answer(
            412,
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":412,"detail":"version mismatch"}"#,
        )));
        assert_eq!(code, SCIM_ERROR);
        // An error body under a 200 still is an error, with the body's status.
        let (code, _) = code_of(decode_scim(&answer(
            200,
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"no such user"}"#,
        )));
        assert_eq!(code, SCIM_NOT_FOUND);
    }

    #[test]
    fn bodies_with_both_shapes_keep_the_scim_type() {
        let (code, detail) = code_of(decode_scim(&answer(
            400,
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","detail":"userName ana is taken","scimType":"uniqueness","Errors":{"code":400,"description":"userName ana is taken"}}"#,
        )));
        assert_eq!(code, SCIM_CONFLICT);
        assert_eq!(detail.as_deref(), Some("userName ana is taken"));
    }

    #[test]
    fn limits_server_errors_and_garbage() {
        let mut limited = answer(
            429,
            r#"{"Errors":{"description":"rate_limited","code":429}}"#,
        );
        limited.headers.push(("retry-after".into(), "12".into()));
        assert_eq!(
            decode_scim::<ScimUser>(&limited),
            Err(SlackError::RateLimited { retry_after: 12 })
        );
        assert_eq!(
            decode_scim::<ScimUser>(&answer(429, "")),
            Err(SlackError::RateLimited { retry_after: 1 })
        );
        assert!(matches!(
            decode_scim::<ScimUser>(&answer(503, "<html>down</html>")),
            Err(SlackError::Http { status: 503, .. })
        ));
        assert!(matches!(
            decode_scim::<ScimUser>(&answer(
                500,
                r#"{"Errors":{"description":"internal","code":500}}"#
            )),
            Err(SlackError::Http { status: 500, ref message }) if message == "internal"
        ));
        assert!(matches!(
            decode_scim::<ScimUser>(&answer(404, "<html>not here</html>")),
            Err(SlackError::Http { status: 404, .. })
        ));
        assert!(matches!(
            decode_scim::<ScimUser>(&answer(200, "<html>login</html>")),
            Err(SlackError::Decode { .. })
        ));
        assert!(matches!(
            decode_scim::<ScimUser>(&answer(201, "")),
            Err(SlackError::Decode { .. })
        ));
    }

    #[test]
    fn every_scim_code_is_explained() {
        for code in [
            SCIM_INVALID_REQUEST,
            SCIM_UNAUTHORIZED,
            SCIM_FORBIDDEN,
            SCIM_NOT_FOUND,
            SCIM_CONFLICT,
            SCIM_ERROR,
        ] {
            assert!(catalogue::known_codes().contains(&code), "{code}");
        }
        let err = decode_scim::<ScimUser>(&answer(
            409,
            r#"{"Errors":{"description":"username_taken","code":409}}"#,
        ))
        .unwrap_err();
        let text = catalogue::explain(&err, None).to_string();
        assert!(text.contains("already exists"), "{text}");
        assert!(text.contains("username_taken"), "{text}");
    }
}

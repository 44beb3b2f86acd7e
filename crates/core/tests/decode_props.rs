//! Decoding never panics, whatever the status, headers and body; and a few laws hold for any
//! input.

use proptest::prelude::*;
use slack_admin_core::methods::admin_invite_requests::{
    AdminInviteRequestsApprove, AdminInviteRequestsApprovedList,
};
use slack_admin_core::methods::admin_users::{AdminUsersGetExpiration, AdminUsersList};
use slack_admin_core::methods::auth::AuthTest;
use slack_admin_core::methods::users::UsersAdminInvite;
use slack_admin_core::scim::{ScimListResponse, ScimUser};
use slack_admin_core::{decode, decode_envelope, decode_scim, explain, HttpResponse, SlackError};

/// Arbitrary JSON, a few levels deep.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("ok"),
            Just("error"),
            Just("missing_scope"),
            Just("Errors"),
            Just("status")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("ok".to_owned()),
                    Just("error".to_owned()),
                    Just("needed".to_owned()),
                    Just("provided".to_owned()),
                    Just("detail".to_owned()),
                    Just("users".to_owned()),
                    Just("user".to_owned()),
                    Just("response_metadata".to_owned()),
                    Just("next_cursor".to_owned()),
                    Just("Errors".to_owned()),
                    Just("schemas".to_owned()),
                    Just("status".to_owned()),
                    Just("Resources".to_owned()),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..5,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Bodies: raw bytes, arbitrary JSON, or an envelope-shaped object.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        (any::<Option<bool>>(), json_value(), json_value()).prop_map(|(ok, error, rest)| {
            let mut obj = serde_json::Map::new();
            if let Some(ok) = ok {
                obj.insert("ok".into(), ok.into());
            }
            obj.insert("error".into(), error);
            obj.insert("users".into(), rest);
            serde_json::to_vec(&obj).unwrap()
        }),
        Just(b"<html><body>502 Bad Gateway</body></html>".to_vec()),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(200u16),
        Just(201),
        Just(204),
        Just(400),
        Just(404),
        Just(409),
        Just(429),
        Just(500),
        Just(502),
        any::<u16>(),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop_oneof![
                Just("retry-after".to_owned()),
                Just("Retry-After".to_owned()),
                Just("content-type".to_owned()),
                "\\PC{0,10}",
            ],
            prop_oneof![
                "[0-9]{1,25}",
                "-?[0-9]{1,4}\\.[0-9]{0,4}",
                Just("inf".to_owned()),
                Just("NaN".to_owned()),
                "\\PC{0,16}",
            ],
        ),
        0..4,
    )
}

fn response() -> impl Strategy<Value = HttpResponse> {
    (status(), headers(), body()).prop_map(|(status, headers, body)| HttpResponse {
        status,
        headers,
        body,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoding_never_panics(r in response()) {
        let results = [
            decode_envelope::<serde_json::Value>(&r).err(),
            decode::<AdminUsersList>(&r).err(),
            decode::<AuthTest>(&r).err(),
            decode::<UsersAdminInvite>(&r).err(),
            decode::<AdminUsersGetExpiration>(&r).err(),
            decode::<AdminInviteRequestsApprove>(&r).err(),
            decode::<AdminInviteRequestsApprovedList>(&r).err(),
            decode_scim::<ScimUser>(&r).err(),
            decode_scim::<ScimListResponse>(&r).err(),
            decode_scim::<()>(&r).err(),
        ];
        // Every error explains itself, whatever it is.
        for e in results.into_iter().flatten() {
            let text = explain(&e, Some("admin.users.list"));
            prop_assert!(!text.summary.is_empty() && !text.fix.is_empty());
            prop_assert_eq!(text.code.as_str(), e.code());
        }
    }

    #[test]
    fn a_429_is_always_a_bounded_wait(headers in headers(), body in body()) {
        let r = HttpResponse { status: 429, headers, body };
        for result in [
            decode_envelope::<serde_json::Value>(&r).err(),
            decode_scim::<ScimUser>(&r).err(),
        ] {
            match result {
                Some(SlackError::RateLimited { retry_after }) => {
                    prop_assert!((1..=3600).contains(&retry_after));
                }
                other => prop_assert!(false, "429 gave {:?}", other),
            }
        }
    }

    #[test]
    fn a_failed_status_is_never_a_success(r in response()) {
        if !(200..300).contains(&r.status) {
            prop_assert!(decode_envelope::<serde_json::Value>(&r).is_err());
            prop_assert!(decode_scim::<serde_json::Value>(&r).is_err());
        }
    }

    #[test]
    fn error_codes_are_kept_verbatim(code in "\\PC{1,30}", status in 200u16..300) {
        let body = serde_json::json!({"ok": false, "error": code});
        let r = HttpResponse { status, headers: vec![], body: serde_json::to_vec(&body).unwrap() };
        let e = decode::<AdminUsersList>(&r).unwrap_err();
        prop_assert_eq!(e.code(), code.as_str());
        prop_assert!(explain(&e, None).summary.contains(code.as_str()) || slack_admin_core::catalogue::known_codes().contains(&code.as_str()));
    }

    #[test]
    fn non_json_failures_are_http_errors(status in 300u16..1000, body in "[^{\\[]\\PC{0,30}") {
        prop_assume!(status != 429);
        let r = HttpResponse { status, headers: vec![], body: body.into_bytes() };
        let got = decode_envelope::<serde_json::Value>(&r);
        let is_http = matches!(got, Err(SlackError::Http { status: s, .. }) if s == status);
        prop_assert!(is_http, "{:?}", got);
    }
}

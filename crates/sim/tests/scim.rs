//! SCIM v2 users.

mod common;
use common::*;
use serde_json::{json, Value};
use slack_sim::fixture::ids;
use slack_sim::Request;

fn scim(
    s: &mut slack_sim::Sim,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut headers = vec![(
        "content-type".to_owned(),
        "application/scim+json".to_owned(),
    )];
    if let Some(t) = token {
        headers.push(("authorization".into(), format!("Bearer {t}")));
    }
    let r = answer(
        s,
        &Request {
            method: method.into(),
            path: format!("/scim/v2/{path}"),
            headers,
            body: body.map(|b| b.to_string().into_bytes()).unwrap_or_default(),
        },
        T0,
    );
    assert!(
        r.header("access-control-allow-origin").is_none(),
        "SCIM is not for browsers"
    );
    let v = if r.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&r.body).unwrap()
    };
    (r.status, v)
}

#[test]
fn create_list_get_update_deactivate() {
    let mut s = sim();
    let (status, v) = scim(
        &mut s,
        "GET",
        "Users?startIndex=1&count=10",
        Some(ADMIN),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(v["Resources"].as_array().unwrap().len(), 10);
    let total = v["totalResults"].as_u64().unwrap();
    assert!(total > 300);
    let new = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "scim.person",
        "name": {"givenName": "Scim", "familyName": "Person"},
        "emails": [{"value": "scim.person@northwind.example", "primary": true}],
    });
    let (status, v) = scim(&mut s, "POST", "Users", Some(ADMIN), Some(new.clone()));
    assert_eq!(status, 201);
    let id = v["id"].as_str().unwrap().to_owned();
    assert_eq!(v["active"], true);
    assert_eq!(scim(&mut s, "POST", "Users", Some(ADMIN), Some(new)).0, 409);
    let (status, v) = scim(&mut s, "GET", &format!("Users/{id}"), Some(ADMIN), None);
    assert_eq!((status, v["userName"].as_str()), (200, Some("scim.person")));
    let (_, v) = scim(
        &mut s,
        "GET",
        "Users?filter=userName%20eq%20%22scim.person%22",
        Some(ADMIN),
        None,
    );
    assert_eq!(v["totalResults"], 1);
    // The new user is an org member now.
    let v = call(
        &mut s,
        "admin.users.invite",
        ADMIN,
        &[
            ("team_id", "T07NW4HQ1"),
            ("email", "scim.person@northwind.example"),
            ("channel_ids", ids::HQ_GENERAL),
        ],
    );
    assert_eq!(error(&v), "already_in_team");
    let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "displayName", "value": "Scimmy"}]});
    let (status, v) = scim(
        &mut s,
        "PATCH",
        &format!("Users/{id}"),
        Some(ADMIN),
        Some(patch),
    );
    assert_eq!((status, v["displayName"].as_str()), (200, Some("Scimmy")));
    let (status, _) = scim(&mut s, "DELETE", &format!("Users/{id}"), Some(ADMIN), None);
    assert_eq!(status, 204);
    let (_, v) = scim(&mut s, "GET", &format!("Users/{id}"), Some(ADMIN), None);
    assert_eq!(v["active"], false);
    let v = call(
        &mut s,
        "admin.users.invite",
        ADMIN,
        &[
            ("team_id", "T07NW4HQ1"),
            ("email", "scim.person@northwind.example"),
            ("channel_ids", ids::HQ_GENERAL),
        ],
    );
    assert_eq!(error(&v), "user_disabled");
}

#[test]
fn scim_errors() {
    let mut s = sim();
    assert_eq!(scim(&mut s, "GET", "Users", None, None).0, 401);
    assert_eq!(scim(&mut s, "GET", "Users", Some("xoxp-nope"), None).0, 401);
    assert_eq!(scim(&mut s, "GET", "Users", Some(MEMBER), None).0, 403);
    assert_eq!(scim(&mut s, "GET", "Users", Some(BOT), None).0, 403);
    assert_eq!(
        scim(&mut s, "GET", "Users", Some(LEGACY), None).0,
        403,
        "Pro plan: no SCIM"
    );
    assert_eq!(
        scim(&mut s, "GET", "Users", Some(LEGACY_SSO), None).0,
        200,
        "Business+ has SCIM"
    );
    assert_eq!(
        scim(&mut s, "GET", "Users/W0NOBODY", Some(ADMIN), None).0,
        404
    );
    assert_eq!(
        scim(
            &mut s,
            "DELETE",
            &format!("Users/{}", ids::PRIMARY_OWNER),
            Some(ADMIN),
            None
        )
        .0,
        403
    );
    let (status, v) = scim(
        &mut s,
        "POST",
        "Users",
        Some(ADMIN),
        Some(json!({"userName": "x"})),
    );
    assert_eq!(status, 400);
    assert_eq!(v["Errors"]["code"], 400);
    assert_eq!(
        scim(
            &mut s,
            "GET",
            "Users?filter=title%20gt%201",
            Some(ADMIN),
            None
        )
        .0,
        400
    );
    assert_eq!(scim(&mut s, "GET", "Groups", Some(ADMIN), None).0, 404);
    // SSO workspace: SCIM is the way to add full members.
    let (status, v) = scim(
        &mut s,
        "POST",
        "Users",
        Some(LEGACY_SSO),
        Some(
            json!({"schemas": [slack_sim::scim::USER_SCHEMA], "userName": "full.member", "emails": [{"value": "full.member@fjordanalytics.example"}]}),
        ),
    );
    assert_eq!(status, 201);
    assert!(v["id"].as_str().unwrap().starts_with('U'));
}

#[test]
fn core_scim_calls_are_answered_and_decoded() {
    use slack_admin_core::scim::*;
    use slack_admin_core::HttpResponse;
    let mut s = sim();
    let send = |s: &mut slack_sim::Sim, call: &dyn Fn() -> ScimRequest| -> HttpResponse {
        let r = call();
        answer(
            s,
            &Request {
                method: r.method.into(),
                path: format!("/scim/v2/{}", r.path),
                headers: vec![
                    ("authorization".into(), format!("Bearer {ADMIN}")),
                    ("content-type".into(), "application/scim+json".into()),
                ],
                body: r.body.unwrap_or_default(),
            },
            T0,
        )
    };
    let create = ScimUserCreate::new("core.user", "core.user@northwind.example")
        .unwrap()
        .with_name("Core", "User \"Quoted\"");
    let created: ScimUser = decode_scim(&send(&mut s, &|| create.request())).unwrap();
    assert_eq!(created.email(), Some("core.user@northwind.example"));
    let conflict = decode_scim::<ScimUser>(&send(&mut s, &|| create.request())).unwrap_err();
    assert_eq!(conflict.code(), SCIM_CONFLICT);
    let list = ScimUserList {
        start_index: Some(1),
        count: Some(5),
        filter: Some(eq_filter("userName", "core.user")),
    };
    let page: ScimListResponse = decode_scim(&send(&mut s, &|| list.request())).unwrap();
    assert_eq!(page.resources.len(), 1);
    assert_eq!(page.resources[0].id, created.id);
    let quoted = ScimUserList {
        filter: Some(eq_filter("displayName", "a \"b\" \\ c")),
        ..ScimUserList::default()
    };
    let none: ScimListResponse = decode_scim(&send(&mut s, &|| quoted.request())).unwrap();
    assert_eq!(none.total_results, 0);
    let id = created.id.clone();
    let () = decode_scim(&send(&mut s, &|| {
        ScimUserDeactivate { id: id.clone() }.request()
    }))
    .unwrap();
    let back: ScimUser = decode_scim(&send(&mut s, &|| {
        ScimUserSetActive {
            id: id.clone(),
            active: true,
        }
        .request()
    }))
    .unwrap();
    assert!(back.active);
    // Every page to the end, by startIndex.
    let mut start = Some(1);
    let mut seen = 0;
    let mut total = 0;
    while let Some(i) = start {
        let list = ScimUserList {
            start_index: Some(i),
            count: Some(100),
            filter: None,
        };
        let page: ScimListResponse = decode_scim(&send(&mut s, &|| list.request())).unwrap();
        seen += page.resources.len();
        total = page.total_results as usize;
        start = page.next_start_index();
    }
    assert_eq!(seen, total);
}

#[test]
fn regression_scim_needs_the_admin_scope_and_pages_hold_ten_by_default() {
    let mut s = sim();
    // The org admin's token carries `admin`: a page of Slack's default size, 10.
    let (status, v) = scim(&mut s, "GET", "Users", Some(ADMIN), None);
    assert_eq!(status, 200);
    assert_eq!(v["itemsPerPage"], 10, "{v}");
    assert_eq!(v["Resources"].as_array().unwrap().len(), 10);
    let (_, v) = scim(&mut s, "GET", "Users?count=5000", Some(ADMIN), None);
    assert_eq!(
        v["Resources"].as_array().unwrap().len().min(1000),
        v["Resources"].as_array().unwrap().len()
    );
    // A legacy token's `client` is not the admin scope.
    let (status, v) = scim(&mut s, "GET", "Users", Some(LEGACY), None);
    assert_eq!(status, 403, "{v}");
}

#[test]
fn scim_limits_are_org_wide_with_their_bursts() {
    // Slack's own limits, not the tests' usual limitless sim.
    let mut s = slack_sim::Sim::new(slack_sim::SimConfig::default());
    // POST: 180 a minute, burst 20, counted for the whole org whichever token calls.
    let mut created = 0;
    let mut refused = None;
    for i in 0..30 {
        let token = if i % 2 == 0 { ADMIN } else { OWNER };
        let (status, _) = scim(
            &mut s,
            "POST",
            "Users",
            Some(token),
            Some(
                json!({"schemas": [slack_sim::scim::USER_SCHEMA], "userName": format!("burst{i}"), "emails": [{"value": format!("burst{i}@northwind.example")}]}),
            ),
        );
        match status {
            201 => created += 1,
            429 => {
                refused = Some(i);
                break;
            }
            other => panic!("{other}"),
        }
    }
    assert_eq!(created, 20, "a burst of 20 POSTs, then 429");
    assert_eq!(refused, Some(20));
}

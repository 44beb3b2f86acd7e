//! Invitations: admin.users.invite, users.admin.invite, acceptance.

mod common;
use common::*;
use slack_sim::fixture::{emails, ids, HQ, LABS, OPS};
use slack_sim::state::invites::acceptance_time;
use slack_sim::Request;

fn invite(s: &mut slack_sim::Sim, extra: &[(&str, &str)]) -> serde_json::Value {
    let mut f = vec![("team_id", HQ), ("channel_ids", ids::HQ_GENERAL)];
    f.extend_from_slice(extra);
    call(s, "admin.users.invite", ADMIN, &f)
}

#[test]
fn admin_invite_and_its_errors() {
    let mut s = sim();
    assert_ok(&invite(
        &mut s,
        &[
            ("email", "new.person@northwind.example"),
            ("custom_message", "Welcome <b>aboard</b> & hi"),
        ],
    ));
    assert_eq!(
        error(&invite(
            &mut s,
            &[("email", "new.person@northwind.example")]
        )),
        "already_in_team_invited_user"
    );
    assert_eq!(
        error(&invite(
            &mut s,
            &[("email", "NEW.PERSON@northwind.example")]
        )),
        "already_in_team_invited_user"
    );
    assert_eq!(
        error(&invite(&mut s, &[("email", emails::INVITED)])),
        "already_in_team_invited_user"
    );
    assert_eq!(
        error(&invite(&mut s, &[("email", emails::MEMBER)])),
        "already_in_team"
    );
    assert_eq!(
        error(&invite(&mut s, &[("email", emails::DEACTIVATED)])),
        "user_disabled"
    );
    assert_eq!(error(&invite(&mut s, &[("email", "qwe")])), "invalid_email");
    let v = call(
        &mut s,
        "admin.users.invite",
        ADMIN,
        &[
            ("team_id", HQ),
            ("email", "x@y.co"),
            ("channel_ids", "C0NOPE"),
        ],
    );
    assert_eq!(error(&v), "failed_to_validate_channels");
    let v = call(
        &mut s,
        "admin.users.invite",
        ADMIN,
        &[
            ("team_id", HQ),
            ("email", "x@y.co"),
            ("channel_ids", ids::OPS_GENERAL),
        ],
    );
    assert_eq!(
        error(&v),
        "failed_to_validate_channels",
        "a channel of another workspace"
    );
    let v = call(
        &mut s,
        "admin.users.invite",
        ADMIN,
        &[("team_id", HQ), ("email", "x@y.co")],
    );
    assert_eq!(error(&v), "failed_to_validate_channels", "no channel");
    let v = call(
        &mut s,
        "admin.users.invite",
        ADMIN,
        &[
            ("team_id", "T0NOPE"),
            ("email", "x@y.co"),
            ("channel_ids", ids::HQ_GENERAL),
        ],
    );
    assert_eq!(error(&v), "team_not_found");
    let two = format!("{},C07A10002", ids::HQ_GENERAL);
    let v = invite(
        &mut s,
        &[
            ("email", "sc@guest.example"),
            ("is_ultra_restricted", "true"),
            ("channel_ids", &two),
        ],
    );
    assert_eq!(
        error(&v),
        "failed_to_validate_channels",
        "single-channel guest, two channels"
    );
    let past = ((T0 / 1000) - 10).to_string();
    let v = invite(
        &mut s,
        &[
            ("email", "g@guest.example"),
            ("is_restricted", "true"),
            ("guest_expiration_ts", &past),
        ],
    );
    assert_eq!(error(&v), "failed_to_validate_expiration");
    let future = format!("{}.000000", (T0 / 1000) + 86_400);
    let v = invite(
        &mut s,
        &[
            ("email", "full@northwind.example"),
            ("guest_expiration_ts", &future),
        ],
    );
    assert_eq!(
        error(&v),
        "failed_to_validate_expiration",
        "expiration on a full member"
    );
    assert_ok(&invite(
        &mut s,
        &[
            ("email", "g@guest.example"),
            ("is_restricted", "true"),
            ("guest_expiration_ts", &future),
        ],
    ));
    let long = "x".repeat(1001);
    assert_eq!(
        error(&invite(
            &mut s,
            &[("email", "m@x.co"), ("custom_message", &long)]
        )),
        "failed_to_validate_custom_message"
    );
    // The member and the bot cannot invite.
    assert_eq!(
        error(&call(
            &mut s,
            "admin.users.invite",
            MEMBER,
            &[("team_id", HQ), ("email", "a@b.co")]
        )),
        "missing_scope"
    );
    // Another workspace of the org is another invitation.
    let v = call(
        &mut s,
        "admin.users.invite",
        ADMIN,
        &[
            ("team_id", OPS),
            ("email", "new.person@northwind.example"),
            ("channel_ids", ids::OPS_GENERAL),
        ],
    );
    assert_ok(&v);
}

#[test]
fn accepted_invitations_become_members() {
    let mut s = sim();
    assert_ok(&invite(
        &mut s,
        &[
            ("email", "ana.newcomer@northwind.example"),
            ("real_name", "Ana Newcomer"),
        ],
    ));
    let id = s
        .accept_invitation("ana.newcomer@northwind.example", T0 + 1000)
        .unwrap();
    let v = call(
        &mut s,
        "admin.users.list",
        ADMIN,
        &[("team_id", HQ), ("limit", "1000")],
    );
    let u = v["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(u["full_name"], "Ana Newcomer");
    assert_eq!(u["workspaces"], serde_json::json!([HQ]));
    assert_eq!(
        error(&invite(
            &mut s,
            &[("email", "ana.newcomer@northwind.example")]
        )),
        "already_in_team"
    );
    assert!(s.accept_invitation("nobody@nowhere.example", T0).is_err());
    // Through the sim endpoint, with a guest.
    let future = ((T0 / 1000) + 86_400 * 10).to_string();
    assert_ok(&call(
        &mut s,
        "admin.users.invite",
        ADMIN,
        &[
            ("team_id", LABS),
            ("email", "g.uest@partner.example"),
            ("channel_ids", ids::LABS_GENERAL),
            ("is_ultra_restricted", "1"),
            ("guest_expiration_ts", &future),
        ],
    ));
    let r = answer(
        &mut s,
        &Request {
            method: "POST".into(),
            path: "/sim/accept".into(),
            headers: vec![(
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: b"email=g.uest%40partner.example".to_vec(),
        },
        T0,
    );
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let gid = v["user_id"].as_str().unwrap().to_owned();
    let v = call(
        &mut s,
        "admin.users.getExpiration",
        ADMIN,
        &[("user_id", &gid)],
    );
    assert_eq!(v["user"]["is_ultra_restricted"], true);
    assert_eq!(
        v["user"]["expiration_ts"].as_i64().unwrap().to_string(),
        future
    );
}

#[test]
fn invitations_are_accepted_by_the_clock_for_some_addresses() {
    let mut s = sim();
    let seed = s.config().seed;
    let emails: Vec<String> = (0..40)
        .map(|i| format!("clock{i}@northwind.example"))
        .collect();
    let sent = (T0 / 1000) as i64;
    for e in &emails {
        assert_ok(&invite(&mut s, &[("email", e)]));
    }
    let (will, wont): (Vec<&String>, Vec<&String>) = emails
        .iter()
        .partition(|e| acceptance_time(seed, e, sent).is_some());
    assert!(!will.is_empty() && !wont.is_empty());
    // 31 minutes later every one that will has signed up.
    let later = T0 + 31 * 60 * 1000;
    for e in will {
        assert_eq!(
            error(&call_at(
                &mut s,
                "admin.users.invite",
                ADMIN,
                &[
                    ("team_id", HQ),
                    ("email", e),
                    ("channel_ids", ids::HQ_GENERAL)
                ],
                later
            )),
            "already_in_team"
        );
    }
    for e in wont {
        assert_eq!(
            error(&call_at(
                &mut s,
                "admin.users.invite",
                ADMIN,
                &[
                    ("team_id", HQ),
                    ("email", e),
                    ("channel_ids", ids::HQ_GENERAL)
                ],
                later
            )),
            "already_in_team_invited_user"
        );
    }
}

#[test]
fn legacy_invite_and_its_errors() {
    let mut s = sim();
    let inv = |s: &mut slack_sim::Sim, token: &str, f: &[(&str, &str)]| {
        call(s, "users.admin.invite", token, f)
    };
    assert_ok(&inv(
        &mut s,
        LEGACY,
        &[
            ("email", "croissant@harborbakery.example"),
            ("channels", ids::BAKERY_GENERAL),
            ("first_name", "Cro"),
            ("last_name", "Issant"),
        ],
    ));
    assert_eq!(
        error(&inv(
            &mut s,
            LEGACY,
            &[("email", "croissant@harborbakery.example")]
        )),
        "already_invited"
    );
    assert_eq!(
        error(&inv(
            &mut s,
            LEGACY,
            &[
                ("email", "croissant@harborbakery.example"),
                ("resend", "true")
            ]
        )),
        "sent_recently"
    );
    assert_eq!(
        error(&inv(
            &mut s,
            LEGACY,
            &[
                ("email", emails::BAKERY_INVITED_RECENTLY),
                ("resend", "true")
            ]
        )),
        "sent_recently"
    );
    assert_ok(&inv(
        &mut s,
        LEGACY,
        &[("email", emails::BAKERY_INVITED), ("resend", "true")],
    ));
    assert_eq!(
        error(&inv(
            &mut s,
            LEGACY,
            &[("email", emails::BAKERY_INVITED), ("resend", "true")]
        )),
        "sent_recently"
    );
    assert_eq!(
        error(&inv(&mut s, LEGACY, &[("email", emails::BAKERY_MEMBER)])),
        "already_in_team"
    );
    assert_eq!(
        error(&inv(
            &mut s,
            LEGACY,
            &[("email", emails::BAKERY_DEACTIVATED)]
        )),
        "user_disabled"
    );
    assert_eq!(
        error(&inv(&mut s, LEGACY, &[("email", "qwe")])),
        "invalid_email"
    );
    assert_eq!(
        error(&inv(
            &mut s,
            LEGACY,
            &[("email", "a@b.co"), ("channels", "C0NOPE")]
        )),
        "channel_not_found"
    );
    assert_eq!(
        error(&inv(
            &mut s,
            LEGACY,
            &[("email", "a@b.co"), ("channels", ids::HQ_GENERAL)]
        )),
        "channel_not_found"
    );
    // An hour later, resending works again.
    let later = T0 + 3_601_000;
    assert_ok(&call_at(
        &mut s,
        "users.admin.invite",
        LEGACY,
        &[
            ("email", "croissant@harborbakery.example"),
            ("resend", "true"),
        ],
        later,
    ));
    // SSO: no full members, guests are fine.
    assert_eq!(
        error(&inv(
            &mut s,
            LEGACY_SSO,
            &[("email", "full@fjordanalytics.example")]
        )),
        "not_allowed"
    );
    assert_ok(&inv(
        &mut s,
        LEGACY_SSO,
        &[
            ("email", "guest@client.example"),
            ("restricted", "true"),
            ("channels", ids::FJORD_GENERAL),
        ],
    ));
    assert_ok(&inv(
        &mut s,
        LEGACY_SSO,
        &[
            ("email", "guest2@client.example"),
            ("ultra_restricted", "1"),
            ("channels", ids::FJORD_GENERAL),
        ],
    ));
}

#[test]
fn regression_resend_on_admin_users_invite_sends_no_email_again() {
    // Seed 003: `resend` "allow[s] this invite to be resent in the future if a user has not
    // signed up yet. Resending can only be done via the UI". An address already invited is
    // refused as such, and its invitation is not sent again.
    let mut s = sim();
    assert_ok(&invite(&mut s, &[("email", "again@northwind.example")]));
    let before = s.state().tenants[0]
        .invitations
        .values()
        .find(|i| i.email == "again@northwind.example")
        .map(|i| (i.date_created, i.date_resent))
        .unwrap();
    assert_eq!(
        error(&invite(
            &mut s,
            &[("email", "again@northwind.example"), ("resend", "true")]
        )),
        "already_in_team_invited_user"
    );
    let after = s.state().tenants[0]
        .invitations
        .values()
        .find(|i| i.email == "again@northwind.example")
        .map(|i| (i.date_created, i.date_resent))
        .unwrap();
    assert_eq!(before, after, "no email went out again");
}

//! Every Web API method: its facts (name, tier, scopes, token), its form, and the decoding of
//! Slack's answers, successful or not.

use serde::de::DeserializeOwned;
use serde::Serialize;
use slack_admin_core::method::MethodInfo;
use slack_admin_core::methods::admin_invite_requests::*;
use slack_admin_core::methods::admin_teams::AdminTeamsList;
use slack_admin_core::methods::admin_users::*;
use slack_admin_core::methods::auth::AuthTest;
use slack_admin_core::methods::conversations::ConversationsList;
use slack_admin_core::methods::team::TeamInfo;
use slack_admin_core::methods::users::{UsersAdminInvite, UsersList};
use slack_admin_core::methods::{self, Ack};
use slack_admin_core::pagination::{Pages, Paginated};
use slack_admin_core::{
    decode, ChannelId, Form, HttpResponse, InviteRequestId, Method, Requirement, SlackError,
    TeamId, Tier, UserId,
};
use std::fmt::Debug;

// ---------------------------------------------------------------- helpers

fn json(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![(
            "content-type".into(),
            "application/json; charset=utf-8".into(),
        )],
        body: body.as_bytes().to_vec(),
    }
}

fn ok<M: Method>(body: &str) -> M::Response {
    decode::<M>(&json(200, body)).unwrap_or_else(|e| panic!("{}: {e:?}", M::NAME))
}

/// The form has exactly these fields, and decodes back into the same request.
fn form_is<M: Method + PartialEq + Debug>(request: &M, expected: &[(&str, &str)]) {
    let form = request.form();
    let mut got: Vec<(&str, &str)> = form
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut want = expected.to_vec();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{}", M::NAME);
    assert!(
        form.get("token").is_none(),
        "{}: the token is the transport's",
        M::NAME
    );
    let back: M = Form::parse(&form.encode()).to_struct().unwrap();
    assert_eq!(&back, request, "{}: round trip", M::NAME);
}

fn info(name: &str) -> MethodInfo {
    methods::info(name).unwrap_or_else(|| panic!("{name} is not in methods::all()"))
}

// ---------------------------------------------------------------- facts

const WRITE: &[&str] = &["admin.users:write"];
const READ: &[&str] = &["admin.users:read"];
const INV_READ: &[&str] = &["admin.invites:read"];
const INV_WRITE: &[&str] = &["admin.invites:write"];

#[rustfmt::skip]
const FACTS: &[(&str, Tier, &[&str], Requirement)] = &[
    ("auth.test", Tier::Special, &[], Requirement::AnyToken),
    ("team.info", Tier::Three, &["team:read"], Requirement::AnyToken),
    ("admin.teams.list", Tier::Three, &["admin.teams:read"], Requirement::GridOrgAdmin),
    ("admin.teams.admins.list", Tier::Three, &["admin.teams:read"], Requirement::GridOrgAdmin),
    ("admin.teams.owners.list", Tier::Three, &["admin.teams:read"], Requirement::GridOrgAdmin),
    ("users.info", Tier::Four, &["users:read"], Requirement::AnyToken),
    ("users.lookupByEmail", Tier::Three, &["users:read.email"], Requirement::AnyToken),
    ("conversations.list", Tier::Two, &["channels:read", "groups:read"], Requirement::AnyToken),
    ("users.list", Tier::Two, &["users:read"], Requirement::AnyToken),
    ("users.admin.invite", Tier::Two, &["client"], Requirement::LegacyToken),
    ("admin.users.invite", Tier::Two, WRITE, Requirement::GridOrgAdmin),
    ("admin.users.assign", Tier::Two, WRITE, Requirement::GridOrgAdmin),
    ("admin.users.remove", Tier::Two, WRITE, Requirement::GridOrgAdmin),
    ("admin.users.setAdmin", Tier::Two, WRITE, Requirement::GridOrgAdmin),
    ("admin.users.setOwner", Tier::Two, WRITE, Requirement::GridOrgAdmin),
    ("admin.users.setRegular", Tier::Two, WRITE, Requirement::GridOrgAdmin),
    ("admin.users.setExpiration", Tier::Two, WRITE, Requirement::GridOrgAdmin),
    ("admin.users.list", Tier::Four, READ, Requirement::GridOrgAdmin),
    ("admin.users.getExpiration", Tier::Four, READ, Requirement::GridOrgAdmin),
    ("admin.users.session.reset", Tier::Two, WRITE, Requirement::GridOrgAdmin),
    ("admin.inviteRequests.list", Tier::Two, INV_READ, Requirement::GridOrgAdmin),
    ("admin.inviteRequests.approved.list", Tier::Two, INV_READ, Requirement::GridOrgAdmin),
    ("admin.inviteRequests.denied.list", Tier::Two, INV_READ, Requirement::GridOrgAdmin),
    ("admin.inviteRequests.approve", Tier::Two, INV_WRITE, Requirement::GridOrgAdmin),
    ("admin.inviteRequests.deny", Tier::Two, INV_WRITE, Requirement::GridOrgAdmin),
];

#[test]
fn every_method_has_the_documented_name_tier_scopes_and_token() {
    assert_eq!(methods::all().len(), FACTS.len());
    for &(name, tier, scopes, requires) in FACTS {
        let m = info(name);
        assert_eq!(m.tier, tier, "{name}");
        assert_eq!(m.scopes, scopes, "{name}");
        assert_eq!(m.requires, requires, "{name}");
    }
    let mut names: Vec<&str> = methods::all().iter().map(|m| m.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), FACTS.len(), "method names are unique");
    assert!(methods::info("chat.postMessage").is_none());
}

#[test]
fn the_types_carry_the_same_facts_as_the_table() {
    macro_rules! same {
        ($($t:ty),*) => {$(
            assert_eq!(MethodInfo::of::<$t>(), info(<$t as Method>::NAME));
        )*};
    }
    same!(
        AuthTest,
        TeamInfo,
        AdminTeamsList,
        ConversationsList,
        UsersList,
        UsersAdminInvite,
        AdminUsersInvite,
        AdminUsersList,
        AdminUsersRemove,
        AdminUsersAssign,
        AdminUsersSetAdmin,
        AdminUsersSetOwner,
        AdminUsersSetRegular,
        AdminUsersSetExpiration,
        AdminUsersGetExpiration,
        AdminInviteRequestsList,
        AdminInviteRequestsApprove,
        AdminInviteRequestsDeny,
        AdminInviteRequestsApprovedList,
        AdminInviteRequestsDeniedList
    );
    assert_eq!(Tier::Two.per_minute(), 20);
    assert_eq!(Tier::Two.spacing_ms(), 3000);
    assert_eq!(Tier::Four.spacing_ms(), 600);
}

// ---------------------------------------------------------------- forms

#[test]
fn admin_users_invite_form() {
    let invite = AdminUsersInvite {
        channel_ids: Some(vec!["C1".into(), "C2".into()]),
        email: "ana@example.com".into(),
        team_id: "T0123ABCD".into(),
        is_restricted: Some(true),
        real_name: Some("Ana Lima".into()),
        resend: None,
        ..Default::default()
    };
    form_is(
        &invite,
        &[
            ("channel_ids", "C1,C2"),
            ("email", "ana@example.com"),
            ("team_id", "T0123ABCD"),
            ("is_restricted", "true"),
            ("real_name", "Ana Lima"),
        ],
    );
    let full = AdminUsersInvite {
        channel_ids: Some(vec!["C1".into()]),
        email: "bo+test@example.com".into(),
        team_id: "T1".into(),
        custom_message: Some("Welcome, & see #general!".into()),
        email_password_policy_enabled: Some(false),
        guest_expiration_ts: Some("1893456000".into()),
        is_restricted: Some(false),
        is_ultra_restricted: Some(true),
        real_name: None,
        resend: Some(true),
    };
    form_is(
        &full,
        &[
            ("channel_ids", "C1"),
            ("email", "bo+test@example.com"),
            ("team_id", "T1"),
            ("custom_message", "Welcome, & see #general!"),
            ("email_password_policy_enabled", "false"),
            ("guest_expiration_ts", "1893456000"),
            ("is_restricted", "false"),
            ("is_ultra_restricted", "true"),
            ("resend", "true"),
        ],
    );
    // The encoded text escapes what needs escaping.
    assert!(full
        .form()
        .encode()
        .contains("email=bo%2Btest%40example.com"));
}

#[test]
fn a_form_from_a_client_sending_one_and_zero_decodes() {
    let form = Form::parse(
        "email=a%40b.co&team_id=T1&channel_ids=C1%2CC2&is_restricted=1&is_ultra_restricted=0",
    );
    let invite: AdminUsersInvite = form.to_struct().unwrap();
    assert_eq!(
        invite.channel_ids,
        Some(vec![ChannelId::from("C1"), "C2".into()])
    );
    assert_eq!(invite.is_restricted, Some(true));
    assert_eq!(invite.is_ultra_restricted, Some(false));
    assert_eq!(invite.resend, None);
    // A required field missing is an error for the sim to report.
    assert!(Form::parse("email=a%40b.co")
        .to_struct::<AdminUsersInvite>()
        .is_err());
}

#[test]
fn admin_users_list_form() {
    form_is(&AdminUsersList::default(), &[]);
    form_is(
        &AdminUsersList {
            cursor: Some("dXNlcjpXMDEy".into()),
            include_admins: Some(true),
            include_deactivated_user_workspaces: Some(false),
            include_owners: Some(true),
            is_active: Some(false),
            limit: Some(200),
            only_guests: Some(false),
            team_id: Some("T0123ABCD".into()),
        },
        &[
            ("cursor", "dXNlcjpXMDEy"),
            ("include_admins", "true"),
            ("include_deactivated_user_workspaces", "false"),
            ("include_owners", "true"),
            ("is_active", "false"),
            ("limit", "200"),
            ("only_guests", "false"),
            ("team_id", "T0123ABCD"),
        ],
    );
}

#[test]
fn admin_users_write_forms() {
    let team: TeamId = "T0123ABCD".into();
    let user: UserId = "W0123ABCD".into();
    let pair = [("team_id", "T0123ABCD"), ("user_id", "W0123ABCD")];
    form_is(
        &AdminUsersRemove {
            team_id: team.clone(),
            user_id: user.clone(),
        },
        &pair,
    );
    form_is(
        &AdminUsersSetAdmin {
            team_id: team.clone(),
            user_id: user.clone(),
        },
        &pair,
    );
    form_is(
        &AdminUsersSetOwner {
            team_id: team.clone(),
            user_id: user.clone(),
        },
        &pair,
    );
    form_is(
        &AdminUsersSetRegular {
            team_id: team.clone(),
            user_id: user.clone(),
        },
        &pair,
    );
    form_is(
        &AdminUsersAssign {
            team_id: team.clone(),
            user_id: user.clone(),
            channel_ids: None,
            is_restricted: None,
            is_ultra_restricted: None,
        },
        &pair,
    );
    form_is(
        &AdminUsersAssign {
            team_id: team.clone(),
            user_id: user.clone(),
            channel_ids: Some(vec!["C123".into(), "C3456".into()]),
            is_restricted: Some(true),
            is_ultra_restricted: Some(false),
        },
        &[
            ("team_id", "T0123ABCD"),
            ("user_id", "W0123ABCD"),
            ("channel_ids", "C123,C3456"),
            ("is_restricted", "true"),
            ("is_ultra_restricted", "false"),
        ],
    );
    form_is(
        &AdminUsersSetExpiration {
            expiration_ts: 1_893_456_000,
            user_id: user.clone(),
            team_id: None,
        },
        &[("expiration_ts", "1893456000"), ("user_id", "W0123ABCD")],
    );
    form_is(
        &AdminUsersSetExpiration {
            expiration_ts: 1_893_456_000,
            user_id: user.clone(),
            team_id: Some(team.clone()),
        },
        &[
            ("expiration_ts", "1893456000"),
            ("user_id", "W0123ABCD"),
            ("team_id", "T0123ABCD"),
        ],
    );
    form_is(&AdminUsersGetExpiration::default(), &[]);
    form_is(
        &AdminUsersGetExpiration {
            target_team: Some(team),
            user_id: Some(user),
        },
        &[("target_team", "T0123ABCD"), ("user_id", "W0123ABCD")],
    );
}

#[test]
fn users_admin_invite_form() {
    form_is(
        &UsersAdminInvite {
            email: "john.doe@email.com".into(),
            channels: Some(vec!["C1234567890".into(), "G12345678".into()]),
            first_name: Some("John".into()),
            last_name: Some("Doe".into()),
            resend: Some(true),
            restricted: Some(true),
            ultra_restricted: None,
            custom_message: None,
        },
        &[
            ("email", "john.doe@email.com"),
            ("channels", "C1234567890,G12345678"),
            ("first_name", "John"),
            ("last_name", "Doe"),
            ("resend", "true"),
            ("restricted", "true"),
        ],
    );
    form_is(
        &UsersAdminInvite {
            email: "a@b.co".into(),
            ..Default::default()
        },
        &[("email", "a@b.co")],
    );
}

#[test]
fn read_method_forms() {
    form_is(&AuthTest {}, &[]);
    form_is(&TeamInfo::default(), &[]);
    form_is(
        &TeamInfo {
            team: Some("T0123ABCD".into()),
        },
        &[("team", "T0123ABCD")],
    );
    form_is(
        &AdminTeamsList {
            cursor: Some("abc".into()),
            limit: Some(100),
        },
        &[("cursor", "abc"), ("limit", "100")],
    );
    form_is(
        &ConversationsList {
            cursor: None,
            exclude_archived: Some(true),
            limit: Some(1000),
            team_id: Some("T1".into()),
            types: Some("public_channel,private_channel".into()),
        },
        &[
            ("exclude_archived", "true"),
            ("limit", "1000"),
            ("team_id", "T1"),
            ("types", "public_channel,private_channel"),
        ],
    );
    form_is(
        &UsersList {
            cursor: Some("c".into()),
            include_locale: Some(false),
            limit: None,
            team_id: None,
        },
        &[("cursor", "c"), ("include_locale", "false")],
    );
}

#[test]
fn invite_request_forms() {
    form_is(
        &AdminInviteRequestsApprove {
            invite_request_id: "Ir1234".into(),
            team_id: Some("T9876".into()),
        },
        &[("invite_request_id", "Ir1234"), ("team_id", "T9876")],
    );
    form_is(
        &AdminInviteRequestsDeny {
            invite_request_id: "1234".into(),
            team_id: None,
        },
        &[("invite_request_id", "1234")],
    );
    let list = [("cursor", "x"), ("limit", "1000"), ("team_id", "T9876")];
    form_is(
        &AdminInviteRequestsList {
            cursor: Some("x".into()),
            limit: Some(1000),
            team_id: Some("T9876".into()),
        },
        &list,
    );
    form_is(
        &AdminInviteRequestsApprovedList {
            cursor: Some("x".into()),
            limit: Some(1000),
            team_id: Some("T9876".into()),
        },
        &list,
    );
    form_is(
        &AdminInviteRequestsDeniedList {
            cursor: Some("x".into()),
            limit: Some(1000),
            team_id: Some("T9876".into()),
        },
        &list,
    );
}

// ---------------------------------------------------------------- successful answers

#[test]
fn acks_decode_with_or_without_warnings() {
    let plain = ok::<AdminUsersInvite>(r#"{"ok":true}"#);
    assert_eq!(plain, Ack::ok());
    let warned = ok::<AdminUsersSetAdmin>(
        r#"{"ok":true,"warning":"superfluous_charset","response_metadata":{"warnings":["superfluous_charset"]}}"#,
    );
    assert_eq!(warned.warning.as_deref(), Some("superfluous_charset"));
    for body in [r#"{"ok":true}"#, r#"{"ok":true,"extra":{"nested":[1,2]}}"#] {
        ok::<UsersAdminInvite>(body);
        ok::<AdminUsersAssign>(body);
        ok::<AdminUsersRemove>(body);
        ok::<AdminUsersSetOwner>(body);
        ok::<AdminUsersSetRegular>(body);
        ok::<AdminUsersSetExpiration>(body);
        ok::<AdminInviteRequestsApprove>(body);
        ok::<AdminInviteRequestsDeny>(body);
    }
}

#[test]
fn auth_test_answer() {
    let r = ok::<AuthTest>(
        r#"{"ok":true,"url":"https://acme-corp.enterprise.slack.com/","team":"Acme Corp","user":"ana","team_id":"T0123ABCD","user_id":"W0123ABCD","enterprise_id":"E0123ABCD","is_enterprise_install":true,"app_name":"Admin Console","app_id":"A0123"}"#,
    );
    assert_eq!(r.team_id, TeamId::from("T0123ABCD"));
    assert_eq!(r.user_id, UserId::from("W0123ABCD"));
    assert_eq!(r.enterprise_id.unwrap().as_str(), "E0123ABCD");
    assert_eq!(r.is_enterprise_install, Some(true));
    assert_eq!(r.bot_id, None);
    let bot = ok::<AuthTest>(
        r#"{"ok":true,"url":"https://acme.slack.com/","team":"Acme","user":"console","team_id":"T1","user_id":"U1","bot_id":"B1"}"#,
    );
    assert_eq!(bot.bot_id.as_deref(), Some("B1"));
    assert_eq!(bot.enterprise_id, None);
}

#[test]
fn team_info_answer() {
    let r = ok::<TeamInfo>(
        r#"{"ok":true,"team":{"id":"T0123ABCD","name":"Acme Ops","url":"https://acme-ops.slack.com/","domain":"acme-ops","email_domain":"acme.test","icon":{"image_default":true,"image_34":"https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-34.png","image_44":"https://a/44.png","image_68":"https://a/68.png","image_88":"https://a/88.png","image_102":"https://a/102.png","image_230":"https://a/230.png","image_132":"https://a/132.png"},"avatar_base_url":"https://ca.slack-edge.com/","is_verified":false,"enterprise_id":"E0123ABCD","enterprise_name":"Acme Corp","lob_sales_home_enabled":false}}"#,
    );
    assert_eq!(r.team.domain, "acme-ops");
    assert_eq!(r.team.email_domain.as_deref(), Some("acme.test"));
    assert_eq!(r.team.icon.image_default, Some(true));
    assert!(r.team.icon.image_132.unwrap().ends_with("132.png"));
    assert_eq!(r.team.enterprise_name.as_deref(), Some("Acme Corp"));
}

#[test]
fn admin_teams_list_answer() {
    let r = ok::<AdminTeamsList>(
        r#"{"ok":true,"teams":[{"id":"T0123ABCD","name":"Acme Ops","discoverability":"open","primary_owner":{"user_id":"W0000OWNR","email":"owner@acme.test"},"team_url":"https://acme-ops.slack.com/","icon":{"image_132":"x"}},{"id":"T0456EFGH","name":"Acme Sales","discoverability":"invite_only","team_url":"https://acme-sales.slack.com/"}],"response_metadata":{"next_cursor":"dGVhbTpUMDQ1Ng=="}}"#,
    );
    assert_eq!(r.teams.len(), 2);
    assert_eq!(
        r.teams[0].primary_owner.as_ref().unwrap().email,
        "owner@acme.test"
    );
    assert_eq!(r.teams[1].primary_owner, None);
    assert_eq!(
        AdminTeamsList::next_cursor(&r).as_deref(),
        Some("dGVhbTpUMDQ1Ng==")
    );
}

#[test]
fn conversations_list_answer() {
    let r = ok::<ConversationsList>(
        r#"{"ok":true,"channels":[{"id":"C0123GNRL","name":"general","is_channel":true,"is_group":false,"is_im":false,"is_mpim":false,"is_private":false,"created":1449252889,"is_archived":false,"is_general":true,"unlinked":0,"name_normalized":"general","is_shared":false,"is_org_shared":false,"is_member":true,"context_team_id":"T0123ABCD","topic":{"value":"Company-wide","creator":"W1","last_set":1449252889},"purpose":{"value":"","creator":"","last_set":0},"previous_names":[],"num_members":412},{"id":"G0123PRIV","name":"secret-plans","is_channel":false,"is_private":true,"is_archived":true,"num_members":3}],"response_metadata":{"next_cursor":""}}"#,
    );
    assert_eq!(r.channels.len(), 2);
    assert!(r.channels[0].is_general);
    assert_eq!(r.channels[0].num_members, 412);
    assert!(r.channels[1].is_private && r.channels[1].is_archived);
    assert_eq!(ConversationsList::next_cursor(&r), None);
}

#[test]
fn users_list_answer() {
    let r = ok::<UsersList>(
        r#"{"ok":true,"members":[{"id":"W0123ABCD","team_id":"T0123ABCD","name":"ana","deleted":false,"color":"9f69e7","real_name":"Ana Lima","tz":"America/Sao_Paulo","tz_offset":-10800,"profile":{"title":"Ops","phone":"","real_name":"Ana Lima","display_name":"ana","email":"ana@acme.test","first_name":"Ana","last_name":"Lima","image_72":"https://avatars.slack-edge.com/ana_72.png","status_text":"","team":"T0123ABCD"},"is_admin":true,"is_owner":false,"is_primary_owner":false,"is_restricted":false,"is_ultra_restricted":false,"is_bot":false,"is_app_user":false,"updated":1700000000,"has_2fa":true},{"id":"USLACKBOT","name":"slackbot","deleted":false,"is_bot":false,"profile":{"real_name":"Slackbot"}}],"cache_ts":1700000000,"response_metadata":{"next_cursor":"dXNlcjpVMDYx"}}"#,
    );
    assert_eq!(r.members.len(), 2);
    assert_eq!(r.members[0].profile.email.as_deref(), Some("ana@acme.test"));
    assert!(r.members[0].is_admin);
    assert_eq!(r.members[1].profile.email, None);
    assert_eq!(r.cache_ts, Some(1_700_000_000));
    assert_eq!(UsersList::next_cursor(&r).as_deref(), Some("dXNlcjpVMDYx"));
}

const ADMIN_USERS_PAGE: &str = r#"{"ok":true,"users":[
  {"id":"W0123ABCD","email":"ana@acme.test","is_admin":true,"is_owner":false,"is_primary_owner":false,"is_restricted":false,"is_ultra_restricted":false,"is_bot":false,"username":"ana","full_name":"Ana Lima","is_active":true,"date_created":1600000000,"workspaces":["T0123ABCD","T0456EFGH"],"has_2fa":true,"has_sso":false,"roles":["admin"],"organization_role":"member"},
  {"id":"W0456GUEST","email":"guest@partner.test","is_restricted":true,"is_ultra_restricted":true,"username":"guest","full_name":"Gus Guest","is_active":true,"date_created":1650000000,"expiration_ts":1893456000,"workspaces":["T0123ABCD"]},
  {"id":"W0789GONE","email":"gone@acme.test","username":"gone","full_name":"","is_active":false,"date_created":1500000000,"deactivated_ts":1700000000,"workspaces":[]}
],"response_metadata":{"next_cursor":"dXNlcjpXMDc4OQ=="}}"#;

#[test]
fn admin_users_list_answer() {
    let r = ok::<AdminUsersList>(ADMIN_USERS_PAGE);
    assert_eq!(r.users.len(), 3);
    let [ana, guest, gone] = &r.users[..] else {
        unreachable!()
    };
    assert!(ana.is_admin && ana.is_active && ana.has_2fa);
    assert_eq!(
        ana.workspaces,
        [TeamId::from("T0123ABCD"), "T0456EFGH".into()]
    );
    assert!(guest.is_ultra_restricted);
    assert_eq!(guest.expiration_ts, Some(1_893_456_000));
    assert!(!gone.is_active);
    assert_eq!(gone.deactivated_ts, Some(1_700_000_000));
    assert_eq!(gone.expiration_ts, None);
}

#[test]
fn admin_users_get_expiration_answer() {
    let r = ok::<AdminUsersGetExpiration>(
        r#"{"ok":true,"user":{"id":"W0456GUEST","email":"guest@partner.test","is_restricted":true,"is_ultra_restricted":false,"expiration_ts":1893456000,"name":"guest"}}"#,
    );
    assert_eq!(r.user.expiration_ts, 1_893_456_000);
    let none = ok::<AdminUsersGetExpiration>(r#"{"ok":true,"user":{"id":"W0456GUEST"}}"#);
    assert_eq!(none.user.expiration_ts, 0);
}

const INVITE_REQUEST: &str = r#"{"id":"Ir0123ABCD","email":"new.person@acme.test","date_created":1714560000,"requester_ids":["W0123ABCD"],"channel_ids":["C0123GNRL","C0456OPS"],"invite_type":"restricted","real_name":"New Person","date_expire":1715164800,"request_reason":"Contractor for the Q3 launch","is_bouncing":false}"#;

#[test]
fn invite_request_lists_answer() {
    let r = ok::<AdminInviteRequestsList>(&format!(
        r#"{{"ok":true,"invite_requests":[{INVITE_REQUEST}],"response_metadata":{{"next_cursor":""}}}}"#
    ));
    let req = &r.invite_requests[0];
    assert_eq!(req.id, InviteRequestId::from("Ir0123ABCD"));
    assert_eq!(req.invite_type, InviteType::Restricted);
    assert_eq!(req.channel_ids.len(), 2);
    assert_eq!(req.request_reason, "Contractor for the Q3 launch");
    assert_eq!(req.team, None);

    let approved = ok::<AdminInviteRequestsApprovedList>(&format!(
        r#"{{"ok":true,"approved_requests":[{{"approved_by":{{"actor_id":"W0123ABCD","actor_type":"user"}},"invite":{{"id":"I0123","email":"new.person@acme.test","date_created":1714600000,"inviter_id":"W0123ABCD","invite_preferences":{{"channel_ids":["C0123GNRL"],"is_restricted":true}},"is_bouncing":false}},"invite_request":{INVITE_REQUEST}}}]}}"#
    ));
    let a = &approved.approved_requests[0];
    assert_eq!(a.approved_by.actor_type, "user");
    assert_eq!(a.invite.as_ref().unwrap().id, "I0123");
    assert_eq!(a.invite_request.email, "new.person@acme.test");

    let denied = ok::<AdminInviteRequestsDeniedList>(&format!(
        r#"{{"ok":true,"denied_requests":[{{"denied_by":{{"actor_id":"W0123ABCD","actor_type":"user"}},"invite_request":{INVITE_REQUEST}}}],"response_metadata":{{"next_cursor":"ZGVuaWVk"}}}}"#
    ));
    assert_eq!(
        denied.denied_requests[0].denied_by.actor_id,
        UserId::from("W0123ABCD")
    );
    assert_eq!(
        AdminInviteRequestsDeniedList::next_cursor(&denied).as_deref(),
        Some("ZGVuaWVk")
    );
}

#[test]
fn an_approved_requests_invite_reads_slacks_invite_preferences() {
    // Slack puts the invitation's channels and kind under `invite_preferences`; before this was
    // read, every approved invite decoded as a full member to no channel.
    let body = format!(
        r#"{{"ok":true,"approved_requests":[
        {{"approved_by":{{"actor_id":"W0123ABCD","actor_type":"user"}},
          "invite":{{"id":"I0123GUEST","email":"new.person@acme.test","date_created":1714600000,
            "inviter_id":"W0123ABCD","date_resent":1714700000,"is_bouncing":false,
            "invite_preferences":{{"channel_ids":["C0123GNRL","C0456OPS"],"is_domain_matched":false,
              "is_restricted":true,"is_ultra_restricted":false}}}},
          "invite_request":{INVITE_REQUEST}}},
        {{"approved_by":{{"actor_id":"W0123ABCD","actor_type":"user"}},
          "invite":{{"id":"I0456SCG","email":"auditor@partner.test","date_created":1714600100,
            "inviter_id":"W0123ABCD","is_bouncing":true,
            "invite_preferences":{{"channel_ids":["C0789AUDIT"],"is_restricted":false,
              "is_ultra_restricted":true}}}},
          "invite_request":{INVITE_REQUEST}}},
        {{"approved_by":{{"actor_id":"A0123APP","actor_type":"app"}},
          "invite":{{"id":"I0789FULL","email":"hire@acme.test","date_created":1714600200,
            "invite_preferences":{{"channel_ids":["C0123GNRL"],"is_domain_matched":true}}}},
          "invite_request":{INVITE_REQUEST}}}],
        "response_metadata":{{"next_cursor":""}}}}"#
    );
    let r = ok::<AdminInviteRequestsApprovedList>(&body);
    let invites: Vec<&Invite> = r
        .approved_requests
        .iter()
        .map(|a| a.invite.as_ref().unwrap())
        .collect();

    let guest = invites[0];
    assert_eq!(guest.invite_type(), InviteType::Restricted);
    assert_eq!(
        guest.channel_ids(),
        [ChannelId::from("C0123GNRL"), ChannelId::from("C0456OPS")]
    );
    assert_eq!(guest.inviter_id, Some(UserId::from("W0123ABCD")));
    assert_eq!(guest.date_resent, Some(1_714_700_000));
    assert!(!guest.is_bouncing);

    let single = invites[1];
    assert_eq!(single.invite_type(), InviteType::UltraRestricted);
    assert_eq!(single.channel_ids(), [ChannelId::from("C0789AUDIT")]);
    assert!(single.is_bouncing);
    assert_eq!(single.date_resent, None);

    // Flags left out mean false: a full member.
    let full = invites[2];
    assert_eq!(full.invite_type(), InviteType::FullMember);
    assert!(full.invite_preferences.is_domain_matched);
    assert!(!full.is_bouncing);
    assert_eq!(r.approved_requests[2].approved_by.actor_type, "app");

    // Serialising gives Slack's shape back (the sim sends core's type), and reads back equal.
    let again = serde_json::to_value(guest).unwrap();
    assert_eq!(again["invite_preferences"]["is_restricted"], true);
    assert_eq!(again["invite_preferences"]["is_ultra_restricted"], false);
    assert_eq!(
        again["invite_preferences"]["channel_ids"],
        serde_json::json!(["C0123GNRL", "C0456OPS"])
    );
    assert!(again.get("invite_type").is_none() && again.get("channel_ids").is_none());
    assert_eq!(&serde_json::from_value::<Invite>(again).unwrap(), guest);
    // An invite without preferences at all is a full member to no channel, not an error.
    let bare: Invite = serde_json::from_str(r#"{"id":"I0","email":"a@b.test"}"#).unwrap();
    assert_eq!(bare.invite_type(), InviteType::FullMember);
    assert!(bare.channel_ids().is_empty());
}

#[test]
fn invite_preferences_from_an_invite_type_and_back() {
    for t in [
        InviteType::FullMember,
        InviteType::Restricted,
        InviteType::UltraRestricted,
    ] {
        assert_eq!(InvitePreferences::new(t, vec![]).invite_type(), t);
    }
    // Both flags set: the narrower access wins.
    let both = InvitePreferences {
        is_restricted: true,
        is_ultra_restricted: true,
        ..Default::default()
    };
    assert_eq!(both.invite_type(), InviteType::UltraRestricted);
}

#[test]
fn the_invite_requested_event_payload_reads_as_an_invite_request() {
    let event = r#"{"type":"invite_requested","invite_request":{"id":"12345","email":"bront@puppies.com","date_created":1626727054,"requester_ids":["U0123ABCD"],"channel_ids":["C0123ABCD"],"invite_type":"full_member","real_name":"Bront","date_expire":1627331854,"request_reason":"Join us","team":{"id":"T0123ABCD","name":"Puppies","domain":"puppies"}}}"#;
    let v: serde_json::Value = serde_json::from_str(event).unwrap();
    let req: InviteRequest = serde_json::from_value(v["invite_request"].clone()).unwrap();
    assert_eq!(req.invite_type, InviteType::FullMember);
    assert_eq!(req.team.unwrap().domain, "puppies");
}

// ---------------------------------------------------------------- failures, for every method

fn expect_err<M: Method>(response: &HttpResponse) -> SlackError {
    match decode::<M>(response) {
        Err(e) => e,
        Ok(_) => panic!("{}: expected an error", M::NAME),
    }
}

fn failures<M: Method>() {
    let name = M::NAME;
    // missing_scope, with what Slack adds.
    let e = expect_err::<M>(&json(
        200,
        r#"{"ok":false,"error":"missing_scope","needed":"admin.users:write","provided":"identify,users:read"}"#,
    ));
    assert_eq!(
        e,
        SlackError::Api {
            code: "missing_scope".into(),
            needed: Some("admin.users:write".into()),
            provided: Some("identify,users:read".into()),
            detail: None,
        },
        "{name}"
    );
    // An unknown code is kept verbatim, with its detail.
    let e = expect_err::<M>(&json(
        200,
        r#"{"ok":false,"error":"some_new_code_2031","detail":"a new thing"}"#,
    ));
    assert_eq!(e.code(), "some_new_code_2031", "{name}");
    assert!(matches!(e, SlackError::Api { detail: Some(ref d), .. } if d == "a new thing"));
    // ok:false without a code.
    assert_eq!(
        expect_err::<M>(&json(200, r#"{"ok":false}"#)).code(),
        "unknown_error"
    );
    // 429 with Retry-After, missing, garbage, fractional, zero, huge.
    for (header, wait) in [
        (Some("30"), 30),
        (None, 1),
        (Some("soon"), 1),
        (Some(""), 1),
        (Some("-5"), 1),
        (Some("0"), 1),
        (Some("1.5"), 2),
        (Some("NaN"), 1),
        (Some("99999999999"), 3600),
    ] {
        let mut r = json(429, r#"{"ok":false,"error":"ratelimited"}"#);
        if let Some(h) = header {
            r.headers.push(("Retry-After".into(), h.into()));
        }
        assert_eq!(
            expect_err::<M>(&r),
            SlackError::RateLimited { retry_after: wait },
            "{name} Retry-After {header:?}"
        );
    }
    // HTTP errors with HTML bodies.
    for status in [500, 502, 503, 504, 404] {
        let mut r = json(status, "<html><body><h1>502 Bad Gateway</h1></body></html>");
        r.headers = vec![("content-type".into(), "text/html".into())];
        let e = expect_err::<M>(&r);
        assert!(
            matches!(e, SlackError::Http { status: s, .. } if s == status),
            "{name}: {e:?}"
        );
        assert_eq!(e.is_transient(), status >= 500);
    }
    // Slack explaining itself with a non-200 status: the code is kept.
    let e = expect_err::<M>(&json(
        400,
        r#"{"ok":false,"error":"invalid_auth","warning":"x"}"#,
    ));
    assert_eq!(e.code(), "invalid_auth", "{name}");
    // 200 with something that is not Slack's answer.
    for body in [
        "<html><title>Sign in</title></html>",
        "",
        "null",
        "[]",
        r#"{"data":1}"#,
    ] {
        let e = expect_err::<M>(&json(200, body));
        assert!(
            matches!(e, SlackError::Decode { .. }),
            "{name} {body:?}: {e:?}"
        );
    }
}

#[test]
fn every_method_decodes_failures_the_same_way() {
    failures::<AuthTest>();
    failures::<TeamInfo>();
    failures::<AdminTeamsList>();
    failures::<ConversationsList>();
    failures::<UsersList>();
    failures::<UsersAdminInvite>();
    failures::<AdminUsersInvite>();
    failures::<AdminUsersList>();
    failures::<AdminUsersRemove>();
    failures::<AdminUsersAssign>();
    failures::<AdminUsersSetAdmin>();
    failures::<AdminUsersSetOwner>();
    failures::<AdminUsersSetRegular>();
    failures::<AdminUsersSetExpiration>();
    failures::<AdminUsersGetExpiration>();
    failures::<AdminInviteRequestsList>();
    failures::<AdminInviteRequestsApprove>();
    failures::<AdminInviteRequestsDeny>();
    failures::<AdminInviteRequestsApprovedList>();
    failures::<AdminInviteRequestsDeniedList>();
}

#[test]
fn answers_of_the_wrong_shape_are_decode_errors() {
    let garbled = json(
        200,
        r#"{"ok":true,"users":"not a list","channels":7,"teams":{},"members":1,"invite_requests":"x","approved_requests":2,"denied_requests":3,"user":4,"team":5}"#,
    );
    fn decode_error<M: Method>(r: &HttpResponse) {
        assert!(
            matches!(decode::<M>(r), Err(SlackError::Decode { .. })),
            "{}",
            M::NAME
        );
    }
    decode_error::<AuthTest>(&garbled);
    decode_error::<TeamInfo>(&garbled);
    decode_error::<AdminTeamsList>(&garbled);
    decode_error::<ConversationsList>(&garbled);
    decode_error::<UsersList>(&garbled);
    decode_error::<AdminUsersList>(&garbled);
    decode_error::<AdminUsersGetExpiration>(&garbled);
    decode_error::<AdminInviteRequestsList>(&garbled);
    decode_error::<AdminInviteRequestsApprovedList>(&garbled);
    decode_error::<AdminInviteRequestsDeniedList>(&garbled);
    // Acks read only `ok` and `warning`: everything else is ignored.
    assert_eq!(
        ok::<AdminUsersInvite>(std::str::from_utf8(&garbled.body).unwrap()),
        Ack::ok()
    );
}

#[test]
fn responses_encode_and_decode_back() {
    fn again<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: T) {
        let http = HttpResponse::json(200, &value);
        let back: T = slack_admin_core::decode_envelope(&http).unwrap();
        assert_eq!(back, value);
    }
    again(ok::<AdminUsersList>(ADMIN_USERS_PAGE));
    again(ok::<AdminInviteRequestsList>(&format!(
        r#"{{"ok":true,"invite_requests":[{INVITE_REQUEST}]}}"#
    )));
    again(Ack::ok());
}

// ---------------------------------------------------------------- pagination

fn paginated<M: Paginated + Debug + PartialEq>(request: M, first: &str, last: &str, items: usize)
where
    M::Item: Debug,
{
    let name = M::NAME;
    let at = request.at_cursor(Some("abc".into()));
    assert_eq!(at.form().get("cursor"), Some("abc"), "{name}");
    // Every other field is kept.
    let mut without: Vec<_> = at
        .form()
        .0
        .into_iter()
        .filter(|(k, _)| k != "cursor")
        .collect();
    let mut original: Vec<_> = request
        .form()
        .0
        .into_iter()
        .filter(|(k, _)| k != "cursor")
        .collect();
    without.sort();
    original.sort();
    assert_eq!(without, original, "{name}");
    assert_eq!(at.at_cursor(None).form().get("cursor"), None, "{name}");

    let page = ok::<M>(first);
    assert!(M::next_cursor(&page).is_some(), "{name}");
    assert_eq!(M::into_items(page).len(), items, "{name}");
    let end = ok::<M>(last);
    assert_eq!(M::next_cursor(&end), None, "{name}");

    // Walk: first page, then the cursor, then stop.
    let mut pages = Pages::default();
    let mut asked = Vec::new();
    let answers = [first, last];
    while let Some(cursor) = pages.next_request() {
        let req = request.at_cursor(cursor.clone());
        asked.push(req.form().get("cursor").map(str::to_owned));
        let answer = ok::<M>(answers[asked.len() - 1]);
        pages.record(M::next_cursor(&answer)).unwrap();
    }
    assert_eq!(asked.len(), 2, "{name}");
    assert_eq!(asked[0], None);
    assert!(asked[1].is_some());
    assert_eq!(pages.pages_fetched(), 2);
}

#[test]
fn every_list_method_pages_by_cursor() {
    let next = r#""response_metadata":{"next_cursor":"bmV4dA=="}"#;
    paginated(
        AdminUsersList {
            limit: Some(2),
            only_guests: Some(true),
            team_id: Some("T1".into()),
            ..Default::default()
        },
        ADMIN_USERS_PAGE,
        r#"{"ok":true,"users":[],"response_metadata":{"next_cursor":""}}"#,
        3,
    );
    paginated(
        UsersList {
            limit: Some(200),
            ..Default::default()
        },
        &format!(r#"{{"ok":true,"members":[{{"id":"U1"}},{{"id":"U2"}}],{next}}}"#),
        r#"{"ok":true,"members":[{"id":"U3"}]}"#,
        2,
    );
    paginated(
        ConversationsList {
            exclude_archived: Some(true),
            types: Some("public_channel,private_channel".into()),
            ..Default::default()
        },
        &format!(r#"{{"ok":true,"channels":[{{"id":"C1","name":"a"}}],{next}}}"#),
        r#"{"ok":true,"channels":[],"response_metadata":{"next_cursor":"  "}}"#,
        1,
    );
    paginated(
        AdminTeamsList::default(),
        &format!(r#"{{"ok":true,"teams":[{{"id":"T1"}},{{"id":"T2"}}],{next}}}"#),
        r#"{"ok":true,"teams":[{"id":"T3"}],"response_metadata":{}}"#,
        2,
    );
    let list = AdminInviteRequestsList {
        limit: Some(1000),
        team_id: Some("T9876".into()),
        cursor: None,
    };
    paginated(
        list,
        &format!(r#"{{"ok":true,"invite_requests":[{INVITE_REQUEST}],{next}}}"#),
        r#"{"ok":true,"invite_requests":[]}"#,
        1,
    );
    paginated(
        AdminInviteRequestsApprovedList::default(),
        &format!(
            r#"{{"ok":true,"approved_requests":[{{"approved_by":{{"actor_id":"W1"}},"invite_request":{INVITE_REQUEST}}}],{next}}}"#
        ),
        r#"{"ok":true,"approved_requests":[]}"#,
        1,
    );
    paginated(
        AdminInviteRequestsDeniedList::default(),
        &format!(
            r#"{{"ok":true,"denied_requests":[{{"denied_by":{{"actor_id":"W1"}},"invite_request":{INVITE_REQUEST}}}],{next}}}"#
        ),
        r#"{"ok":true,"denied_requests":[],"response_metadata":{"next_cursor":""}}"#,
        1,
    );
}

#[test]
fn pages_stop_on_an_empty_or_repeated_cursor() {
    let mut pages = Pages::default();
    assert_eq!(pages.next_request(), Some(None));
    pages.record(Some("a".into())).unwrap();
    assert_eq!(pages.next_request(), Some(Some("a".into())));
    pages.record(Some("b".into())).unwrap();
    assert_eq!(pages.next_request(), Some(Some("b".into())));
    pages.record(Some("   ".into())).unwrap();
    assert_eq!(pages.next_request(), None);
    assert_eq!(pages.pages_fetched(), 3);

    let mut looping = Pages::default();
    looping.record(Some("same".into())).unwrap();
    assert!(looping.record(Some("same".into())).is_err());
    assert_eq!(looping.next_request(), None);

    let mut single = Pages::default();
    single.record(None).unwrap();
    assert_eq!(single.next_request(), None);
    assert_eq!(single.pages_fetched(), 1);
}

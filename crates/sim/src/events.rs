//! Slack's Events API, the sim's side: the `invite_requested` event a filed request makes, in
//! the `event_callback` envelope Slack posts to an app's Request URL
//! (docs.slack.dev/reference/events/invite_requested), and how Slack signs it. The sending is
//! the server's (`delivery`); this part is pure.

use crate::fixture;
use serde_json::{json, Value};
use slack_admin_core::methods::admin_invite_requests::InviteRequest;

/// The simulated app the events are for.
pub const API_APP_ID: &str = "A0SIMEVENTS";
/// The verification token Slack still puts in every envelope (deprecated in favour of the
/// signature, which is what receivers check).
pub const VERIFICATION_TOKEN: &str = "simverificationtoken";

/// The envelope of an `invite_requested` event for `request`, as Slack posts it for an app
/// installed on the org by its admin. `event_id` is unique per event (Slack keeps it across
/// retries); `event_time` is in seconds.
pub fn invite_requested(request: &InviteRequest, event_id: &str, event_time: i64) -> Value {
    let team_id = request
        .team
        .as_ref()
        .map_or(fixture::HQ, |t| t.id.as_str())
        .to_owned();
    json!({
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "enterprise_id": fixture::ORG_ID,
        "api_app_id": API_APP_ID,
        "event": {
            "type": "invite_requested",
            "invite_request": request,
        },
        "type": "event_callback",
        "authorizations": [{
            "enterprise_id": fixture::ORG_ID,
            "team_id": team_id,
            "user_id": fixture::ids::ORG_ADMIN,
            "is_bot": false,
            "is_enterprise_install": true,
        }],
        "is_ext_shared_channel": false,
        "event_id": event_id,
        "event_time": event_time,
    })
}

/// An event ID of Slack's shape (`Ev` and upper-case letters and digits), unique for this
/// sim: the time it started (ms) and a counter.
pub fn event_id(started_ms: u64, n: u64) -> String {
    format!("Ev{started_ms:X}{n:04X}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use slack_admin_core::events::{decode_event, InviteRequested};
    use slack_admin_core::methods::admin_invite_requests::RequestTeam;

    #[test]
    fn the_event_reads_back_as_the_request_it_was_made_from() {
        let request = InviteRequest {
            id: "Ir7".into(),
            email: "new@example.com".into(),
            date_created: 1_767_225_600,
            requester_ids: vec![fixture::ids::MEMBER.into()],
            team: Some(RequestTeam {
                id: fixture::LABS.into(),
                name: "Labs".into(),
                domain: "nw-labs".into(),
            }),
            ..InviteRequest::default()
        };
        let envelope = invite_requested(&request, &event_id(1, 2), 1_767_225_601);
        assert_eq!(envelope["team_id"], fixture::LABS);
        assert_eq!(envelope["event_id"], "Ev10002");
        assert_eq!(
            decode_event(&envelope.to_string()),
            Ok(Some(InviteRequested {
                team: fixture::LABS.into(),
                request
            }))
        );
    }
}

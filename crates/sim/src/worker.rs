//! The sim behind the sandbox worker (`crates/sandbox-worker`): reads the page's messages
//! ([`slack_admin_core::sandbox::protocol`]) and says what to post back, and after how long.
//! Pure, so the whole exchange is tested natively; the worker crate only moves text.

use crate::{Reply, Request, Sim, SimConfig};
use slack_admin_core::sandbox::protocol::{self, FromWorker, ToWorker, VERSION};

/// One org for the life of the worker (the tab).
pub struct Host {
    sim: Sim,
}

/// A message to post back after `delay_ms`.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub text: String,
    pub delay_ms: u64,
}

impl Host {
    pub fn new(config: SimConfig) -> Self {
        Self {
            sim: Sim::new(config),
        }
    }

    /// The first message a started worker posts.
    pub fn ready() -> String {
        protocol::encode(&FromWorker::Ready { version: VERSION })
    }

    /// The answer to one message from the page, received at `now_ms`.
    pub fn on_message(&mut self, text: &str, now_ms: u64) -> Outgoing {
        let now = |message: FromWorker| Outgoing {
            text: protocol::encode(&message),
            delay_ms: 0,
        };
        let message = match protocol::decode::<ToWorker>(text) {
            Ok(m) => m,
            Err(reason) => {
                // Answer the id if there is one, so the caller is not left waiting.
                let id = serde_json::from_str::<serde_json::Value>(text)
                    .ok()
                    .and_then(|v| v.get("id")?.as_u64());
                return now(FromWorker::Unreadable { id, reason });
            }
        };
        match message {
            ToWorker::Configure {
                id,
                rate_scale,
                members,
            } => {
                if let Some(n) = members.filter(|&n| n != self.sim.config().members) {
                    self.sim = Sim::new(SimConfig {
                        members: n,
                        ..self.sim.config().clone()
                    });
                }
                self.sim.set_rate_scale(rate_scale);
                let every = if rate_scale > 1.0 {
                    slack_admin_core::sandbox::FAST_REQUEST_EVERY_S
                } else {
                    slack_admin_core::sandbox::REQUEST_EVERY_S
                };
                if self.sim.config().request_every_s != Some(every) {
                    self.sim.set_request_every(Some(every));
                }
                now(FromWorker::Configured { id })
            }
            ToWorker::Call {
                id,
                method,
                path,
                headers,
                body,
            } => {
                let request = Request {
                    method,
                    path,
                    headers,
                    body: body.into_bytes(),
                };
                match self.sim.handle(&request, now_ms) {
                    Reply::Answer { response, delay_ms } => Outgoing {
                        text: protocol::encode(&FromWorker::Answer {
                            id,
                            status: response.status,
                            headers: response.headers,
                            // The sim answers JSON (UTF-8) or nothing.
                            body: String::from_utf8_lossy(&response.body).into_owned(),
                        }),
                        // A fault's delay, at most a minute, as the in-page sandbox had it.
                        delay_ms: delay_ms.min(60_000),
                    },
                    Reply::Drop => now(FromWorker::Dropped { id }),
                }
            }
        }
    }

    pub fn sim(&self) -> &Sim {
        &self.sim
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Faults;

    const NOW: u64 = 1_760_000_000_000;

    fn call(id: u64, method: &str, form: &str) -> String {
        protocol::encode(&ToWorker::Call {
            id,
            method: "POST".into(),
            path: format!("/api/{method}"),
            headers: vec![(
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: form.into(),
        })
    }

    fn answer(out: &Outgoing) -> (u64, u16, Vec<(String, String)>, serde_json::Value) {
        match protocol::decode::<FromWorker>(&out.text).unwrap() {
            FromWorker::Answer {
                id,
                status,
                headers,
                body,
            } => (id, status, headers, serde_json::from_str(&body).unwrap()),
            other => panic!("not an answer: {other:?}"),
        }
    }

    #[test]
    fn a_call_is_answered_as_the_server_answers_it() {
        let mut host = Host::new(SimConfig::default());
        let out = host.on_message(&call(3, "auth.test", "token=xoxp-sandbox-org-admin"), NOW);
        let (id, status, headers, body) = answer(&out);
        assert_eq!((id, status, out.delay_ms), (3, 200, 0));
        assert_eq!(body["ok"], true);
        assert_eq!(body["user"], "mateo.garcia");
        assert!(
            headers.iter().any(|(k, _)| k == "x-oauth-scopes"),
            "{headers:?}"
        );
    }

    #[test]
    fn the_org_keeps_its_state_between_calls() {
        let mut host = Host::new(SimConfig::default());
        let form = format!(
            "token=xoxp-sandbox-org-admin&email=new.person%40example.com&team_id={}&channel_ids={}",
            crate::fixture::HQ,
            crate::fixture::ids::HQ_GENERAL
        );
        let first = answer(&host.on_message(&call(1, "admin.users.invite", &form), NOW)).3;
        assert_eq!(first["ok"], true, "{first}");
        let again = answer(&host.on_message(&call(2, "admin.users.invite", &form), NOW + 5_000)).3;
        assert_eq!(again["ok"], false, "{again}");
    }

    #[test]
    fn configure_with_another_size_starts_a_new_org_and_the_same_size_keeps_it() {
        let mut host = Host::new(SimConfig::default());
        let form = format!(
            "token=xoxp-sandbox-org-admin&email=kept@example.com&team_id={}&channel_ids={}",
            crate::fixture::HQ,
            crate::fixture::ids::HQ_GENERAL
        );
        assert_eq!(
            answer(&host.on_message(&call(1, "admin.users.invite", &form), NOW)).3["ok"],
            true
        );
        let configure = |members| {
            protocol::encode(&ToWorker::Configure {
                id: 2,
                rate_scale: 1.0,
                members,
            })
        };
        let same = host.sim().config().members;
        host.on_message(&configure(Some(same)), NOW);
        assert_eq!(
            answer(&host.on_message(&call(3, "admin.users.invite", &form), NOW + 5_000)).3["ok"],
            false,
            "the org was kept"
        );
        host.on_message(&configure(Some(2_000)), NOW);
        assert_eq!(host.sim().config().members, 2_000);
        assert_eq!(
            host.sim().state().tenants[crate::fixture::GRID].users.len(),
            2_000
        );
        assert_eq!(
            answer(&host.on_message(&call(4, "admin.users.invite", &form), NOW + 10_000)).3["ok"],
            true,
            "a new org"
        );
    }

    #[test]
    fn configure_scales_the_rate_limits_and_is_acknowledged() {
        let mut host = Host::new(SimConfig::default());
        let out = host.on_message(
            &protocol::encode(&ToWorker::Configure {
                id: 9,
                rate_scale: 50.0,
                members: None,
            }),
            NOW,
        );
        assert_eq!(
            protocol::decode::<FromWorker>(&out.text).unwrap(),
            FromWorker::Configured { id: 9 }
        );
        assert_eq!(host.sim().config().rate_scale, 50.0);
        // Tier 2 is 20 a minute; at 50 times, 100 calls in a second all pass.
        for i in 0..100 {
            let out = host.on_message(&call(i, "team.info", "token=xoxp-sandbox-org-admin"), NOW);
            assert_eq!(answer(&out).1, 200, "call {i}");
        }
        // Back to Slack's allowance, the bucket is soon empty.
        host.on_message(
            &protocol::encode(&ToWorker::Configure {
                id: 10,
                rate_scale: 1.0,
                members: None,
            }),
            NOW,
        );
        let statuses: Vec<u16> = (0..100)
            .map(|i| {
                answer(&host.on_message(&call(i, "team.info", "token=xoxp-sandbox-member"), NOW)).1
            })
            .collect();
        assert!(statuses.contains(&429), "{statuses:?}");
    }

    #[test]
    fn drops_and_delays_of_faults_reach_the_page() {
        let mut host = Host::new(SimConfig {
            faults: "drop=1".parse::<Faults>().unwrap(),
            ..SimConfig::default()
        });
        let out = host.on_message(&call(4, "auth.test", "token=xoxp-sandbox-org-admin"), NOW);
        assert_eq!(
            protocol::decode::<FromWorker>(&out.text).unwrap(),
            FromWorker::Dropped { id: 4 }
        );
    }

    #[test]
    fn an_unreadable_message_is_answered_with_its_id_when_it_has_one() {
        let mut host = Host::new(SimConfig::default());
        let out = host.on_message(r#"{"kind":"call","id":12}"#, NOW);
        match protocol::decode::<FromWorker>(&out.text).unwrap() {
            FromWorker::Unreadable { id, .. } => assert_eq!(id, Some(12)),
            other => panic!("{other:?}"),
        }
        let out = host.on_message("garbage", NOW);
        assert!(matches!(
            protocol::decode::<FromWorker>(&out.text).unwrap(),
            FromWorker::Unreadable { id: None, .. }
        ));
    }

    #[test]
    fn the_ready_message_names_the_protocol_version() {
        assert_eq!(
            protocol::decode::<FromWorker>(&Host::ready()).unwrap(),
            FromWorker::Ready { version: VERSION }
        );
    }
}

//! Drives a bulk [`Job`] (invites, or changes to members) against the simulated Slack on a virtual clock, as the app's
//! loop does with a real transport, and keeps the books a test or a benchmark checks:
//! calls, 429s, rows sent again after their final answer, invitations per address.
//! Shared by `tests/invite_job.rs` and `examples/bench_invites.rs`.
#![allow(dead_code)]

use slack_admin_core::invite::job::{dropped, read_answer, Work};
use slack_admin_core::invite::{Job, Step};
use slack_sim::{Reply, Request, Sim};
use std::collections::HashSet;

/// A sim, a token, a clock, and what happened.
pub struct Driver {
    pub sim: Sim,
    pub token: &'static str,
    /// Virtual time, ms since the epoch.
    pub now: u64,
    /// Calls sent to the sim.
    pub sends: u64,
    /// Answers with HTTP 429.
    pub http_429: u64,
    /// Connections dropped, HTTP 5xx answers, unreadable bodies.
    pub drops: u64,
    pub errors_5xx: u64,
    pub undecodable: u64,
    /// Rows whose answer made them final.
    pub finished_rows: HashSet<usize>,
    /// Calls for a row after it had its final state (must stay 0).
    pub sent_after_final: u64,
    /// When each call was sent.
    pub send_times: Vec<u64>,
    /// Time Slack forbade calls: the union of the 429s' Retry-After windows.
    pub held_ms: u64,
    hold_end: u64,
}

impl Driver {
    pub fn new(sim: Sim, token: &'static str, now: u64) -> Self {
        Self {
            sim,
            token,
            now,
            sends: 0,
            http_429: 0,
            drops: 0,
            errors_5xx: 0,
            undecodable: 0,
            finished_rows: HashSet::new(),
            sent_after_final: 0,
            send_times: Vec::new(),
            held_ms: 0,
            hold_end: 0,
        }
    }

    /// Sends the call of a [`Step::Send`] to the sim and returns its reply.
    fn call(&mut self, row: usize, form: &slack_admin_core::Form, method: &str) -> Reply {
        if self.finished_rows.contains(&row) {
            self.sent_after_final += 1;
        }
        self.sends += 1;
        self.send_times.push(self.now);
        let fields: Vec<(&str, &str)> = form
            .0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.sim
            .handle(&Request::form(method, self.token, &fields), self.now)
    }

    /// One step of the app's loop: ask the job, then send and record, or wait. Returns the
    /// step the job gave.
    pub fn step<W: Work>(&mut self, job: &mut Job<W>) -> Step {
        let step = job.next(self.now);
        match &step {
            Step::Send { row, form, method } => {
                let row = *row;
                let reply = self.call(row, form, method);
                let result = match reply {
                    Reply::Answer { response, delay_ms } => {
                        self.now += delay_ms;
                        match response.status {
                            429 => {
                                self.http_429 += 1;
                                let secs: u64 = response
                                    .header("retry-after")
                                    .and_then(|v| v.trim().parse().ok())
                                    .unwrap_or(1);
                                let end = self.now + secs * 1000;
                                if end > self.hold_end {
                                    self.held_ms += end - self.now.max(self.hold_end);
                                    self.hold_end = end;
                                }
                            }
                            s if s >= 500 => self.errors_5xx += 1,
                            _ => {}
                        }
                        let result = read_answer(&response);
                        if matches!(result, Err(slack_admin_core::SlackError::Decode { .. })) {
                            self.undecodable += 1;
                        }
                        result
                    }
                    Reply::Drop => {
                        self.drops += 1;
                        Err(dropped())
                    }
                };
                assert!(job.record(row, result, self.now), "row {row} was in flight");
                if job.rows()[row].outcome().is_some() {
                    self.finished_rows.insert(row);
                }
            }
            Step::WaitUntil(t) => {
                assert!(*t > self.now, "WaitUntil must be in the future");
                self.now = *t;
            }
            Step::AwaitAnswer { row } => panic!("row {row} in flight with nobody waiting"),
            Step::Paused | Step::Finished => {}
        }
        step
    }

    /// Runs until the job is finished or paused; returns the last step.
    pub fn run<W: Work>(&mut self, job: &mut Job<W>) -> Step {
        self.run_for(job, usize::MAX)
    }

    /// Runs until `sends` calls were made, or the job is finished or paused; returns the last
    /// step.
    pub fn run_for<W: Work>(&mut self, job: &mut Job<W>, sends: usize) -> Step {
        let mut sent = 0;
        for _ in 0..10_000_000u64 {
            let step = self.step(job);
            match step {
                Step::Send { .. } => {
                    sent += 1;
                    if sent == sends {
                        return step;
                    }
                }
                Step::WaitUntil(_) => {}
                other => return other,
            }
        }
        panic!("the job never ends");
    }

    /// Sends the next call and loses its answer, as when the tab closes mid-call. Returns the
    /// row, or `None` when the job had nothing to send. The sim may or may not have acted.
    pub fn send_and_lose_the_answer<W: Work>(&mut self, job: &mut Job<W>) -> Option<usize> {
        loop {
            match job.next(self.now) {
                Step::Send { row, form, method } => {
                    let _ = self.call(row, &form, method);
                    return Some(row);
                }
                Step::WaitUntil(t) => self.now = t,
                _ => return None,
            }
        }
    }

    /// Invitations the sim holds for `email` in tenant `tenant`.
    pub fn invitations(&self, tenant: usize, email: &str) -> usize {
        self.sim.state().tenants[tenant]
            .invitations_by_email
            .get(&email.to_lowercase())
            .map_or(0, Vec::len)
    }
}

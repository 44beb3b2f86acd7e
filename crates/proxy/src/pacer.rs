//! One pace for every caller: each method's calls are spaced by its tier's interval (Slack's
//! limits are per method), whoever makes them, and a 429 from Slack holds that method for
//! everyone until its `Retry-After` has passed.

use slack_admin_core::Tier;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
struct Slot {
    /// The earliest time the next call may go.
    next_at: Option<Instant>,
    /// Slack said to wait until then.
    hold_until: Option<Instant>,
}

pub struct Pacer {
    /// Times Slack's allowances (1: Slack's tiers; tests and benchmarks against the sim use
    /// more).
    scale: f64,
    slots: Mutex<HashMap<String, Slot>>,
}

impl Pacer {
    pub fn new(scale: f64) -> Self {
        Pacer {
            scale: if scale.is_finite() && scale > 0.0 {
                scale
            } else {
                1.0
            },
            slots: Mutex::new(HashMap::new()),
        }
    }

    fn interval(&self, tier: Tier) -> Duration {
        Duration::from_secs_f64(60.0 / (f64::from(tier.per_minute()) * self.scale))
    }

    /// Takes the next turn of `method` and returns how long to wait for it, or `None` (and
    /// takes nothing) when that turn is more than `max_wait` away. Turns are handed out in
    /// order, so callers queue rather than race, and the queue never grows past `max_wait`.
    pub fn reserve(
        &self,
        method: &str,
        tier: Tier,
        now: Instant,
        max_wait: Duration,
    ) -> Option<Duration> {
        let interval = self.interval(tier);
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let slot = slots.entry(method.to_owned()).or_default();
        let start = [Some(now), slot.next_at, slot.hold_until]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(now);
        if start - now > max_wait {
            return None;
        }
        slot.next_at = Some(start + interval);
        Some(start - now)
    }

    /// How long until `method` has a free turn (zero: now), taking nothing. The proxy's jobs
    /// ask first and take only free turns, so an admin's own call never queues behind them.
    pub fn free_in(&self, method: &str, now: Instant) -> Duration {
        let slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots
            .get(method)
            .and_then(|slot| [slot.next_at, slot.hold_until].into_iter().flatten().max())
            .map_or(Duration::ZERO, |t| t.saturating_duration_since(now))
    }

    /// Slack answered 429 for `method`: nobody calls it before `retry_after` has passed.
    pub fn hold(&self, method: &str, retry_after: Duration, now: Instant) {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let slot = slots.entry(method.to_owned()).or_default();
        let until = now
            .checked_add(retry_after)
            .unwrap_or(now + Duration::from_secs(3_600));
        slot.hold_until = Some(slot.hold_until.map_or(until, |h| h.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_of_a_method_are_spaced_by_its_tier_for_every_caller() {
        let p = Pacer::new(1.0);
        let t = Instant::now();
        let max = Duration::from_secs(7);
        let set_admin = |at: Instant| p.reserve("admin.users.setAdmin", Tier::Two, at, max);
        // Tier 2: 20 a minute, one every 3 s, whoever asks.
        assert_eq!(set_admin(t), Some(Duration::ZERO));
        assert_eq!(set_admin(t), Some(Duration::from_secs(3)));
        assert_eq!(set_admin(t), Some(Duration::from_secs(6)));
        // The next turn is 9 s away: refused, and nothing taken (a flood cannot push it on).
        assert_eq!(set_admin(t), None);
        assert_eq!(set_admin(t), None);
        assert_eq!(
            set_admin(t + Duration::from_secs(3)),
            Some(Duration::from_secs(6))
        );
        // Another method has its own allowance.
        assert_eq!(
            p.reserve("admin.users.list", Tier::Four, t, max),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn a_429_holds_the_method_for_everyone() {
        let p = Pacer::new(1.0);
        let t = Instant::now();
        let max = Duration::from_secs(60);
        p.hold("users.list", Duration::from_secs(30), t);
        assert_eq!(
            p.reserve("users.list", Tier::Two, t, max),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            p.reserve("users.info", Tier::Four, t, max),
            Some(Duration::ZERO)
        );
        // A Retry-After beyond reason does not overflow.
        p.hold("users.info", Duration::from_secs(u64::MAX), t);
        assert_eq!(p.reserve("users.info", Tier::Four, t, max), None);
    }

    #[test]
    fn a_free_turn_is_seen_without_taking_it() {
        let p = Pacer::new(1.0);
        let t0 = Instant::now();
        assert_eq!(p.free_in("admin.users.invite", t0), Duration::ZERO);
        assert_eq!(
            p.free_in("admin.users.invite", t0),
            Duration::ZERO,
            "asking takes nothing"
        );
        p.reserve("admin.users.invite", Tier::Two, t0, Duration::from_secs(60));
        assert_eq!(p.free_in("admin.users.invite", t0), Duration::from_secs(3));
        assert_eq!(
            p.free_in("admin.users.invite", t0 + Duration::from_secs(5)),
            Duration::ZERO
        );
        p.hold("admin.users.invite", Duration::from_secs(30), t0);
        assert_eq!(p.free_in("admin.users.invite", t0), Duration::from_secs(30));
    }
}

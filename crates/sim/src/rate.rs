//! Rate limits by tier, over a one-minute window.
//!
//! Each (who, what) has a bucket holding a minute's allowance (the tier's calls per minute
//! times `rate_scale`), refilled continuously over the minute. A call takes one unit; with none
//! left the answer is HTTP 429 with `Retry-After`: the whole seconds until a unit is back.

use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct RateLimiter {
    scale: f64,
    buckets: HashMap<(String, String), Bucket>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    units: f64,
    at_ms: u64,
}

impl RateLimiter {
    pub fn new(scale: f64) -> Self {
        Self {
            scale: Self::valid(scale),
            buckets: HashMap::new(),
        }
    }

    /// A usable scale: anything not positive and finite-or-infinite reads as 1.
    fn valid(scale: f64) -> f64 {
        if scale.is_nan() || scale <= 0.0 {
            1.0
        } else {
            scale
        }
    }

    /// Changes the allowance from now on.
    pub fn set_scale(&mut self, scale: f64) {
        self.scale = Self::valid(scale);
    }

    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// The calls a minute this limiter allows for an allowance of `per_minute`.
    pub fn allowance(&self, per_minute: u32) -> f64 {
        (f64::from(per_minute) * self.scale).max(1.0)
    }

    /// Takes one call for `key` (who) and `bucket` (what). `Err(seconds)` when over the limit.
    pub fn check(
        &mut self,
        key: &str,
        bucket: &str,
        per_minute: u32,
        now_ms: u64,
    ) -> Result<(), u64> {
        self.check_burst(key, bucket, per_minute, per_minute, now_ms)
    }

    /// Like [`RateLimiter::check`], with a burst smaller than a minute's allowance: at most
    /// `burst` calls at once, refilled at `per_minute` (SCIM: "180 per minute, burst 20").
    pub fn check_burst(
        &mut self,
        key: &str,
        bucket: &str,
        per_minute: u32,
        burst: u32,
        now_ms: u64,
    ) -> Result<(), u64> {
        let rate = self.allowance(per_minute);
        if rate >= 1e9 {
            return Ok(());
        }
        let capacity = self.allowance(burst.min(per_minute));
        let per_ms = rate / 60_000.0;
        let b = self
            .buckets
            .entry((key.to_owned(), bucket.to_owned()))
            .or_insert(Bucket {
                units: capacity,
                at_ms: now_ms,
            });
        let elapsed = now_ms.saturating_sub(b.at_ms) as f64;
        b.units = (b.units + elapsed * per_ms).min(capacity);
        b.at_ms = b.at_ms.max(now_ms);
        if b.units >= 1.0 {
            b.units -= 1.0;
            Ok(())
        } else {
            let wait_ms = (1.0 - b.units) / per_ms;
            Err(((wait_ms / 1000.0).ceil() as u64).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minute_of_allowance_then_429_then_refill() {
        let mut r = RateLimiter::new(1.0);
        for _ in 0..20 {
            assert!(r.check("t", "m", 20, 1000).is_ok());
        }
        let retry = r.check("t", "m", 20, 1000).unwrap_err();
        assert_eq!(retry, 3, "one call every 3 s in tier 2");
        assert!(r.check("t", "other", 20, 1000).is_ok(), "per method");
        assert!(r.check("u", "m", 20, 1000).is_ok(), "per token");
        assert!(r.check("t", "m", 20, 4000).is_ok(), "refilled after 3 s");
        assert!(r.check("t", "m", 20, 4000).is_err());
    }

    #[test]
    fn scale_multiplies_and_never_goes_below_one() {
        let r = RateLimiter::new(0.01);
        assert_eq!(r.allowance(20), 1.0);
        assert_eq!(RateLimiter::new(10.0).allowance(20), 200.0);
        let mut big = RateLimiter::new(1e12);
        for _ in 0..10_000 {
            assert!(big.check("t", "m", 1, 0).is_ok());
        }
    }
}

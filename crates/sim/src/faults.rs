//! Faults on demand: a share of HTTP 500s, dropped connections, slow answers, malformed bodies
//! and bursts of 429, drawn from the sim's seeded PRNG so a run can be repeated exactly.

use crate::prng::Rng;
use std::fmt;
use std::str::FromStr;

/// What `--faults` injects. Every rate is a probability per request, from 0 to 1.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    /// HTTP 500 with an HTML body, before the request is processed.
    pub error_500: f64,
    /// The connection is closed without an answer; half of these after the request was
    /// processed (the caller cannot know whether it took effect), half before.
    pub drop: f64,
    /// The answer is delayed by `slow_ms`.
    pub slow: f64,
    pub slow_ms: u64,
    /// The request is processed but the JSON body is cut in half.
    pub malformed: f64,
    /// A burst of 429s starts: this request and every one in the next `burst_ms` is refused.
    pub burst429: f64,
    pub burst_ms: u64,
}

/// The syntax of `--faults`, for `slack-sim --help`.
pub const SYNTAX: &str = "\
Comma-separated KIND=RATE[:ARG] items; RATE is a probability per request from 0 to 1.
  500=R           answer HTTP 500 (HTML body) before processing
  drop=R          close the connection without an answer (half before, half after processing)
  slow=R[:MS]     delay the answer by MS milliseconds (default 2000)
  malformed=R     process the request, then send a truncated JSON body
  burst429=R[:MS] start a burst of HTTP 429 lasting MS milliseconds (default 3000)
Example: --faults 500=0.05,drop=0.02,slow=0.1:2000,malformed=0.02,burst429=0.01
Faults hit /api/* and /scim/* only, never /sim/*, and are drawn from --seed.";

impl Faults {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn is_none(&self) -> bool {
        self.error_500 == 0.0
            && self.drop == 0.0
            && self.slow == 0.0
            && self.malformed == 0.0
            && self.burst429 == 0.0
    }
}

impl FromStr for Faults {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let mut faults = Faults {
            slow_ms: 2000,
            burst_ms: 3000,
            ..Faults::default()
        };
        let spec = spec.trim();
        if spec.is_empty() || spec == "none" {
            return Ok(faults);
        }
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (kind, value) = item
                .split_once('=')
                .ok_or_else(|| format!("{item:?}: expected KIND=RATE"))?;
            let (rate, arg) = match value.split_once(':') {
                Some((r, a)) => (r, Some(a)),
                None => (value, None),
            };
            let rate: f64 = rate
                .trim()
                .parse()
                .map_err(|_| format!("{item:?}: {rate:?} is not a number"))?;
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{item:?}: the rate must be between 0 and 1"));
            }
            let ms = |default: u64| -> Result<u64, String> {
                match arg {
                    None => Ok(default),
                    Some(a) => a
                        .trim()
                        .parse()
                        .map_err(|_| format!("{item:?}: {a:?} is not a number of milliseconds")),
                }
            };
            match kind.trim() {
                "500" => faults.error_500 = rate,
                "drop" => faults.drop = rate,
                "slow" => {
                    faults.slow = rate;
                    faults.slow_ms = ms(2000)?;
                }
                "malformed" => faults.malformed = rate,
                "burst429" => {
                    faults.burst429 = rate;
                    faults.burst_ms = ms(3000)?;
                }
                other => return Err(format!("unknown fault {other:?}\n{SYNTAX}")),
            }
            if arg.is_some() && !matches!(kind.trim(), "slow" | "burst429") {
                return Err(format!("{item:?}: only slow and burst429 take :MS"));
            }
        }
        let exclusive = faults.error_500 + faults.drop + faults.malformed + faults.burst429;
        if exclusive > 1.0 {
            return Err("500, drop, malformed and burst429 add up to more than 1".into());
        }
        Ok(faults)
    }
}

impl fmt::Display for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.error_500 > 0.0 {
            parts.push(format!("500={}", self.error_500));
        }
        if self.drop > 0.0 {
            parts.push(format!("drop={}", self.drop));
        }
        if self.slow > 0.0 {
            parts.push(format!("slow={}:{}", self.slow, self.slow_ms));
        }
        if self.malformed > 0.0 {
            parts.push(format!("malformed={}", self.malformed));
        }
        if self.burst429 > 0.0 {
            parts.push(format!("burst429={}:{}", self.burst429, self.burst_ms));
        }
        if parts.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&parts.join(","))
        }
    }
}

/// What happens to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    None,
    Error500,
    /// `after`: the request is processed before the connection drops.
    Drop {
        after: bool,
    },
    Malformed,
    /// Refused with 429; retry after this many seconds.
    RateLimited {
        retry_after: u64,
    },
}

/// Draws faults for requests, in order, from its own PRNG stream.
#[derive(Clone, Debug)]
pub struct FaultInjector {
    faults: Faults,
    rng: Rng,
    burst_until_ms: u64,
}

impl FaultInjector {
    pub fn new(faults: Faults, seed: u64) -> Self {
        Self {
            faults,
            rng: Rng::new(seed ^ 0xFA17_5EED),
            burst_until_ms: 0,
        }
    }

    /// The fault for the next request and the delay of its answer. With no faults configured
    /// nothing is drawn, so the sequence of a faultless run never changes.
    pub fn roll(&mut self, now_ms: u64) -> (Fault, u64) {
        if self.faults.is_none() {
            return (Fault::None, 0);
        }
        // Always three draws, so one request's outcome does not shift the next one's.
        let kind = self.rng.unit();
        let slow = self.rng.unit();
        let half = self.rng.unit();
        let delay = if slow < self.faults.slow {
            self.faults.slow_ms
        } else {
            0
        };
        if now_ms < self.burst_until_ms {
            let retry = (self.burst_until_ms - now_ms).div_ceil(1000).max(1);
            return (Fault::RateLimited { retry_after: retry }, delay);
        }
        let f = &self.faults;
        let mut edge = f.error_500;
        if kind < edge {
            return (Fault::Error500, delay);
        }
        edge += f.drop;
        if kind < edge {
            return (Fault::Drop { after: half < 0.5 }, delay);
        }
        edge += f.malformed;
        if kind < edge {
            return (Fault::Malformed, delay);
        }
        edge += f.burst429;
        if kind < edge {
            self.burst_until_ms = now_ms + f.burst_ms;
            let retry = f.burst_ms.div_ceil(1000).max(1);
            return (Fault::RateLimited { retry_after: retry }, delay);
        }
        (Fault::None, delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let f: Faults = "500=0.05,drop=0.02,slow=0.1:2000,malformed=0.02,burst429=0.01"
            .parse()
            .unwrap();
        assert_eq!(f.error_500, 0.05);
        assert_eq!(f.drop, 0.02);
        assert_eq!((f.slow, f.slow_ms), (0.1, 2000));
        assert_eq!(f.malformed, 0.02);
        assert_eq!((f.burst429, f.burst_ms), (0.01, 3000));
        let again: Faults = f.to_string().parse().unwrap();
        assert_eq!(again, f);
    }

    #[test]
    fn refuses_nonsense() {
        assert!("500".parse::<Faults>().is_err());
        assert!("500=2".parse::<Faults>().is_err());
        assert!("teapot=0.1".parse::<Faults>().is_err());
        assert!("drop=0.1:30".parse::<Faults>().is_err());
        assert!("500=0.6,drop=0.6".parse::<Faults>().is_err());
        assert!("".parse::<Faults>().unwrap().is_none());
        assert!("none".parse::<Faults>().unwrap().is_none());
    }

    #[test]
    fn rates_are_roughly_honoured_and_repeatable() {
        let f: Faults = "500=0.1,drop=0.1,slow=0.2:50".parse().unwrap();
        let run = || {
            let mut inj = FaultInjector::new(f.clone(), 3);
            (0..10_000).map(|i| inj.roll(i * 10)).collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        let errors = a.iter().filter(|(k, _)| *k == Fault::Error500).count();
        let slow = a.iter().filter(|(_, d)| *d == 50).count();
        assert!((800..1200).contains(&errors), "{errors}");
        assert!((1700..2300).contains(&slow), "{slow}");
    }

    #[test]
    fn a_burst_refuses_everything_until_it_ends() {
        let f: Faults = "burst429=1:2500".parse().unwrap();
        let mut inj = FaultInjector::new(f, 1);
        assert_eq!(inj.roll(0).0, Fault::RateLimited { retry_after: 3 });
        assert_eq!(inj.roll(1000).0, Fault::RateLimited { retry_after: 2 });
        assert_eq!(inj.roll(2400).0, Fault::RateLimited { retry_after: 1 });
    }
}

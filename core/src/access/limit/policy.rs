//! Rate limit policies as configured ([`Policy`], [`LimiterConfig`]) and as compiled into
//! GCRA parameters ([`Gcra`]).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most policies one key can be under at once (default or tier).
pub const MAX_POLICIES: usize = 8;

/// The longest policy period accepted: ten years.
const MAX_PERIOD_SECS: u64 = 10 * 366 * 86_400;

/// The largest burst tolerance accepted, in nanoseconds (about 100 years), so that TATs stay
/// far from the limits of an `i64` of nanoseconds since 1970.
const MAX_TOLERANCE_NANOS: i64 = 100 * 366 * 86_400 * 1_000_000_000;

const NANOS_PER_SEC: i64 = 1_000_000_000;

/// One rate limit: at most `limit` units of cost per `period_secs`, of which up to `burst`
/// may be spent at once.
///
/// JSON: `{"name": "per_minute", "limit": 1000, "period_secs": 60, "burst": 1000}`; `burst`
/// may be left out and is then `limit` (the whole period's quota can be spent at once).
/// `name` is 1 to 64 characters of `A-Z a-z 0-9 _ - . :`; it names the policy in decisions,
/// headers and refusal events.
///
/// ```
/// use finmark::access::limit::Policy;
/// let p: Policy = serde_json::from_str(r#"{"name": "per_minute", "limit": 1000, "period_secs": 60}"#).unwrap();
/// assert_eq!(p, Policy::new("per_minute", 1000, 60));
/// assert_eq!(p.compile()?.burst(), 1000);
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The policy's name, for example `per_minute`.
    pub name: String,
    /// Units of cost allowed per period (requests, when every request costs 1).
    pub limit: u64,
    /// The period in seconds.
    pub period_secs: u64,
    /// Units that may be spent at once; `None` means `limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst: Option<u64>,
}

impl Policy {
    /// `limit` per `period_secs`, with the whole limit as burst.
    pub fn new(name: impl Into<String>, limit: u64, period_secs: u64) -> Policy {
        Policy {
            name: name.into(),
            limit,
            period_secs,
            burst: None,
        }
    }

    /// The same policy with another burst.
    pub fn with_burst(mut self, burst: u64) -> Policy {
        self.burst = Some(burst);
        self
    }

    /// Checks the policy and computes its GCRA parameters. Errors name the policy and the
    /// field: a limit, period or burst of 0, a period over ten years, a bad name.
    pub fn compile(&self) -> Result<Gcra> {
        let invalid = |what: String| {
            Error::invalid_query(format!("rate limit policy '{}': {what}", self.name))
        };
        let name_ok = (1..=64).contains(&self.name.len())
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-.:".contains(&b));
        if !name_ok {
            return Err(invalid(
                "name must be 1 to 64 characters of A-Z a-z 0-9 _ - . :".into(),
            ));
        }
        if self.limit == 0 {
            return Err(invalid("limit must be at least 1".into()));
        }
        if !(1..=MAX_PERIOD_SECS).contains(&self.period_secs) {
            return Err(invalid(format!(
                "period_secs must be from 1 to {MAX_PERIOD_SECS} (ten years), not {}",
                self.period_secs
            )));
        }
        let burst = self.burst.unwrap_or(self.limit);
        if burst == 0 {
            return Err(invalid("burst must be at least 1".into()));
        }
        let period = self.period_secs as i64 * NANOS_PER_SEC;
        let limit = i64::try_from(self.limit).unwrap_or(i64::MAX);
        if limit > period {
            return Err(invalid(format!(
                "limit {} is more than one per nanosecond over {} s",
                self.limit, self.period_secs
            )));
        }
        // Rounded up, so the policy never lets more through than it promises.
        let interval = (period + limit - 1) / limit;
        let tolerance = i64::try_from(burst)
            .ok()
            .and_then(|b| b.checked_mul(interval))
            .filter(|&t| t <= MAX_TOLERANCE_NANOS)
            .ok_or_else(|| {
                invalid(format!(
                    "burst {burst} at {} per {} s would take over 100 years to refill",
                    self.limit, self.period_secs
                ))
            })?;
        Ok(Gcra {
            name: self.name.as_str().into(),
            limit: self.limit,
            period_secs: self.period_secs,
            burst,
            interval,
            tolerance,
        })
    }
}

/// A [`Policy`] compiled into the two numbers GCRA works with, in nanoseconds: the
/// emission interval `T = period / limit` (rounded up to a whole nanosecond) and the burst
/// tolerance `tau = burst * T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gcra {
    name: Box<str>,
    limit: u64,
    period_secs: u64,
    burst: u64,
    interval: i64,
    tolerance: i64,
}

impl Gcra {
    /// The policy's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Units per period.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The period in seconds.
    pub fn period_secs(&self) -> u64 {
        self.period_secs
    }

    /// Units that may be spent at once.
    pub fn burst(&self) -> u64 {
        self.burst
    }

    /// The emission interval `T` in nanoseconds: the time one unit of cost takes to refill.
    pub fn interval_nanos(&self) -> i64 {
        self.interval
    }

    /// The burst tolerance `tau = burst * T` in nanoseconds: how far the TAT may run ahead
    /// of the clock.
    pub fn tolerance_nanos(&self) -> i64 {
        self.tolerance
    }

    /// The TAT after charging `cost` to a key whose TAT is `tat`, at `now` (nanoseconds):
    /// `max(tat, now) + cost * T`.
    pub fn next_tat(&self, tat: i64, cost: u64, now: i64) -> i64 {
        let cost = i64::try_from(cost).unwrap_or(i64::MAX);
        tat.max(now)
            .saturating_add(self.interval.saturating_mul(cost))
    }

    /// Whether a key whose TAT would become `next_tat` is admitted at `now`:
    /// `next_tat - tau <= now`.
    pub fn admits(&self, next_tat: i64, now: i64) -> bool {
        next_tat.saturating_sub(self.tolerance) <= now
    }
}

/// The default size bound of a [`MemoryStore`](super::MemoryStore).
const DEFAULT_MAX_KEYS: usize = 100_000;

fn default_max_keys() -> usize {
    DEFAULT_MAX_KEYS
}

/// What a [`Limiter`](super::Limiter) enforces: default policies, named tiers of other
/// policies, which keys are in which tier, and how many keys the in-memory store keeps.
///
/// JSON (unknown keys are rejected; `tiers`, `overrides` and `max_keys` may be left out):
///
/// ```json
/// {
///   "policies": [
///     {"name": "per_minute", "limit": 1000, "period_secs": 60},
///     {"name": "per_day", "limit": 20000, "period_secs": 86400}
///   ],
///   "tiers": {"partner": [{"name": "per_minute", "limit": 10000, "period_secs": 60}]},
///   "overrides": {"user:acme-sync": "partner"},
///   "max_keys": 100000
/// }
/// ```
///
/// A key in `overrides` is under its tier's policies instead of the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimiterConfig {
    /// The policies every key is under unless overridden: 1 to 8, distinct names.
    pub policies: Vec<Policy>,
    /// Named sets of policies for keys that get other quotas.
    #[serde(default)]
    pub tiers: BTreeMap<String, Vec<Policy>>,
    /// Key to tier name.
    #[serde(default)]
    pub overrides: BTreeMap<String, String>,
    /// How many keys the in-memory store keeps (see [`MemoryStore`](super::MemoryStore)).
    #[serde(default = "default_max_keys")]
    pub max_keys: usize,
}

impl LimiterConfig {
    /// These policies for every key, no tiers, the default `max_keys` (100,000).
    pub fn new(policies: Vec<Policy>) -> LimiterConfig {
        LimiterConfig {
            policies,
            tiers: BTreeMap::new(),
            overrides: BTreeMap::new(),
            max_keys: DEFAULT_MAX_KEYS,
        }
    }

    /// Reads the JSON form; errors name the JSON path of what was wrong.
    pub fn from_json(text: &str) -> Result<LimiterConfig> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            Error::invalid_query(format!("rate limit config at {}: {}", e.path(), e.inner()))
        })
    }
}

/// Compiles one set of policies (the defaults or a tier), named `what` in errors.
pub(super) fn compile_set(what: &str, policies: &[Policy]) -> Result<Box<[Gcra]>> {
    if !(1..=MAX_POLICIES).contains(&policies.len()) {
        return Err(Error::invalid_query(format!(
            "rate limit {what}: needs 1 to {MAX_POLICIES} policies, has {}",
            policies.len()
        )));
    }
    let compiled = policies
        .iter()
        .map(|p| {
            p.compile()
                .map_err(|e| e.context(format!("rate limit {what}")))
        })
        .collect::<Result<Vec<Gcra>>>()?;
    for (i, p) in compiled.iter().enumerate() {
        if compiled[..i].iter().any(|q| q.name == p.name) {
            return Err(Error::invalid_query(format!(
                "rate limit {what}: policy name '{}' is used twice",
                p.name
            )));
        }
    }
    Ok(compiled.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_exact_intervals() {
        // 60 s / 1000 = 60 ms; 86,400 s / 20,000 = 4.32 s.
        let minute = Policy::new("per_minute", 1000, 60).compile().unwrap();
        assert_eq!(minute.interval_nanos(), 60_000_000);
        assert_eq!(minute.tolerance_nanos(), 60_000_000_000);
        let day = Policy::new("per_day", 20_000, 86_400).compile().unwrap();
        assert_eq!(day.interval_nanos(), 4_320_000_000);
        let small_burst = Policy::new("b", 1000, 60).with_burst(10).compile().unwrap();
        assert_eq!(small_burst.tolerance_nanos(), 600_000_000);
    }

    #[test]
    fn inexact_intervals_round_up() {
        // 60 s / 7 = 8,571,428,571.43 ns, rounded up.
        let p = Policy::new("odd", 7, 60).compile().unwrap();
        assert_eq!(p.interval_nanos(), 8_571_428_572);
    }

    #[test]
    fn bad_policies_name_the_policy_and_field() {
        let msg = |p: Policy| p.compile().unwrap_err().message().to_string();
        assert_eq!(
            msg(Policy::new("p", 0, 60)),
            "rate limit policy 'p': limit must be at least 1"
        );
        assert_eq!(
            msg(Policy::new("p", 1, 0)),
            "rate limit policy 'p': period_secs must be from 1 to 316224000 (ten years), not 0"
        );
        assert_eq!(
            msg(Policy::new("p", 1, 60).with_burst(0)),
            "rate limit policy 'p': burst must be at least 1"
        );
        assert_eq!(
            msg(Policy::new("per minute", 1, 60)),
            "rate limit policy 'per minute': name must be 1 to 64 characters of A-Z a-z 0-9 _ - . :"
        );
        assert_eq!(
            msg(Policy::new("p", 1, 86_400).with_burst(1_000_000)),
            "rate limit policy 'p': burst 1000000 at 1 per 86400 s would take over 100 years to refill"
        );
    }

    #[test]
    fn policy_sets_need_one_to_eight_distinct_names() {
        let e = compile_set("defaults", &[]).unwrap_err();
        assert_eq!(
            e.message(),
            "rate limit defaults: needs 1 to 8 policies, has 0"
        );
        let twice = [Policy::new("a", 1, 1), Policy::new("a", 2, 1)];
        let e = compile_set("tier 'gold'", &twice).unwrap_err();
        assert_eq!(
            e.message(),
            "rate limit tier 'gold': policy name 'a' is used twice"
        );
    }

    #[test]
    fn config_json_errors_name_the_path() {
        let e =
            LimiterConfig::from_json(r#"{"policies": [{"name": "m", "limit": 10, "period": 60}]}"#)
                .unwrap_err();
        assert!(
            e.message()
                .starts_with("rate limit config at policies[0].period: unknown field `period`"),
            "{e}"
        );
        let c = LimiterConfig::from_json(
            r#"{"policies": [{"name": "m", "limit": 10, "period_secs": 60}]}"#,
        )
        .unwrap();
        assert_eq!(c, LimiterConfig::new(vec![Policy::new("m", 10, 60)]));
    }
}

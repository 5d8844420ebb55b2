//! Rate limiting with GCRA: several policies per key, per-key tiers, weighted cost, an
//! explicit clock, the IETF `RateLimit` headers, and refusals as events.
//!
//! A [`Limiter`] holds the configured policies ([`LimiterConfig`]) and a [`Store`] of state
//! (in memory: [`MemoryStore`]). [`Limiter::check`]`(key, cost, now)` answers one request
//! with a [`Decision`]; the host passes the time, so tests and replays are exact.
//!
//! # The algorithm
//! GCRA (the generic cell rate algorithm, as in governor and redis-cell) keeps one number per
//! key and policy, the TAT (theoretical arrival time). A policy of `limit` units per `period`
//! with a burst of `burst` units has an emission interval `T = period / limit` and a burst
//! tolerance `tau = burst * T`. A request of `cost` at `now` would move the TAT to
//! `max(tat, now) + cost * T`; it is allowed when that is at most `now + tau`. So a fresh key
//! can spend its whole burst at once, then one unit per `T`. With 1,000 per minute and the
//! default burst (the limit), 1,000 requests at once all pass and the 1,001st is refused for
//! `T` = 0.06 s. No timer or background work: the arithmetic happens on the request.
//!
//! A key under several policies (1,000 per minute *and* 20,000 per day) is allowed only when
//! every policy allows it, and only then is it charged to all of them. Keys named in
//! [`LimiterConfig::overrides`] are under their tier's policies instead of the defaults.
//! See [`store`] for the state and the same step in SQL.
//!
//! ```
//! use finmark::access::limit::{Limiter, LimiterConfig, Policy};
//! let limiter = Limiter::new(LimiterConfig::new(vec![Policy::new("per_minute", 1000, 60)]))?;
//! let now = "2026-03-01T09:00:00Z".parse().unwrap();
//! for _ in 0..1000 {
//!     assert!(limiter.check("ip:203.0.113.9", 1, now)?.allowed);
//! }
//! let refused = limiter.check("ip:203.0.113.9", 1, now)?;
//! assert!(!refused.allowed);
//! assert_eq!(refused.retry_after, 0.06);
//! assert_eq!(refused.retry_after_header().as_deref(), Some("1"));
//! assert_eq!(refused.rate_limit_header(), "\"per_minute\";r=0;t=1");
//! # Ok::<(), finmark::Error>(())
//! ```

mod decision;
mod event;
mod memory;
mod policy;
pub mod store;

pub use decision::Decision;
pub use event::client_key;
pub use memory::{MemoryStats, MemoryStore};
pub use policy::{Gcra, LimiterConfig, MAX_POLICIES, Policy};
pub use store::{Request, Store, charge};

use crate::error::{Error, ErrorKind, Result};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Answers "may this key spend this much now?" under the configured policies, keeping state
/// in a [`Store`] (by default a bounded [`MemoryStore`]).
///
/// `Send + Sync`: share one limiter between threads (`Arc<Limiter>`); calls for different
/// keys rarely wait on each other.
#[derive(Debug)]
pub struct Limiter<S = MemoryStore> {
    defaults: Box<[Gcra]>,
    tiers: Vec<Box<[Gcra]>>,
    overrides: HashMap<Box<str>, usize>,
    store: S,
}

impl Limiter<MemoryStore> {
    /// A limiter with its state in a [`MemoryStore`] of `config.max_keys` keys.
    pub fn new(config: LimiterConfig) -> Result<Limiter<MemoryStore>> {
        let store = MemoryStore::new(config.max_keys)?;
        Limiter::with_store(config, store)
    }
}

impl<S: Store> Limiter<S> {
    /// A limiter with its state in `store`. Errors name what was wrong in the config: a bad
    /// policy, a tier without policies, an override naming an unknown tier.
    pub fn with_store(config: LimiterConfig, store: S) -> Result<Limiter<S>> {
        let defaults = policy::compile_set("policies", &config.policies)?;
        let mut tier_names = Vec::with_capacity(config.tiers.len());
        let mut tiers = Vec::with_capacity(config.tiers.len());
        for (name, policies) in &config.tiers {
            tiers.push(policy::compile_set(&format!("tier '{name}'"), policies)?);
            tier_names.push(name.as_str());
        }
        let mut overrides = HashMap::with_capacity(config.overrides.len());
        for (key, tier) in &config.overrides {
            let index = tier_names.iter().position(|t| t == tier).ok_or_else(|| {
                Error::invalid_query(format!(
                    "rate limit overrides: key '{key}' names tier '{tier}', which is not among the tiers ({})",
                    tier_names.join(", ")
                ))
            })?;
            overrides.insert(key.as_str().into(), index);
        }
        Ok(Limiter {
            defaults,
            tiers,
            overrides,
            store,
        })
    }

    /// The policies `key` is under: its tier's when overridden, else the defaults.
    pub fn policies_for(&self, key: &str) -> &[Gcra] {
        if self.overrides.is_empty() {
            return &self.defaults;
        }
        match self.overrides.get(key) {
            Some(&tier) => &self.tiers[tier],
            None => &self.defaults,
        }
    }

    /// The state store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Checks a request and resolves the key's policies, for a store driven from outside
    /// [`check`](Self::check): `now` must be within the years 1677 to 2262, and `cost` at most
    /// every policy's burst (a larger cost could never pass and is an
    /// [`ErrorKind::RateLimited`] error saying so).
    pub fn request<'a>(
        &'a self,
        key: &'a str,
        cost: u64,
        now: DateTime<Utc>,
    ) -> Result<Request<'a>> {
        let now = now.timestamp_nanos_opt().ok_or_else(|| {
            Error::invalid_query(format!(
                "rate limit time {now} is outside the years 1677 to 2262"
            ))
        })?;
        let policies = self.policies_for(key);
        if let Some(p) = policies.iter().find(|p| cost > p.burst()) {
            return Err(Error::new(
                ErrorKind::RateLimited,
                format!(
                    "cost {cost} is more than the burst of {} of rate limit policy '{}' for key '{key}': such a request can never pass; split it or raise the burst",
                    p.burst(),
                    p.name()
                ),
            ));
        }
        Ok(Request {
            key,
            policies,
            cost,
            now,
        })
    }

    /// Decides whether `key` may spend `cost` units at `now`, and charges them to every
    /// policy of the key when it may. Cost 0 reports the key's standing without charging.
    ///
    /// Errors: a cost above a policy's burst ([`ErrorKind::RateLimited`], since no wait
    /// would let it pass) or a time outside 1677 to 2262. In memory a decision costs one
    /// hash of the key, one shard lock and a few integer operations (figures in
    /// `benches/README.md`).
    ///
    /// ```
    /// use finmark::access::limit::{Limiter, LimiterConfig, Policy};
    /// let limiter = Limiter::new(LimiterConfig::new(vec![Policy::new("per_minute", 1000, 60)]))?;
    /// let now = "2026-03-01T09:00:00Z".parse().unwrap();
    /// let d = limiter.check("user:alice", 10, now)?;
    /// assert!(d.allowed);
    /// assert_eq!((d.limit, d.remaining, d.policy), (1000, 990, "per_minute"));
    /// assert_eq!(d.reset_after, 0.6);
    /// let too_big = limiter.check("user:alice", 1001, now).unwrap_err();
    /// assert_eq!(too_big.kind(), finmark::ErrorKind::RateLimited);
    /// # Ok::<(), finmark::Error>(())
    /// ```
    pub fn check<'a>(
        &'a self,
        key: &'a str,
        cost: u64,
        now: DateTime<Utc>,
    ) -> Result<Decision<'a>> {
        let request = self.request(key, cost, now)?;
        let mut buffer = [0i64; MAX_POLICIES];
        let tats = &mut buffer[..request.policies.len()];
        let allowed = self.store.acquire(&request, tats);
        Ok(Decision::from_state(&request, allowed, tats))
    }
}

//! [`Decision`]: what the limiter answered, and the HTTP headers that tell the client.

use super::{Gcra, Request};
use crate::error::{Error, ErrorKind, Result};
use serde::Serialize;
use std::fmt::Write;

const NANOS_PER_SEC: i64 = 1_000_000_000;

/// The limiter's answer to one request, for the key's most limiting policy.
///
/// Seconds are numbers (`0.06`), in JSON too:
/// `{"allowed": false, "limit": 1000, "remaining": 0, "retry_after": 0.06, "reset_after":
/// 60.0, "refill_after": 0.06, "policy": "per_minute", "key": "ip:203.0.113.9", "cost": 1}`.
///
/// Which policy is reported: when refused, the refusing policy with the longest wait; when
/// allowed, the one with the fewest units left (the first listed on ties).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Decision<'a> {
    /// Whether the request may go ahead (it was then charged to every policy).
    pub allowed: bool,
    /// The reported policy's limit per period.
    pub limit: u64,
    /// Units of cost the key could spend right now under that policy (after this request's
    /// charge when allowed).
    pub remaining: u64,
    /// Seconds until the same request would be allowed; 0 when allowed.
    pub retry_after: f64,
    /// Seconds until the policy's whole burst is available again.
    pub reset_after: f64,
    /// Seconds until `remaining` next grows by one unit; 0 when the whole burst is left.
    pub refill_after: f64,
    /// The reported policy's name.
    pub policy: &'a str,
    /// The key.
    pub key: &'a str,
    /// The request's cost.
    pub cost: u64,
    #[serde(skip)]
    pub(super) policies: &'a [Gcra],
    #[serde(skip)]
    pub(super) index: usize,
    #[serde(skip)]
    pub(super) now: i64,
    #[serde(skip)]
    retry_after_nanos: i64,
    #[serde(skip)]
    refill_after_nanos: i64,
}

/// Where a key stands under one policy.
struct Standing {
    remaining: u64,
    reset_after: i64,
    refill_after: i64,
    /// Nanoseconds until the request would be admitted (0 when it is).
    wait: i64,
}

fn standing(p: &Gcra, tat: i64, cost: u64, now: i64, charged: bool) -> Standing {
    let base = tat.max(now);
    let slack = (now.saturating_add(p.tolerance_nanos()) - base).max(0);
    let remaining = ((slack / p.interval_nanos()) as u64).min(p.burst());
    let refill_after = if remaining >= p.burst() {
        0
    } else {
        (remaining as i64 + 1) * p.interval_nanos() - slack
    };
    let wait = if charged {
        0
    } else {
        let allow_at = p
            .next_tat(tat, cost, now)
            .saturating_sub(p.tolerance_nanos());
        (allow_at - now).max(0)
    };
    Standing {
        remaining,
        reset_after: base - now,
        refill_after,
        wait,
    }
}

fn secs(nanos: i64) -> f64 {
    nanos as f64 / NANOS_PER_SEC as f64
}

/// Whole seconds, rounded up (the `delay-seconds` of HTTP).
fn ceil_secs(nanos: i64) -> i64 {
    (nanos.max(0) as u64).div_ceil(NANOS_PER_SEC as u64) as i64
}

impl<'a> Decision<'a> {
    /// The decision for `request` from the TATs a [`Store`](super::Store) left in `tats`
    /// (`allowed` is what [`Store::acquire`](super::Store::acquire) returned). For stores that
    /// run outside [`Limiter::check`](super::Limiter::check), such as a database's.
    pub fn from_state(request: &Request<'a>, allowed: bool, tats: &[i64]) -> Decision<'a> {
        let mut best: Option<(usize, Standing)> = None;
        for (i, (p, &tat)) in request.policies.iter().zip(tats).enumerate() {
            let s = standing(p, tat, request.cost, request.now, allowed);
            let better = match &best {
                None => true,
                Some((_, b)) if allowed => s.remaining < b.remaining,
                Some((_, b)) => s.wait > b.wait,
            };
            if better {
                best = Some((i, s));
            }
        }
        let (i, s) = best.unwrap_or((
            0,
            Standing {
                remaining: 0,
                reset_after: 0,
                refill_after: 0,
                wait: 0,
            },
        ));
        let policy = request.policies.get(i);
        Decision {
            allowed,
            limit: policy.map_or(0, Gcra::limit),
            remaining: s.remaining,
            retry_after: secs(s.wait),
            reset_after: secs(s.reset_after),
            refill_after: secs(s.refill_after),
            policy: policy.map_or("", Gcra::name),
            key: request.key,
            cost: request.cost,
            policies: request.policies,
            index: i,
            now: request.now,
            retry_after_nanos: s.wait,
            refill_after_nanos: s.refill_after,
        }
    }

    /// `Ok(())` when allowed, else an [`ErrorKind::RateLimited`] error naming the key, the
    /// policy and when to retry.
    pub fn to_result(&self) -> Result<()> {
        if self.allowed {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::RateLimited,
            format!(
                "key '{}' is over rate limit policy '{}' ({} per {} s); retry in {} s",
                self.key,
                self.policy,
                self.limit,
                self.policies.get(self.index).map_or(0, Gcra::period_secs),
                self.retry_after
            ),
        ))
    }

    /// The `RateLimit-Policy` header value: every policy of the key, as
    /// `"per_minute";q=1000;w=60, "per_day";q=20000;w=86400`.
    ///
    /// The syntax is the HTTP structured-field list of
    /// [draft-ietf-httpapi-ratelimit-headers-11](https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/11/)
    /// (23 May 2026; checked against the working group's source of the draft): each item a
    /// quoted policy name with `q` (quota) and `w` (window, integer seconds). Policy names
    /// need no escaping: they are restricted to characters that are plain in a string item.
    pub fn policy_header(&self) -> String {
        let mut out = String::new();
        for (i, p) in self.policies.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            let _ = write!(
                out,
                "{sep}\"{}\";q={};w={}",
                p.name(),
                p.limit(),
                p.period_secs()
            );
        }
        out
    }

    /// The `RateLimit` header value for the reported policy, `"per_minute";r=999;t=1`: `r`
    /// is [`remaining`](Self::remaining), `t` the whole seconds (rounded up) until more
    /// quota is available, which is [`refill_after`](Self::refill_after) when allowed and
    /// [`retry_after`](Self::retry_after) when refused, so a refusal's `t` equals its
    /// `Retry-After` (the draft asks that `Retry-After` never be earlier than `t`).
    pub fn rate_limit_header(&self) -> String {
        let t = if self.allowed {
            self.refill_after_nanos
        } else {
            self.retry_after_nanos
        };
        format!(
            "\"{}\";r={};t={}",
            self.policy,
            self.remaining,
            ceil_secs(t)
        )
    }

    /// The `Retry-After` header value when refused: whole seconds, rounded up (RFC 9110
    /// `delay-seconds`), so never earlier than the request could pass.
    pub fn retry_after_header(&self) -> Option<String> {
        (!self.allowed).then(|| ceil_secs(self.retry_after_nanos).to_string())
    }

    /// All headers for the response: `RateLimit-Policy`, `RateLimit`, and `Retry-After`
    /// when refused.
    ///
    /// ```
    /// use finmark::access::limit::{Limiter, LimiterConfig, Policy};
    /// let limiter = Limiter::new(LimiterConfig::new(vec![Policy::new("per_minute", 1000, 60)]))?;
    /// let now = "2026-03-01T09:00:00Z".parse().unwrap();
    /// let d = limiter.check("ip:203.0.113.9", 1, now)?;
    /// assert_eq!(d.headers(), [
    ///     ("RateLimit-Policy", "\"per_minute\";q=1000;w=60".to_string()),
    ///     ("RateLimit", "\"per_minute\";r=999;t=1".to_string()),
    /// ]);
    /// # Ok::<(), finmark::Error>(())
    /// ```
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("RateLimit-Policy", self.policy_header()),
            ("RateLimit", self.rate_limit_header()),
        ];
        if let Some(retry) = self.retry_after_header() {
            headers.push(("Retry-After", retry));
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::limit::Policy;

    #[test]
    fn rounding_up_to_whole_seconds() {
        assert_eq!(ceil_secs(0), 0);
        assert_eq!(ceil_secs(1), 1);
        assert_eq!(ceil_secs(60_000_000), 1);
        assert_eq!(ceil_secs(NANOS_PER_SEC), 1);
        assert_eq!(ceil_secs(NANOS_PER_SEC + 1), 2);
    }

    #[test]
    fn standing_of_a_fresh_key_and_after_one_request() {
        let p = Policy::new("per_minute", 1000, 60).compile().unwrap();
        let now = 1_000 * NANOS_PER_SEC;
        let fresh = standing(&p, 0, 0, now, true);
        assert_eq!(
            (fresh.remaining, fresh.reset_after, fresh.refill_after),
            (1000, 0, 0)
        );
        let one = standing(&p, now + 60_000_000, 1, now, true);
        assert_eq!(
            (one.remaining, one.reset_after, one.refill_after),
            (999, 60_000_000, 60_000_000)
        );
    }
}

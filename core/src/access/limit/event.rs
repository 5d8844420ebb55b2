//! Keys for API clients ([`client_key`]) and refusals as events that detection can use
//! ([`Decision::refusal_event`]).

use super::Decision;
use crate::event::{Event, Fields};
use chrono::{DateTime, SecondsFormat};
use std::net::IpAddr;

/// The prefix of keys that stand for a client address.
const IP_PREFIX: &str = "ip:";
/// The prefix of keys that stand for an authenticated user.
const USER_PREFIX: &str = "user:";

/// The rate limit key of an API client: `user:<name>` for an authenticated user, else
/// `ip:<address>`. An IPv6 address stands for its /64 (`ip:2001:db8:1:2::/64`), since one
/// client usually holds a whole /64; an IPv4-mapped IPv6 address is its IPv4 address.
///
/// Refusal events read these prefixes back into `user.name` and `client.ip`.
///
/// ```
/// use finmark::access::limit::client_key;
/// assert_eq!(client_key(Some("alice"), "203.0.113.9".parse().unwrap()), "user:alice");
/// assert_eq!(client_key(None, "203.0.113.9".parse().unwrap()), "ip:203.0.113.9");
/// assert_eq!(client_key(None, "2001:db8:1:2:3:4:5:6".parse().unwrap()), "ip:2001:db8:1:2::/64");
/// assert_eq!(client_key(None, "::ffff:198.51.100.7".parse().unwrap()), "ip:198.51.100.7");
/// ```
pub fn client_key(user: Option<&str>, ip: IpAddr) -> String {
    if let Some(user) = user.filter(|u| !u.is_empty()) {
        return format!("{USER_PREFIX}{user}");
    }
    match ip.to_canonical() {
        IpAddr::V4(v4) => format!("{IP_PREFIX}{v4}"),
        IpAddr::V6(v6) => {
            let net = ipnet::Ipv6Net::new(v6, 64)
                .map_or_else(|_| v6.to_string(), |n| n.trunc().to_string());
            format!("{IP_PREFIX}{net}")
        }
    }
}

impl Decision<'_> {
    /// The refusal as an event (`None` when allowed), so that detection can see clients
    /// hammering an API; a host adds its own fields (`url.path`, `http.request.method`)
    /// before ingesting it.
    ///
    /// Fields: `@timestamp` (the decision's time), `event.kind: event`, `event.category:
    /// web`, `event.action: rate_limited`, `event.outcome: failure`, `event.dataset:
    /// finmark.ratelimit`, `event.reason`, `rate_limit.key`, `rate_limit.policy`,
    /// `rate_limit.limit`, `rate_limit.period_secs`, `rate_limit.remaining`,
    /// `rate_limit.cost`, `rate_limit.retry_after` (seconds); and, when the key says so
    /// (see [`client_key`]), `client.ip` and `source.ip` (an `ip:` key with one address) or
    /// `user.name` (a `user:` key).
    ///
    /// ```
    /// use finmark::access::limit::{Limiter, LimiterConfig, Policy};
    /// let limiter = Limiter::new(LimiterConfig::new(vec![Policy::new("per_second", 1, 1)]))?;
    /// let now = "2026-03-01T09:00:00Z".parse().unwrap();
    /// assert!(limiter.check("ip:203.0.113.9", 1, now)?.refusal_event().is_none());
    /// let refused = limiter.check("ip:203.0.113.9", 1, now)?.refusal_event().unwrap();
    /// assert_eq!(refused.get("event.action").unwrap().as_str(), Some("rate_limited"));
    /// assert_eq!(refused.get("client.ip").unwrap().as_str(), Some("203.0.113.9"));
    /// # Ok::<(), finmark::Error>(())
    /// ```
    pub fn refusal_event(&self) -> Option<Event> {
        if self.allowed {
            return None;
        }
        let period = self.policies.get(self.index).map_or(0, |p| p.period_secs());
        let time = DateTime::from_timestamp_nanos(self.now);
        let mut f = Fields::with_capacity(20);
        f.insert(
            "@timestamp",
            time.to_rfc3339_opts(SecondsFormat::Micros, true),
        );
        f.insert("event.kind", "event");
        f.insert("event.category", "web");
        f.insert("event.action", "rate_limited");
        f.insert("event.outcome", "failure");
        f.insert("event.dataset", "finmark.ratelimit");
        f.insert(
            "event.reason",
            format!(
                "over rate limit policy '{}' ({} per {period} s)",
                self.policy, self.limit
            ),
        );
        f.insert("rate_limit.key", self.key);
        f.insert("rate_limit.policy", self.policy);
        f.insert("rate_limit.limit", self.limit);
        f.insert("rate_limit.period_secs", period);
        f.insert("rate_limit.remaining", self.remaining);
        f.insert("rate_limit.cost", self.cost);
        f.insert("rate_limit.retry_after", self.retry_after);
        if let Some(ip) = self
            .key
            .strip_prefix(IP_PREFIX)
            .filter(|ip| ip.parse::<IpAddr>().is_ok())
        {
            f.insert("client.ip", ip);
            f.insert("source.ip", ip);
        } else if let Some(user) = self.key.strip_prefix(USER_PREFIX) {
            f.insert("user.name", user);
        }
        Some(Event::new(f))
    }
}

//! Access control and rate limiting: the permission table written out by hand, the denial
//! message, the limiter exact at the boundaries of each policy under an explicit clock, the
//! headers, eviction at the key cap, and a Sigma rule matching refusal events.

use chrono::{DateTime, Duration, Utc};
use finmark::access::limit::{Limiter, LimiterConfig, MemoryStore, Policy, Store, client_key};
use finmark::access::{Actor, Permission, Role, check, decide};
use finmark::{ErrorKind, RuleSet};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// Access control

/// The permission table, by hand: permission, then admin, analyst, viewer, service.
const TABLE: &str = "
event.ingest          x . . x
event.read            x x x x
event.purge           x . . .
rule.read             x x x .
rule.reload           x . . .
detection.read        x x x .
alert.read            x x x .
alert.acknowledge     x x . .
alert.resolve         x x . .
silence.create        x x . .
silence.read          x x x .
silence.expire        x x . .
incident.read         x x x .
incident.create       x x . .
incident.update       x x . .
incident.acknowledge  x x . .
incident.assign       x x . .
incident.comment      x x . .
incident.resolve      x x . .
incident.close        x x . .
incident.merge        x x . .
audit.read            x . . .
audit.verify          x x x .
audit.checkpoint      x . . .
metric.read           x x x x
forecast.read         x x x .
anomaly.read          x x x .
rate_limit.configure  x . . .
rate_limit.override   x . . .
system.read           x x x x
";

#[test]
fn every_role_against_every_permission() {
    let rows: Vec<Vec<&str>> = TABLE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows.len(),
        Permission::ALL.len(),
        "the table covers every permission"
    );
    for (row, &permission) in rows.iter().zip(Permission::ALL) {
        assert_eq!(row[0], permission.name());
        let roles = [Role::Admin, Role::Analyst, Role::Viewer, Role::Service];
        for (cell, role) in row[1..].iter().zip(roles) {
            let expected = *cell == "x";
            assert_eq!(permission.allows(role), expected, "{role} on {permission}");
            let actor = Actor::new("someone", [role]).unwrap();
            assert_eq!(
                check(&actor, permission).is_ok(),
                expected,
                "{role} on {permission}"
            );
        }
    }
}

#[test]
fn the_readme_shows_the_permission_table_the_code_checks() {
    let readme = include_str!("../../README.md");
    let rows: Vec<Vec<&str>> = readme
        .lines()
        .filter(|l| l.starts_with("| `") && l.ends_with(" |"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .filter(|cells: &Vec<&str>| cells.len() == 6)
        .collect();
    let expected: Vec<Vec<String>> = Permission::ALL
        .iter()
        .map(|p| {
            let mut row = vec![format!("`{}`", p.name())];
            row.extend(
                Role::ALL
                    .iter()
                    .map(|r| if p.allows(*r) { "yes" } else { "no" }.to_string()),
            );
            row
        })
        .collect();
    let shown: Vec<Vec<String>> = rows
        .iter()
        .map(|cells| {
            std::iter::once(cells[0])
                .chain(cells[2..].iter().copied())
                .map(str::to_string)
                .collect()
        })
        .collect();
    assert_eq!(
        shown, expected,
        "README.md's permission table differs from the code's"
    );
}

#[test]
fn a_denial_names_actor_roles_and_permission() {
    let bob = Actor::with_role("bob", "viewer").unwrap();
    let e = check(&bob, Permission::AlertAcknowledge).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    assert_eq!(
        e.to_string(),
        "PERMISSION_DENIED: actor 'bob' (viewer) lacks permission alert.acknowledge (held by admin, analyst)"
    );
    let two = Actor::new("svc", [Role::Service, Role::Viewer]).unwrap();
    assert_eq!(
        check(&two, Permission::AuditRead).unwrap_err().message(),
        "actor 'svc' (viewer, service) lacks permission audit.read (held by admin)"
    );
}

#[test]
fn several_roles_add_up_and_the_decision_names_the_granting_role() {
    let ops = Actor::new("ops", [Role::Service, Role::Viewer]).unwrap();
    let ingest = decide(&ops, Permission::EventIngest);
    assert!(ingest.allowed);
    assert_eq!(ingest.granted_by, Some(Role::Service));
    let alerts = decide(&ops, Permission::AlertRead);
    assert_eq!(alerts.granted_by, Some(Role::Viewer));
    assert!(!decide(&ops, Permission::AlertResolve).allowed);
}

#[test]
fn an_unknown_role_name_is_a_clear_error() {
    let e = Actor::with_role("eve", "superuser").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidQuery);
    assert_eq!(
        e.message(),
        "actor 'eve': unknown role 'superuser'; valid roles: admin, analyst, viewer, service"
    );
}

// ---------------------------------------------------------------------------------------
// Rate limiting

fn t0() -> DateTime<Utc> {
    "2026-03-01T09:00:00Z".parse().unwrap()
}

fn at(nanos: i64) -> DateTime<Utc> {
    t0() + Duration::nanoseconds(nanos)
}

const MS: i64 = 1_000_000;
const SEC: i64 = 1_000_000_000;

fn limiter(policies: Vec<Policy>) -> Limiter {
    Limiter::new(LimiterConfig::new(policies)).unwrap()
}

fn per_minute() -> Policy {
    Policy::new("per_minute", 1000, 60)
}

#[test]
fn a_minute_of_quota_at_once_then_one_per_sixty_ms() {
    let l = limiter(vec![per_minute()]);
    let key = "ip:203.0.113.9";
    let first = l.check(key, 1, t0()).unwrap();
    assert!(first.allowed);
    assert_eq!(
        (first.limit, first.remaining, first.policy),
        (1000, 999, "per_minute")
    );
    assert_eq!(
        (first.retry_after, first.reset_after, first.refill_after),
        (0.0, 0.06, 0.06)
    );
    for i in 2..=1000u64 {
        let d = l.check(key, 1, t0()).unwrap();
        assert!(d.allowed, "request {i}");
        assert_eq!(d.remaining, 1000 - i);
    }
    // Exactly at the limit: the 1,000th passed with nothing left; the 1,001st is refused.
    let over = l.check(key, 1, t0()).unwrap();
    assert!(!over.allowed);
    assert_eq!(
        (over.remaining, over.retry_after, over.reset_after),
        (0, 0.06, 60.0)
    );
    assert_eq!(over.retry_after_header().as_deref(), Some("1"));
    // Just before the retry time: still refused, 1 ns to wait; at it: allowed.
    let early = l.check(key, 1, at(60 * MS - 1)).unwrap();
    assert!(!early.allowed);
    assert_eq!(early.retry_after, 1e-9);
    assert_eq!(early.retry_after_header().as_deref(), Some("1"));
    let on_time = l.check(key, 1, at(60 * MS)).unwrap();
    assert!(on_time.allowed);
    assert_eq!(on_time.remaining, 0);
    // The refused ones were charged nothing: the next unit comes 60 ms later.
    let next = l.check(key, 1, at(60 * MS)).unwrap();
    assert!(!next.allowed);
    assert_eq!(next.retry_after, 0.06);
    // A whole minute later the whole burst is back.
    let later = l.check(key, 1, at(60 * MS + 60 * SEC)).unwrap();
    assert_eq!((later.allowed, later.remaining), (true, 999));
}

#[test]
fn keys_are_limited_apart() {
    let l = limiter(vec![Policy::new("per_second", 1, 1)]);
    assert!(l.check("ip:198.51.100.1", 1, t0()).unwrap().allowed);
    assert!(!l.check("ip:198.51.100.1", 1, t0()).unwrap().allowed);
    assert!(l.check("ip:198.51.100.2", 1, t0()).unwrap().allowed);
}

#[test]
fn a_smaller_burst_spreads_the_quota() {
    let l = limiter(vec![per_minute().with_burst(10)]);
    for i in 1..=10u64 {
        assert_eq!(l.check("k", 1, t0()).unwrap().remaining, 10 - i);
    }
    let over = l.check("k", 1, t0()).unwrap();
    assert_eq!(
        (over.allowed, over.retry_after, over.reset_after),
        (false, 0.06, 0.6)
    );
}

/// 1,000 per minute and 20,000 per day, 1,000 requests at the start of every minute. The day
/// policy (T = 4.32 s, tau = 86,400 s) lets batch j through while 4,260 j + 4.32 (i + 1) <=
/// 86,400 for its request i: batches 0 to 19 pass whole, batch 20 (at 1,200 s, when the
/// minute policy has its whole burst back) passes 277 requests, and the 278th is refused by
/// the day policy until 1,200.96 s.
#[test]
fn the_day_policy_limits_after_the_minute_one_recovers() {
    let l = limiter(vec![per_minute(), Policy::new("per_day", 20_000, 86_400)]);
    let key = "user:alice";
    for batch in 0..20i64 {
        for i in 0..1000 {
            let d = l.check(key, 1, at(batch * 60 * SEC)).unwrap();
            assert!(d.allowed, "batch {batch} request {i}");
        }
        let over = l.check(key, 1, at(batch * 60 * SEC)).unwrap();
        assert_eq!(
            (over.allowed, over.policy),
            (false, "per_minute"),
            "batch {batch}"
        );
    }
    let now = at(1200 * SEC);
    let first = l.check(key, 1, now).unwrap();
    // The day has 276 left, the minute 999: the day is reported.
    assert_eq!(
        (first.allowed, first.policy, first.remaining, first.limit),
        (true, "per_day", 276, 20_000)
    );
    for _ in 1..277 {
        assert!(l.check(key, 1, now).unwrap().allowed);
    }
    let refused = l.check(key, 1, now).unwrap();
    assert_eq!(
        (refused.allowed, refused.policy, refused.remaining),
        (false, "per_day", 0)
    );
    assert_eq!(refused.retry_after, 0.96);
    assert_eq!(refused.rate_limit_header(), "\"per_day\";r=0;t=1");
    assert!(
        !l.check(key, 1, at(1200 * SEC + 960 * MS - 1))
            .unwrap()
            .allowed
    );
    let passes = l.check(key, 1, at(1200 * SEC + 960 * MS)).unwrap();
    assert!(passes.allowed);
    // Charged to both: the minute has 1000 - 278 left, the day none for 4.32 s.
    let again = l.check(key, 1, at(1200 * SEC + 960 * MS)).unwrap();
    assert_eq!(
        (again.allowed, again.policy, again.retry_after),
        (false, "per_day", 4.32)
    );
}

#[test]
fn a_request_refused_by_one_policy_is_charged_to_none() {
    // The minute policy refuses a cost of 10 with 5 left; the day policy must not be charged.
    let l = limiter(vec![
        Policy::new("per_minute", 10, 60),
        Policy::new("per_day", 100, 86_400),
    ]);
    assert!(l.check("k", 5, t0()).unwrap().allowed);
    let refused = l.check("k", 10, t0()).unwrap();
    assert_eq!(
        (refused.allowed, refused.policy, refused.remaining),
        (false, "per_minute", 5)
    );
    // 5 units are missing at 6 s each.
    assert_eq!(refused.retry_after, 30.0);
    let peek = l.check("k", 0, t0()).unwrap();
    // Cost 0 reports the closest policy without charging: minute 5 left, day 95.
    assert_eq!(
        (peek.allowed, peek.policy, peek.remaining),
        (true, "per_minute", 5)
    );
    let day = l.check("k", 5, t0()).unwrap();
    assert_eq!((day.allowed, day.remaining), (true, 0));
}

#[test]
fn weighted_cost() {
    let l = limiter(vec![per_minute()]);
    let d = l.check("k", 250, t0()).unwrap();
    assert_eq!((d.allowed, d.remaining, d.reset_after), (true, 750, 15.0));
    assert!(l.check("k", 750, t0()).unwrap().allowed);
    let more = l.check("k", 3, t0()).unwrap();
    assert_eq!((more.allowed, more.retry_after), (false, 0.18));
    assert_eq!(more.retry_after_header().as_deref(), Some("1"));
    // The whole burst as one request passes on a fresh key; one more unit can never pass.
    assert!(l.check("other", 1000, t0()).unwrap().allowed);
    let e = l.check("other", 1001, t0()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(
        e.message(),
        "cost 1001 is more than the burst of 1000 of rate limit policy 'per_minute' for key 'other': such a request can never pass; split it or raise the burst"
    );
}

#[test]
fn tiers_override_the_defaults_per_key() {
    let config = LimiterConfig::from_json(
        r#"{
            "policies": [{"name": "per_minute", "limit": 1000, "period_secs": 60}],
            "tiers": {"partner": [{"name": "per_minute", "limit": 10000, "period_secs": 60, "burst": 2000}]},
            "overrides": {"user:acme-sync": "partner"}
        }"#,
    )
    .unwrap();
    let l = Limiter::new(config).unwrap();
    assert_eq!(l.policies_for("user:acme-sync")[0].limit(), 10_000);
    for _ in 0..2000 {
        assert!(l.check("user:acme-sync", 1, t0()).unwrap().allowed);
    }
    let partner = l.check("user:acme-sync", 1, t0()).unwrap();
    // 60 s / 10,000 = 6 ms per request.
    assert_eq!(
        (partner.allowed, partner.limit, partner.retry_after),
        (false, 10_000, 0.006)
    );
    for _ in 0..1000 {
        assert!(l.check("user:bob", 1, t0()).unwrap().allowed);
    }
    let default = l.check("user:bob", 1, t0()).unwrap();
    assert_eq!((default.allowed, default.limit), (false, 1000));
}

#[test]
fn config_errors_name_what_is_wrong() {
    let mut config = LimiterConfig::new(vec![per_minute()]);
    config.overrides.insert("user:x".into(), "gold".into());
    config.tiers.insert(
        "partner".into(),
        vec![Policy::new("per_minute", 10_000, 60)],
    );
    let e = Limiter::new(config.clone()).unwrap_err();
    assert_eq!(
        e.message(),
        "rate limit overrides: key 'user:x' names tier 'gold', which is not among the tiers (partner)"
    );
    config.overrides.clear();
    config.tiers.insert("empty".into(), vec![]);
    let e = Limiter::new(config).unwrap_err();
    assert_eq!(
        e.message(),
        "rate limit tier 'empty': needs 1 to 8 policies, has 0"
    );
    let e = Limiter::new(LimiterConfig::new(vec![Policy::new("p", 0, 60)])).unwrap_err();
    assert_eq!(
        e.message(),
        "rate limit policies: rate limit policy 'p': limit must be at least 1"
    );
    let e = LimiterConfig::from_json(r#"{"policies": [], "burst": 3}"#).unwrap_err();
    assert!(
        e.message()
            .starts_with("rate limit config at burst: unknown field `burst`"),
        "{e}"
    );
}

#[test]
fn headers_follow_the_draft_syntax() {
    let l = limiter(vec![per_minute(), Policy::new("per_day", 20_000, 86_400)]);
    let d = l.check("ip:203.0.113.9", 1, t0()).unwrap();
    assert_eq!(
        d.headers(),
        [
            (
                "RateLimit-Policy",
                "\"per_minute\";q=1000;w=60, \"per_day\";q=20000;w=86400".to_string()
            ),
            ("RateLimit", "\"per_minute\";r=999;t=1".to_string()),
        ]
    );
    assert_eq!(d.retry_after_header(), None);
    let l = limiter(vec![Policy::new("per_hour", 2, 3600)]);
    l.check("k", 2, t0()).unwrap();
    let refused = l.check("k", 1, at(1)).unwrap();
    // 1,800 s per unit, 1 ns already waited: 1,799.999999999 s, rounded up.
    assert_eq!(refused.headers()[1].1, "\"per_hour\";r=0;t=1800");
    assert_eq!(refused.headers()[2], ("Retry-After", "1800".to_string()));
    // Half an hour on, one unit is back; the next comes in another 1,800 s.
    let back = l.check("k", 0, at(1800 * SEC)).unwrap();
    assert_eq!(back.rate_limit_header(), "\"per_hour\";r=1;t=1800");
}

#[test]
fn a_decision_serialises_with_seconds_as_numbers() {
    let l = limiter(vec![per_minute()]);
    l.check("ip:203.0.113.9", 1000, t0()).unwrap();
    let d = l.check("ip:203.0.113.9", 1, t0()).unwrap();
    assert_eq!(
        serde_json::to_value(d).unwrap(),
        serde_json::json!({
            "allowed": false, "limit": 1000, "remaining": 0, "retry_after": 0.06,
            "reset_after": 60.0, "refill_after": 0.06, "policy": "per_minute",
            "key": "ip:203.0.113.9", "cost": 1
        })
    );
    assert_eq!(
        d.to_result().unwrap_err().to_string(),
        "RATE_LIMITED: key 'ip:203.0.113.9' is over rate limit policy 'per_minute' (1000 per 60 s); retry in 0.06 s"
    );
}

#[test]
fn the_key_cap_evicts_idle_keys_first() {
    let mut config = LimiterConfig::new(vec![Policy::new("per_minute", 1, 60)]);
    config.max_keys = 3;
    let l = Limiter::new(config).unwrap();
    for key in ["a", "b"] {
        assert!(l.check(key, 1, t0()).unwrap().allowed); // idle from 60 s
    }
    assert!(l.check("c", 1, at(50 * SEC)).unwrap().allowed); // idle from 110 s
    // At 70 s the store is full; a and b hold no information and go, c stays.
    assert!(l.check("d", 1, at(70 * SEC)).unwrap().allowed);
    let s = l.store().stats();
    assert_eq!(
        (s.keys, s.max_keys, s.evicted_idle, s.evicted_active),
        (2, 3, 2, 0)
    );
    assert!(!l.check("c", 1, at(70 * SEC)).unwrap().allowed);
    assert!(l.check("e", 1, at(80 * SEC)).unwrap().allowed);
    // Full again at 90 s with nothing idle: c, idle soonest, is forgotten.
    assert!(l.check("f", 1, at(90 * SEC)).unwrap().allowed);
    let s = l.store().stats();
    assert_eq!((s.keys, s.evicted_idle, s.evicted_active), (3, 2, 1));
    assert!(!l.check("d", 1, at(90 * SEC)).unwrap().allowed);
    assert!(
        l.check("c", 1, at(90 * SEC)).unwrap().allowed,
        "c got its burst back"
    );
}

#[test]
fn threads_sharing_a_key_get_exactly_the_burst() {
    let l = limiter(vec![per_minute()]);
    let allowed: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    (0..500)
                        .filter(|_| l.check("ip:192.0.2.1", 1, t0()).unwrap().allowed)
                        .count()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(allowed, 1000);
}

#[test]
fn client_keys_become_fields_of_refusal_events() {
    let l = limiter(vec![Policy::new("per_second", 1, 1)]);
    let ip = client_key(None, "203.0.113.9".parse().unwrap());
    l.check(&ip, 1, t0()).unwrap();
    let event = l
        .check(&ip, 1, at(250 * MS))
        .unwrap()
        .refusal_event()
        .unwrap();
    let field = |name: &str| event.get(name).map(|v| v.to_string());
    assert_eq!(
        field("@timestamp").as_deref(),
        Some("2026-03-01T09:00:00.250000Z")
    );
    assert_eq!(event.time, at(250 * MS));
    for (name, value) in [
        ("event.kind", "event"),
        ("event.category", "web"),
        ("event.action", "rate_limited"),
        ("event.outcome", "failure"),
        ("event.dataset", "finmark.ratelimit"),
        (
            "event.reason",
            "over rate limit policy 'per_second' (1 per 1 s)",
        ),
        ("rate_limit.key", "ip:203.0.113.9"),
        ("rate_limit.policy", "per_second"),
        ("rate_limit.limit", "1"),
        ("rate_limit.period_secs", "1"),
        ("rate_limit.remaining", "0"),
        ("rate_limit.cost", "1"),
        ("rate_limit.retry_after", "0.75"),
        ("client.ip", "203.0.113.9"),
        ("source.ip", "203.0.113.9"),
    ] {
        assert_eq!(field(name).as_deref(), Some(value), "{name}");
    }
    assert_eq!(field("user.name"), None);

    let user = client_key(Some("alice"), "203.0.113.9".parse().unwrap());
    l.check(&user, 1, t0()).unwrap();
    let event = l.check(&user, 1, t0()).unwrap().refusal_event().unwrap();
    assert_eq!(field_of(&event, "user.name").as_deref(), Some("alice"));
    assert_eq!(field_of(&event, "client.ip"), None);

    let subnet = client_key(None, "2001:db8::1".parse().unwrap());
    l.check(&subnet, 1, t0()).unwrap();
    let event = l.check(&subnet, 1, t0()).unwrap().refusal_event().unwrap();
    assert_eq!(
        field_of(&event, "rate_limit.key").as_deref(),
        Some("ip:2001:db8::/64")
    );
    assert_eq!(
        field_of(&event, "client.ip"),
        None,
        "a /64 is not one address"
    );
}

fn field_of(event: &finmark::Event, name: &str) -> Option<String> {
    event.get(name).map(|v| v.to_string())
}

/// "One client hammering the API" as a Sigma rule over refusal events.
const HAMMERING: &str = r#"
title: API client over its rate limit
id: 6c1f3f7e-1d7a-4c55-9a0e-5b2f2b7c9d10
level: medium
logsource: {category: web, product: finmark}
detection:
    selection:
        event.dataset: finmark.ratelimit
        event.action: rate_limited
        rate_limit.policy: per_minute
        client.ip|cidr: 203.0.113.0/24
    condition: selection
"#;

#[test]
fn a_sigma_rule_matches_refusal_events() {
    let rules = RuleSet::builder()
        .yaml(HAMMERING, "hammering")
        .strict(true)
        .build()
        .unwrap();
    let l = limiter(vec![Policy::new("per_minute", 2, 60)]);
    let mut events = Vec::new();
    for (key, n) in [
        ("ip:203.0.113.9", 5),
        ("ip:198.51.100.7", 5),
        ("ip:203.0.113.10", 2),
    ] {
        for i in 0..n {
            let d = l.check(key, 1, at(i * MS)).unwrap();
            events.extend(d.refusal_event());
        }
    }
    // 3 refusals for 203.0.113.9, 3 for 198.51.100.7 (outside the rule's range), none for .10.
    assert_eq!(events.len(), 6);
    let matches = rules.match_events(&events);
    let ips: Vec<String> = matches
        .iter()
        .map(|m| {
            let event = events.iter().find(|e| e.id == m.event_id).unwrap();
            field_of(event, "client.ip").unwrap()
        })
        .collect();
    assert_eq!(ips, ["203.0.113.9", "203.0.113.9", "203.0.113.9"]);
    // The refusals of one key at different times are different events.
    let mut ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 6);
}

// ---------------------------------------------------------------------------------------
// GCRA against an independent model: a token bucket per policy holding up to tau
// nanoseconds of credit, refilled one nanosecond per nanosecond, a request of cost c taking
// c * T of credit from every bucket or from none.

struct Bucket {
    interval: i64,
    tolerance: i64,
    credit: i64,
}

fn model_step(buckets: &mut [Bucket], elapsed: i64, cost: u64) -> bool {
    for b in buckets.iter_mut() {
        b.credit = (b.credit + elapsed).min(b.tolerance);
    }
    let need = |b: &Bucket| b.interval * cost as i64;
    let admitted = buckets.iter().all(|b| b.credit >= need(b));
    if admitted {
        for b in buckets.iter_mut() {
            b.credit -= need(b);
        }
    }
    admitted
}

fn policy_strategy() -> impl Strategy<Value = Policy> {
    (1u64..50, 1u64..120, proptest::option::of(1u64..60)).prop_map(|(limit, period, burst)| {
        let mut p = Policy::new("p", limit, period);
        p.burst = burst;
        p
    })
}

proptest! {
    #[test]
    fn gcra_decides_as_the_token_bucket_model(
        first in policy_strategy(),
        second in proptest::option::of(policy_strategy()),
        steps in proptest::collection::vec((0i64..3 * SEC, 0u64..8), 1..200),
    ) {
        let mut policies = vec![Policy { name: "first".into(), ..first }];
        if let Some(p) = second {
            policies.push(Policy { name: "second".into(), ..p });
        }
        let l = Limiter::with_store(LimiterConfig::new(policies), MemoryStore::new(4).unwrap()).unwrap();
        let mut buckets: Vec<Bucket> = l
            .policies_for("k")
            .iter()
            .map(|g| Bucket { interval: g.interval_nanos(), tolerance: g.tolerance_nanos(), credit: g.tolerance_nanos() })
            .collect();
        let min_burst = l.policies_for("k").iter().map(|g| g.burst()).min().unwrap();
        let mut now = 0i64;
        for (elapsed, cost) in steps {
            now += elapsed;
            let cost = cost.min(min_burst);
            let d = l.check("k", cost, at(now)).unwrap();
            let expected = model_step(&mut buckets, elapsed, cost);
            prop_assert_eq!(d.allowed, expected, "at {} ns, cost {}", now, cost);
            let remaining = buckets
                .iter()
                .map(|b| (b.credit / b.interval) as u64)
                .min()
                .unwrap();
            if d.allowed {
                prop_assert_eq!(d.remaining, remaining);
            } else {
                // The reported wait is the longest any bucket needs to hold the cost.
                let wait = buckets.iter().map(|b| (b.interval * cost as i64 - b.credit).max(0)).max().unwrap();
                prop_assert_eq!((d.retry_after * 1e9).round() as i64, wait);
            }
        }
    }
}

#[test]
fn a_store_trait_object_works_for_wrappers() {
    // The lead's stores wrap the trait; it must stay object safe.
    let store: Box<dyn Store> = Box::new(MemoryStore::new(8).unwrap());
    let l = Limiter::with_store(LimiterConfig::new(vec![per_minute()]), store).unwrap();
    assert!(l.check("k", 1, t0()).unwrap().allowed);
}

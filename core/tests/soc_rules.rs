//! The builtin rule set `builtin:soc`, rule by rule, driven through the engine as users drive
//! it: for every correlation, hand-made events that must fire it and near misses that must
//! not (one below the threshold, just outside the timespan, other groups mixed in, the wrong
//! order, one distinct value too few). The expected firings and alerts are written out here.

use finmark::access::Actor;
use finmark::alert::AlertSource;
use finmark::correlate::CorrelationMatch;
use finmark::storage::AlertQuery;
use finmark::{Engine, RuleSet, Severity};
use std::collections::BTreeMap;

const FAILED_LOGIN_BURST: &str = "6f1f3a52-8c2d-4e8b-b1a7-9d3e5c7a2b10";
const FAILED_LOGIN_BURST_STEP: &str = "3e1a9c7d-2b4f-4d8e-a6c1-7f5b0e2d9a54";
const PASSWORD_SPRAY: &str = "2d9c4b7e-3f6a-4a1d-8e5b-7c0f9a3d6e21";
const SUCCESS_AFTER_FAILURES: &str = "5c7b2e9a-6d1f-4e3b-a8c4-3f9d2b1e7a43";
const API_ABUSE: &str = "3b8c5d2e-9f1a-4c6b-b7d8-4e2f1a0c9b65";
const ORDER_VELOCITY: &str = "7f5e3c1a-2b9d-4e6f-a1c7-6d3b0e9f2a87";
const LARGE_OUTBOUND_TRANSFER: &str = "6e9d2b4a-8f3c-4d1e-b5a7-0c2f9e1d4b09";
const WINDOWS_4625_BURST: &str = "8c1e5a3b-9d7f-4b2e-a6c4-1f8d3b0e5a2b";
const KERBEROS_4771_BURST: &str = "9b3d7f1a-5c2e-4a8b-b9d6-3e0f1c7a2d4d";

/// An event to send: its time in milliseconds after 2026-03-01T08:00:00Z and its other
/// fields (JSON object members, without braces).
struct Line {
    ms: u64,
    fields: String,
}

fn line(ms: u64, fields: String) -> Line {
    Line { ms, fields }
}

/// `ms` milliseconds after 08:00 on 2026-03-01, as RFC 3339.
fn timestamp(ms: u64) -> String {
    let (secs, milli) = (ms / 1000, ms % 1000);
    format!(
        "2026-03-01T{:02}:{:02}:{:02}.{milli:03}Z",
        8 + secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// What one stream did: the firings reported by the batches, and the alerts stored.
struct Outcome {
    firings: Vec<CorrelationMatch>,
    alerts: Vec<(String, AlertSource, Severity, String)>,
}

impl Outcome {
    /// The firings of `rule`, as (group, events), in the order reported.
    fn fired(&self, rule: &str) -> Vec<(BTreeMap<String, String>, u64)> {
        self.firings
            .iter()
            .filter(|f| f.rule_id == rule)
            .map(|f| (f.group.clone(), f.events))
            .collect()
    }

    /// Asserts that the stored alerts are exactly `expected` (rule, severity, group), every
    /// one raised by a correlation: the base rules raise none of their own.
    fn assert_alerts(&self, expected: &[(&str, Severity, BTreeMap<String, String>)]) {
        let mut expected: Vec<_> = expected
            .iter()
            .map(|(rule, severity, group)| {
                let group = serde_json::to_string(group).unwrap();
                (rule.to_string(), AlertSource::Correlation, *severity, group)
            })
            .collect();
        expected.sort_by(|a, b| (&a.0, &a.3).cmp(&(&b.0, &b.3)));
        assert_eq!(self.alerts, expected);
    }
}

/// A group of one or more `group-by` fields.
fn group(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Sends `lines` in order of time (ids `e0`, `e1`... in the order given) in batches of
/// `batch` lines to a fresh engine with `builtin:soc`.
async fn run(mut lines: Vec<Line>, batch: usize) -> Outcome {
    let mut ids: Vec<usize> = (0..lines.len()).collect();
    ids.sort_by_key(|&i| lines[i].ms);
    let text: Vec<String> = ids
        .iter()
        .map(|&i| {
            let l = &mut lines[i];
            format!(
                r#"{{"event.id": "e{i}", "@timestamp": "{}", {}}}"#,
                timestamp(l.ms),
                l.fields
            )
        })
        .collect();
    run_raw(&text, batch).await
}

/// A fresh engine on memory storage with `builtin:soc`, as users open it.
async fn soc_engine() -> Engine {
    Engine::builder("memory://")
        .rules_path("builtin:soc")
        .open()
        .await
        .expect("an engine with builtin:soc")
}

/// Sends the records `text` as they are, in batches of `batch` lines, to a fresh engine with
/// `builtin:soc`.
async fn run_raw(text: &[String], batch: usize) -> Outcome {
    let engine = soc_engine().await;
    let mut firings = Vec::new();
    for chunk in text.chunks(batch) {
        let report = engine
            .ingest_json(chunk.join("\n").as_bytes())
            .await
            .unwrap();
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        assert_eq!(report.accepted, chunk.len());
        firings.extend(report.correlations);
    }
    let analyst = Actor::with_role("t", "analyst").unwrap();
    let page = engine.alerts(&analyst, &AlertQuery::new()).await.unwrap();
    let mut alerts: Vec<_> = page
        .alerts
        .into_iter()
        .map(|a| {
            let group = serde_json::to_string(&a.group).unwrap();
            (a.rule_id, a.source, a.severity, group)
        })
        .collect();
    alerts.sort_by(|a, b| (&a.0, &a.3).cmp(&(&b.0, &b.3)));
    Outcome { firings, alerts }
}

const SECOND: u64 = 1000;
const MINUTE: u64 = 60 * SECOND;

/// A login from `ip` for `user` with outcome `failure` or `success`.
fn login(ip: &str, user: &str, outcome: &str) -> String {
    format!(
        r#""event.category": "authentication", "event.outcome": "{outcome}", "source.ip": "{ip}", "user.name": "{user}""#
    )
}

/// A Windows Security event `id` with the network address `ip` (flattened the way the
/// Windows export is: bare `EventID`, `Channel`, `IpAddress`).
fn windows(id: u32, channel: &str, ip: &str) -> String {
    format!(
        r#""EventID": {id}, "Channel": "{channel}", "Computer": "dc01.corp.example", "TargetUserName": "alice", "IpAddress": "{ip}""#
    )
}

/// `n` events made by `make` at `start`, `start + step`...
fn series(n: u64, start: u64, step: u64, make: impl Fn(u64) -> String) -> Vec<Line> {
    (0..n).map(|i| line(start + i * step, make(i))).collect()
}

/// The burst shape shared by the three "ten or more within five minutes from one address"
/// rules, with the events of `make(ip)`: which addresses must fire.
///
/// - `A` fires: ten within 4.5 minutes, with nine from `B` interleaved (one below);
/// - `C` does not: the first is 301 s before the second, the tenth 309 s after the first;
/// - `D` fires: the first and the tenth exactly five minutes apart (the window includes
///   both ends);
/// - `E` and `F` do not: five each, one stream.
fn burst_stream(make: impl Fn(&str) -> String) -> Vec<Line> {
    let mut lines = series(10, 0, 30 * SECOND, |_| make(A));
    lines.extend(series(9, 15 * SECOND, 30 * SECOND, |_| make(B)));
    lines.push(line(0, make(C)));
    lines.extend(series(9, 301 * SECOND, SECOND, |_| make(C)));
    lines.push(line(20 * MINUTE, make(D)));
    lines.extend(series(9, 20 * MINUTE + 292 * SECOND, SECOND, |_| make(D)));
    lines.extend(series(5, 0, 10 * SECOND, |_| make(E)));
    lines.extend(series(5, 5 * SECOND, 10 * SECOND, |_| make(F)));
    lines
}

const A: &str = "198.51.100.7";
const B: &str = "203.0.113.9";
const C: &str = "192.0.2.33";
const D: &str = "198.51.100.200";
const E: &str = "203.0.113.77";
const F: &str = "192.0.2.150";
/// An address outside the private ranges (a transfer destination).
const OUTSIDE: &str = "203.0.113.250";

/// Asserts that `rule` fired once for `A` and once for `D` (`field` their group-by), with
/// ten events each.
fn assert_burst_fired(outcome: &Outcome, rule: &str, field: &str) {
    assert_eq!(
        outcome.fired(rule),
        vec![(group(&[(field, A)]), 10), (group(&[(field, D)]), 10)]
    );
}

#[test]
fn every_builtin_rule_has_an_id_and_loads_without_rejections() {
    let rules = RuleSet::builder()
        .path("builtin:soc")
        .strict(true)
        .build()
        .expect("builtin:soc loads strictly");
    assert!(rules.rejected().is_empty(), "{:?}", rules.rejected());
    let mut base: Vec<_> = rules
        .rule_identities()
        .iter()
        .map(|r| (r.name.clone().unwrap_or_default(), r.rule_id.clone()))
        .collect();
    base.sort();
    let expected = [
        (
            "finmark_soc_api_request",
            "9e4f1a2b-7c3d-4b5e-8f6a-2d1c0b9e8a54",
        ),
        (
            "finmark_soc_failed_login",
            "0b8d7c3e-51a4-4c8e-9f7a-2e6b1c9d4a01",
        ),
        (
            "finmark_soc_kerberos_preauth_failure",
            "4a9f2c6e-1b8d-4f3a-9e7c-2d5b0f8a1c3c",
        ),
        ("finmark_soc_order", "4d2a9b6c-1e7f-4a3d-9b8c-5f0e2d1a7c76"),
        (
            "finmark_soc_outbound_flow",
            "1a6c8e3f-5d2b-4f7a-8c9e-7b4d1f0a3e98",
        ),
        (
            "finmark_soc_successful_login",
            "8a3e6d1f-4b7c-4f2a-9c5d-1e8b7a6f3c32",
        ),
        (
            "finmark_soc_windows_failed_logon",
            "2f7b4d9e-6a1c-4e3f-8d2b-9c5e0a7f1b1a",
        ),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(n, id)| (n.to_string(), id.to_string()))
        .collect();
    assert_eq!(base, expected);
    let mut correlations: Vec<_> = rules
        .correlations()
        .iter()
        .map(|c| c.meta.id.clone().expect("every correlation has an id"))
        .collect();
    correlations.sort();
    let mut expected = vec![
        FAILED_LOGIN_BURST,
        FAILED_LOGIN_BURST_STEP,
        PASSWORD_SPRAY,
        SUCCESS_AFTER_FAILURES,
        API_ABUSE,
        ORDER_VELOCITY,
        LARGE_OUTBOUND_TRANSFER,
        WINDOWS_4625_BURST,
        KERBEROS_4771_BURST,
    ];
    expected.sort();
    assert_eq!(correlations, expected);
}

#[tokio::test]
async fn strict_engine_opens_with_builtin_soc() {
    Engine::builder("memory://")
        .rules_path("builtin:soc")
        .strict_rules(true)
        .open()
        .await
        .expect("no rule of builtin:soc is rejected");
}

#[tokio::test]
async fn failed_login_burst_fires_for_ten_failures_from_one_source_in_five_minutes() {
    let mut lines = burst_stream(|ip| login(ip, "alice", "failure"));
    // Successes from B would make it ten events, but they are not failures.
    lines.extend(series(3, 10 * SECOND, 30 * SECOND, |_| {
        login(B, "alice", "success")
    }));
    let outcome = run(lines, 4).await;
    assert_burst_fired(&outcome, FAILED_LOGIN_BURST, "source.ip");
    assert_eq!(
        outcome.fired(FAILED_LOGIN_BURST_STEP),
        outcome.fired(FAILED_LOGIN_BURST),
        "the step of the success-after-failures chain fires alike"
    );
    let critical = Severity::Critical;
    outcome.assert_alerts(&[
        (FAILED_LOGIN_BURST, critical, group(&[("source.ip", A)])),
        (FAILED_LOGIN_BURST, critical, group(&[("source.ip", D)])),
    ]);
    // B's successes follow only nine failures: no success after a burst.
    assert!(outcome.fired(SUCCESS_AFTER_FAILURES).is_empty());
}

#[tokio::test]
async fn windows_4625_burst_fires_for_ten_failed_logons_from_one_address() {
    let mut lines = burst_stream(|ip| windows(4625, "Security", ip));
    // Successful logons (4624) and a 4625 from another channel are not failed logons.
    lines.extend(series(5, SECOND, 30 * SECOND, |_| {
        windows(4624, "Security", B)
    }));
    lines.push(line(2 * MINUTE, windows(4625, "Application", B)));
    let outcome = run(lines, 5).await;
    assert_burst_fired(&outcome, WINDOWS_4625_BURST, "IpAddress");
    assert!(outcome.fired(KERBEROS_4771_BURST).is_empty());
    assert!(
        outcome.fired(FAILED_LOGIN_BURST).is_empty(),
        "Windows events are not ECS authentication events"
    );
    let high = Severity::Critical; // the rule's level is high
    outcome.assert_alerts(&[
        (WINDOWS_4625_BURST, high, group(&[("IpAddress", A)])),
        (WINDOWS_4625_BURST, high, group(&[("IpAddress", D)])),
    ]);
}

#[tokio::test]
async fn kerberos_4771_burst_fires_for_ten_preauth_failures_from_one_address() {
    let mut lines = burst_stream(|ip| windows(4771, "Security", ip));
    // Ticket requests that succeeded (4768) are not failures.
    lines.extend(series(5, SECOND, 30 * SECOND, |_| {
        windows(4768, "Security", B)
    }));
    let outcome = run(lines, 7).await;
    assert_burst_fired(&outcome, KERBEROS_4771_BURST, "IpAddress");
    assert!(outcome.fired(WINDOWS_4625_BURST).is_empty());
    let high = Severity::Critical; // the rule's level is high
    outcome.assert_alerts(&[
        (KERBEROS_4771_BURST, high, group(&[("IpAddress", A)])),
        (KERBEROS_4771_BURST, high, group(&[("IpAddress", D)])),
    ]);
}

/// Failed logins from `ip` for each of `users`, ten seconds apart from `start`.
fn failures_for(ip: &str, users: &[&str], start: u64) -> Vec<Line> {
    series(users.len() as u64, start, 10 * SECOND, |i| {
        login(ip, users[i as usize], "failure")
    })
}

#[tokio::test]
async fn password_spray_fires_for_five_users_from_one_source_in_ten_minutes() {
    let five = ["ann", "bob", "cy", "dee", "eve"];
    // A: five users, once each. B: four users, twice each (eight failures, four users).
    let mut lines = failures_for(A, &five, 0);
    lines.extend(failures_for(B, &five[..4], 5 * SECOND));
    lines.extend(failures_for(B, &five[..4], 2 * MINUTE));
    // C: the first user 601 s before the fifth.
    lines.extend(failures_for(C, &five[..1], 0));
    lines.extend(failures_for(C, &five[1..], 571 * SECOND));
    // D and E: five users between them.
    lines.extend(failures_for(D, &five[..2], 0));
    lines.extend(failures_for(E, &five[2..], 0));
    // F: five users, but one of them only logged in successfully.
    lines.extend(failures_for(F, &five[..4], 0));
    lines.push(line(MINUTE, login(F, "eve", "success")));
    let outcome = run(lines, 3).await;
    assert_eq!(
        outcome.fired(PASSWORD_SPRAY),
        vec![(group(&[("source.ip", A)]), 5)]
    );
    let high = Severity::Critical; // the rule's level is high
    outcome.assert_alerts(&[(PASSWORD_SPRAY, high, group(&[("source.ip", A)]))]);
}

/// Ten failed logins from `ip` ten seconds apart from `start`.
fn ten_failures(ip: &str, start: u64) -> Vec<Line> {
    series(10, start, 10 * SECOND, |_| login(ip, "alice", "failure"))
}

#[tokio::test]
async fn success_after_failures_fires_for_a_success_after_a_burst_from_one_source() {
    // A: the burst ends at 90 s, the success follows at 120 s.
    let mut lines = ten_failures(A, 0);
    lines.push(line(120 * SECOND, login(A, "alice", "success")));
    // B: the success comes first.
    lines.push(line(0, login(B, "alice", "success")));
    lines.extend(ten_failures(B, SECOND));
    // C: the success 901 s after the burst fired (at 90 s).
    lines.extend(ten_failures(C, 0));
    lines.push(line(991 * SECOND, login(C, "alice", "success")));
    // D's burst, E's success.
    lines.extend(ten_failures(D, 0));
    lines.push(line(2 * MINUTE, login(E, "alice", "success")));
    // F: nine failures, then a success.
    lines.extend(series(9, 0, 10 * SECOND, |_| login(F, "alice", "failure")));
    lines.push(line(2 * MINUTE, login(F, "alice", "success")));
    let outcome = run(lines, 6).await;
    assert_eq!(
        outcome.fired(SUCCESS_AFTER_FAILURES),
        vec![(group(&[("source.ip", A)]), 11)],
        "the ten failures behind the burst and the success"
    );
    let critical = Severity::Critical;
    outcome.assert_alerts(&[
        (FAILED_LOGIN_BURST, critical, group(&[("source.ip", A)])),
        (FAILED_LOGIN_BURST, critical, group(&[("source.ip", B)])),
        (FAILED_LOGIN_BURST, critical, group(&[("source.ip", C)])),
        (FAILED_LOGIN_BURST, critical, group(&[("source.ip", D)])),
        (SUCCESS_AFTER_FAILURES, critical, group(&[("source.ip", A)])),
    ]);
}

/// `n` requests from `ip` for `path`, `step` ms apart from `start`.
fn requests(n: u64, ip: &str, path: &str, start: u64, step: u64) -> Vec<Line> {
    series(n, start, step, |_| {
        format!(
            r#""event.category": "web", "http.request.method": "GET", "url.path": "{path}", "http.response.status_code": 200, "source.ip": "{ip}""#
        )
    })
}

#[tokio::test]
async fn api_abuse_fires_for_more_than_a_thousand_requests_from_one_client_in_a_minute() {
    // A: 1,001 API requests in 50 s. B: exactly 1,000.
    let mut lines = requests(1001, A, "/api/orders", 0, 50);
    lines.extend(requests(1000, B, "/api/orders", 0, 50));
    // C: 1,001, the first 60.001 s before the second.
    lines.extend(requests(1, C, "/api/orders", 0, 1));
    lines.extend(requests(1000, C, "/api/orders", 60_001, 10));
    // D: 1,001 requests, not to the API.
    lines.extend(requests(1001, D, "/static/app.js", 0, 50));
    // E and F: 600 each.
    lines.extend(requests(600, E, "/api/cart", 0, 90));
    lines.extend(requests(600, F, "/api/cart", 0, 90));
    let outcome = run(lines, 500).await;
    assert_eq!(
        outcome.fired(API_ABUSE),
        vec![(group(&[("source.ip", A)]), 1001)]
    );
    let medium = Severity::Warning; // the rule's level is medium
    outcome.assert_alerts(&[(API_ABUSE, medium, group(&[("source.ip", A)]))]);
}

/// `n` orders by `customer` from `ip`, `step` ms apart from `start`.
fn orders(n: u64, customer: &str, ip: &str, start: u64, step: u64) -> Vec<Line> {
    series(n, start, step, |i| {
        format!(
            r#""event.category": "order", "event.action": "paid", "order.id": "{customer}-{start}-{i}", "order.amount": 19.5, "customer.id": "{customer}", "source.ip": "{ip}""#
        )
    })
}

#[tokio::test]
async fn order_velocity_fires_for_five_orders_by_one_customer_in_ten_minutes() {
    // A: five orders in nine minutes. B: four.
    let mut lines = orders(5, "cust-a", A, 0, 135 * SECOND);
    lines.extend(orders(4, "cust-b", B, 0, MINUTE));
    // C: the first order 601 s before the second, five in all.
    lines.extend(orders(1, "cust-c", C, 0, 1));
    lines.extend(orders(4, "cust-c", C, 601 * SECOND, SECOND));
    // D and E: three orders each, from the same address.
    lines.extend(orders(3, "cust-d", D, 0, MINUTE));
    lines.extend(orders(3, "cust-e", D, 30 * SECOND, MINUTE));
    let outcome = run(lines, 4).await;
    assert_eq!(
        outcome.fired(ORDER_VELOCITY),
        vec![(group(&[("customer.id", "cust-a")]), 5)]
    );
    let medium = Severity::Warning; // the rule's level is medium
    outcome.assert_alerts(&[(ORDER_VELOCITY, medium, group(&[("customer.id", "cust-a")]))]);
}

/// `n` flows of `bytes` sent from `source` to `destination`, `step` ms apart from `start`.
fn flows(n: u64, source: &str, destination: &str, bytes: u64, start: u64, step: u64) -> Vec<Line> {
    series(n, start, step, |_| {
        format!(
            r#""event.category": "network", "source.ip": "{source}", "source.port": 50000, "destination.ip": "{destination}", "destination.port": 443, "network.transport": "tcp", "source.bytes": {bytes}, "destination.bytes": 4000"#
        )
    })
}

const MB: u64 = 1_000_000;

#[tokio::test]
async fn large_outbound_transfer_fires_above_500_mb_from_one_address_to_one_outside() {
    let (a, b, c, d) = ("10.1.0.5", "10.1.0.6", "10.1.0.7", "10.1.0.8");
    // a: 600 MB outside in four minutes. b: exactly 500 MB.
    let mut lines = flows(3, a, OUTSIDE, 200 * MB, 0, 2 * MINUTE);
    lines.extend(flows(2, b, OUTSIDE, 250 * MB, 0, MINUTE));
    // a: 600 MB to an internal address (a backup): not outbound.
    lines.extend(flows(3, a, "10.9.0.1", 200 * MB, 0, MINUTE));
    lines.extend(flows(3, a, "192.168.1.20", 200 * MB, 0, MINUTE));
    // c: 600 MB, the last flow 601 s after the first.
    lines.extend(flows(2, c, OUTSIDE, 200 * MB, 0, MINUTE));
    lines.extend(flows(1, c, OUTSIDE, 200 * MB, 601 * SECOND, 1));
    // d: 300 MB to each of two outside addresses; e and f 300 MB each to one.
    lines.extend(flows(1, d, OUTSIDE, 300 * MB, 0, 1));
    lines.extend(flows(1, d, E, 300 * MB, SECOND, 1));
    lines.extend(flows(1, "10.1.0.9", F, 300 * MB, 0, 1));
    lines.extend(flows(1, "10.1.0.10", F, 300 * MB, SECOND, 1));
    let outcome = run(lines, 3).await;
    let outside = group(&[("source.ip", a), ("destination.ip", OUTSIDE)]);
    assert_eq!(
        outcome.fired(LARGE_OUTBOUND_TRANSFER),
        vec![(outside.clone(), 3)]
    );
    let high = Severity::Critical; // the rule's level is high
    outcome.assert_alerts(&[(LARGE_OUTBOUND_TRANSFER, high, outside)]);
}

/// A 4625 record from `ip` at `ms` as `evtx_dump -o json` exports it (the `Event.System`
/// layout), record number `n`.
fn exported_4625(n: u64, ms: u64, ip: &str) -> String {
    format!(
        r##"{{"Event": {{"System": {{"EventID": 4625, "Channel": "Security", "Computer": "dc01.corp.example", "EventRecordID": {n}, "TimeCreated": {{"#attributes": {{"SystemTime": "{}"}}}}}}, "EventData": {{"TargetUserName": "alice", "LogonType": 3, "IpAddress": "{ip}"}}}}}}"##,
        timestamp(ms)
    )
}

#[tokio::test]
async fn windows_4625_burst_fires_on_records_as_the_windows_export_nests_them() {
    // A: ten failed logons in 90 s; B: nine, between them.
    let text: Vec<String> = (0..19)
        .map(|n| {
            let ip = if n % 2 == 0 { A } else { B };
            exported_4625(n, n * 5 * SECOND, ip)
        })
        .collect();
    let outcome = run_raw(&text, 4).await;
    assert_eq!(
        outcome.fired(WINDOWS_4625_BURST),
        vec![(group(&[("IpAddress", A)]), 10)]
    );
    let high = Severity::Critical; // the rule's level is high
    outcome.assert_alerts(&[(WINDOWS_4625_BURST, high, group(&[("IpAddress", A)]))]);
}

/// A simulated day (its brute force and exfiltration planted among ordinary traffic) fires
/// the rules meant for its attacks, for the attacker's groups, and nothing else.
#[tokio::test]
async fn the_simulated_attacks_fire_the_rules_meant_for_them() {
    use finmark::sim::{SimConfig, simulate};
    let day = simulate(&SimConfig {
        seed: 7,
        orders: 300,
        ..SimConfig::default()
    });
    let engine = soc_engine().await;
    let mut fired = Vec::new();
    for chunk in day.events.chunks(2000) {
        let report = engine.ingest(chunk.to_vec()).await.unwrap();
        fired.extend(
            report
                .correlations
                .into_iter()
                .map(|f| (f.rule_id, f.group)),
        );
    }
    let attacker = day.truth.brute_force.attacker_ip.as_str();
    let exfiltration = &day.truth.exfiltration;
    let expected = [
        (FAILED_LOGIN_BURST, group(&[("source.ip", attacker)])),
        (PASSWORD_SPRAY, group(&[("source.ip", attacker)])),
        (FAILED_LOGIN_BURST_STEP, group(&[("source.ip", attacker)])),
        (SUCCESS_AFTER_FAILURES, group(&[("source.ip", attacker)])),
        (
            LARGE_OUTBOUND_TRANSFER,
            group(&[
                ("source.ip", exfiltration.source_ip.as_str()),
                ("destination.ip", exfiltration.destination_ip.as_str()),
            ]),
        ),
    ];
    let mut expected: Vec<_> = expected
        .into_iter()
        .map(|(rule, group)| (rule.to_string(), group))
        .collect();
    expected.sort();
    fired.sort();
    assert_eq!(
        fired, expected,
        "the planted attacks fire, and nothing else of the day does"
    );
}

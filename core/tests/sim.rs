//! The simulator: deterministic, complete, realistic in shape, and true to its ground truth.

use chrono::{Duration, NaiveDate, Timelike};
use finmark::Value;
use finmark::event::Event;
use finmark::sim::{self, SimConfig, simulate, simulate_day};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The default day, simulated once for the tests that only read it.
fn default_day() -> &'static sim::Day {
    static DAY: OnceLock<sim::Day> = OnceLock::new();
    DAY.get_or_init(|| simulate(&SimConfig::default()))
}

fn small(seed: u64) -> SimConfig {
    SimConfig {
        seed,
        orders: 300,
        ..SimConfig::default()
    }
}

fn text<'a>(e: &'a Event, field: &str) -> Option<&'a str> {
    e.get(field).and_then(Value::as_str)
}

fn dataset<'a>(events: &'a [Event], name: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
    events
        .iter()
        .filter(move |e| text(e, "event.dataset") == Some(name))
}

#[test]
fn same_seed_same_day_other_seed_other_day() {
    let a = simulate(&small(7));
    let b = simulate(&small(7));
    assert_eq!(a.events, b.events);
    assert_eq!(a.truth, b.truth);
    let c = simulate(&small(8));
    assert_ne!(a.events, c.events);
    let other_date = SimConfig {
        date: NaiveDate::from_ymd_opt(2026, 1, 16).unwrap(),
        ..small(7)
    };
    assert_ne!(
        simulate_day(&other_date)[1000].fields,
        a.events[1000].fields
    );
}

#[test]
fn sorted_with_unique_ids_inside_the_day() {
    let day = default_day();
    assert!(day.events.windows(2).all(|w| w[0].time <= w[1].time));
    let ids: HashSet<&str> = day.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), day.events.len());
    assert!(day.events[0].id.starts_with("sim-42-20260115-"));
    assert!(
        day.events
            .iter()
            .all(|e| text(e, "event.id") == Some(e.id.as_str()))
    );
    let date = SimConfig::default().date;
    assert!(day.events.iter().all(|e| e.time.date_naive() == date));
}

#[test]
fn counts_per_kind() {
    let day = default_day();
    let mut per_kind: HashMap<&str, usize> = HashMap::new();
    for e in &day.events {
        *per_kind
            .entry(text(e, "event.dataset").unwrap())
            .or_default() += 1;
    }
    assert_eq!(per_kind["finmark.order"], 3000);
    assert_eq!(per_kind["finmark.metric"], 24 * 60 * 4 * 3);
    assert!(per_kind["finmark.auth"] > 4000, "{per_kind:?}");
    assert!(per_kind["finmark.http"] > 20_000, "{per_kind:?}");
    assert!(per_kind["finmark.flow"] > 10_000, "{per_kind:?}");
    assert_eq!(per_kind.len(), 5);

    let orders = simulate_day(&small(1));
    assert_eq!(dataset(&orders, "finmark.order").count(), 300);
    let ids: HashSet<&str> = dataset(&orders, "finmark.order")
        .map(|e| text(e, "order.id").unwrap())
        .collect();
    assert_eq!(ids.len(), 300);
}

#[test]
fn daily_pattern_quiet_night_busy_lunch_and_evening() {
    let mut per_hour = [0usize; 24];
    for e in dataset(&default_day().events, "finmark.order") {
        per_hour[e.time.hour() as usize] += 1;
    }
    let mean = |hours: std::ops::Range<usize>| {
        per_hour[hours.clone()].iter().sum::<usize>() as f64 / hours.len() as f64
    };
    let (night, morning, lunch, evening) = (mean(1..5), mean(9..11), mean(12..14), mean(19..21));
    assert!(night * 3.0 < morning, "{per_hour:?}");
    assert!(night * 8.0 < evening, "{per_hour:?}");
    assert!(lunch > morning && evening > lunch, "{per_hour:?}");
}

#[test]
fn brute_force_from_one_address_then_a_success() {
    let day = default_day();
    let truth = &day.truth.brute_force;
    let from_attacker: Vec<&Event> = dataset(&day.events, "finmark.auth")
        .filter(|e| text(e, "source.ip") == Some(truth.attacker_ip.as_str()))
        .collect();
    let failures: Vec<&&Event> = from_attacker
        .iter()
        .filter(|e| text(e, "event.outcome") == Some("failure"))
        .collect();
    assert_eq!(failures.len(), truth.failed_attempts);
    assert!(failures.len() >= 40);
    assert!(failures.iter().all(|e| truth.window.contains(e.time)));
    assert!(truth.window.end - truth.window.start <= Duration::minutes(6));
    let users: HashSet<&str> = failures
        .iter()
        .map(|e| text(e, "user.name").unwrap())
        .collect();
    assert!(users.len() >= 4, "{users:?}");
    assert!(
        users
            .iter()
            .all(|u| truth.targeted_users.iter().any(|t| t == u))
    );

    let successes: Vec<&&Event> = from_attacker
        .iter()
        .filter(|e| text(e, "event.outcome") == Some("success"))
        .collect();
    assert_eq!(successes.len(), 1);
    assert_eq!(
        text(successes[0], "user.name"),
        Some(truth.compromised_user.as_str())
    );
    assert_eq!(successes[0].time, truth.success_time);
    assert!(truth.success_time >= truth.window.end);

    // Nobody else comes close: the attacker has more failures than all other addresses
    // together, and at least 5 times more than any one other address.
    let mut failures_by_ip: HashMap<&str, usize> = HashMap::new();
    for e in dataset(&day.events, "finmark.auth") {
        if text(e, "event.outcome") == Some("failure") {
            *failures_by_ip
                .entry(text(e, "source.ip").unwrap())
                .or_default() += 1;
        }
    }
    let runner_up = failures_by_ip
        .iter()
        .filter(|(ip, _)| **ip != truth.attacker_ip)
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    assert!(runner_up * 5 <= truth.failed_attempts, "{runner_up}");

    let admin_calls = dataset(&day.events, "finmark.http")
        .filter(|e| text(e, "source.ip") == Some(truth.attacker_ip.as_str()))
        .filter(|e| text(e, "url.path").unwrap().starts_with("/api/v1/admin/"))
        .filter(|e| e.get("http.response.status_code") == Some(&Value::Int(200)))
        .count();
    assert_eq!(admin_calls, truth.admin_requests);
    assert!(admin_calls >= 2);
}

#[test]
fn exfiltration_burst_is_the_traffic_spike() {
    let day = default_day();
    let truth = &day.truth.exfiltration;
    let burst: Vec<&Event> = dataset(&day.events, "finmark.flow")
        .filter(|e| text(e, "destination.ip") == Some(truth.destination_ip.as_str()))
        .collect();
    assert_eq!(burst.len(), truth.flows);
    assert!(burst.iter().all(|e| truth.window.contains(e.time)));
    assert!(
        burst
            .iter()
            .all(|e| text(e, "source.ip") == Some(truth.source_ip.as_str()))
    );
    let bytes: i64 = burst
        .iter()
        .map(|e| e.get("source.bytes").unwrap().as_i64().unwrap())
        .sum();
    assert_eq!(bytes as u64, truth.bytes);
    assert!(truth.destination_ip.starts_with("203.0.113."));
    assert_ne!(truth.destination_ip, day.truth.brute_force.attacker_ip);

    // The busiest ten minutes of flows overlap the burst, and hold several times the flows
    // of a typical ten minutes.
    let mut per_bucket = vec![0usize; 144];
    for e in dataset(&day.events, "finmark.flow") {
        per_bucket[(e.time.hour() * 6 + e.time.minute() / 10) as usize] += 1;
    }
    let busiest = (0..144).max_by_key(|&b| per_bucket[b]).unwrap();
    let burst_buckets: HashSet<usize> = burst
        .iter()
        .map(|e| (e.time.hour() * 6 + e.time.minute() / 10) as usize)
        .collect();
    assert!(burst_buckets.contains(&busiest));
    let mut sorted = per_bucket.clone();
    sorted.sort_unstable();
    assert!(sorted[143] > 3 * sorted[72], "{sorted:?}");
}

#[test]
fn host_metrics_every_minute_with_one_anomaly() {
    let day = default_day();
    let truth = &day.truth.host_anomaly;
    let cpu = |host: &'static str| {
        dataset(&day.events, "finmark.metric").filter(move |e| {
            text(e, "host.name") == Some(host) && text(e, "metric.name") == Some("cpu.usage")
        })
    };
    assert_eq!(cpu("api-1").count(), 1440);
    let (inside, outside): (Vec<&Event>, Vec<&Event>) =
        cpu("db-1").partition(|e| truth.window.contains(e.time));
    assert_eq!(inside.len(), truth.samples);
    assert!(truth.samples >= 6);
    let value = |e: &Event| e.get("metric.value").unwrap().as_f64().unwrap();
    assert!(inside.iter().all(|e| value(e) > 0.9));
    assert!(outside.iter().all(|e| value(e) < 0.85));
    assert!(
        dataset(&day.events, "finmark.metric")
            .map(value)
            .all(|v| (0.0..=1.0).contains(&v))
    );
    // Daily pattern: the API servers work harder in the evening than at night.
    let mean_at = |hour: u32| {
        let v: Vec<f64> = cpu("api-1")
            .filter(|e| e.time.hour() == hour)
            .map(value)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(mean_at(20) > 3.0 * mean_at(3));
}

#[test]
fn api_requests_have_errors_and_a_long_latency_tail() {
    let day = default_day();
    let requests: Vec<&Event> = dataset(&day.events, "finmark.http")
        .filter(|e| text(e, "url.path") != Some("/health"))
        .collect();
    let statuses: HashSet<i64> = requests
        .iter()
        .map(|e| {
            e.get("http.response.status_code")
                .unwrap()
                .as_i64()
                .unwrap()
        })
        .collect();
    for status in [200, 201, 401, 402, 404, 500] {
        assert!(statuses.contains(&status), "no {status} in {statuses:?}");
    }
    let ok = requests
        .iter()
        .filter(|e| text(e, "event.outcome") == Some("success"))
        .count();
    assert!(ok as f64 > 0.93 * requests.len() as f64);
    let mut latencies: Vec<i64> = requests
        .iter()
        .map(|e| e.get("event.duration").unwrap().as_i64().unwrap())
        .collect();
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    assert!(at(0.99) > 5 * at(0.5), "p50 {} p99 {}", at(0.5), at(0.99));
    let authenticated = requests
        .iter()
        .filter(|e| e.get("user.name").is_some())
        .count();
    assert!(authenticated as f64 > 0.95 * requests.len() as f64);
    let jwt_logins = dataset(&day.events, "finmark.auth")
        .filter(|e| text(e, "authentication.method") == Some("jwt"))
        .count();
    assert!(jwt_logins > 0);
}

#[test]
fn stream_continues_day_after_day() {
    let first_day = simulate_day(&SimConfig {
        seed: 5,
        ..SimConfig::default()
    });
    let streamed: Vec<Event> = sim::stream(5).take(first_day.len() + 1000).collect();
    assert_eq!(streamed[..first_day.len()], first_day[..]);
    let next = &streamed[first_day.len()];
    assert_eq!(
        next.time.date_naive(),
        SimConfig::default().date.succ_opt().unwrap()
    );
    assert!(streamed.windows(2).all(|w| w[0].time <= w[1].time));
    let ids: HashSet<&str> = streamed.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), streamed.len());
}

#[test]
fn config_from_json_with_defaults() {
    let config: SimConfig = serde_json::from_str(r#"{"seed": 9}"#).unwrap();
    assert_eq!(
        config,
        SimConfig {
            seed: 9,
            ..SimConfig::default()
        }
    );
    let config: SimConfig =
        serde_json::from_str(r#"{"date": "2026-03-01", "orders": 10}"#).unwrap();
    assert_eq!(config.orders, 10);
    assert!(serde_json::from_str::<SimConfig>(r#"{"date": "March"}"#).is_err());
    let truth = serde_json::to_value(
        &simulate(&SimConfig {
            orders: 10,
            ..config
        })
        .truth,
    )
    .unwrap();
    assert!(truth["brute_force"]["attacker_ip"].is_string());
}

#[test]
fn demo_rules_detect_exactly_what_was_planted() {
    let rules_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/rules");
    let rules = finmark::RuleSet::load(&[rules_dir]).unwrap();
    assert!(rules.rejected().is_empty(), "{:?}", rules.rejected());
    assert_eq!(rules.len(), 4);
    let day = default_day();
    let mut per_title: HashMap<String, Vec<usize>> = HashMap::new();
    for m in rules.match_events(&day.events) {
        // event_index is 1-based: the events' indices are one less.
        per_title
            .entry(m.title)
            .or_default()
            .push(m.event_index - 1);
    }
    let hits = |title: &str| per_title.get(title).cloned().unwrap_or_default();
    let truth = &day.truth;

    let flows = hits("Network Flow To A Threat-Intelligence Address");
    assert_eq!(flows.len(), truth.exfiltration.flows);
    assert!(
        flows
            .iter()
            .all(|&i| truth.exfiltration.window.contains(day.events[i].time))
    );

    let failures = hits("Failed Login From A Threat-Intelligence Address");
    assert_eq!(failures.len(), truth.brute_force.failed_attempts);
    assert!(
        failures
            .iter()
            .all(|&i| truth.brute_force.window.contains(day.events[i].time))
    );

    let outside_vpn = hits("Admin API Called From Outside The VPN");
    assert_eq!(outside_vpn.len(), truth.brute_force.admin_requests);
    assert!(outside_vpn.iter().all(|&i| {
        text(&day.events[i], "source.ip") == Some(truth.brute_force.attacker_ip.as_str())
    }));
    // Staff's own admin work shows in the low-level audit rule, not in the one above.
    assert!(hits("Admin API Endpoint Access").len() > truth.brute_force.admin_requests);
}

//! Side-by-side correlation throughput: finmark's correlator against rsigma-eval's
//! `CorrelationEngine`, on the same rules and the same simulated authentication events.
//!
//! One thread each, whole process: NDJSON bytes in, detection and correlation, firings out.
//! Every measurement runs in its own child process, so peak memory is its own.
//!
//! ```text
//! cargo run --release -p finmark-benches --bin correlate-vs-rsigma -- [--events N] [--runs K]
//! ```
//!
//! The events (generated deterministically, the same for both): logins 36 ms apart in whole
//! seconds (`@timestamp`), `source.ip`, `user.name`, `event.category: authentication`,
//! `event.outcome`. 95% come from 99,000 ordinary addresses (one in ten fails); 5% form
//! bursts of 40 failures from 1,000 attacking addresses (half against one user, half
//! spraying 40 users), so 100,000 distinct sources in all. Rules: one failed-login rule, an
//! `event_count` (10 failures from one source in 5 minutes) and a `value_count` (10 users
//! from one source in 5 minutes). rsigma is configured as finmark fires: one firing per
//! group per timespan (`suppress` = timespan + 1 s on whole seconds).

use finmark::RuleSet;
use finmark::correlate::{CorrelationConfig, Correlator, RuleHit};
use finmark_benches::{median, peak_rss_mib};
use std::process::Command;
use std::time::Instant;

const RULES: &str = "title: Failed login
id: 3c9a0c3e-6b67-4b43-9d9c-1a5d2f0f6b11
name: failed_login
logsource: {category: authentication}
detection:
    selection:
        event.category: authentication
        event.outcome: failure
    condition: selection
---
title: Multiple failed logins from one source
id: 9f1f9a4e-1d0c-4d55-8a7b-5f3c8f0f0a01
level: critical
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [source.ip]
    timespan: 5m
    condition: {gte: 10}
---
title: Password spray from one source
id: 5e0b2a77-31b2-4d8e-9b1c-7c2a4e6d9f02
level: high
correlation:
    type: value_count
    rules: [failed_login]
    group-by: [source.ip]
    timespan: 5m
    condition: {field: user.name, gte: 10}
";

/// The timespan of both correlations, in seconds.
const TIMESPAN: u64 = 300;

/// 2026-03-02T00:00:00Z.
const START: i64 = 1_772_409_600;

/// SplitMix64: a tiny deterministic generator.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn ip(n: u64) -> String {
    format!("10.{}.{}.{}", n >> 16 & 255, n >> 8 & 255, n & 255)
}

/// `n` NDJSON login events, deterministic.
fn events(n: usize) -> Vec<u8> {
    let mut rng = Mix(42);
    let mut out = Vec::with_capacity(n * 200);
    for i in 0..n as u64 {
        let secs = START + (i * 36 / 1000) as i64;
        let time = chrono::DateTime::from_timestamp(secs, 0)
            .expect("in range")
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let (source, user, outcome) = if i.is_multiple_of(20) {
            // Attack bursts of 40 events: burst b from attacker b % 1000.
            let burst = i / 20 / 40;
            let source = ip(99_000 + burst % 1_000);
            let user = if burst.is_multiple_of(2) {
                format!("user{}", burst % 20_000)
            } else {
                format!("user{}", (i / 20) % 40 + burst * 7 % 20_000)
            };
            (source, user, "failure")
        } else {
            let r = rng.next();
            let outcome = if r.is_multiple_of(10) {
                "failure"
            } else {
                "success"
            };
            (
                ip((r >> 8) % 99_000),
                format!("user{}", (r >> 32) % 20_000),
                outcome,
            )
        };
        let line = serde_json::json!({
            "@timestamp": time,
            "event": {"id": format!("auth-{i}"), "category": "authentication", "outcome": outcome},
            "source": {"ip": source},
            "user": {"name": user},
        });
        serde_json::to_writer(&mut out, &line).expect("writes to memory");
        out.push(b'\n');
    }
    out
}

/// What one run of an engine gives: firings per correlation title, groups held at the end,
/// and the saved state's size in bytes.
struct Outcome {
    firings: std::collections::BTreeMap<String, usize>,
    groups: usize,
    state_bytes: usize,
}

fn finmark_run(input: &[u8]) -> Outcome {
    let rules = RuleSet::builder()
        .yaml(RULES, "bench.yml")
        .build()
        .expect("rules");
    let correlator = Correlator::new(&rules, CorrelationConfig::default()).expect("config");
    let mut state = correlator.new_state();
    let mut firings = std::collections::BTreeMap::new();
    // Batches of 10,000 lines, as ingest and hunt read them.
    let mut rest = input;
    while !rest.is_empty() {
        let cut = memchr::memchr_iter(b'\n', rest)
            .nth(9_999)
            .map_or(rest.len(), |i| i + 1);
        let (batch, next) = rest.split_at(cut);
        rest = next;
        let report = rules.match_json(batch);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', batch).map(|i| i + 1))
            .collect();
        let events: Vec<finmark::Event> = report
            .matches
            .iter()
            .map(|m| {
                let line = &batch[starts[m.event_index - 1]..starts[m.event_index] - 1];
                finmark::event::parse_line(line).expect("valid line")
            })
            .collect();
        let hits = report
            .matches
            .iter()
            .zip(&events)
            .map(|(m, e)| RuleHit::new(m, e));
        for f in correlator.advance(&mut state, hits) {
            *firings.entry(f.title).or_insert(0) += 1;
        }
    }
    Outcome {
        firings,
        groups: state.stats().groups as usize,
        state_bytes: serde_json::to_vec(&state).expect("serialises").len(),
    }
}

fn rsigma_run(input: &[u8]) -> Outcome {
    let collection = rsigma_parser::parse_sigma_yaml(RULES).expect("rsigma parses the rules");
    let config = rsigma_eval::CorrelationConfig {
        suppress: Some(TIMESPAN + 1),
        ..rsigma_eval::CorrelationConfig::default()
    };
    let mut engine = rsigma_eval::CorrelationEngine::new(config);
    engine
        .add_collection(&collection)
        .expect("rsigma compiles the rules");
    let mut firings = std::collections::BTreeMap::new();
    for line in input.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let value: serde_json::Value = serde_json::from_slice(line).expect("valid line");
        let event = rsigma_eval::JsonEvent::borrow(&value);
        for result in engine.process_event(&event) {
            if result.is_correlation() {
                *firings.entry(result.header.rule_title.clone()).or_insert(0) += 1;
            }
        }
    }
    Outcome {
        firings,
        groups: engine.state_count(),
        state_bytes: serde_json::to_vec(&engine.export_state())
            .expect("serialises")
            .len(),
    }
}

/// One measurement, in this (child) process: prints one JSON line.
fn child(mode: &str, n: usize, runs: usize) -> Result<(), String> {
    let input = events(n);
    let input_mib = input.len() as f64 / (1 << 20) as f64;
    let mut secs = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        last = Some(match mode {
            "finmark" => finmark_run(&input),
            "rsigma" => rsigma_run(&input),
            other => return Err(format!("unknown mode {other}")),
        });
        secs.push(t.elapsed().as_secs_f64());
    }
    let outcome = last.expect("one run at least");
    let secs = median(secs);
    println!(
        "{}",
        serde_json::json!({
            "mode": mode, "events": n, "secs": secs, "events_per_sec": n as f64 / secs,
            "firings": outcome.firings, "groups": outcome.groups,
            "state_bytes": outcome.state_bytes, "peak_rss_mib": peak_rss_mib(),
            "input_mib": input_mib,
        })
    );
    Ok(())
}

fn run_child(mode: &str, n: usize, runs: usize) -> Result<serde_json::Value, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args([
            "--child",
            mode,
            "--events",
            &n.to_string(),
            "--runs",
            &runs.to_string(),
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("{mode}: {}", String::from_utf8_lossy(&out.stderr)));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("{mode}: {e}"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut n, mut runs, mut mode) = (1_000_000usize, 3usize, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().cloned().unwrap_or_default();
        match flag.as_str() {
            "--events" => n = value.parse().unwrap_or(n),
            "--runs" => runs = value.parse().unwrap_or(runs),
            "--child" => mode = Some(value),
            other => {
                eprintln!("correlate-vs-rsigma: unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    let result = match mode {
        Some(mode) => child(&mode, n, runs),
        None => parent(n, runs),
    };
    if let Err(e) = result {
        eprintln!("correlate-vs-rsigma: {e}");
        std::process::exit(1);
    }
}

fn parent(n: usize, runs: usize) -> Result<(), String> {
    println!("# {n} simulated logins, 100,000 sources, median of {runs} runs, one thread each\n");
    println!(
        "| engine | events/s | firings | groups at end | state bytes | peak MiB | input MiB |"
    );
    println!("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
    let mut rates = Vec::new();
    for mode in ["finmark", "rsigma"] {
        let r = run_child(mode, n, runs)?;
        println!(
            "| {mode} | {:.0} | {} | {} | {} | {:.0} | {:.0} |",
            r["events_per_sec"].as_f64().unwrap_or(0.0),
            r["firings"],
            r["groups"],
            r["state_bytes"],
            r["peak_rss_mib"].as_f64().unwrap_or(0.0),
            r["input_mib"].as_f64().unwrap_or(0.0),
        );
        rates.push(r["events_per_sec"].as_f64().unwrap_or(f64::NAN));
    }
    println!(
        "\nfinmark is {:.2}x rsigma (target: 5x)",
        rates[0] / rates[1]
    );
    Ok(())
}

//! Metric rollups: the DDSketch's quantile error against exact quantiles, and the throughput
//! of the metrics stage (`Rollups::deltas` + `Deltas::finish`), one thread.
//!
//! ```text
//! cargo run --release -p finmark-benches --bin metrics -- [--events N] [--keys K]
//!     [--runs R] [--only accuracy|throughput] [--scenario NAME]
//! ```

use chrono::{DateTime, Duration, Utc};
use finmark::event::{Event, Value};
use finmark::metrics::{Answer, MetricQuery, MetricRow, RollupSpec, Rollups};
use finmark::sim::{SimConfig, simulate_day};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

struct Options {
    events: usize,
    keys: usize,
    runs: usize,
    only: Option<String>,
    scenario: Option<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        events: 1_000_000,
        keys: 10_000,
        runs: 3,
        only: None,
        scenario: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--events" => o.events = number()?,
            "--keys" => o.keys = number()?,
            "--runs" => o.runs = number()?,
            "--only" => o.only = Some(value.clone()),
            "--scenario" => o.scenario = Some(value.clone()),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(o)
}

fn main() {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("metrics: {e}");
            std::process::exit(2);
        }
    };
    if o.only.as_deref() != Some("throughput") {
        accuracy();
    }
    if o.only.as_deref() != Some("accuracy") {
        throughput(&o);
    }
}

/// A log-normal draw: `median · e^(σ·z)`, z standard normal by Box–Muller.
fn lognormal(rng: &mut ChaCha8Rng, median: f64, sigma: f64) -> f64 {
    let (u, v): (f64, f64) = (1.0 - rng.random::<f64>(), rng.random());
    let z = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
    median * (sigma * z).exp()
}

/// The exact quantile DDSketch approximates: the value of rank ⌊q·(n−1)⌋.
fn exact(sorted: &[f64], q: f64) -> f64 {
    sorted[(q * (sorted.len() - 1) as f64) as usize]
}

fn one_row(query: &MetricQuery, events: &[Event]) -> Vec<MetricRow> {
    match query
        .run(&query.from_events(events).expect("query"))
        .expect("run")
    {
        Answer::Rows(rows) => rows,
        _ => unreachable!("a series query answers rows"),
    }
}

/// Relative errors of p50, p95, p99 of `row` against the exact values.
fn errors(row: &MetricRow, mut values: Vec<f64>) -> [f64; 3] {
    values.sort_by(f64::total_cmp);
    [(row.p50, 0.5), (row.p95, 0.95), (row.p99, 0.99)]
        .map(|(got, q)| (got.expect("quantile") / exact(&values, q) - 1.0).abs())
}

fn accuracy() {
    let at: DateTime<Utc> = "2026-01-15T10:00:00Z".parse().expect("time");
    let query: MetricQuery =
        serde_json::from_str(r#"{"measure": {"field": "v"}, "interval": "1d"}"#).expect("query");
    println!("## DDSketch relative error against exact quantiles (rank floor(q*(n-1)))");
    println!();
    println!("| data | n | seeds | max p50 error | max p95 error | max p99 error |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (sigma, n, seeds) in [
        (1.0, 1_000, 20),
        (1.0, 100_000, 5),
        (1.0, 1_000_000, 2),
        (2.0, 1_000_000, 2),
    ] {
        let mut worst = [0.0f64; 3];
        for seed in 0..seeds {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let values: Vec<f64> = (0..n).map(|_| lognormal(&mut rng, 50.0, sigma)).collect();
            let events: Vec<Event> = values
                .iter()
                .map(|&v| {
                    Event::new(
                        [
                            ("@timestamp", Value::from(at.timestamp())),
                            ("v", Value::Float(v)),
                        ]
                        .into_iter()
                        .collect(),
                    )
                })
                .collect();
            let row = &one_row(&query, &events)[0];
            for (w, e) in worst.iter_mut().zip(errors(row, values)) {
                *w = w.max(e);
            }
        }
        println!(
            "| log-normal, median 50, sigma {sigma} | {n} | {seeds} | {:.3} % | {:.3} % | {:.3} % |",
            worst[0] * 100.0,
            worst[1] * 100.0,
            worst[2] * 100.0
        );
    }

    let day = simulate_day(&SimConfig::default());
    let http: Vec<Event> = day
        .into_iter()
        .filter(|e| e.get("event.dataset") == Some(&Value::from("finmark.http")))
        .collect();
    let query: MetricQuery = serde_json::from_str(
        r#"{"measure": {"field": "event.duration"}, "group_by": ["url.path"], "interval": "1d"}"#,
    )
    .expect("query");
    let mut worst = [0.0f64; 3];
    let rows = one_row(&query, &http);
    for row in &rows {
        let values: Vec<f64> = http
            .iter()
            .filter(|e| e.get("url.path") == row.group.get("url.path"))
            .filter_map(|e| e.get("event.duration")?.as_f64())
            .collect();
        for (w, e) in worst.iter_mut().zip(errors(row, values)) {
            *w = w.max(e);
        }
    }
    let all: MetricQuery =
        serde_json::from_str(r#"{"measure": {"field": "event.duration"}, "interval": "1d"}"#)
            .expect("query");
    let whole = errors(
        &one_row(&all, &http)[0],
        http.iter()
            .filter_map(|e| e.get("event.duration")?.as_f64())
            .collect(),
    );
    println!(
        "| simulated request durations (`sim::simulate_day`, seed 42), all {} requests | {} | 1 | {:.3} % | {:.3} % | {:.3} % |",
        http.len(),
        http.len(),
        whole[0] * 100.0,
        whole[1] * 100.0,
        whole[2] * 100.0
    );
    println!(
        "| the same, per endpoint (worst of {} paths) | | 1 | {:.3} % | {:.3} % | {:.3} % |",
        rows.len(),
        worst[0] * 100.0,
        worst[1] * 100.0,
        worst[2] * 100.0
    );
    println!();
}

/// `n` synthetic API requests over one day from `keys` client addresses: a user among 50,000,
/// one of ten paths, a log-normal duration in ns (median 40 ms, sigma 1).
fn requests(n: usize, keys: usize) -> Vec<Event> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let day: DateTime<Utc> = "2026-01-15T00:00:00Z".parse().expect("time");
    (0..n)
        .map(|i| {
            let at = day + Duration::milliseconds((i as i64) * 86_400_000 / n as i64);
            let key = rng.random_range(0..keys as u32);
            let ip = format!("10.{}.{}.{}", key >> 16, (key >> 8) & 255, key & 255);
            Event::new(
                [
                    ("@timestamp", Value::from(at.timestamp_millis())),
                    ("event.dataset", Value::from("finmark.http")),
                    ("source.ip", Value::from(ip)),
                    (
                        "user.name",
                        Value::from(format!("user{}", rng.random_range(0..50_000))),
                    ),
                    (
                        "url.path",
                        Value::from(format!("/api/v1/endpoint{}", rng.random_range(0..10))),
                    ),
                    (
                        "event.duration",
                        Value::from(lognormal(&mut rng, 40e6, 1.0).round() as i64),
                    ),
                ]
                .into_iter()
                .collect(),
            )
        })
        .collect()
}

fn rollup(json: &str) -> RollupSpec {
    serde_json::from_str(json).expect("rollup")
}

fn throughput(o: &Options) {
    let count = r#"{"name": "requests_by_ip", "measure": "count", "group_by": ["source.ip"], "max_groups": 100000}"#;
    let field = r#"{"name": "latency_by_ip", "measure": {"field": "event.duration"}, "group_by": ["source.ip"], "max_groups": 100000}"#;
    let distinct = r#"{"name": "latency_users_by_ip", "measure": {"field": "event.duration"}, "group_by": ["source.ip"], "distinct": "user.name", "max_groups": 100000}"#;
    let by_path = r#"{"name": "latency_by_path", "measure": {"field": "event.duration"}, "where": {"event.dataset": "finmark.http"}, "group_by": ["url.path"]}"#;
    let scenarios: Vec<(&str, Vec<&str>)> = vec![
        ("count by source.ip", vec![count]),
        ("event.duration by source.ip", vec![field]),
        (
            "event.duration by source.ip, distinct user.name",
            vec![distinct],
        ),
        ("event.duration by url.path (10 groups)", vec![by_path]),
        ("all four together", vec![count, field, distinct, by_path]),
    ];
    let events = requests(o.events, o.keys);
    let now: DateTime<Utc> = "2026-01-16T00:00:00Z".parse().expect("time");
    println!(
        "## Metrics stage throughput: {} events, {} keys, batches of 10,000, one thread, median of {} runs",
        o.events, o.keys, o.runs
    );
    println!();
    println!(
        "| rollups | buckets per batch | stage events/s | encode (to_bytes) events/s | bytes per bucket | stage time vs ingest at 280,000 events/s |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, specs) in scenarios {
        if o.scenario.as_deref().is_some_and(|s| !name.contains(s)) {
            continue;
        }
        let rollups = Rollups::new(specs.iter().map(|s| rollup(s)).collect()).expect("rollups");
        let mut stage_times = Vec::new();
        let mut encode_times = Vec::new();
        let (mut buckets, mut bytes) = (0usize, 0usize);
        for _ in 0..o.runs {
            let (mut stage, mut encode) = (0.0, 0.0);
            buckets = 0;
            bytes = 0;
            for batch in events.chunks(10_000) {
                let start = Instant::now();
                let update = rollups.deltas(batch, now).finish(&());
                stage += start.elapsed().as_secs_f64();
                let start = Instant::now();
                for delta in &update.buckets {
                    bytes += delta.bucket.to_bytes().len();
                }
                encode += start.elapsed().as_secs_f64();
                buckets += update.buckets.len();
            }
            stage_times.push(stage);
            encode_times.push(encode);
        }
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (stage, encode) = (median(stage_times), median(encode_times));
        let batches = o.events.div_ceil(10_000);
        let ingest = o.events as f64 / 280_000.0;
        println!(
            "| {name} | {} | {:.0} | {:.0} | {:.0} | {:.0} % |",
            buckets / batches,
            o.events as f64 / stage,
            o.events as f64 / encode,
            bytes as f64 / buckets as f64,
            stage / ingest * 100.0
        );
    }
}

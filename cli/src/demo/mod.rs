//! `finmark demo`: the main job. Simulates a day of a fintech's traffic, stores it with the
//! demo rules loaded, and prints what the stored day holds.

mod summary;

use crate::{Failure, Finished, Outcome, table};
use chrono::NaiveDate;
use finmark::sim::{self, SimConfig, Truth};
use finmark::storage::FieldCount;
use finmark::{Engine, Event};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use summary::DaySummary;

/// The demo's Sigma rules, compiled into the binary: one line per rule.
const DEMO_RULES: [(&str, &str); 4] = [
    demo_rule!("failed_login_from_threat_range.yml"),
    demo_rule!("admin_endpoint_outside_vpn.yml"),
    demo_rule!("admin_endpoint_access.yml"),
    demo_rule!("flow_to_threat_range.yml"),
];

/// The rules shipped for the first users' security operations center, loaded besides the
/// demo rules: their correlations turn the day's raw matches into a handful of alerts.
const SOC_RULES: &str = "builtin:soc";

/// A rule of `examples/rules/` as (file name, YAML text).
macro_rules! demo_rule {
    ($file:literal) => {
        (
            $file,
            include_str!(concat!("../../../examples/rules/", $file)),
        )
    };
}
use demo_rule;

/// The database the demo uses without `--db`: recreated in the current directory.
const DEFAULT_DB: &str = "finmark-demo.db";
/// Events per ingested batch.
const BATCH: usize = 10_000;
/// Width of the longest bar of the orders chart.
const BAR: u64 = 40;

/// Arguments of `finmark demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Storage URL; by default the SQLite file finmark-demo.db in the current directory,
    /// deleted and recreated on every run. A database given here is kept and added to
    /// (events are stored once by id, so re-running the same day adds nothing).
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// Seed of the simulation: the same seed gives the same day.
    #[arg(long, default_value_t = SimConfig::default().seed)]
    seed: u64,
    /// The simulated day (UTC).
    #[arg(long, value_name = "YYYY-MM-DD", default_value_t = SimConfig::default().date)]
    date: NaiveDate,
    /// Orders in the day; the rest of the traffic scales with them.
    #[arg(long, value_name = "N", default_value_t = SimConfig::default().orders)]
    orders: usize,
    /// More Sigma rules to load besides the demo rules (files or directories).
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
}

/// Runs `finmark demo`.
pub async fn run(args: Args) -> Outcome {
    let config = SimConfig {
        seed: args.seed,
        date: args.date,
        orders: args.orders,
    };
    let url = match &args.db {
        Some(url) => url.clone(),
        None => {
            remove_database(Path::new(DEFAULT_DB))?;
            format!("sqlite://{DEFAULT_DB}")
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "finmark demo: a simulated day of a fintech's traffic ({}, seed {}, {} orders) in {url}\n",
        config.date, config.seed, config.orders
    )?;

    let started = Instant::now();
    let day = sim::simulate(&config);
    let simulated = started.elapsed();
    let engine = open_engine(&url, &args.rules).await?;
    let loaded = engine.rules();
    for rejected in loaded.rejected() {
        eprintln!("{rejected}");
    }
    let events = day.events.len();
    let started = Instant::now();
    let stored = ingest(&engine, day.events).await?;
    let took = started.elapsed().as_secs_f64();
    writeln!(
        out,
        "simulated {events} events in {:.2} s; stored {} new ({} already there) in {took:.2} s, {:.0} events/s",
        simulated.as_secs_f64(),
        stored.0,
        stored.1,
        events as f64 / took.max(1e-9)
    )?;
    writeln!(
        out,
        "rules: {} loaded, {} rejected; {} detections; {} correlations\n",
        loaded.len(),
        loaded.rejected().len(),
        stored.2,
        loaded.correlations().len()
    )?;

    let summary = DaySummary::query(&engine, config.date).await?;
    engine.close().await?;
    print_summary(&mut out, &summary)?;
    print_alerts(&mut out, &summary, stored.2)?;
    print_truth(&mut out, &day.truth)?;
    Ok(Finished::rejecting(loaded.rejected().len()))
}

async fn open_engine(url: &str, extra_rules: &[PathBuf]) -> Result<Engine, Failure> {
    let mut builder = Engine::builder(url).rules_path(SOC_RULES);
    for (file, yaml) in DEMO_RULES {
        builder = builder.rules_yaml(yaml, &format!("examples/rules/{file}"));
    }
    for path in extra_rules {
        builder = builder.rules_path(path);
    }
    Ok(builder.open().await?)
}

/// Stores the events in batches; returns (new events, duplicates, detections).
async fn ingest(engine: &Engine, events: Vec<Event>) -> Result<(usize, usize, usize), Failure> {
    let mut events = events.into_iter();
    let mut stored = (0, 0, 0);
    loop {
        let batch: Vec<Event> = events.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            return Ok(stored);
        }
        let report = engine.ingest(batch).await?;
        stored.0 += report.accepted;
        stored.1 += report.duplicates;
        stored.2 += report.matches.len();
    }
}

/// Deletes a SQLite database file and its WAL companions, if present.
fn remove_database(path: &Path) -> Result<(), Failure> {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Failure::Input(format!(
                    "cannot recreate {}: {e}",
                    Path::new(&file).display()
                )));
            }
        }
    }
    Ok(())
}

fn counts(values: &[FieldCount]) -> String {
    values
        .iter()
        .map(|c| format!("{} ({})", c.value, c.count))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_summary(out: &mut impl Write, s: &DaySummary) -> std::io::Result<()> {
    writeln!(out, "events stored for the day: {}", s.total_events)?;
    let kinds: Vec<Vec<String>> = s
        .events_by_kind
        .iter()
        .map(|c| vec![format!("  {}", c.value), c.count.to_string()])
        .collect();
    table::write(out, &["  KIND", "EVENTS"], &kinds)?;

    writeln!(out, "\nfailed logins: {}", s.failed_logins)?;
    writeln!(out, "  top sources: {}", counts(&s.failed_login_sources))?;

    writeln!(out, "\norders per hour (UTC)")?;
    let busiest = s.orders_per_hour.iter().copied().max().unwrap_or(0).max(1);
    for (hour, n) in s.orders_per_hour.iter().enumerate() {
        let bar = "█".repeat((n * BAR).div_ceil(busiest) as usize);
        writeln!(out, "  {hour:02}:00 {n:>5} {bar}")?;
    }

    match &s.flow_spike {
        Some(spike) => {
            writeln!(
                out,
                "\ntraffic spike: {} flows between {} and {} (a median ten minutes has {})",
                spike.flows,
                spike.window.start.format("%H:%M"),
                spike.window.end.format("%H:%M"),
                spike.median_flows
            )?;
            writeln!(
                out,
                "  top destinations: {}",
                counts(&spike.top_destinations)
            )?;
        }
        None => writeln!(out, "\ntraffic spike: no network flows")?,
    }

    writeln!(out, "\ndetections by rule")?;
    if s.detections.is_empty() {
        writeln!(out, "  none")?;
    } else {
        let rows: Vec<Vec<String>> = s
            .detections
            .iter()
            .map(|r| vec![format!("  {}", r.count), r.level.clone(), r.title.clone()])
            .collect();
        table::write(out, &["  COUNT", "LEVEL", "RULE"], &rows)?;
    }
    Ok(())
}

/// The day's alerts, with how many of the run's `detections` each stands for on average.
fn print_alerts(out: &mut impl Write, s: &DaySummary, detections: usize) -> std::io::Result<()> {
    writeln!(
        out,
        "\nalerts: {} ({detections} detections, {:.1} per alert)",
        s.alerts.len(),
        detections as f64 / s.alerts.len().max(1) as f64
    )?;
    if s.alerts.is_empty() {
        return writeln!(out, "  none");
    }
    let rows: Vec<Vec<String>> = s
        .alerts
        .iter()
        .map(|a| {
            let group = a
                .group
                .iter()
                .map(|(field, value)| format!("{field}={value}"))
                .collect::<Vec<_>>()
                .join(" ");
            vec![
                format!("  {}", a.severity.as_str()),
                a.source.as_str().to_string(),
                a.count.to_string(),
                a.first_seen.format("%H:%M:%S").to_string(),
                a.title.clone(),
                group,
            ]
        })
        .collect();
    table::write(
        out,
        &["  SEVERITY", "SOURCE", "COUNT", "FIRST", "TITLE", "GROUP"],
        &rows,
    )
}

fn print_truth(out: &mut impl Write, truth: &Truth) -> std::io::Result<()> {
    let (bf, ex, an) = (&truth.brute_force, &truth.exfiltration, &truth.host_anomaly);
    let hm = "%H:%M:%S";
    writeln!(out, "\nwhat the simulator planted (ground truth)")?;
    writeln!(
        out,
        "  brute force: {} failed logins from {} against {} accounts, {}-{}; then {} logged in at {} and made {} admin calls",
        bf.failed_attempts,
        bf.attacker_ip,
        bf.targeted_users.len(),
        bf.window.start.format(hm),
        bf.window.end.format(hm),
        bf.compromised_user,
        bf.success_time.format(hm),
        bf.admin_requests
    )?;
    writeln!(
        out,
        "  exfiltration: {} flows, {:.1} GB from {} ({}) to {}:{}, {}-{}",
        ex.flows,
        ex.bytes as f64 / 1e9,
        ex.source_host,
        ex.source_ip,
        ex.destination_ip,
        ex.destination_port,
        ex.window.start.format(hm),
        ex.window.end.format(hm)
    )?;
    writeln!(
        out,
        "  host anomaly: {} {} pinned near 100% for {} samples, {}-{}",
        an.host,
        an.metric,
        an.samples,
        an.window.start.format("%H:%M"),
        an.window.end.format("%H:%M")
    )
}

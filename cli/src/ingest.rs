//! `finmark ingest`: store events from files in a database, matching, correlating and
//! raising alerts as it stores when rules are in use.

use crate::input::{self, Input};
use crate::{Failure, Finished, Outcome};
use finmark::sigma::builtin_rules;
use finmark::{Engine, RuleOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `finmark ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Storage URL: sqlite://PATH, postgres://USER@HOST:PORT/DB or memory://.
    #[arg(long, value_name = "URL")]
    db: String,
    /// Files or directories (every .json, .jsonl and .ndjson file below) of NDJSON, JSON
    /// arrays, concatenated or Windows-event JSON; `-` reads stdin. Read in batches of
    /// 10,000 records, each stored in one transaction. Each rejected record is printed on
    /// stderr as FILE:LINE: reason; the exit code is 1 if any was rejected.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Sigma rules (files, directories, or a builtin set such as builtin:soc) to match,
    /// correlate and raise alerts with; repeat for several. They are remembered in the
    /// database: without --rules, the rules the database was last ingested with are used
    /// (or none, the first time).
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Processing pipeline applied to the rules: a builtin name (windows, webserver, proxy,
    /// firewall, authentication) or a pySigma pipeline YAML file; repeat for several.
    /// Remembered with the rules.
    #[arg(long = "pipeline", value_name = "NAME_OR_FILE", requires = "rules")]
    pipelines: Vec<String>,
}

/// What was done with the records of one input or of all of them.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    accepted: usize,
    duplicates: usize,
    rejected: usize,
    /// Detections and alerts raised or updated, shown only when rules are in use.
    detections: usize,
    alerts: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.accepted += other.accepted;
        self.duplicates += other.duplicates;
        self.rejected += other.rejected;
        self.detections += other.detections;
        self.alerts += other.alerts;
    }
}

/// A tally as printed: the counts of records, then (with rules) what they raised.
struct Shown(Tally, bool);

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Shown(tally, with_rules) = self;
        write!(
            f,
            "{} accepted, {} duplicates, {} rejected",
            tally.accepted, tally.duplicates, tally.rejected
        )?;
        if *with_rules {
            write!(
                f,
                "; {} detections, {} alerts raised or updated",
                tally.detections, tally.alerts
            )?;
        }
        Ok(())
    }
}

/// Runs `finmark ingest`.
pub async fn run(args: Args) -> Outcome {
    let inputs = input::expand(&args.files)?;
    let engine = Engine::open(&args.db).await?;
    let with_rules = use_rules(&engine, &args.rules, &args.pipelines).await?;
    let mut total = Tally::default();
    let mut stdout = std::io::stdout().lock();
    for input in &inputs {
        let tally = ingest_one(&engine, input).await?;
        writeln!(stdout, "{}: {}", input.label(), Shown(tally, with_rules))?;
        total.add(tally);
    }
    if inputs.len() > 1 {
        writeln!(stdout, "total: {}", Shown(total, with_rules))?;
    }
    engine.close().await?;
    Ok(Finished::rejecting(total.rejected))
}

async fn ingest_one(engine: &Engine, input: &Input) -> Result<Tally, Failure> {
    let label = input.label();
    let mut tally = Tally::default();
    for chunk in input.chunks()? {
        let chunk = chunk.map_err(|e| Failure::reading(&label, e))?;
        let report = engine.ingest_json(&chunk.bytes).await?;
        let mut stderr = std::io::stderr().lock();
        for rejected in &report.rejected {
            writeln!(
                stderr,
                "{label}:{}: {}",
                chunk.line(rejected.line),
                rejected.reason
            )?;
        }
        tally.add(Tally {
            accepted: report.accepted,
            duplicates: report.duplicates,
            rejected: report.rejected.len(),
            detections: report.matches.len(),
            alerts: report.alerts.len(),
        });
    }
    Ok(tally)
}

/// Puts the rules in use: those given (remembered in the database for the next run), else
/// the ones remembered there. Prints the rules rejected and a count on stderr; returns
/// whether any rules are in use.
async fn use_rules(
    engine: &Engine,
    paths: &[PathBuf],
    pipelines: &[String],
) -> Result<bool, Failure> {
    let options = if paths.is_empty() {
        match engine.remembered_rules().await? {
            Some(options) => options,
            None => return Ok(false),
        }
    } else {
        let options = RuleOptions {
            rules: paths
                .iter()
                .map(|p| absolute(p))
                .collect::<Result<_, _>>()?,
            pipelines: pipelines.iter().map(|p| pipeline_source(p)).collect(),
            ..RuleOptions::default()
        };
        engine.remember_rules(&options).await?;
        options
    };
    let rules = options.build().map_err(|e| {
        Failure::Input(format!(
            "cannot load the rules {}: {}",
            if paths.is_empty() {
                "this database was last ingested with (pass --rules to replace them)"
            } else {
                "given"
            },
            e.message()
        ))
    })?;
    let mut stderr = std::io::stderr().lock();
    let (total, correlations, rejected) = crate::rules::write_rejected(&mut stderr, &rules)?;
    writeln!(
        stderr,
        "rules: {total} loaded ({correlations} correlations), {rejected} rejected"
    )?;
    engine.reload_rules(rules)?;
    Ok(true)
}

/// A rule path made absolute (so that a later run from elsewhere finds it), or an error if
/// it does not exist; builtin sources as given.
fn absolute(path: &Path) -> Result<PathBuf, Failure> {
    if builtin_rules::is_source(path) {
        return Ok(path.to_path_buf());
    }
    std::fs::canonicalize(path)
        .map_err(|e| Failure::Input(format!("cannot read rules {}: {e}", path.display())))
}

/// A pipeline argument as remembered: an existing file made absolute, a builtin name as is.
fn pipeline_source(text: &str) -> String {
    match std::fs::canonicalize(text) {
        Ok(path) if path.is_file() => path.display().to_string(),
        _ => text.to_string(),
    }
}

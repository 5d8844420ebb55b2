//! `finmark ingest`: store events from files in a database.

use crate::input::{self, Input};
use crate::{Failure, Finished, Outcome};
use finmark::Engine;
use std::io::Write;
use std::path::PathBuf;

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
}

/// What was done with the records of one input or of all of them.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    accepted: usize,
    duplicates: usize,
    rejected: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.accepted += other.accepted;
        self.duplicates += other.duplicates;
        self.rejected += other.rejected;
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} accepted, {} duplicates, {} rejected",
            self.accepted, self.duplicates, self.rejected
        )
    }
}

/// Runs `finmark ingest`.
pub async fn run(args: Args) -> Outcome {
    let inputs = input::expand(&args.files)?;
    let engine = Engine::open(&args.db).await?;
    let mut total = Tally::default();
    let mut stdout = std::io::stdout().lock();
    for input in &inputs {
        let tally = ingest_one(&engine, input).await?;
        writeln!(stdout, "{}: {tally}", input.label())?;
        total.add(tally);
    }
    if inputs.len() > 1 {
        writeln!(stdout, "total: {total}")?;
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
        });
    }
    Ok(tally)
}

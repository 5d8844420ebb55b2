//! The `finmark` command line: ingest and query events, hunt through files with Sigma rules,
//! check rules, work alerts and silences, and run the demo. A thin shell over the `finmark` crate: each subcommand is
//! one file that turns arguments into core calls and results into text.

mod alerts;
mod demo;
mod events;
mod hunt;
mod ingest;
mod input;
mod output;
mod rules;
mod table;

use clap::{Parser, Subcommand};
use finmark::ErrorKind;
use std::io;
use std::process::ExitCode;

/// What the exit codes mean; shown at the end of every `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  some input was rejected (bad records or rules, listed on stderr as FILE:LINE: reason
     or FILE: reason); everything valid was still processed
  2  usage error: bad arguments, storage URL, query, time or pipeline
  3  an input or rule file could not be read
  4  storage error (the database failed)
  5  internal error (a bug in finmark: please report it)";

/// finmark: an embeddable security analytics engine (events, Sigma detection, storage on
/// SQLite and PostgreSQL).
#[derive(Debug, Parser)]
#[command(name = "finmark", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Store events from JSON files (NDJSON, JSON arrays, concatenated or Windows-event
    /// JSON) in a database.
    #[command(after_help = EXIT_CODES)]
    Ingest(ingest::Args),
    /// Query stored events, newest first.
    #[command(after_help = EXIT_CODES)]
    Events(events::Args),
    /// Simulate a day of a fintech's traffic, store it, and summarise what it holds.
    #[command(after_help = EXIT_CODES)]
    Demo(demo::Args),
    /// Match Sigma rules against event files, without a database.
    #[command(after_help = EXIT_CODES)]
    Hunt(hunt::Args),
    /// Work with Sigma rules.
    #[command(subcommand)]
    Rules(rules::Command),
    /// List alerts, newest first, or act on them (ack, resolve).
    #[command(after_help = EXIT_CODES)]
    Alerts(alerts::Args),
    /// Mute alerts for a while: add, list and expire silences.
    #[command(subcommand)]
    Silences(alerts::SilenceCommand),
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One JSON object per line.
    Jsonl,
    /// An aligned table for humans.
    Table,
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
}

/// How a command that ran to its end finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finished {
    /// Everything was processed.
    Clean,
    /// Some records or rules were rejected; the rest was processed.
    WithRejections,
}

impl Finished {
    /// `WithRejections` when `rejected` is non-zero.
    fn rejecting(rejected: usize) -> Finished {
        if rejected == 0 {
            Finished::Clean
        } else {
            Finished::WithRejections
        }
    }
}

/// Why a command stopped, with its exit code.
#[derive(Debug)]
enum Failure {
    /// Bad arguments (exit code 2).
    Usage(String),
    /// An input file could not be read (exit code 3).
    Input(String),
    /// The engine failed (exit code by [`ErrorKind`]).
    Core(finmark::Error),
    /// stdout was closed early (as by `| head`): stop quietly.
    ClosedOutput,
}

impl Failure {
    /// A failure to read `path`.
    fn reading(path: impl std::fmt::Display, e: io::Error) -> Failure {
        Failure::Input(format!("cannot read {path}: {e}"))
    }

    fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Input(_) => 3,
            Failure::ClosedOutput => 0,
            Failure::Core(e) => match e.kind() {
                ErrorKind::InvalidEvent
                | ErrorKind::InvalidRule
                | ErrorKind::InvalidQuery
                | ErrorKind::NotFound => 2,
                ErrorKind::Internal => 5,
                _ => 4,
            },
        }
    }
}

impl From<finmark::Error> for Failure {
    fn from(e: finmark::Error) -> Failure {
        Failure::Core(e)
    }
}

impl From<io::Error> for Failure {
    /// Errors writing the output: a closed pipe ends quietly, anything else is reported.
    fn from(e: io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::ClosedOutput
        } else {
            Failure::Core(finmark::Error::internal(format!(
                "cannot write output: {e}"
            )))
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(message) | Failure::Input(message) => f.write_str(message),
            Failure::Core(e) => write!(f, "{e}"),
            Failure::ClosedOutput => Ok(()),
        }
    }
}

/// What every command returns.
type Outcome = Result<Finished, Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    let outcome = match runtime {
        Ok(runtime) => runtime.block_on(run(cli.command)),
        Err(e) => Err(Failure::Core(finmark::Error::internal(format!(
            "cannot start the async runtime: {e}"
        )))),
    };
    match outcome {
        Ok(Finished::Clean) => ExitCode::SUCCESS,
        Ok(Finished::WithRejections) => ExitCode::from(1),
        Err(failure) => {
            if !matches!(failure, Failure::ClosedOutput) {
                eprintln!("finmark: {failure}");
            }
            ExitCode::from(failure.exit_code())
        }
    }
}

async fn run(command: Command) -> Outcome {
    match command {
        Command::Ingest(args) => ingest::run(args).await,
        Command::Events(args) => events::run(args).await,
        Command::Demo(args) => demo::run(args).await,
        Command::Hunt(args) => hunt::run(args),
        Command::Rules(command) => rules::run(command),
        Command::Alerts(args) => alerts::run(args).await,
        Command::Silences(command) => alerts::run_silences(command).await,
    }
}

//! `finmark rules check`, and loading rules for the commands that use them.

use crate::{Failure, Finished, Outcome};
use finmark::sigma::builtin_rules;
use finmark::{RuleOptions, RuleSet};
use std::io::Write;
use std::path::PathBuf;

/// Subcommands of `finmark rules`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Parse and compile rules; print every rejected rule as FILE: reason, then the counts.
    /// The exit code is 1 if any rule was rejected.
    #[command(after_help = crate::EXIT_CODES)]
    Check(CheckArgs),
}

/// Arguments of `finmark rules check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Rule files, or directories searched for .yml and .yaml files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Processing pipeline applied to the rules: a builtin name (windows, webserver, proxy,
    /// firewall, authentication) or a pySigma pipeline YAML file; repeat for several.
    #[arg(long = "pipeline", value_name = "NAME_OR_FILE")]
    pipelines: Vec<String>,
}

/// Runs `finmark rules ...`.
pub fn run(command: Command) -> Outcome {
    match command {
        Command::Check(args) => check(args),
    }
}

fn check(args: CheckArgs) -> Outcome {
    let rules = load(&args.paths, &args.pipelines)?;
    let mut out = std::io::stdout().lock();
    let (total, correlations, rejected) = write_rejected(&mut out, &rules)?;
    writeln!(
        out,
        "{total} rules accepted ({correlations} correlations), {rejected} rejected"
    )?;
    Ok(Finished::rejecting(rejected))
}

/// Writes each rejected rule of `rules` on its own line; returns the rules accepted
/// (correlations included), the correlations and the rules rejected, for a summary line.
pub fn write_rejected(
    out: &mut impl Write,
    rules: &RuleSet,
) -> std::io::Result<(usize, usize, usize)> {
    for rejected in rules.rejected() {
        writeln!(out, "{rejected}")?;
    }
    let correlations = rules.correlations().len();
    Ok((
        rules.len() + correlations,
        correlations,
        rules.rejected().len(),
    ))
}

/// Loads and compiles the rules under `paths` with `pipelines`. Rules that cannot be
/// supported are kept in [`RuleSet::rejected`]; a path that does not exist (other than a
/// builtin rule source such as `builtin:soc`) or a pipeline that cannot be loaded is an error.
pub fn load(paths: &[PathBuf], pipelines: &[String]) -> Result<RuleSet, Failure> {
    if let Some(missing) = paths
        .iter()
        .find(|p| !p.exists() && !builtin_rules::is_source(p))
    {
        return Err(Failure::Input(format!(
            "cannot read rules {}: no such file or directory",
            missing.display()
        )));
    }
    let options = RuleOptions {
        rules: paths.to_vec(),
        pipelines: pipelines.to_vec(),
        ..RuleOptions::default()
    };
    Ok(options.build()?)
}

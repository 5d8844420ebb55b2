//! `finmark hunt`: match Sigma rules against event files, as Chainsaw and Hayabusa do.

use crate::input::{self, Input};
use crate::{Failure, Finished, Format, Outcome, rules, table};
use finmark::RuleSet;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// Arguments of `finmark hunt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Sigma rule file, or directory searched for .yml and .yaml files; repeat for several.
    #[arg(long = "rules", required = true, value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Processing pipeline applied to the rules: a builtin name (windows, webserver, proxy,
    /// firewall, authentication) or a pySigma pipeline YAML file; repeat for several.
    #[arg(long = "pipeline", value_name = "NAME_OR_FILE")]
    pipelines: Vec<String>,
    /// jsonl: one line per (event, rule) match,
    /// {"rule_id","title","level","file","line","event_id"}, where line is the event's
    /// 1-based line (array index + 1 in a JSON array); table: the same for humans.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Also print matches per level and per rule, on stderr.
    #[arg(long)]
    summary: bool,
    /// Files or directories (every .json, .jsonl and .ndjson file below) of NDJSON, JSON
    /// arrays, concatenated or Windows-event JSON; `-` reads stdin. Rejected records are
    /// printed on stderr as FILE:LINE: reason.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// One (event, rule) match as `--format jsonl` prints it (keys in this order).
#[derive(Debug, Serialize)]
struct Hit<'a> {
    rule_id: &'a str,
    title: &'a str,
    level: &'a str,
    file: &'a str,
    line: usize,
    event_id: &'a str,
}

/// Where matches go: straight to stdout as JSON lines, or kept for a table at the end.
enum Sink<W: Write> {
    Lines(W),
    Table(Vec<Vec<String>>),
}

impl<W: Write> Sink<W> {
    fn hit(&mut self, hit: &Hit<'_>) -> std::io::Result<()> {
        match self {
            Sink::Lines(out) => {
                serde_json::to_writer(&mut *out, hit)?;
                out.write_all(b"\n")
            }
            Sink::Table(rows) => {
                rows.push(vec![
                    hit.level.to_string(),
                    hit.title.to_string(),
                    format!("{}:{}", hit.file, hit.line),
                    hit.event_id.to_string(),
                ]);
                Ok(())
            }
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Lines(mut out) => out.flush(),
            Sink::Table(rows) => {
                let mut out = BufWriter::new(std::io::stdout().lock());
                table::write(&mut out, &["LEVEL", "RULE", "WHERE", "EVENT ID"], &rows)?;
                out.flush()
            }
        }
    }
}

/// What a hunt saw, for `--summary`.
#[derive(Debug, Default)]
struct Tally {
    files: usize,
    events: usize,
    rejected_records: usize,
    /// Matches per rule id, with the rule's title and level.
    per_rule: BTreeMap<String, (String, String, usize)>,
}

/// Runs `finmark hunt`.
pub fn run(args: Args) -> Outcome {
    let rules = rules::load(&args.rules, &args.pipelines)?;
    {
        let mut stderr = std::io::stderr().lock();
        for rejected in rules.rejected() {
            writeln!(stderr, "{rejected}")?;
        }
    }
    if rules.is_empty() {
        return Err(Failure::Usage(format!(
            "no rule could be compiled from {}",
            list(&args.rules)
        )));
    }
    let inputs = input::expand(&args.inputs)?;
    let mut sink = match args.format {
        Format::Jsonl => Sink::Lines(BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
        Format::Table => Sink::Table(Vec::new()),
    };
    let mut tally = Tally::default();
    for input in &inputs {
        hunt_one(&rules, input, &mut sink, &mut tally)?;
    }
    sink.finish()?;
    if args.summary {
        print_summary(&tally, rules.rejected().len())?;
    }
    Ok(Finished::rejecting(
        tally.rejected_records + rules.rejected().len(),
    ))
}

fn hunt_one<W: Write>(
    rules: &RuleSet,
    input: &Input,
    sink: &mut Sink<W>,
    tally: &mut Tally,
) -> Result<(), Failure> {
    let label = input.label();
    tally.files += 1;
    for chunk in input.chunks()? {
        let chunk = chunk.map_err(|e| Failure::reading(&label, e))?;
        let report = rules.match_json(&chunk.bytes);
        tally.events += report.events;
        tally.rejected_records += report.rejected.len();
        for rejected in &report.rejected {
            eprintln!("{label}:{}: {}", chunk.line(rejected.line), rejected.reason);
        }
        for m in &report.matches {
            sink.hit(&Hit {
                rule_id: &m.rule_id,
                title: &m.title,
                level: &m.level,
                file: &label,
                line: chunk.line(m.event_index),
                event_id: &m.event_id,
            })?;
            tally
                .per_rule
                .entry(m.rule_id.clone())
                .or_insert_with(|| (m.title.clone(), m.level.clone(), 0))
                .2 += 1;
        }
    }
    Ok(())
}

/// Sigma's levels, most severe first.
const LEVELS: [&str; 5] = ["critical", "high", "medium", "low", "informational"];

fn print_summary(tally: &Tally, rejected_rules: usize) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    let matches: usize = tally.per_rule.values().map(|(_, _, n)| n).sum();
    writeln!(
        err,
        "{} events in {} files: {matches} matches of {} rules; {} records and {rejected_rules} rules rejected",
        tally.events,
        tally.files,
        tally.per_rule.len(),
        tally.rejected_records,
    )?;
    let mut per_level: Vec<(&str, usize)> = LEVELS.iter().map(|l| (*l, 0)).collect();
    for (_, level, n) in tally.per_rule.values() {
        match per_level.iter_mut().find(|(l, _)| l == level) {
            Some(slot) => slot.1 += n,
            None => per_level.push((level, *n)),
        }
    }
    let levels: Vec<Vec<String>> = per_level
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(level, n)| vec![level.to_string(), n.to_string()])
        .collect();
    table::write(&mut err, &["LEVEL", "MATCHES"], &levels)?;
    let mut rules: Vec<(&String, &(String, String, usize))> = tally.per_rule.iter().collect();
    rules.sort_by(|a, b| b.1.2.cmp(&a.1.2).then_with(|| a.0.cmp(b.0)));
    let rows: Vec<Vec<String>> = rules
        .iter()
        .map(|(id, (title, level, n))| {
            vec![n.to_string(), level.clone(), title.clone(), id.to_string()]
        })
        .collect();
    table::write(&mut err, &["MATCHES", "LEVEL", "RULE", "ID"], &rows)
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

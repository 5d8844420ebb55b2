//! `finmark hunt`: match Sigma rules against event files, as Chainsaw and Hayabusa do, and
//! evaluate the correlation rules among them.
//!
//! Correlations see their hits in order of event time, over all inputs together. Hunt
//! streams: it never holds the input, only the hits of the rules that correlations
//! reference, reduced to their time, event id and the fields the correlations read, in the
//! correlator's reorder buffer. With the default lateness (none given) every such hit is
//! held and the buffer is sorted at the end, up to [`MAX_HELD_HITS`]; past that the oldest
//! held hit is processed early, and a later hit older than it is dropped (counted in the
//! summary and on stderr). `--lateness SECS` processes hits as soon as the newest hit seen is
//! that much newer, for inputs that are nearly in order.

use crate::input::{self, Input};
use crate::{Failure, Finished, Format, Outcome, output, rules, table};
use finmark::RuleSet;
use finmark::correlate::{
    CorrelationConfig, CorrelationMatch, CorrelationState, Correlator, RuleHit,
};
use finmark::event::{Event, chunks::Chunk};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// Most hits of correlation inputs held for putting them in order of time (about 100 bytes
/// each plus the fields correlations read).
const MAX_HELD_HITS: usize = 1_000_000;

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
    /// 1-based line (array index + 1 in a JSON array), and one line per correlation firing,
    /// {"rule_id","title","level","correlation":true,"group":{field:value},"first_time",
    /// "last_time","events"}; table: the same for humans. Matches of rules that only feed
    /// correlations (without `generate: true`) are not printed.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Correlations: process a hit once the newest hit seen is SECS newer, instead of
    /// holding every hit of their rules to sort them at the end (up to 1,000,000 hits).
    #[arg(long, value_name = "SECS")]
    lateness: Option<u64>,
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

/// One correlation firing as `--format jsonl` prints it (keys in this order).
#[derive(Debug, Serialize)]
struct Firing<'a> {
    rule_id: &'a str,
    title: &'a str,
    level: &'a str,
    correlation: bool,
    group: &'a BTreeMap<String, String>,
    first_time: chrono::DateTime<chrono::Utc>,
    last_time: chrono::DateTime<chrono::Utc>,
    events: u64,
}

/// Where matches go: straight to stdout as JSON lines, or kept for a table at the end.
enum Sink<W: Write> {
    Lines(W),
    Rows(Format, Vec<Vec<String>>),
}

impl<W: Write> Sink<W> {
    fn hit(&mut self, hit: &Hit<'_>) -> std::io::Result<()> {
        match self {
            Sink::Lines(out) => {
                serde_json::to_writer(&mut *out, hit)?;
                out.write_all(b"\n")
            }
            Sink::Rows(_, rows) => {
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

    fn firing(&mut self, m: &CorrelationMatch) -> std::io::Result<()> {
        match self {
            Sink::Lines(out) => {
                let firing = Firing {
                    rule_id: &m.rule_id,
                    title: &m.title,
                    level: &m.level,
                    correlation: true,
                    group: &m.group,
                    first_time: m.first_time,
                    last_time: m.last_time,
                    events: m.events,
                };
                serde_json::to_writer(&mut *out, &firing)?;
                out.write_all(b"\n")
            }
            Sink::Rows(_, rows) => {
                let group: Vec<String> = m.group.iter().map(|(k, v)| format!("{k}={v}")).collect();
                rows.push(vec![
                    m.level.clone(),
                    m.title.clone(),
                    format!(
                        "{} .. {}",
                        m.first_time.to_rfc3339(),
                        m.last_time.to_rfc3339()
                    ),
                    format!("{} events {}", m.events, group.join(" ")),
                ]);
                Ok(())
            }
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Lines(mut out) => out.flush(),
            Sink::Rows(format, rows) => {
                let mut out = BufWriter::new(std::io::stdout().lock());
                output::write_rows(
                    &mut out,
                    format,
                    &["level", "rule", "where", "event id"],
                    &rows,
                )?;
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
    /// Matches (and correlation firings) per rule id, with the rule's title and level.
    per_rule: BTreeMap<String, (String, String, usize)>,
}

impl Tally {
    fn count(&mut self, rule_id: &str, title: &str, level: &str) {
        self.per_rule
            .entry(rule_id.to_string())
            .or_insert_with(|| (title.to_string(), level.to_string(), 0))
            .2 += 1;
    }
}

/// The correlations of a hunt and their state.
struct Correlating {
    correlator: Correlator,
    state: CorrelationState,
}

impl Correlating {
    /// The correlations among `rules`, if any.
    fn of(rules: &RuleSet, lateness: Option<u64>) -> Result<Option<Correlating>, Failure> {
        if rules.correlations().is_empty() {
            return Ok(None);
        }
        let config = CorrelationConfig {
            allowed_lateness_secs: lateness.unwrap_or(u64::MAX),
            max_pending: MAX_HELD_HITS,
            ..CorrelationConfig::default()
        };
        let correlator = Correlator::new(rules, config)?;
        let state = correlator.new_state();
        Ok(Some(Correlating { correlator, state }))
    }

    fn shows(&self, rule_id: &str) -> bool {
        self.correlator.is_standalone(rule_id)
    }

    /// Feeds the hits of correlation inputs among `matches` (read from `chunk`).
    fn feed(&mut self, chunk: &Chunk, matches: &[finmark::Match]) -> Vec<CorrelationMatch> {
        let mut events = ChunkEvents::new(&chunk.bytes);
        let mut hits: Vec<(&finmark::Match, Event)> = Vec::new();
        for m in matches {
            if self.correlator.references(&m.rule_id)
                && let Some(event) = events.event(m.event_index)
            {
                hits.push((m, event));
            }
        }
        let hits = hits.iter().map(|(m, e)| RuleHit::new(m, e));
        self.correlator.advance(&mut self.state, hits)
    }
}

/// The events of a chunk's lines, parsed only for the lines asked for.
struct ChunkEvents<'a> {
    bytes: &'a [u8],
    /// Where each line starts.
    starts: Vec<usize>,
    /// The whole chunk parsed, for records that are not one line each (arrays,
    /// pretty-printed objects).
    parsed: Option<HashMap<usize, Event>>,
}

impl<'a> ChunkEvents<'a> {
    fn new(bytes: &'a [u8]) -> ChunkEvents<'a> {
        ChunkEvents {
            bytes,
            starts: Vec::new(),
            parsed: None,
        }
    }

    /// The event at `line` (1-based, as [`finmark::Match::event_index`] gives it).
    fn event(&mut self, line: usize) -> Option<Event> {
        if let Some(parsed) = &self.parsed {
            return parsed.get(&line).cloned();
        }
        if self.starts.is_empty() {
            self.starts.push(0);
            self.starts
                .extend(memchr::memchr_iter(b'\n', self.bytes).map(|i| i + 1));
        }
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map_or(self.bytes.len(), |&e| e - 1);
        match finmark::event::parse_line(&self.bytes[start..end]) {
            Ok(event) => Some(event),
            Err(_) => {
                let batch = finmark::event::parse(self.bytes);
                let parsed = batch.lines.into_iter().zip(batch.events).collect();
                self.parsed.insert(parsed).get(&line).cloned()
            }
        }
    }
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
        Format::Table | Format::Csv => Sink::Rows(args.format, Vec::new()),
    };
    let mut correlating = Correlating::of(&rules, args.lateness)?;
    let rejected_rules = rules.rejected().len()
        + correlating
            .as_ref()
            .map_or(0, |c| c.correlator.rejected().len());
    if let Some(c) = &correlating {
        let mut stderr = std::io::stderr().lock();
        for rejected in c.correlator.rejected() {
            writeln!(stderr, "{rejected}")?;
        }
    }
    let mut tally = Tally::default();
    for input in &inputs {
        hunt_one(&rules, input, &mut correlating, &mut sink, &mut tally)?;
    }
    if let Some(c) = &mut correlating {
        let firings = c.correlator.flush(&mut c.state);
        print_firings(c, &firings, &mut sink, &mut tally)?;
        let late = c.state.stats().late;
        if late > 0 {
            eprintln!(
                "{late} hits of correlation rules came too late to be put in order of time and \
                 were left out (raise --lateness, or sort the input)"
            );
        }
    }
    sink.finish()?;
    if args.summary {
        print_summary(&tally, rejected_rules)?;
    }
    Ok(Finished::rejecting(tally.rejected_records + rejected_rules))
}

fn print_firings<W: Write>(
    c: &Correlating,
    firings: &[CorrelationMatch],
    sink: &mut Sink<W>,
    tally: &mut Tally,
) -> std::io::Result<()> {
    for m in firings.iter().filter(|m| c.shows(&m.rule_id)) {
        sink.firing(m)?;
        tally.count(&m.rule_id, &m.title, &m.level);
    }
    Ok(())
}

fn hunt_one<W: Write>(
    rules: &RuleSet,
    input: &Input,
    correlating: &mut Option<Correlating>,
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
            if correlating.as_ref().is_some_and(|c| !c.shows(&m.rule_id)) {
                continue;
            }
            sink.hit(&Hit {
                rule_id: &m.rule_id,
                title: &m.title,
                level: &m.level,
                file: &label,
                line: chunk.line(m.event_index),
                event_id: &m.event_id,
            })?;
            tally.count(&m.rule_id, &m.title, &m.level);
        }
        if let Some(c) = correlating {
            let firings = c.feed(&chunk, &report.matches);
            print_firings(c, &firings, sink, tally)?;
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

//! Compiled Sigma detection: a [`RuleSet`] matches events without storage.
//!
//! Rules are parsed ([`crate::sigma`]), transformed by pipelines, then compiled once: field
//! names are interned; per field, exact values go into one hash index, `startswith` and
//! `endswith` literals into tries, and substrings (with the literals wildcard patterns and
//! regexes cannot match without) into one Aho-Corasick automaton; regexes compile once; and
//! each rule is evaluated only when one of the items it cannot match without was seen.
//!
//! That is also how events are routed by logsource: a pipeline turns a rule's logsource into
//! conditions on the event (for Windows, `Channel` and `EventID`), which compile to items like
//! any other, so a rule is evaluated only on events that show its logsource's values (or a
//! rarer literal it needs). Without a pipeline a logsource does not restrict which events a
//! rule sees, as in pySigma.

mod compile;
mod eval;
mod fields;
mod item;
mod json;
mod prefilter;
mod projection;
mod regex_literals;
mod severity;
mod text;
mod trie;

pub use crate::detection::{Detection, MatchedField, Severity};
pub use crate::sigma::RuleError;

/// The former name of [`Detection`], kept so that code written against it still builds.
pub type Match = Detection;

use compile::{Compiled, Compiler};
use eval::Scanner;

use crate::error::{Error, Result};
use crate::event::frame::{Framing, frame};
use crate::event::{Event, ParsedBatch, Rejected};
use crate::sigma::{self, Correlation, Document, Filter, Level, Pipeline, Rule};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The result of matching NDJSON (or any JSON batch) bytes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MatchReport {
    /// Every (event, rule) match, in input order.
    pub matches: Vec<Detection>,
    /// The number of events read.
    pub events: usize,
    /// The records that were not valid events.
    pub rejected: Vec<Rejected>,
}

/// Where rules come from, as the bindings and the CLI pass it (JSON keys in snake_case):
/// `{"rules": [paths], "rules_yaml": [texts], "pipelines": [names or paths], "strict_rules": bool}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleOptions {
    /// Rule files or directories.
    pub rules: Vec<PathBuf>,
    /// Rule YAML texts.
    pub rules_yaml: Vec<String>,
    /// Pipelines: builtin names (`windows`, `webserver`, ...) or pipeline YAML file paths.
    pub pipelines: Vec<String>,
    /// Fail on the first rejected rule instead of skipping it.
    pub strict_rules: bool,
}

impl RuleOptions {
    /// True when no rules are named.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.rules_yaml.is_empty()
    }

    /// Compiles the rules these options name.
    pub fn build(&self) -> Result<RuleSet> {
        RuleSet::builder().options(self)?.build()
    }
}

/// Collects rule sources and pipelines, then compiles them into a [`RuleSet`].
#[derive(Debug, Default)]
pub struct RuleSetBuilder {
    documents: Vec<Document>,
    pipelines: Vec<Pipeline>,
    errors: Vec<RuleError>,
    strict: bool,
}

impl RuleSetBuilder {
    /// Adds rules from files or directories (searched recursively for `.yml` and `.yaml`).
    pub fn path(self, path: impl AsRef<Path>) -> Self {
        self.paths(&[path])
    }

    /// Adds rules from several files or directories, parsed together on all cores.
    pub fn paths<P: AsRef<Path>>(mut self, paths: &[P]) -> Self {
        let loaded = sigma::load_paths(paths);
        self.documents.extend(loaded.documents);
        self.errors.extend(loaded.errors);
        self
    }

    /// Adds rules from YAML text (one or more documents); `label` names it in errors.
    pub fn yaml(mut self, text: &str, label: &str) -> Self {
        let loaded = sigma::parse_yaml(text, Path::new(label));
        self.documents.extend(loaded.documents);
        self.errors.extend(loaded.errors);
        self
    }

    /// Adds everything `options` names: pipelines, rule paths, YAML texts, strictness.
    pub fn options(mut self, options: &RuleOptions) -> Result<Self> {
        for spec in &options.pipelines {
            self = self.pipeline(Pipeline::named_or_file(spec)?);
        }
        self = self.paths(&options.rules);
        for (i, text) in options.rules_yaml.iter().enumerate() {
            self = self.yaml(text, &format!("<rules_yaml[{i}]>"));
        }
        Ok(self.strict(options.strict_rules))
    }

    /// Adds an already parsed document (a rule, filter or correlation).
    pub fn document(mut self, document: Document) -> Self {
        self.documents.push(document);
        self
    }

    /// Adds a processing pipeline; pipelines apply in order of their `priority`.
    pub fn pipeline(mut self, pipeline: Pipeline) -> Self {
        self.pipelines.push(pipeline);
        self
    }

    /// Makes [`RuleSetBuilder::build`] fail on the first rejected rule instead of skipping it.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Compiles everything added. Rules that cannot be supported are skipped and listed in
    /// [`RuleSet::rejected`], unless the builder is strict.
    pub fn build(self) -> Result<RuleSet> {
        let RuleSetBuilder {
            mut documents,
            pipelines,
            mut errors,
            strict,
        } = self;
        let mut rules: Vec<Rule> = Vec::new();
        let mut filters: Vec<Filter> = Vec::new();
        let mut correlations: Vec<Correlation> = Vec::new();
        for rejection in sigma::pipeline::apply_to_all(&pipelines, &mut documents) {
            errors.push(RuleError {
                file: rejection.origin.file.clone(),
                reason: rejection.reason,
            });
        }
        for doc in documents {
            match doc {
                Document::Rule(r) => rules.push(r),
                Document::Filter(f) => filters.push(f),
                Document::Correlation(c) => correlations.push(c),
            }
        }
        let mut compiler = Compiler::default();
        let mut identities = Vec::new();
        for rule in &rules {
            let applicable: Vec<&Filter> =
                filters.iter().filter(|f| filter_applies(f, rule)).collect();
            match compiler.add_rule(rule, &applicable) {
                Ok(()) => identities.push(RuleIdentity {
                    rule_id: rule.meta.identifier().to_string(),
                    name: rule.meta.name.clone(),
                    level: rule.meta.level,
                }),
                Err(reason) => errors.push(RuleError {
                    file: rule.meta.origin.file.clone(),
                    reason: format!("rule '{}': {reason}", rule.meta.title),
                }),
            }
        }
        if strict {
            if let Some(e) = errors.into_iter().next() {
                return Err(e.into());
            }
            errors = Vec::new();
        }
        let compiled = compiler.finish().map_err(Error::internal)?;
        Ok(RuleSet {
            compiled,
            identities,
            correlations,
            rejected: errors,
        })
    }
}

/// True if `filter` names `rule` (by id or name; a filter naming no rules applies to all)
/// and its logsource fits the rule's.
fn filter_applies(filter: &Filter, rule: &Rule) -> bool {
    let named = filter.rules.is_empty()
        || filter.rules.iter().any(|r| {
            rule.meta.id.as_deref() == Some(r.as_str())
                || rule.meta.name.as_deref() == Some(r.as_str())
        });
    named && filter.meta.logsource.covers(&rule.meta.logsource)
}

/// How a compiled rule is named, for the correlations that reference it (by id or name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleIdentity {
    /// What its matches report as [`Match::rule_id`]: its id, else its name, else its title.
    pub rule_id: String,
    /// Its `name`, if any.
    pub name: Option<String>,
    /// Its level, if any.
    pub level: Option<Level>,
}

/// Compiled Sigma rules, ready to match events, without storage.
///
/// Use a `RuleSet` to hunt through files or batches (it is what `finmark hunt` runs); an
/// [`crate::Engine`] holds one to match what it ingests. Build it once with
/// [`RuleSet::builder`] or [`RuleSet::load`] and share it: it is `Send + Sync`, and matching
/// takes `&self`.
///
/// What it costs: loading compiles every rule (the 2,407 rules of SigmaHQ's `rules/windows`
/// take about 0.2 s and 84 MiB); matching then reads each event once, and a rule is evaluated
/// only on events that show a literal it cannot match without. [`RuleSet::match_json`] is the
/// fast way in: it reads NDJSON straight from the bytes, only the fields rules test, and
/// builds a whole event only for the lines that match.
///
/// ```
/// use finmark::RuleSet;
/// let rules = RuleSet::builder()
///     .yaml(
///         "title: Failed Login From Abroad
/// id: 5b0f4bd0-7c5e-4a52-9b1e-1f0b6f8e5a11
/// level: medium
/// logsource: {category: authentication}
/// detection:
///   failed: {event.outcome: failure}
///   abroad: {source.geo.country_iso_code|contains: [RU, KP]}
///   condition: failed and abroad",
///         "inline.yml",
///     )
///     .build()?;
/// assert_eq!((rules.len(), rules.rejected().len()), (1, 0));
///
/// let ndjson = br#"{"event.id": "e1", "event.outcome": "failure", "source.geo.country_iso_code": "RU"}
/// {"event.id": "e2", "event.outcome": "success", "source.geo.country_iso_code": "RU"}
/// not json"#;
/// let report = rules.match_json(ndjson);
/// assert_eq!(report.events, 2);
/// assert_eq!(report.matches[0].event_id, "e1");
/// assert_eq!(report.matches[0].severity, finmark::Severity::Warning);
/// assert_eq!(report.rejected[0].line, 3);
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Debug)]
pub struct RuleSet {
    compiled: Compiled,
    identities: Vec<RuleIdentity>,
    correlations: Vec<Correlation>,
    rejected: Vec<RuleError>,
}

impl RuleSet {
    /// A builder to add rules and pipelines to.
    pub fn builder() -> RuleSetBuilder {
        RuleSetBuilder::default()
    }

    /// Loads and compiles the rules under `paths` (files or directories), skipping rules that
    /// cannot be supported (see [`RuleSet::rejected`]).
    pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<RuleSet> {
        Self::builder().paths(paths).build()
    }

    /// The rules that were skipped, with their reasons.
    pub fn rejected(&self) -> &[RuleError] {
        &self.rejected
    }

    /// The number of compiled rules.
    pub fn len(&self) -> usize {
        self.compiled.rules.len()
    }

    /// True when no rule compiled.
    pub fn is_empty(&self) -> bool {
        self.compiled.rules.is_empty()
    }

    /// The id, name and level of every compiled rule, in compile order.
    pub fn rule_identities(&self) -> &[RuleIdentity] {
        &self.identities
    }

    /// The correlation rules loaded (evaluated by the correlation stage, not by `match_*`).
    pub fn correlations(&self) -> &[Correlation] {
        &self.correlations
    }

    /// Matches a batch of events; each [`Detection::event_index`] is the event's 1-based position
    /// in `events`.
    pub fn match_events(&self, events: &[Event]) -> Vec<Detection> {
        self.match_with(events, false)
    }

    /// Like [`RuleSet::match_events`], but evaluates every rule on every event without the
    /// literal prefilter: slow, for checking that the prefilter never changes a result.
    pub fn match_events_exhaustive(&self, events: &[Event]) -> Vec<Detection> {
        self.match_with(events, true)
    }

    fn match_with(&self, events: &[Event], exhaustive: bool) -> Vec<Detection> {
        let mut scanner = Scanner::new(&self.compiled, exhaustive);
        let mut matches = Vec::new();
        for (index, event) in events.iter().enumerate() {
            self.match_event(event, index + 1, &mut scanner, &mut matches);
        }
        matches
    }

    /// Builds the [`Detection`] of `rule` on the scanner's current event.
    fn report(
        &self,
        rule: u32,
        scanner: &Scanner<'_>,
        event_id: &str,
        time: chrono::DateTime<chrono::Utc>,
        index: usize,
    ) -> Detection {
        let info = &self.compiled.rules[rule as usize].info;
        let fields = scanner
            .matched_fields(rule)
            .into_iter()
            .filter_map(|f| {
                Some(MatchedField {
                    field: self.compiled.table.name(f).to_string(),
                    value: scanner.projection.value_of(f)?,
                })
            })
            .collect();
        Detection {
            rule_id: info.id.clone(),
            title: info.title.clone(),
            level: info
                .level
                .map_or("informational", |l| l.as_str())
                .to_string(),
            severity: Severity::of_level(info.level),
            tags: info.tags.clone(),
            event_id: event_id.to_string(),
            event_time: time,
            event_index: index,
            fields,
        }
    }

    /// Matches the events of a parsed batch; each [`Detection::event_index`] is the event's line
    /// (or position) that the batch recorded, and the batch's rejections are reported along.
    pub fn match_batch(&self, batch: &ParsedBatch) -> MatchReport {
        let mut matches = self.match_events(&batch.events);
        for m in &mut matches {
            m.event_index = batch.lines[m.event_index - 1];
        }
        MatchReport {
            matches,
            events: batch.events.len(),
            rejected: batch.rejected.clone(),
        }
    }

    /// Parses JSON bytes (NDJSON, array, concatenated or Windows-event JSON) and matches every
    /// valid event; each [`Detection::event_index`] is the event's 1-based line (array index + 1).
    ///
    /// NDJSON takes a fast path that reads only the fields the rules test, straight from the
    /// bytes; an event is fully parsed only when it matches (for its id and time). Other
    /// layouts are parsed into events first. Bad records are reported in
    /// [`MatchReport::rejected`] exactly as [`crate::event::parse`] reports them.
    pub fn match_json(&self, bytes: &[u8]) -> MatchReport {
        let mut report = MatchReport::default();
        let mut scanner = Scanner::new(&self.compiled, false);
        let mut lines = match frame(bytes) {
            Framing::Empty => return report,
            // The general parser numbers the elements.
            Framing::Array(_) => return self.match_batch(&crate::event::parse(bytes)),
            Framing::Lines(lines) => lines,
        };
        while let Some((line_no, line)) = lines.next_line() {
            match json::project(line, &self.compiled.table, &mut scanner.projection) {
                Ok(()) if !scanner.projection.is_windows_record() => {
                    report.events += 1;
                    // The id and time need the whole event: read it, only when it matched.
                    let mut identity = None;
                    let matches = &mut report.matches;
                    scanner.run(|rule, scanner| {
                        let (id, time) = identity.get_or_insert_with(|| identify(line));
                        matches.push(self.report(rule, scanner, id, *time, line_no));
                    });
                }
                // A record spanning several lines (concatenated pretty-printed objects).
                Err(e) if e.is_eof() => {
                    let event = lines.read_multiline().and_then(crate::event::parse_value);
                    self.match_parsed(event, line_no, &mut scanner, &mut report);
                }
                // Windows-event records, and lines the fast path cannot read: the general
                // parser flattens them, or says why they are not events.
                _ => {
                    let event = crate::event::parse_line(line);
                    self.match_parsed(event, line_no, &mut scanner, &mut report);
                }
            }
        }
        report
    }

    /// Matches an event the general parser read from the record at `line_no`, or reports
    /// the record as rejected.
    fn match_parsed(
        &self,
        event: std::result::Result<Event, String>,
        line_no: usize,
        scanner: &mut Scanner<'_>,
        report: &mut MatchReport,
    ) {
        match event {
            Ok(event) => {
                report.events += 1;
                self.match_event(&event, line_no, scanner, &mut report.matches);
            }
            Err(reason) => report.rejected.push(Rejected {
                line: line_no,
                reason,
            }),
        }
    }

    /// Matches one parsed event found at `position` (its line, or its place in a list).
    fn match_event(
        &self,
        event: &Event,
        position: usize,
        scanner: &mut Scanner<'_>,
        out: &mut Vec<Detection>,
    ) {
        scanner.projection.load_event(&self.compiled.table, event);
        scanner.run(|rule, scanner| {
            out.push(self.report(rule, scanner, &event.id, event.time, position))
        });
    }
}

/// The id and time of the event of an NDJSON line (which parsed as a JSON object).
fn identify(line: &[u8]) -> (String, chrono::DateTime<chrono::Utc>) {
    crate::event::identify_line(line)
        .or_else(|| crate::event::parse_line(line).ok().map(|e| (e.id, e.time)))
        .unwrap_or_else(|| (String::new(), chrono::Utc::now()))
}

#[cfg(test)]
mod tests;

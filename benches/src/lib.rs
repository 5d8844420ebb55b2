//! Shared helpers of the finmark benches and comparison tests: locating the public corpora,
//! replicating event files, running finmark and rsigma side by side on the same rules, and
//! ([`m4`]) reading and scoring the M4 forecasting competition's data.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub mod m4;

/// `../shared` relative to the workspace root: the public rule corpus and data sets.
pub fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// The SigmaHQ Windows rule directory.
pub fn windows_rules_dir() -> PathBuf {
    shared_dir().join("sigma/rules/windows")
}

/// The 24,883 real Windows events, one flattened object per line.
pub fn windows_events_file() -> PathBuf {
    shared_dir().join("events/windows-attack-samples.ndjson")
}

/// Every `.yml`/`.yaml` file under `dir`, sorted by path.
pub fn rule_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yml" | "yaml")
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The non-empty lines of an NDJSON file repeated until there are `n` lines.
pub fn replicate_lines(path: &Path, n: usize) -> std::io::Result<Vec<u8>> {
    let text = std::fs::read(path)?;
    let lines: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .collect();
    let mut out = Vec::with_capacity(text.len() * (n / lines.len().max(1) + 1));
    for line in lines.iter().cycle().take(n) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    Ok(out)
}

/// Peak resident memory of this process in MiB (Linux `VmHWM`).
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The median of some measurements (the upper one of an even count).
pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// One (line, rule) match: the 1-based line of the event and the rule's id (or title).
pub type LineMatch = (usize, String);

/// finmark's rule set over the given files.
pub fn finmark_rules(files: &[PathBuf]) -> finmark::Result<finmark::RuleSet> {
    finmark::RuleSet::builder().paths(files).build()
}

/// Every (line, rule) match finmark finds in NDJSON bytes.
pub fn finmark_matches(rules: &finmark::RuleSet, ndjson: &[u8]) -> BTreeSet<LineMatch> {
    rules
        .match_json(ndjson)
        .matches
        .into_iter()
        .map(|m| (m.event_index, m.rule_id))
        .collect()
}

/// rsigma's engine over the given files, as its own CLI builds it (no pipeline).
pub struct Rsigma {
    engine: rsigma_eval::Engine,
    /// Files rsigma could not parse or compile, with its reason.
    pub errors: Vec<String>,
}

impl Rsigma {
    /// Parses the rule files into one collection and compiles it in one batch, as rsigma's
    /// own directory loader does.
    pub fn load(files: &[PathBuf]) -> Rsigma {
        let mut all = rsigma_parser::SigmaCollection::new();
        let mut errors = Vec::new();
        for file in files {
            match rsigma_parser::parse_sigma_file(file) {
                Ok(collection) => {
                    errors.extend(
                        collection
                            .errors
                            .iter()
                            .map(|e| format!("{}: {e}", file.display())),
                    );
                    all.rules.extend(collection.rules);
                    all.correlations.extend(collection.correlations);
                    all.filters.extend(collection.filters);
                }
                Err(e) => errors.push(format!("{}: {e}", file.display())),
            }
        }
        let mut engine = rsigma_eval::Engine::new();
        for (index, e) in engine.add_rules(&all.rules) {
            errors.push(format!("rule '{}': {e}", all.rules[index].title));
        }
        for filter in &all.filters {
            if let Err(e) = engine.apply_filter(filter) {
                errors.push(format!("filter '{}': {e}", filter.title));
            }
        }
        Rsigma { engine, errors }
    }

    /// The number of compiled rules.
    pub fn rule_count(&self) -> usize {
        self.engine.rule_count()
    }

    /// Matches every NDJSON line (parsed with serde_json, as rsigma's CLI does); calls
    /// `on_match` with the line and the rule id (or title) of every match; returns the number
    /// of events read.
    pub fn scan(&self, ndjson: &[u8], mut on_match: impl FnMut(usize, String)) -> usize {
        let mut events = 0;
        for (i, line) in ndjson.split(|&b| b == b'\n').enumerate() {
            if line.trim_ascii().is_empty() {
                continue;
            }
            let Ok(value) = serde_json::from_slice::<serde_json::Value>(line) else {
                continue;
            };
            events += 1;
            let event = rsigma_eval::JsonEvent::borrow(&value);
            for result in self.engine.evaluate(&event) {
                let id = result
                    .header
                    .rule_id
                    .clone()
                    .unwrap_or_else(|| result.header.rule_title.clone());
                on_match(i + 1, id);
            }
        }
        events
    }

    /// Every (line, rule) match rsigma finds in NDJSON bytes.
    pub fn matches(&self, ndjson: &[u8]) -> BTreeSet<LineMatch> {
        let mut out = BTreeSet::new();
        self.scan(ndjson, |line, id| {
            out.insert((line, id));
        });
        out
    }
}

//! Differential test against rsigma on real Windows events: the whole SigmaHQ `rules/windows`
//! corpus over the 24,883 events of `../shared/events/windows-attack-samples.ndjson`.
//!
//! Every (event, rule) pair where the engines differ must be listed, with the reason, in
//! `tests/rsigma-differences.tsv` (rule id, line, which engine matched, why finmark follows
//! the specification there). A difference not listed, or a listed one that no longer
//! occurs, fails the test.

use finmark_benches::{
    LineMatch, Rsigma, finmark_matches, finmark_rules, rule_files, windows_events_file,
    windows_rules_dir,
};
use std::collections::BTreeSet;

/// A documented difference: (rule id, line, the engine that matched).
type Known = BTreeSet<(String, usize, String)>;

fn known_differences() -> Known {
    include_str!("rsigma-differences.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(
                cols.len() >= 4,
                "rsigma-differences.tsv: expected rule, line, engine, reason: {l}"
            );
            let line = cols[1].parse().expect("line number");
            (cols[0].to_string(), line, cols[2].to_string())
        })
        .collect()
}

fn tag(set: &BTreeSet<LineMatch>, engine: &str) -> Known {
    set.iter()
        .map(|(line, rule)| (rule.clone(), *line, engine.to_string()))
        .collect()
}

#[test]
fn finmark_and_rsigma_agree_except_documented_differences() {
    let files = rule_files(&windows_rules_dir());
    assert!(
        files.len() > 2000,
        "expected the SigmaHQ Windows corpus, found {} files",
        files.len()
    );
    let events = std::fs::read(windows_events_file()).expect("windows events");
    let finmark = finmark_rules(&files).expect("finmark loads the corpus");
    let rsigma = Rsigma::load(&files);
    let ours = finmark_matches(&finmark, &events);
    let theirs = rsigma.matches(&events);
    assert!(
        !ours.is_empty(),
        "no match at all: the comparison would be vacuous"
    );

    let mut differences = tag(&ours.difference(&theirs).cloned().collect(), "finmark");
    differences.extend(tag(&theirs.difference(&ours).cloned().collect(), "rsigma"));
    let known = known_differences();
    let unexplained: Vec<_> = differences.difference(&known).collect();
    let gone: Vec<_> = known.difference(&differences).collect();
    assert!(
        unexplained.is_empty() && gone.is_empty(),
        "{} matches agree; {} unexplained differences (rule, line, engine that matched):\n{}\n{} documented differences no longer occur:\n{}",
        ours.intersection(&theirs).count(),
        unexplained.len(),
        unexplained
            .iter()
            .take(200)
            .map(|d| format!("{d:?}"))
            .collect::<Vec<_>>()
            .join("\n"),
        gone.len(),
        gone.iter()
            .take(50)
            .map(|d| format!("{d:?}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

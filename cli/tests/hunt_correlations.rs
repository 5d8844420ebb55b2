//! `finmark hunt` with correlation rules: the real binary on NDJSON files and a rule
//! directory, expected firings written out by hand.

use serde_json::{Value as Json, json};
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

const BASE: &str = "title: Failed login
name: failed_login
logsource: {category: authentication}
detection:
    selection: {event.outcome: failure}
    condition: selection
---
title: Successful login
name: successful_login
logsource: {category: authentication}
detection:
    selection: {event.outcome: success}
    condition: selection
";

const OUTER: &str = "title: Brute force then success
id: brute-then-success
level: critical
correlation:
    type: temporal_ordered
    rules: [brute_force, successful_login]
    group-by: [source.ip]
    timespan: 10m
";

const BRUTE_FORCE: &str = "title: Brute force
id: brute-force-id
name: brute_force
level: high
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [source.ip]
    timespan: 5m
    condition: {gte: 3}
";

/// A login at `secs` after 09:00 as one NDJSON line.
fn line(id: &str, secs: u32, ip: &str, outcome: &str) -> String {
    json!({
        "event.id": id,
        "@timestamp": format!("2026-03-01T09:{:02}:{:02}Z", secs / 60, secs % 60),
        "event": {"category": "authentication", "outcome": outcome},
        "source": {"ip": ip},
        "user": {"name": "alice"},
    })
    .to_string()
}

/// A directory with `rules/mr_brute_force.yml` (the base rules and `correlations`) and the
/// event files.
fn setup(correlations: &[&str], files: &[(&str, Vec<String>)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    let rules = std::iter::once(BASE)
        .chain(correlations.iter().copied())
        .collect::<Vec<_>>()
        .join("---\n");
    std::fs::write(dir.path().join("rules/mr_brute_force.yml"), rules).unwrap();
    for (name, lines) in files {
        std::fs::write(dir.path().join(name), lines.join("\n") + "\n").unwrap();
    }
    dir
}

fn hunt(dir: &Path, args: &[&str]) -> (i32, Vec<Json>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_finmark"))
        .arg("hunt")
        .args(["--rules", "rules"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (
        out.status.code().unwrap(),
        lines,
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn firings(lines: &[Json]) -> Vec<&Json> {
    lines.iter().filter(|l| l["correlation"] == true).collect()
}

#[test]
fn correlations_fire_in_order_of_event_time_across_files() {
    // Two files whose events interleave in time: the failures from 192.0.2.1 are split
    // between them, and the success comes in the first file though it happened last.
    let a = vec![
        line("a1", 0, "192.0.2.1", "failure"),
        line("a2", 100, "192.0.2.1", "failure"),
        line("a3", 400, "192.0.2.1", "success"),
        line("a4", 5, "198.51.100.2", "failure"),
    ];
    let b = vec![
        line("b1", 50, "192.0.2.1", "failure"),
        line("b2", 60, "198.51.100.2", "failure"),
    ];
    let dir = setup(&[OUTER, BRUTE_FORCE], &[("a.ndjson", a), ("b.ndjson", b)]);
    let (code, lines, stderr) = hunt(dir.path(), &["a.ndjson", "b.ndjson"]);
    assert_eq!(code, 0, "{stderr}");
    // Matches of failed_login and successful_login, and the firings of brute_force, only
    // feed correlations without generate: not printed.
    assert_eq!(
        lines,
        [json!({
            "rule_id": "brute-then-success", "title": "Brute force then success",
            "level": "critical", "correlation": true, "group": {"source.ip": "192.0.2.1"},
            "first_time": "2026-03-01T09:01:40Z", "last_time": "2026-03-01T09:06:40Z",
            "events": 4
        }),]
    );
}

#[test]
fn near_misses_do_not_fire_and_unreferenced_rules_still_print() {
    // Three failures, but the third is 301 s after the first; a success without a burst.
    let events = vec![
        line("e1", 0, "192.0.2.1", "failure"),
        line("e2", 150, "192.0.2.1", "failure"),
        line("e3", 301, "192.0.2.1", "failure"),
        line("e4", 310, "192.0.2.1", "success"),
    ];
    let dir = setup(&[OUTER, BRUTE_FORCE], &[("events.ndjson", events.clone())]);
    let (code, lines, stderr) = hunt(dir.path(), &["events.ndjson"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines, Vec::<Json>::new());
    // With generate on the outer correlation its inputs print on their own too.
    let generating = format!("{OUTER}generate: true\n");
    let dir = setup(&[&generating, BRUTE_FORCE], &[("events.ndjson", events)]);
    let (_, lines, _) = hunt(dir.path(), &["events.ndjson"]);
    let rules: Vec<&str> = lines
        .iter()
        .map(|l| l["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["successful_login"],
        "generate on brute-then-success shows its inputs"
    );
}

#[test]
fn lateness_streams_and_reports_late_hits() {
    // Out of order by 200 s within one file; with --lateness 60 the hit at 20 comes after
    // 250 had been processed and is dropped, so only two failures are left in the window.
    let events = vec![
        line("e1", 0, "192.0.2.1", "failure"),
        line("e2", 250, "192.0.2.1", "failure"),
        line("e3", 400, "192.0.2.1", "failure"),
    ];
    let mut both = events.clone();
    both.insert(2, line("late", 20, "192.0.2.1", "failure"));
    let dir = setup(&[BRUTE_FORCE], &[("events.ndjson", both)]);
    // Sorted (the default): 0, 20, 250 fire.
    let (_, lines, _) = hunt(dir.path(), &["events.ndjson"]);
    assert_eq!(firings(&lines).len(), 1);
    assert_eq!(firings(&lines)[0]["last_time"], "2026-03-01T09:04:10Z");
    // In one chunk the whole file is put in order whatever the lateness; the late hit is
    // late only across chunks, so feed the events as separate inputs.
    let dir = setup(
        &[BRUTE_FORCE],
        &[
            (
                "1.ndjson",
                vec![events[0].clone(), events[1].clone(), events[2].clone()],
            ),
            ("2.ndjson", vec![line("late", 20, "192.0.2.1", "failure")]),
        ],
    );
    let (code, lines, stderr) = hunt(dir.path(), &["--lateness", "60", "1.ndjson", "2.ndjson"]);
    assert_eq!(code, 0);
    assert_eq!(firings(&lines), Vec::<&Json>::new());
    assert!(
        stderr.contains("1 hits of correlation rules came too late"),
        "{stderr}"
    );
}

#[test]
fn bad_correlations_are_reported_and_the_rest_runs() {
    let dir = setup(
        &[BRUTE_FORCE],
        &[("events.ndjson", vec![line("e1", 0, "192.0.2.1", "failure")])],
    );
    std::fs::write(
        dir.path().join("rules/mr_bad.yml"),
        "title: Bad\ncorrelation:\n    type: event_count\n    rules: [nothing_by_that_name]\n    \
         timespan: 1m\n    condition: {gte: 1}\n",
    )
    .unwrap();
    let (code, _, stderr) = hunt(dir.path(), &["events.ndjson"]);
    assert_eq!(code, 1, "a rejected rule makes exit code 1");
    assert!(
        stderr.contains("mr_bad.yml: correlation 'Bad': 'nothing_by_that_name'"),
        "{stderr}"
    );
}

//! The `finmark` binary, run as a user runs it: real SQLite files in a temporary directory,
//! real rule files, exit codes and output checked.

use serde_json::Value as Json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

/// What a run of `finmark` printed and how it ended.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json_lines(&self) -> Vec<Json> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().expect("exited"),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_finmark"));
    cmd.args(args).current_dir(dir);
    cmd
}

fn finmark(dir: &Path, args: &[&str]) -> Run {
    command(dir, args).output().expect("finmark runs").into()
}

fn finmark_with_stdin(dir: &Path, args: &[&str], input: &str) -> Run {
    let mut child = command(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("finmark runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap().into()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// Four good events and one bad line (line 3), with a blank line (line 4).
const EVENTS: &str = r#"{"@timestamp": "2026-01-15T10:00:00Z", "event.id": "e1", "user.name": "alice", "http.response.status_code": 500}
{"@timestamp": "2026-01-15T10:01:00Z", "event.id": "e2", "user": {"name": "bob"}, "http.response.status_code": "500"}
{"@timestamp": "2026-01-15T10:02:00Z", "event.id": "e3", oops}

{"@timestamp": "2026-01-15T10:03:00Z", "event.id": "e4", "user.name": "alice", "flag": true, "ratio": 0.5}
{"@timestamp": "2026-01-15T10:04:00Z", "event.id": "e5", "user.name": "carol", "flag": null}
"#;

fn db_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("events.db").display())
}

fn ids(run: &Run) -> Vec<String> {
    run.json_lines()
        .iter()
        .map(|e| e["event.id"].as_str().unwrap().to_string())
        .collect()
}

/// Failed logins from one address, `step` seconds apart, starting at 08:00:`start`.
fn failed_logins(first: usize, count: usize, start: u32, step: u32) -> String {
    (0..count)
        .map(|i| {
            let s = start + step * i as u32;
            format!(
                r#"{{"event.id": "f{}", "@timestamp": "2026-03-01T08:{:02}:{:02}Z", "event.category": "authentication", "event.outcome": "failure", "source.ip": "198.51.100.7", "user.name": "alice"}}"#,
                first + i,
                s / 60,
                s % 60
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn ingest_with_rules_raises_alerts_and_remembers_the_rules() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "early.ndjson", &failed_logins(0, 6, 0, 5));
    write(dir.path(), "late.ndjson", &failed_logins(6, 6, 30, 5));
    let db = db_url(dir.path());
    let args = [
        "ingest",
        "--db",
        &db,
        "--rules",
        "builtin:soc",
        "early.ndjson",
    ];
    let run = finmark(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "early.ndjson: 6 accepted, 0 duplicates, 0 rejected; 6 detections, 0 alerts raised or updated\n"
    );
    assert!(
        run.stderr
            .contains("rules: 16 loaded (9 correlations), 0 rejected"),
        "{}",
        run.stderr
    );
    // A second process, without --rules, uses the remembered rules and continues the
    // failed-login window the first one left in the database: ten failures fire.
    let run = finmark(dir.path(), &["ingest", "--db", &db, "late.ndjson"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("6 detections, 1 alerts"),
        "{}",
        run.stdout
    );
    // Rules that cannot be read are an error naming them; the remembered ones stay.
    let run = finmark(
        dir.path(),
        &["ingest", "--db", &db, "--rules", "nope.yml", "late.ndjson"],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("nope.yml"), "{}", run.stderr);
    // A fresh database has no rules: the plain report.
    let fresh = format!("sqlite://{}", dir.path().join("fresh.db").display());
    let run = finmark(dir.path(), &["ingest", "--db", &fresh, "late.ndjson"]);
    assert_eq!(
        run.stdout,
        "late.ndjson: 6 accepted, 0 duplicates, 0 rejected\n"
    );
}

/// Two `finmark ingest` processes store the same twelve failed logins at once into `db`:
/// each event is stored once, and the burst raises one alert between them.
fn two_ingest_processes_raise_one_alert(dir: &Path, db: &str) {
    write(dir, "a.ndjson", &failed_logins(0, 12, 0, 5));
    write(dir, "b.ndjson", &failed_logins(0, 12, 0, 5));
    let setup = finmark(dir, &["ingest", "--db", db, "--rules", "builtin:soc", "-"]);
    assert_eq!(setup.code, 0, "{}", setup.stderr);
    let children: Vec<_> = ["a.ndjson", "b.ndjson"]
        .into_iter()
        .map(|file| {
            command(dir, &["ingest", "--db", db, file])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("finmark runs")
        })
        .collect();
    let runs: Vec<Run> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().into())
        .collect();
    // "FILE: N accepted, ... ; D detections, A alerts raised or updated"
    let number_after = |run: &Run, marker: &str| -> usize {
        let rest = run
            .stdout
            .split(marker)
            .nth(1)
            .unwrap_or_else(|| panic!("{run:?}"));
        rest.split(' ').next().unwrap().parse().unwrap()
    };
    for run in &runs {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let accepted: usize = runs.iter().map(|r| number_after(r, ": ")).sum();
    let alerts: usize = runs.iter().map(|r| number_after(r, "detections, ")).sum();
    assert_eq!(accepted, 12, "each event stored once: {runs:?}");
    assert_eq!(alerts, 1, "one burst alert between them: {runs:?}");
}

#[test]
fn two_ingest_processes_on_one_sqlite_database_raise_one_alert() {
    let dir = TempDir::new().unwrap();
    two_ingest_processes_raise_one_alert(dir.path(), &db_url(dir.path()));
}

#[test]
fn two_ingest_processes_on_one_postgres_database_raise_one_alert() {
    let Some(database) = ScratchPostgres::create() else {
        return;
    };
    let dir = TempDir::new().unwrap();
    two_ingest_processes_raise_one_alert(dir.path(), &database.url);
}

/// A database of its own on the server of `FINMARK_TEST_POSTGRES` (set by
/// `scripts/with-postgres.sh`), made and dropped with `psql`; `None` after a notice when no
/// server is configured, except in CI, which never skips it.
struct ScratchPostgres {
    admin: String,
    name: String,
    url: String,
}

impl ScratchPostgres {
    fn create() -> Option<ScratchPostgres> {
        let admin = match std::env::var("FINMARK_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => url,
            _ if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
                panic!(
                    "FINMARK_TEST_POSTGRES is not set: run the tests as scripts/with-postgres.sh cargo test"
                )
            }
            _ => {
                eprintln!("SKIPPED PostgreSQL CLI test: FINMARK_TEST_POSTGRES is not set");
                return None;
            }
        };
        let name = format!("finmark_cli_{}", std::process::id());
        psql(&admin, &format!("CREATE DATABASE {name}"));
        let (base, _) = admin.rsplit_once('/').expect("a database in the URL");
        let url = format!("{base}/{name}");
        Some(ScratchPostgres { admin, name, url })
    }
}

impl Drop for ScratchPostgres {
    fn drop(&mut self) {
        psql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// Runs one statement with the server's `psql` (`PG_BIN`, by default PostgreSQL 15's).
fn psql(url: &str, sql: &str) {
    let bin = std::env::var("PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into());
    let status = Command::new(Path::new(&bin).join("psql"))
        .args(["-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql])
        .status()
        .expect("psql runs");
    assert!(status.success(), "psql: {sql}");
}

#[test]
fn ingest_reports_bad_lines_and_keeps_the_rest() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "events.ndjson", EVENTS);
    let db = db_url(dir.path());
    let run = finmark(dir.path(), &["ingest", "--db", &db, "events.ndjson"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "events.ndjson: 4 accepted, 0 duplicates, 1 rejected\n"
    );
    let bad: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(bad.len(), 1, "{}", run.stderr);
    assert!(bad[0].starts_with("events.ndjson:3: "), "{}", bad[0]);

    // Sending it again stores nothing new.
    let again = finmark(dir.path(), &["ingest", "--db", &db, "events.ndjson"]);
    assert!(
        again
            .stdout
            .contains("0 accepted, 4 duplicates, 1 rejected")
    );

    let all = finmark(dir.path(), &["events", "--db", &db]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert_eq!(ids(&all), ["e5", "e4", "e2", "e1"]);
    let first = &all.json_lines()[3];
    assert_eq!(first["user.name"], "alice");
    assert_eq!(first["@timestamp"], "2026-01-15T10:00:00Z");
}

#[test]
fn events_where_values_are_typed() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "events.ndjson", EVENTS);
    let db = db_url(dir.path());
    finmark(dir.path(), &["ingest", "--db", &db, "events.ndjson"]);
    let query = |filters: &[&str]| {
        let mut args = vec!["events", "--db", db.as_str()];
        for f in filters {
            args.extend(["--where", f]);
        }
        let run = finmark(dir.path(), &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        ids(&run)
    };
    assert_eq!(query(&["http.response.status_code=500"]), ["e1"]);
    assert_eq!(query(&["http.response.status_code=\"500\""]), ["e2"]);
    assert_eq!(query(&["user.name=alice"]), ["e4", "e1"]);
    assert_eq!(query(&["user.name=alice", "flag=true"]), ["e4"]);
    assert_eq!(query(&["ratio=0.5"]), ["e4"]);
    assert_eq!(query(&["flag=null"]), ["e5"]);
    assert_eq!(query(&["user.name=bob"]), ["e2"]);
    assert!(query(&["user.name=nobody"]).is_empty());
}

#[test]
fn events_time_range_pages_and_table() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "events.ndjson", EVENTS);
    let db = db_url(dir.path());
    finmark(dir.path(), &["ingest", "--db", &db, "events.ndjson"]);
    let run = finmark(
        dir.path(),
        &[
            "events",
            "--db",
            &db,
            "--since",
            "2026-01-15T10:01:00Z",
            "--until",
            "2026-01-15 10:04:00",
        ],
    );
    assert_eq!(ids(&run), ["e4", "e2"]);

    let page = finmark(dir.path(), &["events", "--db", &db, "--limit", "3"]);
    assert_eq!(ids(&page), ["e5", "e4", "e2"]);
    let cursor = page
        .stderr
        .trim()
        .strip_prefix("next: --cursor ")
        .unwrap_or_else(|| panic!("no cursor in {:?}", page.stderr));
    let rest = finmark(
        dir.path(),
        &["events", "--db", &db, "--limit", "3", "--cursor", cursor],
    );
    assert_eq!(ids(&rest), ["e1"]);
    assert!(rest.stderr.is_empty(), "{}", rest.stderr);

    let table = finmark(
        dir.path(),
        &[
            "events",
            "--db",
            &db,
            "--format",
            "table",
            "--where",
            "event.id=e4",
        ],
    );
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert!(lines[0].starts_with("TIME"), "{}", table.stdout);
    assert!(lines[1].starts_with("2026-01-15 10:03:00.000  e4  "));
    assert!(lines[1].contains("user.name=alice"));
    assert_eq!(lines.len(), 2);
}

#[test]
fn ingest_from_stdin_arrays_and_windows_events() {
    let dir = TempDir::new().unwrap();
    let db = db_url(dir.path());
    let run = finmark_with_stdin(
        dir.path(),
        &["ingest", "--db", &db, "-"],
        r#"[{"event.id": "a1", "@timestamp": "2026-01-15T09:00:00Z"}, 7, {"event.id": "a2", "@timestamp": "2026-01-15T09:01:00Z"}]"#,
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "-: 2 accepted, 0 duplicates, 1 rejected\n");
    assert!(
        run.stderr.starts_with("-:2: expected a JSON object"),
        "{}",
        run.stderr
    );

    let windows = r##"{
  "Event": {
    "System": {
      "EventID": 4625,
      "Channel": "Security",
      "TimeCreated": {"#attributes": {"SystemTime": "2026-01-15T09:30:00.000000Z"}},
      "EventRecordID": 101
    },
    "EventData": {"TargetUserName": "admin", "IpAddress": "203.0.113.9"}
  }
}
{
  "Event": {
    "System": {
      "EventID": 4624,
      "Channel": "Security",
      "TimeCreated": {"#attributes": {"SystemTime": "2026-01-15T09:31:00.000000Z"}},
      "EventRecordID": 102
    },
    "EventData": {"TargetUserName": "admin", "IpAddress": "203.0.113.9"}
  }
}
"##;
    write(dir.path(), "logs/security.json", windows);
    let run = finmark(dir.path(), &["ingest", "--db", &db, "logs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("2 accepted"), "{}", run.stdout);
    let failed = finmark(
        dir.path(),
        &["events", "--db", &db, "--where", "EventID=4625"],
    );
    let events = failed.json_lines();
    assert_eq!(events.len(), 1, "{}", failed.stdout);
    assert_eq!(events[0]["TargetUserName"], "admin");
}

#[test]
fn bad_url_missing_file_and_bad_arguments() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "events.ndjson", EVENTS);
    let run = finmark(dir.path(), &["ingest", "--db", "ftp://x", "events.ndjson"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("invalid storage URL 'ftp://x'"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());

    let run = finmark(dir.path(), &["events", "--db", "nonsense"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("expected memory://, sqlite://PATH"));

    let db = db_url(dir.path());
    let run = finmark(dir.path(), &["ingest", "--db", &db, "missing.ndjson"]);
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("cannot read missing.ndjson"),
        "{}",
        run.stderr
    );

    for bad in [
        vec!["events", "--db", &db, "--where", "novalue"],
        vec!["events", "--db", &db, "--since", "yesterday"],
        vec!["events", "--db", &db, "--limit", "20000"],
        vec!["events", "--db", &db, "--cursor", "nocolon"],
        vec!["events", "--db", &db, "--format", "xml"],
        vec!["ingest", "--db", &db],
    ] {
        let run = finmark(dir.path(), &bad);
        assert_eq!(run.code, 2, "{bad:?}: {}", run.stderr);
        assert!(!run.stderr.is_empty());
    }
}

#[test]
fn help_documents_exit_codes() {
    let dir = TempDir::new().unwrap();
    for args in [
        vec!["--help"],
        vec!["hunt", "--help"],
        vec!["rules", "check", "--help"],
    ] {
        let run = finmark(dir.path(), &args);
        assert_eq!(run.code, 0);
        assert!(run.stdout.contains("Exit codes:"), "{args:?}");
        assert!(run.stdout.contains("1  some input was rejected"));
    }
}

const ALICE_RULE: &str = r#"title: Alice Logs In
id: 11111111-2222-4333-8444-555555555555
status: test
logsource:
    category: authentication
detection:
    selection:
        user.name: alice
    condition: selection
level: medium
"#;

const SERVER_ERROR_RULE: &str = r#"title: Server Error
id: 66666666-7777-4888-9999-000000000000
status: test
logsource:
    category: webserver
detection:
    selection:
        http.response.status_code: 500
    condition: selection
level: high
"#;

const BROKEN_RULE: &str = r#"title: Broken
logsource:
    category: test
detection:
    selection:
        user.name|nosuchmodifier: alice
    condition: selection
"#;

#[test]
fn hunt_prints_one_json_line_per_match() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "rules/alice.yml", ALICE_RULE);
    write(dir.path(), "rules/errors.yml", SERVER_ERROR_RULE);
    let clean: String = EVENTS
        .lines()
        .filter(|l| !l.contains("oops"))
        .collect::<Vec<_>>()
        .join("\n");
    write(dir.path(), "events.ndjson", &clean);
    let run = finmark(dir.path(), &["hunt", "--rules", "rules", "events.ndjson"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"rule_id":"11111111-2222-4333-8444-555555555555","title":"Alice Logs In","level":"medium","file":"events.ndjson","line":1,"event_id":"e1"}"#,
            r#"{"rule_id":"66666666-7777-4888-9999-000000000000","title":"Server Error","level":"high","file":"events.ndjson","line":1,"event_id":"e1"}"#,
            // Sigma compares values as text: 500 in a rule matches the string "500" too.
            r#"{"rule_id":"66666666-7777-4888-9999-000000000000","title":"Server Error","level":"high","file":"events.ndjson","line":2,"event_id":"e2"}"#,
            r#"{"rule_id":"11111111-2222-4333-8444-555555555555","title":"Alice Logs In","level":"medium","file":"events.ndjson","line":4,"event_id":"e4"}"#,
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn hunt_lines_in_directories_arrays_with_bad_records_and_summary() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "alice.yml", ALICE_RULE);
    write(dir.path(), "in/a.ndjson", EVENTS);
    write(
        dir.path(),
        "in/sub/b.json",
        r#"[{"event.id": "b1", "user.name": "bob"}, {"event.id": "b2", "user.name": "alice"}]"#,
    );
    write(dir.path(), "in/notes.txt", "not read: not a JSON file name");
    let run = finmark(
        dir.path(),
        &["hunt", "--rules", "alice.yml", "--summary", "in"],
    );
    assert_eq!(run.code, 1, "a bad record was rejected: {}", run.stderr);
    let hits: Vec<(String, u64, String)> = run
        .json_lines()
        .iter()
        .map(|h| {
            (
                h["file"].as_str().unwrap().to_string(),
                h["line"].as_u64().unwrap(),
                h["event_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let a = Path::new("in").join("a.ndjson").display().to_string();
    let b = Path::new("in")
        .join("sub")
        .join("b.json")
        .display()
        .to_string();
    assert_eq!(
        hits,
        [
            (a.clone(), 1, "e1".to_string()),
            (a.clone(), 5, "e4".to_string()),
            (b, 2, "b2".to_string()),
        ]
    );
    assert!(run.stderr.contains(&format!("{a}:3: ")), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("6 events in 2 files: 3 matches of 1 rules"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("medium"), "{}", run.stderr);

    let table = finmark(
        dir.path(),
        &[
            "hunt",
            "--rules",
            "alice.yml",
            "--format",
            "table",
            "in/a.ndjson",
        ],
    );
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert!(lines[0].starts_with("LEVEL"), "{}", table.stdout);
    assert!(
        lines[1].starts_with("medium  Alice Logs In"),
        "{}",
        table.stdout
    );
    assert!(lines[1].contains("in/a.ndjson:1"));
    assert_eq!(lines.len(), 3);
}

#[test]
fn rules_check_exit_codes() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "good/alice.yml", ALICE_RULE);
    write(dir.path(), "good/errors.yml", SERVER_ERROR_RULE);
    let run = finmark(dir.path(), &["rules", "check", "good"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "2 rules accepted (0 correlations), 0 rejected\n"
    );

    write(dir.path(), "mixed/alice.yml", ALICE_RULE);
    write(dir.path(), "mixed/broken.yml", BROKEN_RULE);
    let run = finmark(dir.path(), &["rules", "check", "mixed"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    let broken = Path::new("mixed").join("broken.yml").display().to_string();
    assert!(lines[0].starts_with(&format!("{broken}: ")), "{}", lines[0]);
    assert!(lines[0].contains("nosuchmodifier"), "{}", lines[0]);
    assert_eq!(lines[1], "1 rules accepted (0 correlations), 1 rejected");

    let run = finmark(dir.path(), &["rules", "check", "nothere"]);
    assert_eq!(run.code, 3);
    assert!(run.stderr.contains("cannot read rules nothere"));

    let run = finmark(
        dir.path(),
        &["rules", "check", "good", "--pipeline", "no-such-pipeline"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no-such-pipeline"));

    let run = finmark(
        dir.path(),
        &["hunt", "--rules", "mixed/broken.yml", "x.ndjson"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no rule could be compiled"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_demo_rules_check_clean() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/rules");
    let run = finmark(
        &std::env::temp_dir(),
        &["rules", "check", rules.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("4 rules accepted"), "{}", run.stdout);
}

#[test]
fn demo_stores_a_day_and_finds_what_was_planted() {
    let dir = TempDir::new().unwrap();
    let args = ["demo", "--orders", "200", "--seed", "7"];
    let run = finmark(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("finmark-demo.db").exists());
    let out = &run.stdout;
    assert!(out.contains("(0 already there)"), "{out}");
    // The four demo rules and builtin:soc's seven single-event rules and nine correlations.
    assert!(
        out.contains("rules: 11 loaded, 0 rejected;") && out.contains("; 9 correlations"),
        "{out}"
    );
    for section in [
        "failed logins:",
        "orders per hour",
        "traffic spike:",
        "detections by rule",
        "\nalerts: ",
    ] {
        assert!(out.contains(section), "no {section} in {out}");
    }
    // The brute force's address tops the failed logins; the burst's sink tops the spike.
    let attacker = planted(out, "failed logins from ");
    let sink = planted(out, " to ").split(':').next().unwrap().to_string();
    assert!(out.contains(&format!("top sources: {attacker} (")), "{out}");
    assert!(
        out.contains(&format!("top destinations: {sink} (")),
        "{out}"
    );
    assert!(
        out.contains("Failed Login From A Threat-Intelligence Address"),
        "{out}"
    );
    assert!(
        out.contains("Network Flow To A Threat-Intelligence Address"),
        "{out}"
    );
    // The brute force shows as a few correlation alerts about the attacker, not as its
    // raw failed logins.
    let alerts = &out[out.find("\nalerts: ").unwrap()..];
    for title in [
        "Multiple Failed Logins From One Source",
        "Password Spraying From One Source",
        "Successful Login After Many Failures",
    ] {
        let line = alerts.lines().find(|l| l.contains(title));
        assert!(
            line.is_some_and(|l| l.contains("correlation") && l.contains(&attacker)),
            "no correlation alert '{title}' about {attacker} in {alerts}"
        );
    }
    assert!(!alerts.contains("Successful Login  "), "{alerts}");

    // The default database is recreated: a second run stores everything again.
    let again = finmark(dir.path(), &args);
    assert!(
        again.stdout.contains("(0 already there)"),
        "{}",
        again.stdout
    );
    // An explicit database is kept: the same day again is all duplicates.
    let db = format!("sqlite://{}", dir.path().join("finmark-demo.db").display());
    let kept = finmark(
        dir.path(),
        &["demo", "--db", &db, "--orders", "200", "--seed", "7"],
    );
    assert!(kept.stdout.contains("stored 0 new"), "{}", kept.stdout);
}

/// The word after `marker` in the demo's ground-truth section.
fn planted(out: &str, marker: &str) -> String {
    let truth = &out[out.find("ground truth").expect("a ground truth section")..];
    let after = &truth[truth.find(marker).unwrap() + marker.len()..];
    after.split([' ', ',']).next().unwrap().to_string()
}

/// Two `finmark` processes ingest overlapping batches into one PostgreSQL database at the same
/// time: every event is stored exactly once (the multi-process deployment of DESIGN.md).
#[test]
fn two_processes_share_one_postgres() {
    let Some(url) = std::env::var("FINMARK_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "FINMARK_TEST_POSTGRES is not set, and CI never skips the PostgreSQL tests"
        );
        eprintln!("SKIPPED two_processes_share_one_postgres: FINMARK_TEST_POSTGRES is not set");
        return;
    };
    let dir = TempDir::new().unwrap();
    // A tag no other run of this test on the same server shares.
    let run_id = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let batch = |from: usize, to: usize| -> String {
        (from..to)
            .map(|i| {
                format!(
                    "{{\"event.id\": \"{run_id}-{i}\", \"run.id\": \"{run_id}\", \"@timestamp\": \"2026-01-15T10:00:00Z\", \"n\": {i}}}\n"
                )
            })
            .collect()
    };
    write(dir.path(), "a.ndjson", &batch(0, 3000));
    write(dir.path(), "b.ndjson", &batch(1500, 4500));
    let children: Vec<_> = ["a.ndjson", "b.ndjson"]
        .iter()
        .map(|file| {
            command(dir.path(), &["ingest", "--db", &url, file])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("finmark runs")
        })
        .collect();
    let mut accepted = 0;
    for child in children {
        let run: Run = child.wait_with_output().unwrap().into();
        assert_eq!(run.code, 0, "{}", run.stderr);
        let count = run
            .stdout
            .split(" accepted")
            .next()
            .and_then(|s| s.rsplit(' ').next());
        accepted += count
            .and_then(|n| n.parse::<usize>().ok())
            .expect("an accepted count");
    }
    assert_eq!(
        accepted, 4500,
        "every event stored by exactly one of the processes"
    );
    let stored = finmark(
        dir.path(),
        &[
            "events",
            "--db",
            &url,
            "--where",
            &format!("run.id={run_id}"),
            "--limit",
            "10000",
        ],
    );
    assert_eq!(stored.code, 0, "{}", stored.stderr);
    assert_eq!(stored.json_lines().len(), 4500);
}

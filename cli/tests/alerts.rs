//! `finmark alerts` and `finmark silences` on a real SQLite file seeded through the library
//! with the builtin SOC rules and a burst of failed logins.

use serde_json::Value as Json;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

/// The builtin "Multiple Failed Logins From One Source" correlation.
const BURST: &str = "6f1f3a52-8c2d-4e8b-b1a7-9d3e5c7a2b10";

/// Runs `finmark args`: (exit code, stdout, stderr).
fn finmark(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_finmark"))
        .args(args)
        .output()
        .expect("finmark runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn lines(stdout: &str) -> Vec<Json> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A database holding the alert a burst of failed logins from `ip` at `hour` raised.
fn seed(db: &str, ip: &str, hour: u32) {
    let batch: Vec<String> = (0..12)
        .map(|i| {
            format!(
                r#"{{"event.id": "f-{ip}-{hour}-{i}", "@timestamp": "2026-03-01T{hour:02}:00:{:02}Z", "event.category": "authentication", "event.outcome": "failure", "source.ip": "{ip}", "user.name": "alice"}}"#,
                i * 4
            )
        })
        .collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let engine = finmark::Engine::builder(db)
            .rules_path("builtin:soc")
            .open()
            .await
            .unwrap();
        let report = engine
            .ingest_json(batch.join("\n").as_bytes())
            .await
            .unwrap();
        assert!(
            report.alerts.iter().any(|a| a.rule_id == BURST),
            "{report:?}"
        );
        engine.close().await.unwrap();
    });
}

fn database(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("soc.db").display())
}

#[test]
fn alerts_are_listed_in_every_format_and_worked_by_permitted_actors() {
    let dir = TempDir::new().unwrap();
    let db = database(dir.path());
    seed(&db, "198.51.100.7", 8);

    let (code, stdout, stderr) = finmark(&["alerts", "--db", &db, "--rule", BURST]);
    assert_eq!(code, 0, "{stderr}");
    let alerts = lines(&stdout);
    assert_eq!(alerts.len(), 1, "{stdout}");
    let alert = &alerts[0];
    for key in [
        "id",
        "fingerprint",
        "rule_id",
        "title",
        "severity",
        "source",
        "status",
        "group",
        "count",
        "first_seen",
        "last_seen",
    ] {
        assert!(alert.get(key).is_some(), "no {key} in {alert}");
    }
    assert_eq!(
        (&alert["severity"], &alert["source"], &alert["status"]),
        (
            &Json::from("critical"),
            &Json::from("correlation"),
            &Json::from("open")
        )
    );
    let id = alert["id"].as_str().unwrap().to_string();

    let (code, csv, _) = finmark(&[
        "alerts",
        "--db",
        &db,
        "--severity",
        "critical",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    assert!(
        csv.starts_with("id,severity,status,title,group,count,"),
        "{csv}"
    );
    assert!(csv.contains(&id), "{csv}");
    let (_, table, _) = finmark(&[
        "alerts",
        "--db",
        &db,
        "--format",
        "table",
        "--since",
        "2026-03-01",
    ]);
    assert!(table.starts_with("ID  ") && table.contains(&id), "{table}");
    let (_, none, _) = finmark(&["alerts", "--db", &db, "--until", "2026-02-28"]);
    assert_eq!(none, "");
    let (code, _, stderr) = finmark(&["alerts", "--db", &db, "--status", "closed"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("closed"), "{stderr}");

    let viewer = ["--actor", "vic", "--role", "viewer"];
    let (code, _, stderr) =
        finmark(&[&["alerts", "ack", "--db", &db][..], &viewer, &[&id]].concat());
    assert_ne!(code, 0);
    assert!(stderr.contains("alert.acknowledge"), "{stderr}");

    let analyst = ["--actor", "ana", "--role", "analyst"];
    let (code, stdout, stderr) = finmark(
        &[
            &["alerts", "ack", "--db", &db][..],
            &analyst,
            &[&id, "no-such-alert"],
        ]
        .concat(),
    );
    assert_eq!(code, 1, "one id failed: {stderr}");
    assert!(stderr.contains("no-such-alert"), "{stderr}");
    assert_eq!(lines(&stdout)[0]["status"], "acknowledged");
    let (code, stdout, _) =
        finmark(&[&["alerts", "resolve", "--db", &db][..], &analyst, &[&id]].concat());
    assert_eq!(code, 0);
    assert_eq!(lines(&stdout)[0]["status"], "resolved");
    let (_, stdout, _) = finmark(&["alerts", "--db", &db, "--status", "resolved"]);
    assert_eq!(lines(&stdout).len(), 1);
}

#[test]
fn silences_are_added_listed_and_expired() {
    let dir = TempDir::new().unwrap();
    let db = database(dir.path());
    let analyst = ["--actor", "ana", "--role", "analyst"];
    let add = [
        "silences",
        "add",
        "--db",
        &db,
        "--matcher",
        "source.ip=203.0.113.9",
        "--starts",
        "2026-03-01",
        "--duration",
        "1d",
        "--reason",
        "pen test",
    ];
    let (code, stdout, stderr) = finmark(&[&add[..], &analyst].concat());
    assert_eq!(code, 0, "{stderr}");
    let silence = &lines(&stdout)[0];
    assert_eq!(
        (&silence["author"], &silence["reason"]),
        (&Json::from("ana"), &Json::from("pen test"))
    );
    let silence_id = silence["id"].as_str().unwrap().to_string();

    seed(&db, "203.0.113.9", 9);
    let (_, stdout, _) = finmark(&["alerts", "--db", &db, "--status", "silenced"]);
    let muted = lines(&stdout);
    assert_eq!(muted.len(), 1, "{stdout}");
    assert_eq!(muted[0]["muted_by"]["id"], Json::from(silence_id.as_str()));

    let (_, stdout, _) = finmark(&["silences", "list", "--db", &db]);
    assert_eq!(lines(&stdout)[0]["id"], Json::from(silence_id.as_str()));
    let (_, csv, _) = finmark(&["silences", "list", "--db", &db, "--format", "csv"]);
    assert!(
        csv.starts_with("id,starts_at,ends_at,author,reason,matchers\n"),
        "{csv}"
    );

    let (code, stdout, stderr) = finmark(
        &[
            &["silences", "expire", "--db", &db][..],
            &analyst,
            &[&silence_id],
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines(&stdout).len(), 1);
    let (_, stdout, _) = finmark(&["silences", "list", "--db", &db, "--active"]);
    assert_eq!(stdout, "");
    let (code, _, stderr) = finmark(&[&add[..], &["--actor", "vic", "--role", "viewer"]].concat());
    assert_ne!(code, 0);
    assert!(stderr.contains("silence.create"), "{stderr}");
}

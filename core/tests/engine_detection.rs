//! The engine with rules: every ingested batch is matched, detections are stored once and
//! reported in the ingest report, and rules reload atomically while batches are ingested.

use finmark::storage::EventQuery;
use finmark::{Engine, RuleSet, Severity};

const FAILED_LOGIN: &str = r#"
title: Failed login
id: failed-login
level: high
logsource: {category: authentication}
detection:
    selection:
        event.outcome: failure
        event.category: authentication
    condition: selection
"#;

const ADMIN_USER: &str = r#"
title: Admin user
id: admin-user
level: low
logsource: {category: authentication}
detection:
    selection:
        user.name: admin
    condition: selection
"#;

fn login(id: usize, user: &str, outcome: &str) -> String {
    format!(
        r#"{{"event.id": "e{id}", "@timestamp": "2026-03-01T09:00:{:02}Z", "event.category": "authentication", "user.name": "{user}", "event.outcome": "{outcome}"}}"#,
        id % 60
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn ingest_matches_stores_and_reports_detections_once() {
    runtime().block_on(async {
        let engine = Engine::builder("memory://")
            .rules_yaml(FAILED_LOGIN, "rules")
            .open()
            .await
            .unwrap();
        let batch = [
            login(1, "alice", "failure"),
            login(2, "bob", "success"),
            "{bad".to_string(),
            login(3, "carol", "failure"),
        ]
        .join("\n");
        let report = engine.ingest_json(batch.as_bytes()).await.unwrap();
        assert_eq!(
            (report.accepted, report.duplicates, report.rejected.len()),
            (3, 0, 1)
        );
        assert_eq!(report.rejected[0].line, 3);
        let lines: Vec<usize> = report.matches.iter().map(|m| m.event_index).collect();
        assert_eq!(lines, vec![1, 4], "matches name the events' lines");
        assert!(
            report
                .matches
                .iter()
                .all(|m| m.rule_id == "failed-login" && m.severity == Severity::Critical)
        );

        let stored = engine.detections(&EventQuery::new()).await.unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored.iter().filter(|m| m.event_id == "e3").count(), 1);

        // Re-sending the batch stores nothing again and reports no match again.
        let again = engine.ingest_json(batch.as_bytes()).await.unwrap();
        assert_eq!((again.accepted, again.duplicates), (0, 3));
        assert!(again.matches.is_empty());
        assert_eq!(
            engine.detections(&EventQuery::new()).await.unwrap().len(),
            2
        );
        engine.close().await.unwrap();
        engine.close().await.unwrap();
    });
}

#[test]
fn rules_reload_atomically_while_ingesting() {
    runtime().block_on(async {
        let engine = Engine::builder("memory://")
            .rules_yaml(FAILED_LOGIN, "rules")
            .open()
            .await
            .unwrap();
        let reloader = {
            let engine = engine.clone();
            tokio::spawn(async move {
                for round in 0..200 {
                    let rules = RuleSet::builder().yaml(FAILED_LOGIN, "failed");
                    let rules = if round % 2 == 0 {
                        rules.yaml(ADMIN_USER, "admin")
                    } else {
                        rules
                    };
                    engine.reload_rules(rules.build().unwrap()).unwrap();
                    tokio::task::yield_now().await;
                }
            })
        };
        let mut next = 0;
        for _ in 0..50 {
            // Every event of a batch is a failed admin login: a batch matched by one rule set
            // has one match per event (old rules) or two (new rules), never a mix.
            let batch: Vec<String> = (0..20)
                .map(|_| {
                    next += 1;
                    login(next, "admin", "failure")
                })
                .collect();
            let report = engine
                .ingest_json(batch.join("\n").as_bytes())
                .await
                .unwrap();
            let per_event = report.matches.len() / 20;
            assert_eq!(report.matches.len() % 20, 0, "a batch saw two rule sets");
            assert!(per_event == 1 || per_event == 2);
        }
        reloader.await.unwrap();
        engine.close().await.unwrap();
    });
}

//! The engine raises alerts as it ingests, once per fingerprint in the suppression window,
//! idempotently; alerts are read and worked through actors whose permissions are checked.

use finmark::access::Actor;
use finmark::alert::{AlertConfig, AlertSource, AlertStatus, SilenceRequest};
use finmark::storage::AlertQuery;
use finmark::{Engine, ErrorKind, Severity};

const ADMIN_CALL: &str = r#"
title: Admin API Call
id: 11111111-aaaa-4bbb-8ccc-000000000001
level: high
logsource: {category: webserver}
detection:
    sel:
        url.path|startswith: /api/admin/
    condition: sel
"#;

fn call(id: &str, minute: u32, ip: &str) -> String {
    format!(
        r#"{{"event.id": "{id}", "@timestamp": "2026-03-01T08:{minute:02}:00Z", "event.category": "web", "url.path": "/api/admin/export", "source.ip": "{ip}", "user.name": "ops"}}"#
    )
}

async fn engine(url: &str) -> Engine {
    Engine::builder(url)
        .rules_yaml(ADMIN_CALL, "admin.yml")
        .alert_config(AlertConfig {
            suppression_window_secs: 600,
            ..AlertConfig::default()
        })
        .open()
        .await
        .unwrap()
}

fn analyst() -> Actor {
    Actor::with_role("ana", "analyst").unwrap()
}

#[tokio::test]
async fn detections_raise_deduplicated_alerts_idempotently() {
    let engine = engine("memory://").await;
    let batch = [
        call("e1", 0, "198.51.100.7"),
        call("e2", 1, "198.51.100.7"),
        call("e3", 2, "198.51.100.8"),
    ]
    .join("\n");
    let report = engine.ingest_json(batch.as_bytes()).await.unwrap();
    assert_eq!(report.matches.len(), 3);
    assert_eq!(
        report.alerts.len(),
        2,
        "one alert per source address (and user)"
    );
    let first = &report.alerts[0];
    assert_eq!(
        (first.count, first.severity, first.source),
        (2, Severity::Critical, AlertSource::Rule)
    );
    assert_eq!(first.evidence, ["e1", "e2"]);
    assert_eq!(
        first.group["source.ip"],
        finmark::Value::from("198.51.100.7")
    );
    assert!(first.entities.iter().any(|e| e.to_string() == "user:ops"));

    // The same batch again: nothing new, no count added.
    let again = engine.ingest_json(batch.as_bytes()).await.unwrap();
    assert_eq!(
        (again.accepted, again.matches.len(), again.alerts.len()),
        (0, 0, 0)
    );
    let page = engine.alerts(&analyst(), &AlertQuery::new()).await.unwrap();
    assert_eq!(page.alerts.iter().map(|a| a.count).sum::<u64>(), 3);

    // A new event inside the window adds to the alert.
    let more = engine
        .ingest_json(call("e4", 9, "198.51.100.7").as_bytes())
        .await
        .unwrap();
    assert_eq!(more.alerts.len(), 1);
    assert_eq!(
        (more.alerts[0].id.as_str(), more.alerts[0].count),
        (first.id.as_str(), 3)
    );
}

#[tokio::test]
async fn alerts_are_worked_through_actors_with_permissions() {
    let engine = engine("memory://").await;
    let report = engine
        .ingest_json(call("e1", 0, "198.51.100.7").as_bytes())
        .await
        .unwrap();
    let id = report.alerts[0].id.clone();
    let viewer = Actor::with_role("vic", "viewer").unwrap();
    let service = Actor::with_role("feeder", "service").unwrap();

    // Viewers read; services do not read alerts; nobody but analysts and admins acts.
    assert_eq!(
        engine.alert(&viewer, &id).await.unwrap().status,
        AlertStatus::Open
    );
    let denied = engine
        .alerts(&service, &AlertQuery::new())
        .await
        .unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::PermissionDenied);
    assert!(denied.message().contains("alert.read"), "{denied}");
    let denied = engine.acknowledge_alert(&viewer, &id).await.unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::PermissionDenied);
    assert!(
        denied.message().contains("'vic'") && denied.message().contains("alert.acknowledge"),
        "{denied}"
    );

    let acked = engine.acknowledge_alert(&analyst(), &id).await.unwrap();
    assert_eq!(acked.status, AlertStatus::Acknowledged);
    assert_eq!(acked.updated.as_ref().unwrap().actor, "ana");
    let resolved = engine.resolve_alert(&analyst(), &id).await.unwrap();
    assert_eq!(resolved.status, AlertStatus::Resolved);
    let conflict = engine.resolve_alert(&analyst(), &id).await.unwrap_err();
    assert_eq!(conflict.kind(), ErrorKind::Conflict);

    // A resolved alert is never reopened: the next detection raises a new one.
    let next = engine
        .ingest_json(call("e2", 1, "198.51.100.7").as_bytes())
        .await
        .unwrap();
    assert_eq!(next.alerts.len(), 1);
    assert_ne!(next.alerts[0].id, id);
    assert_eq!(
        (next.alerts[0].generation, next.alerts[0].status),
        (2, AlertStatus::Open)
    );

    let counts = engine
        .alert_counts(&viewer, &AlertQuery::new())
        .await
        .unwrap();
    assert_eq!(
        (
            counts.total,
            counts.by_status["resolved"],
            counts.by_status["open"]
        ),
        (2, 1, 1)
    );
    let missing = engine.alert(&viewer, "no-such-alert").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn silenced_alerts_are_stored_silenced() {
    let engine = engine("memory://").await;
    let request: SilenceRequest = serde_json::from_str(
        r#"{"matchers": ["source.ip=198.51.100.9"], "starts_at": "2026-03-01T00:00:00Z",
            "duration_secs": 86400, "reason": "pen test"}"#,
    )
    .unwrap();
    let viewer = Actor::with_role("vic", "viewer").unwrap();
    assert_eq!(
        engine
            .add_silence(&viewer, request.clone())
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::PermissionDenied
    );
    let silence = engine.add_silence(&analyst(), request).await.unwrap();
    assert_eq!(silence.author, "ana");
    let batch = [
        call("e1", 0, "198.51.100.9"),
        call("e2", 0, "198.51.100.10"),
    ]
    .join("\n");
    let report = engine.ingest_json(batch.as_bytes()).await.unwrap();
    let status: Vec<AlertStatus> = report.alerts.iter().map(|a| a.status).collect();
    assert_eq!(status, [AlertStatus::Silenced, AlertStatus::Open]);
    assert_eq!(
        engine.silences(&viewer, false).await.unwrap(),
        std::slice::from_ref(&silence)
    );
    let expired = engine
        .expire_silence(&analyst(), &silence.id)
        .await
        .unwrap();
    assert!(expired.ends_at <= chrono::Utc::now());
    assert!(engine.silences(&viewer, true).await.unwrap().is_empty());
    let bad: SilenceRequest =
        serde_json::from_str(r#"{"matchers": [], "duration_secs": 60, "reason": "x"}"#).unwrap();
    assert_eq!(
        engine
            .add_silence(&analyst(), bad)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidQuery
    );
}

#[tokio::test]
async fn a_restarted_engine_continues_the_alerts_and_risk_of_its_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("alerts.db").display());
    let first = engine(&url).await;
    let report = first
        .ingest_json(call("e1", 0, "198.51.100.7").as_bytes())
        .await
        .unwrap();
    let id = report.alerts[0].id.clone();
    first.close().await.unwrap();
    let second = engine(&url).await;
    let report = second
        .ingest_json(call("e2", 5, "198.51.100.7").as_bytes())
        .await
        .unwrap();
    assert_eq!(
        (report.alerts[0].id.as_str(), report.alerts[0].count),
        (id.as_str(), 2)
    );
}

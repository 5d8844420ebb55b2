//! Correlations as the engine ingests: base rules that only feed correlations raise no
//! alerts, a correlation that fires raises one; the windows are checkpointed in storage, so
//! a restarted engine, or a second engine on the same database, continues them.

mod common;

use common::Backend;
use finmark::access::Actor;
use finmark::alert::AlertSource;
use finmark::storage::AlertQuery;
use finmark::{Engine, Severity};

/// The rule id of the builtin "Multiple Failed Logins From One Source".
const BURST: &str = "6f1f3a52-8c2d-4e8b-b1a7-9d3e5c7a2b10";

/// A failed login from `ip` at `second` seconds past 08:00.
fn failure(n: usize, second: u32, ip: &str) -> String {
    format!(
        r#"{{"event.id": "f{n}", "@timestamp": "2026-03-01T08:{:02}:{:02}Z", "event.category": "authentication", "event.outcome": "failure", "source.ip": "{ip}", "user.name": "alice"}}"#,
        second / 60,
        second % 60
    )
}

/// Twelve failed logins from one address ten seconds apart, with three from another
/// address among them, in batches of three lines.
fn stream() -> Vec<String> {
    let mut lines = Vec::new();
    for n in 0..15 {
        let ip = if n % 5 == 4 {
            "203.0.113.9"
        } else {
            "198.51.100.7"
        };
        lines.push(failure(n, 10 * n as u32, ip));
    }
    lines.chunks(3).map(|c| c.join("\n")).collect()
}

async fn engine(url: &str) -> Engine {
    Engine::builder(url)
        .rules_path("builtin:soc")
        .open()
        .await
        .unwrap_or_else(|e| panic!("opening an engine on {url}: {e}"))
}

fn analyst() -> Actor {
    Actor::with_role("ana", "analyst").unwrap()
}

/// The alerts stored, as (rule, source, count, severity, group), in a stable order.
async fn alerts_of(engine: &Engine) -> Vec<(String, AlertSource, u64, Severity, String)> {
    let page = engine.alerts(&analyst(), &AlertQuery::new()).await.unwrap();
    let mut alerts: Vec<_> = page
        .alerts
        .into_iter()
        .map(|a| {
            let group = serde_json::to_string(&a.group).unwrap();
            (a.rule_id, a.source, a.count, a.severity, group)
        })
        .collect();
    alerts.sort_by(|a, b| (&a.0, &a.4).cmp(&(&b.0, &b.4)));
    alerts
}

#[tokio::test]
async fn a_burst_of_failures_raises_one_correlation_alert_and_no_base_alerts() {
    let engine = engine("memory://").await;
    let mut fired = Vec::new();
    for batch in stream() {
        let report = engine.ingest_json(batch.as_bytes()).await.unwrap();
        fired.extend(report.correlations.into_iter().map(|c| c.rule_id));
    }
    assert!(fired.contains(&BURST.to_string()), "fired: {fired:?}");
    let alerts = alerts_of(&engine).await;
    let burst: Vec<_> = alerts.iter().filter(|a| a.0 == BURST).collect();
    assert_eq!(burst.len(), 1, "one alert for the one address: {alerts:?}");
    assert_eq!(
        (burst[0].1, burst[0].3),
        (AlertSource::Correlation, Severity::Critical)
    );
    assert!(burst[0].4.contains("198.51.100.7"));
    assert!(
        alerts.iter().all(|a| a.1 == AlertSource::Correlation),
        "single failed logins raise no alerts of their own: {alerts:?}"
    );
}

/// Ingests the stream: the first half with one engine, the rest with a new engine opened
/// on the same database after the first one closed.
async fn restart_mid_window(backend: &Backend) {
    let batches = stream();
    let (before, after) = batches.split_at(2);
    let first = engine(&backend.url).await;
    for batch in before {
        let report = first.ingest_json(batch.as_bytes()).await.unwrap();
        assert!(report.correlations.is_empty(), "six failures fire nothing");
    }
    first.close().await.unwrap();
    drop(first);
    let second = engine(&backend.url).await;
    for batch in after {
        second.ingest_json(batch.as_bytes()).await.unwrap();
    }
    let alerts = alerts_of(&second).await;
    assert!(
        alerts.iter().any(|a| a.0 == BURST),
        "the restarted engine continued the window: {alerts:?}"
    );
    assert_eq!(alerts, alerts_of(&one_engine_alone().await).await);
}

/// The alerts of the whole stream through one engine on its own memory storage.
async fn one_engine_alone() -> Engine {
    let engine = engine("memory://").await;
    for batch in stream() {
        engine.ingest_json(batch.as_bytes()).await.unwrap();
    }
    engine
}

/// Two engines on one database (two worker processes of one API) take turns with the
/// batches of one stream: together they raise what one engine alone raises.
async fn two_engines_share_the_windows(backend: &Backend) {
    let a = engine(&backend.url).await;
    let b = engine(&backend.url).await;
    for (i, batch) in stream().iter().enumerate() {
        let engine = if i % 2 == 0 { &a } else { &b };
        engine.ingest_json(batch.as_bytes()).await.unwrap();
    }
    let alone = alerts_of(&one_engine_alone().await).await;
    assert!(alone.iter().any(|x| x.0 == BURST));
    assert_eq!(alerts_of(&a).await, alone);
    assert_eq!(alerts_of(&b).await, alone);
}

macro_rules! on_durable_backends {
    ($($check:ident),*) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    super::$check(&super::Backend::sqlite().await.unwrap()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    if let Some(backend) = super::Backend::postgres().await {
                        super::$check(&backend).await;
                    }
                }
            )*
        }
    };
}

on_durable_backends!(restart_mid_window, two_engines_share_the_windows);

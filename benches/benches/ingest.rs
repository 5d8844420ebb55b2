//! Ingest throughput: 1,000,000 simulated events, in batches of 10,000, into `memory://`,
//! `sqlite://` (a fresh file in a temporary directory) and `postgres://` (a fresh database on
//! the server of `FINMARK_TEST_POSTGRES`; skipped with a notice when it is unset).
//!
//! ```sh
//! scripts/with-postgres.sh cargo bench -p finmark-benches --bench ingest
//! ```
//!
//! One iteration opens an empty store, ingests the million events through
//! [`finmark::Engine::ingest`] and closes it. Only the `ingest` calls are timed: simulating
//! the events, opening and closing are not. Criterion reports the throughput in elements
//! (events) per second; the figures in `benches/README.md` are its medians.

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use finmark::Engine;
use finmark::event::Event;
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// Events per iteration.
const EVENTS: usize = 1_000_000;
/// Events per `ingest` call.
const BATCH: usize = 10_000;
/// Seed of the simulated traffic: every iteration ingests the same events.
const SEED: u64 = 42;

/// A fresh, empty store to ingest into, and what must live as long as it.
struct Target {
    url: String,
    _dir: Option<tempfile::TempDir>,
    /// The admin URL and name of a database to drop when done.
    database: Option<(String, String)>,
}

impl Target {
    /// Removes the store (the temporary directory goes when dropped).
    async fn remove(self) {
        if let Some((admin_url, name)) = &self.database {
            admin_sql(
                admin_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
    }
}

async fn admin_sql(admin_url: &str, sql: &str) {
    let mut admin = PgConnection::connect(admin_url)
        .await
        .expect("connecting to FINMARK_TEST_POSTGRES");
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Where each backend's empty stores come from.
enum Backend {
    Memory,
    Sqlite,
    Postgres { admin_url: String },
}

impl Backend {
    fn name(&self) -> &'static str {
        match self {
            Backend::Memory => "memory",
            Backend::Sqlite => "sqlite",
            Backend::Postgres { .. } => "postgres",
        }
    }

    /// Criterion's measurement time: about ten iterations at the target throughput, so that
    /// each sample is one iteration (1,000,000 events at 1,000,000, 200,000 and 100,000
    /// events/s, less a margin).
    fn measurement_time(&self) -> Duration {
        Duration::from_secs(match self {
            Backend::Memory => 8,
            Backend::Sqlite => 40,
            Backend::Postgres { .. } => 80,
        })
    }

    /// An empty store of this backend.
    async fn fresh(&self, run: usize) -> Target {
        match self {
            Backend::Memory => Target {
                url: "memory://".into(),
                _dir: None,
                database: None,
            },
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("ingest.db").display());
                Target {
                    url,
                    _dir: Some(dir),
                    database: None,
                }
            }
            Backend::Postgres { admin_url } => {
                let name = format!("finmark_bench_{}_{run}", std::process::id());
                admin_sql(admin_url, &format!("CREATE DATABASE {name}")).await;
                Target {
                    url: with_database(admin_url, &name),
                    _dir: None,
                    database: Some((admin_url.clone(), name)),
                }
            }
        }
    }
}

/// `url` with its database name replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, params) = match url.split_once('?') {
        Some((base, params)) => (base, format!("?{params}")),
        None => (url, String::new()),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    format!("{}/{database}{params}", &base[..path])
}

/// The backends to measure: PostgreSQL only when a server is given.
fn backends() -> Vec<Backend> {
    let mut backends = vec![Backend::Memory, Backend::Sqlite];
    match std::env::var("FINMARK_TEST_POSTGRES") {
        Ok(admin_url) if !admin_url.is_empty() => backends.push(Backend::Postgres { admin_url }),
        _ => eprintln!(
            "ingest/postgres skipped: FINMARK_TEST_POSTGRES is not set \
             (run under scripts/with-postgres.sh)"
        ),
    }
    backends
}

/// Ingests [`EVENTS`] simulated events into an empty store and returns the time spent in
/// `Engine::ingest`.
async fn ingest_once(backend: &Backend, run: usize) -> Duration {
    let target = backend.fresh(run).await;
    let engine = Engine::open(&target.url).await.expect("opening the store");
    let mut events = finmark::sim::stream(SEED);
    let mut spent = Duration::ZERO;
    for _ in 0..EVENTS / BATCH {
        let batch: Vec<Event> = events.by_ref().take(BATCH).collect();
        assert_eq!(batch.len(), BATCH, "finmark::sim::stream ended early");
        let started = Instant::now();
        let report = engine.ingest(batch).await.expect("ingest");
        spent += started.elapsed();
        assert_eq!(report.accepted + report.duplicates, BATCH);
    }
    engine.close().await.expect("closing the store");
    target.remove().await;
    spent
}

fn ingest(c: &mut Criterion) {
    let runtime = Runtime::new().expect("tokio runtime");
    let mut group = c.benchmark_group("ingest");
    group
        .throughput(Throughput::Elements(EVENTS as u64))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1));
    for backend in backends() {
        group.measurement_time(backend.measurement_time());
        let mut run = 0;
        group.bench_function(backend.name(), |b| {
            b.iter_custom(|iterations| {
                (0..iterations)
                    .map(|_| {
                        run += 1;
                        runtime.block_on(ingest_once(&backend, run))
                    })
                    .sum()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);

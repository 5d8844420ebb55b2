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
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// Events per iteration.
const EVENTS: usize = 1_000_000;
/// Events per `ingest` call.
const BATCH: usize = 10_000;
/// Seed of the simulated traffic: every iteration ingests the same events.
const SEED: u64 = 42;

/// The scratch stores of the core's integration tests: `memory://`, a SQLite file in a
/// temporary directory, a PostgreSQL database dropped when done.
#[path = "../../core/tests/common/mod.rs"]
mod common;

/// Where each backend's empty stores come from.
enum Backend {
    Memory,
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(&self) -> &'static str {
        match self {
            Backend::Memory => "memory",
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// Criterion's measurement time: about ten iterations at the target throughput, so that
    /// each sample is one iteration (1,000,000 events at 1,000,000, 200,000 and 100,000
    /// events/s, less a margin).
    fn measurement_time(&self) -> Duration {
        Duration::from_secs(match self {
            Backend::Memory => 8,
            Backend::Sqlite => 40,
            Backend::Postgres => 80,
        })
    }

    /// An empty store of this backend, removed when dropped.
    async fn fresh(&self) -> common::Backend {
        match self {
            Backend::Memory => common::Backend::memory().await,
            Backend::Sqlite => common::Backend::sqlite().await,
            Backend::Postgres => common::Backend::postgres().await,
        }
        .expect("a store of a backend that backends() chose")
    }
}

/// The backends to measure: PostgreSQL only when a server is given.
fn backends() -> Vec<Backend> {
    let mut backends = vec![Backend::Memory, Backend::Sqlite];
    match std::env::var("FINMARK_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => backends.push(Backend::Postgres),
        _ => eprintln!(
            "ingest/postgres skipped: FINMARK_TEST_POSTGRES is not set \
             (run under scripts/with-postgres.sh)"
        ),
    }
    backends
}

/// Ingests [`EVENTS`] simulated events into an empty store and returns the time spent in
/// `Engine::ingest`.
async fn ingest_once(backend: &Backend) -> Duration {
    let target = backend.fresh().await;
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
    drop(target);
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
        group.bench_function(backend.name(), |b| {
            b.iter_custom(|iterations| {
                (0..iterations)
                    .map(|_| runtime.block_on(ingest_once(&backend)))
                    .sum()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);

//! The engine's futures are `Send`, so multi-threaded runtimes can spawn them: the Node door
//! runs every storage call on napi's tokio runtime, which requires it.
//!
//! This fails to compile, rather than to run, when a future stops being provably `Send` (for
//! example an `.await` on sqlx's `Migrator::run`, whose higher-ranked `Acquire` bound rustc
//! cannot see through: rust-lang/rust#102211).

use finmark::Engine;
use finmark::storage::EventQuery;

fn assert_send<T: Send>(_: T) {}

#[test]
fn engine_futures_are_send() {
    for url in [
        "memory://",
        "sqlite://unused.db",
        "postgres://u@localhost/unused",
    ] {
        assert_send(Engine::open(url));
        assert_send(Engine::builder(url).open());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let engine = runtime.block_on(Engine::open("memory://")).unwrap();
    let query = EventQuery::new();
    // Built and dropped, never polled: only their types are checked.
    assert_send(engine.ingest(Vec::new()));
    assert_send(engine.ingest_json(b"{}"));
    assert_send(engine.events(&query));
    assert_send(engine.count_by("user.name", &query));
    assert_send(engine.detections(&query));
    assert_send(engine.purge_before(chrono::Utc::now()));
    assert_send(engine.close());
}

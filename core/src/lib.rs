//! # finmark
//!
//! An embeddable security analytics engine: ingest events (JSON, NDJSON, Windows event logs),
//! match them against Sigma rules, and keep events and detections in SQLite (embedded, the
//! default), PostgreSQL or memory. The same engine is reachable from Python, Node, C and the
//! `finmark` command line.
//!
//! A guided tour:
//! - [`event`]: [`Event`], [`Value`], parsing JSON batches, constructors for common events;
//! - [`sigma`]: Sigma rules, filters, correlations and pipelines parsed into an AST;
//! - [`detect`]: [`RuleSet`], compiled rules that match batches without storage;
//! - [`correlate`]: Sigma correlation rules evaluated over matches, with checkpointable state;
//! - [`storage`]: the [`storage::Storage`] trait and its `memory`, `sqlite`, `postgres` backends;
//! - [`Engine`]: all of it wired together, opened on a storage URL;
//! - [`sim`]: a seeded simulator of a fintech's day of traffic, for demos and benches.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let engine = finmark::Engine::open("memory://").await?;
//! let report = engine.ingest_json(br#"{"event.id": "1", "source.ip": "203.0.113.9"}"#).await?;
//! assert_eq!(report.accepted, 1);
//! # Ok::<(), finmark::Error>(())
//! # }).unwrap();
//! ```

pub mod arguments;
pub mod correlate;
pub mod detect;
pub mod engine;
pub mod error;
pub mod event;
pub mod sigma;
pub mod sim;
pub mod storage;

pub use detect::{Match, RuleOptions, RuleSet, Severity};
pub use engine::{Engine, EngineBuilder, IngestReport};
pub use error::{Error, ErrorKind, Result};
pub use event::{Event, Value};

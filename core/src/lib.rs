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
//! - [`detection`]: [`Detection`], what a rule matching an event reports, and its [`Severity`];
//! - [`alert`]: alerts raised from detections without flooding: dedup, silences, inhibition, risk;
//! - [`access`]: actors, roles and the permission table; the GCRA rate limiter;
//! - [`metrics`]: rollups of events into 1m/1h/1d buckets (counts, sums, DDSketch quantiles,
//!   HyperLogLog++ distinct counts) and the queries over them;
//! - [`correlate`]: Sigma correlation rules evaluated over matches, with checkpointable state;
//! - [`storage`]: the [`storage::Storage`] trait and its `memory`, `sqlite`, `postgres` backends;
//! - [`ingest`]: ingest as stages over a batch, written in one storage transaction;
//! - [`audit`]: the tamper-evident audit log: hash chain, Merkle proofs, signed checkpoints;
//! - [`forecast`]: seasonal naive, Holt-Winters and MSTL forecasts with prediction intervals;
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

pub mod access;
pub mod alert;
pub mod arguments;
pub mod audit;
pub mod correlate;
pub mod detect;
pub mod detection;
pub mod engine;
pub mod error;
pub mod event;
pub mod forecast;
pub mod ingest;
pub mod metrics;
pub mod sigma;
pub mod sim;
pub mod storage;

pub use detect::{Match, RuleOptions, RuleSet};
pub use detection::{Detection, MatchedField, Severity};
pub use engine::{Engine, EngineBuilder, IngestReport};
pub use error::{Error, ErrorKind, Result};
pub use event::{Event, Value};

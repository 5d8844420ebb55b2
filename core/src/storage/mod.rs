//! Storage behind one trait, with three backends chosen by URL.
//!
//! | URL | backend |
//! | --- | --- |
//! | `memory://` | in-process, lost on close; for tests and one-shot analyses |
//! | `sqlite://PATH` | an embedded SQLite file in WAL mode (the default: `sqlite://finmark.db`) |
//! | `postgres://...` or `postgresql://...` | a PostgreSQL server, shared by many processes |
//!
//! Every backend writes an ingested batch in one transaction ([`WriteTransaction`]: the
//! events, then what the ingest stages made of them, a [`WriteSet`]) and is idempotent by
//! event id: writing the same event twice stores it once. The SQL backends create their
//! schema with sqlx migrations when opened.

mod alerts;
mod memory;
mod postgres;
mod query;
mod sql;
mod sqlite;
mod write;

pub use alerts::{AlertCounts, AlertPage, AlertQuery};
pub use memory::MemoryStorage;
pub use postgres::PostgresStorage;
pub use query::{Cursor, DEFAULT_LIMIT, EventPage, EventQuery, FieldCount, MAX_LIMIT};
pub use sqlite::SqliteStorage;
pub use write::{LoadRequest, Loaded, StateRecord, WriteReport, WriteSet, WriteTransaction};

use crate::alert::{Alert, AlertUpdate, Silence};
use crate::detection::Detection;
use crate::error::{Error, Result};
use crate::event::Event;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// A place to keep events and what was detected in them.
///
/// Implementations are `Send + Sync` and shared between tasks. An ingested batch is written
/// in one [`WriteTransaction`] ([`Storage::begin_write`]); every other method is one
/// transaction of its own.
#[async_trait]
pub trait Storage: Send + Sync {
    /// Begins the write transaction of one ingested batch (see [`WriteTransaction`]).
    async fn begin_write(&self) -> Result<Box<dyn WriteTransaction>>;

    /// Stores a batch of events and the detections made in them, in one transaction: a
    /// shorthand for [`Storage::begin_write`], [`WriteTransaction::claim`] and a
    /// [`WriteSet`] of the new events and these detections.
    ///
    /// Idempotent: an event whose id is already stored is skipped (and reported as not new),
    /// and a detection already stored for the same event and rule is skipped.
    async fn write(&self, events: &[Event], detections: &[Detection]) -> Result<WriteReport> {
        self.write_owned(events.to_vec(), detections).await
    }

    /// [`Storage::write`] for a batch the caller no longer needs: its new events are handed
    /// over instead of copied.
    async fn write_owned(
        &self,
        events: Vec<Event>,
        detections: &[Detection],
    ) -> Result<WriteReport> {
        let mut tx = self.begin_write().await?;
        let report = tx.claim(&events).await?;
        let new = events
            .into_iter()
            .zip(&report.is_new)
            .filter_map(|(event, new)| new.then_some(event))
            .collect();
        tx.write(WriteSet {
            events: new,
            detections: detections.to_vec(),
            ..WriteSet::default()
        })
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Events matching `query`, newest first (by time, then id), one page at a time.
    async fn events(&self, query: &EventQuery) -> Result<EventPage>;

    /// How many events matching `query` have each value of `field`, most frequent first
    /// (ties by value). Events without the field are not counted. `query.limit` caps the
    /// number of values returned; its cursor is ignored.
    async fn count_by(&self, field: &str, query: &EventQuery) -> Result<Vec<FieldCount>>;

    /// Detections stored for events in the query's time range, newest first. Field filters
    /// apply to the detection's attributes ([`Detection::FILTERABLE`]).
    async fn detections(&self, query: &EventQuery) -> Result<Vec<Detection>>;

    /// Deletes events (and their detections) older than `cutoff`; returns how many events.
    async fn purge_before(&self, cutoff: DateTime<Utc>) -> Result<u64>;

    /// Alerts matching `query`, newest first (by first seen, then id), one page at a time.
    async fn alerts(&self, query: &AlertQuery) -> Result<AlertPage>;

    /// The alert with `id`, or a `NotFound` error.
    async fn alert(&self, id: &str) -> Result<Alert>;

    /// How many alerts matching `query` there are by severity and by status (its page is
    /// ignored).
    async fn alert_counts(&self, query: &AlertQuery) -> Result<AlertCounts>;

    /// Applies a person's action to an alert (acknowledge, resolve) and returns it as it is
    /// now: `NotFound` for an unknown id, `Conflict` when its status does not allow the action
    /// ([`crate::alert::AlertStatus::after`]).
    async fn act_on_alert(&self, id: &str, update: AlertUpdate) -> Result<Alert>;

    /// Stores a new silence (checked by the caller); a used id is a `Conflict`.
    async fn add_silence(&self, silence: &Silence) -> Result<()>;

    /// The stored silences by id, only those active at `active_at` when given.
    async fn silences(&self, active_at: Option<DateTime<Utc>>) -> Result<Vec<Silence>>;

    /// Ends a silence at `at` (if it would end later) and returns it; `NotFound` for an
    /// unknown id.
    async fn expire_silence(&self, id: &str, at: DateTime<Utc>) -> Result<Silence>;

    /// Flushes and closes the backend; later calls fail with [`crate::error::ErrorKind::Storage`].
    async fn close(&self) -> Result<()>;
}

/// Opens the backend a storage URL names (see the module docs for the forms).
///
/// ```
/// # tokio_test_block(async {
/// let storage = finmark::storage::open("memory://").await.unwrap();
/// assert!(finmark::storage::open("ftp://x").await.is_err());
/// # });
/// # fn tokio_test_block<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
/// # }
/// ```
pub async fn open(url: &str) -> Result<Arc<dyn Storage>> {
    match StorageUrl::parse(url)? {
        StorageUrl::Memory => Ok(Arc::new(MemoryStorage::new())),
        StorageUrl::Sqlite(path) => Ok(Arc::new(SqliteStorage::open(&path).await?)),
        StorageUrl::Postgres(url) => Ok(Arc::new(PostgresStorage::open(&url).await?)),
    }
}

/// A parsed storage URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageUrl {
    /// `memory://`.
    Memory,
    /// `sqlite://PATH` (or `sqlite:PATH`): the database file's path.
    Sqlite(String),
    /// `postgres://...` or `postgresql://...`: the whole URL.
    Postgres(String),
}

impl StorageUrl {
    /// Parses a storage URL, with an [`crate::error::ErrorKind::InvalidQuery`] error that lists the
    /// valid forms.
    pub fn parse(url: &str) -> Result<StorageUrl> {
        let invalid = |why: &str| {
            Error::invalid_query(format!(
                "invalid storage URL '{url}': {why}; expected memory://, sqlite://PATH or postgres://USER@HOST:PORT/DB"
            ))
        };
        let (scheme, rest) = url.split_once(':').ok_or_else(|| invalid("no scheme"))?;
        match scheme.to_ascii_lowercase().as_str() {
            "memory" => Ok(StorageUrl::Memory),
            "sqlite" => {
                let path = rest.strip_prefix("//").unwrap_or(rest);
                let path = path.split('?').next().unwrap_or_default();
                if path.is_empty() {
                    return Err(invalid("no database file path"));
                }
                Ok(StorageUrl::Sqlite(path.to_string()))
            }
            "postgres" | "postgresql" => {
                if !rest.starts_with("//") {
                    return Err(invalid("expected // after postgres:"));
                }
                Ok(StorageUrl::Postgres(url.to_string()))
            }
            other => Err(invalid(&format!("unknown scheme '{other}'"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        assert_eq!(StorageUrl::parse("memory://").unwrap(), StorageUrl::Memory);
        assert_eq!(
            StorageUrl::parse("sqlite://a/b.db").unwrap(),
            StorageUrl::Sqlite("a/b.db".into())
        );
        assert_eq!(
            StorageUrl::parse("sqlite:///tmp/x.db").unwrap(),
            StorageUrl::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            StorageUrl::parse("sqlite:x.db").unwrap(),
            StorageUrl::Sqlite("x.db".into())
        );
        assert!(matches!(
            StorageUrl::parse("postgres://u@h/db").unwrap(),
            StorageUrl::Postgres(_)
        ));
        for bad in ["", "nope", "ftp://x", "sqlite://", "postgres:x"] {
            let e = StorageUrl::parse(bad).unwrap_err();
            assert_eq!(e.kind(), crate::error::ErrorKind::InvalidQuery, "{bad}");
        }
    }
}

//! The embedded SQLite backend.

use super::query::{EventPage, EventQuery, FieldCount};
use super::{Storage, WriteReport};
use crate::detect::Match;
use crate::error::{Error, Result};
use crate::event::Event;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Storage in one SQLite file.
pub struct SqliteStorage;

impl SqliteStorage {
    /// Opens (creating if needed) the database file at `path`.
    pub async fn open(path: &str) -> Result<Self> {
        Err(Error::storage(format!(
            "sqlite backend for {path} is not built yet"
        )))
    }
}

#[async_trait]
impl Storage for SqliteStorage {
    async fn write(&self, _: &[Event], _: &[Match]) -> Result<WriteReport> {
        unreachable!()
    }
    async fn events(&self, _: &EventQuery) -> Result<EventPage> {
        unreachable!()
    }
    async fn count_by(&self, _: &str, _: &EventQuery) -> Result<Vec<FieldCount>> {
        unreachable!()
    }
    async fn detections(&self, _: &EventQuery) -> Result<Vec<Match>> {
        unreachable!()
    }
    async fn purge_before(&self, _: DateTime<Utc>) -> Result<u64> {
        unreachable!()
    }
    async fn close(&self) -> Result<()> {
        unreachable!()
    }
}

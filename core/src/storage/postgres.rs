//! The embedded PostgreSQL backend.

use super::query::{EventPage, EventQuery, FieldCount};
use super::{Storage, WriteReport};
use crate::detect::Match;
use crate::error::{Error, Result};
use crate::event::Event;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Storage in a PostgreSQL database.
pub struct PostgresStorage;

impl PostgresStorage {
    /// Opens (creating if needed) a connection to the database at URL `path`.
    pub async fn open(path: &str) -> Result<Self> {
        Err(Error::storage(format!(
            "postgres backend for {path} is not built yet"
        )))
    }
}

#[async_trait]
impl Storage for PostgresStorage {
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

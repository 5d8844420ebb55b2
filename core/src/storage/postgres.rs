//! The PostgreSQL backend: one database shared by any number of engine processes.

use super::alerts::{AlertCounts, AlertPage, AlertQuery};
use super::query::{EventPage, EventQuery, FieldCount};
use super::sql::{
    self, Batch, DetectionRow, Dialect, FieldGrouping, Migration, Param, Sql, SqlStore,
    SqlTransaction,
};
use super::{LoadRequest, Loaded, Storage, WriteReport, WriteSet, WriteTransaction};
use crate::alert::{Alert, AlertUpdate, Silence};
use crate::detection::Detection;
use crate::error::{Error, Result};
use crate::event::{Event, Value};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgArguments, PgConnectOptions, PgConnection, PgPoolOptions};
use sqlx::query::Query;
use sqlx::{Connection, Postgres, Row};
use std::collections::HashSet;
use std::str::FromStr;

/// The schema, applied on open (sqlx serialises concurrent migrations with an advisory lock).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Connections in the pool of one process.
const MAX_CONNECTIONS: u32 = 8;
/// Events per `INSERT`: a batch goes in chunks, so that encoding one overlaps inserting the
/// one before.
const EVENTS_PER_INSERT: usize = 1000;

/// Stores a batch of events: the arrays `unnest` into rows, and the ids stored now come back.
const INSERT_EVENTS: &str = "INSERT INTO events (id, time_us, fields) \
     SELECT id, time_us, fields::json \
     FROM unnest($1::text[], $2::int8[], $3::text[]) AS batch (id, time_us, fields) \
     ON CONFLICT (id) DO NOTHING RETURNING id";

/// Stores a batch of detections, skipping those already stored.
const INSERT_DETECTIONS: &str = "INSERT INTO detections \
     (event_id, rule_id, event_time_us, title, level, severity, event_index, tags, fields) \
     SELECT event_id, rule_id, event_time_us, title, level, severity, event_index, \
     tags::jsonb, fields::jsonb \
     FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[], \
     $7::int8[], $8::text[], $9::text[]) \
     AS batch (event_id, rule_id, event_time_us, title, level, severity, event_index, tags, fields) \
     ON CONFLICT (event_id, rule_id) DO NOTHING";

/// Storage in a PostgreSQL database, opened with a `postgres://USER@HOST:PORT/DB` URL.
///
/// Several processes may share the database: a batch is one transaction, and an event id
/// (or detection) written by two of them at once is stored once.
pub struct PostgresStorage {
    store: SqlStore<Postgres>,
}

impl PostgresStorage {
    /// Connects to the database at `url` and applies the migrations.
    pub async fn open(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| Error::invalid_query(format!("invalid PostgreSQL URL: {e}")))?;
        let label = format!(
            "PostgreSQL postgres://{}@{}:{}/{}",
            options.get_username(),
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
        // A plain connection first, to report a server that cannot be reached at once: the
        // pool would retry until its timeout and then report only that it timed out.
        let probe = PgConnection::connect_with(&options)
            .await
            .map_err(|e| Error::storage(format!("cannot connect to {label}: {e}")))?;
        let _ = probe.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_lazy_with(options);
        let migration: Migration<'_> = Box::pin(MIGRATOR.run(&pool));
        migration.await.map_err(|e| {
            Error::storage(format!("cannot migrate {label} to the current schema: {e}"))
        })?;
        Ok(PostgresStorage {
            store: SqlStore::new(pool, label),
        })
    }
}

/// Events as one array per column, bound to [`INSERT_EVENTS`].
struct EventColumns<'a> {
    ids: Vec<&'a str>,
    times: Vec<i64>,
    fields: Vec<String>,
}

impl<'a> EventColumns<'a> {
    /// The columns of `events`, with each event's fields as JSON text.
    fn of(events: &[&'a Event]) -> Self {
        EventColumns {
            ids: events.iter().map(|e| e.id.as_str()).collect(),
            times: events.iter().map(|e| e.time.timestamp_micros()).collect(),
            fields: events.iter().map(|e| sql::fields_json(&e.fields)).collect(),
        }
    }

    /// The `INSERT` of these events, returning the ids stored now.
    fn insert(self) -> Query<'a, Postgres, PgArguments> {
        sqlx::query(INSERT_EVENTS)
            .bind(self.ids)
            .bind(self.times)
            .bind(self.fields)
    }
}

/// The detections as one array per column, sorted by key so that concurrent writers lock
/// rows in the same order.
#[derive(Default)]
struct DetectionColumns {
    event_id: Vec<String>,
    rule_id: Vec<String>,
    event_time_us: Vec<i64>,
    title: Vec<String>,
    level: Vec<String>,
    severity: Vec<String>,
    event_index: Vec<i64>,
    tags: Vec<String>,
    fields: Vec<String>,
}

impl DetectionColumns {
    /// The columns of `matches`, sorted by (event id, rule id).
    fn of(matches: &[Detection]) -> DetectionColumns {
        let mut rows: Vec<DetectionRow> = matches.iter().map(DetectionRow::of).collect();
        rows.sort_unstable_by(|a, b| (&a.event_id, &a.rule_id).cmp(&(&b.event_id, &b.rule_id)));
        let mut columns = DetectionColumns::default();
        for row in rows {
            columns.event_id.push(row.event_id);
            columns.rule_id.push(row.rule_id);
            columns.event_time_us.push(row.event_time_us);
            columns.title.push(row.title);
            columns.level.push(row.level);
            columns.severity.push(row.severity);
            columns.event_index.push(row.event_index);
            columns.tags.push(row.tags);
            columns.fields.push(row.fields);
        }
        columns
    }

    /// The `INSERT` of these detections.
    fn insert(self) -> Query<'static, Postgres, PgArguments> {
        sqlx::query(INSERT_DETECTIONS)
            .bind(self.event_id)
            .bind(self.rule_id)
            .bind(self.event_time_us)
            .bind(self.title)
            .bind(self.level)
            .bind(self.severity)
            .bind(self.event_index)
            .bind(self.tags)
            .bind(self.fields)
    }
}

/// PostgreSQL's JSON operators over the `fields` column (JSON text; the field compared is
/// cast to `jsonb`).
impl Dialect for Postgres {
    const MARKER: char = '$';
    const LOCK_ROWS: &'static str = " FOR UPDATE";
    const BEGIN_WRITE: &'static str = "BEGIN";

    fn json_text(column: &str) -> String {
        format!("{column}::text")
    }

    fn push_field_equals(sql: &mut Sql, name: &str, value: &Value) {
        // jsonb equality is typed and compares numbers by value. A float that is not finite
        // has no JSON form and equals nothing.
        if matches!(value, Value::Float(f) if !f.is_finite()) {
            sql.push("FALSE");
            return;
        }
        let name = sql.bind(Param::Text(name.to_string()));
        let value = sql.bind(Param::Text(value.to_json().to_string()));
        sql.push(&format!("(fields -> {name})::jsonb = {value}::jsonb"));
    }

    fn field_grouping(sql: &mut Sql, name: &str) -> FieldGrouping {
        let name = sql.bind(Param::Text(name.to_string()));
        FieldGrouping {
            json: format!("((fields -> {name})::jsonb)::text"),
            // `->` gives SQL NULL for a missing field, JSON null for a null one.
            present: format!("(fields -> {name}) IS NOT NULL"),
            group_by: format!("(fields -> {name})::jsonb"),
        }
    }
}

/// The write transaction of one batch. Events and detections are inserted with `ON CONFLICT
/// DO NOTHING`, so concurrent batches from other processes never fail on each other's rows;
/// stage state is locked per key with transaction-level advisory locks.
struct PostgresTransaction {
    sql: SqlTransaction<Postgres>,
}

#[async_trait]
impl WriteTransaction for PostgresTransaction {
    async fn claim(&mut self, events: &[Event]) -> Result<WriteReport> {
        let failed = self.sql.failed("storing events");
        let batch = Batch::of(events);
        let mut unique = batch.unique();
        // Concurrent writers of overlapping batches lock ids in the same order: no deadlock.
        unique.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let mut chunks = unique.chunks(EVENTS_PER_INSERT).map(EventColumns::of);
        let mut returned = Vec::with_capacity(unique.len());
        let mut next = chunks.next();
        while let Some(columns) = next {
            // The server inserts this chunk while the next one is encoded (`biased` polls the
            // insert first, which sends it).
            let insert = columns.insert().fetch_all(&mut *self.sql.tx);
            let (rows, following) = tokio::join!(biased; insert, async { chunks.next() });
            returned.extend(rows.map_err(&failed)?);
            next = following;
        }
        // RETURNING gave the ids stored now; usually all of them.
        let new_ids: Option<HashSet<String>> = if returned.len() == unique.len() {
            None
        } else {
            let ids = returned.iter().map(|row| row.try_get::<String, _>(0));
            Some(ids.collect::<Result<_, _>>().map_err(&failed)?)
        };
        Ok(batch.report(|id| new_ids.as_ref().is_none_or(|ids| ids.contains(id))))
    }

    async fn load(&mut self, request: &LoadRequest) -> Result<Loaded> {
        let failed = self.sql.failed("locking stage state");
        let mut keys: Vec<String> = request
            .state
            .iter()
            .cloned()
            .chain(
                request
                    .alert_fingerprints
                    .iter()
                    .map(|fp| format!("alert/{fp}")),
            )
            .collect();
        // One order for every process: no deadlock between two batches locking keys.
        keys.sort_unstable();
        keys.dedup();
        if !keys.is_empty() {
            sqlx::query(
                "SELECT pg_advisory_xact_lock(h) FROM (SELECT hashtextextended(k, 0) AS h \
                 FROM unnest($1::text[]) AS k ORDER BY k) AS sorted",
            )
            .bind(keys)
            .execute(&mut *self.sql.tx)
            .await
            .map_err(&failed)?;
        }
        self.sql.load(request).await
    }

    async fn write(&mut self, set: WriteSet) -> Result<()> {
        if !set.detections.is_empty() {
            let failed = self.sql.failed("storing detections");
            DetectionColumns::of(&set.detections)
                .insert()
                .execute(&mut *self.sql.tx)
                .await
                .map_err(&failed)?;
        }
        self.sql.save_state(set.state).await?;
        self.sql.write_alerts(&set.alerts).await
    }

    async fn commit(self: Box<Self>) -> Result<()> {
        self.sql.commit().await
    }
}

#[async_trait]
impl Storage for PostgresStorage {
    async fn begin_write(&self) -> Result<Box<dyn WriteTransaction>> {
        Ok(Box::new(PostgresTransaction {
            sql: self.store.begin().await?,
        }))
    }

    async fn events(&self, query: &EventQuery) -> Result<EventPage> {
        self.store.events(query).await
    }

    async fn count_by(&self, field: &str, query: &EventQuery) -> Result<Vec<FieldCount>> {
        self.store.count_by(field, query).await
    }

    async fn detections(&self, query: &EventQuery) -> Result<Vec<Detection>> {
        self.store.detections(query).await
    }

    async fn purge_before(&self, cutoff: DateTime<Utc>) -> Result<u64> {
        self.store.purge_before(cutoff).await
    }

    async fn alerts(&self, query: &AlertQuery) -> Result<AlertPage> {
        self.store.alerts(query).await
    }

    async fn alert(&self, id: &str) -> Result<Alert> {
        self.store.alert(id).await
    }

    async fn alert_counts(&self, query: &AlertQuery) -> Result<AlertCounts> {
        self.store.alert_counts(query).await
    }

    async fn act_on_alert(&self, id: &str, update: AlertUpdate) -> Result<Alert> {
        self.store.act_on_alert(id, update).await
    }

    async fn add_silence(&self, silence: &Silence) -> Result<()> {
        self.store.add_silence(silence).await
    }

    async fn silences(&self, active_at: Option<DateTime<Utc>>) -> Result<Vec<Silence>> {
        self.store.silences(active_at).await
    }

    async fn expire_silence(&self, id: &str, at: DateTime<Utc>) -> Result<Silence> {
        self.store.expire_silence(id, at).await
    }

    async fn close(&self) -> Result<()> {
        self.store.close().await
    }
}

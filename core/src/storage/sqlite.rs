//! The embedded SQLite backend: one database file in WAL mode.

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
use sqlx::query::Query;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Sqlite};
use std::collections::HashSet;
use std::time::Duration;

/// The schema, applied on open.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// How long a write waits for another connection's (or process's) write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections in the pool: SQLite writes one transaction at a time, WAL lets reads run beside it.
const MAX_CONNECTIONS: u32 = 4;
/// Page cache per connection, in KiB (SQLite's negative `cache_size`).
const CACHE_KIB: i64 = 32 * 1024;
/// Bytes per database page, for new files: larger than SQLite's 4 KiB default because events
/// are large rows, and fewer, fuller pages make both inserts and scans cheaper.
const PAGE_SIZE: u32 = 8192;
/// Pages the WAL may grow to before a commit copies them into the database file (64 MiB):
/// less often than SQLite's default 1,000 pages, so a page changed by several batches is
/// copied once.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 8192;
/// Events per `INSERT` statement: 3 parameters each, well within SQLite's 32,766.
const EVENTS_PER_INSERT: usize = 1000;
/// Detections per `INSERT` statement: 9 parameters each.
const DETECTIONS_PER_INSERT: usize = 500;

/// Storage in one SQLite file, opened with the URL `sqlite://PATH` (the default storage).
///
/// The file is created when missing and kept in WAL mode with `synchronous = NORMAL`: a
/// committed batch survives a crash of the process; a power loss may lose the last batches
/// but never corrupts the file. Several processes may open the same file; their writes take
/// turns.
pub struct SqliteStorage {
    store: SqlStore<Sqlite>,
}

impl SqliteStorage {
    /// Opens (creating if needed) the database file at `path` and applies the migrations.
    pub async fn open(path: &str) -> Result<Self> {
        if path == ":memory:" {
            // Every pooled connection would get a database of its own.
            return Err(Error::invalid_query(
                "sqlite://:memory: is not supported: use memory:// for storage in memory",
            ));
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .page_size(PAGE_SIZE)
            .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string())
            .pragma("cache_size", (-CACHE_KIB).to_string())
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(|e| Error::storage(format!("cannot open SQLite database '{path}': {e}")))?;
        let migration: Migration<'_> = Box::pin(MIGRATOR.run(&pool));
        migration.await.map_err(|e| {
            Error::storage(format!(
                "cannot migrate SQLite database '{path}' to the current schema: {e}"
            ))
        })?;
        Ok(SqliteStorage {
            store: SqlStore::new(pool, format!("SQLite database '{path}'")),
        })
    }
}

/// `INSERT OR IGNORE INTO table (columns) VALUES (?, ...), ...` for `rows` rows.
///
/// `OR IGNORE` skips a row whose key is already stored. (It would also skip a row breaking a
/// NOT NULL constraint, but no column is ever bound to NULL.) Unlike `ON CONFLICT DO
/// NOTHING`, it spares SQLite a statement journal for the multi-row statement.
fn insert_sql(table_columns: &str, columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    format!(
        "INSERT OR IGNORE INTO {table_columns} VALUES {}",
        vec![row; rows].join(", ")
    )
}

/// One multi-row `INSERT` of events.
fn insert_events(chunk: &[&Event]) -> Query<'static, Sqlite, SqliteArguments> {
    let text = insert_sql("events (id, time_us, fields)", 3, chunk.len());
    chunk
        .iter()
        .fold(sqlx::query(AssertSqlSafe(text)), |query, event| {
            query
                .bind(event.id.clone())
                .bind(event.time.timestamp_micros())
                .bind(sql::fields_json(&event.fields))
        })
}

/// One multi-row `INSERT` of detections.
fn insert_detections(chunk: &[Detection]) -> Query<'static, Sqlite, SqliteArguments> {
    let text = insert_sql(
        "detections (event_id, rule_id, event_time_us, title, level, severity, event_index, \
         tags, fields)",
        9,
        chunk.len(),
    );
    chunk
        .iter()
        .map(DetectionRow::of)
        .fold(sqlx::query(AssertSqlSafe(text)), |query, row| {
            query
                .bind(row.event_id)
                .bind(row.rule_id)
                .bind(row.event_time_us)
                .bind(row.title)
                .bind(row.level)
                .bind(row.severity)
                .bind(row.event_index)
                .bind(row.tags)
                .bind(row.fields)
        })
}

/// The path of a field in a `fields` object: `$."name"`, the name quoted as a JSON string
/// (SQLite reads the escapes), so dots, quotes and brackets in names are taken literally.
fn json_path(name: &str) -> Param {
    Param::Text(format!("$.{}", serde_json::Value::from(name)))
}

/// SQLite's JSON functions over the `fields` text column.
impl Dialect for Sqlite {
    const MARKER: char = '?';
    // IMMEDIATE takes the write lock at once, so the transaction never has to upgrade a read
    // lock (which fails with SQLITE_BUSY when another process writes meanwhile).
    const LOCK_ROWS: &'static str = "";
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";

    fn json_text(column: &str) -> String {
        column.to_string()
    }

    fn push_field_equals(sql: &mut Sql, name: &str, value: &Value) {
        let path = sql.bind(json_path(name));
        let kind = format!("json_type(fields, {path})");
        let (kinds, compared) = match value {
            Value::Null => ("'null'", None),
            Value::Bool(true) => ("'true'", None),
            Value::Bool(false) => ("'false'", None),
            Value::Int(i) => ("'integer', 'real'", Some(Param::Int(*i))),
            Value::Float(f) => ("'integer', 'real'", Some(Param::Float(*f))),
            Value::String(s) => ("'text'", Some(Param::Text(s.clone()))),
            Value::List(_) => ("'array'", Some(Param::Text(value.to_json().to_string()))),
        };
        sql.push(&format!("({kind} IN ({kinds})"));
        if let Some(param) = compared {
            let value = sql.bind(param);
            sql.push(&format!(" AND json_extract(fields, {path}) = {value}"));
        }
        sql.push(")");
    }

    fn field_grouping(sql: &mut Sql, name: &str) -> FieldGrouping {
        let path = sql.bind(json_path(name));
        FieldGrouping {
            json: format!("fields -> {path}"),
            present: format!("json_type(fields, {path}) IS NOT NULL"),
            // Integers and reals are one kind of value (500 and 500.0 count together);
            // true, 1 and "1" are three.
            group_by: format!(
                "CASE json_type(fields, {path}) WHEN 'real' THEN 'integer' \
                 ELSE json_type(fields, {path}) END, json_extract(fields, {path})"
            ),
        }
    }
}

/// The write transaction of one batch: `BEGIN IMMEDIATE` holds SQLite's write lock from the
/// start, so the whole batch (and its stage state) is one step in the database's history.
struct SqliteTransaction {
    sql: SqlTransaction<Sqlite>,
}

#[async_trait]
impl WriteTransaction for SqliteTransaction {
    async fn claim(&mut self, events: &[Event]) -> Result<WriteReport> {
        let failed = self.sql.failed("storing events");
        let tx = &mut self.sql.tx;
        // New rows get rowids above the largest one stored before (SQLite's rowid rule;
        // nobody else inserts meanwhile: the transaction holds the write lock).
        let last_rowid: i64 = sqlx::query_scalar("SELECT coalesce(max(rowid), 0) FROM events")
            .fetch_one(&mut **tx)
            .await
            .map_err(&failed)?;
        let batch = Batch::of(events);
        let unique = batch.unique();
        let mut inserted = 0;
        let mut chunks = unique.chunks(EVENTS_PER_INSERT).map(insert_events);
        let mut next = chunks.next();
        while let Some(insert) = next {
            // SQLite's thread inserts this chunk while this one encodes the next (`biased`
            // polls the insert first, which hands it over).
            let running = insert.execute(&mut **tx);
            let (result, following) = tokio::join!(biased; running, async { chunks.next() });
            inserted += result.map_err(&failed)?.rows_affected();
            next = following;
        }
        // Usually every event is new; otherwise the new rows tell which.
        let new_ids: Option<HashSet<String>> = if inserted == unique.len() as u64 {
            None
        } else {
            let ids = sqlx::query_scalar("SELECT id FROM events WHERE rowid > ?1")
                .bind(last_rowid)
                .fetch_all(&mut **tx)
                .await
                .map_err(&failed)?;
            Some(ids.into_iter().collect())
        };
        Ok(batch.report(|id| new_ids.as_ref().is_none_or(|ids| ids.contains(id))))
    }

    async fn load(&mut self, request: &LoadRequest) -> Result<Loaded> {
        // The write lock taken by BEGIN IMMEDIATE already keeps other processes out.
        self.sql.load(request).await
    }

    async fn write(&mut self, set: WriteSet) -> Result<()> {
        let failed = self.sql.failed("storing detections");
        for chunk in set.detections.chunks(DETECTIONS_PER_INSERT) {
            insert_detections(chunk)
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
impl Storage for SqliteStorage {
    async fn begin_write(&self) -> Result<Box<dyn WriteTransaction>> {
        Ok(Box::new(SqliteTransaction {
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

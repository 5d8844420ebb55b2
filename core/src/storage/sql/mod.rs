//! What the SQLite and PostgreSQL backends share: the queries, the rows, and [`SqlStore`],
//! which runs every operation but the batch write the same way on both.
//!
//! The two dialects differ in their placeholders, in how they reach into a JSON column and
//! in how they write a batch fast; [`Dialect`] names the first two, and each backend writes
//! batches its own way.

mod alerts;
mod rows;
mod statements;

pub(super) use rows::{Batch, DetectionRow, StateRow, fields_json};
pub(super) use statements::{Dialect, FieldGrouping, Param, Sql};

use super::alerts::{
    AlertCounts, AlertPage, AlertQuery, alert_not_found, silence_exists, silence_not_found,
};
use super::query::{EventPage, EventQuery, FieldCount};
use super::{LoadRequest, Loaded, StateRecord};
use crate::alert::{Alert, AlertUpdate, Silence};
use crate::detection::Detection;
use crate::error::{Error, Result};
use alerts::{AlertCountRow, AlertRow, EntityAlertRow, SilenceRow};
use chrono::{DateTime, Utc};
use rows::{CountRow, EventRow};
use sqlx::migrate::MigrateError;
use sqlx::{
    AssertSqlSafe, Database, Encode, Executor, FromRow, IntoArguments, Pool, Type, query::Query,
};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// Applying the migrations, as a boxed `Send` future.
///
/// Awaiting `Migrator::run` directly makes the enclosing future not provably `Send` (its
/// higher-ranked `Acquire` bound, rust-lang/rust#102211), and the bindings spawn the engine's
/// futures on multi-threaded runtimes. Boxing it where its lifetimes are concrete proves it.
pub(super) type Migration<'a> = Pin<Box<dyn Future<Output = Result<(), MigrateError>> + Send + 'a>>;

/// A pool of connections to one SQL database, and the queries, purge and close that both
/// SQL backends run the same way.
pub(super) struct SqlStore<DB: Database> {
    pool: Pool<DB>,
    /// Names the database in messages, without any password.
    label: Arc<str>,
}

impl<DB> SqlStore<DB>
where
    DB: Database + Dialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    DB::QueryResult: RowsAffected,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> f64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Vec<u8>: Encode<'q, DB> + Type<DB>,
    for<'r> EventRow: FromRow<'r, DB::Row>,
    for<'r> StateRow: FromRow<'r, DB::Row>,
    for<'r> CountRow: FromRow<'r, DB::Row>,
    for<'r> DetectionRow: FromRow<'r, DB::Row>,
    for<'r> AlertRow: FromRow<'r, DB::Row>,
    for<'r> SilenceRow: FromRow<'r, DB::Row>,
    for<'r> AlertCountRow: FromRow<'r, DB::Row>,
    for<'r> EntityAlertRow: FromRow<'r, DB::Row>,
{
    /// A store on `pool`; `label` names the database in messages.
    pub fn new(pool: Pool<DB>, label: String) -> Self {
        SqlStore {
            pool,
            label: label.into(),
        }
    }

    /// The pool, or a storage error once closed.
    pub fn pool(&self) -> Result<&Pool<DB>> {
        if self.pool.is_closed() {
            return Err(Error::storage(format!("{} is closed", self.label)));
        }
        Ok(&self.pool)
    }

    /// Turns a driver error into a storage error naming the database and what was being done.
    pub fn failed(&self, doing: &'static str) -> impl Fn(sqlx::Error) -> Error + use<DB> {
        failure(&self.label, doing)
    }

    /// Begins a transaction that will write ([`Dialect::BEGIN_WRITE`]).
    pub async fn begin(&self) -> Result<SqlTransaction<DB>> {
        let tx = self
            .pool()?
            .begin_with(DB::BEGIN_WRITE)
            .await
            .map_err(self.failed("beginning a batch"))?;
        Ok(SqlTransaction {
            tx,
            label: Arc::clone(&self.label),
        })
    }

    /// Runs a built query and returns its rows.
    async fn fetch(&self, sql: Sql, doing: &'static str) -> Result<Vec<DB::Row>> {
        statement(sql)
            .fetch_all(self.pool()?)
            .await
            .map_err(self.failed(doing))
    }

    /// Decodes fetched rows into rows of type `R`, then into values.
    fn decode<R, T>(&self, rows: &[DB::Row], into: impl Fn(R) -> Result<T>) -> Result<Vec<T>>
    where
        for<'r> R: FromRow<'r, DB::Row>,
    {
        rows.iter()
            .map(|row| into(R::from_row(row).map_err(self.failed("reading a row"))?))
            .collect()
    }

    /// See [`super::Storage::events`].
    pub async fn events(&self, query: &EventQuery) -> Result<EventPage> {
        let limit = query.effective_limit()?;
        let rows = self
            .fetch(
                statements::select_events::<DB>(query, limit),
                "querying events",
            )
            .await?;
        let events = self.decode(&rows, EventRow::into_event)?;
        Ok(EventPage::from_fetched(events, limit))
    }

    /// See [`super::Storage::count_by`].
    pub async fn count_by(&self, field: &str, query: &EventQuery) -> Result<Vec<FieldCount>> {
        let limit = query.effective_limit()?;
        let rows = self
            .fetch(
                statements::count_values::<DB>(field, query, limit),
                "counting field values",
            )
            .await?;
        let counts = self.decode(&rows, CountRow::into_count)?;
        Ok(FieldCount::rank(counts, limit))
    }

    /// See [`super::Storage::detections`].
    pub async fn detections(&self, query: &EventQuery) -> Result<Vec<Detection>> {
        let limit = query.effective_limit()?;
        let Some(sql) = statements::select_detections::<DB>(query, limit) else {
            self.pool()?;
            return Ok(Vec::new());
        };
        let rows = self.fetch(sql, "querying detections").await?;
        self.decode(&rows, DetectionRow::into_detection)
    }

    /// See [`super::Storage::purge_before`].
    pub async fn purge_before(&self, cutoff: DateTime<Utc>) -> Result<u64> {
        let failed = self.failed("purging old events");
        let cutoff = cutoff.timestamp_micros();
        let mut tx = self
            .pool()?
            .begin_with(DB::BEGIN_WRITE)
            .await
            .map_err(&failed)?;
        statement(delete_before::<DB>("detections", "event_time_us", cutoff))
            .execute(&mut *tx)
            .await
            .map_err(&failed)?;
        let purged = statement(delete_before::<DB>("events", "time_us", cutoff))
            .execute(&mut *tx)
            .await
            .map_err(&failed)?
            .rows_affected();
        tx.commit().await.map_err(&failed)?;
        Ok(purged)
    }

    /// See [`super::Storage::alerts`].
    pub async fn alerts(&self, query: &AlertQuery) -> Result<AlertPage> {
        let limit = query.effective_limit()?;
        let after = query.cursor_position()?;
        let rows = self
            .fetch(
                alerts::select_alerts::<DB>(query, after, limit),
                "querying alerts",
            )
            .await?;
        Ok(AlertPage::from_fetched(
            self.decode(&rows, AlertRow::into_alert)?,
            limit,
        ))
    }

    /// See [`super::Storage::alert`].
    pub async fn alert(&self, id: &str) -> Result<Alert> {
        let rows = self
            .fetch(alerts::select_alert::<DB>(id, false), "reading an alert")
            .await?;
        self.decode(&rows, AlertRow::into_alert)?
            .pop()
            .ok_or_else(|| alert_not_found(id))
    }

    /// See [`super::Storage::alert_counts`].
    pub async fn alert_counts(&self, query: &AlertQuery) -> Result<AlertCounts> {
        let rows = self
            .fetch(alerts::count_alerts::<DB>(query), "counting alerts")
            .await?;
        let rows = self.decode(&rows, |r: AlertCountRow| {
            Ok((r.severity, r.status, u64::try_from(r.n).unwrap_or_default()))
        })?;
        Ok(AlertCounts::of(rows))
    }

    /// See [`super::Storage::act_on_alert`].
    pub async fn act_on_alert(&self, id: &str, update: AlertUpdate) -> Result<Alert> {
        let mut tx = self.begin().await?;
        let mut alert = tx
            .fetch_as(
                alerts::select_alert::<DB>(id, true),
                "reading an alert",
                AlertRow::into_alert,
            )
            .await?
            .pop()
            .ok_or_else(|| alert_not_found(id))?;
        alert.status = alert.status.after(update.action)?;
        alert.updated = Some(update);
        let failed = self.failed("updating an alert");
        statement(alerts::update_alert_status::<DB>(&alert))
            .execute(&mut *tx.tx)
            .await
            .map_err(&failed)?;
        tx.commit().await?;
        Ok(alert)
    }

    /// See [`super::Storage::add_silence`].
    pub async fn add_silence(&self, silence: &Silence) -> Result<()> {
        let added = statement(alerts::insert_silence::<DB>(silence))
            .execute(self.pool()?)
            .await
            .map_err(self.failed("adding a silence"))?
            .rows_affected();
        if added == 0 {
            return Err(silence_exists(&silence.id));
        }
        Ok(())
    }

    /// See [`super::Storage::silences`].
    pub async fn silences(&self, active_at: Option<DateTime<Utc>>) -> Result<Vec<Silence>> {
        let sql = alerts::select_silences::<DB>(active_at.map(|t| t.timestamp_micros()));
        let rows = self.fetch(sql, "listing silences").await?;
        self.decode(&rows, SilenceRow::into_silence)
    }

    /// See [`super::Storage::expire_silence`].
    pub async fn expire_silence(&self, id: &str, at: DateTime<Utc>) -> Result<Silence> {
        let changed = statement(alerts::expire_silence::<DB>(id, at.timestamp_micros()))
            .execute(self.pool()?)
            .await
            .map_err(self.failed("expiring a silence"))?
            .rows_affected();
        if changed == 0 {
            return Err(silence_not_found(id));
        }
        let all = self.silences(None).await?;
        all.into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| silence_not_found(id))
    }

    /// See [`super::Storage::close`].
    pub async fn close(&self) -> Result<()> {
        self.pool()?.close().await;
        Ok(())
    }
}

/// A driver error as a storage error naming the database and what was being done.
fn failure(label: &Arc<str>, doing: &'static str) -> impl Fn(sqlx::Error) -> Error + use<> {
    let label = Arc::clone(label);
    move |e| Error::storage(format!("{label}: {doing}: {e}"))
}

/// The write transaction of one batch on a SQL database, and the steps both SQL backends
/// take the same way (state checkpoints, commit); each backend adds its own claim of events
/// and write of detections.
pub(super) struct SqlTransaction<DB: Database> {
    /// The open transaction.
    pub tx: sqlx::Transaction<'static, DB>,
    label: Arc<str>,
}

impl<DB> SqlTransaction<DB>
where
    DB: Database + Dialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> f64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Vec<u8>: Encode<'q, DB> + Type<DB>,
    for<'r> StateRow: FromRow<'r, DB::Row>,
    for<'r> AlertRow: FromRow<'r, DB::Row>,
    for<'r> SilenceRow: FromRow<'r, DB::Row>,
    for<'r> EntityAlertRow: FromRow<'r, DB::Row>,
{
    /// Turns a driver error into a storage error naming the database and what was being done.
    pub fn failed(&self, doing: &'static str) -> impl Fn(sqlx::Error) -> Error + use<DB> {
        failure(&self.label, doing)
    }

    /// Runs a built query in the transaction and decodes its rows into `T`.
    async fn fetch_as<R, T>(
        &mut self,
        sql: Sql,
        doing: &'static str,
        into: impl Fn(R) -> Result<T>,
    ) -> Result<Vec<T>>
    where
        for<'r> R: FromRow<'r, DB::Row>,
    {
        let failed = failure(&self.label, doing);
        let rows = statement(sql)
            .fetch_all(&mut *self.tx)
            .await
            .map_err(&failed)?;
        rows.iter()
            .map(|row| into(R::from_row(row).map_err(&failed)?))
            .collect()
    }

    /// What `request` asks for (the caller has taken the locks the backend needs first).
    pub async fn load(&mut self, request: &LoadRequest) -> Result<Loaded> {
        let mut loaded = Loaded::default();
        if !request.state.is_empty() {
            loaded.state = self
                .fetch_as(
                    statements::select_state::<DB>(&request.state),
                    "loading stage state",
                    |row: StateRow| Ok(row.into_record()),
                )
                .await?;
        }
        if !request.alert_fingerprints.is_empty() {
            loaded.alerts = self
                .fetch_as(
                    alerts::select_latest::<DB>(&request.alert_fingerprints),
                    "loading alerts",
                    AlertRow::into_alert,
                )
                .await?;
        }
        if !request.inhibiting.is_empty() {
            let rows = self
                .fetch_as(
                    alerts::select_inhibiting::<DB>(&request.inhibiting),
                    "loading inhibiting alerts",
                    |row: EntityAlertRow| Ok(row),
                )
                .await?;
            for entity in &request.inhibiting {
                let text = entity.to_string();
                if let Some(row) = rows.iter().find(|r| r.entity == text) {
                    loaded
                        .inhibiting
                        .push((entity.clone(), row.alert_id.clone()));
                }
            }
        }
        if let Some((from, to)) = request.silences {
            loaded.silences = self
                .fetch_as(
                    alerts::select_silences_in::<DB>(
                        from.timestamp_micros(),
                        to.timestamp_micros(),
                    ),
                    "loading silences",
                    SilenceRow::into_silence,
                )
                .await?;
        }
        Ok(loaded)
    }

    /// Stores raised and updated alerts, with the rows of their entities.
    pub async fn write_alerts(&mut self, alerts: &[Alert]) -> Result<()> {
        let failed = failure(&self.label, "storing alerts");
        for alert in alerts {
            statement(alerts::upsert_alert::<DB>(alert))
                .execute(&mut *self.tx)
                .await
                .map_err(&failed)?;
            if !alert.entities.is_empty() {
                statement(alerts::insert_entities::<DB>(alert))
                    .execute(&mut *self.tx)
                    .await
                    .map_err(&failed)?;
            }
        }
        Ok(())
    }

    /// Stores the state checkpoints of a batch, replacing what their keys held.
    pub async fn save_state(&mut self, records: Vec<StateRecord>) -> Result<()> {
        let failed = failure(&self.label, "storing stage state");
        let now = chrono::Utc::now().timestamp_micros();
        for record in records {
            statement(statements::upsert_state::<DB>(record, now))
                .execute(&mut *self.tx)
                .await
                .map_err(&failed)?;
        }
        Ok(())
    }

    /// Commits the transaction.
    pub async fn commit(self) -> Result<()> {
        let failed = failure(&self.label, "committing a batch");
        self.tx.commit().await.map_err(failed)
    }
}

/// The number of rows a statement changed, which every driver reports its own way.
pub(super) trait RowsAffected {
    /// Rows inserted, updated or deleted.
    fn rows_affected(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows_affected(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows_affected(&self) -> u64 {
        self.rows_affected()
    }
}

/// A built query with its parameters bound.
fn statement<DB>(sql: Sql) -> Query<'static, DB, DB::Arguments>
where
    DB: Database,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> f64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Vec<u8>: Encode<'q, DB> + Type<DB>,
{
    sql.params.into_iter().fold(
        sqlx::query(AssertSqlSafe(sql.text)),
        |query, param| match param {
            Param::Int(i) => query.bind(i),
            Param::Float(f) => query.bind(f),
            Param::Text(t) => query.bind(t),
            Param::Bytes(b) => query.bind(b),
        },
    )
}

/// `DELETE` of the rows of `table` whose `column` is before `cutoff`.
fn delete_before<D: Dialect>(table: &str, column: &str, cutoff: i64) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push(&format!("DELETE FROM {table} WHERE {column} < "))
        .push_bind(Param::Int(cutoff));
    sql
}

/// A count or index as a SQL integer (saturating; no batch or page comes near).
fn as_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

//! Alerts and silences on both SQL backends: their rows and their statements.

use super::as_i64;
use super::statements::{Dialect, Param, Sql};
use crate::alert::{
    Alert, AlertSource, AlertStatus, AlertUpdate, Entity, Muting, Silence, SilenceMatcher,
};
use crate::detection::Severity;
use crate::error::{Error, Result};
use crate::event::Value;
use crate::storage::alerts::AlertQuery;
use crate::storage::query::time_from_micros;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// The columns of `alerts`, in the order every statement lists them.
pub(in crate::storage) const ALERT_COLUMNS: &str = "id, fingerprint, generation, rule_id, title, \
     severity, source, status, group_fields, entities, first_seen_us, last_seen_us, count, \
     evidence, tags, muted_by, details, updated";

/// An alert as its columns.
#[derive(Debug, sqlx::FromRow)]
pub(in crate::storage) struct AlertRow {
    id: String,
    fingerprint: String,
    generation: i64,
    rule_id: String,
    title: String,
    severity: String,
    source: String,
    status: String,
    group_fields: String,
    entities: String,
    first_seen_us: i64,
    last_seen_us: i64,
    count: i64,
    evidence: String,
    tags: String,
    muted_by: String,
    details: String,
    updated: String,
}

/// JSON text of a value that always serializes (plain data).
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

impl AlertRow {
    /// The parameters of an alert's row, in [`ALERT_COLUMNS`] order.
    fn params(alert: &Alert) -> Vec<Param> {
        vec![
            Param::Text(alert.id.clone()),
            Param::Text(alert.fingerprint.clone()),
            Param::Int(i64::try_from(alert.generation).unwrap_or(i64::MAX)),
            Param::Text(alert.rule_id.clone()),
            Param::Text(alert.title.clone()),
            Param::Text(alert.severity.as_str().to_string()),
            Param::Text(alert.source.as_str().to_string()),
            Param::Text(alert.status.as_str().to_string()),
            Param::Text(json(&alert.group)),
            Param::Text(json(&alert.entities)),
            Param::Int(alert.first_seen.timestamp_micros()),
            Param::Int(alert.last_seen.timestamp_micros()),
            Param::Int(i64::try_from(alert.count).unwrap_or(i64::MAX)),
            Param::Text(json(&alert.evidence)),
            Param::Text(json(&alert.tags)),
            Param::Text(json(&alert.muted_by)),
            Param::Text(json(&alert.details)),
            Param::Text(json(&alert.updated)),
        ]
    }

    /// The alert back.
    pub fn into_alert(self) -> Result<Alert> {
        let id = self.id;
        let invalid = |what: &str, why: &dyn std::fmt::Display| {
            Error::storage(format!("stored alert '{id}' has an invalid {what}: {why}"))
        };
        fn parsed<T: DeserializeOwned>(text: &str) -> std::result::Result<T, serde_json::Error> {
            serde_json::from_str(text)
        }
        let group: BTreeMap<String, Value> =
            parsed(&self.group_fields).map_err(|e| invalid("group", &e))?;
        let entities: Vec<Entity> = parsed(&self.entities).map_err(|e| invalid("entities", &e))?;
        let evidence: Vec<String> = parsed(&self.evidence).map_err(|e| invalid("evidence", &e))?;
        let tags: Vec<String> = parsed(&self.tags).map_err(|e| invalid("tags", &e))?;
        let muted_by: Option<Muting> = parsed(&self.muted_by).map_err(|e| invalid("muting", &e))?;
        let details: Option<serde_json::Value> =
            parsed(&self.details).map_err(|e| invalid("details", &e))?;
        let updated: Option<AlertUpdate> =
            parsed(&self.updated).map_err(|e| invalid("update", &e))?;
        Ok(Alert {
            severity: Severity::parse(&self.severity)
                .ok_or_else(|| invalid("severity", &self.severity))?,
            source: AlertSource::parse(&self.source)
                .ok_or_else(|| invalid("source", &self.source))?,
            status: AlertStatus::parse(&self.status).map_err(|e| invalid("status", &e))?,
            fingerprint: self.fingerprint,
            generation: u64::try_from(self.generation).unwrap_or_default(),
            rule_id: self.rule_id,
            title: self.title,
            group,
            entities,
            first_seen: time_from_micros(self.first_seen_us),
            last_seen: time_from_micros(self.last_seen_us),
            count: u64::try_from(self.count).unwrap_or_default(),
            evidence,
            tags,
            muted_by,
            details,
            updated,
            id,
        })
    }
}

/// A silence as its columns.
#[derive(Debug, sqlx::FromRow)]
pub(in crate::storage) struct SilenceRow {
    id: String,
    matchers: String,
    starts_us: i64,
    ends_us: i64,
    author: String,
    reason: String,
    created_us: i64,
}

impl SilenceRow {
    /// The silence back.
    pub fn into_silence(self) -> Result<Silence> {
        let matchers: Vec<SilenceMatcher> = serde_json::from_str(&self.matchers).map_err(|e| {
            Error::storage(format!(
                "stored silence '{}' has invalid matchers: {e}",
                self.id
            ))
        })?;
        Ok(Silence {
            id: self.id,
            matchers,
            starts_at: time_from_micros(self.starts_us),
            ends_at: time_from_micros(self.ends_us),
            author: self.author,
            reason: self.reason,
            created_at: time_from_micros(self.created_us),
        })
    }
}

/// An alert's entity with its alert, as a row of `alert_entities`.
#[derive(Debug, sqlx::FromRow)]
pub(in crate::storage) struct EntityAlertRow {
    pub entity: String,
    pub alert_id: String,
}

/// `count(*)` per (severity, status).
#[derive(Debug, sqlx::FromRow)]
pub(in crate::storage) struct AlertCountRow {
    pub severity: String,
    pub status: String,
    pub n: i64,
}

/// A placeholder list `(?1, ?2, ...)` binding `values`.
fn push_list(sql: &mut Sql, values: impl IntoIterator<Item = String>) {
    sql.push("(");
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push_bind(Param::Text(value));
    }
    sql.push(")");
}

/// The latest alert of each of `fingerprints` (at least one), its row locked where the
/// dialect locks rows.
pub(in crate::storage) fn select_latest<D: Dialect>(fingerprints: &[String]) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push(&format!(
        "SELECT {ALERT_COLUMNS} FROM alerts a WHERE fingerprint IN "
    ));
    push_list(&mut sql, fingerprints.iter().cloned());
    sql.push(
        " AND generation = (SELECT max(generation) FROM alerts b \
         WHERE b.fingerprint = a.fingerprint)",
    )
    .push(D::LOCK_ROWS);
    sql
}

/// Unresolved, unmuted critical alerts about `entities` (at least one).
pub(in crate::storage) fn select_inhibiting<D: Dialect>(entities: &[Entity]) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push(
        "SELECT e.entity AS entity, e.alert_id AS alert_id FROM alert_entities e \
         JOIN alerts a ON a.id = e.alert_id WHERE a.severity = 'critical' \
         AND a.status IN ('open', 'acknowledged') AND e.entity IN ",
    );
    push_list(&mut sql, entities.iter().map(|e| e.to_string()));
    sql.push(" ORDER BY e.entity, e.alert_id");
    sql
}

/// Silences active at some time in `[from, to]`.
pub(in crate::storage) fn select_silences_in<D: Dialect>(from: i64, to: i64) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push("SELECT id, matchers, starts_us, ends_us, author, reason, created_us FROM silences WHERE starts_us <= ")
        .push_bind(Param::Int(to))
        .push(" AND ends_us > ")
        .push_bind(Param::Int(from))
        .push(" ORDER BY id");
    sql
}

/// Every silence, only those active at `at` when given.
pub(in crate::storage) fn select_silences<D: Dialect>(at: Option<i64>) -> Sql {
    match at {
        Some(t) => select_silences_in::<D>(t, t),
        None => {
            let mut sql = Sql::new(D::MARKER);
            sql.push("SELECT id, matchers, starts_us, ends_us, author, reason, created_us FROM silences ORDER BY id");
            sql
        }
    }
}

/// The insert of a new silence.
pub(in crate::storage) fn insert_silence<D: Dialect>(s: &Silence) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push("INSERT INTO silences (id, matchers, starts_us, ends_us, author, reason, created_us) VALUES (");
    let params = [
        Param::Text(s.id.clone()),
        Param::Text(json(&s.matchers)),
        Param::Int(s.starts_at.timestamp_micros()),
        Param::Int(s.ends_at.timestamp_micros()),
        Param::Text(s.author.clone()),
        Param::Text(s.reason.clone()),
        Param::Int(s.created_at.timestamp_micros()),
    ];
    push_params(&mut sql, params);
    sql.push(") ON CONFLICT (id) DO NOTHING");
    sql
}

/// The end of a silence moved to `at` (not before its start, never later than it was).
pub(in crate::storage) fn expire_silence<D: Dialect>(id: &str, at: i64) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    let at = sql.bind(Param::Int(at));
    sql.push(&format!(
        "UPDATE silences SET ends_us = CASE WHEN ends_us < {at} THEN ends_us \
         WHEN starts_us > {at} THEN starts_us ELSE {at} END WHERE id = "
    ))
    .push_bind(Param::Text(id.to_string()));
    sql
}

fn push_params(sql: &mut Sql, params: impl IntoIterator<Item = Param>) {
    for (i, param) in params.into_iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push_bind(param);
    }
}

/// The insert of a raised alert, or the update of its counts when stored (see
/// [`crate::storage::WriteSet::alerts`]).
pub(in crate::storage) fn upsert_alert<D: Dialect>(alert: &Alert) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push(&format!("INSERT INTO alerts ({ALERT_COLUMNS}) VALUES ("));
    push_params(&mut sql, AlertRow::params(alert));
    sql.push(
        ") ON CONFLICT (id) DO UPDATE SET count = excluded.count, \
         first_seen_us = excluded.first_seen_us, last_seen_us = excluded.last_seen_us, \
         evidence = excluded.evidence, details = excluded.details",
    );
    sql
}

/// The rows of an alert's entities (at least one).
pub(in crate::storage) fn insert_entities<D: Dialect>(alert: &Alert) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push("INSERT INTO alert_entities (entity, alert_id) VALUES ");
    for (i, entity) in alert.entities.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .push_bind(Param::Text(entity.to_string()))
            .push(", ")
            .push_bind(Param::Text(alert.id.clone()))
            .push(")");
    }
    sql.push(" ON CONFLICT DO NOTHING");
    sql
}

/// The query's filters, joined by `AND` after `WHERE TRUE`.
fn push_alert_conditions(sql: &mut Sql, query: &AlertQuery) {
    sql.push(" WHERE 1 = 1");
    let equals = |sql: &mut Sql, column: &str, value: Option<String>| {
        if let Some(value) = value {
            sql.push(&format!(" AND {column} = "))
                .push_bind(Param::Text(value));
        }
    };
    equals(sql, "status", query.status.map(|s| s.as_str().to_string()));
    equals(
        sql,
        "severity",
        query.severity.map(|s| s.as_str().to_string()),
    );
    equals(sql, "rule_id", query.rule_id.clone());
    equals(sql, "fingerprint", query.fingerprint.clone());
    if let Some(entity) = &query.entity {
        sql.push(" AND id IN (SELECT alert_id FROM alert_entities WHERE entity = ")
            .push_bind(Param::Text(entity.clone()))
            .push(")");
    }
    if let Some(since) = query.since {
        sql.push(" AND last_seen_us >= ")
            .push_bind(Param::Int(since.timestamp_micros()));
    }
    if let Some(until) = query.until {
        sql.push(" AND first_seen_us < ")
            .push_bind(Param::Int(until.timestamp_micros()));
    }
}

/// One page of alerts (plus one, to tell whether another page follows), newest first.
pub(in crate::storage) fn select_alerts<D: Dialect>(
    query: &AlertQuery,
    after: Option<(i64, String)>,
    limit: usize,
) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push(&format!("SELECT {ALERT_COLUMNS} FROM alerts"));
    push_alert_conditions(&mut sql, query);
    if let Some((micros, id)) = after {
        sql.push(" AND (first_seen_us, id) < (")
            .push_bind(Param::Int(micros))
            .push(", ")
            .push_bind(Param::Text(id))
            .push(")");
    }
    sql.push(" ORDER BY first_seen_us DESC, id DESC LIMIT ")
        .push_bind(Param::Int(as_i64(limit + 1)));
    sql
}

/// Counts per (severity, status) of the alerts `query` selects.
pub(in crate::storage) fn count_alerts<D: Dialect>(query: &AlertQuery) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push("SELECT severity, status, count(*) AS n FROM alerts");
    push_alert_conditions(&mut sql, query);
    sql.push(" GROUP BY severity, status");
    sql
}

/// The alert with `id`, its row locked where the dialect locks rows when `lock` is set.
pub(in crate::storage) fn select_alert<D: Dialect>(id: &str, lock: bool) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push(&format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = "))
        .push_bind(Param::Text(id.to_string()));
    if lock {
        sql.push(D::LOCK_ROWS);
    }
    sql
}

/// The status and last update of an alert set.
pub(in crate::storage) fn update_alert_status<D: Dialect>(alert: &Alert) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push("UPDATE alerts SET status = ")
        .push_bind(Param::Text(alert.status.as_str().to_string()))
        .push(", updated = ")
        .push_bind(Param::Text(json(&alert.updated)))
        .push(" WHERE id = ")
        .push_bind(Param::Text(alert.id.clone()));
    sql
}

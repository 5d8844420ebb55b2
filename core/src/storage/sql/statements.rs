//! Queries built as SQL text with bound parameters: field names and values never enter the
//! text, only placeholders do.

use super::as_i64;
use crate::detection::Detection;
use crate::event::Value;
use crate::storage::StateRecord;
use crate::storage::query::EventQuery;

/// A value bound to a statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::storage) enum Param {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Text(String),
    /// Bytes (a BLOB or BYTEA).
    Bytes(Vec<u8>),
}

/// SQL text being built, with the values of its parameters in order.
#[derive(Debug)]
pub(in crate::storage) struct Sql {
    /// The statement text.
    pub text: String,
    /// The parameters' values: the n-th is bound to placeholder n (1-based).
    pub params: Vec<Param>,
    marker: char,
}

impl Sql {
    /// An empty statement whose placeholders are `marker` and a number (`?1`, `$1`).
    pub fn new(marker: char) -> Sql {
        Sql {
            text: String::with_capacity(256),
            params: Vec::new(),
            marker,
        }
    }

    /// Appends SQL text (never user input).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Adds a parameter and returns its placeholder, to be pushed once or more.
    pub fn bind(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("{}{}", self.marker, self.params.len())
    }

    /// Adds a parameter and appends its placeholder.
    pub fn push_bind(&mut self, param: Param) -> &mut Self {
        let placeholder = self.bind(param);
        self.push(&placeholder)
    }
}

/// How one SQL backend writes what differs between dialects.
pub(in crate::storage) trait Dialect {
    /// The character before a parameter's number: `?` for SQLite, `$` for PostgreSQL.
    const MARKER: char;

    /// The statement that starts a transaction which will write.
    const BEGIN_WRITE: &'static str;

    /// What a `SELECT` ends with to lock the rows it reads until the transaction ends
    /// (nothing where the transaction already holds the database's write lock).
    const LOCK_ROWS: &'static str;

    /// An expression giving JSON column `column` as JSON text.
    fn json_text(column: &str) -> String;

    /// Appends a condition true when field `name` of an event's `fields` equals `value`,
    /// with typed equality: numbers equal numbers of the same value (500 = 500.0), never
    /// strings (500 ≠ "500").
    fn push_field_equals(sql: &mut Sql, name: &str, value: &Value);

    /// The expressions over field `name` that [`count_values`] needs (the name bound once).
    fn field_grouping(sql: &mut Sql, name: &str) -> FieldGrouping;
}

/// Expressions over one field of `events.fields`, for grouping events by its value.
pub(in crate::storage) struct FieldGrouping {
    /// The field's value as JSON text (in a grouped query).
    pub json: String,
    /// True when the event has the field, whatever its value.
    pub present: String,
    /// The `GROUP BY` expressions that put equal values together (500 with 500.0).
    pub group_by: String,
}

/// `SELECT` of one page of events (plus one, to tell whether another page follows).
pub(in crate::storage) fn select_events<D: Dialect>(query: &EventQuery, limit: usize) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push("SELECT id, time_us, ")
        .push(&D::json_text("fields"))
        .push(" AS fields FROM events WHERE ");
    push_event_conditions::<D>(&mut sql, query);
    if let Some(cursor) = &query.cursor {
        sql.push(" AND (time_us, id) < (")
            .push_bind(Param::Int(cursor.time_micros))
            .push(", ")
            .push_bind(Param::Text(cursor.id.clone()))
            .push(")");
    }
    sql.push(" ORDER BY time_us DESC, id DESC LIMIT ")
        .push_bind(Param::Int(as_i64(limit + 1)));
    sql
}

/// Counts of the values of `field`: every value whose count reaches the `limit`-th highest
/// count, so that ties at the limit can be broken as [`crate::storage::FieldCount::rank`] does.
pub(in crate::storage) fn count_values<D: Dialect>(
    field: &str,
    query: &EventQuery,
    limit: usize,
) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    let field = D::field_grouping(&mut sql, field);
    sql.push("WITH counts AS MATERIALIZED (SELECT ")
        .push(&field.json)
        .push(" AS value, count(*) AS n FROM events WHERE ");
    push_event_conditions::<D>(&mut sql, query);
    sql.push(" AND ")
        .push(&field.present)
        .push(" GROUP BY ")
        .push(&field.group_by);
    sql.push(
        ") SELECT value, n FROM counts \
         WHERE n >= COALESCE((SELECT n FROM counts ORDER BY n DESC LIMIT 1 OFFSET ",
    )
    .push_bind(Param::Int(as_i64(limit.saturating_sub(1))))
    .push("), 0)");
    sql
}

/// `SELECT` of detections in the query's time range, newest first, or `None` when a filter
/// names something detections do not have (then nothing can match).
pub(in crate::storage) fn select_detections<D: Dialect>(
    query: &EventQuery,
    limit: usize,
) -> Option<Sql> {
    let mut sql = Sql::new(D::MARKER);
    let (lo, hi) = query.micros_range();
    sql.push("SELECT event_id, rule_id, event_time_us, title, level, severity, event_index, ")
        .push(&D::json_text("tags"))
        .push(" AS tags, ")
        .push(&D::json_text("fields"))
        .push(" AS fields FROM detections WHERE event_time_us >= ")
        .push_bind(Param::Int(lo))
        .push(" AND event_time_us < ")
        .push_bind(Param::Int(hi));
    for (name, value) in &query.filters {
        let column = detection_column(name)?;
        let Value::String(text) = value else {
            return None;
        };
        sql.push(" AND ")
            .push(column)
            .push(" = ")
            .push_bind(Param::Text(text.clone()));
    }
    sql.push(" ORDER BY event_time_us DESC, event_id DESC, rule_id DESC LIMIT ")
        .push_bind(Param::Int(as_i64(limit)));
    Some(sql)
}

/// The column of a detection attribute a query may filter on ([`Detection::FILTERABLE`]: the
/// columns have the attributes' names).
fn detection_column(name: &str) -> Option<&'static str> {
    Detection::FILTERABLE
        .into_iter()
        .find(|column| *column == name)
}

/// `SELECT key, value` of the stored state of `keys` (at least one).
pub(in crate::storage) fn select_state<D: Dialect>(keys: &[String]) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push("SELECT key, value FROM ingest_state WHERE key IN (");
    for (i, key) in keys.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push_bind(Param::Text(key.clone()));
    }
    sql.push(")");
    sql
}

/// The insert or replacement of one state checkpoint, stamped with the time `now_us`.
pub(in crate::storage) fn upsert_state<D: Dialect>(record: StateRecord, now_us: i64) -> Sql {
    let mut sql = Sql::new(D::MARKER);
    sql.push("INSERT INTO ingest_state (key, value, updated_us) VALUES (")
        .push_bind(Param::Text(record.key))
        .push(", ")
        .push_bind(Param::Bytes(record.value))
        .push(", ")
        .push_bind(Param::Int(now_us))
        .push(
            ") ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
             updated_us = excluded.updated_us",
        );
    sql
}

/// The query's time range and field filters, joined by `AND`.
fn push_event_conditions<D: Dialect>(sql: &mut Sql, query: &EventQuery) {
    let (lo, hi) = query.micros_range();
    sql.push("time_us >= ")
        .push_bind(Param::Int(lo))
        .push(" AND time_us < ")
        .push_bind(Param::Int(hi));
    for (name, value) in &query.filters {
        sql.push(" AND ");
        D::push_field_equals(sql, name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Test;
    impl Dialect for Test {
        const MARKER: char = '$';
        const BEGIN_WRITE: &'static str = "BEGIN";
        const LOCK_ROWS: &'static str = "";
        fn json_text(column: &str) -> String {
            format!("{column}::text")
        }
        fn push_field_equals(sql: &mut Sql, name: &str, value: &Value) {
            let name = sql.bind(Param::Text(name.into()));
            let value = sql.bind(Param::Text(value.to_string()));
            sql.push(&format!("f({name}) = {value}"));
        }
        fn field_grouping(sql: &mut Sql, name: &str) -> FieldGrouping {
            let name = sql.bind(Param::Text(name.into()));
            FieldGrouping {
                json: format!("j({name})"),
                present: format!("p({name})"),
                group_by: format!("g({name})"),
            }
        }
    }

    #[test]
    fn names_and_values_are_parameters() {
        let query = EventQuery::new()
            .field("a'); DROP TABLE events; --", "x\"y")
            .after("5:id".parse().unwrap());
        let sql = select_events::<Test>(&query, 10);
        assert_eq!(
            sql.text,
            "SELECT id, time_us, fields::text AS fields FROM events WHERE time_us >= $1 \
             AND time_us < $2 AND f($3) = $4 AND (time_us, id) < ($5, $6) \
             ORDER BY time_us DESC, id DESC LIMIT $7"
        );
        assert_eq!(sql.params.len(), 7);
        assert_eq!(
            sql.params[2],
            Param::Text("a'); DROP TABLE events; --".into())
        );
        assert_eq!(sql.params[6], Param::Int(11));
    }

    #[test]
    fn detection_filters_on_unknown_attributes_match_nothing() {
        let ok = EventQuery::new().field("rule_id", "r1");
        assert!(select_detections::<Test>(&ok, 5).is_some());
        let unknown = EventQuery::new().field("source.ip", "x");
        assert!(select_detections::<Test>(&unknown, 5).is_none());
        let not_text = EventQuery::new().field("rule_id", 5);
        assert!(select_detections::<Test>(&not_text, 5).is_none());
    }
}

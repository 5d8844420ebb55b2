//! Queries over stored events: time range, field equality, cursor pagination.

use crate::error::{Error, Result};
use crate::event::{Event, Value};
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Page size when a query does not set one.
pub const DEFAULT_LIMIT: usize = 100;
/// The largest page a query may ask for.
pub const MAX_LIMIT: usize = 10_000;

/// Which events to return: a time range, field equalities, and a page.
///
/// Field equality is typed: `("http.response.status_code", 500)` matches the integer 500
/// (and the float 500.0), not the string `"500"`.
///
/// Its JSON form, which the bindings pass through, is
/// `{"since": TIME, "until": TIME, "where": {"field": value, ...}, "limit": n,
/// "cursor": "..."}`, every key optional; a TIME is any form
/// [`crate::event::parse_time_arg`] reads (RFC 3339, `2026-01-15 08:00:00`, `2026-01-15`).
///
/// ```
/// use finmark::storage::EventQuery;
/// let q = EventQuery::new().field("source.ip", "10.0.0.1").limit(50);
/// assert_eq!(q.filters.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventQuery {
    /// Only events at or after this time.
    #[serde(deserialize_with = "crate::event::optional_time_arg")]
    pub since: Option<DateTime<Utc>>,
    /// Only events before this time.
    #[serde(deserialize_with = "crate::event::optional_time_arg")]
    pub until: Option<DateTime<Utc>>,
    /// Only events whose field equals the value, for every pair (`where` in JSON).
    #[serde(rename = "where", with = "filters_as_map")]
    pub filters: Vec<(String, Value)>,
    /// Page size; 0 means [`DEFAULT_LIMIT`]; at most [`MAX_LIMIT`].
    pub limit: usize,
    /// Continue after the last event of an earlier page ([`EventPage::next_cursor`]).
    pub cursor: Option<Cursor>,
}

impl EventQuery {
    /// All events, first page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a lower time bound (inclusive).
    pub fn since(mut self, t: DateTime<Utc>) -> Self {
        self.since = Some(t);
        self
    }

    /// Adds an upper time bound (exclusive).
    pub fn until(mut self, t: DateTime<Utc>) -> Self {
        self.until = Some(t);
        self
    }

    /// Adds a field equality.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.filters.push((name.into(), value.into()));
        self
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// Continues after `cursor`.
    pub fn after(mut self, cursor: Cursor) -> Self {
        self.cursor = Some(cursor);
        self
    }

    /// The page size to use, or an [`crate::error::ErrorKind::InvalidQuery`] error when too large.
    pub fn effective_limit(&self) -> Result<usize> {
        match self.limit {
            0 => Ok(DEFAULT_LIMIT),
            n if n > MAX_LIMIT => Err(Error::invalid_query(format!(
                "limit {n} is too large; at most {MAX_LIMIT}"
            ))),
            n => Ok(n),
        }
    }

    /// The time bounds as microseconds since the epoch, `i64::MIN`/`MAX` when open.
    pub fn micros_range(&self) -> (i64, i64) {
        (
            self.since.map_or(i64::MIN, |t| t.timestamp_micros()),
            self.until.map_or(i64::MAX, |t| t.timestamp_micros()),
        )
    }

    /// True if `event` is in the time range and has every filtered field value
    /// (the cursor is not considered).
    pub fn matches(&self, event: &Event) -> bool {
        let (lo, hi) = self.micros_range();
        let t = event.time.timestamp_micros();
        t >= lo
            && t < hi
            && self
                .filters
                .iter()
                .all(|(name, want)| event.get(name).is_some_and(|v| values_equal(v, want)))
    }
}

/// `filters` as a JSON object, in key order.
mod filters_as_map {
    use crate::event::{Fields, Value};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(filters: &[(String, Value)], s: S) -> Result<S::Ok, S::Error> {
        filters
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Fields>()
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Value)>, D::Error> {
        let object = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        Ok(object
            .into_iter()
            .map(|(k, v)| (k, Value::from_json(v)))
            .collect())
    }
}

/// Typed equality with integers and floats compared as numbers.
pub(crate) fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            a.as_f64() == b.as_f64()
        }
        _ => a == b,
    }
}

/// A position in the newest-first order of events: the time and id of the last event seen.
///
/// Its text form (`Display` / `FromStr`) is what crosses the bindings:
/// `<microseconds since epoch>:<event id>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    /// Time of the last event seen, in microseconds since the epoch.
    pub time_micros: i64,
    /// Id of the last event seen.
    pub id: String,
}

impl Cursor {
    /// The cursor just after `event`.
    pub fn after(event: &Event) -> Cursor {
        Cursor {
            time_micros: event.time.timestamp_micros(),
            id: event.id.clone(),
        }
    }

    /// True if an event at (`time_micros`, `id`) comes after this cursor in newest-first order.
    pub fn precedes(&self, time_micros: i64, id: &str) -> bool {
        (time_micros, id) < (self.time_micros, self.id.as_str())
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.time_micros, self.id)
    }
}

impl std::str::FromStr for Cursor {
    type Err = Error;
    fn from_str(s: &str) -> Result<Cursor> {
        let (time, id) = s.split_once(':').ok_or_else(|| {
            Error::invalid_query(format!("invalid cursor '{s}': expected <micros>:<id>"))
        })?;
        let time_micros = time.parse().map_err(|_| {
            Error::invalid_query(format!("invalid cursor '{s}': '{time}' is not an integer"))
        })?;
        Ok(Cursor {
            time_micros,
            id: id.to_string(),
        })
    }
}

impl Serialize for Cursor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One page of events, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EventPage {
    /// The events of this page.
    pub events: Vec<Event>,
    /// Where the next page starts, or `None` when this page is the last.
    pub next_cursor: Option<Cursor>,
}

impl EventPage {
    /// A page from up to `limit + 1` events fetched in order: the extra one only tells that
    /// another page exists.
    pub fn from_fetched(mut events: Vec<Event>, limit: usize) -> EventPage {
        let more = events.len() > limit;
        events.truncate(limit);
        let next_cursor = if more {
            events.last().map(Cursor::after)
        } else {
            None
        };
        EventPage {
            events,
            next_cursor,
        }
    }
}

/// How many events have one value of a field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldCount {
    /// The field value.
    pub value: Value,
    /// The number of events with it.
    pub count: u64,
}

impl FieldCount {
    /// Orders counts most frequent first, ties by the value's text, and keeps the first
    /// `limit`: the order every backend returns.
    pub(crate) fn rank(mut counts: Vec<FieldCount>, limit: usize) -> Vec<FieldCount> {
        counts.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.value.to_string().cmp(&b.value.to_string()))
        });
        counts.truncate(limit);
        counts
    }
}

/// Microseconds since the epoch back to a time (saturating at the representable range).
pub(crate) fn time_from_micros(micros: i64) -> DateTime<Utc> {
    Utc.timestamp_micros(micros)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let c: Cursor = "1700000000000000:abc:def".parse().unwrap();
        assert_eq!(c.time_micros, 1_700_000_000_000_000);
        assert_eq!(c.id, "abc:def");
        assert_eq!(c.to_string(), "1700000000000000:abc:def");
        assert!("x:1".parse::<Cursor>().is_err());
        assert!("nocolon".parse::<Cursor>().is_err());
    }

    #[test]
    fn json_form() {
        let q: EventQuery = serde_json::from_str(
            r#"{"since": "2026-01-01T00:00:00Z", "where": {"source.ip": "10.0.0.1", "http.response.status_code": 500}, "limit": 5, "cursor": "17:x"}"#,
        )
        .unwrap();
        assert_eq!(q.filters.len(), 2);
        assert_eq!(q.limit, 5);
        assert_eq!(q.cursor.unwrap().id, "x");
        assert!(serde_json::from_str::<EventQuery>(r#"{"limit": "x"}"#).is_err());
        let empty: EventQuery = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, EventQuery::new());
    }

    #[test]
    fn numeric_equality() {
        assert!(values_equal(&Value::Int(500), &Value::Float(500.0)));
        assert!(!values_equal(&Value::Int(500), &Value::from("500")));
    }
}

//! The rows events and detections are stored as, and the bookkeeping of a batch write.

use super::as_i64;
use crate::detection::{Detection, MatchedField, Severity};
use crate::error::{Error, Result};
use crate::event::{Event, Fields, Value};
use crate::storage::query::{FieldCount, time_from_micros};
use crate::storage::{StateRecord, WriteReport};
use serde::de::{Deserializer, MapAccess, Visitor};
use std::collections::HashSet;
use std::fmt;

/// A batch being written: its events, and which of them are the first with their id (a
/// later one with the same id is a duplicate whatever the database holds).
pub(in crate::storage) struct Batch<'a> {
    events: &'a [Event],
    first: Vec<bool>,
}

impl<'a> Batch<'a> {
    /// Marks the first event with each id.
    pub fn of(events: &'a [Event]) -> Self {
        let mut seen = HashSet::with_capacity(events.len());
        let first = events.iter().map(|e| seen.insert(e.id.as_str())).collect();
        Batch { events, first }
    }

    /// The events to insert: the first with each id, in batch order.
    pub fn unique(&self) -> Vec<&'a Event> {
        self.events
            .iter()
            .zip(&self.first)
            .filter_map(|(event, first)| first.then_some(event))
            .collect()
    }

    /// The report of the write, where `inserted` tells whether the (first) event with an
    /// id was stored now.
    pub fn report(&self, inserted: impl Fn(&str) -> bool) -> WriteReport {
        WriteReport {
            is_new: self
                .events
                .iter()
                .zip(&self.first)
                .map(|(event, first)| *first && inserted(&event.id))
                .collect(),
        }
    }
}

/// An event's fields as the JSON object stored in the `fields` column.
pub(in crate::storage) fn fields_json(fields: &Fields) -> String {
    // Fields serialize as a map of strings to JSON values, which cannot fail.
    serde_json::to_string(fields).unwrap_or_default()
}

/// A stored event as its columns.
#[derive(Debug, sqlx::FromRow)]
pub(in crate::storage) struct EventRow {
    id: String,
    time_us: i64,
    fields: String,
}

impl EventRow {
    /// The event back, with its fields in stored order.
    pub fn into_event(self) -> Result<Event> {
        let fields = fields_from_json(&self.fields).map_err(|e| {
            Error::storage(format!(
                "stored event '{}' has invalid fields: {e}",
                self.id
            ))
        })?;
        Ok(Event {
            id: self.id,
            time: time_from_micros(self.time_us),
            fields,
        })
    }
}

/// Parses a stored fields object, keeping its field order (a `serde_json::Map` would sort).
fn fields_from_json(text: &str) -> serde_json::Result<Fields> {
    struct FieldsInOrder;
    impl<'de> Visitor<'de> for FieldsInOrder {
        type Value = Fields;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object of fields")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
            let mut fields = Fields::with_capacity(map.size_hint().unwrap_or(16));
            while let Some((name, value)) = map.next_entry::<String, Value>()? {
                fields.insert(name, value);
            }
            Ok(fields)
        }
    }
    serde_json::Deserializer::from_str(text).deserialize_map(FieldsInOrder)
}

/// One counted value: its JSON text and its count.
#[derive(Debug, sqlx::FromRow)]
pub(in crate::storage) struct CountRow {
    value: String,
    n: i64,
}

impl CountRow {
    /// The count with its value parsed back.
    pub fn into_count(self) -> Result<FieldCount> {
        let json: serde_json::Value = serde_json::from_str(&self.value).map_err(|e| {
            Error::storage(format!(
                "stored field value '{}' is not JSON: {e}",
                self.value
            ))
        })?;
        Ok(FieldCount {
            value: Value::from_json(json),
            count: u64::try_from(self.n).unwrap_or_default(),
        })
    }
}

/// A stage's state checkpoint as the columns of the `ingest_state` table.
#[derive(Debug, sqlx::FromRow)]
pub(in crate::storage) struct StateRow {
    key: String,
    value: Vec<u8>,
}

impl StateRow {
    /// The checkpoint back.
    pub fn into_record(self) -> StateRecord {
        StateRecord {
            key: self.key,
            value: self.value,
        }
    }
}

/// A detection as the columns of the `detections` table.
#[derive(Debug, sqlx::FromRow)]
pub(in crate::storage) struct DetectionRow {
    pub event_id: String,
    pub rule_id: String,
    pub event_time_us: i64,
    pub title: String,
    pub level: String,
    pub severity: String,
    pub event_index: i64,
    /// JSON array of strings.
    pub tags: String,
    /// JSON array of `{"field", "value"}` objects.
    pub fields: String,
}

impl DetectionRow {
    /// The row of a detection.
    pub fn of(m: &Detection) -> DetectionRow {
        DetectionRow {
            event_id: m.event_id.clone(),
            rule_id: m.rule_id.clone(),
            event_time_us: m.event_time.timestamp_micros(),
            title: m.title.clone(),
            level: m.level.clone(),
            severity: m.severity.as_str().to_string(),
            event_index: as_i64(m.event_index),
            // Vectors of strings and of serializable structs always serialize.
            tags: serde_json::to_string(&m.tags).unwrap_or_default(),
            fields: serde_json::to_string(&m.fields).unwrap_or_default(),
        }
    }

    /// The detection back.
    pub fn into_detection(self) -> Result<Detection> {
        let invalid = |what: &str, why: &dyn fmt::Display| {
            Error::storage(format!(
                "stored detection of rule '{}' on event '{}' has invalid {what}: {why}",
                self.rule_id, self.event_id
            ))
        };
        let severity =
            Severity::parse(&self.severity).ok_or_else(|| invalid("severity", &self.severity))?;
        let tags: Vec<String> =
            serde_json::from_str(&self.tags).map_err(|e| invalid("tags", &e))?;
        let fields: Vec<MatchedField> =
            serde_json::from_str(&self.fields).map_err(|e| invalid("fields", &e))?;
        let event_index =
            usize::try_from(self.event_index).map_err(|e| invalid("event index", &e))?;
        Ok(Detection {
            rule_id: self.rule_id,
            title: self.title,
            level: self.level,
            severity,
            tags,
            event_id: self.event_id,
            event_time: time_from_micros(self.event_time_us),
            event_index,
            fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::query::time_from_micros;

    #[test]
    fn report_marks_repeats_in_a_batch() {
        let event = |id: &str| Event {
            id: id.into(),
            time: time_from_micros(0),
            fields: Fields::new(),
        };
        let events = [event("a"), event("b"), event("a"), event("c")];
        let batch = Batch::of(&events);
        let unique: Vec<&str> = batch.unique().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(unique, ["a", "b", "c"]);
        let report = batch.report(|id| id != "c");
        assert_eq!(report.is_new, [true, true, false, false]);
    }

    #[test]
    fn fields_keep_their_order() {
        let fields: Fields = [("z", Value::from(1)), ("a.b", Value::from("x"))]
            .into_iter()
            .collect();
        let back = fields_from_json(&fields_json(&fields)).unwrap();
        assert_eq!(back, fields);
    }
}

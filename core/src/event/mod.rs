//! Events: what finmark ingests, matches and stores.
//!
//! An [`Event`] is an id, a time and a flat map of ECS-style dotted field names to typed
//! [`Value`]s. Events come from JSON ([`parse`]: a single object, an array, NDJSON, or a stream
//! of concatenated pretty-printed objects as `evtx_dump -o json` writes; Windows event logs in
//! the `Event.System` / `Event.EventData` layout are flattened like Chainsaw and Hayabusa do),
//! or from the constructors for the first users' five kinds of events ([`kinds`]).
//!
//! ```
//! use finmark::event::parse;
//! let batch = parse(br#"{"@timestamp": "2026-01-01T00:00:00Z", "source": {"ip": "10.0.0.1"}}
//! not json
//! {"event.id": "e2", "user.name": "alice"}"#);
//! assert_eq!(batch.events.len(), 2);
//! assert_eq!(batch.events[0].fields.get("source.ip").unwrap().as_str(), Some("10.0.0.1"));
//! assert_eq!(batch.events[1].id, "e2");
//! assert_eq!(batch.rejected[0].line, 2);
//! ```

pub mod chunks;
pub mod ecs;
mod flatten;
pub mod frame;
mod identity;
pub mod kinds;
mod parse;
mod time;
mod value;
mod windows;

pub use identity::identify_line;
pub use parse::{ParsedBatch, Rejected, parse, parse_line, parse_object, parse_value};
pub use time::{parse_time_arg, parse_timestamp};
pub use value::{Fields, Value};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Field names that give an event its time, in order of preference.
pub const TIME_FIELDS: [&str; 3] = ["@timestamp", "timestamp", "event.created"];

/// Field names that give an event its id, in order of preference.
pub const ID_FIELDS: [&str; 2] = ["event.id", "id"];

/// One event: an id, the time it happened and its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unique id: the `event.id` or `id` field, else a hash of the fields (see [`Event::new`]).
    pub id: String,
    /// When the event happened (UTC).
    pub time: DateTime<Utc>,
    /// The fields, with ECS-style dotted names.
    pub fields: Fields,
}

impl Event {
    /// An event from its fields, with id and time taken from them.
    ///
    /// The time comes from `@timestamp`, `timestamp` or `event.created` (RFC 3339, or epoch
    /// seconds or milliseconds), else it is the current time. The id comes from `event.id` or
    /// `id`, else it is a deterministic 128-bit hash of the fields, so the same event sent twice
    /// gets the same id and is stored once.
    pub fn new(fields: Fields) -> Event {
        let (id, time) = identity::identity_of(&fields);
        Event { id, time, fields }
    }

    /// The value of a field, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// The event as one flat JSON object: its fields plus `event.id` and `@timestamp`
    /// when the fields lack them.
    pub fn to_json(&self) -> serde_json::Value {
        let mut object = match self.fields.to_json() {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        if !ID_FIELDS.iter().any(|f| object.contains_key(*f)) {
            object.insert("event.id".into(), self.id.clone().into());
        }
        if !TIME_FIELDS.iter().any(|f| object.contains_key(*f)) {
            object.insert("@timestamp".into(), time::format_rfc3339(self.time).into());
        }
        serde_json::Value::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_from_field_or_stable_hash() {
        let with_id: Fields = [("event.id", "abc")].into_iter().collect();
        assert_eq!(Event::new(with_id).id, "abc");

        let a: Fields = [("a", Value::from(1)), ("b", Value::from("x"))]
            .into_iter()
            .collect();
        let b: Fields = [("b", Value::from("x")), ("a", Value::from(1))]
            .into_iter()
            .collect();
        let c: Fields = [("a", Value::from(2)), ("b", Value::from("x"))]
            .into_iter()
            .collect();
        assert_eq!(Event::new(a.clone()).id, Event::new(b).id);
        assert_ne!(Event::new(a).id, Event::new(c).id);
    }

    #[test]
    fn time_from_fields() {
        let f: Fields = [("timestamp", Value::from(1_700_000_000_000i64))]
            .into_iter()
            .collect();
        assert_eq!(Event::new(f).time.timestamp(), 1_700_000_000);
        let f: Fields = [("@timestamp", "2026-01-02T03:04:05Z")]
            .into_iter()
            .collect();
        assert_eq!(Event::new(f).time.timestamp(), 1_767_323_045);
    }
}

//! Event identity: the id and time an event gets from its fields, computed either from
//! [`Fields`] or straight from a JSON line without building them.
//!
//! The id is the `event.id` or `id` field, else a hash of the fields: each field's
//! `name NUL json-value` is hashed with xxh3-128, the hashes are added (so the order of the keys
//! does not matter, and nothing needs sorting), and the sum and the number of fields are hashed
//! again. The same event gets the same id whichever door it came through.

use super::flatten::{FieldSink, flatten_into};
use super::{Fields, ID_FIELDS, TIME_FIELDS, Value, time};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::cell::RefCell;

/// The id a field value gives: a non-empty string or an integer.
pub(crate) fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

/// The order-independent hash of a set of fields, built field by field.
#[derive(Debug, Default)]
pub(crate) struct Canonical {
    scratch: Vec<u8>,
    /// Per field: the hash of its name, its position, and the hash of name and value.
    entries: Vec<(u64, usize, u128)>,
}

impl Canonical {
    /// Adds a field; a name added again replaces the earlier value.
    pub(crate) fn push(&mut self, name: &str, value: &impl Serialize) {
        self.start(name);
        // Writing JSON into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.scratch, value);
        self.finish(name);
    }

    /// Adds a string field, as [`Canonical::push`] would: text that JSON needs no escapes
    /// for is copied between quotes as it is.
    pub(crate) fn push_text(&mut self, name: &str, text: &str) {
        if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
            return self.push(name, &text);
        }
        self.start(name);
        self.scratch.push(b'"');
        self.scratch.extend_from_slice(text.as_bytes());
        self.scratch.push(b'"');
        self.finish(name);
    }

    /// Starts a field's bytes: its name and a NUL.
    fn start(&mut self, name: &str) {
        self.scratch.clear();
        self.scratch.extend_from_slice(name.as_bytes());
        self.scratch.push(0);
    }

    /// Hashes the field's bytes written since [`Canonical::start`].
    fn finish(&mut self, name: &str) {
        let name_hash = xxhash_rust::xxh3::xxh3_64(name.as_bytes());
        let field_hash = xxhash_rust::xxh3::xxh3_128(&self.scratch);
        self.entries
            .push((name_hash, self.entries.len(), field_hash));
    }

    /// The hex hash of the fields (the last value of a repeated name).
    pub(crate) fn hash(&mut self) -> String {
        self.entries
            .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        self.entries.dedup_by_key(|e| e.0);
        let sum = self
            .entries
            .iter()
            .fold(0u128, |sum, e| sum.wrapping_add(e.2));
        let mut last = [0u8; 24];
        last[..16].copy_from_slice(&sum.to_le_bytes());
        last[16..].copy_from_slice(&(self.entries.len() as u64).to_le_bytes());
        format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&last))
    }
}

/// The hash id of `fields`.
pub(crate) fn content_hash(fields: &Fields) -> String {
    let mut canonical = Canonical::default();
    for (name, value) in fields.iter() {
        canonical.push(name, value);
    }
    canonical.hash()
}

/// The id and time [`super::Event::new`] would give the event of a JSON line, read without
/// building its fields. `None` when the line is not a JSON object, or is a Windows event-log
/// record (whose fields are renamed when flattened): parse it with [`super::parse_line`]
/// instead.
pub fn identify_line(line: &[u8]) -> Option<(String, DateTime<Utc>)> {
    thread_local! {
        /// The buffers of [`identify_line`], reused from line to line on each thread.
        static READER: RefCell<Identity> = RefCell::default();
    }
    READER.with_borrow_mut(|reader| {
        reader.clear();
        identify_with(reader, line)
    })
}

/// [`identify_line`] with `reader`'s buffers (empty).
fn identify_with(reader: &mut Identity, line: &[u8]) -> Option<(String, DateTime<Utc>)> {
    // One check of the whole line instead of one per string.
    let mut de = serde_json::Deserializer::from_str(std::str::from_utf8(line).ok()?);
    flatten_into(&mut de, reader).ok()?;
    de.end().ok()?;
    if reader.has_system && !reader.outside_event {
        return None;
    }
    let special = |names: &[&str]| -> Vec<&Value> {
        names
            .iter()
            .filter_map(|n| {
                reader
                    .special
                    .iter()
                    .rev()
                    .find(|(k, _)| k == n)
                    .map(|(_, v)| v)
            })
            .collect()
    };
    let time = special(&TIME_FIELDS)
        .into_iter()
        .find_map(time::timestamp_of)
        .unwrap_or_else(Utc::now);
    let id = special(&ID_FIELDS)
        .into_iter()
        .find_map(id_of)
        .unwrap_or_else(|| reader.canonical.hash());
    Some((id, time))
}

/// The scratch buffer capacity [`Identity::clear`] keeps.
const KEPT_SCRATCH_BYTES: usize = 64 * 1024;

/// What [`identify_line`] gathers: the hash of the fields and the values of the id and time
/// fields. The layout test is that of generic flattening: every name under `Event.` and some
/// under `Event.System.` means a Windows event-log record.
#[derive(Default)]
struct Identity {
    canonical: Canonical,
    special: Vec<(String, Value)>,
    has_system: bool,
    outside_event: bool,
}

impl Identity {
    /// Forgets the last line, keeping the buffers (up to a size: a huge field's copy is not
    /// kept for the life of the thread).
    fn clear(&mut self) {
        self.canonical.scratch.clear();
        self.canonical.scratch.shrink_to(KEPT_SCRATCH_BYTES);
        self.canonical.entries.clear();
        self.special.clear();
        self.has_system = false;
        self.outside_event = false;
    }

    fn note(&mut self, name: &str) -> bool {
        self.has_system |= name.starts_with("Event.System.");
        self.outside_event |= !name.starts_with("Event.");
        ID_FIELDS.contains(&name) || TIME_FIELDS.contains(&name)
    }
}

impl FieldSink for Identity {
    fn value(&mut self, name: &str, value: Value) {
        if self.note(name) {
            self.special.push((name.to_string(), value.clone()));
        }
        self.canonical.push(name, &value);
    }

    fn text(&mut self, name: &str, text: &str) {
        if self.note(name) {
            self.special
                .push((name.to_string(), Value::String(text.to_string())));
        }
        self.canonical.push_text(name, text);
    }
}

/// The id and time of an event built from `fields`.
pub(crate) fn identity_of(fields: &Fields) -> (String, DateTime<Utc>) {
    let time = TIME_FIELDS
        .iter()
        .find_map(|name| fields.get(name).and_then(time::timestamp_of))
        .unwrap_or_else(Utc::now);
    let id = ID_FIELDS
        .iter()
        .find_map(|name| fields.get(name).and_then(id_of))
        .unwrap_or_else(|| content_hash(fields));
    (id, time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_identity_equals_event_identity() {
        let lines: [&[u8]; 6] = [
            br#"{"b": {"c": "x\u00e9\n", "d": [1, 2.5, null, {"k": true}]}, "a": -1, "big": 18446744073709551615, "t": true}"#,
            br#"{"@timestamp": "2026-01-02T03:04:05Z", "user.name": "alice", "n": null}"#,
            br#"{"event": {"id": "e-1"}, "timestamp": 1700000000000}"#,
            br#"{"id": 42, "dup": 1, "dup": 2, "x.y": 1, "x": {"y": 2}}"#,
            br#"{"id": "", "event.created": "2025-11-27 07:40:10.132", "f": 1e3}"#,
            br#"{}"#,
        ];
        for line in lines {
            let event = super::super::parse_line(line).unwrap();
            let (id, time) = identify_line(line).unwrap();
            assert_eq!(id, event.id, "{}", String::from_utf8_lossy(line));
            if event.fields.iter().any(|(n, _)| TIME_FIELDS.contains(&n)) {
                assert_eq!(time, event.time);
            }
        }
        assert!(identify_line(b"[1]").is_none());
        assert!(identify_line(br#"{"Event": {"System": {"EventID": 1}}}"#).is_none());
    }
}

//! Projecting one JSON object straight from its bytes, reading only the fields rules test.
//!
//! This is the fast path of [`super::RuleSet::match_json`]: no [`crate::event::Event`] and no
//! `serde_json::Value` is built; values of fields no rule reads are skipped by the tokenizer
//! (unless keyword searches need every string). Nested objects are read with dotted names,
//! exactly as [`crate::event::Fields::from_json_object`] flattens them.

use super::fields::{FieldId, FieldTable};
use super::projection::Projection;
use crate::event::frame::is_windows_record_key;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Projects the JSON object in `bytes` into `projection` (cleared first). A Windows
/// event-log record (a top-level key that [`is_windows_record_key`]) is only marked
/// ([`Projection::is_windows_record`]), for the general parser to flatten.
///
/// The whole line is checked to be UTF-8 first, as the general parser requires of every
/// string, skipped ones included; the tokenizer then reads it as text, without checking each
/// string again.
pub(crate) fn project(
    bytes: &[u8],
    table: &FieldTable,
    projection: &mut Projection,
) -> serde_json::Result<()> {
    projection.clear();
    let text = std::str::from_utf8(bytes).map_err(serde::de::Error::custom)?;
    let mut name = String::with_capacity(64);
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(ObjectVisitor {
        table,
        projection,
        name: &mut name,
    })?;
    de.end()
}

/// Reads an object whose keys extend `name` (empty at the top level).
struct ObjectVisitor<'a> {
    table: &'a FieldTable,
    projection: &'a mut Projection,
    name: &'a mut String,
}

/// What a key leads to.
enum Key {
    /// A field rules read (it may also be the prefix of others).
    Field(FieldId),
    /// Not a field, but the prefix of fields rules read.
    Prefix,
    /// Nothing rules read.
    Skip,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ObjectVisitor {
            table,
            projection,
            name,
        } = self;
        let base = name.len();
        while let Some(key) = map.next_key_seed(KeySeed { table, name })? {
            if base == 0 && is_windows_record_key(name) {
                // Flattened by structure, by the general parser: nothing to project.
                projection.mark_windows_record();
                map.next_value::<IgnoredAny>()?;
                name.truncate(base);
                continue;
            }
            match key {
                Key::Field(field) => {
                    let mark = projection.begin_field();
                    let scalar = map.next_value_seed(ValueSeed {
                        table,
                        projection,
                        name,
                        field_known: true,
                    })?;
                    if scalar {
                        projection.end_field(field, mark);
                    }
                }
                Key::Prefix => {
                    map.next_value_seed(ValueSeed {
                        table,
                        projection,
                        name,
                        field_known: false,
                    })?;
                }
                Key::Skip if projection.wants_keywords() => {
                    map.next_value_seed(ValueSeed {
                        table,
                        projection,
                        name,
                        field_known: false,
                    })?;
                }
                Key::Skip => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            name.truncate(base);
        }
        Ok(())
    }
}

/// Extends `name` with a key and classifies it.
struct KeySeed<'a> {
    table: &'a FieldTable,
    name: &'a mut String,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
        if !self.name.is_empty() {
            self.name.push('.');
        }
        self.name.push_str(key);
        Ok(match self.table.get(self.name) {
            Some(field) => Key::Field(field),
            None if self.table.is_prefix(self.name) => Key::Prefix,
            None => Key::Skip,
        })
    }
}

/// Reads one value into the projection; returns true if it was a scalar or a list (values of
/// the field `name`), false for an object (flattened into longer names instead).
struct ValueSeed<'a> {
    table: &'a FieldTable,
    projection: &'a mut Projection,
    name: &'a mut String,
    /// The values belong to a field rules read; else only strings are kept, for keywords.
    field_known: bool,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
        self.projection.push_str(v, self.field_known);
        Ok(true)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<bool, E> {
        if self.field_known {
            self.projection.push_int(v);
        }
        Ok(true)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<bool, E> {
        if self.field_known {
            match i64::try_from(v) {
                Ok(i) => self.projection.push_int(i),
                Err(_) => self.projection.push_float(v as f64),
            }
        }
        Ok(true)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<bool, E> {
        if self.field_known {
            self.projection.push_float(v);
        }
        Ok(true)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
        if self.field_known {
            self.projection.push_bool(v);
        }
        Ok(true)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<bool, E> {
        if self.field_known {
            self.projection.push_null();
        }
        Ok(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let ValueSeed {
            projection,
            field_known,
            ..
        } = self;
        while seq
            .next_element_seed(ElementSeed {
                projection,
                field_known,
            })?
            .is_some()
        {}
        Ok(true)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        ObjectVisitor {
            table: self.table,
            projection: self.projection,
            name: self.name,
        }
        .visit_map(map)?;
        Ok(false)
    }
}

/// Reads one element of a list: scalars as values; an object inside a list as its compact
/// JSON text (as [`crate::event::Value::from_json`] keeps it).
struct ElementSeed<'a> {
    projection: &'a mut Projection,
    field_known: bool,
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        push_json(self.projection, &value, self.field_known);
        Ok(())
    }
}

fn push_json(projection: &mut Projection, value: &serde_json::Value, field_known: bool) {
    use serde_json::Value as J;
    match value {
        J::String(s) => projection.push_str(s, field_known),
        J::Array(items) => items
            .iter()
            .for_each(|v| push_json(projection, v, field_known)),
        J::Object(_) => projection.push_str(&value.to_string(), field_known),
        _ if !field_known => {}
        J::Null => projection.push_null(),
        J::Bool(b) => projection.push_bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => projection.push_int(i),
            None => projection.push_float(n.as_f64().unwrap_or(f64::NAN)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, Fields};

    /// The fast projection equals projecting the event the slow parser builds.
    #[test]
    fn agrees_with_event_projection() {
        let mut table = FieldTable::default();
        let names = [
            "a", "b.c", "b.d.e", "list", "n", "f", "t", "z", "esc", "big",
        ];
        for n in names {
            table.intern(n);
        }
        let line = br#"{"a": "x", "b": {"c": 1, "d": {"e": [true, null, {"k": 1}]}, "skip": {"q": 2}}, "list": ["p", 2.5], "n": null, "f": -3, "t": false, "esc": "C:\\Windows\\x\u00e9", "big": 18446744073709551615, "other": "s"}"#;
        for keywords in [false, true] {
            let mut fast = Projection::new(table.len(), keywords);
            project(line, &table, &mut fast).unwrap();
            let object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(line).unwrap();
            let mut slow = Projection::new(table.len(), keywords);
            slow.load_event(&table, &Event::new(Fields::from_json_object(object)));
            for n in names {
                let id = table.get(n).unwrap();
                assert_eq!(fast.value_of(id), slow.value_of(id), "{n}");
            }
            let mut k1: Vec<&str> = fast.keyword_texts().collect();
            let mut k2: Vec<&str> = slow.keyword_texts().collect();
            k1.sort_unstable();
            k2.sort_unstable();
            assert_eq!(k1, k2);
        }
    }

    #[test]
    fn errors_on_bad_json() {
        let table = FieldTable::default();
        let mut p = Projection::new(0, false);
        assert!(project(b"{\"a\": }", &table, &mut p).is_err());
        assert!(project(b"42", &table, &mut p).is_err());
        assert!(project(b"{\"a\": 1} x", &table, &mut p).is_err());
        assert!(project(b"{\"a\": 1", &table, &mut p).unwrap_err().is_eof());
    }

    /// The fast path takes exactly the lines the general parser takes: escapes, surrogates,
    /// numbers at the edges, invalid UTF-8, control characters, nesting.
    #[test]
    fn accepts_what_the_event_parser_accepts() {
        let mut table = FieldTable::default();
        table.intern("a");
        let deep = |n: usize| format!("{{\"a\": {}1{}}}", "[".repeat(n), "]".repeat(n));
        let mut lines: Vec<Vec<u8>> = [
            r#"{"a": "\ud83d\ude00"}"#,
            r#"{"a": "\ud800"}"#,
            r#"{"a": "\udc00\ud800"}"#,
            r#"{"a": "\u00"}"#,
            r#"{"a": "\x"}"#,
            "{\"a\": \"tab\there\"}",
            r#"{"a": 1e400}"#,
            r#"{"a": -0}"#,
            r#"{"a": 01}"#,
            r#"{"a": 1.}"#,
            r#"{"a": 123456789012345678901234567890}"#,
            r#"{"a": .5}"#,
            r#"{"a": +1}"#,
            r#"{"a": NaN}"#,
            r#"{"a": tru}"#,
            r#"{"a": 1,}"#,
            r#"{"a" 1}"#,
            r#"{a: 1}"#,
            r#"{"a": 1}}"#,
            r#"  {"a": 1}  "#,
            r#"{"a": "x", "a": "y"}"#,
        ]
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
        lines.push(b"{\"a\": \"\xff\xfe\"}".to_vec());
        lines.push(b"{\"a\": \"\xc3\"}".to_vec());
        lines.push(b"{\"a\": 1, \"skipped\": \"\xff\"}".to_vec());
        lines.push(b"{\"a\": 1, \"skipped\": {\"deep\": [\"\xc3\"]}}".to_vec());
        lines.push(b"{\"a\": 1, \"\xff\": 2}".to_vec());
        lines.extend([100, 127, 128, 129, 254, 300].map(|n| deep(n).into_bytes()));
        for line in &lines {
            let mut p = Projection::new(table.len(), false);
            let fast = project(line, &table, &mut p).is_ok();
            let slow = crate::event::parse_line(line).is_ok();
            assert_eq!(fast, slow, "{}", String::from_utf8_lossy(line));
        }
    }
}

//! Reading JSON straight into [`Fields`] and [`Value`]s, flattening nested objects into dotted
//! names on the way, without building a `serde_json::Value` first.

use super::{Fields, Value};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

impl<'de> Deserialize<'de> for Fields {
    /// Flattens a JSON object as [`Fields::from_json_object`] does; repeated names keep their
    /// last value.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields = Fields::with_capacity(32);
        flatten_into(deserializer, &mut fields)?;
        fields.keep_last();
        Ok(fields)
    }
}

/// A scalar or list value; an object inside a list becomes its compact JSON text.
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        let object = serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Value::String(object.to_string()))
    }
}

/// Where flattened fields go: [`Fields`], or the identity computation that only hashes them.
pub(crate) trait FieldSink {
    /// A field's value (scalars and lists; objects arrive as their own dotted fields).
    fn value(&mut self, name: &str, value: Value);

    /// A string field's value; sinks that do not keep strings can avoid the copy.
    fn text(&mut self, name: &str, text: &str) {
        self.value(name, Value::String(text.to_string()));
    }
}

impl FieldSink for Fields {
    fn value(&mut self, name: &str, value: Value) {
        self.push(name.to_string(), value);
    }
}

/// Reads one JSON object from `deserializer` into `sink`, nested objects as dotted names.
pub(crate) fn flatten_into<'de, D: Deserializer<'de>>(
    deserializer: D,
    sink: &mut impl FieldSink,
) -> Result<(), D::Error> {
    let mut name = String::with_capacity(64);
    deserializer.deserialize_map(ObjectVisitor {
        sink,
        name: &mut name,
    })
}

/// Reads an object whose keys extend `name` (empty at the top level) into the sink.
struct ObjectVisitor<'a, S> {
    sink: &'a mut S,
    name: &'a mut String,
}

impl<'de, S: FieldSink> Visitor<'de> for ObjectVisitor<'_, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let base = self.name.len();
        while map
            .next_key_seed(KeySeed {
                name: &mut *self.name,
            })?
            .is_some()
        {
            map.next_value_seed(FieldSeed {
                sink: &mut *self.sink,
                name: &mut *self.name,
            })?;
            self.name.truncate(base);
        }
        Ok(())
    }
}

/// Appends a key to the dotted name being built (after a `.` unless it is the first), straight
/// from the tokenizer's buffer.
struct KeySeed<'a> {
    name: &'a mut String,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<(), E> {
        if !self.name.is_empty() {
            self.name.push('.');
        }
        self.name.push_str(key);
        Ok(())
    }
}

/// Reads the value of the field `name`: an object is flattened under it, anything else is
/// the field's value.
struct FieldSeed<'a, S> {
    sink: &'a mut S,
    name: &'a mut String,
}

impl<'de, S: FieldSink> DeserializeSeed<'de> for FieldSeed<'_, S> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, S: FieldSink> Visitor<'de> for FieldSeed<'_, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.sink.value(self.name, Value::Bool(v));
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.sink.value(self.name, Value::Int(v));
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.sink.value(self.name, Value::from(v));
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.sink.value(self.name, Value::Float(v));
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.sink.text(self.name, v);
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.sink.value(self.name, Value::Null);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let list = ValueVisitor.visit_seq(seq)?;
        self.sink.value(self.name, list);
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        ObjectVisitor {
            sink: self.sink,
            name: self.name,
        }
        .visit_map(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading directly gives what flattening a parsed `serde_json::Value` gives.
    #[test]
    fn agrees_with_flattening_a_parsed_object() {
        let text = r#"{"a": 1, "b": {"c": "x\u00e9", "d": {"e": [1, 2.5, null, {"k": true}]}}, "f": null,
            "big": 18446744073709551615, "g": -7, "dup": 1, "dup": 2, "b.c": "flat wins?"}"#;
        let direct: Fields = serde_json::from_str(text).unwrap();
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(text).unwrap();
        let flattened = Fields::from_json_object(object);
        let mut a: Vec<_> = direct.iter().collect();
        let mut b: Vec<_> = flattened.iter().collect();
        a.sort_by(|x, y| x.0.cmp(y.0));
        b.sort_by(|x, y| x.0.cmp(y.0));
        assert_eq!(a.len(), b.len());
        for ((na, va), (nb, vb)) in a.iter().zip(&b) {
            assert_eq!(na, nb);
            if *na != "b.c" {
                assert_eq!(va, vb, "{na}");
            }
        }
        assert_eq!(direct.get("dup"), Some(&Value::Int(2)));
        assert_eq!(
            direct.get("b.d.e"),
            Some(&Value::List(vec![
                Value::Int(1),
                Value::Float(2.5),
                Value::Null,
                Value::from("{\"k\":true}")
            ]))
        );
    }

    #[test]
    fn rejects_non_objects() {
        assert!(serde_json::from_str::<Fields>("[1]").is_err());
        assert!(serde_json::from_str::<Fields>("3").is_err());
    }
}

//! Group keys: the values of a rollup's `group_by` fields as one canonical text.

use crate::event::{Event, Fields, Value};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Which group a bucket belongs to: the values of the `group_by` fields, in order, as compact
/// JSON array text (`["10.0.0.1",200]`; `[]` without `group_by`; a missing field is `null`).
///
/// The text is canonical, so it can be a storage key: numbers with no fractional part are
/// written as integers (`200.0` and `200` are the same group), strings with JSON escapes.
/// The overflow group that collects the groups beyond a rollup's
/// [`max_groups`](super::RollupSpec::max_groups) has the text `*`, which no array can equal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GroupKey(String);

/// Keys look up by their text (the order and hash are those of the text).
impl std::borrow::Borrow<str> for GroupKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// The text of the overflow group.
const OTHER: &str = "*";

impl GroupKey {
    /// The group of `event` for these `group_by` fields.
    pub fn of(event: &Event, group_by: &[String]) -> GroupKey {
        let mut text = String::new();
        write_key(&mut text, group_by.iter().map(|f| event.get(f)));
        GroupKey(text)
    }

    /// The overflow group, where events of groups beyond a rollup's limit go.
    pub fn other() -> GroupKey {
        GroupKey(OTHER.to_string())
    }

    /// A key from its stored text, as [`GroupKey::as_str`] gave it.
    pub fn from_text(text: impl Into<String>) -> GroupKey {
        GroupKey(text.into())
    }

    /// The canonical text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the overflow group.
    pub fn is_other(&self) -> bool {
        self.0 == OTHER
    }

    /// The group's values in `group_by` order; `None` for the overflow group or text that is
    /// not a JSON array.
    pub fn values(&self) -> Option<Vec<Value>> {
        match serde_json::from_str(&self.0).ok()? {
            serde_json::Value::Array(items) => {
                Some(items.into_iter().map(Value::from_json).collect())
            }
            _ => None,
        }
    }

    /// The group as field names to values, for output: `{"source.ip": "10.0.0.1"}`. The
    /// overflow group maps every field to `null`.
    pub fn to_fields(&self, group_by: &[String]) -> Fields {
        let mut values = self.values().unwrap_or_default().into_iter();
        group_by
            .iter()
            .map(|name| (name.clone(), values.next().unwrap_or(Value::Null)))
            .collect()
    }
}

/// Writes the canonical key text of these values into `out` (cleared first).
pub(crate) fn write_key<'a>(out: &mut String, values: impl Iterator<Item = Option<&'a Value>>) {
    out.clear();
    out.push('[');
    for (i, value) in values.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_value(out, value.unwrap_or(&Value::Null));
    }
    out.push(']');
}

/// Writes one value as canonical JSON: integral floats as integers, non-finite floats as null.
pub(crate) fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => match value.as_i64() {
            Some(i) => {
                let _ = write!(out, "{i}");
            }
            None if f.is_finite() => out.push_str(&serde_json::Value::from(*f).to_string()),
            None => out.push_str("null"),
        },
        Value::String(s) => write_string(out, s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
    }
}

/// A JSON string literal: quotes, backslashes and control characters escaped.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(values: &[Value]) -> String {
        let mut out = String::new();
        write_key(&mut out, values.iter().map(Some));
        out
    }

    #[test]
    fn canonical_text_is_json_with_integral_floats_as_integers() {
        assert_eq!(key(&[]), "[]");
        assert_eq!(
            key(&[Value::from("10.0.0.1"), Value::from(200)]),
            r#"["10.0.0.1",200]"#
        );
        assert_eq!(key(&[Value::Float(200.0)]), key(&[Value::Int(200)]));
        assert_eq!(key(&[Value::Float(0.25), Value::Null]), "[0.25,null]");
        assert_eq!(key(&[Value::Float(f64::NAN)]), "[null]");
        assert_eq!(
            key(&[Value::from("a\"b\\c\nd\u{1}")]),
            r#"["a\"b\\c\nd\u0001"]"#
        );
        assert_eq!(key(&[Value::from(vec![1, 2])]), "[[1,2]]");
        // Whatever the value, the text parses back as the same JSON.
        let text = key(&[Value::from("é\t"), Value::Bool(true)]);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, serde_json::json!(["é\t", true]));
    }

    #[test]
    fn fields_come_back_in_group_by_order() {
        let by = vec![
            "source.ip".to_string(),
            "http.response.status_code".to_string(),
        ];
        let event = Event::new(
            [
                ("http.response.status_code", Value::from(500)),
                ("source.ip", Value::from("10.0.0.9")),
            ]
            .into_iter()
            .collect(),
        );
        let group = GroupKey::of(&event, &by);
        assert_eq!(group.as_str(), r#"["10.0.0.9",500]"#);
        assert_eq!(
            serde_json::to_string(&group.to_fields(&by)).unwrap(),
            r#"{"source.ip":"10.0.0.9","http.response.status_code":500}"#
        );
        let other = GroupKey::other();
        assert!(other.is_other() && !group.is_other());
        assert_eq!(
            serde_json::to_string(&other.to_fields(&by)).unwrap(),
            r#"{"source.ip":null,"http.response.status_code":null}"#
        );
    }
}

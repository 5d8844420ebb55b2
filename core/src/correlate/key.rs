//! Field values as correlation keeps them, and group keys made of them.

use crate::event::Value;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A field value read for a correlation: text or a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum Scalar {
    /// A whole number.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// Text (booleans and lists as their JSON text).
    Text(String),
}

impl Scalar {
    /// The scalar of an event value; `None` for null and non-finite numbers.
    pub(crate) fn of(value: &Value) -> Option<Scalar> {
        match value {
            Value::Null => None,
            Value::Int(i) => Some(Scalar::Int(*i)),
            Value::Float(f) if f.is_finite() => Some(Scalar::Float(*f)),
            Value::Float(_) => None,
            Value::String(s) => Some(Scalar::Text(s.clone())),
            Value::Bool(_) | Value::List(_) => Some(Scalar::Text(value.to_json().to_string())),
        }
    }

    /// The text that groups and distinct values compare: numbers as JSON writes them.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Scalar::Text(s) => Cow::Borrowed(s),
            Scalar::Int(i) => Cow::Owned(itoa::Buffer::new().format(*i).to_string()),
            Scalar::Float(f) => Cow::Owned(f.to_string()),
        }
    }

    /// The number: numbers, and text that reads as a finite number (`"1500"`).
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Scalar::Int(i) => Some(*i as f64),
            Scalar::Float(f) => Some(*f),
            Scalar::Text(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        }
    }
}

/// Appends one part to a group key: its length in bytes, `:`, the text. Length prefixes keep
/// keys of several fields unambiguous whatever the values contain.
pub(crate) fn push_part(key: &mut String, part: &str) {
    key.push_str(itoa::Buffer::new().format(part.len()));
    key.push(':');
    key.push_str(part);
}

/// The parts of a key made by [`push_part`].
pub(crate) fn parts(key: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = key;
    while let Some(colon) = rest.find(':') {
        let Ok(len) = rest[..colon].parse::<usize>() else {
            break;
        };
        let Some(part) = rest.get(colon + 1..colon + 1 + len) else {
            break;
        };
        parts.push(part);
        rest = &rest[colon + 1 + len..];
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        let mut key = String::new();
        for part in ["10.0.0.1", "", "a:3:b", "ünï"] {
            push_part(&mut key, part);
        }
        assert_eq!(key, "8:10.0.0.10:5:a:3:b5:ünï");
        assert_eq!(parts(&key), ["10.0.0.1", "", "a:3:b", "ünï"]);
        assert!(parts("").is_empty());
    }

    #[test]
    fn scalars() {
        assert_eq!(Scalar::of(&Value::from(4625)).unwrap().text(), "4625");
        assert_eq!(Scalar::of(&Value::from(2.5)).unwrap().text(), "2.5");
        assert_eq!(Scalar::of(&Value::from(true)).unwrap().text(), "true");
        assert_eq!(Scalar::of(&Value::Null), None);
        assert_eq!(
            Scalar::of(&Value::from("1500")).unwrap().number(),
            Some(1500.0)
        );
        assert_eq!(Scalar::of(&Value::from("alice")).unwrap().number(), None);
    }
}

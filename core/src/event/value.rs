//! Typed field values and the ordered field map of an event.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use std::fmt;

/// One field value: JSON's scalars and lists, with integers kept apart from floats.
///
/// JSON objects never appear as values: nested objects are flattened into dotted field names
/// (see [`Fields`]); an object inside a list is kept as its compact JSON text. Values convert
/// from Rust's scalars with `From`, and are read back with the `as_*` accessors; queries
/// compare them typed (`500` equals `500.0`, never `"500"`).
///
/// ```
/// use finmark::{Event, Value};
/// let event = finmark::event::parse(br#"{"http": {"response": {"status_code": 503}}, "tags": ["a", 1]}"#)
///     .events
///     .remove(0);
/// assert_eq!(event.get("http.response.status_code"), Some(&Value::Int(503)));
/// assert_eq!(event.get("tags"), Some(&Value::List(vec![Value::from("a"), Value::from(1)])));
/// assert_eq!(Value::from("alice").as_str(), Some("alice"));
/// assert_eq!(Value::from(2.5).as_f64(), Some(2.5));
/// # let _: &Event = &event;
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// JSON `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number that fits in 64 bits.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A UTF-8 string.
    String(String),
    /// A JSON array.
    List(Vec<Value>),
}

impl Value {
    /// The string inside, if this is a [`Value::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as an integer: integers, and floats without a fractional part.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        }
    }

    /// The value as a float: integers and floats.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// True for [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Converts a parsed JSON value. Objects inside lists become their compact JSON text;
    /// a top-level object should be flattened with [`Fields::from_json_object`] instead.
    pub fn from_json(value: serde_json::Value) -> Value {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(items) => {
                Value::List(items.into_iter().map(Value::from_json).collect())
            }
            object @ serde_json::Value::Object(_) => Value::String(object.to_string()),
        }
    }

    /// Converts back to a JSON value.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
        }
    }
}

impl fmt::Display for Value {
    /// Strings print bare; everything else prints as JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => f.write_str(s),
            other => write!(f, "{}", other.to_json()),
        }
    }
}

macro_rules! value_from {
    ($($t:ty => $variant:ident as $conv:ty),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::$variant(<$conv>::from(v))
            }
        })*
    };
}

value_from!(
    bool => Bool as bool,
    i32 => Int as i64,
    i64 => Int as i64,
    u16 => Int as i64,
    u32 => Int as i64,
    f64 => Float as f64,
    String => String as String,
    &str => String as String,
);

impl From<u64> for Value {
    fn from(v: u64) -> Self {
        i64::try_from(v).map_or(Value::Float(v as f64), Value::Int)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Float(f) if f.is_finite() => serializer.serialize_f64(*f),
            Value::Float(_) => serializer.serialize_unit(),
            Value::String(s) => serializer.serialize_str(s),
            Value::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

/// The fields of an event: dotted names (`source.ip`, `user.name`) to values, in insertion
/// order, each name at most once.
///
/// Events carry tens of fields, so lookups scan a vector: faster than hashing at that size,
/// and the order of the input is kept for display and storage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fields(Vec<(String, Value)>);

impl Fields {
    /// An empty field map.
    pub fn new() -> Self {
        Fields(Vec::new())
    }

    /// An empty field map with room for `n` fields.
    pub fn with_capacity(n: usize) -> Self {
        Fields(Vec::with_capacity(n))
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Sets `name` to `value`, replacing an earlier value of the same name in place.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Value>) {
        let name = name.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// Removes `name` and returns its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let at = self.0.iter().position(|(k, _)| k == name)?;
        Some(self.0.remove(at).1)
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The fields in insertion order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Appends a field without looking for an earlier one of the same name; callers that may
    /// repeat names call [`Fields::keep_last`] when done.
    pub(crate) fn push(&mut self, name: String, value: Value) {
        self.0.push((name, value));
    }

    /// Removes all but the last value of every repeated name, keeping the order of the rest.
    pub(crate) fn keep_last(&mut self) {
        if self.0.len() < 2 {
            return;
        }
        let mut order: Vec<usize> = (0..self.0.len()).collect();
        order.sort_by(|&a, &b| self.0[a].0.cmp(&self.0[b].0).then(a.cmp(&b)));
        let repeated: Vec<usize> = order
            .windows(2)
            .filter(|w| self.0[w[0]].0 == self.0[w[1]].0)
            .map(|w| w[0])
            .collect();
        if repeated.is_empty() {
            return;
        }
        let mut index = 0;
        self.0.retain(|_| {
            let keep = !repeated.contains(&index);
            index += 1;
            keep
        });
    }

    /// Flattens a JSON object: nested objects become dotted names (`{"source": {"ip": x}}`
    /// gives `source.ip`), arrays stay lists. A key that already contains dots is kept as is.
    pub fn from_json_object(object: serde_json::Map<String, serde_json::Value>) -> Fields {
        let mut fields = Fields::with_capacity(object.len());
        fields.flatten_into("", object);
        fields
    }

    fn flatten_into(&mut self, prefix: &str, object: serde_json::Map<String, serde_json::Value>) {
        for (key, value) in object {
            let name = if prefix.is_empty() {
                key
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                serde_json::Value::Object(inner) => self.flatten_into(&name, inner),
                other => self.push(name, Value::from_json(other)),
            }
        }
        if prefix.is_empty() {
            self.keep_last();
        }
    }

    /// The fields as a flat JSON object (dotted names as keys).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect(),
        )
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Fields {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut fields = Fields::new();
        for (k, v) in iter {
            fields.insert(k, v);
        }
        fields
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

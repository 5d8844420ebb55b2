//! What a rollup or a query takes from an event: whether it passes the filter, its measured
//! value, its group and the hash of its distinct-counted value. The stage and the raw-event
//! query path both use this, so they read events the same way.

use super::group::{write_key, write_value};
use super::spec::Measure;
use crate::event::{Event, Value};
use xxhash_rust::xxh3::xxh3_64;

/// A measured value: integers are kept apart so that sums of them are exact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Number {
    /// A whole number (an integer, or a float without fractional part that fits in 64 bits).
    Int(i64),
    /// Any other finite number.
    Float(f64),
}

impl Number {
    /// The number in a field value; `None` for non-numbers and non-finite floats.
    pub(crate) fn of(value: &Value) -> Option<Number> {
        match value {
            Value::Int(i) => Some(Number::Int(*i)),
            Value::Float(f) if f.is_finite() => {
                Some(value.as_i64().map_or(Number::Float(*f), Number::Int))
            }
            _ => None,
        }
    }

    /// As a float.
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// What one event adds to a bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sample {
    /// The measured value: 1 for a count.
    pub value: Number,
    /// Whether the value goes into the quantile sketch (not for counts: every value is 1).
    pub quantiles: bool,
    /// The hash of the distinct-counted field's value, when the field is set.
    pub distinct: Option<u64>,
}

/// Why an event adds nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    /// It fails the filter.
    Filtered,
    /// The measured field is missing or not a finite number.
    NotNumeric,
}

/// The parts of a rollup or query that read events.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Selector<'a> {
    /// What is measured.
    pub measure: &'a Measure,
    /// Field equalities every event must pass.
    pub filters: &'a [(String, Value)],
    /// The fields that make the group.
    pub group_by: &'a [String],
    /// The field whose distinct values are counted.
    pub distinct: Option<&'a str>,
}

impl Selector<'_> {
    /// The sample `event` adds, writing its group key text into `key`; or why it adds none
    /// (then `key` is left as it was).
    pub(crate) fn sample(&self, event: &Event, key: &mut String) -> Result<Sample, Skip> {
        let passes = self
            .filters
            .iter()
            .all(|(name, want)| event.get(name).is_some_and(|v| values_equal(v, want)));
        if !passes {
            return Err(Skip::Filtered);
        }
        let (value, quantiles) = match self.measure {
            Measure::Count => (Number::Int(1), false),
            Measure::Field(field) => {
                let value = event.get(field).and_then(Number::of);
                (value.ok_or(Skip::NotNumeric)?, true)
            }
        };
        let distinct = self
            .distinct
            .and_then(|field| event.get(field))
            .and_then(hash_value);
        write_key(key, self.group_by.iter().map(|f| event.get(f)));
        Ok(Sample {
            value,
            quantiles,
            distinct,
        })
    }
}

/// Typed equality with integers and floats compared as numbers (as event queries compare):
/// the filter `500` matches the integer 500 and the float 500.0, not the string `"500"`.
pub(crate) fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            a.as_f64() == b.as_f64()
        }
        _ => a == b,
    }
}

/// The 64-bit hash a distinct count keeps of a value: XXH3 (seed 0) of its canonical JSON
/// text, so the hash is the same on every machine and in every version, and `5` and `5.0`
/// are one value while `"5"` is another. `null` is not counted.
pub(crate) fn hash_value(value: &Value) -> Option<u64> {
    if value.is_null() {
        return None;
    }
    let mut text = String::new();
    write_value(&mut text, value);
    Some(xxh3_64(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(fields: &[(&str, Value)]) -> Event {
        Event::new(fields.iter().cloned().collect())
    }

    #[test]
    fn numbers_keep_integers_apart() {
        assert_eq!(Number::of(&Value::Int(-3)), Some(Number::Int(-3)));
        assert_eq!(Number::of(&Value::Float(4.0)), Some(Number::Int(4)));
        assert_eq!(Number::of(&Value::Float(0.5)), Some(Number::Float(0.5)));
        assert_eq!(Number::of(&Value::Float(f64::INFINITY)), None);
        assert_eq!(Number::of(&Value::from("12")), None);
    }

    #[test]
    fn a_selector_filters_measures_and_groups() {
        let measure = Measure::Field("event.duration".into());
        let filters = vec![("http.response.status_code".to_string(), Value::Int(500))];
        let group_by = vec!["url.path".to_string()];
        let selector = Selector {
            measure: &measure,
            filters: &filters,
            group_by: &group_by,
            distinct: Some("source.ip"),
        };
        let mut key = String::new();
        let hit = event(&[
            ("http.response.status_code", Value::Float(500.0)),
            ("event.duration", Value::Int(1_500)),
            ("url.path", Value::from("/pay")),
            ("source.ip", Value::from("10.0.0.1")),
        ]);
        let sample = selector.sample(&hit, &mut key).unwrap();
        assert_eq!(sample.value, Number::Int(1_500));
        assert!(sample.quantiles);
        assert_eq!(sample.distinct, hash_value(&Value::from("10.0.0.1")));
        assert_eq!(key, r#"["/pay"]"#);

        let wrong_status = event(&[
            ("http.response.status_code", Value::from("500")),
            ("event.duration", Value::Int(1)),
        ]);
        assert_eq!(
            selector.sample(&wrong_status, &mut key),
            Err(Skip::Filtered)
        );
        let no_duration = event(&[("http.response.status_code", Value::Int(500))]);
        assert_eq!(
            selector.sample(&no_duration, &mut key),
            Err(Skip::NotNumeric)
        );
    }

    #[test]
    fn distinct_hashes_are_canonical() {
        assert_eq!(hash_value(&Value::Int(5)), hash_value(&Value::Float(5.0)));
        assert_ne!(hash_value(&Value::Int(5)), hash_value(&Value::from("5")));
        assert_eq!(hash_value(&Value::Null), None);
        // The hash is of the canonical text `"a"`, quotes included.
        assert_eq!(hash_value(&Value::from("a")), Some(xxh3_64(b"\"a\"")));
        // XXH3-64 itself, seed 0, on empty input: 0x2D06800538D394C2, the value of xxHash's
        // own sanity checks (`tests/sanity_test_vectors.h`). A different hash would split the
        // stored distinct counts in two.
        assert_eq!(xxh3_64(b""), 0x2D06_8005_38D3_94C2);
    }
}

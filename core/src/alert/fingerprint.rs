//! Fingerprints (what duplicates share) and alert ids (what two processes raising the same
//! alert agree on), both derived from content, never from a counter in memory.

use crate::event::Value;
use std::collections::BTreeMap;
use xxhash_rust::xxh3::xxh3_128;

/// The fingerprint of a rule's signals for one group: 32 lowercase hex digits of a 128-bit
/// hash of the rule id and the group's field names and values (in name order, values in their
/// JSON form, so `500` and `"500"` differ).
///
/// ```
/// use finmark::alert::fingerprint;
/// use finmark::Value;
/// let group = [("source.ip".to_string(), Value::from("10.0.0.1"))].into_iter().collect();
/// let other = [("source.ip".to_string(), Value::from("10.0.0.2"))].into_iter().collect();
/// assert_eq!(fingerprint("r1", &group), fingerprint("r1", &group));
/// assert_ne!(fingerprint("r1", &group), fingerprint("r1", &other));
/// assert_ne!(fingerprint("r1", &group), fingerprint("r2", &group));
/// assert_eq!(fingerprint("r1", &group).len(), 32);
/// ```
pub fn fingerprint(rule_id: &str, group: &BTreeMap<String, Value>) -> String {
    let mut text = String::with_capacity(64);
    text.push_str(rule_id);
    for (name, value) in group {
        // Separators that cannot occur in JSON text or be confused with it.
        text.push('\u{1}');
        text.push_str(name);
        text.push('\u{2}');
        text.push_str(&value.to_json().to_string());
    }
    hex(xxh3_128(text.as_bytes()))
}

/// The id of the `generation`-th alert with `fingerprint`.
pub fn alert_id(fingerprint: &str, generation: u64) -> String {
    hex(xxh3_128(format!("{fingerprint}#{generation}").as_bytes()))
}

fn hex(hash: u128) -> String {
    format!("{hash:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values_and_names_are_part_of_it() {
        let g = |name: &str, v: Value| -> BTreeMap<String, Value> {
            [(name.to_string(), v)].into_iter().collect()
        };
        assert_ne!(
            fingerprint("r", &g("code", Value::Int(500))),
            fingerprint("r", &g("code", Value::from("500")))
        );
        assert_ne!(
            fingerprint("r", &g("a", Value::from("b"))),
            fingerprint("r", &g("b", Value::from("a")))
        );
        assert_ne!(alert_id("f", 1), alert_id("f", 2));
        assert_eq!(alert_id("f", 1), alert_id("f", 1));
    }
}

//! Distinct values of a `value_count` group's window: exact up to a cap, then HyperLogLog.

use hyperloglogplus::{HyperLogLog, HyperLogLogPlus};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;

/// HyperLogLog precision: 2^11 registers, about 2.3% standard error, 1.5 KiB when dense.
const PRECISION: u8 = 11;

/// Number of sketches a timespan is cut into once a group counts approximately.
pub(crate) const SKETCH_BUCKETS: i64 = 8;

/// xxh3 with a fixed seed, so sketches saved by one process stay valid in the next.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub(crate) struct StableHash;

impl BuildHasher for StableHash {
    type Hasher = xxhash_rust::xxh3::Xxh3Default;

    fn build_hasher(&self) -> Self::Hasher {
        xxhash_rust::xxh3::Xxh3Default::new()
    }
}

type Sketch = HyperLogLogPlus<String, StableHash>;

/// The distinct values of a window.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Distinct {
    /// Each value with the time it was last seen (exact mode).
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    exact: HashMap<String, i64>,
    /// The oldest last-seen time in `exact`.
    #[serde(default)]
    oldest: i64,
    /// Per bucket start, a sketch of the values seen in it (approximate mode).
    #[serde(default, skip_serializing_if = "VecDeque::is_empty")]
    sketches: VecDeque<(i64, Sketch)>,
}

impl Distinct {
    /// Drops the values last seen before `cutoff` (whole sketches when all of their bucket is
    /// before it).
    pub(crate) fn evict(&mut self, cutoff: i64, width: i64) {
        while self
            .sketches
            .front()
            .is_some_and(|(start, _)| start.saturating_add(width) <= cutoff)
        {
            self.sketches.pop_front();
        }
        if !self.exact.is_empty() && self.oldest < cutoff {
            self.exact.retain(|_, seen| *seen >= cutoff);
            self.oldest = self.exact.values().copied().min().unwrap_or(0);
        }
    }

    /// Records `value` seen at `time` (never older than what was recorded), switching to
    /// sketches when a new value would make more than `cap`.
    pub(crate) fn insert(&mut self, value: &str, time: i64, cap: usize, width: i64) {
        if self.sketches.is_empty() {
            if let Some(seen) = self.exact.get_mut(value) {
                *seen = time;
                return;
            }
            if self.exact.len() < cap {
                if self.exact.is_empty() {
                    self.oldest = time;
                }
                self.exact.insert(value.to_string(), time);
                return;
            }
            let mut known: Vec<(String, i64)> = self.exact.drain().collect();
            known.sort_by_key(|(_, seen)| *seen);
            for (known, seen) in known {
                self.sketch_at(seen, width).insert(known.as_str());
            }
        }
        self.sketch_at(time, width).insert(value);
    }

    fn sketch_at(&mut self, time: i64, width: i64) -> &mut Sketch {
        let start = time - time.rem_euclid(width);
        if self.sketches.back().is_none_or(|(s, _)| *s != start) {
            let sketch = Sketch::new(PRECISION, StableHash).expect("precision 11 is valid");
            self.sketches.push_back((start, sketch));
        }
        &mut self.sketches.back_mut().expect("just pushed").1
    }

    /// The number of distinct values: exact, or the sketches' estimate rounded.
    pub(crate) fn count(&self) -> u64 {
        let Some((_, first)) = self.sketches.front() else {
            return self.exact.len() as u64;
        };
        let mut merged = first.clone();
        for (_, sketch) in self.sketches.iter().skip(1) {
            merged
                .merge(sketch)
                .expect("every sketch has the same precision");
        }
        merged.count().round() as u64
    }

    /// True when counting approximately.
    pub(crate) fn is_sketched(&self) -> bool {
        !self.sketches.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_then_sketched() {
        let width = 100;
        let mut d = Distinct::default();
        for i in 0..10 {
            d.insert(&format!("user{}", i % 5), i, 8, width);
        }
        assert_eq!(d.count(), 5);
        d.evict(6, width);
        assert_eq!(d.count(), 4, "user0, last seen at 5, left the window");
        for i in 0..1000 {
            d.insert(&format!("spray{i}"), 10 + i, 8, width);
        }
        assert!(d.is_sketched());
        let n = d.count() as f64;
        assert!((n - 1004.0).abs() < 1004.0 * 0.08, "{n}");
        let saved = serde_json::to_string(&d).unwrap();
        let restored: Distinct = serde_json::from_str(&saved).unwrap();
        assert_eq!(restored.count(), d.count(), "sketches survive a restart");
        d.evict(10_000, width);
        assert_eq!(d.count(), 0);
        assert!(!d.is_sketched(), "an emptied window counts exactly again");
    }
}

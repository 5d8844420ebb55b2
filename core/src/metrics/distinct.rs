//! Distinct counts: a HyperLogLog++ sketch (crate `hyperloglogplus`) of value hashes.
//!
//! Precision 14 (16,384 registers): a standard error of about 1.04/√16384 = 0.81 % once the
//! sketch is dense; below roughly 3,000 distinct values it stays in HLL++'s sparse form
//! (25-bit indexes), where estimates are close to exact and the sketch is a few bytes per
//! value. A dense sketch is 13 KiB. Union (bucket merging) takes the maximum of each register,
//! which is exact: the union of two sketches is the sketch of the union.

use crate::error::{Error, Result};
use hyperloglogplus::{HyperLogLog, HyperLogLogPlus};
use serde::{Deserialize, Serialize};
use std::hash::{BuildHasher, Hasher};

/// The HyperLogLog++ precision (log2 of the number of registers).
pub(crate) const PRECISION: u8 = 14;

/// Values are hashed before they reach the sketch ([`super::select::hash_value`], XXH3), so
/// the sketch's own hasher passes the 64-bit hash through unchanged. Being a unit struct it
/// serialises as nothing, and every sketch uses the same one: sketches made in different
/// processes merge.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub(crate) struct PassThrough;

/// The hasher of [`PassThrough`]: the last `u64` written is the hash.
#[derive(Debug, Default)]
pub(crate) struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64`s are inserted; fold anything else in rather than lose it.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

impl BuildHasher for PassThrough {
    type Hasher = PassThroughHasher;
    fn build_hasher(&self) -> PassThroughHasher {
        PassThroughHasher(0)
    }
}

type Sketch = HyperLogLogPlus<u64, PassThrough>;

/// A distinct-count sketch of value hashes.
#[derive(Clone)]
pub(crate) struct Distinct(Sketch);

impl Distinct {
    /// An empty sketch.
    pub(crate) fn new() -> Distinct {
        // `new` fails only for a precision outside 4..=18.
        match Sketch::new(PRECISION, PassThrough) {
            Ok(sketch) => Distinct(sketch),
            Err(_) => unreachable!("precision {PRECISION} is within 4..=18"),
        }
    }

    /// Counts the value with this hash.
    pub(crate) fn insert(&mut self, hash: u64) {
        self.0.insert(&hash);
    }

    /// Adds every value counted by `other`.
    pub(crate) fn merge(&mut self, other: &Distinct) {
        // Both sketches have the same precision (checked when decoding), the only failure.
        let _ = self.0.merge(&other.0);
    }

    /// The estimated number of distinct values.
    pub(crate) fn estimate(&self) -> f64 {
        // Counting folds the sketch's insertion buffer in, so it needs a mutable copy.
        self.0.clone().count()
    }

    /// The sketch as bytes: the crate's serde form in `postcard`'s compact encoding, after
    /// folding the insertion buffer in (so equal sketches give equal bytes).
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut folded = self.0.clone();
        folded.count();
        postcard::to_allocvec(&folded).unwrap_or_default()
    }

    /// A sketch from [`Distinct::to_bytes`]; an error if the bytes are not one of precision
    /// [`PRECISION`].
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Distinct> {
        let decoded: Sketch = postcard::from_bytes(bytes).map_err(|e| {
            Error::new(
                crate::ErrorKind::Integrity,
                format!("bad distinct-count sketch: {e}"),
            )
        })?;
        // Merging into a fresh sketch checks the precision and gives a sketch built here.
        let mut sketch = Sketch::new(PRECISION, PassThrough)
            .map_err(|e| Error::internal(format!("distinct-count sketch: {e}")))?;
        sketch.merge(&decoded).map_err(|e| {
            Error::new(
                crate::ErrorKind::Integrity,
                format!("bad distinct-count sketch: {e}"),
            )
        })?;
        Ok(Distinct(sketch))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Value;
    use crate::metrics::select::hash_value;

    fn hashes(range: std::ops::Range<u32>) -> impl Iterator<Item = u64> {
        range.map(|i| {
            hash_value(&Value::from(format!(
                "10.{}.{}.{}",
                i >> 16,
                (i >> 8) & 255,
                i & 255
            )))
            .unwrap()
        })
    }

    #[test]
    fn small_counts_are_exact_and_repeats_count_once() {
        let mut d = Distinct::new();
        for h in hashes(0..100).chain(hashes(0..100)) {
            d.insert(h);
        }
        assert_eq!(d.estimate().round(), 100.0);
    }

    #[test]
    fn large_counts_are_within_three_standard_errors() {
        // 0.81 % standard error at precision 14; three of them is 2.4 %.
        let mut d = Distinct::new();
        for h in hashes(0..200_000) {
            d.insert(h);
        }
        let e = d.estimate();
        assert!((e / 200_000.0 - 1.0).abs() < 0.024, "estimate {e}");
    }

    #[test]
    fn union_of_sketches_is_the_sketch_of_the_union() {
        let (mut a, mut b, mut all) = (Distinct::new(), Distinct::new(), Distinct::new());
        for h in hashes(0..6_000) {
            a.insert(h);
            all.insert(h);
        }
        for h in hashes(3_000..9_000) {
            b.insert(h);
            all.insert(h);
        }
        a.merge(&b);
        assert_eq!(a.estimate(), all.estimate());
        assert_eq!(a.to_bytes(), all.to_bytes());
    }

    #[test]
    fn bytes_round_trip_sparse_and_dense_and_reject_garbage() {
        for n in [1, 50, 20_000] {
            let mut d = Distinct::new();
            for h in hashes(0..n) {
                d.insert(h);
            }
            let bytes = d.to_bytes();
            let back = Distinct::from_bytes(&bytes).unwrap();
            assert_eq!(back.estimate(), d.estimate());
            assert_eq!(back.to_bytes(), bytes);
        }
        assert!(Distinct::from_bytes(&[1, 2, 3]).is_err());
    }
}

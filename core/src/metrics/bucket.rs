//! One bucket of a rollup: exact count, sum, min, max and sum of squares, a DDSketch of the
//! values for quantiles, and a HyperLogLog++ sketch for a distinct count.

use super::distinct::Distinct;
use super::select::{Number, Sample};
use super::sum::ExactSum;
use sketches_ddsketch::{Config, DDSketch};
use std::fmt;

/// The aggregate of the events of one rollup, group and time bucket. Buckets merge: the
/// bucket of an hour is the merge of its sixty minute buckets, and merging is exact for the
/// count, min and max, exact for sums and sums of squares of whole numbers (kept in 128-bit
/// integers), and lossless for both sketches (DDSketch bins add, HyperLogLog registers take
/// the maximum), so a merged bucket answers exactly as one built from the events directly.
///
/// **Quantiles** come from a DDSketch (crate `sketches-ddsketch`, its defaults: relative
/// accuracy α = 1 %, at most 2,048 bins per sign, smallest magnitude 10⁻⁹). A returned
/// quantile is within 1 % of the value of that rank among the bucket's values, clamped to the
/// exact `[min, max]`; a bucket whose values are all equal answers that value exactly. Zero
/// and negative values are fine: magnitudes at most 10⁻⁹ are counted as exactly 0, negative
/// values go to a mirrored store with the same 1 % guarantee. When the values of one sign
/// span more than a factor of about 6 × 10¹⁷ (γ²⁰⁴⁸, γ = 1.01/0.99), the lowest bins collapse
/// and only low quantiles lose accuracy. Count rollups keep no sketch: every value is 1.
///
/// **Distinct counts** come from HyperLogLog++ at precision 14: about 0.81 % standard error
/// once dense, close to exact below a few thousand values.
///
/// **Size**: about 60 bytes plus a dense sketch store of 8 bytes per bin between the smallest
/// and largest key (128 bins to start; values from 1 ms to 30 s need about 520), plus the
/// distinct sketch (a few bytes per value, at most 13 KiB). [`Bucket::to_bytes`] writes only
/// the non-empty bins.
#[derive(Clone)]
pub struct Bucket {
    pub(crate) count: u64,
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) sum: ExactSum,
    pub(crate) sum_squares: ExactSum,
    pub(crate) sketch: Option<DDSketch>,
    pub(crate) distinct: Option<Distinct>,
}

impl Default for Bucket {
    fn default() -> Self {
        Bucket::new()
    }
}

impl Bucket {
    /// An empty bucket.
    pub fn new() -> Bucket {
        Bucket {
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            sum: ExactSum::default(),
            sum_squares: ExactSum::default(),
            sketch: None,
            distinct: None,
        }
    }

    /// Adds one event's sample.
    pub(crate) fn record(&mut self, sample: &Sample) {
        self.count += 1;
        let v = sample.value.as_f64();
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        match sample.value {
            Number::Int(i) => {
                let i = i128::from(i);
                self.sum.add_int(i);
                self.sum_squares.add_int(i * i);
            }
            Number::Float(f) => {
                self.sum.float += f;
                self.sum_squares.float += f * f;
            }
        }
        if sample.quantiles {
            self.sketch
                .get_or_insert_with(|| DDSketch::new(Config::defaults()))
                .add(v);
        }
        if let Some(hash) = sample.distinct {
            self.distinct.get_or_insert_with(Distinct::new).insert(hash);
        }
    }

    /// Adds every event of `other` to this bucket.
    pub fn merge(&mut self, other: &Bucket) {
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.sum.merge(&other.sum);
        self.sum_squares.merge(&other.sum_squares);
        if let Some(sketch) = &other.sketch {
            match &mut self.sketch {
                // Every sketch has the default configuration (checked when decoding), the
                // only reason a merge can fail.
                Some(mine) => {
                    let _ = mine.merge(sketch);
                }
                None => self.sketch = Some(sketch.clone()),
            }
        }
        if let Some(distinct) = &other.distinct {
            match &mut self.distinct {
                Some(mine) => mine.merge(distinct),
                None => self.distinct = Some(distinct.clone()),
            }
        }
    }

    /// The number of events.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The sum of the values (of a count rollup: the count).
    pub fn sum(&self) -> f64 {
        self.sum.value()
    }

    /// The smallest value; `None` when empty.
    pub fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    /// The largest value; `None` when empty.
    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    /// The sum of the squares of the values.
    pub fn sum_squares(&self) -> f64 {
        self.sum_squares.value()
    }

    /// The mean value; `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum() / self.count as f64)
    }

    /// The population standard deviation (dividing by the count, as Prometheus'
    /// `stddev_over_time` does); `None` when empty. Exact up to the final rounding when every
    /// value is a whole number: n·Σx² − (Σx)² is computed in 128-bit integers while it fits.
    pub fn stddev(&self) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let n = self.count as f64;
        if self.sum.is_whole() && self.sum_squares.is_whole() {
            let exact = i128::from(self.count)
                .checked_mul(self.sum_squares.int)
                .zip(self.sum.int.checked_mul(self.sum.int))
                .and_then(|(a, b)| a.checked_sub(b));
            if let Some(spread) = exact {
                return Some((spread as f64).max(0.0).sqrt() / n);
            }
        }
        let mean = self.sum() / n;
        Some((self.sum_squares() / n - mean * mean).max(0.0).sqrt())
    }

    /// The `q`-quantile (0 ≤ q ≤ 1) of the values, within 1 % of the value of that rank; `None`
    /// when empty, for q outside [0, 1], or for a count rollup's bucket whose values differ
    /// (never: they are all 1).
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 || !(0.0..=1.0).contains(&q) {
            return None;
        }
        if self.min == self.max {
            return Some(self.min);
        }
        let estimate = self.sketch.as_ref()?.quantile(q).ok()??;
        Some(estimate.clamp(self.min, self.max))
    }

    /// The estimated number of distinct values of the rollup's `distinct` field; `None` when
    /// the rollup counts none.
    pub fn distinct(&self) -> Option<u64> {
        self.distinct.as_ref().map(|d| d.estimate().round() as u64)
    }
}

impl fmt::Debug for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bucket")
            .field("count", &self.count)
            .field("sum", &self.sum())
            .field("min", &self.min())
            .field("max", &self.max())
            .field("sum_squares", &self.sum_squares())
            .field("sketch_bins", &self.sketch.as_ref().map(DDSketch::length))
            .field("distinct", &self.distinct())
            .finish()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::event::Value;
    use crate::metrics::select::hash_value;

    /// A bucket of these values, with quantiles and a distinct count of the values.
    pub(crate) fn bucket_of_numbers(values: impl IntoIterator<Item = Number>) -> Bucket {
        let mut b = Bucket::new();
        for value in values {
            b.record(&Sample {
                value,
                quantiles: true,
                distinct: hash_value(&Value::Float(value.as_f64())),
            });
        }
        b
    }

    /// A bucket of these whole-number values.
    pub(crate) fn bucket_of(values: &[i64]) -> Bucket {
        bucket_of_numbers(values.iter().map(|&v| Number::Int(v)))
    }

    #[test]
    fn exact_statistics_of_hand_made_values() {
        let b = bucket_of(&[2, 4, 4, 4, 5, 5, 7, 9]);
        assert_eq!(b.count(), 8);
        assert_eq!(b.sum(), 40.0);
        assert_eq!(b.min(), Some(2.0));
        assert_eq!(b.max(), Some(9.0));
        assert_eq!(b.sum_squares(), 232.0);
        assert_eq!(b.mean(), Some(5.0));
        // The textbook example: population standard deviation exactly 2.
        assert_eq!(b.stddev(), Some(2.0));
        // Five distinct values: 2, 4, 5, 7, 9.
        assert_eq!(b.distinct(), Some(5));
        assert_eq!(Bucket::new().mean(), None);
        assert_eq!(Bucket::new().quantile(0.5), None);
    }

    #[test]
    fn quantiles_are_within_one_percent_and_clamped() {
        let values: Vec<i64> = (1..=1_000).collect();
        let b = bucket_of(&values);
        // floor(q·(n−1)) is the rank DDSketch answers: 499 → 500, 949 → 950, 989 → 990.
        for (q, exact) in [(0.5, 500.0), (0.95, 950.0), (0.99, 990.0)] {
            let got = b.quantile(q).unwrap();
            assert!((got / exact - 1.0).abs() <= 0.01, "q {q}: {got}");
        }
        assert_eq!(b.quantile(0.0), Some(1.0));
        assert_eq!(b.quantile(1.0), Some(1_000.0));
        assert_eq!(b.quantile(1.5), None);
        assert_eq!(bucket_of(&[7, 7, 7]).quantile(0.99), Some(7.0));
    }

    #[test]
    fn zero_and_negative_values() {
        let b = bucket_of(&[-100, -10, 0, 0, 10, 100]);
        assert_eq!(b.quantile(0.0), Some(-100.0));
        // Rank ⌊0.2 · 5⌋ = 1 of −100, −10, 0, 0, 10, 100 is −10.
        let low = b.quantile(0.2).unwrap();
        assert!((low / -10.0 - 1.0).abs() <= 0.01, "{low}");
        assert_eq!(b.quantile(0.5), Some(0.0));
        let high = b.quantile(0.9).unwrap();
        assert!((high / 10.0 - 1.0).abs() <= 0.01, "{high}");
    }

    #[test]
    fn merging_equals_recording_everything_in_one() {
        let (left, right): (Vec<i64>, Vec<i64>) = (1..=500).partition(|v| v % 3 == 0);
        let mut merged = bucket_of(&left);
        merged.merge(&bucket_of(&right));
        let direct = bucket_of(&(1..=500).collect::<Vec<_>>());
        assert_eq!(merged.count(), direct.count());
        assert_eq!(merged.sum(), direct.sum());
        assert_eq!(merged.sum_squares(), direct.sum_squares());
        assert_eq!((merged.min(), merged.max()), (direct.min(), direct.max()));
        assert_eq!(merged.stddev(), direct.stddev());
        for q in [0.01, 0.5, 0.95, 0.99] {
            assert_eq!(merged.quantile(q), direct.quantile(q));
        }
        assert_eq!(merged.distinct(), direct.distinct());
        let mut into_empty = Bucket::new();
        into_empty.merge(&direct);
        assert_eq!(into_empty.quantile(0.5), direct.quantile(0.5));
        assert_eq!(into_empty.min(), Some(1.0));
    }
}

//! Sums that stay exact for whole numbers, so merging buckets in any order gives the same
//! bits as adding the values one by one.

/// A sum kept in two parts: whole numbers in a 128-bit integer (exact while the total stays
/// within ±1.7 × 10³⁸; past that the excess moves to the float part rather than overflow), and
/// other numbers in an `f64`, whose rounding (about 10⁻¹⁶ relative) can depend on the order.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct ExactSum {
    /// The whole-number part.
    pub int: i128,
    /// The fractional-number part.
    pub float: f64,
}

impl ExactSum {
    /// Adds a whole number.
    pub(crate) fn add_int(&mut self, v: i128) {
        match self.int.checked_add(v) {
            Some(total) => self.int = total,
            None => self.float += v as f64,
        }
    }

    /// Adds another sum.
    pub(crate) fn merge(&mut self, other: &ExactSum) {
        self.add_int(other.int);
        self.float += other.float;
    }

    /// True when only whole numbers were added.
    pub(crate) fn is_whole(&self) -> bool {
        self.float == 0.0
    }

    /// The total as a float.
    pub(crate) fn value(&self) -> f64 {
        self.int as f64 + self.float
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_add_exactly_past_the_float_mantissa() {
        let mut sum = ExactSum::default();
        // 2^53 + 1 is not a float; as a sum of whole numbers it stays exact.
        sum.add_int(1 << 53);
        sum.add_int(1);
        assert_eq!(sum.int, (1 << 53) + 1);
        assert!(sum.is_whole());
        let mut other = ExactSum::default();
        other.add_int(-1);
        other.float += 0.5;
        sum.merge(&other);
        assert_eq!(sum.int, 1 << 53);
        assert_eq!(sum.float, 0.5);
        assert!(!sum.is_whole());
    }

    #[test]
    fn overflow_moves_to_the_float_part() {
        let mut sum = ExactSum {
            int: i128::MAX,
            float: 0.0,
        };
        sum.add_int(i128::MAX);
        assert_eq!(sum.int, i128::MAX);
        assert_eq!(sum.value(), 2.0 * i128::MAX as f64);
    }
}

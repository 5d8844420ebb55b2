//! Seasonal naive forecasts: each future step repeats the value one season before it (the
//! last value when the period is 1, the plain naive forecast).

use super::errors::{StepErrors, first_origin};

/// The last cycle of the history, repeated.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SeasonalNaive {
    last_cycle: Vec<f64>,
}

impl SeasonalNaive {
    /// Fits period `m` (`>= 1`) to `y`, or `None` if `y` is shorter than one cycle.
    pub fn fit(m: usize, y: &[f64]) -> Option<SeasonalNaive> {
        let start = y.len().checked_sub(m.max(1))?;
        Some(SeasonalNaive {
            last_cycle: y[start..].to_vec(),
        })
    }

    /// `ŷ[n + k - 1] = y[n + k - 1 - m·⌈k/m⌉]` for `k = 1..=horizon`.
    pub fn forecast(&self, horizon: usize) -> Vec<f64> {
        self.last_cycle
            .iter()
            .copied()
            .cycle()
            .take(horizon)
            .collect()
    }

    /// The same rule's errors from every in-sample origin after the first cycle.
    pub fn step_errors(&self, y: &[f64], horizon: usize) -> StepErrors {
        let m = self.last_cycle.len();
        let first = first_origin(y.len(), horizon, m);
        let mut errors = StepErrors::new(first, horizon);
        for t in first..y.len() {
            for k in 1..=horizon.min(y.len() - t) {
                let target = t + k - 1;
                errors.push(k, y[target] - y[target - m * k.div_ceil(m)]);
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_the_last_cycle() {
        let y = [1.0, 2.0, 3.0, 10.0, 20.0, 30.0, 11.0];
        let f = SeasonalNaive::fit(3, &y).unwrap();
        assert_eq!(f.forecast(5), vec![20.0, 30.0, 11.0, 20.0, 30.0]);
        let naive = SeasonalNaive::fit(1, &y).unwrap();
        assert_eq!(naive.forecast(3), vec![11.0; 3]);
        assert!(SeasonalNaive::fit(8, &y).is_none());
    }

    #[test]
    fn step_errors_compare_each_value_with_the_value_a_season_before() {
        let y = [1.0, 2.0, 4.0, 7.0, 11.0];
        let errors = SeasonalNaive::fit(2, &y).unwrap().step_errors(&y, 3);
        assert_eq!(errors.first_origin, 2);
        // Step 1 from origin t: y[t] - y[t - 2]; step 2: y[t + 1] - y[t - 1];
        // step 3: y[t + 2] - y[t - 2] (two seasons back).
        assert_eq!(errors.by_step[0], vec![3.0, 5.0, 7.0]);
        assert_eq!(errors.by_step[1], vec![5.0, 7.0]);
        assert_eq!(errors.by_step[2], vec![10.0]);
    }
}

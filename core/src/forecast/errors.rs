//! In-sample multi-step errors and the prediction intervals drawn from them.
//!
//! For every origin `t` of the history (the last ones, see [`first_origin`]) the fitted model
//! forecasts the next steps from what it knew before `y[t]`; the error of the `k`-th of those
//! forecasts is `y[t + k - 1] - ŷ`. The P90 interval of step `k` runs from the 5th to the
//! 95th percentile of the step-`k` errors added to the point forecast, the P95 interval from
//! the 2.5th to the 97.5th. These are empirical quantiles (linear interpolation between order
//! statistics), so they follow skewed or heavy-tailed errors and need no distribution.
//!
//! Two adjustments keep the intervals sensible:
//! - a step with fewer than [`MIN_ERRORS`] errors (a horizon reaching past the length of the
//!   history) takes the widths of the last step that had enough, grown with `√(k / k_last)`
//!   as a random walk's would;
//! - widths never shrink with the horizon: each one is the largest seen up to its step.

/// How many in-sample errors, over all steps, one forecast collects at most: the origins are
/// the last `ERROR_BUDGET / horizon` of the history (and at most [`MAX_ORIGINS`]).
pub(crate) const ERROR_BUDGET: usize = 1 << 20;

/// At most this many origins: more add cost but little precision to a 2.5% quantile.
pub(crate) const MAX_ORIGINS: usize = 2_000;

/// Fewer errors than this for a step and its widths are extrapolated from earlier steps.
pub(crate) const MIN_ERRORS: usize = 10;

/// The first origin whose errors are collected for a history of `n` values, given that the
/// model needs `warmup` values before its forecasts mean anything.
pub(crate) fn first_origin(n: usize, horizon: usize, warmup: usize) -> usize {
    let origins = (ERROR_BUDGET / horizon.max(1)).clamp(1, MAX_ORIGINS);
    n.saturating_sub(origins).max(warmup)
}

/// In-sample errors by forecast step: `by_step[k - 1][j]` is the error of the step-`k`
/// forecast made at origin `first_origin + j`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StepErrors {
    pub first_origin: usize,
    pub by_step: Vec<Vec<f64>>,
}

impl StepErrors {
    /// No errors yet, for steps `1..=horizon`.
    pub fn new(first_origin: usize, horizon: usize) -> Self {
        StepErrors {
            first_origin,
            by_step: vec![Vec::new(); horizon],
        }
    }

    /// Records the next origin's error of step `k` (1-based).
    pub fn push(&mut self, k: usize, error: f64) {
        self.by_step[k - 1].push(error);
    }
}

/// Lower and upper widths of the P90 and P95 intervals of one step (all `>= 0`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Widths {
    pub p90_low: f64,
    pub p90_high: f64,
    pub p95_low: f64,
    pub p95_high: f64,
}

impl Widths {
    fn from_errors(errors: &mut [f64]) -> Widths {
        errors.sort_by(f64::total_cmp);
        let q = |p: f64| quantile(errors, p);
        Widths {
            p90_low: (-q(0.05)).max(0.0),
            p90_high: q(0.95).max(0.0),
            p95_low: (-q(0.025)).max(0.0),
            p95_high: q(0.975).max(0.0),
        }
    }

    fn scaled(self, factor: f64) -> Widths {
        Widths {
            p90_low: self.p90_low * factor,
            p90_high: self.p90_high * factor,
            p95_low: self.p95_low * factor,
            p95_high: self.p95_high * factor,
        }
    }

    fn max(self, other: Widths) -> Widths {
        Widths {
            p90_low: self.p90_low.max(other.p90_low),
            p90_high: self.p90_high.max(other.p90_high),
            p95_low: self.p95_low.max(other.p95_low),
            p95_high: self.p95_high.max(other.p95_high),
        }
    }
}

/// The interval widths of each step from its errors (see the module documentation).
pub(crate) fn widths(mut errors: StepErrors) -> Vec<Widths> {
    let mut out = Vec::with_capacity(errors.by_step.len());
    let mut last_reliable: Option<(usize, Widths)> = None;
    let mut widest = Widths::default();
    for (i, step) in errors.by_step.iter_mut().enumerate() {
        let k = i + 1;
        let w = if step.len() >= MIN_ERRORS {
            let w = Widths::from_errors(step);
            last_reliable = Some((k, w));
            w
        } else if let Some((k_last, w)) = last_reliable {
            w.scaled((k as f64 / k_last as f64).sqrt())
        } else if !step.is_empty() {
            Widths::from_errors(step)
        } else {
            widest
        };
        widest = widest.max(w);
        out.push(widest);
    }
    out
}

/// The `p`-quantile of sorted `v` with linear interpolation (R's type 7); 0 when empty.
pub(crate) fn quantile(v: &[f64], p: f64) -> f64 {
    match v.len() {
        0 => 0.0,
        1 => v[0],
        n => {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            v[lo] + (h - lo as f64) * (v[hi] - v[lo])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interpolates_like_r_type_7() {
        // R: quantile(c(1, 2, 3, 4, 10), c(0.05, 0.5, 0.95)) = 1.2, 3, 8.8
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile(&v, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.95) - 8.8).abs() < 1e-12);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }

    #[test]
    fn widths_come_from_error_quantiles_and_never_shrink() {
        let mut errors = StepErrors::new(0, 3);
        for j in 0..=20 {
            let e = j as f64 - 10.0; // -10 ..= 10, 21 values
            errors.push(1, 2.0 * e);
            errors.push(2, e); // narrower than step 1: must be widened to step 1's
        }
        for e in [1.0, -1.0] {
            errors.push(3, e); // too few: extrapolated from step 2 (not 1, which it follows)
        }
        let w = widths(errors);
        // Step 1: 5th percentile of 2·(-10..=10) is 2·(-9) = -18, 95th is 18.
        assert!((w[0].p90_low - 18.0).abs() < 1e-12, "{w:?}");
        assert!((w[0].p95_high - 19.0).abs() < 1e-12, "{w:?}");
        assert_eq!(w[1], w[0]);
        // Step 3: step 2's 9 grown by √(3/2) = 11.02, still under step 1's 18.
        assert_eq!(w[2], w[0]);
    }

    #[test]
    fn extrapolated_widths_grow_with_the_square_root_of_the_step() {
        let mut errors = StepErrors::new(0, 4);
        for j in 0..=20 {
            errors.push(1, j as f64 - 10.0);
        }
        let w = widths(errors);
        assert!((w[3].p90_high - 9.0 * 2.0).abs() < 1e-12, "{w:?}");
    }

    #[test]
    fn first_origin_respects_the_budget_and_the_warmup() {
        assert_eq!(first_origin(100, 48, 24), 24);
        assert_eq!(first_origin(10_000, 48, 24), 10_000 - MAX_ORIGINS);
        assert_eq!(first_origin(1_000_000, 1 << 19, 0), 1_000_000 - 2);
    }
}

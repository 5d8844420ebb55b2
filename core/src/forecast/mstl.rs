//! MSTL (Bandara, Hyndman and Bergmeir 2021): the series is split into one seasonal
//! component per period by repeated STL (the `stlrs` crate), and what remains (trend plus
//! remainder) is forecast by exponential smoothing, simple or with a damped trend, whichever
//! has the lower AIC. Each seasonal component is forecast by repeating its last cycle.

use super::errors::{StepErrors, first_origin};
use super::smoothing::{Seasonality, Smoothing, Spec, Trend};

/// A fitted MSTL model.
#[derive(Debug, Clone)]
pub(crate) struct Mstl {
    periods: Vec<usize>,
    seasonal: Vec<Vec<f64>>,
    adjusted: Vec<f64>,
    trend: Smoothing,
}

const TREND_MODELS: [Spec; 2] = [
    Spec {
        trend: Trend::None,
        seasonality: Seasonality::None,
    },
    Spec {
        trend: Trend::Damped,
        seasonality: Seasonality::None,
    },
];

impl Mstl {
    /// The periods of `periods` that `n` values allow (two whole cycles each), shortest first.
    pub fn usable_periods(periods: &[usize], n: usize) -> Vec<usize> {
        let mut usable: Vec<usize> = periods
            .iter()
            .copied()
            .filter(|&m| m >= 2 && m.saturating_mul(2) <= n)
            .collect();
        usable.sort_unstable();
        usable.dedup();
        usable
    }

    /// The fewest values an MSTL fit with these periods needs, or `None` if no period is 2
    /// or longer.
    pub fn min_points(periods: &[usize]) -> Option<usize> {
        let shortest = periods.iter().copied().filter(|&m| m >= 2).min()?;
        Some(shortest.saturating_mul(2).max(TREND_MODELS[1].min_points()))
    }

    /// Decomposes `y` with the usable periods and fits the trend model, or `None` if no
    /// period is usable or the decomposition fails.
    pub fn fit(periods: &[usize], y: &[f64]) -> Option<Mstl> {
        let periods = Self::usable_periods(periods, y.len());
        if periods.is_empty() || y.len() < Self::min_points(&periods)? {
            return None;
        }
        let decomposition = stlrs::Mstl::params().fit(y, &periods).ok()?;
        let seasonal = decomposition.seasonal().to_vec();
        let adjusted: Vec<f64> = (0..y.len())
            .map(|t| y[t] - seasonal.iter().map(|s| s[t]).sum::<f64>())
            .collect();
        let trend = Smoothing::fit_best(&TREND_MODELS, &adjusted)?;
        Some(Mstl {
            periods,
            seasonal,
            adjusted,
            trend,
        })
    }

    /// Trend forecast plus each seasonal component's last cycle, repeated.
    pub fn forecast(&self, horizon: usize) -> Vec<f64> {
        let n = self.adjusted.len();
        let mut f = self.trend.forecast(horizon);
        for (s, &m) in self.seasonal.iter().zip(&self.periods) {
            for (k, v) in f.iter_mut().enumerate() {
                *v += s[n - m + k % m];
            }
        }
        f
    }

    /// The trend model's in-sample errors plus the error of repeating each seasonal
    /// component from the origin, `s[t + k - 1] - s[t + k - 1 - m·⌈k/m⌉]`.
    ///
    /// The decomposition itself saw the whole history, so these errors are somewhat
    /// optimistic about the seasonal part.
    pub fn step_errors(&self, y: &[f64], horizon: usize) -> StepErrors {
        let longest = self.periods.iter().copied().max().unwrap_or(1);
        let first = first_origin(y.len(), horizon, longest);
        let mut errors = self.trend.step_errors(&self.adjusted, horizon, first);
        for (i, step) in errors.by_step.iter_mut().enumerate() {
            let k = i + 1;
            for (j, e) in step.iter_mut().enumerate() {
                let target = first + j + k - 1;
                for (s, &m) in self.seasonal.iter().zip(&self.periods) {
                    *e += s[target] - s[target - m * k.div_ceil(m)];
                }
            }
        }
        errors
    }
}

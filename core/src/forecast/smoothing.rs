//! Exponential smoothing with additive errors: simple (level only), Holt's linear or damped
//! trend, and Holt-Winters with additive or multiplicative seasonality.
//!
//! The recursions are the error-correction form of Hyndman et al., *Forecasting with
//! Exponential Smoothing* (2008), table 2.1, with one-step error `e = y - ŷ`:
//!
//! | seasonality | `ŷ` | level | trend | seasonal |
//! | --- | --- | --- | --- | --- |
//! | none | `l + φb` | `l + φb + αe` | `φb + βe` | |
//! | additive | `l + φb + s` | `l + φb + αe` | `φb + βe` | `s + γe` |
//! | multiplicative | `(l + φb)·s` | `l + φb + αe/s` | `φb + βe/s` | `s + γe/(l + φb)` |
//!
//! Parameters are fitted by minimising the mean squared one-step error over the whole
//! history with Nelder-Mead, inside the usual admissible region `0 < α < 1`, `0 < β < α`,
//! `0 < γ < 1 − α`, `0.8 ≤ φ ≤ 0.98` (the bounds of R's `forecast::ets`; a linear trend has
//! `φ = 1`). Where several specs are candidates (with and without a trend, damped or not),
//! the one with the lowest AIC wins, as in R's `ets`. The initial state
//! comes from the first cycles: seasonal indices from each cycle's deviations from its mean,
//! level and trend from a least-squares line through the first `max(10, 2m)` deseasonalised
//! values.

use super::errors::StepErrors;
use super::optimize::{Stop, minimize};

/// The kind of trend: none, linear (`φ = 1`) or damped (`φ` fitted in `[0.8, 0.98]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trend {
    None,
    Linear,
    Damped,
}

/// The kind of seasonality and its period in steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seasonality {
    None,
    Additive(usize),
    Multiplicative(usize),
}

impl Seasonality {
    fn period(self) -> usize {
        match self {
            Seasonality::None => 1,
            Seasonality::Additive(m) | Seasonality::Multiplicative(m) => m,
        }
    }
}

/// Which exponential smoothing model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spec {
    pub trend: Trend,
    pub seasonality: Seasonality,
}

impl Spec {
    /// The fewest values a fit needs: two full cycles to initialise the seasonal indices, and
    /// at least two values per fitted parameter and initial state.
    pub fn min_points(self) -> usize {
        let m = self.seasonality.period();
        let states = 1 + usize::from(self.trend != Trend::None);
        let parameters = self.parameter_count();
        if m > 1 {
            m.saturating_mul(2).max(2 * (parameters + states))
        } else {
            2 * (parameters + states)
        }
    }

    /// The seasonal period, 1 without a season.
    pub fn period(self) -> usize {
        self.seasonality.period()
    }

    fn parameter_count(self) -> usize {
        1 + usize::from(self.trend != Trend::None)
            + usize::from(self.trend == Trend::Damped)
            + usize::from(self.seasonality != Seasonality::None)
    }
}

/// Smoothing parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Params {
    alpha: f64,
    beta: f64,
    gamma: f64,
    phi: f64,
}

/// Level, trend and the seasonal indices; the index of time `t` is kept at `t mod m`.
#[derive(Debug, Clone, PartialEq)]
struct State {
    level: f64,
    slope: f64,
    seasonal: Vec<f64>,
}

/// A fitted model: its spec, parameters and the state after the last value.
#[derive(Debug, Clone)]
pub(crate) struct Smoothing {
    spec: Spec,
    params: Params,
    initial: State,
    last: State,
    n: usize,
    mse: f64,
}

const ALPHA_RANGE: (f64, f64) = (1e-4, 0.9999);
const PHI_RANGE: (f64, f64) = (0.8, 0.98);

fn squash(x: f64, (lo, hi): (f64, f64)) -> f64 {
    lo + (hi - lo) / (1.0 + (-x).exp())
}

impl Spec {
    /// Maps unconstrained search coordinates onto admissible parameters.
    fn params(self, x: &[f64]) -> Params {
        let mut it = x.iter().copied();
        let alpha = squash(it.next().unwrap_or(0.0), ALPHA_RANGE);
        let (beta, phi) = match self.trend {
            Trend::None => (0.0, 1.0),
            Trend::Linear => (squash(it.next().unwrap_or(0.0), (0.0, alpha)), 1.0),
            Trend::Damped => {
                let beta = squash(it.next().unwrap_or(0.0), (0.0, alpha));
                (beta, squash(it.next().unwrap_or(0.0), PHI_RANGE))
            }
        };
        let gamma = match self.seasonality {
            Seasonality::None => 0.0,
            _ => squash(it.next().unwrap_or(0.0), (0.0, 1.0 - alpha)),
        };
        Params {
            alpha,
            beta,
            gamma,
            phi,
        }
    }

    /// Search coordinates of a modest starting point: `α = 0.2`, `β = 0.1α`, `γ = 0.05(1-α)`,
    /// `φ = 0.95` (the middle of the search space would start at `α = 0.5`, far too reactive
    /// for seasonal data).
    fn start(self) -> Vec<f64> {
        let logit = |v: f64, (lo, hi): (f64, f64)| {
            let p = (v - lo) / (hi - lo);
            (p / (1.0 - p)).ln()
        };
        let mut x = vec![logit(0.2, ALPHA_RANGE)];
        if self.trend != Trend::None {
            x.push(logit(0.1, (0.0, 1.0)));
        }
        if self.trend == Trend::Damped {
            x.push(logit(0.95, PHI_RANGE));
        }
        if self.seasonality != Seasonality::None {
            x.push(logit(0.05, (0.0, 1.0)));
        }
        x
    }
}

impl Smoothing {
    /// Fits each of `specs` that `y` allows and keeps the one with the lowest AIC (the
    /// earlier on a tie); `None` if none could be fitted.
    pub fn fit_best(specs: &[Spec], y: &[f64]) -> Option<Smoothing> {
        let mut best: Option<Smoothing> = None;
        for &spec in specs {
            if let Some(fit) = Smoothing::fit(spec, y)
                && best.as_ref().is_none_or(|b| fit.aic() < b.aic())
            {
                best = Some(fit);
            }
        }
        best
    }

    /// Fits `spec` to `y`, or `None` if the data do not allow it (fewer than
    /// [`Spec::min_points`] values, non-positive values for multiplicative seasonality, or no
    /// parameters giving a finite error).
    ///
    /// Cost: `O(n)` per evaluation, at most 100 evaluations per parameter.
    pub fn fit(spec: Spec, y: &[f64]) -> Option<Smoothing> {
        if y.len() < spec.min_points() {
            return None;
        }
        if matches!(spec.seasonality, Seasonality::Multiplicative(_)) && y.iter().any(|&v| v <= 0.0)
        {
            return None;
        }
        let initial = initial_state(spec, y)?;
        let start = spec.start();
        let stop = Stop {
            max_evaluations: 100 * start.len().max(2),
            tolerance: 1e-7,
        };
        let best = minimize(
            |x| run(spec, spec.params(x), &initial, y, |_, _| {}).map_or(f64::INFINITY, |r| r.0),
            &start,
            1.0,
            stop,
        );
        let params = spec.params(&best);
        let (sse, last) = run(spec, params, &initial, y, |_, _| {})?;
        Some(Smoothing {
            spec,
            params,
            initial,
            last,
            n: y.len(),
            mse: sse / y.len() as f64,
        })
    }

    /// The seasonal period, 1 without a season.
    pub fn period(&self) -> usize {
        self.spec.period()
    }

    /// The number of fitted parameters and initial states, for information criteria.
    pub fn parameter_count(&self) -> usize {
        let m = self.spec.seasonality.period();
        let states = 1 + usize::from(self.spec.trend != Trend::None) + (m - 1);
        self.spec.parameter_count() + states
    }

    /// Akaike's information criterion of the fit under Gaussian errors, up to a constant.
    pub fn aic(&self) -> f64 {
        let n = self.n as f64;
        n * self.mse.max(f64::MIN_POSITIVE).ln() + 2.0 * self.parameter_count() as f64
    }

    /// The point forecasts of the `horizon` steps after the history.
    pub fn forecast(&self, horizon: usize) -> Vec<f64> {
        (1..=horizon)
            .map(|k| predict(self.spec, self.params, &self.last, self.n, k))
            .collect()
    }

    /// The in-sample errors `y[t + k - 1] - forecast(k)` of forecasts made at every origin
    /// `t >= first_origin` from the state before `y[t]`, for `k` up to `horizon`.
    pub fn step_errors(&self, y: &[f64], horizon: usize, first_origin: usize) -> StepErrors {
        let mut errors = StepErrors::new(first_origin, horizon);
        run(self.spec, self.params, &self.initial, y, |t, state| {
            if t >= first_origin {
                for k in 1..=horizon.min(y.len() - t) {
                    let f = predict(self.spec, self.params, state, t, k);
                    errors.push(k, y[t + k - 1] - f);
                }
            }
        });
        errors
    }
}

/// The forecast `k` steps ahead from `state`, the state before the value of time `t`.
fn predict(spec: Spec, p: Params, state: &State, t: usize, k: usize) -> f64 {
    let damped = match spec.trend {
        Trend::None => 0.0,
        Trend::Linear => k as f64,
        // φ + φ² + … + φᵏ
        Trend::Damped => p.phi * (1.0 - p.phi.powi(k as i32)) / (1.0 - p.phi),
    };
    let base = state.level + damped * state.slope;
    match spec.seasonality {
        Seasonality::None => base,
        Seasonality::Additive(m) => base + state.seasonal[(t + k - 1) % m],
        Seasonality::Multiplicative(m) => base * state.seasonal[(t + k - 1) % m],
    }
}

/// Runs the recursions over `y` from `initial`, calling `visit(t, state)` with the state
/// before each value. Returns the sum of squared one-step errors and the last state, or
/// `None` when the state leaves the region where the model is defined.
fn run(
    spec: Spec,
    p: Params,
    initial: &State,
    y: &[f64],
    mut visit: impl FnMut(usize, &State),
) -> Option<(f64, State)> {
    let mut state = initial.clone();
    let mut sse = 0.0;
    for (t, &value) in y.iter().enumerate() {
        visit(t, &state);
        let base = state.level + p.phi * state.slope;
        let e;
        match spec.seasonality {
            Seasonality::None => {
                e = value - base;
                state.level = base + p.alpha * e;
                state.slope = p.phi * state.slope + p.beta * e;
            }
            Seasonality::Additive(m) => {
                let s = &mut state.seasonal[t % m];
                e = value - (base + *s);
                *s += p.gamma * e;
                state.level = base + p.alpha * e;
                state.slope = p.phi * state.slope + p.beta * e;
            }
            Seasonality::Multiplicative(m) => {
                let s = &mut state.seasonal[t % m];
                if base <= 0.0 || *s <= 0.0 {
                    return None;
                }
                e = value - base * *s;
                let seasonal = *s;
                *s += p.gamma * e / base;
                state.level = base + p.alpha * e / seasonal;
                state.slope = p.phi * state.slope + p.beta * e / seasonal;
            }
        }
        sse += e * e;
    }
    sse.is_finite().then_some((sse, state))
}

/// The initial state from the first cycles (see the module documentation).
fn initial_state(spec: Spec, y: &[f64]) -> Option<State> {
    let m = spec.seasonality.period();
    let seasonal = match spec.seasonality {
        Seasonality::None => Vec::new(),
        Seasonality::Additive(_) => seasonal_indices(y, m, false),
        Seasonality::Multiplicative(_) => seasonal_indices(y, m, true),
    };
    let span = y.len().min(10.max(2 * m));
    let adjusted: Vec<f64> = (0..span)
        .map(|t| match spec.seasonality {
            Seasonality::None => y[t],
            Seasonality::Additive(_) => y[t] - seasonal[t % m],
            Seasonality::Multiplicative(_) => y[t] / seasonal[t % m],
        })
        .collect();
    // Least-squares line through (t + 1, adjusted[t]): its value at 0 is the level before
    // the first value.
    let (intercept, slope) = line(&adjusted);
    let (level, slope) = match spec.trend {
        Trend::None => (adjusted.iter().sum::<f64>() / span as f64, 0.0),
        Trend::Linear | Trend::Damped => (intercept, slope),
    };
    (level.is_finite() && slope.is_finite()).then_some(State {
        level,
        slope,
        seasonal,
    })
}

/// Seasonal indices from the first (up to four) whole cycles: the average deviation of each
/// phase from its cycle's mean (a ratio when `multiplicative`), normalised to sum to zero
/// (average one).
fn seasonal_indices(y: &[f64], m: usize, multiplicative: bool) -> Vec<f64> {
    let cycles = (y.len() / m).clamp(1, 4);
    let mut indices = vec![0.0; m];
    for cycle in y.chunks_exact(m).take(cycles) {
        let mean = cycle.iter().sum::<f64>() / m as f64;
        for (index, v) in indices.iter_mut().zip(cycle) {
            *index += if multiplicative { v / mean } else { v - mean };
        }
    }
    let average = indices.iter().sum::<f64>() / (m * cycles) as f64;
    for index in &mut indices {
        *index /= cycles as f64;
        if multiplicative {
            *index /= average;
        } else {
            *index -= average;
        }
    }
    indices
}

/// The least-squares line `a + b·x` through `(t + 1, v[t])`.
fn line(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    if v.len() < 2 {
        return (v.first().copied().unwrap_or(0.0), 0.0);
    }
    let mean_x = (n + 1.0) / 2.0;
    let mean_y = v.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (t, &value) in v.iter().enumerate() {
        let dx = (t + 1) as f64 - mean_x;
        sxy += dx * (value - mean_y);
        sxx += dx * dx;
    }
    let b = sxy / sxx;
    (mean_y - b * mean_x, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasonal_indices_average_each_phase_over_the_first_cycles() {
        // Cycles (1, 3) and (5, 11): deviations (-1, 1) and (-3, 3), average (-2, 2).
        assert_eq!(
            seasonal_indices(&[1.0, 3.0, 5.0, 11.0], 2, false),
            vec![-2.0, 2.0]
        );
        // Ratios (0.5, 1.5) and (0.5, 1.5): already average one.
        assert_eq!(
            seasonal_indices(&[2.0, 6.0, 4.0, 12.0], 2, true),
            vec![0.5, 1.5]
        );
    }

    #[test]
    fn line_is_the_least_squares_fit() {
        // (1, 2), (2, 4), (3, 9): slope 3.5, intercept 5 - 3.5 * 2 = -2.
        let (a, b) = line(&[2.0, 4.0, 9.0]);
        assert!(
            (a + 2.0).abs() < 1e-12 && (b - 3.5).abs() < 1e-12,
            "{a} {b}"
        );
    }

    #[test]
    fn the_fit_recovers_a_smoothing_level_from_a_local_level_series() {
        // A random walk observed with noise is optimally forecast by SES whose α grows with
        // the ratio of walk to noise variance; a pure walk (no noise) has α near 1.
        let mut v = 0.0_f64;
        let walk: Vec<f64> = (0..200)
            .map(|t| {
                v += if (t * 7919) % 13 < 6 { 1.0 } else { -1.0 };
                v
            })
            .collect();
        let spec = Spec {
            trend: Trend::None,
            seasonality: Seasonality::None,
        };
        let fit = Smoothing::fit(spec, &walk).unwrap();
        assert!(fit.params.alpha > 0.9, "{:?}", fit.params);
        assert_eq!(fit.forecast(3), vec![fit.last.level; 3]);
    }

    #[test]
    fn multiplicative_models_refuse_values_that_are_not_positive() {
        let spec = Spec {
            trend: Trend::None,
            seasonality: Seasonality::Multiplicative(2),
        };
        assert!(Smoothing::fit(spec, &[1.0, 2.0, 0.0, 2.0, 1.0, 2.0]).is_none());
        assert!(Smoothing::fit(spec, &[1.0, 2.0, 1.0, 2.0, 1.0, 2.0]).is_some());
    }

    #[test]
    fn min_points_covers_two_cycles_and_the_parameters() {
        let spec = |trend, seasonality| Spec { trend, seasonality }.min_points();
        assert_eq!(spec(Trend::None, Seasonality::None), 4);
        assert_eq!(spec(Trend::Damped, Seasonality::None), 10);
        assert_eq!(spec(Trend::Linear, Seasonality::Additive(24)), 48);
        assert_eq!(spec(Trend::Damped, Seasonality::Additive(2)), 12);
    }
}

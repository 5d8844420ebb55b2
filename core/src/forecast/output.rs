//! [`Forecast`] and [`ForecastPoint`]: what a forecast returns.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::Model;

/// One future step: its start, the point forecast and the bounds of the central 90% and 95%
/// prediction intervals. In JSON: `{"start": "2026-03-02T00:00:00Z", "p50": ..., "p90_low":
/// ..., "p90_high": ..., "p95_low": ..., "p95_high": ...}`.
///
/// `p50` is the model's point forecast (for the smoothing models the mean of the forecast
/// distribution, which is also its median when errors are symmetric). The bounds are the
/// point forecast plus empirical quantiles of the model's in-sample errors at the same
/// forecast step, widened where needed so that they never narrow with the horizon (see
/// [`super::forecast`]). Always `p95_low <= p90_low <= p50 <= p90_high <= p95_high`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ForecastPoint {
    /// The start of the step.
    pub start: DateTime<Utc>,
    /// The point forecast.
    pub p50: f64,
    /// The lower bound of the 90% interval (5th percentile).
    pub p90_low: f64,
    /// The upper bound of the 90% interval (95th percentile).
    pub p90_high: f64,
    /// The lower bound of the 95% interval (2.5th percentile).
    pub p95_low: f64,
    /// The upper bound of the 95% interval (97.5th percentile).
    pub p95_high: f64,
}

/// The holdout error of one candidate of the automatic choice.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HoldoutScore {
    /// The candidate.
    pub model: Model,
    /// Its mean absolute error on the held-out steps, fitted to the steps before them.
    pub mae: f64,
}

/// A forecast: the model that made it and one point per future step, in time order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// The model fitted to the whole history.
    pub model: Model,
    /// One point per future step, the first starting right after the history.
    pub points: Vec<ForecastPoint>,
    /// The candidates of the automatic choice that could be fitted, in the order they were
    /// tried, with their holdout errors; empty when one model was asked for.
    pub holdout_scores: Vec<HoldoutScore>,
}

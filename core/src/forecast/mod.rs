//! Forecasting for capacity planning: "daily orders for the next 30 days", "when do daily
//! orders cross 3,000", with P90 and P95 prediction intervals.
//!
//! - [`Series`]: a regular time series (start, step in seconds, values);
//! - [`forecast`]: the entry point: fits one [`Model`] or chooses among several by holdout
//!   error, and returns a [`Forecast`] of [`ForecastPoint`]s (`start`, `p50`, `p90_low`,
//!   `p90_high`, `p95_low`, `p95_high`);
//! - [`ForecastOptions`]: candidates, seasons, holdout (JSON-friendly, every field optional);
//! - [`crossing`]: the first step whose forecast crosses a threshold, with the range of
//!   dates its intervals allow;
//! - [`next_days`]: a daily series forecast for calendar days.
//!
//! The models ([`Model`]): naive and seasonal naive (the baselines to sanity-check against),
//! exponential smoothing (simple, damped trend, Holt-Winters with additive or multiplicative
//! seasonality; parameters fitted by Nelder-Mead on the in-sample one-step squared error)
//! and MSTL (daily and weekly seasonality for hourly data, via the `stlrs` crate, with
//! exponential smoothing on the seasonally adjusted series).
//!
//! Everything here is pure, synchronous computation. Accuracy on the M4 competition's
//! Hourly and Weekly series is measured by `benches/src/bin/m4.rs` (figures in
//! `benches/README.md`).
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use finmark::forecast::{crossing, forecast, Direction, ForecastOptions, Series};
//! // Eight weeks of daily orders growing from 500 by 12 a day, weekends quieter.
//! let orders: Vec<f64> = (0..56)
//!     .map(|d| (500.0 + 12.0 * d as f64) * if d % 7 >= 5 { 0.7 } else { 1.1 })
//!     .collect();
//! let start = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap();
//! let history = Series::new(start, 86_400, orders)?;
//! let f = forecast(&history, 30, &ForecastOptions::default())?;
//! assert_eq!(f.points.len(), 30);
//! if let Some(c) = crossing(&f, 1_500.0, Direction::Above) {
//!     assert!(c.earliest <= c.start);
//! }
//! # Ok::<(), finmark::Error>(())
//! ```

mod calendar;
mod crossing;
mod errors;
mod forecaster;
mod model;
mod mstl;
mod naive;
mod optimize;
mod options;
mod output;
mod series;
mod smoothing;

pub use calendar::next_days;
pub use crossing::{Crossing, Direction, crossing};
pub use forecaster::{MAX_HORIZON, forecast};
pub use model::Model;
pub use options::{ForecastOptions, default_seasons};
pub use output::{Forecast, ForecastPoint, HoldoutScore};
pub use series::Series;

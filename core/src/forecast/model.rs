//! [`Model`]: the forecasting methods by name, what history each needs, and fitting them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::errors::{StepErrors, first_origin};
use super::mstl::Mstl;
use super::naive::SeasonalNaive;
use super::smoothing::{Seasonality, Smoothing, Spec, Trend};
use crate::error::Error;

/// A forecasting method. In JSON and on the command line each is its snake_case name
/// (`"seasonal_naive"`, `"holt_winters_additive"`, ...).
///
/// "The season" below is the first of the forecast's seasons (24 for hourly data, 7 for
/// daily; see [`super::ForecastOptions::seasons`]). A "trend" is linear or damped, whichever
/// fits with the lower AIC: a damped trend's contribution `φ + φ² + … + φᵏ` levels off,
/// with `φ` fitted between 0.8 and 0.98; Holt-Winters also weighs no trend at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// Every future step repeats the last value.
    Naive,
    /// Every future step repeats the value one season before it.
    SeasonalNaive,
    /// Simple exponential smoothing: a level, no trend, no season.
    Ses,
    /// Holt's exponential smoothing: level and trend, no season.
    Holt,
    /// Holt-Winters: level, trend and an additive season.
    HoltWintersAdditive,
    /// Holt-Winters with a multiplicative season (the swing grows with the level); needs
    /// positive values.
    HoltWintersMultiplicative,
    /// MSTL: one seasonal component per season (daily and weekly for hourly data), trend
    /// and remainder forecast by simple or damped-trend exponential smoothing.
    Mstl,
}

impl Model {
    /// Every model, simplest first: the candidates of the automatic choice, which prefers
    /// the earlier one of two with the same holdout error.
    pub const ALL: [Model; 7] = [
        Model::Naive,
        Model::SeasonalNaive,
        Model::Ses,
        Model::Holt,
        Model::HoltWintersAdditive,
        Model::HoltWintersMultiplicative,
        Model::Mstl,
    ];

    /// The snake_case name, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Model::Naive => "naive",
            Model::SeasonalNaive => "seasonal_naive",
            Model::Ses => "ses",
            Model::Holt => "holt",
            Model::HoltWintersAdditive => "holt_winters_additive",
            Model::HoltWintersMultiplicative => "holt_winters_multiplicative",
            Model::Mstl => "mstl",
        }
    }

    /// The smoothing specs an exponential smoothing model chooses from by AIC (none for
    /// the other models).
    fn specs(self, season: usize) -> Vec<Spec> {
        let (trends, seasonality): (&[Trend], _) = match self {
            Model::Ses => (&[Trend::None], Seasonality::None),
            Model::Holt => (&[Trend::Linear, Trend::Damped], Seasonality::None),
            Model::HoltWintersAdditive => (&ALL_TRENDS, Seasonality::Additive(season)),
            Model::HoltWintersMultiplicative => (&ALL_TRENDS, Seasonality::Multiplicative(season)),
            Model::Naive | Model::SeasonalNaive | Model::Mstl => (&[], Seasonality::None),
        };
        trends
            .iter()
            .map(|&trend| Spec { trend, seasonality })
            .collect()
    }

    /// The fewest values the smoothing model needs: those of its simplest spec.
    fn smoothing_min_points(self, season: usize) -> usize {
        self.specs(season)
            .into_iter()
            .map(Spec::min_points)
            .min()
            .unwrap_or(1)
    }

    /// The fewest values this model needs with `seasons` (the first is the season), or why
    /// it cannot forecast `y` at all.
    pub(crate) fn requirement(self, seasons: &[usize], y: &[f64]) -> Result<usize, String> {
        let season = seasons.first().copied().filter(|&m| m >= 2);
        let needs_season = || {
            format!(
                "model {self} needs a season of 2 steps or more; this series has none (set \
                 the seasons option)"
            )
        };
        match self {
            Model::Naive => Ok(1),
            Model::SeasonalNaive => season.ok_or_else(needs_season),
            Model::Ses | Model::Holt => Ok(self.smoothing_min_points(1)),
            Model::HoltWintersAdditive | Model::HoltWintersMultiplicative => {
                let m = season.ok_or_else(needs_season)?;
                if self == Model::HoltWintersMultiplicative && y.iter().any(|&v| v <= 0.0) {
                    return Err(format!("model {self} needs values above zero"));
                }
                Ok(self.smoothing_min_points(m))
            }
            Model::Mstl => Mstl::min_points(seasons).ok_or_else(needs_season),
        }
    }

    /// Fits the model to `y`, which has at least [`Model::requirement`] values; `None` when
    /// the fit fails (for example a multiplicative state leaving the positive range).
    pub(crate) fn fit(self, seasons: &[usize], y: &[f64]) -> Option<Fitted> {
        let season = seasons.first().copied().unwrap_or(1).max(1);
        match self {
            Model::Naive => SeasonalNaive::fit(1, y).map(Fitted::Naive),
            Model::SeasonalNaive => SeasonalNaive::fit(season, y).map(Fitted::Naive),
            Model::Mstl => Mstl::fit(seasons, y).map(Fitted::Mstl),
            _ => Smoothing::fit_best(&self.specs(season), y).map(Fitted::Smoothing),
        }
    }
}

const ALL_TRENDS: [Trend; 3] = [Trend::None, Trend::Linear, Trend::Damped];

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Model {
    type Err = Error;

    /// Parses a snake_case name, for example `"mstl"`.
    fn from_str(s: &str) -> Result<Self, Error> {
        Model::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Model::ALL.iter().map(|m| m.name()).collect();
                Error::invalid_query(format!(
                    "unknown forecast model '{s}'; expected one of {}",
                    names.join(", ")
                ))
            })
    }
}

/// A fitted model of any kind.
#[derive(Debug, Clone)]
pub(crate) enum Fitted {
    Naive(SeasonalNaive),
    Smoothing(Smoothing),
    Mstl(Mstl),
}

impl Fitted {
    /// The point forecasts of the `horizon` steps after the history.
    pub fn forecast(&self, horizon: usize) -> Vec<f64> {
        match self {
            Fitted::Naive(m) => m.forecast(horizon),
            Fitted::Smoothing(m) => m.forecast(horizon),
            Fitted::Mstl(m) => m.forecast(horizon),
        }
    }

    /// The in-sample errors of forecasts from past origins; `y` is the history it was fitted
    /// to.
    pub fn step_errors(&self, y: &[f64], horizon: usize) -> StepErrors {
        match self {
            Fitted::Naive(m) => m.step_errors(y, horizon),
            Fitted::Smoothing(m) => {
                m.step_errors(y, horizon, first_origin(y.len(), horizon, m.period()))
            }
            Fitted::Mstl(m) => m.step_errors(y, horizon),
        }
    }
}

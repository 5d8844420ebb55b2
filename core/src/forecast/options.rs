//! [`ForecastOptions`]: which models to consider, the seasons, the holdout.

use serde::{Deserialize, Serialize};

use super::model::Model;

/// How [`super::forecast`] works; every field has a default, so `{}` in JSON is valid and
/// unknown keys are an error.
///
/// ```
/// use finmark::forecast::{ForecastOptions, Model};
/// let o: ForecastOptions = serde_json::from_str(r#"{"models": ["mstl"], "seasons": [7]}"#)?;
/// assert_eq!(o.models, vec![Model::Mstl]);
/// assert_eq!(ForecastOptions::default().models, Model::ALL.to_vec());
/// assert!(serde_json::from_str::<ForecastOptions>(r#"{"horizon": 3}"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ForecastOptions {
    /// The candidates. One model is fitted to the whole history as it is; with several, the
    /// automatic choice fits each to the history without its last `holdout` steps, keeps the
    /// one with the lowest mean absolute error on those steps, and refits it to the whole
    /// history. Default: [`Model::ALL`].
    pub models: Vec<Model>,
    /// Seasonal periods in steps, the main one first (it is the season of the seasonal
    /// naive and Holt-Winters models; MSTL uses them all, each where the history holds two
    /// whole cycles of it). Default (`None`): from the step: 24 and 168 for hourly data
    /// (`n` and `7n` for `n` steps a day in general), 7 for daily data, 52 for weekly data,
    /// none otherwise.
    pub seasons: Option<Vec<usize>>,
    /// Steps held out to score the candidates of the automatic choice. Default (`None`):
    /// the horizon.
    pub holdout: Option<usize>,
    /// When the history has no negative value (counts, amounts), forecasts and interval
    /// bounds below zero are raised to zero. Default: `true`.
    pub floor_at_zero: bool,
}

impl Default for ForecastOptions {
    fn default() -> Self {
        ForecastOptions {
            models: Model::ALL.to_vec(),
            seasons: None,
            holdout: None,
            floor_at_zero: true,
        }
    }
}

const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;

/// The default seasons of a series with steps of `step_seconds` (see
/// [`ForecastOptions::seasons`]).
pub fn default_seasons(step_seconds: i64) -> Vec<usize> {
    match step_seconds {
        DAY => vec![7],
        WEEK => vec![52],
        s if s > 0 && s < DAY / 2 && DAY % s == 0 => {
            let per_day = (DAY / s) as usize;
            vec![per_day, 7 * per_day]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_seasons_follow_the_calendar() {
        assert_eq!(default_seasons(3_600), vec![24, 168]);
        assert_eq!(default_seasons(900), vec![96, 672]);
        assert_eq!(default_seasons(86_400), vec![7]);
        assert_eq!(default_seasons(604_800), vec![52]);
        assert_eq!(default_seasons(7_000), Vec::<usize>::new());
        assert_eq!(default_seasons(43_200), Vec::<usize>::new());
    }
}

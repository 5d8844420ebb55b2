//! [`forecast`]: checks the request, chooses the model, fits it and draws the intervals.

use super::errors::widths;
use super::model::{Fitted, Model};
use super::options::{ForecastOptions, default_seasons};
use super::output::{Forecast, ForecastPoint, HoldoutScore};
use super::series::Series;
use crate::error::{Error, Result};

/// The longest horizon one forecast may ask for, in steps.
pub const MAX_HORIZON: usize = 100_000;

/// Forecasts the `horizon` steps after `series`, with P90 and P95 prediction intervals.
///
/// **Which model.** With one model in [`ForecastOptions::models`] that model is fitted to
/// the whole history. With several (the default: all of [`Model::ALL`]) the choice uses the
/// history only: each candidate that the shorter history allows is fitted to the history
/// without its last `holdout` steps (default: the horizon) and forecasts them; the one with
/// the lowest mean absolute error wins (the simpler on a tie) and is refitted to the whole
/// history. [`Forecast::holdout_scores`] lists every candidate's error.
///
/// **Intervals.** From the chosen model's in-sample errors: from each of the last origins of
/// the history (up to 2,000) the fitted model forecasts the following steps as it would
/// have then; the P90 bounds of step `k` add the 5th and 95th percentiles of the step-`k`
/// errors to the point forecast, the P95 bounds the 2.5th and 97.5th. A width never
/// shrinks with the horizon, and steps too far ahead for ten in-sample errors grow the
/// last reliable width with the square root of the step. Being in-sample, these intervals
/// are somewhat narrow for models with many parameters.
///
/// **Errors** ([`crate::ErrorKind::InvalidQuery`]): a horizon of 0 or above
/// [`MAX_HORIZON`], no models, a season of 0, too little history (the message names how
/// many values are needed and how many were given), or a requested model that cannot
/// forecast this series (for example multiplicative seasonality on data with zeros).
///
/// **Cost.** Seasonal naive: `O(n + origins·horizon)`. Exponential smoothing: a few hundred
/// passes over the history to fit. MSTL: a few STL decompositions plus the smoothing fit.
/// The automatic choice fits every candidate once to the shorter history and the winner
/// again; on M4's hourly series (700 to 960 values, horizon 48) that takes about 15 ms of
/// one core per series (see `benches/README.md`).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use finmark::forecast::{forecast, ForecastOptions, Series};
/// // Four weeks of daily orders: busy weekdays, quiet weekends, slowly growing.
/// let values: Vec<f64> = (0..28)
///     .map(|d| 500.0 + 5.0 * d as f64 + if d % 7 >= 5 { -150.0 } else { 40.0 })
///     .collect();
/// let start = Utc.with_ymd_and_hms(2026, 2, 2, 0, 0, 0).unwrap();
/// let history = Series::new(start, 86_400, values)?;
/// let f = forecast(&history, 7, &ForecastOptions::default())?;
/// assert_eq!(f.points.len(), 7);
/// assert_eq!(f.points[0].start, Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap());
/// let p = &f.points[0];
/// assert!(p.p95_low <= p.p90_low && p.p90_low <= p.p50 && p.p50 <= p.p90_high);
/// // Too little history is an error, never a made-up forecast.
/// let short = Series::new(start, 86_400, vec![500.0; 5])?;
/// let e = forecast(&short, 7, &ForecastOptions::default()).unwrap_err();
/// assert!(e.message().contains("got 5"), "{e}");
/// # Ok::<(), finmark::Error>(())
/// ```
pub fn forecast(series: &Series, horizon: usize, options: &ForecastOptions) -> Result<Forecast> {
    if horizon == 0 || horizon > MAX_HORIZON {
        return Err(Error::invalid_query(format!(
            "a forecast horizon is 1 to {MAX_HORIZON} steps, got {horizon}"
        )));
    }
    let seasons = match &options.seasons {
        Some(seasons) => seasons.clone(),
        None => default_seasons(series.step_seconds()),
    };
    if seasons.contains(&0) {
        return Err(Error::invalid_query("a season is at least 1 step, got 0"));
    }
    let mut models = options.models.clone();
    dedup_keeping_order(&mut models);
    let y = series.values();
    let (model, fitted, holdout_scores) = match models.as_slice() {
        [] => return Err(Error::invalid_query("no forecast model to choose from")),
        [only] => (*only, fit_only(*only, &seasons, y)?, Vec::new()),
        _ => choose(&models, &seasons, y, options.holdout.unwrap_or(horizon))?,
    };
    let floor = options.floor_at_zero && y.iter().all(|&v| v >= 0.0);
    let clamp = |v: f64| if floor { v.max(0.0) } else { v };
    let point = fitted.forecast(horizon);
    let widths = widths(fitted.step_errors(y, horizon));
    let mut points = Vec::with_capacity(horizon);
    for (k, (p, w)) in point.iter().zip(&widths).enumerate() {
        let start = series.time_at(y.len() + k).ok_or_else(|| {
            Error::invalid_query("the forecast runs past the last representable date")
        })?;
        points.push(ForecastPoint {
            start,
            p50: clamp(*p),
            p90_low: clamp(p - w.p90_low),
            p90_high: clamp(p + w.p90_high),
            p95_low: clamp(p - w.p95_low),
            p95_high: clamp(p + w.p95_high),
        });
    }
    Ok(Forecast {
        model,
        points,
        holdout_scores,
    })
}

fn dedup_keeping_order(models: &mut Vec<Model>) {
    let mut seen = Vec::with_capacity(models.len());
    models.retain(|m| {
        let new = !seen.contains(m);
        seen.push(*m);
        new
    });
}

/// Fits the one model asked for to the whole history.
fn fit_only(model: Model, seasons: &[usize], y: &[f64]) -> Result<Fitted> {
    let needed = model
        .requirement(seasons, y)
        .map_err(Error::invalid_query)?;
    if y.len() < needed {
        return Err(Error::invalid_query(format!(
            "model {model} needs at least {needed} values of history, got {}",
            y.len()
        )));
    }
    model.fit(seasons, y).ok_or_else(|| {
        Error::invalid_query(format!(
            "model {model} could not be fitted to this series (its state left the range \
             where the model is defined); try another model"
        ))
    })
}

/// The automatic choice by holdout error (see [`forecast`]).
fn choose(
    models: &[Model],
    seasons: &[usize],
    y: &[f64],
    holdout: usize,
) -> Result<(Model, Fitted, Vec<HoldoutScore>)> {
    if holdout == 0 {
        return Err(Error::invalid_query(
            "the holdout of the automatic choice is at least 1 step, got 0",
        ));
    }
    let requirements: Vec<(Model, usize)> = models
        .iter()
        .filter_map(|&m| Some((m, m.requirement(seasons, y).ok()?)))
        .collect();
    let Some(fewest) = requirements.iter().map(|r| r.1).min() else {
        return Err(Error::invalid_query(format!(
            "none of the models {} can forecast this series: {}",
            names(models),
            models
                .iter()
                .filter_map(|m| m.requirement(seasons, y).err())
                .collect::<Vec<_>>()
                .join("; ")
        )));
    };
    let too_short = || {
        Error::invalid_query(format!(
            "the automatic choice needs at least {} values of history ({fewest} to fit the \
             simplest candidate and {holdout} held out to score it), got {}",
            fewest.saturating_add(holdout),
            y.len()
        ))
    };
    let cut = y.len().checked_sub(holdout).ok_or_else(too_short)?;
    if cut < fewest {
        return Err(too_short());
    }
    let (train, test) = y.split_at(cut);
    let mut scores = Vec::new();
    for &(model, needed) in &requirements {
        let fitted = (train.len() >= needed)
            .then(|| model.fit(seasons, train))
            .flatten();
        let Some(fitted) = fitted else {
            continue;
        };
        let predicted = fitted.forecast(holdout);
        let mae = test
            .iter()
            .zip(&predicted)
            .map(|(a, p)| (a - p).abs())
            .sum::<f64>()
            / holdout as f64;
        if mae.is_finite() {
            scores.push(HoldoutScore { model, mae });
        }
    }
    let mut ranked = scores.clone();
    // Stable: the earlier (simpler) candidate wins a tie.
    ranked.sort_by(|a, b| a.mae.total_cmp(&b.mae));
    for candidate in &ranked {
        if let Some(fitted) = candidate.model.fit(seasons, y) {
            return Ok((candidate.model, fitted, scores));
        }
    }
    Err(Error::invalid_query(format!(
        "none of the models {} could be fitted to this series and scored on its last \
         {holdout} steps",
        names(models)
    )))
}

fn names(models: &[Model]) -> String {
    models
        .iter()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ")
}

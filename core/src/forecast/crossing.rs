//! [`crossing`]: when a forecast first reaches a threshold, and the interval of that date.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::output::{Forecast, ForecastPoint};

type Bound = fn(&ForecastPoint) -> f64;

/// Which way the forecast crosses the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Reaching the threshold from below: a value `>=` the threshold has crossed.
    Above,
    /// Reaching it from above: a value `<=` the threshold has crossed.
    Below,
}

/// When a forecast crosses a threshold (see [`crossing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crossing {
    /// The start of the first step whose point forecast (`p50`) crosses.
    pub start: DateTime<Utc>,
    /// The index of that step in [`Forecast::points`].
    pub step: usize,
    /// The start of the first step whose 95% interval reaches the threshold at all
    /// (`p95_high` for [`Direction::Above`], `p95_low` for [`Direction::Below`]): the
    /// earliest date the crossing is plausible. Never after `start`.
    pub earliest: DateTime<Utc>,
    /// The start of the first step whose whole 95% interval has crossed (`p95_low` for
    /// [`Direction::Above`], `p95_high` for [`Direction::Below`]): by then the crossing is
    /// near certain. Never before `start`; `None` when that happens after the horizon.
    pub latest: Option<DateTime<Utc>>,
}

/// The first step of `forecast` whose point forecast crosses `threshold`, with the range of
/// dates the 95% intervals allow; `None` if the point forecast stays on its side over the
/// whole horizon. Only future steps count: a history already past the threshold is not a
/// crossing.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use finmark::forecast::{crossing, Direction, Forecast, ForecastPoint, Model};
/// let day = |d| Utc.with_ymd_and_hms(2026, 6, d, 0, 0, 0).unwrap();
/// let point = |d, p50: f64| ForecastPoint {
///     start: day(d), p50, p90_low: p50 - 150.0, p90_high: p50 + 150.0,
///     p95_low: p50 - 200.0, p95_high: p50 + 200.0,
/// };
/// let f = Forecast {
///     model: Model::Holt,
///     points: (1..=5).map(|d| point(d, 2_600.0 + 150.0 * d as f64)).collect(),
///     holdout_scores: vec![],
/// };
/// // p50 from June 1: 2750, 2900, 3050, 3200, 3350: it crosses 3,000 on June 3.
/// let c = crossing(&f, 3_000.0, Direction::Above).unwrap();
/// assert_eq!((c.start, c.step), (day(3), 2));
/// assert_eq!(c.earliest, day(2)); // p95_high 2900 + 200 reaches 3000
/// assert_eq!(c.latest, Some(day(4))); // p95_low 3200 - 200 reaches 3000
/// assert!(crossing(&f, 5_000.0, Direction::Above).is_none());
/// ```
pub fn crossing(forecast: &Forecast, threshold: f64, direction: Direction) -> Option<Crossing> {
    let crosses = |v: f64| match direction {
        Direction::Above => v >= threshold,
        Direction::Below => v <= threshold,
    };
    // The bound that reaches the threshold first, and the one that reaches it last.
    let (near, far): (Bound, Bound) = match direction {
        Direction::Above => (|p| p.p95_high, |p| p.p95_low),
        Direction::Below => (|p| p.p95_low, |p| p.p95_high),
    };
    let points = &forecast.points;
    let step = points.iter().position(|p| crosses(p.p50))?;
    let earliest = points[..=step]
        .iter()
        .find(|p| crosses(near(p)))
        .map_or(points[step].start, |p| p.start);
    let latest = points[step..]
        .iter()
        .find(|p| crosses(far(p)))
        .map(|p| p.start);
    Some(Crossing {
        start: points[step].start,
        step,
        earliest,
        latest,
    })
}

//! [`Series`]: a regular time series (a start time, a step, one value per step).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A regular time series: `values[i]` is the value of the step starting at
/// `start + i * step_seconds`.
///
/// Every value is finite, the step is positive and there are at most [`Series::MAX_LEN`]
/// values: the constructors reject NaN, infinities and irregular timestamps with an
/// [`crate::ErrorKind::InvalidQuery`] error naming the first offending point. Deserialising checks the same (`{"start": "2026-01-01T00:00:00Z",
/// "step_seconds": 3600, "values": [...]}`).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use finmark::forecast::Series;
/// let start = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
/// let s = Series::new(start, 86_400, vec![510.0, 523.0, 498.0])?;
/// assert_eq!(s.time_at(2), Some(Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap()));
/// assert!(Series::new(start, 86_400, vec![1.0, f64::NAN]).is_err());
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SeriesFields")]
pub struct Series {
    start: DateTime<Utc>,
    step_seconds: i64,
    values: Vec<f64>,
}

/// The serialised form, checked by [`Series::new`] when read back.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesFields {
    start: DateTime<Utc>,
    step_seconds: i64,
    values: Vec<f64>,
}

impl TryFrom<SeriesFields> for Series {
    type Error = Error;
    fn try_from(f: SeriesFields) -> Result<Self> {
        Series::new(f.start, f.step_seconds, f.values)
    }
}

impl Series {
    /// The most values a series holds: ten million (over a century of minutes), so that a
    /// stray timestamp cannot make [`Series::from_points_filled`] fill gigabytes.
    pub const MAX_LEN: usize = 10_000_000;

    /// A series of `values` starting at `start`, one every `step_seconds`.
    ///
    /// Errors: a step that is not positive, a value that is NaN or infinite (the error names
    /// its index and time), more than [`Series::MAX_LEN`] values, or a last step beyond
    /// chrono's range of dates.
    pub fn new(start: DateTime<Utc>, step_seconds: i64, values: Vec<f64>) -> Result<Self> {
        check_step(step_seconds)?;
        check_len(values.len())?;
        let series = Series {
            start,
            step_seconds,
            values,
        };
        series.time_at(series.values.len()).ok_or_else(|| {
            Error::invalid_query("the series runs past the last representable date")
        })?;
        if let Some(i) = series.values.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid_query(format!(
                "value {} at index {i} ({}) is not a finite number; fill or drop it first",
                series.values[i],
                series
                    .time_at(i)
                    .map_or_else(String::new, |t| t.to_rfc3339())
            )));
        }
        Ok(series)
    }

    /// A series from `(time, value)` points that are exactly `step_seconds` apart, in order.
    ///
    /// Errors: no points, a point out of order or off the step (the error names its index,
    /// its time and the time that was expected), and whatever [`Series::new`] rejects. Use
    /// [`Series::from_points_filled`] where a missing step has a known value (a count rollup
    /// has no bucket for a step without events).
    pub fn from_points(points: &[(DateTime<Utc>, f64)], step_seconds: i64) -> Result<Self> {
        let start = first_time(points)?;
        let series = Series::new(start, step_seconds, points.iter().map(|p| p.1).collect())?;
        for (i, (t, _)) in points.iter().enumerate() {
            let expected = series
                .time_at(i)
                .expect("Series::new checked every step's time");
            if *t != expected {
                return Err(Error::invalid_query(format!(
                    "point {i} is at {}, but a series with a step of {step_seconds} s \
                     starting at {} expects {} there",
                    t.to_rfc3339(),
                    start.to_rfc3339(),
                    expected.to_rfc3339()
                )));
            }
        }
        Ok(series)
    }

    /// A series from `(time, value)` points on a grid of `step_seconds` from the first
    /// point; steps without a point get `fill` (for example `0.0` for counts).
    ///
    /// Errors: no points, a point that is not after the previous one, a point off the grid
    /// (the error names it), and whatever [`Series::new`] rejects. Cost: one pass, memory for
    /// the whole span.
    pub fn from_points_filled(
        points: &[(DateTime<Utc>, f64)],
        step_seconds: i64,
        fill: f64,
    ) -> Result<Self> {
        check_step(step_seconds)?;
        let start = first_time(points)?;
        let mut values = Vec::with_capacity(points.len());
        for (i, (t, v)) in points.iter().enumerate() {
            let offset = (*t - start).num_seconds();
            let index = offset / step_seconds;
            if offset % step_seconds != 0 || (*t - start).subsec_nanos() != 0 {
                return Err(Error::invalid_query(format!(
                    "point {i} at {} is not a whole number of {step_seconds} s steps after \
                     the first point at {}",
                    t.to_rfc3339(),
                    start.to_rfc3339()
                )));
            }
            let index = usize::try_from(index).ok().filter(|&k| k >= values.len());
            let Some(index) = index else {
                return Err(Error::invalid_query(format!(
                    "point {i} at {} is not after the point before it; sort the points and \
                     merge duplicates first",
                    t.to_rfc3339()
                )));
            };
            check_len(index + 1)?;
            values.resize(index, fill);
            values.push(*v);
        }
        Series::new(start, step_seconds, values)
    }

    /// The start of the first step.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The length of a step in seconds.
    pub fn step_seconds(&self) -> i64 {
        self.step_seconds
    }

    /// The values, one per step.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the series has no values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The start of step `index`, which may lie past the end (for forecasts); `None` only
    /// beyond chrono's range of dates (year 262,143), which [`Series::new`] rules out up to
    /// the step after the last value.
    pub fn time_at(&self, index: usize) -> Option<DateTime<Utc>> {
        let seconds = i64::try_from(index).ok()?.checked_mul(self.step_seconds)?;
        self.start
            .checked_add_signed(Duration::try_seconds(seconds)?)
    }
}

fn check_step(step_seconds: i64) -> Result<()> {
    if step_seconds > 0 {
        return Ok(());
    }
    Err(Error::invalid_query(format!(
        "a series needs a positive step, got {step_seconds} seconds"
    )))
}

fn check_len(len: usize) -> Result<()> {
    if len <= Series::MAX_LEN {
        return Ok(());
    }
    Err(Error::invalid_query(format!(
        "a series holds at most {} values, this one would hold {len}",
        Series::MAX_LEN
    )))
}

fn first_time(points: &[(DateTime<Utc>, f64)]) -> Result<DateTime<Utc>> {
    points
        .first()
        .map(|p| p.0)
        .ok_or_else(|| Error::invalid_query("a series needs at least one point, got none"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, hour, 0, 0).unwrap()
    }

    #[test]
    fn rejects_a_non_positive_step() {
        let e = Series::new(t(0), 0, vec![1.0]).unwrap_err();
        assert!(e.message().contains("positive step"), "{e}");
    }

    #[test]
    fn names_the_first_value_that_is_not_finite() {
        let e = Series::new(t(0), 3600, vec![1.0, 2.0, f64::INFINITY, f64::NAN]).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidQuery);
        assert!(e.message().contains("index 2"), "{e}");
        assert!(e.message().contains("2026-01-01T02:00:00"), "{e}");
    }

    #[test]
    fn from_points_names_the_first_irregular_point() {
        let points = [(t(0), 1.0), (t(1), 2.0), (t(3), 3.0)];
        let e = Series::from_points(&points, 3600).unwrap_err();
        assert!(e.message().contains("point 2"), "{e}");
        assert!(e.message().contains("expects 2026-01-01T02:00:00"), "{e}");
        let s = Series::from_points(&points[..2], 3600).unwrap();
        assert_eq!(s.values(), &[1.0, 2.0]);
    }

    #[test]
    fn from_points_filled_fills_gaps_and_rejects_disorder() {
        let s = Series::from_points_filled(&[(t(0), 5.0), (t(3), 7.0)], 3600, 0.0).unwrap();
        assert_eq!(s.values(), &[5.0, 0.0, 0.0, 7.0]);
        assert_eq!(s.start(), t(0));
        let e = Series::from_points_filled(&[(t(2), 5.0), (t(1), 7.0)], 3600, 0.0).unwrap_err();
        assert!(e.message().contains("point 1"), "{e}");
        let e = Series::from_points_filled(&[(t(1), 5.0), (t(1), 7.0)], 3600, 0.0).unwrap_err();
        assert!(e.message().contains("not after"), "{e}");
        let half = t(1) + Duration::minutes(30);
        let e = Series::from_points_filled(&[(t(0), 5.0), (half, 7.0)], 3600, 0.0).unwrap_err();
        assert!(e.message().contains("whole number"), "{e}");
        assert!(Series::from_points_filled(&[], 3600, 0.0).is_err());
        let far = t(0) + Duration::days(365 * 2_000);
        let e = Series::from_points_filled(&[(t(0), 1.0), (far, 1.0)], 60, 0.0).unwrap_err();
        assert!(e.message().contains("at most 10000000 values"), "{e}");
    }

    #[test]
    fn deserialising_checks_the_values() {
        let ok: Series = serde_json::from_str(
            r#"{"start": "2026-01-01T00:00:00Z", "step_seconds": 60, "values": [1, 2]}"#,
        )
        .unwrap();
        assert_eq!(ok.time_at(1), Some(t(0) + Duration::minutes(1)));
        let json = serde_json::to_string(&ok).unwrap();
        assert_eq!(serde_json::from_str::<Series>(&json).unwrap(), ok);
        let bad = serde_json::from_str::<Series>(
            r#"{"start": "2026-01-01T00:00:00Z", "step_seconds": -60, "values": [1]}"#,
        );
        assert!(bad.is_err());
    }
}

//! [`next_days`]: a daily series forecast for calendar days.

use chrono::{NaiveDate, NaiveTime};

use super::forecaster::forecast;
use super::options::ForecastOptions;
use super::output::Forecast;
use super::series::Series;
use crate::error::{Error, Result};

/// Forecasts the `days` calendar days from `first_day` on, from a daily series.
///
/// The series must have steps of one day (86,400 s) starting at midnight UTC; its last value
/// is the last whole day observed (leave today out while it is still running). `first_day`
/// is any day after that one: the days in between are forecast too but not returned, so
/// "the next 30 days" from a history that ends the day before yesterday still starts
/// tomorrow. The result's points start at midnight UTC of each day.
///
/// Errors ([`crate::ErrorKind::InvalidQuery`]): a series that is not daily at midnight,
/// `first_day` not after the last observed day, `days` of 0, and whatever [`forecast`]
/// rejects (too little history among them).
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use finmark::forecast::{next_days, ForecastOptions, Series};
/// let start = Utc.with_ymd_and_hms(2026, 5, 4, 0, 0, 0).unwrap(); // a Monday
/// let orders: Vec<f64> = (0..35).map(|d| if d % 7 >= 5 { 400.0 } else { 600.0 }).collect();
/// let daily = Series::new(start, 86_400, orders)?; // up to Sunday June 7
/// let week = next_days(&daily, NaiveDate::from_ymd_opt(2026, 6, 10).unwrap(), 7,
///                      &ForecastOptions::default())?;
/// assert_eq!(week.points.len(), 7);
/// assert_eq!(week.points[0].start.date_naive(), NaiveDate::from_ymd_opt(2026, 6, 10).unwrap());
/// assert_eq!(week.points[3].p50, 400.0); // Saturday June 13
/// # Ok::<(), finmark::Error>(())
/// ```
pub fn next_days(
    daily: &Series,
    first_day: NaiveDate,
    days: usize,
    options: &ForecastOptions,
) -> Result<Forecast> {
    if daily.step_seconds() != 86_400 || daily.start().time() != NaiveTime::MIN {
        return Err(Error::invalid_query(format!(
            "next_days needs a daily series starting at midnight UTC; this one starts at {} \
             with steps of {} s",
            daily.start().to_rfc3339(),
            daily.step_seconds()
        )));
    }
    if days == 0 {
        return Err(Error::invalid_query(
            "next_days needs at least 1 day, got 0",
        ));
    }
    let Some(last_index) = daily.len().checked_sub(1) else {
        return Err(Error::invalid_query(
            "next_days needs a history, got an empty series",
        ));
    };
    let last_day = daily
        .time_at(last_index)
        .expect("Series::new checked every step's time")
        .date_naive();
    let skipped = (first_day - last_day).num_days() - 1;
    let Ok(skipped) = usize::try_from(skipped) else {
        return Err(Error::invalid_query(format!(
            "the first forecast day {first_day} must come after the last observed day \
             {last_day}"
        )));
    };
    let mut f = forecast(daily, skipped.saturating_add(days), options)?;
    f.points.drain(..skipped);
    Ok(f)
}

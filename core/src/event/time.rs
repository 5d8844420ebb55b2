//! Reading event times from field values.

use super::Value;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// Epoch values at or above this are milliseconds, below it seconds (1e11 s is the year 5138).
const MILLIS_THRESHOLD: f64 = 1e11;

/// Parses a timestamp string: RFC 3339 (`2026-01-02T03:04:05.123Z`, any offset), or a
/// date-time without offset (`2026-01-02 03:04:05.123`, `T` or space), taken as UTC.
///
/// ```
/// let t = finmark::event::parse_timestamp("2025-11-27 07:40:10.132").unwrap();
/// assert_eq!(t.timestamp_millis(), 1_764_229_210_132);
/// ```
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|naive| Utc.from_utc_datetime(&naive))
}

/// Parses a time argument as doors and the command line take it: what [`parse_timestamp`]
/// reads, or a date `YYYY-MM-DD` (its midnight UTC). Anything else is an
/// [`InvalidQuery`](crate::error::ErrorKind::InvalidQuery) error naming the forms.
///
/// ```
/// let t = finmark::event::parse_time_arg("2026-01-15").unwrap();
/// assert_eq!(t.to_rfc3339(), "2026-01-15T00:00:00+00:00");
/// assert!(finmark::event::parse_time_arg("last tuesday").is_err());
/// ```
pub fn parse_time_arg(text: &str) -> Result<DateTime<Utc>> {
    parse_timestamp(text)
        .or_else(|| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
        .ok_or_else(|| {
            Error::invalid_query(format!(
                "'{text}' is not a time; expected RFC 3339 (2026-01-15T08:00:00Z), 2026-01-15 08:00:00 or 2026-01-15"
            ))
        })
}

/// The time a field value stands for: a timestamp string, or epoch seconds or milliseconds.
pub(crate) fn timestamp_of(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::String(s) => {
            parse_timestamp(s).or_else(|| s.trim().parse::<f64>().ok().and_then(from_epoch))
        }
        Value::Int(i) => from_epoch(*i as f64),
        Value::Float(f) => from_epoch(*f),
        _ => None,
    }
}

fn from_epoch(n: f64) -> Option<DateTime<Utc>> {
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    let millis = if n >= MILLIS_THRESHOLD { n } else { n * 1000.0 };
    Utc.timestamp_millis_opt(millis.round() as i64).single()
}

/// RFC 3339 with microseconds and `Z`, the form finmark writes times in.
pub(crate) fn format_rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

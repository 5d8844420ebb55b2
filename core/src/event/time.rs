//! Reading event times from field values.

use super::Value;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer};

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

/// The time forms a time argument may take, for error messages.
const TIME_ARG_FORMS: &str = "expected RFC 3339 (2026-01-15T08:00:00Z, any offset), \
     a date-time without offset taken as UTC (2026-01-15 08:00:00[.fff] or 2026-01-15T08:00:00), \
     or a date taken as its midnight UTC (2026-01-15)";

/// Parses a time argument — a query bound, a purge cutoff, a command-line `--since` — the one
/// way every door reads them: RFC 3339 with any offset, a date-time without offset taken as
/// UTC (`2026-01-15 08:00:00`, optional fraction, `T` or space), or a date taken as its
/// midnight UTC (`2026-01-15`). Surrounding whitespace is ignored.
///
/// It is [`parse_timestamp`] plus the date form, with an
/// [`crate::ErrorKind::InvalidQuery`] error naming the text and the accepted forms. The JSON
/// forms of the queries (`since`, `until`) read their times with it too.
///
/// ```
/// use finmark::event::parse_time_arg;
/// let t = parse_time_arg("2026-01-15 08:00:00").unwrap();
/// assert_eq!(t, parse_time_arg("2026-01-15T09:00:00+01:00").unwrap());
/// assert_eq!(parse_time_arg("2026-01-15").unwrap().to_rfc3339(), "2026-01-15T00:00:00+00:00");
/// let e = parse_time_arg("yesterday").unwrap_err();
/// assert_eq!(e.kind(), finmark::ErrorKind::InvalidQuery);
/// assert!(e.message().contains("'yesterday'"), "{e}");
/// ```
pub fn parse_time_arg(text: &str) -> Result<DateTime<Utc>> {
    parse_timestamp(text)
        .or_else(|| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
        .ok_or_else(|| Error::invalid_query(format!("invalid time '{text}': {TIME_ARG_FORMS}")))
}

/// Serde `deserialize_with` for an optional time argument in a query's JSON form: `null` or
/// absent is `None`, text is read by [`parse_time_arg`].
pub(crate) fn optional_time_arg<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<DateTime<Utc>>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|text| parse_time_arg(&text).map_err(|e| serde::de::Error::custom(e.message())))
        .transpose()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc3339(text: &str) -> String {
        parse_time_arg(text).unwrap().to_rfc3339()
    }

    #[test]
    fn time_args_in_every_accepted_form() {
        let eight = "2026-01-15T08:00:00+00:00";
        assert_eq!(rfc3339("2026-01-15T08:00:00Z"), eight);
        assert_eq!(rfc3339("2026-01-15T08:00:00+00:00"), eight);
        assert_eq!(rfc3339("2026-01-15T09:30:00+01:30"), eight);
        assert_eq!(rfc3339("2026-01-15T03:00:00-05:00"), eight);
        assert_eq!(rfc3339("2026-01-15 08:00:00"), eight);
        assert_eq!(rfc3339("2026-01-15T08:00:00"), eight);
        assert_eq!(rfc3339("  2026-01-15 08:00:00\n"), eight);
        assert_eq!(
            rfc3339("2026-01-15 08:00:00.250"),
            "2026-01-15T08:00:00.250+00:00"
        );
        assert_eq!(
            rfc3339("2026-01-15T08:00:00.123456Z"),
            "2026-01-15T08:00:00.123456+00:00"
        );
        assert_eq!(rfc3339("2026-01-15"), "2026-01-15T00:00:00+00:00");
        assert_eq!(rfc3339(" 2026-01-15 "), "2026-01-15T00:00:00+00:00");
    }

    #[test]
    fn time_args_rejected_with_the_accepted_forms() {
        for text in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-01-15 25:00:00",
            "2026-01-15 08:00",
            "15/01/2026",
            "1768464000",
            "2026-01-15Z",
        ] {
            let e = parse_time_arg(text).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidQuery, "{text}");
            assert!(e.message().contains(&format!("'{text}'")), "{e}");
            assert!(e.message().contains("RFC 3339"), "{e}");
            assert!(e.message().contains("2026-01-15 08:00:00"), "{e}");
        }
    }

    #[derive(Debug, Deserialize)]
    struct Bound {
        #[serde(default, deserialize_with = "optional_time_arg")]
        since: Option<DateTime<Utc>>,
    }

    #[test]
    fn optional_time_args_in_json() {
        let since = |json: &str| serde_json::from_str::<Bound>(json).map(|b| b.since);
        assert_eq!(since("{}").unwrap(), None);
        assert_eq!(since(r#"{"since": null}"#).unwrap(), None);
        assert_eq!(
            since(r#"{"since": "2026-01-15"}"#).unwrap(),
            Some(parse_time_arg("2026-01-15T00:00:00Z").unwrap())
        );
        let e = since(r#"{"since": "soon"}"#).unwrap_err().to_string();
        assert!(e.contains("'soon'") && e.contains("RFC 3339"), "{e}");
        assert!(since(r#"{"since": 5}"#).is_err());
    }
}

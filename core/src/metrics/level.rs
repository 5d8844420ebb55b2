//! The three bucket sizes of a rollup and how bucket starts align to the clock.

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A bucket size: one minute, one hour or one UTC day. Buckets start on the clock: a minute
/// bucket at second 0, an hour bucket at minute 0, a day bucket at midnight UTC.
///
/// Its JSON and text form is `"1m"`, `"1h"` or `"1d"`; levels order from fine to coarse.
///
/// ```
/// use finmark::metrics::Level;
/// let t = "2026-01-15T10:42:17Z".parse().unwrap();
/// assert_eq!(Level::Hour.start_of(t).to_rfc3339(), "2026-01-15T10:00:00+00:00");
/// assert_eq!("1d".parse::<Level>().unwrap(), Level::Day);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// One minute.
    #[serde(rename = "1m")]
    Minute,
    /// One hour.
    #[serde(rename = "1h")]
    Hour,
    /// One UTC day.
    #[serde(rename = "1d")]
    Day,
}

impl Level {
    /// Every level, fine to coarse.
    pub const ALL: [Level; 3] = [Level::Minute, Level::Hour, Level::Day];

    /// The length of a bucket in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            Level::Minute => 60,
            Level::Hour => 3_600,
            Level::Day => 86_400,
        }
    }

    /// The text form: `"1m"`, `"1h"` or `"1d"`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Minute => "1m",
            Level::Hour => "1h",
            Level::Day => "1d",
        }
    }

    /// The start of the bucket of this level that holds `t`.
    pub fn start_of(self, t: DateTime<Utc>) -> DateTime<Utc> {
        time_at(self.start_secs(t.timestamp()))
    }

    /// The start, in seconds since the epoch, of the bucket holding second `secs`.
    pub(crate) fn start_secs(self, secs: i64) -> i64 {
        secs - secs.rem_euclid(self.seconds())
    }

    /// The position of the level in [`Level::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Level {
    type Err = Error;
    fn from_str(s: &str) -> Result<Level> {
        Level::ALL
            .into_iter()
            .find(|level| level.name() == s)
            .ok_or_else(|| {
                Error::invalid_query(format!("unknown interval '{s}': expected 1m, 1h or 1d"))
            })
    }
}

/// The UTC time `secs` seconds after the epoch (clamped to chrono's range).
pub(crate) fn time_at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or(if secs < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_align_to_the_clock_before_and_after_the_epoch() {
        assert_eq!(Level::Minute.start_secs(125), 120);
        assert_eq!(Level::Hour.start_secs(3_599), 0);
        assert_eq!(Level::Day.start_secs(86_400 * 3 + 5), 86_400 * 3);
        // One second before the epoch is in the minute that starts at -60.
        assert_eq!(Level::Minute.start_secs(-1), -60);
        assert_eq!(Level::Day.start_secs(-1), -86_400);
    }

    #[test]
    fn names_round_trip_and_bad_names_say_what_is_valid() {
        for level in Level::ALL {
            assert_eq!(level.name().parse::<Level>().unwrap(), level);
            assert_eq!(
                serde_json::to_string(&level).unwrap(),
                format!("\"{level}\"")
            );
        }
        let e = "5m".parse::<Level>().unwrap_err();
        assert!(e.message().contains("1m, 1h or 1d"), "{e}");
    }
}

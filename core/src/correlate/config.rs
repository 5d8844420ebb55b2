//! How the correlation stage keeps time and how much state it may hold.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Which clock places a hit in its windows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeMode {
    /// The event's own time ([`crate::Event::time`]), with hits reordered within the allowed
    /// lateness. The default, and the one to use whenever events carry timestamps.
    #[default]
    Event,
    /// The time the hit reaches the correlator (the `now` given to
    /// [`super::Correlator::advance_at`]): for live feeds whose events have no timestamp.
    /// Nothing is ever late in this mode.
    Processing,
}

/// Settings of a [`super::Correlator`], with a JSON form for the doors and the engine
/// (`{"time": "event", "allowed_lateness_secs": 60, ...}`; every key is optional).
///
/// Every limit bounds memory; what happens past it is documented on the field. The worst
/// case per correlation is `max_groups` groups of at most `max_window_hits` hits,
/// `max_evidence` event ids and `max_distinct_values` values (or 8 HyperLogLog sketches of
/// 2^11 registers) each; on top, `max_pending` hits waiting to be put in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CorrelationConfig {
    /// Which clock windows follow.
    pub time: TimeMode,
    /// In event time, how much older than the newest hit seen a hit may be and still take
    /// its place in order. Hits are held until the newest hit seen is this much newer, so
    /// firings come that much (of event time) later; a hit older than a hit already
    /// processed is too late: it is dropped and counted ([`super::CorrelationStats::late`]).
    /// Within one call of `advance` hits are always put in order, whatever this is.
    pub allowed_lateness_secs: u64,
    /// Most hits held for reordering; past it the oldest is processed at once (counted in
    /// [`super::CorrelationStats::released_early`]).
    pub max_pending: usize,
    /// Most groups per correlation. A new group past it first drops the groups whose window
    /// emptied, then evicts the group whose last hit is the oldest (counted in
    /// [`super::CorrelationStats::evicted_groups`]); an evicted group starts afresh if it is
    /// hit again.
    pub max_groups: usize,
    /// Most hits a group's window keeps one by one. Past it the oldest are kept only as
    /// counts and sums per 1/16 of the timespan, so `event_count`, `value_sum` and
    /// `value_avg` may include hits up to 1/16 of the timespan older than the window, and
    /// `value_percentile` and `value_median` are taken over the newest `max_window_hits`
    /// values of the window.
    pub max_window_hits: usize,
    /// Most event ids kept per group as evidence (the newest ones of the window).
    pub max_evidence: usize,
    /// Most distinct values a `value_count` group counts exactly. Past it the group counts
    /// with HyperLogLog sketches (2^11 registers, about 2.3% standard error) per 1/8 of the
    /// timespan, which may include values up to 1/8 of the timespan older than the window,
    /// until its window empties.
    pub max_distinct_values: usize,
}

impl Default for CorrelationConfig {
    fn default() -> Self {
        CorrelationConfig {
            time: TimeMode::Event,
            allowed_lateness_secs: 0,
            max_pending: 1_000_000,
            max_groups: 100_000,
            max_window_hits: 256,
            max_evidence: 16,
            max_distinct_values: 256,
        }
    }
}

impl CorrelationConfig {
    /// Checks that every limit is at least 1.
    pub fn validate(&self) -> Result<()> {
        let limits = [
            ("max_pending", self.max_pending),
            ("max_groups", self.max_groups),
            ("max_window_hits", self.max_window_hits),
            ("max_evidence", self.max_evidence),
            ("max_distinct_values", self.max_distinct_values),
        ];
        match limits.iter().find(|(_, n)| *n == 0) {
            Some((name, _)) => Err(Error::invalid_query(format!(
                "correlation config: {name} must be at least 1"
            ))),
            None => Ok(()),
        }
    }

    /// The allowed lateness in microseconds.
    pub(crate) fn lateness_us(&self) -> i64 {
        i64::try_from(self.allowed_lateness_secs)
            .unwrap_or(i64::MAX)
            .saturating_mul(1_000_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_form() {
        let c: CorrelationConfig =
            serde_json::from_str(r#"{"time": "processing", "max_groups": 10}"#).unwrap();
        assert_eq!(c.time, TimeMode::Processing);
        assert_eq!(c.max_groups, 10);
        assert_eq!(c.max_evidence, 16, "missing keys keep their defaults");
        let e = serde_json::from_str::<CorrelationConfig>(r#"{"max_group": 10}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `max_group`"), "{e}");
        let zero = CorrelationConfig {
            max_groups: 0,
            ..CorrelationConfig::default()
        };
        assert!(
            zero.validate()
                .unwrap_err()
                .to_string()
                .contains("max_groups")
        );
    }
}

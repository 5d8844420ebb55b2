//! Declared rollups: what to aggregate, for which events, grouped how, kept how long.

use super::level::{Level, time_at};
use super::select::Selector;
use crate::error::{Error, Result};
use crate::event::Value;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a rollup aggregates: one per event (`"count"`), or a numeric field's values
/// (`{"field": "event.duration"}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Counts events: every event's value is 1, so a bucket's sum is its count.
    #[default]
    Count,
    /// A numeric field (integer or float). Events without it, or with a non-number or a
    /// non-finite float there, are left out of the rollup.
    Field(String),
}

/// How long the buckets of each level are kept, in seconds (JSON keys `"1m"`, `"1h"`, `"1d"`).
/// A bucket is past retention once it ended that long ago; late events for such a bucket are
/// dropped (they would bring a purged bucket back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Retention {
    /// Minute buckets; default 3 days.
    #[serde(rename = "1m")]
    pub minute: u64,
    /// Hour buckets; default 90 days (enough for weekly seasonality, which needs 3 weeks).
    #[serde(rename = "1h")]
    pub hour: u64,
    /// Day buckets; default 400 days.
    #[serde(rename = "1d")]
    pub day: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            minute: 3 * 86_400,
            hour: 90 * 86_400,
            day: 400 * 86_400,
        }
    }
}

impl Retention {
    /// The retention of `level`, in seconds.
    pub fn of(&self, level: Level) -> u64 {
        match level {
            Level::Minute => self.minute,
            Level::Hour => self.hour,
            Level::Day => self.day,
        }
    }

    /// Buckets of `level` that start before the returned time are past retention at `now`:
    /// they ended at least the retention ago.
    pub fn cutoff(&self, level: Level, now: DateTime<Utc>) -> DateTime<Utc> {
        time_at(self.cutoff_secs(level, now.timestamp()))
    }

    /// [`Retention::cutoff`] in seconds since the epoch.
    pub(crate) fn cutoff_secs(&self, level: Level, now: i64) -> i64 {
        let keep = i64::try_from(self.of(level)).unwrap_or(i64::MAX);
        level.start_secs(now.saturating_sub(keep))
    }
}

/// The default for [`RollupSpec::max_groups`].
pub const DEFAULT_MAX_GROUPS: usize = 1_000;
/// The largest [`RollupSpec::max_groups`].
pub const MAX_GROUPS: usize = 100_000;
/// The most `group_by` fields a rollup or query may have.
pub const MAX_GROUP_BY: usize = 8;

/// One declared rollup. Its JSON form (snake_case keys, unknown keys rejected):
///
/// ```json
/// {"name": "api_latency", "measure": {"field": "event.duration"},
///  "where": {"event.dataset": "finmark.http"}, "group_by": ["url.path"],
///  "distinct": "source.ip", "retention": {"1m": 259200, "1h": 7776000, "1d": 34560000},
///  "max_groups": 1000}
/// ```
///
/// Only `name` and `measure` are required.
///
/// **Groups are bounded** by `max_groups` per UTC day: the first `max_groups` groups of a day
/// (first come, first served, in event order and counting those already stored) are kept at
/// every level of that day; events of further groups go to the overflow group
/// ([`GroupKey::other`](super::GroupKey::other)) at every level, so a group-by on source
/// addresses cannot explode storage, the overflow is counted, and minute buckets still merge
/// exactly into their hour and day.
///
/// ```
/// use finmark::metrics::{Measure, RollupSpec};
/// let spec: RollupSpec = serde_json::from_str(
///     r#"{"name": "logins", "measure": "count", "where": {"event.category": "authentication"},
///         "group_by": ["event.outcome"]}"#,
/// ).unwrap();
/// assert_eq!(spec.measure, Measure::Count);
/// assert_eq!(spec.max_groups, 1_000);
/// spec.validate().unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollupSpec {
    /// A unique name: 1 to 100 letters, digits, `_`, `-`, `.` or `:`.
    pub name: String,
    /// What is aggregated.
    pub measure: Measure,
    /// Only events whose field equals the value, for every pair (`where` in JSON). Equality is
    /// typed: `500` matches the integer 500 and the float 500.0, not the string `"500"`.
    #[serde(
        default,
        rename = "where",
        with = "filters_as_map",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub filters: Vec<(String, Value)>,
    /// The fields whose values make a group (at most [`MAX_GROUP_BY`]); none: one group.
    #[serde(default)]
    pub group_by: Vec<String>,
    /// A field whose distinct values each bucket counts (HyperLogLog++), for example
    /// `source.ip` or `user.name`; none: no distinct count (and no sketch to store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct: Option<String>,
    /// How long each level's buckets are kept.
    #[serde(default)]
    pub retention: Retention,
    /// The most groups kept per UTC day (1 to [`MAX_GROUPS`]), see above.
    #[serde(default = "default_max_groups")]
    pub max_groups: usize,
}

fn default_max_groups() -> usize {
    DEFAULT_MAX_GROUPS
}

impl RollupSpec {
    /// A rollup of `measure` named `name`, over all events, in one group, with the default
    /// retention and group limit.
    pub fn new(name: impl Into<String>, measure: Measure) -> RollupSpec {
        RollupSpec {
            name: name.into(),
            measure,
            filters: Vec::new(),
            group_by: Vec::new(),
            distinct: None,
            retention: Retention::default(),
            max_groups: DEFAULT_MAX_GROUPS,
        }
    }

    /// Checks the declaration; an [`crate::ErrorKind::InvalidQuery`] error names the rollup
    /// and what is wrong.
    pub fn validate(&self) -> Result<()> {
        let fail = |what: String| {
            Err(Error::invalid_query(format!(
                "rollup '{}': {what}",
                self.name
            )))
        };
        let name_ok = (1..=100).contains(&self.name.len())
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c));
        if !name_ok {
            return fail("the name must be 1 to 100 letters, digits, '_', '-', '.' or ':'".into());
        }
        check_fields(
            &self.measure,
            &self.filters,
            &self.group_by,
            self.distinct.as_deref(),
        )
        .or_else(fail)?;
        if !(1..=MAX_GROUPS).contains(&self.max_groups) {
            return fail(format!(
                "max_groups must be 1 to {MAX_GROUPS}, not {}",
                self.max_groups
            ));
        }
        let mut shorter_level: Option<(Level, u64)> = None;
        for level in Level::ALL {
            let keep = self.retention.of(level);
            if keep < level.seconds() as u64 {
                return fail(format!(
                    "retention of {level} buckets is {keep} s, shorter than one bucket"
                ));
            }
            if let Some((finer, finer_keep)) = shorter_level
                && keep < finer_keep
            {
                return fail(format!(
                    "retention of {level} buckets ({keep} s) is shorter than of {finer} buckets \
                     ({finer_keep} s); coarser levels must be kept at least as long"
                ));
            }
            shorter_level = Some((level, keep));
        }
        Ok(())
    }

    /// The event-reading part of the rollup.
    pub(crate) fn selector(&self) -> Selector<'_> {
        Selector {
            measure: &self.measure,
            filters: &self.filters,
            group_by: &self.group_by,
            distinct: self.distinct.as_deref(),
        }
    }
}

/// Checks the field names of a rollup or query; the error text says what is wrong.
pub(crate) fn check_fields(
    measure: &Measure,
    filters: &[(String, Value)],
    group_by: &[String],
    distinct: Option<&str>,
) -> std::result::Result<(), String> {
    if matches!(measure, Measure::Field(f) if f.is_empty()) {
        return Err("the measured field name is empty".into());
    }
    if group_by.len() > MAX_GROUP_BY {
        return Err(format!(
            "group_by has {} fields; at most {MAX_GROUP_BY}",
            group_by.len()
        ));
    }
    for (i, field) in group_by.iter().enumerate() {
        if field.is_empty() {
            return Err("a group_by field name is empty".into());
        }
        if group_by[..i].contains(field) {
            return Err(format!("group_by names '{field}' twice"));
        }
    }
    if distinct == Some("") {
        return Err("the distinct field name is empty".into());
    }
    for (field, value) in filters {
        if field.is_empty() {
            return Err("a 'where' field name is empty".into());
        }
        if matches!(value, Value::Null | Value::List(_)) {
            return Err(format!(
                "'where' value of '{field}' must be a string, number or boolean"
            ));
        }
    }
    Ok(())
}

/// Field equalities as a JSON object, in key order.
pub(crate) mod filters_as_map {
    use crate::event::{Fields, Value};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(filters: &[(String, Value)], s: S) -> Result<S::Ok, S::Error> {
        filters
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Fields>()
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Value)>, D::Error> {
        let object = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let mut filters = Vec::with_capacity(object.len());
        for (k, v) in object {
            if v.is_object() {
                return Err(serde::de::Error::custom(format!(
                    "'where' value of '{k}' must be a string, number or boolean"
                )));
            }
            filters.push((k, Value::from_json(v)));
        }
        Ok(filters)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_form_round_trips_and_rejects_unknown_keys() {
        let text = r#"{"name":"api_latency","measure":{"field":"event.duration"},"where":{"event.dataset":"finmark.http"},"group_by":["url.path"],"distinct":"source.ip","retention":{"1m":3600,"1h":86400,"1d":864000},"max_groups":50}"#;
        let spec: RollupSpec = serde_json::from_str(text).unwrap();
        assert_eq!(spec.measure, Measure::Field("event.duration".into()));
        assert_eq!(
            spec.filters,
            vec![("event.dataset".to_string(), Value::from("finmark.http"))]
        );
        assert_eq!(spec.retention.of(Level::Hour), 86_400);
        spec.validate().unwrap();
        assert_eq!(serde_json::to_string(&spec).unwrap(), text);

        let e =
            serde_json::from_str::<RollupSpec>(r#"{"name":"a","measure":"count","groupby":[]}"#)
                .unwrap_err();
        assert!(e.to_string().contains("groupby"), "{e}");
        let e = serde_json::from_str::<RollupSpec>(r#"{"name":"a","measure":"sum"}"#).unwrap_err();
        assert!(e.to_string().contains("sum"), "{e}");
    }

    #[test]
    fn validation_names_the_rollup_and_the_fault() {
        let ok = RollupSpec::new("requests", Measure::Count);
        ok.validate().unwrap();
        let cases: Vec<(RollupSpec, &str)> = vec![
            (RollupSpec::new("bad name", Measure::Count), "name"),
            (
                RollupSpec::new("a", Measure::Field(String::new())),
                "measured field",
            ),
            (
                RollupSpec {
                    group_by: vec!["x".into(), "x".into()],
                    ..ok.clone()
                },
                "twice",
            ),
            (
                RollupSpec {
                    max_groups: 0,
                    ..ok.clone()
                },
                "max_groups",
            ),
            (
                RollupSpec {
                    retention: Retention {
                        minute: 30,
                        ..Retention::default()
                    },
                    ..ok.clone()
                },
                "shorter than one bucket",
            ),
            (
                RollupSpec {
                    retention: Retention {
                        hour: 3_600,
                        ..Retention::default()
                    },
                    ..ok.clone()
                },
                "at least as long",
            ),
            (
                RollupSpec {
                    filters: vec![("x".into(), Value::Null)],
                    ..ok.clone()
                },
                "string, number or boolean",
            ),
        ];
        for (spec, needle) in cases {
            let e = spec.validate().unwrap_err();
            assert!(e.message().contains(needle), "{e}");
            assert!(
                e.message().starts_with(&format!("rollup '{}'", spec.name)),
                "{e}"
            );
        }
    }

    #[test]
    fn cutoffs_keep_buckets_that_ended_less_than_the_retention_ago() {
        let r = Retention {
            minute: 3_600,
            hour: 86_400,
            day: 86_400 * 10,
        };
        let now: DateTime<Utc> = "2026-01-15T10:30:30Z".parse().unwrap();
        // The minute 09:30 ended at 09:31, less than an hour ago: kept. 09:29 ended at 09:30:00,
        // an hour and 30 s ago: past retention.
        assert_eq!(
            r.cutoff(Level::Minute, now).to_rfc3339(),
            "2026-01-15T09:30:00+00:00"
        );
        assert_eq!(
            r.cutoff(Level::Hour, now).to_rfc3339(),
            "2026-01-14T10:00:00+00:00"
        );
        assert_eq!(
            r.cutoff(Level::Day, now).to_rfc3339(),
            "2026-01-05T00:00:00+00:00"
        );
    }
}

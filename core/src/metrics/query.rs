//! Metric queries: which buckets answer them, and building the answer's buckets from a
//! rollup's stored buckets or straight from events, the same way.

use super::bucket::Bucket;
use super::group::{GroupKey, write_key};
use super::level::{Level, time_at};
use super::select::{Selector, Skip, values_equal};
use super::spec::{Measure, RollupSpec, check_fields, filters_as_map};
use super::stage::{KeyedBucket, Rollups};
use super::views::{RateUnit, Statistic, View};
use crate::error::{Error, Result};
use crate::event::{Event, Value};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest [`MetricQuery::limit`].
pub const MAX_LIMIT: usize = 10_000;
/// The number of top keys when [`MetricQuery::limit`] is 0.
pub const DEFAULT_LIMIT: usize = 10;

/// A metric query. Its JSON form, every key optional (unknown keys rejected):
///
/// ```json
/// {"measure": {"field": "event.duration"}, "where": {"event.dataset": "finmark.http"},
///  "group_by": ["url.path"], "distinct": "source.ip", "interval": "1h",
///  "since": "2026-01-15T00:00:00Z", "until": "2026-01-16T00:00:00Z",
///  "rate": "per_second", "view": "series", "statistic": "count", "limit": 10}
/// ```
///
/// Answering takes three steps, so that storage stays outside: [`MetricQuery::source`] says
/// whether a declared rollup covers the query (then fetch its buckets of the
/// [`Source::Rollup`] level) or not (then fetch the events of [`Source::Events`]);
/// [`MetricQuery::from_buckets`] or [`MetricQuery::from_events`] builds the answer's
/// [`Series`]; [`MetricQuery::run`] computes the [`View`]. Both paths build the same buckets
/// with the same sketches, so the answer does not depend on the path: counts, sums, min and
/// max agree exactly (sums of non-integers up to float rounding), quantiles and distinct
/// counts agree bin for bin and register for register, and so within the sketches'
/// guarantees of the exact values. The one difference: a rollup whose day exceeded
/// `max_groups` has an overflow group that raw events do not.
///
/// Time ranges select whole intervals: rows start at or after `since` rounded down to the
/// interval, and before `until`.
///
/// ```
/// use finmark::event::{Event, Value};
/// use finmark::metrics::{Answer, MetricQuery, Measure};
/// let events: Vec<Event> = [("10:05", 120), ("10:40", 80), ("11:15", 300)].iter().map(|(t, ms)|
///     Event::new([("@timestamp", Value::from(format!("2026-01-15T{t}:00Z"))),
///                 ("event.duration", Value::from(*ms))].into_iter().collect())).collect();
/// let query: MetricQuery = serde_json::from_str(r#"{"measure": {"field": "event.duration"}}"#).unwrap();
/// let series = query.from_events(&events).unwrap();
/// let Answer::Rows(rows) = query.run(&series).unwrap() else { unreachable!() };
/// assert_eq!(rows.len(), 2);
/// assert_eq!((rows[0].count, rows[0].sum, rows[0].max), (2, 200.0, 120.0));
/// assert_eq!(serde_json::to_value(&rows[1]).unwrap()["start"], "2026-01-15T11:00:00Z");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricQuery {
    /// What is aggregated; default: a count of events.
    pub measure: Measure,
    /// Only events whose field equals the value (`where` in JSON), typed as in
    /// [`RollupSpec::filters`].
    #[serde(
        rename = "where",
        with = "filters_as_map",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub filters: Vec<(String, Value)>,
    /// Fields to group by; none: one group.
    pub group_by: Vec<String>,
    /// A field whose distinct values to count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distinct: Option<String>,
    /// The interval of rows; default 1h.
    pub interval: Level,
    /// Rows from the interval holding this time on.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::event::optional_time_arg"
    )]
    pub since: Option<DateTime<Utc>>,
    /// Rows starting before this time.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::event::optional_time_arg"
    )]
    pub until: Option<DateTime<Utc>>,
    /// Adds a `rate` (events per second or per minute) to each row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<RateUnit>,
    /// What to compute; default the time series.
    pub view: View,
    /// The number the pattern, peak and top views rank or profile; default the count.
    pub statistic: Statistic,
    /// How many top keys; 0 means [`DEFAULT_LIMIT`]; at most [`MAX_LIMIT`].
    pub limit: usize,
}

impl Default for MetricQuery {
    fn default() -> Self {
        MetricQuery {
            measure: Measure::Count,
            filters: Vec::new(),
            group_by: Vec::new(),
            distinct: None,
            interval: Level::Hour,
            since: None,
            until: None,
            rate: None,
            view: View::Series,
            statistic: Statistic::Count,
            limit: 0,
        }
    }
}

/// Where a query's buckets come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Source {
    /// The stored buckets of this rollup at this level, from `since` (rounded down to the
    /// level) to `until`: pass them to [`MetricQuery::from_buckets`].
    Rollup {
        /// The rollup's name.
        rollup: String,
        /// The level to fetch (the query's interval).
        level: Level,
    },
    /// No rollup covers the query: fetch the stored events in this time range that pass the
    /// query's `where`, and pass them to [`MetricQuery::from_events`].
    Events {
        /// From this time (the query's `since` rounded down to its interval).
        since: Option<DateTime<Utc>>,
        /// Before this time.
        until: Option<DateTime<Utc>>,
    },
}

impl MetricQuery {
    /// Checks the query; an [`crate::ErrorKind::InvalidQuery`] error says what is wrong.
    pub fn validate(&self) -> Result<()> {
        let fail = |what: String| Err(Error::invalid_query(format!("metric query: {what}")));
        check_fields(
            &self.measure,
            &self.filters,
            &self.group_by,
            self.distinct.as_deref(),
        )
        .or_else(fail)?;
        if let (Some(since), Some(until)) = (self.since, self.until)
            && since >= until
        {
            return fail(format!("since ({since}) is not before until ({until})"));
        }
        if self.limit > MAX_LIMIT {
            return fail(format!(
                "limit {} is too large; at most {MAX_LIMIT}",
                self.limit
            ));
        }
        if self.view == View::Pattern && self.interval == Level::Day {
            return fail("the 24-hour pattern needs an interval of 1h or 1m".into());
        }
        if self.statistic == Statistic::Distinct && self.distinct.is_none() {
            return fail("the statistic 'distinct' needs a 'distinct' field".into());
        }
        Ok(())
    }

    /// Where the answer's buckets come from at `now`: the covering rollup with the fewest
    /// `group_by` fields (then the first declared), or the events. A rollup covers the query
    /// when it has the same measure (and the same `distinct` field, if the query counts one),
    /// its `where` is part of the query's, the query's other `where` fields and its
    /// `group_by` are among the rollup's `group_by`, and `since` is not before the retention
    /// of the interval's buckets (no `since`: all that the rollup keeps).
    pub fn source(&self, rollups: &Rollups, now: DateTime<Utc>) -> Source {
        let covering = rollups
            .specs()
            .iter()
            .filter(|spec| self.uncovered_by(spec).is_none())
            .filter(|spec| {
                self.since.is_none_or(|since| {
                    self.interval.start_secs(since.timestamp())
                        >= spec.retention.cutoff_secs(self.interval, now.timestamp())
                })
            })
            .min_by_key(|spec| spec.group_by.len());
        match covering {
            Some(spec) => Source::Rollup {
                rollup: spec.name.clone(),
                level: self.interval,
            },
            None => Source::Events {
                since: self.since.map(|t| self.interval.start_of(t)),
                until: self.until,
            },
        }
    }

    /// Why `spec` cannot answer this query, or `None` when it can (retention aside).
    fn uncovered_by(&self, spec: &RollupSpec) -> Option<String> {
        if spec.measure != self.measure {
            return Some("it aggregates another measure".into());
        }
        if self.distinct.is_some() && spec.distinct != self.distinct {
            return Some("it counts distinct values of another field".into());
        }
        for (field, value) in &spec.filters {
            let same = self
                .filters
                .iter()
                .any(|(f, v)| f == field && values_equal(v, value));
            if !same {
                return Some(format!("it keeps only events where {field} = {value}"));
            }
        }
        let spec_filtered = |f: &String| spec.filters.iter().any(|(name, _)| name == f);
        let needed = self
            .filters
            .iter()
            .map(|(f, _)| f)
            .filter(|f| !spec_filtered(f))
            .chain(&self.group_by);
        for field in needed {
            if !spec.group_by.contains(field) {
                return Some(format!("it is not grouped by {field}"));
            }
        }
        None
    }

    /// The range of interval starts, in seconds: `[since rounded down, until)`.
    fn range(&self) -> (i64, i64) {
        (
            self.since
                .map_or(i64::MIN, |t| self.interval.start_secs(t.timestamp())),
            self.until.map_or(i64::MAX, |t| t.timestamp()),
        )
    }

    /// The answer's buckets straight from events (any events: those outside the query's time
    /// range or `where` are left out), built with the same sketches as rollups.
    pub fn from_events<'a>(&self, events: impl IntoIterator<Item = &'a Event>) -> Result<Series> {
        self.validate()?;
        let selector = Selector {
            measure: &self.measure,
            filters: &self.filters,
            group_by: &self.group_by,
            distinct: self.distinct.as_deref(),
        };
        let (lo, hi) = self.range();
        let mut series = Series::new(self);
        let mut key = String::new();
        for event in events {
            let start = self.interval.start_secs(event.time.timestamp());
            if start < lo || start >= hi {
                continue;
            }
            match selector.sample(event, &mut key) {
                Ok(sample) => series.bucket(&key, start).record(&sample),
                Err(Skip::Filtered | Skip::NotNumeric) => {}
            }
        }
        Ok(series)
    }

    /// The answer's buckets from stored buckets of `spec` (all of one level, at most the
    /// query's interval): finer buckets merge into intervals, groups merge into the query's
    /// coarser groups, and `where` fields that are `group_by` fields of the rollup select
    /// groups (the overflow group, whose values are unknown, is then left out). An
    /// [`crate::ErrorKind::InvalidQuery`] error if the rollup does not cover the query or the
    /// buckets are not of it.
    pub fn from_buckets(
        &self,
        spec: &RollupSpec,
        buckets: impl IntoIterator<Item = KeyedBucket>,
    ) -> Result<Series> {
        self.validate()?;
        if let Some(why) = self.uncovered_by(spec) {
            return Err(Error::invalid_query(format!(
                "rollup '{}' cannot answer this query: {why}",
                spec.name
            )));
        }
        let position = |field: &String| spec.group_by.iter().position(|f| f == field);
        let picks: Vec<usize> = self.group_by.iter().filter_map(position).collect();
        let selects: Vec<(usize, &Value)> = self
            .filters
            .iter()
            .filter(|(f, _)| !spec.filters.iter().any(|(name, _)| name == f))
            .filter_map(|(f, v)| Some((position(f)?, v)))
            .collect();
        let (lo, hi) = self.range();
        let mut level: Option<Level> = None;
        let mut series = Series::new(self);
        let mut key = String::new();
        for KeyedBucket {
            key: stored,
            bucket,
        } in buckets
        {
            if stored.rollup != spec.name {
                return Err(Error::invalid_query(format!(
                    "a bucket of rollup '{}' among those of '{}'",
                    stored.rollup, spec.name
                )));
            }
            if *level.get_or_insert(stored.level) != stored.level || stored.level > self.interval {
                return Err(Error::invalid_query(format!(
                    "buckets must all be of one level, at most the interval {}; found {} and {}",
                    self.interval,
                    level.unwrap_or(stored.level),
                    stored.level
                )));
            }
            let start = self.interval.start_secs(stored.start.timestamp());
            if start < lo || start >= hi || bucket.count() == 0 {
                continue;
            }
            if stored.group.is_other() {
                if selects.is_empty() {
                    series
                        .bucket(GroupKey::other().as_str(), start)
                        .merge(&bucket);
                }
                continue;
            }
            let values = stored.group.values().ok_or_else(|| {
                Error::invalid_query(format!("bad group key '{}'", stored.group.as_str()))
            })?;
            let selected = selects
                .iter()
                .all(|(at, want)| values.get(*at).is_some_and(|v| values_equal(v, want)));
            if selected {
                write_key(&mut key, picks.iter().map(|&at| values.get(at)));
                series.bucket(&key, start).merge(&bucket);
            }
        }
        Ok(series)
    }

    /// The view the query asks for, over its buckets.
    pub fn run(&self, series: &Series) -> Result<super::views::Answer> {
        self.validate()?;
        Ok(series.view(self))
    }
}

/// The buckets that answer a query: one per group and interval. Built by
/// [`MetricQuery::from_events`] or [`MetricQuery::from_buckets`]; bounded by their input.
#[derive(Debug, Clone)]
pub struct Series {
    pub(crate) interval: Level,
    pub(crate) group_by: Vec<String>,
    /// Whether rows carry the distinct count (the query asks for one; a rollup's buckets
    /// may have one the query did not ask for).
    pub(crate) distinct: bool,
    /// The query's range of interval starts, in seconds.
    pub(crate) range: (i64, i64),
    /// Buckets by group, then interval start in seconds.
    pub(crate) groups: BTreeMap<GroupKey, BTreeMap<i64, Bucket>>,
}

impl Series {
    fn new(query: &MetricQuery) -> Series {
        Series {
            interval: query.interval,
            group_by: query.group_by.clone(),
            distinct: query.distinct.is_some(),
            range: query.range(),
            groups: BTreeMap::new(),
        }
    }

    fn bucket(&mut self, group: &str, start: i64) -> &mut Bucket {
        if !self.groups.contains_key(group) {
            self.groups
                .insert(GroupKey::from_text(group), BTreeMap::new());
        }
        self.groups
            .get_mut(group)
            .map(|starts| starts.entry(start).or_default())
            .unwrap_or_else(|| unreachable!("the group was just inserted"))
    }

    /// The interval of the buckets.
    pub fn interval(&self) -> Level {
        self.interval
    }

    /// Every bucket as (interval start, group, bucket), by group then time.
    pub fn buckets(&self) -> impl Iterator<Item = (DateTime<Utc>, &GroupKey, &Bucket)> {
        self.groups.iter().flat_map(|(group, starts)| {
            starts
                .iter()
                .map(move |(&start, bucket)| (time_at(start), group, bucket))
        })
    }
}

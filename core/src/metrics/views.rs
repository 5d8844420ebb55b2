//! What a query computes over its buckets: the time series, the 24-hour pattern, the peak and
//! the top keys.

use super::bucket::Bucket;
use super::group::GroupKey;
use super::level::{Level, time_at};
use super::query::{DEFAULT_LIMIT, MetricQuery, Series};
use crate::event::Fields;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a query computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// One [`MetricRow`] per group and interval, in time order.
    #[default]
    Series,
    /// The 24-hour pattern: one [`HourProfile`] per group and UTC hour of the day.
    Pattern,
    /// The peak: one [`Peak`] per group.
    Peak,
    /// The top keys: one [`MetricRow`] per group totalled over the range, largest
    /// `statistic` first, at most `limit`.
    Top,
}

/// The unit of a rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateUnit {
    /// Events per second.
    PerSecond,
    /// Events per minute.
    PerMinute,
}

impl RateUnit {
    fn seconds(self) -> f64 {
        match self {
            RateUnit::PerSecond => 1.0,
            RateUnit::PerMinute => 60.0,
        }
    }
}

/// One number of a bucket, which the pattern, peak and top views rank or profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// The number of events.
    #[default]
    Count,
    /// The sum.
    Sum,
    /// The smallest value.
    Min,
    /// The largest value.
    Max,
    /// The mean.
    Mean,
    /// The population standard deviation.
    Stddev,
    /// The median.
    P50,
    /// The 95th percentile.
    P95,
    /// The 99th percentile.
    P99,
    /// The distinct count.
    Distinct,
    /// Events per second (or per the query's `rate` unit).
    Rate,
}

impl Statistic {
    /// The statistic of `bucket` covering `seconds`.
    fn of(self, bucket: &Bucket, seconds: i64, unit: Option<RateUnit>) -> Option<f64> {
        match self {
            Statistic::Count => Some(bucket.count() as f64),
            Statistic::Sum => Some(bucket.sum()),
            Statistic::Min => bucket.min(),
            Statistic::Max => bucket.max(),
            Statistic::Mean => bucket.mean(),
            Statistic::Stddev => bucket.stddev(),
            Statistic::P50 => bucket.quantile(0.5),
            Statistic::P95 => bucket.quantile(0.95),
            Statistic::P99 => bucket.quantile(0.99),
            Statistic::Distinct => bucket.distinct().map(|d| d as f64),
            Statistic::Rate => Some(rate(bucket, seconds, unit.unwrap_or(RateUnit::PerSecond))),
        }
    }

    /// True when an interval without events has the value 0 (rather than none).
    fn zero_when_empty(self) -> bool {
        matches!(
            self,
            Statistic::Count | Statistic::Sum | Statistic::Distinct | Statistic::Rate
        )
    }
}

fn rate(bucket: &Bucket, seconds: i64, unit: RateUnit) -> f64 {
    bucket.count() as f64 * unit.seconds() / seconds.max(1) as f64
}

/// One bucket of an answer. Its JSON keys, in order: `start` (RFC 3339), `group` (field to
/// value, in `group_by` order), `count`, `sum`, `min`, `max`, `mean`, `stddev`, `p50`, `p95`,
/// `p99`; then, when they apply, `distinct`, `rate`, and `"other": true` for the overflow
/// group (whose `group` values are all `null`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    /// The start of the interval (top keys: of the group's first interval).
    pub start: DateTime<Utc>,
    /// The group's field values.
    pub group: Fields,
    /// The number of events.
    pub count: u64,
    /// The sum of the values (of a count: the count).
    pub sum: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// The mean value.
    pub mean: f64,
    /// The population standard deviation.
    pub stddev: f64,
    /// The median (DDSketch: within 1 %).
    pub p50: Option<f64>,
    /// The 95th percentile.
    pub p95: Option<f64>,
    /// The 99th percentile.
    pub p99: Option<f64>,
    /// The distinct count, when the query counts one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distinct: Option<u64>,
    /// Events per the query's rate unit, when it asks for one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// True for the overflow group.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub other: bool,
}

/// One hour of the day (UTC) of the 24-hour pattern of one group: the statistic of that
/// hour on each day of the range, summarised across days by median, 95th percentile (both
/// linearly interpolated between the ranked days) and mean. An hour without events counts as
/// 0 for count, sum, distinct and rate, and is left out for the other statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HourProfile {
    /// The group's field values.
    pub group: Fields,
    /// The hour of the day, 0 to 23, UTC.
    pub hour: u32,
    /// How many days had a value for this hour.
    pub days: usize,
    /// The median across days.
    pub median: Option<f64>,
    /// The 95th percentile across days.
    pub p95: Option<f64>,
    /// The mean across days.
    pub mean: Option<f64>,
    /// True for the overflow group.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub other: bool,
}

/// The peak of one group: the interval with the largest statistic (the earliest, on ties),
/// and the 95th percentile of the statistic over the intervals with events, which says
/// whether the peak is a lone spike.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peak {
    /// The group's field values.
    pub group: Fields,
    /// The start of the peak interval.
    pub start: DateTime<Utc>,
    /// The statistic there.
    pub value: f64,
    /// The 95th percentile of the statistic across intervals (linearly interpolated).
    pub p95: f64,
    /// How many intervals had events.
    pub intervals: usize,
    /// True for the overflow group.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub other: bool,
}

/// The answer to a query: one row type per view. Its JSON is the array of rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// Series and top keys.
    Rows(Vec<MetricRow>),
    /// The 24-hour pattern.
    Pattern(Vec<HourProfile>),
    /// Peaks.
    Peaks(Vec<Peak>),
}

impl Series {
    /// The view of `query` over these buckets.
    pub(crate) fn view(&self, query: &MetricQuery) -> Answer {
        let stat = query.statistic;
        match query.view {
            View::Series => Answer::Rows(self.rows(query.rate)),
            View::Pattern => Answer::Pattern(self.pattern(stat, query.rate)),
            View::Peak => Answer::Peaks(self.peaks(stat, query.rate)),
            View::Top => {
                let limit = if query.limit == 0 {
                    DEFAULT_LIMIT
                } else {
                    query.limit
                };
                Answer::Rows(self.top(stat, query.rate, limit))
            }
        }
    }

    /// One row per group and interval, by start then group.
    pub fn rows(&self, rate: Option<RateUnit>) -> Vec<MetricRow> {
        let mut rows: Vec<(i64, &GroupKey, MetricRow)> = self
            .groups
            .iter()
            .flat_map(|(group, starts)| {
                starts.iter().map(move |(&start, bucket)| {
                    (
                        start,
                        group,
                        self.row(start, group, bucket, self.interval.seconds(), rate),
                    )
                })
            })
            .collect();
        rows.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        rows.into_iter().map(|(_, _, row)| row).collect()
    }

    /// The 24-hour pattern of `stat`, per group (see [`HourProfile`]). Needs an interval of
    /// 1h or 1m (minutes merge into hours); with 1d every hour has no value.
    pub fn pattern(&self, stat: Statistic, rate: Option<RateUnit>) -> Vec<HourProfile> {
        let Some((lo, hi)) = self.span() else {
            return Vec::new();
        };
        let hours = |secs: i64| Level::Hour.start_secs(secs);
        let (first_hour, end_hour) = (hours(lo), hours(hi - 1) + 3_600);
        let mut out = Vec::new();
        for (group, starts) in &self.groups {
            let mut hourly: BTreeMap<i64, Bucket> = BTreeMap::new();
            if self.interval <= Level::Hour {
                for (&start, bucket) in starts {
                    hourly.entry(hours(start)).or_default().merge(bucket);
                }
            }
            let mut by_hour: [Vec<f64>; 24] = Default::default();
            for hour in (first_hour..end_hour).step_by(3_600) {
                let value = match hourly.get(&hour) {
                    Some(bucket) => stat.of(bucket, 3_600, rate),
                    None => stat.zero_when_empty().then_some(0.0),
                };
                if let Some(v) = value {
                    by_hour[(hour.rem_euclid(86_400) / 3_600) as usize].push(v);
                }
            }
            for (hour, mut values) in by_hour.into_iter().enumerate() {
                values.sort_by(f64::total_cmp);
                out.push(HourProfile {
                    group: self.fields(group),
                    hour: hour as u32,
                    days: values.len(),
                    median: percentile(&values, 0.5),
                    p95: percentile(&values, 0.95),
                    mean: (!values.is_empty())
                        .then(|| values.iter().sum::<f64>() / values.len() as f64),
                    other: group.is_other(),
                });
            }
        }
        out
    }

    /// The peak of `stat` per group (see [`Peak`]); groups where no interval has a value are
    /// left out.
    pub fn peaks(&self, stat: Statistic, rate: Option<RateUnit>) -> Vec<Peak> {
        let seconds = self.interval.seconds();
        let mut out = Vec::new();
        for (group, starts) in &self.groups {
            let values: Vec<(i64, f64)> = starts
                .iter()
                .filter_map(|(&start, bucket)| Some((start, stat.of(bucket, seconds, rate)?)))
                .collect();
            let Some(&(start, value)) = values
                .iter()
                .reduce(|best, next| if next.1 > best.1 { next } else { best })
            else {
                continue;
            };
            let mut sorted: Vec<f64> = values.iter().map(|v| v.1).collect();
            sorted.sort_by(f64::total_cmp);
            out.push(Peak {
                group: self.fields(group),
                start: time_at(start),
                value,
                p95: percentile(&sorted, 0.95).unwrap_or(value),
                intervals: values.len(),
                other: group.is_other(),
            });
        }
        out
    }

    /// Each group's buckets merged over the range, ranked by `stat`, largest first (groups
    /// without a value last, ties by group), the first `limit`. A row's `rate` is over the
    /// whole range.
    pub fn top(&self, stat: Statistic, rate: Option<RateUnit>, limit: usize) -> Vec<MetricRow> {
        let seconds = self.span().map_or(1, |(lo, hi)| hi - lo);
        let mut totals: Vec<(Option<f64>, MetricRow)> = self
            .groups
            .iter()
            .filter_map(|(group, starts)| {
                let first = *starts.keys().next()?;
                let mut total = Bucket::new();
                for bucket in starts.values() {
                    total.merge(bucket);
                }
                let value = stat.of(&total, seconds, rate);
                Some((value, self.row(first, group, &total, seconds, rate)))
            })
            .collect();
        // Stable: groups come in key order, so ties stay in it.
        totals.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (x, y) => y.is_some().cmp(&x.is_some()),
        });
        totals.into_iter().take(limit).map(|(_, row)| row).collect()
    }

    /// The time span the views cover, in seconds: the query's range, with an open end
    /// replaced by the first or last interval with events.
    fn span(&self) -> Option<(i64, i64)> {
        let starts = self.groups.values().flat_map(|s| s.keys().copied());
        let (first, last) = starts.fold(None, |acc: Option<(i64, i64)>, s| {
            Some(acc.map_or((s, s), |(a, b)| (a.min(s), b.max(s))))
        })?;
        let lo = if self.range.0 == i64::MIN {
            first
        } else {
            self.range.0
        };
        let hi = if self.range.1 == i64::MAX {
            last + self.interval.seconds()
        } else {
            self.range.1
        };
        (lo < hi).then_some((lo, hi))
    }

    fn fields(&self, group: &GroupKey) -> Fields {
        group.to_fields(&self.group_by)
    }

    fn row(
        &self,
        start: i64,
        group: &GroupKey,
        bucket: &Bucket,
        seconds: i64,
        unit: Option<RateUnit>,
    ) -> MetricRow {
        MetricRow {
            start: time_at(start),
            group: self.fields(group),
            count: bucket.count(),
            sum: bucket.sum(),
            min: bucket.min().unwrap_or(f64::NAN),
            max: bucket.max().unwrap_or(f64::NAN),
            mean: bucket.mean().unwrap_or(f64::NAN),
            stddev: bucket.stddev().unwrap_or(f64::NAN),
            p50: bucket.quantile(0.5),
            p95: bucket.quantile(0.95),
            p99: bucket.quantile(0.99),
            distinct: bucket.distinct().filter(|_| self.distinct),
            rate: unit.map(|u| rate(bucket, seconds, u)),
            other: group.is_other(),
        }
    }
}

/// The `p`-percentile of sorted values, linearly interpolated between ranks (rank
/// p·(n−1), as numpy's default and `value_percentile` correlations use); `None` when empty.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = p * last as f64;
    let below = rank.floor() as usize;
    let above = (below + 1).min(last);
    let fraction = rank - below as f64;
    Some(sorted[below] + fraction * (sorted[above] - sorted[below]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_between_ranks() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[7.0], 0.95), Some(7.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        // Rank 0.95 · 19 = 18.05 between 19 and 20.
        let values: Vec<f64> = (1..=20).map(f64::from).collect();
        let p95 = percentile(&values, 0.95).unwrap();
        assert!((p95 - 19.05).abs() < 1e-12, "{p95}");
    }
}

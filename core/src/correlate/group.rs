//! One group of one correlation: its window, what its type aggregates, and when it fires.

use super::compile::Node;
use super::config::CorrelationConfig;
use super::distinct::{Distinct, SKETCH_BUCKETS};
use super::window::{BUCKETS, Entry, Evidence, Series, percentile};
use crate::sigma::CorrelationType;
use serde::{Deserialize, Serialize};

/// What a type keeps beyond the window's hits.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Aggregate {
    /// `event_count` and the numeric types: the hits are enough.
    #[default]
    Hits,
    /// `value_count`.
    Distinct(Distinct),
    /// `temporal`: when each entry of `rules` was last hit. `temporal_ordered`: for each
    /// prefix of `rules`, the latest start of a run of hits in that order.
    Rules(Vec<Option<i64>>),
}

/// One hit as a group takes it.
pub(crate) struct Hit<'a> {
    /// Microseconds since the epoch.
    pub(crate) time: i64,
    /// The number read (value_sum, value_avg, value_percentile, value_median).
    pub(crate) number: f64,
    /// The text counted (value_count).
    pub(crate) text: Option<&'a str>,
    /// The places of the hit's rule in the correlation's `rules`.
    pub(crate) positions: &'a [usize],
    /// The events it stands for: 1, or the events of an inner correlation's firing.
    pub(crate) events: u64,
    /// Its event ids.
    pub(crate) ids: &'a [String],
}

/// What a group reports when it fires.
pub(crate) struct Firing {
    pub(crate) value: f64,
    pub(crate) first_time: i64,
    pub(crate) events: u64,
    pub(crate) ids: Vec<String>,
}

/// A group's state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Group {
    /// Its place in the table's staleness order.
    pub(crate) touch: u64,
    /// The time of its newest hit.
    pub(crate) last: i64,
    /// After a firing: no firing at hits up to this time (the firing's time + timespan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quiet_until: Option<i64>,
    series: Series,
    evidence: Evidence,
    #[serde(default)]
    aggregate: Aggregate,
}

impl Group {
    /// An empty group of `node`'s type.
    pub(crate) fn new(node: &Node, touch: u64) -> Group {
        let aggregate = match node.kind {
            CorrelationType::ValueCount => Aggregate::Distinct(Distinct::default()),
            CorrelationType::Temporal | CorrelationType::TemporalOrdered => {
                Aggregate::Rules(vec![None; node.arity])
            }
            _ => Aggregate::Hits,
        };
        Group {
            touch,
            last: i64::MIN,
            quiet_until: None,
            series: Series::default(),
            evidence: Evidence::default(),
            aggregate,
        }
    }

    /// Adds a hit (never older than the group's newest) and says whether the group fires.
    pub(crate) fn update(
        &mut self,
        node: &Node,
        hit: &Hit<'_>,
        config: &CorrelationConfig,
    ) -> Option<Firing> {
        let cutoff = hit.time.saturating_sub(node.timespan);
        let width = (node.timespan / BUCKETS).max(1);
        self.series.evict(cutoff, width);
        self.evidence.evict(cutoff);
        match &mut self.aggregate {
            Aggregate::Hits => {}
            Aggregate::Distinct(distinct) => {
                let width = (node.timespan / SKETCH_BUCKETS).max(1);
                distinct.evict(cutoff, width);
                if let Some(text) = hit.text {
                    distinct.insert(text, hit.time, config.max_distinct_values, width);
                }
            }
            Aggregate::Rules(seen) if node.kind == CorrelationType::Temporal => {
                for &p in hit.positions {
                    seen[p] = Some(hit.time);
                }
            }
            Aggregate::Rules(starts) => {
                // Highest place first, so one hit never stands at two places of one run.
                for &p in hit.positions.iter().rev() {
                    let start = if p == 0 {
                        Some(hit.time)
                    } else {
                        starts[p - 1]
                    };
                    starts[p] = starts[p].max(start);
                }
            }
        }
        self.series.push(
            Entry(hit.time, hit.number, hit.events),
            config.max_window_hits,
            width,
        );
        self.evidence.push(
            hit.time,
            hit.ids.iter().map(String::as_str),
            config.max_evidence,
        );
        self.last = hit.time;
        let value = self.value(node, cutoff)?;
        if !node.condition.iter().all(|t| t.holds(value)) {
            return None;
        }
        if self.quiet_until.is_some_and(|quiet| hit.time <= quiet) {
            return None;
        }
        self.quiet_until = Some(hit.time.saturating_add(node.timespan));
        Some(Firing {
            value,
            first_time: self.series.first_time().unwrap_or(hit.time),
            events: self.series.events(),
            ids: self.evidence.ids(),
        })
    }

    /// The window's value that the condition compares; `None` when there is none (a
    /// percentile of no values).
    fn value(&self, node: &Node, cutoff: i64) -> Option<f64> {
        let hits = self.series.hits() as f64;
        Some(match (&self.aggregate, node.kind) {
            (Aggregate::Distinct(distinct), _) => distinct.count() as f64,
            (Aggregate::Rules(seen), CorrelationType::Temporal) => {
                seen.iter().flatten().filter(|&&t| t >= cutoff).count() as f64
            }
            (Aggregate::Rules(starts), _) => starts
                .iter()
                .take_while(|s| s.is_some_and(|t| t >= cutoff))
                .count() as f64,
            (_, CorrelationType::ValueSum) => self.series.sum(),
            (_, CorrelationType::ValueAvg) if hits > 0.0 => self.series.sum() / hits,
            (_, CorrelationType::ValuePercentile | CorrelationType::ValueMedian) => {
                let mut values: Vec<f64> = self.series.values().collect();
                percentile(&mut values, node.percentile)?
            }
            (_, CorrelationType::ValueAvg) => return None,
            _ => hits,
        })
    }

    /// True when every hit is older than `cutoff`, so the group holds nothing that matters:
    /// its window is empty and any quiet time after a firing is over.
    pub(crate) fn expired(&self, cutoff: i64) -> bool {
        self.last < cutoff
    }

    /// True when the group's `value_count` counts approximately.
    pub(crate) fn is_sketched(&self) -> bool {
        matches!(&self.aggregate, Aggregate::Distinct(d) if d.is_sketched())
    }
}

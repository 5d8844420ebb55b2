//! The correlation state: the clock with its hits waiting to be put in order, and one table
//! of groups per correlation. All of it is plain data with serde, to be saved with a batch
//! and loaded by the next process.

use super::compile::Node;
use super::group::Group;
use super::key::Scalar;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

/// Everything a [`super::Correlator`] carries from one batch to the next.
///
/// It is one value: load it, [`advance`](super::Correlator::advance) it by a batch, save it.
/// Two processes that take turns on one saved state raise exactly what one process would.
/// It splits along its fields for storage: [`CorrelationState::clock`] (the event-time clock
/// and the hits held for reordering) and one [`CorrelationTable`] per correlation, keyed by
/// the correlation's rule id; each part is serde on its own. A table saved under an older
/// version of its correlation (another type, timespan, group-by, rules or condition) starts
/// afresh, and tables of correlations no longer loaded are dropped.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CorrelationState {
    /// The clock and the hits waiting for it.
    pub clock: Clock,
    /// One table per correlation, by the correlation's rule id.
    pub tables: BTreeMap<String, CorrelationTable>,
}

/// The event-time clock: the newest hit seen, the last hit processed, and the hits held
/// until the allowed lateness has passed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Clock {
    /// The newest hit time seen (microseconds since the epoch).
    newest: Option<i64>,
    /// The time of the last hit processed: nothing older is accepted any more.
    released: Option<i64>,
    /// Hits taken so far; orders hits of equal time.
    seq: u64,
    /// The layout of the routes the pending hits were read for.
    layout: u64,
    /// Hits held for reordering, oldest on top.
    pending: BinaryHeap<Pending>,
    late: u64,
    released_early: u64,
    dropped_pending: u64,
}

/// A base rule's hit held for reordering, with the fields its correlations read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Pending {
    pub(crate) time: i64,
    pub(crate) seq: u64,
    pub(crate) route: usize,
    pub(crate) event_id: String,
    pub(crate) values: Vec<Option<Scalar>>,
}

impl Eq for Pending {}

impl Ord for Pending {
    /// Reversed, so that a max-heap pops the oldest (then the first taken).
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Clock {
    /// Takes a hit at `time`: false if it is too late (older than a hit already processed).
    pub(crate) fn admit(&mut self, time: i64) -> bool {
        if self.released.is_some_and(|r| time < r) {
            self.late += 1;
            return false;
        }
        self.newest = Some(self.newest.map_or(time, |n| n.max(time)));
        true
    }

    /// The next sequence number.
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The time hits go at in processing-time mode: `now`, never before a processed hit.
    pub(crate) fn processing_time(&self, now: i64) -> i64 {
        self.released.map_or(now, |r| r.max(now))
    }

    /// Moves the newest time seen forward to `time` (events that hit no correlation).
    pub(crate) fn observe(&mut self, time: i64) {
        self.newest = Some(self.newest.map_or(time, |n| n.max(time)));
    }

    pub(crate) fn hold(&mut self, hit: Pending) {
        self.pending.push(hit);
    }

    /// The next hit to process: the oldest held, if the clock allows it (it is at least
    /// `lateness` older than the newest seen, or `all`), or if more than `max_pending` are
    /// held.
    pub(crate) fn release(
        &mut self,
        lateness: i64,
        max_pending: usize,
        all: bool,
    ) -> Option<Pending> {
        let oldest = self.pending.peek()?.time;
        let due = all
            || self
                .newest
                .is_some_and(|n| oldest <= n.saturating_sub(lateness));
        let full = self.pending.len() > max_pending;
        if !due && !full {
            return None;
        }
        if !due {
            self.released_early += 1;
        }
        let hit = self.pending.pop()?;
        self.released = Some(hit.time);
        Some(hit)
    }

    /// The time of the last hit processed.
    pub(crate) fn released(&self) -> Option<i64> {
        self.released
    }

    /// Drops the held hits if they were read for another layout of routes.
    pub(crate) fn adopt_layout(&mut self, layout: u64) {
        if self.layout != layout {
            self.dropped_pending += self.pending.len() as u64;
            self.pending.clear();
            self.layout = layout;
        }
    }
}

/// The groups of one correlation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CorrelationTable {
    fingerprint: u64,
    groups: FxHashMap<String, Group>,
    touches: u64,
    /// The groups by their last touch, stalest first; rebuilt after loading.
    #[serde(skip)]
    by_touch: BTreeMap<u64, String>,
    fired: u64,
    evicted: u64,
    expired: u64,
    skipped: u64,
}

impl CorrelationTable {
    /// An empty table for `node`.
    pub(crate) fn new(node: &Node) -> CorrelationTable {
        CorrelationTable {
            fingerprint: node.fingerprint,
            ..CorrelationTable::default()
        }
    }

    /// True if the table was made for this version of `node`.
    pub(crate) fn fits(&self, node: &Node) -> bool {
        self.fingerprint == node.fingerprint
    }

    fn index(&mut self) {
        if self.by_touch.len() != self.groups.len() {
            self.by_touch = self
                .groups
                .iter()
                .map(|(key, g)| (g.touch, key.clone()))
                .collect();
        }
    }

    /// The group of `key`, created if new; at `max_groups`, groups whose window emptied
    /// before `cutoff` are dropped first, then the stalest group is evicted.
    pub(crate) fn group(
        &mut self,
        node: &Node,
        key: &str,
        cutoff: i64,
        max_groups: usize,
    ) -> &mut Group {
        self.index();
        self.touches += 1;
        let touch = self.touches;
        if let Some(group) = self.groups.get_mut(key) {
            if let Some(key) = self.by_touch.remove(&group.touch) {
                self.by_touch.insert(touch, key);
            }
            group.touch = touch;
            return self.groups.get_mut(key).expect("just found");
        }
        if self.groups.len() >= max_groups {
            self.expire(cutoff);
        }
        while self.groups.len() >= max_groups {
            let Some((_, stalest)) = self.by_touch.pop_first() else {
                break;
            };
            self.groups.remove(&stalest);
            self.evicted += 1;
        }
        self.by_touch.insert(touch, key.to_string());
        self.groups
            .entry(key.to_string())
            .or_insert_with(|| Group::new(node, touch))
    }

    /// Drops the groups whose every hit is older than `cutoff`.
    pub(crate) fn expire(&mut self, cutoff: i64) {
        self.index();
        while let Some((_, key)) = self.by_touch.first_key_value() {
            if !self.groups.get(key).is_none_or(|g| g.expired(cutoff)) {
                break;
            }
            if let Some((_, key)) = self.by_touch.pop_first() {
                self.groups.remove(&key);
                self.expired += 1;
            }
        }
    }

    pub(crate) fn count_firing(&mut self) {
        self.fired += 1;
    }

    pub(crate) fn count_skipped(&mut self) {
        self.skipped += 1;
    }

    /// The number of groups held.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when no group is held.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// Counts of what the correlation stage did and dropped, for monitoring.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrelationStats {
    /// Groups held now, over all correlations.
    pub groups: u64,
    /// `value_count` groups counting with HyperLogLog now.
    pub sketched_groups: u64,
    /// Hits held for reordering now.
    pub pending: u64,
    /// Firings so far.
    pub firings: u64,
    /// Hits dropped because a later hit had already been processed.
    pub late: u64,
    /// Hits processed before the allowed lateness passed, because `max_pending` were held.
    pub released_early: u64,
    /// Held hits dropped because the rules changed under them.
    pub dropped_pending: u64,
    /// Groups evicted at `max_groups` while their window still held hits.
    pub evicted_groups: u64,
    /// Groups dropped because their window emptied.
    pub expired_groups: u64,
    /// Hits a correlation could not take: a group-by field, or the `field` of a value type,
    /// was missing or null (or not a number for value_sum, value_avg, value_percentile and
    /// value_median).
    pub skipped_hits: u64,
}

impl CorrelationState {
    /// What the correlation stage holds and has done so far.
    pub fn stats(&self) -> CorrelationStats {
        let mut stats = CorrelationStats {
            pending: self.clock.pending.len() as u64,
            late: self.clock.late,
            released_early: self.clock.released_early,
            dropped_pending: self.clock.dropped_pending,
            ..CorrelationStats::default()
        };
        for table in self.tables.values() {
            stats.groups += table.groups.len() as u64;
            stats.sketched_groups +=
                table.groups.values().filter(|g| g.is_sketched()).count() as u64;
            stats.firings += table.fired;
            stats.evicted_groups += table.evicted;
            stats.expired_groups += table.expired;
            stats.skipped_hits += table.skipped;
        }
        stats
    }
}

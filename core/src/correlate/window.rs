//! A group's sliding window: its hits (one by one up to a cap, then as per-bucket counts and
//! sums) and the newest event ids as evidence.
//!
//! Times are microseconds since the epoch. The window of a hit at `t` holds the hits at
//! `t - timespan ..= t`.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Number of coarse buckets a timespan is cut into, for hits past the cap.
pub(crate) const BUCKETS: i64 = 16;

/// One hit kept one by one: its time, its value (0 when the type reads none) and how many
/// events it stands for (1, or the events of a correlation firing it is).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct Entry(pub(crate) i64, pub(crate) f64, pub(crate) u64);

/// Older hits of the window folded together: the first hit's time, the bucket start, the
/// number of hits, the sum of their values and the events they stand for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Bucket {
    first: i64,
    start: i64,
    hits: u64,
    sum: f64,
    events: u64,
}

/// The hits of a group's window, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Series {
    #[serde(default, skip_serializing_if = "VecDeque::is_empty")]
    older: VecDeque<Bucket>,
    recent: VecDeque<Entry>,
}

impl Series {
    /// Drops the hits before `cutoff`; a bucket goes only when all of it is before.
    pub(crate) fn evict(&mut self, cutoff: i64, width: i64) {
        while self
            .older
            .front()
            .is_some_and(|b| b.start.saturating_add(width) <= cutoff)
        {
            self.older.pop_front();
        }
        while self.recent.front().is_some_and(|e| e.0 < cutoff) {
            self.recent.pop_front();
        }
    }

    /// Adds a hit (never older than the hits already in), folding the oldest kept hit into
    /// its bucket when more than `cap` are kept.
    pub(crate) fn push(&mut self, entry: Entry, cap: usize, width: i64) {
        self.recent.push_back(entry);
        while self.recent.len() > cap {
            let Some(Entry(t, value, events)) = self.recent.pop_front() else {
                break;
            };
            let start = t - t.rem_euclid(width);
            match self.older.back_mut() {
                Some(b) if b.start == start => {
                    b.hits += 1;
                    b.sum += value;
                    b.events += events;
                }
                _ => self.older.push_back(Bucket {
                    first: t,
                    start,
                    hits: 1,
                    sum: value,
                    events,
                }),
            }
        }
    }

    /// The number of hits.
    pub(crate) fn hits(&self) -> u64 {
        self.older.iter().map(|b| b.hits).sum::<u64>() + self.recent.len() as u64
    }

    /// The sum of the hits' values.
    pub(crate) fn sum(&self) -> f64 {
        self.older.iter().map(|b| b.sum).sum::<f64>() + self.recent.iter().map(|e| e.1).sum::<f64>()
    }

    /// The events the hits stand for.
    pub(crate) fn events(&self) -> u64 {
        self.older.iter().map(|b| b.events).sum::<u64>()
            + self.recent.iter().map(|e| e.2).sum::<u64>()
    }

    /// The time of the oldest hit.
    pub(crate) fn first_time(&self) -> Option<i64> {
        self.older
            .front()
            .map(|b| b.first)
            .or_else(|| self.recent.front().map(|e| e.0))
    }

    /// The values of the hits kept one by one.
    pub(crate) fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.recent.iter().map(|e| e.1)
    }
}

/// The newest event ids of a group's window, oldest first, at most a cap.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Evidence(VecDeque<(i64, String)>);

impl Evidence {
    /// Drops the ids of events before `cutoff`.
    pub(crate) fn evict(&mut self, cutoff: i64) {
        while self.0.front().is_some_and(|(t, _)| *t < cutoff) {
            self.0.pop_front();
        }
    }

    /// Adds the ids of a hit at `time`, keeping the newest `cap`.
    pub(crate) fn push<'a>(
        &mut self,
        time: i64,
        ids: impl IntoIterator<Item = &'a str>,
        cap: usize,
    ) {
        for id in ids {
            if self.0.len() == cap {
                self.0.pop_front();
            }
            self.0.push_back((time, id.to_string()));
        }
    }

    /// The ids, oldest first.
    pub(crate) fn ids(&self) -> Vec<String> {
        self.0.iter().map(|(_, id)| id.clone()).collect()
    }
}

/// The value at `percentile` (0 to 100) of `values`, linearly interpolated between the two
/// nearest ranks (rank = p/100 x (n - 1), as numpy's default and rsigma compute it); `None`
/// for no values.
pub(crate) fn percentile(values: &mut [f64], percentile: f64) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let rank = percentile.clamp(0.0, 100.0) / 100.0 * (n - 1) as f64;
    let lower = rank.floor() as usize;
    let fraction = rank - lower as f64;
    let (_, low, above) = values.select_nth_unstable_by(lower, f64::total_cmp);
    let low = *low;
    if fraction == 0.0 || above.is_empty() {
        return Some(low);
    }
    let high = above.iter().copied().fold(f64::INFINITY, f64::min);
    Some(low + fraction * (high - low))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        // numpy.percentile([1, 2, 3, 4], [0, 25, 50, 90, 100]) = [1, 1.75, 2.5, 3.7, 4].
        for (p, expected) in [
            (0.0, 1.0),
            (25.0, 1.75),
            (50.0, 2.5),
            (90.0, 3.7),
            (100.0, 4.0),
        ] {
            let got = percentile(&mut [4.0, 1.0, 3.0, 2.0], p).unwrap();
            assert!((got - expected).abs() < 1e-12, "p{p}: {got}");
        }
        assert_eq!(percentile(&mut [7.0], 95.0), Some(7.0));
        assert_eq!(percentile(&mut [], 50.0), None);
    }

    #[test]
    fn series_folds_past_the_cap() {
        let width = 10;
        let mut s = Series::default();
        for t in 0..6 {
            s.push(Entry(t * 4, 1.0, 1), 3, width);
        }
        // Hits at 0, 4, 8, 12 | 16, 20: 0, 4, 8 in bucket 0, 12 in bucket 10.
        assert_eq!((s.hits(), s.sum(), s.events()), (6, 6.0, 6));
        assert_eq!(s.values().count(), 3, "the newest 3 kept one by one");
        assert_eq!(s.first_time(), Some(0));
        s.evict(9, width);
        assert_eq!(s.hits(), 6, "bucket 0..10 is not all before 9");
        s.evict(10, width);
        assert_eq!(s.hits(), 3, "bucket 0..10 goes whole");
        assert_eq!(s.first_time(), Some(12));
        s.evict(21, width);
        assert_eq!(s.hits(), 0);
    }

    #[test]
    fn evidence_keeps_the_newest() {
        let mut e = Evidence::default();
        e.push(1, ["a", "b"], 2);
        e.push(2, ["c"], 2);
        assert_eq!(e.ids(), ["b", "c"]);
        e.evict(2);
        assert_eq!(e.ids(), ["c"]);
    }
}

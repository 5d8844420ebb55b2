//! The engine's metrics stage: a batch of new events in, bucket deltas out.

use super::bucket::Bucket;
use super::group::GroupKey;
use super::level::{Level, time_at};
use super::select::Skip;
use super::spec::RollupSpec;
use crate::error::{Error, Result};
use crate::event::Event;
use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The declared rollups, validated, with unique names.
///
/// [`Rollups::deltas`] is the engine's metrics stage: it turns a batch of **new** events
/// (those storage reports as inserted, so a re-sent event counts once) into bucket deltas that
/// storage merges ([`Bucket::merge`]) into its stored buckets in the batch's transaction.
///
/// ```
/// use finmark::event::{Event, Value};
/// use finmark::metrics::{Level, Measure, RollupSpec, Rollups};
/// let mut spec = RollupSpec::new("requests", Measure::Count);
/// spec.group_by = vec!["url.path".into()];
/// let rollups = Rollups::new(vec![spec]).unwrap();
/// let events: Vec<Event> = ["/a", "/a", "/b"].iter().map(|path| Event::new(
///     [("@timestamp", Value::from("2026-01-15T10:42:17Z")), ("url.path", Value::from(*path))]
///         .into_iter().collect())).collect();
/// let now = "2026-01-15T10:43:00Z".parse().unwrap();
/// let update = rollups.deltas(&events, now).finish(&());
/// // Two groups at three levels.
/// assert_eq!(update.buckets.len(), 6);
/// let first = &update.buckets[0];
/// assert_eq!((first.key.level, first.key.group.as_str()), (Level::Minute, r#"["/a"]"#));
/// assert_eq!(first.bucket.count(), 2);
/// ```
///
/// Cost: per event and rollup, the filter's and group's field look-ups, one hash look-up of
/// the group, and three bucket updates (a DDSketch insertion each for a field measure, a
/// HyperLogLog insertion each with `distinct`); see `benches/README.md` for figures. Memory
/// is bounded by the batch: at most three buckets per event and rollup.
#[derive(Debug, Clone, Default)]
pub struct Rollups {
    specs: Vec<RollupSpec>,
}

impl Rollups {
    /// Validates the declarations ([`RollupSpec::validate`]) and checks that names are unique.
    pub fn new(specs: Vec<RollupSpec>) -> Result<Rollups> {
        for (i, spec) in specs.iter().enumerate() {
            spec.validate()?;
            if specs[..i].iter().any(|s| s.name == spec.name) {
                return Err(Error::invalid_query(format!(
                    "rollup '{}' is declared twice",
                    spec.name
                )));
            }
        }
        Ok(Rollups { specs })
    }

    /// The declarations, in the order given.
    pub fn specs(&self) -> &[RollupSpec] {
        &self.specs
    }

    /// The declaration named `name`.
    pub fn get(&self, name: &str) -> Option<&RollupSpec> {
        self.specs.iter().find(|s| s.name == name)
    }

    /// Which stored buckets are past retention at `now`: for every rollup and level, buckets
    /// that start before [`Cutoff::before`] may be deleted.
    pub fn cutoffs(&self, now: DateTime<Utc>) -> Vec<Cutoff> {
        self.specs
            .iter()
            .flat_map(|spec| {
                Level::ALL.into_iter().map(|level| Cutoff {
                    rollup: spec.name.clone(),
                    level,
                    before: spec.retention.cutoff(level, now),
                })
            })
            .collect()
    }

    /// The bucket deltas of a batch of new events, at every level, with at most
    /// `max_groups` groups per rollup and day *within the batch*; [`Deltas::finish`] then
    /// applies the limit against the groups already stored. An event lands in the buckets of
    /// its own time, however late; a level's bucket that is past retention at `now` is
    /// skipped (counted in [`DeltaReport::past_retention`]).
    pub fn deltas<'a>(
        &self,
        events: impl IntoIterator<Item = &'a Event>,
        now: DateTime<Utc>,
    ) -> Deltas {
        let mut deltas = Deltas::new(&self.specs);
        let selectors: Vec<_> = self.specs.iter().map(RollupSpec::selector).collect();
        let cutoffs: Vec<[i64; 3]> = self
            .specs
            .iter()
            .map(|s| Level::ALL.map(|level| s.retention.cutoff_secs(level, now.timestamp())))
            .collect();
        let mut key = String::new();
        for event in events {
            let secs = event.time.timestamp();
            for (spec, selector) in selectors.iter().enumerate() {
                let sample = match selector.sample(event, &mut key) {
                    Ok(sample) => sample,
                    Err(Skip::Filtered) => continue,
                    Err(Skip::NotNumeric) => {
                        deltas.report.not_numeric += 1;
                        continue;
                    }
                };
                deltas.report.samples += 1;
                let cutoff = &cutoffs[spec];
                let day = Level::Day.start_secs(secs);
                if day < cutoff[Level::Day.index()] {
                    deltas.report.past_retention += 1;
                    continue;
                }
                let group = deltas.group(spec, day, &key, self.specs[spec].max_groups);
                for level in Level::ALL {
                    let start = level.start_secs(secs);
                    if start < cutoff[level.index()] {
                        deltas.report.past_retention += 1;
                    } else {
                        deltas.bucket(group, level, start).record(&sample);
                    }
                }
            }
        }
        deltas
    }
}

/// Stored buckets of one rollup and level that start before `before` are past retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cutoff {
    /// The rollup.
    pub rollup: String,
    /// The level.
    pub level: Level,
    /// Buckets starting before this time are past retention.
    pub before: DateTime<Utc>,
}

/// Where a bucket belongs: rollup, level, start and group. Keys order by these fields, in
/// this order, which is the order [`Deltas::finish`] returns deltas in (writers that take row
/// locks in one order cannot deadlock each other).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BucketKey {
    /// The rollup's name.
    pub rollup: String,
    /// The bucket size.
    pub level: Level,
    /// The bucket's start (aligned to the level).
    pub start: DateTime<Utc>,
    /// The group.
    pub group: GroupKey,
}

/// A bucket with its key: a delta to merge into the stored bucket of that key (or to store,
/// if there is none), or a stored bucket read back for a query.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyedBucket {
    /// Where it belongs.
    pub key: BucketKey,
    /// The bucket.
    pub bucket: Bucket,
}

/// What a batch gave, in event-rollup pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeltaReport {
    /// Events that passed a rollup's filter and had its measure: each adds to three buckets.
    pub samples: u64,
    /// Events that passed a filter but lacked a numeric value of the measured field.
    pub not_numeric: u64,
    /// Level updates skipped because the bucket was past retention.
    pub past_retention: u64,
    /// Samples that went to the overflow group because their day had `max_groups` groups.
    pub to_other: u64,
}

/// The groups of one rollup and day that a batch touched: what [`StoredGroups`] is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupLookup {
    /// The rollup.
    pub rollup: String,
    /// The start of the UTC day.
    pub day: DateTime<Utc>,
    /// The groups the batch has for that day (the overflow group left out).
    pub groups: Vec<GroupKey>,
}

/// What storage knows about the groups a rollup kept for a day, so [`Deltas::finish`] can
/// apply `max_groups` across batches and processes. Implement it over the day buckets
/// (level `1d`) fetched in the batch's transaction: the number of stored non-overflow groups
/// of the day, and which of the [`Deltas::lookups`] groups are among them.
pub trait StoredGroups {
    /// How many groups, the overflow group not counted, `rollup` has stored for the UTC day
    /// starting at `day`.
    fn group_count(&self, rollup: &str, day: DateTime<Utc>) -> usize;
    /// Whether `group` is one of them.
    fn contains(&self, rollup: &str, day: DateTime<Utc>, group: &GroupKey) -> bool;
}

/// Nothing stored: the limit applies within the batch only.
impl StoredGroups for () {
    fn group_count(&self, _: &str, _: DateTime<Utc>) -> usize {
        0
    }
    fn contains(&self, _: &str, _: DateTime<Utc>, _: &GroupKey) -> bool {
        false
    }
}

/// Stored buckets held in memory, by key.
impl StoredGroups for BTreeMap<BucketKey, Bucket> {
    fn group_count(&self, rollup: &str, day: DateTime<Utc>) -> usize {
        let from = BucketKey {
            rollup: rollup.to_string(),
            level: Level::Day,
            start: day,
            group: GroupKey::from_text(""),
        };
        self.range(from..)
            .take_while(|(k, _)| k.rollup == rollup && k.level == Level::Day && k.start == day)
            .filter(|(k, _)| !k.group.is_other())
            .count()
    }

    fn contains(&self, rollup: &str, day: DateTime<Utc>, group: &GroupKey) -> bool {
        self.contains_key(&BucketKey {
            rollup: rollup.to_string(),
            level: Level::Day,
            start: day,
            group: group.clone(),
        })
    }
}

/// The buckets of a batch and update, ready to merge into storage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RollupUpdate {
    /// One delta per bucket key, in key order.
    pub buckets: Vec<KeyedBucket>,
    /// What the batch gave.
    pub report: DeltaReport,
}

/// Bucket deltas of one batch, before the group limit is checked against storage.
#[derive(Debug)]
pub struct Deltas {
    /// Name and `max_groups` of every rollup, by index.
    specs: Vec<(String, usize)>,
    /// Every group of the batch, by id (ids in order of first event).
    groups: Vec<Group>,
    /// The groups of each rollup (index) and day (start in seconds).
    days: FxHashMap<(usize, i64), DayGroups>,
    /// Every bucket: group id, level, start in seconds, the delta.
    buckets: Vec<(u32, Level, i64, Bucket)>,
    /// The bucket index of each group id, level and start.
    slots: FxHashMap<(u32, Level, i64), u32>,
    report: DeltaReport,
}

/// One group of one rollup and day.
#[derive(Debug)]
struct Group {
    spec: usize,
    key: GroupKey,
    /// The last bucket used at each level, as (start, bucket index): events mostly come in
    /// time order, so this saves the hash look-up.
    last: [Option<(i64, u32)>; 3],
}

/// The groups of one rollup and day within a batch.
#[derive(Debug, Default)]
struct DayGroups {
    /// Kept groups by key text.
    index: FxHashMap<Box<str>, u32>,
    /// The overflow group, once used.
    other: Option<u32>,
}

impl Deltas {
    fn new(specs: &[RollupSpec]) -> Deltas {
        Deltas {
            specs: specs
                .iter()
                .map(|s| (s.name.clone(), s.max_groups))
                .collect(),
            groups: Vec::new(),
            days: FxHashMap::default(),
            buckets: Vec::new(),
            slots: FxHashMap::default(),
            report: DeltaReport::default(),
        }
    }

    /// What the batch gave so far.
    pub fn report(&self) -> &DeltaReport {
        &self.report
    }

    /// The groups each rollup and day has in this batch: what storage must answer in
    /// [`StoredGroups`] for [`Deltas::finish`].
    pub fn lookups(&self) -> Vec<GroupLookup> {
        let mut lookups: Vec<GroupLookup> = self
            .days
            .iter()
            .map(|(&(spec, day), groups)| {
                let mut ids: Vec<u32> = groups.index.values().copied().collect();
                ids.sort_unstable();
                GroupLookup {
                    rollup: self.specs[spec].0.clone(),
                    day: time_at(day),
                    groups: ids
                        .iter()
                        .map(|&id| self.groups[id as usize].key.clone())
                        .collect(),
                }
            })
            .collect();
        lookups.sort_by(|a, b| (&a.rollup, a.day).cmp(&(&b.rollup, b.day)));
        lookups
    }

    /// Applies `max_groups` against the stored groups: a day keeps its stored groups and, in
    /// order of first event, as many new ones as there is room for; the others go to the
    /// overflow group at every level. Returns the deltas in key order.
    pub fn finish(mut self, stored: &impl StoredGroups) -> RollupUpdate {
        let mut target: Vec<u32> = (0..self.groups.len() as u32).collect();
        let mut days: Vec<_> = std::mem::take(&mut self.days).into_iter().collect();
        days.sort_unstable_by_key(|(k, _)| *k);
        for ((spec, day), mut groups) in days {
            let (name, max_groups) = &self.specs[spec];
            let day_start = time_at(day);
            let mut room = max_groups.saturating_sub(stored.group_count(name, day_start));
            let mut ids: Vec<u32> = groups.index.values().copied().collect();
            ids.sort_unstable();
            for id in ids {
                if stored.contains(name, day_start, &self.groups[id as usize].key) {
                    continue;
                }
                if room > 0 {
                    room -= 1;
                    continue;
                }
                let other = *groups
                    .other
                    .get_or_insert_with(|| push_group(&mut self.groups, spec, GroupKey::other()));
                target[id as usize] = other;
            }
        }
        let mut merged: BTreeMap<BucketKey, Bucket> = BTreeMap::new();
        for (id, level, start, bucket) in self.buckets {
            let to = target[id as usize];
            if to != id && level == Level::Day {
                self.report.to_other += bucket.count();
            }
            let group = &self.groups[to as usize];
            let key = BucketKey {
                rollup: self.specs[group.spec].0.clone(),
                level,
                start: time_at(start),
                group: group.key.clone(),
            };
            match merged.get_mut(&key) {
                Some(existing) => existing.merge(&bucket),
                None => {
                    merged.insert(key, bucket);
                }
            }
        }
        RollupUpdate {
            buckets: merged
                .into_iter()
                .map(|(key, bucket)| KeyedBucket { key, bucket })
                .collect(),
            report: self.report,
        }
    }

    /// The group id of `key` for rollup `spec` on `day`, admitting it if the day has room.
    fn group(&mut self, spec: usize, day: i64, key: &str, max_groups: usize) -> u32 {
        let groups = self.days.entry((spec, day)).or_default();
        if let Some(&id) = groups.index.get(key) {
            return id;
        }
        if groups.index.len() < max_groups {
            let id = push_group(&mut self.groups, spec, GroupKey::from_text(key));
            groups.index.insert(key.into(), id);
            return id;
        }
        self.report.to_other += 1;
        *groups
            .other
            .get_or_insert_with(|| push_group(&mut self.groups, spec, GroupKey::other()))
    }

    /// The delta bucket of group `id` at `level` starting at `start`, created if new.
    fn bucket(&mut self, id: u32, level: Level, start: i64) -> &mut Bucket {
        let group = &mut self.groups[id as usize];
        let index = match group.last[level.index()] {
            Some((last_start, index)) if last_start == start => index,
            _ => {
                let next = self.buckets.len() as u32;
                let index = *self.slots.entry((id, level, start)).or_insert(next);
                if index == next {
                    self.buckets.push((id, level, start, Bucket::new()));
                }
                group.last[level.index()] = Some((start, index));
                index
            }
        };
        &mut self.buckets[index as usize].3
    }
}

fn push_group(groups: &mut Vec<Group>, spec: usize, key: GroupKey) -> u32 {
    groups.push(Group {
        spec,
        key,
        last: [None; 3],
    });
    (groups.len() - 1) as u32
}

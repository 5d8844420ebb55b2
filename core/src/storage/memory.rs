//! The in-process backend: ordered maps behind a mutex.

use super::query::{EventPage, EventQuery, FieldCount, values_equal};
use super::{Storage, WriteReport};
use crate::detection::Detection;
use crate::error::{Error, Result};
use crate::event::Event;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::{Mutex, MutexGuard};

/// Events keyed by (time in microseconds, id): iteration order is time order.
type EventKey = (i64, String);

#[derive(Default)]
struct State {
    events: BTreeMap<EventKey, Event>,
    times_by_id: HashMap<String, i64>,
    /// Detections keyed by (event time, event id, rule id).
    detections: BTreeMap<(i64, String, String), Detection>,
    closed: bool,
}

/// Storage in process memory, lost when the engine closes: for tests, notebooks and one-shot
/// hunts. Opened with the URL `memory://`.
#[derive(Default)]
pub struct MemoryStorage {
    state: Mutex<State>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores the new events of a batch (copying only those borrowed) and its detections.
    fn keep<'a>(
        &self,
        events: impl ExactSizeIterator<Item = Cow<'a, Event>>,
        matches: &[Detection],
    ) -> Result<WriteReport> {
        let mut state = self.state()?;
        let mut is_new = Vec::with_capacity(events.len());
        for event in events {
            let time = event.time.timestamp_micros();
            // One hash of the id whether it is new or not.
            let new = match state.times_by_id.entry(event.id.clone()) {
                Entry::Occupied(_) => false,
                Entry::Vacant(slot) => {
                    slot.insert(time);
                    true
                }
            };
            if new {
                let event = event.into_owned();
                state.events.insert((time, event.id.clone()), event);
            }
            is_new.push(new);
        }
        for m in matches {
            let key = (
                m.event_time.timestamp_micros(),
                m.event_id.clone(),
                m.rule_id.clone(),
            );
            state.detections.entry(key).or_insert_with(|| m.clone());
        }
        Ok(WriteReport { is_new })
    }

    fn state(&self) -> Result<MutexGuard<'_, State>> {
        let state = self
            .state
            .lock()
            .map_err(|_| Error::internal("memory storage lock poisoned"))?;
        if state.closed {
            return Err(Error::storage("storage is closed"));
        }
        Ok(state)
    }
}

impl State {
    /// Events matching `query` in newest-first order, resuming after its cursor.
    fn newest_first<'a>(&'a self, query: &'a EventQuery) -> impl Iterator<Item = &'a Event> + 'a {
        let upper = match &query.cursor {
            Some(c) => Bound::Excluded((c.time_micros, c.id.clone())),
            None => Bound::Unbounded,
        };
        self.events
            .range((Bound::Unbounded, upper))
            .rev()
            .map(|(_, e)| e)
            .filter(move |e| query.matches(e))
    }
}

#[async_trait]
impl Storage for MemoryStorage {
    async fn write(&self, events: &[Event], matches: &[Detection]) -> Result<WriteReport> {
        self.keep(events.iter().map(Cow::Borrowed), matches)
    }

    async fn write_owned(&self, events: Vec<Event>, matches: &[Detection]) -> Result<WriteReport> {
        self.keep(events.into_iter().map(Cow::Owned), matches)
    }

    async fn events(&self, query: &EventQuery) -> Result<EventPage> {
        let limit = query.effective_limit()?;
        let state = self.state()?;
        let fetched = state.newest_first(query).take(limit + 1).cloned().collect();
        Ok(EventPage::from_fetched(fetched, limit))
    }

    async fn count_by(&self, field: &str, query: &EventQuery) -> Result<Vec<FieldCount>> {
        let limit = query.effective_limit()?;
        let state = self.state()?;
        let unpaged = EventQuery {
            cursor: None,
            ..query.clone()
        };
        let mut counts: Vec<FieldCount> = Vec::new();
        for value in state.newest_first(&unpaged).filter_map(|e| e.get(field)) {
            match counts.iter_mut().find(|c| values_equal(&c.value, value)) {
                Some(c) => c.count += 1,
                None => counts.push(FieldCount {
                    value: value.clone(),
                    count: 1,
                }),
            }
        }
        Ok(FieldCount::rank(counts, limit))
    }

    async fn detections(&self, query: &EventQuery) -> Result<Vec<Detection>> {
        let limit = query.effective_limit()?;
        let (lo, hi) = query.micros_range();
        let state = self.state()?;
        Ok(state
            .detections
            .range((lo, String::new(), String::new())..)
            .rev()
            .filter(|((t, _, _), _)| *t < hi)
            .map(|(_, m)| m)
            .filter(|m| {
                query
                    .filters
                    .iter()
                    .all(|(k, v)| m.field(k).is_some_and(|x| values_equal(&x, v)))
            })
            .take(limit)
            .cloned()
            .collect())
    }

    async fn purge_before(&self, cutoff: DateTime<Utc>) -> Result<u64> {
        let mut state = self.state()?;
        let cut = cutoff.timestamp_micros();
        let kept = state.events.split_off(&(cut, String::new()));
        let purged = std::mem::replace(&mut state.events, kept);
        for (_, id) in purged.keys() {
            state.times_by_id.remove(id);
        }
        let kept = state
            .detections
            .split_off(&(cut, String::new(), String::new()));
        state.detections = kept;
        Ok(purged.len() as u64)
    }

    async fn close(&self) -> Result<()> {
        let mut state = self.state()?;
        *state = State {
            closed: true,
            ..State::default()
        };
        Ok(())
    }
}

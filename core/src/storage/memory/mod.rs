//! The in-process backend: ordered maps behind an async mutex.

use crate::storage::query::{EventPage, EventQuery, FieldCount, values_equal};
mod alerts;

use super::alerts::{AlertCounts, AlertPage, AlertQuery};
use super::{LoadRequest, Loaded, StateRecord, Storage, WriteReport, WriteSet, WriteTransaction};
use crate::alert::{Alert, AlertUpdate, Silence};
use crate::detection::Detection;
use crate::error::{Error, Result};
use crate::event::Event;
use alerts::AlertTable;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;
use tokio::sync::{Mutex, MutexGuard, OwnedMutexGuard};

/// Events keyed by (time in microseconds, id): iteration order is time order.
type EventKey = (i64, String);

#[derive(Default)]
struct State {
    events: BTreeMap<EventKey, Event>,
    times_by_id: HashMap<String, i64>,
    /// Detections keyed by (event time, event id, rule id).
    detections: BTreeMap<(i64, String, String), Detection>,
    /// Checkpointed stage state by key.
    checkpoints: HashMap<String, Vec<u8>>,
    alerts: AlertTable,
    closed: bool,
}

/// Storage in process memory, lost when the engine closes: for tests, notebooks and one-shot
/// hunts. Opened with the URL `memory://`.
///
/// A write transaction holds the store's lock from [`Storage::begin_write`] to its commit or
/// drop, so batches are written one at a time, as SQLite does.
#[derive(Default)]
pub struct MemoryStorage {
    state: Arc<Mutex<State>>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    async fn state(&self) -> Result<MutexGuard<'_, State>> {
        let state = self.state.lock().await;
        if state.closed {
            return Err(closed());
        }
        Ok(state)
    }
}

fn closed() -> Error {
    Error::storage("storage is closed")
}

/// A batch being written: the lock on the store, and what the batch adds, applied on commit.
struct MemoryTransaction {
    state: OwnedMutexGuard<State>,
    /// The ids of the batch's new events, with their times.
    claimed: Vec<(String, i64)>,
    set: WriteSet,
}

#[async_trait]
impl WriteTransaction for MemoryTransaction {
    async fn claim(&mut self, events: &[Event]) -> Result<WriteReport> {
        let mut batch_ids = HashSet::with_capacity(events.len());
        let is_new = events
            .iter()
            .map(|event| {
                let new = !self.state.times_by_id.contains_key(&event.id)
                    && batch_ids.insert(event.id.as_str());
                if new {
                    self.claimed
                        .push((event.id.clone(), event.time.timestamp_micros()));
                }
                new
            })
            .collect();
        Ok(WriteReport { is_new })
    }

    async fn load(&mut self, request: &LoadRequest) -> Result<Loaded> {
        let state = request
            .state
            .iter()
            .filter_map(|key| {
                let value = self.state.checkpoints.get(key)?;
                Some(StateRecord {
                    key: key.clone(),
                    value: value.clone(),
                })
            })
            .collect();
        let alerts = &self.state.alerts;
        Ok(Loaded {
            state,
            alerts: alerts.latest(&request.alert_fingerprints),
            inhibiting: alerts.inhibiting(&request.inhibiting),
            silences: request
                .silences
                .map(|(from, to)| alerts.silences_in(from, to))
                .unwrap_or_default(),
        })
    }

    async fn write(&mut self, set: WriteSet) -> Result<()> {
        let WriteSet {
            events,
            detections,
            state,
            alerts,
        } = set;
        self.set.events.extend(events);
        self.set.detections.extend(detections);
        self.set.state.extend(state);
        self.set.alerts.extend(alerts);
        Ok(())
    }

    async fn commit(self: Box<Self>) -> Result<()> {
        let MemoryTransaction {
            mut state,
            claimed,
            set,
        } = *self;
        if state.closed {
            return Err(closed());
        }
        state.times_by_id.extend(claimed);
        for event in set.events {
            let key = (event.time.timestamp_micros(), event.id.clone());
            state.events.insert(key, event);
        }
        for d in set.detections {
            let key = (
                d.event_time.timestamp_micros(),
                d.event_id.clone(),
                d.rule_id.clone(),
            );
            state.detections.entry(key).or_insert(d);
        }
        for record in set.state {
            state.checkpoints.insert(record.key, record.value);
        }
        for alert in set.alerts {
            state.alerts.upsert(alert);
        }
        Ok(())
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
    async fn begin_write(&self) -> Result<Box<dyn WriteTransaction>> {
        let state = Arc::clone(&self.state).lock_owned().await;
        if state.closed {
            return Err(closed());
        }
        Ok(Box::new(MemoryTransaction {
            state,
            claimed: Vec::new(),
            set: WriteSet::default(),
        }))
    }

    async fn events(&self, query: &EventQuery) -> Result<EventPage> {
        let limit = query.effective_limit()?;
        let state = self.state().await?;
        let fetched = state.newest_first(query).take(limit + 1).cloned().collect();
        Ok(EventPage::from_fetched(fetched, limit))
    }

    async fn count_by(&self, field: &str, query: &EventQuery) -> Result<Vec<FieldCount>> {
        let limit = query.effective_limit()?;
        let state = self.state().await?;
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
        let state = self.state().await?;
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
        let mut state = self.state().await?;
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

    async fn alerts(&self, query: &AlertQuery) -> Result<AlertPage> {
        self.state().await?.alerts.page(query)
    }

    async fn alert(&self, id: &str) -> Result<Alert> {
        self.state().await?.alerts.get(id)
    }

    async fn alert_counts(&self, query: &AlertQuery) -> Result<AlertCounts> {
        Ok(self.state().await?.alerts.counts(query))
    }

    async fn act_on_alert(&self, id: &str, update: AlertUpdate) -> Result<Alert> {
        self.state().await?.alerts.act(id, update)
    }

    async fn add_silence(&self, silence: &Silence) -> Result<()> {
        self.state().await?.alerts.add_silence(silence.clone())
    }

    async fn silences(&self, active_at: Option<DateTime<Utc>>) -> Result<Vec<Silence>> {
        Ok(self.state().await?.alerts.silences(active_at))
    }

    async fn expire_silence(&self, id: &str, at: DateTime<Utc>) -> Result<Silence> {
        self.state().await?.alerts.expire_silence(id, at)
    }

    async fn close(&self) -> Result<()> {
        let mut state = self.state().await?;
        *state = State {
            closed: true,
            ..State::default()
        };
        Ok(())
    }
}

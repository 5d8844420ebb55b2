//! What one ingested batch writes, in one transaction: the [`WriteSet`] the ingest stages
//! fill, the checkpointed [`StateRecord`]s of stateful stages, and the [`WriteTransaction`]
//! every backend opens for it.
//!
//! A batch is written in three steps inside one transaction:
//! 1. [`WriteTransaction::claim`] stores the batch's events, or reserves their ids, and tells
//!    which are new (re-sent events are not, so no later stage counts them twice);
//! 2. [`WriteTransaction::load`] reads what the stages need of what storage holds (their
//!    state checkpoints, the latest alerts of the batch's fingerprints, silences...), locked
//!    until the transaction ends, so that two processes never advance the same state at once;
//! 3. [`WriteTransaction::write`] stores the [`WriteSet`] the stages made of the new events.
//!
//! A new stage adds a field here (to [`WriteSet`], and to [`LoadRequest`] and [`Loaded`] if
//! it reads what storage holds) and a table in the migrations; the trait does not change.

use crate::alert::{Alert, Entity, Silence};
use crate::detection::Detection;
use crate::error::Result;
use crate::event::Event;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What storage reports of the events of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// For each event of the batch, in order: true if it was stored now, false if an event
    /// with its id was already stored (earlier, or earlier in the same batch).
    pub is_new: Vec<bool>,
}

impl WriteReport {
    /// How many events were stored now.
    pub fn inserted(&self) -> usize {
        self.is_new.iter().filter(|new| **new).count()
    }

    /// How many events were already stored.
    pub fn duplicates(&self) -> usize {
        self.is_new.len() - self.inserted()
    }
}

/// The checkpointed state of one stateful stage (or one part of it), under a key the stage
/// chooses (for example `correlate/<rule id>`). The value's encoding is the stage's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateRecord {
    /// The key, unique across stages.
    pub key: String,
    /// The encoded state.
    pub value: Vec<u8>,
}

/// Everything the ingest stages made of a batch's new events, written in the batch's
/// transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteSet {
    /// The batch's new events (those [`WriteTransaction::claim`] reported as new), in batch
    /// order. A backend whose `claim` already stored them ignores them here; one that keeps
    /// events as they are (memory) takes them now.
    pub events: Vec<Event>,
    /// The detections made in the new events.
    pub detections: Vec<Detection>,
    /// State checkpoints to store, replacing what their keys held.
    pub state: Vec<StateRecord>,
    /// Alerts raised or updated, as they are now. A new alert is stored whole; for one
    /// already stored, its count, first and last seen, evidence and details are replaced
    /// (its status and muting stay as stored: actions change those).
    pub alerts: Vec<Alert>,
}

/// What the ingest stages need of what storage holds, for one batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadRequest {
    /// State checkpoints, by key.
    pub state: Vec<String>,
    /// The latest alert of each of these fingerprints.
    pub alert_fingerprints: Vec<String>,
    /// Unresolved critical alerts about these entities (for inhibition).
    pub inhibiting: Vec<Entity>,
    /// Silences active at some time in this range (inclusive), if any are wanted.
    pub silences: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl LoadRequest {
    /// True when nothing is asked for.
    pub fn is_empty(&self) -> bool {
        self.state.is_empty()
            && self.alert_fingerprints.is_empty()
            && self.inhibiting.is_empty()
            && self.silences.is_none()
    }
}

/// What a [`LoadRequest`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    /// The state checkpoints found (keys with nothing stored are left out).
    pub state: Vec<StateRecord>,
    /// The latest alert of each fingerprint that has one.
    pub alerts: Vec<Alert>,
    /// For the entities asked about, an unresolved critical alert's id, one per entity.
    pub inhibiting: Vec<(Entity, String)>,
    /// The silences active in the range asked for.
    pub silences: Vec<Silence>,
}

/// The one write transaction of an ingested batch (see the module docs for its three
/// steps). Dropping it without [`WriteTransaction::commit`] rolls everything back.
#[async_trait]
pub trait WriteTransaction: Send {
    /// Stores the events of the batch, or reserves their ids until commit, and reports for
    /// each whether it is new: the first of the batch with its id, and no event with that id
    /// stored before. Called once per transaction, first.
    async fn claim(&mut self, events: &[Event]) -> Result<WriteReport>;

    /// What `request` asks for, locked until the transaction ends: another process loading
    /// one of the same state keys or alert fingerprints waits, and the alerts loaded cannot
    /// change meanwhile.
    async fn load(&mut self, request: &LoadRequest) -> Result<Loaded>;

    /// Writes what the stages made of the new events. A detection already stored for the
    /// same event and rule is skipped.
    async fn write(&mut self, set: WriteSet) -> Result<()>;

    /// Commits the transaction.
    async fn commit(self: Box<Self>) -> Result<()>;
}

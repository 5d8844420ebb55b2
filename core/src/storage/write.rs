//! What one ingested batch writes, in one transaction: the [`WriteSet`] the ingest stages
//! fill, the checkpointed [`StateRecord`]s of stateful stages, and the [`WriteTransaction`]
//! every backend opens for it.
//!
//! A batch is written in three steps inside one transaction:
//! 1. [`WriteTransaction::claim`] stores the batch's events, or reserves their ids, and tells
//!    which are new (re-sent events are not, so no later stage counts them twice);
//! 2. [`WriteTransaction::load_state`] reads the checkpoints of the stages that keep state
//!    across batches, locked until the transaction ends, so that two processes never advance
//!    the same state at once;
//! 3. [`WriteTransaction::write`] stores the [`WriteSet`] the stages made of the new events.
//!
//! A new stage adds a field here and a table in the migrations; the trait does not change.

use crate::detection::Detection;
use crate::error::Result;
use crate::event::Event;
use async_trait::async_trait;

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
}

/// The one write transaction of an ingested batch (see the module docs for its three
/// steps). Dropping it without [`WriteTransaction::commit`] rolls everything back.
#[async_trait]
pub trait WriteTransaction: Send {
    /// Stores the events of the batch, or reserves their ids until commit, and reports for
    /// each whether it is new: the first of the batch with its id, and no event with that id
    /// stored before. Called once per transaction, first.
    async fn claim(&mut self, events: &[Event]) -> Result<WriteReport>;

    /// The state stored under each of `keys` (keys with nothing stored are left out), locked
    /// until the transaction ends: another process loading one of these keys waits.
    async fn load_state(&mut self, keys: &[String]) -> Result<Vec<StateRecord>>;

    /// Writes what the stages made of the new events. A detection already stored for the
    /// same event and rule is skipped.
    async fn write(&mut self, set: WriteSet) -> Result<()>;

    /// Commits the transaction.
    async fn commit(self: Box<Self>) -> Result<()>;
}

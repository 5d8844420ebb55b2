//! Ingest as a pipeline of stages over a batch, written in one storage transaction.
//!
//! [`crate::Engine::ingest_batch`] hands a parsed batch to [`run`], which:
//! 1. begins the batch's [`WriteTransaction`] and claims its events: storage tells which are
//!    new, and only those go on (a re-sent batch adds nothing, not even a count);
//! 2. runs the stages in order on a blocking thread (they are pure, synchronous
//!    computations): each reads what the earlier ones put into the [`WriteSet`] and adds its
//!    own part (detect adds detections; the later stages of `DESIGN.md` add alerts, rollup
//!    buckets and their state);
//! 3. writes the [`WriteSet`] and commits.
//!
//! A new stage is a module of its own (the capability, knowing nothing of ingest), a small
//! [`Stage`] adapter here, and a field in [`WriteSet`] with its table: no backend signature
//! changes.

mod detect;

use crate::detect::RuleSet;
use crate::detection::Detection;
use crate::error::{Error, Result};
use crate::event::{ParsedBatch, Rejected};
use crate::storage::{Storage, WriteSet};
use serde::Serialize;
use std::sync::Arc;

/// What one ingested batch did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    /// Events stored now.
    pub accepted: usize,
    /// Valid events whose id was already stored (re-sent), not stored again.
    pub duplicates: usize,
    /// Records that were not valid events, with their line and reason.
    pub rejected: Vec<Rejected>,
    /// The detections made in the events stored now.
    pub matches: Vec<Detection>,
}

/// The new events of a batch while the stages work on it.
pub(crate) struct StageBatch {
    /// What will be written: the new events, and what the stages have made of them so far.
    pub set: WriteSet,
    /// For each new event, its line (or position) in what the caller gave.
    pub lines: Vec<usize>,
}

/// One step of ingest: a pure, synchronous computation over the batch's new events.
pub(crate) trait Stage: Send + Sync {
    /// Reads what earlier stages put in the batch and adds its own part.
    fn run(&self, batch: &mut StageBatch) -> Result<()>;
}

/// The stages an engine runs, in order, built from its configuration (its rules today).
/// Replaced as a whole when the configuration changes, so a batch runs with one
/// configuration from start to end.
pub(crate) struct Pipeline {
    rules: Arc<RuleSet>,
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// The pipeline of an engine with these rules.
    pub fn new(rules: RuleSet) -> Pipeline {
        let rules = Arc::new(rules);
        Pipeline {
            stages: vec![Box::new(detect::DetectStage::new(Arc::clone(&rules)))],
            rules,
        }
    }

    /// The rules its detect stage matches.
    pub fn rules(&self) -> &Arc<RuleSet> {
        &self.rules
    }

    /// Runs every stage over the batch, in order.
    fn run_stages(&self, batch: &mut StageBatch) -> Result<()> {
        self.stages.iter().try_for_each(|stage| stage.run(batch))
    }
}

/// Ingests a parsed batch through `pipeline` into `storage`, in one transaction.
pub(crate) async fn run(
    storage: &dyn Storage,
    pipeline: Arc<Pipeline>,
    parsed: ParsedBatch,
) -> Result<IngestReport> {
    let ParsedBatch {
        events,
        lines,
        rejected,
    } = parsed;
    let mut tx = storage.begin_write().await?;
    let claimed = tx.claim(&events).await?;
    let (events, lines) = events
        .into_iter()
        .zip(lines)
        .zip(&claimed.is_new)
        .filter_map(|(pair, new)| new.then_some(pair))
        .unzip();
    let mut batch = StageBatch {
        set: WriteSet {
            events,
            ..WriteSet::default()
        },
        lines,
    };
    let batch =
        tokio::task::spawn_blocking(move || pipeline.run_stages(&mut batch).map(|()| batch))
            .await
            .map_err(|e| Error::internal(format!("ingest stages failed: {e}")))??;
    let matches = batch.set.detections.clone();
    tx.write(batch.set).await?;
    tx.commit().await?;
    Ok(IngestReport {
        accepted: claimed.inserted(),
        duplicates: claimed.duplicates(),
        rejected,
        matches,
    })
}

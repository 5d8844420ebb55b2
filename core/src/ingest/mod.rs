//! Ingest as a pipeline of stages over a batch, written in one storage transaction.
//!
//! [`crate::Engine::ingest_batch`] hands a parsed batch to [`run`], which:
//! 1. begins the batch's [`crate::storage::WriteTransaction`] and claims its events: storage tells which are
//!    new, and only those go on (a re-sent batch adds nothing, not even a count);
//! 2. runs the stages in order, each on a blocking thread (they are pure, synchronous
//!    computations): a stage first prepares its work and says what it needs of what storage
//!    holds ([`LoadRequest`]: state checkpoints, the latest alerts of the batch's
//!    fingerprints, silences...), which is loaded and locked in the transaction
//!    ([`crate::storage::WriteTransaction::load`]); then it reads what the earlier stages put into the
//!    [`WriteSet`] and adds its own part. Today: detect adds detections; correlate advances
//!    the correlation windows (its state: a clock and one table per correlation) and turns
//!    firings into signals; alert turns the detections of rules that stand alone, and the
//!    signals, into alerts (with entity risk in its state);
//! 3. writes the [`WriteSet`] and commits.
//!
//! A new stage is a module of its own (the capability, knowing nothing of ingest), a small
//! [`Stage`] adapter here, and a field in [`WriteSet`] with its table (and in [`LoadRequest`]
//! if it reads what storage holds): no backend signature changes.

mod alert;
mod correlate;
mod detect;

use crate::alert::{Alert, AlertConfig, Signal};
use crate::correlate::{CorrelationConfig, CorrelationMatch, Correlator};
use crate::detect::RuleSet;
use crate::detection::Detection;
use crate::error::{Error, Result};
use crate::event::{Event, ParsedBatch, Rejected};
use crate::storage::{LoadRequest, Loaded, Storage, WriteSet};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
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
    /// The correlation firings of the batch (including those that only feed other
    /// correlations).
    pub correlations: Vec<CorrelationMatch>,
    /// The alerts the batch raised or updated, as they are now.
    pub alerts: Vec<Alert>,
}

/// The new events of a batch while the stages work on it.
pub(crate) struct StageBatch {
    /// What will be written: the new events, and what the stages have made of them so far.
    pub set: WriteSet,
    /// For each new event, its line (or position) in what the caller gave.
    pub lines: Vec<usize>,
    /// What may raise alerts: the stages before the alert stage add theirs.
    pub signals: Vec<Signal>,
    /// Rules (and correlations) whose detections only feed correlations (no
    /// `generate: true`): they raise no alerts of their own.
    pub quiet_rules: HashSet<String>,
    /// The correlation firings of the batch.
    pub correlations: Vec<CorrelationMatch>,
    /// Each new event's position in `set.events`, by its line.
    positions: HashMap<usize, usize>,
}

impl StageBatch {
    /// The new events of a batch, with their lines.
    fn new(events: Vec<Event>, lines: Vec<usize>) -> StageBatch {
        let positions = lines
            .iter()
            .enumerate()
            .map(|(i, line)| (*line, i))
            .collect();
        StageBatch {
            set: WriteSet {
                events,
                ..WriteSet::default()
            },
            lines,
            signals: Vec::new(),
            quiet_rules: HashSet::new(),
            correlations: Vec::new(),
            positions,
        }
    }

    /// The event a detection of this batch was made in.
    pub fn event_of(&self, detection: &Detection) -> Option<&Event> {
        self.set
            .events
            .get(*self.positions.get(&detection.event_index)?)
    }
}

/// How the stages are set up besides the rules: the engine builder's settings.
#[derive(Debug, Clone, Default)]
pub(crate) struct StageSettings {
    /// How signals become alerts.
    pub alerts: AlertConfig,
    /// Correlation windows, lateness and limits.
    pub correlation: CorrelationConfig,
}

/// One step of ingest: a pure, synchronous computation over the batch's new events.
pub(crate) trait Stage: Send + Sync {
    /// Prepares the stage's work on the batch so far and says what it needs of what storage
    /// holds (loaded, locked, and handed to [`Stage::run`]). Nothing by default.
    fn prepare(&self, _batch: &mut StageBatch) -> Result<LoadRequest> {
        Ok(LoadRequest::default())
    }

    /// Reads what earlier stages put in the batch and adds its own part.
    fn run(&self, batch: &mut StageBatch, loaded: Loaded) -> Result<()>;
}

/// The stages an engine runs, in order, built from its configuration. Replaced as a whole
/// when the configuration changes, so a batch runs with one configuration from start to end.
pub(crate) struct Pipeline {
    rules: Arc<RuleSet>,
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// The pipeline of an engine with these rules and settings: detect, correlate, alert.
    /// Fails when the correlation settings are invalid.
    pub fn new(rules: RuleSet, settings: &StageSettings) -> Result<Pipeline> {
        let rules = Arc::new(rules);
        let correlator = Arc::new(Correlator::new(&rules, settings.correlation.clone())?);
        let entity_fields = Arc::new(settings.alerts.entity_fields.clone());
        Ok(Pipeline {
            stages: vec![
                Box::new(detect::DetectStage::new(Arc::clone(&rules))),
                Box::new(correlate::CorrelateStage::new(correlator, entity_fields)),
                Box::new(alert::AlertStage::new(settings.alerts.clone())),
            ],
            rules,
        })
    }

    /// The rules its detect stage matches.
    pub fn rules(&self) -> &Arc<RuleSet> {
        &self.rules
    }
}

/// Runs `work` on a blocking thread (the stages are CPU work, never to hold up the runtime).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::internal(format!("an ingest stage failed: {e}")))?
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
    let mut batch = StageBatch::new(events, lines);
    for index in 0..pipeline.stages.len() {
        let stages = Arc::clone(&pipeline);
        let (prepared, request) = blocking(move || {
            let request = stages.stages[index].prepare(&mut batch)?;
            Ok((batch, request))
        })
        .await?;
        let loaded = if request.is_empty() {
            Loaded::default()
        } else {
            tx.load(&request).await?
        };
        let stages = Arc::clone(&pipeline);
        let mut prepared = prepared;
        batch = blocking(move || {
            stages.stages[index].run(&mut prepared, loaded)?;
            Ok(prepared)
        })
        .await?;
    }
    let matches = batch.set.detections.clone();
    let alerts = batch.set.alerts.clone();
    let correlations = std::mem::take(&mut batch.correlations);
    tx.write(batch.set).await?;
    tx.commit().await?;
    Ok(IngestReport {
        accepted: claimed.inserted(),
        duplicates: claimed.duplicates(),
        rejected,
        matches,
        correlations,
        alerts,
    })
}

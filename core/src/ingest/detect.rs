//! The detect stage: the engine's Sigma rules matched against the batch's new events.

use super::{Stage, StageBatch};
use crate::detect::RuleSet;
use crate::error::Result;
use crate::storage::Loaded;
use std::sync::Arc;

/// Matches the new events against the rules and adds their detections, each with its
/// event's line in what the caller gave as [`crate::Detection::event_index`].
pub(super) struct DetectStage {
    rules: Arc<RuleSet>,
}

impl DetectStage {
    /// The stage for these rules.
    pub fn new(rules: Arc<RuleSet>) -> DetectStage {
        DetectStage { rules }
    }
}

impl Stage for DetectStage {
    fn run(&self, batch: &mut StageBatch, _loaded: Loaded) -> Result<()> {
        let mut found = self.rules.match_events(&batch.set.events);
        for detection in &mut found {
            detection.event_index = batch.lines[detection.event_index - 1];
        }
        batch.set.detections.extend(found);
        Ok(())
    }
}

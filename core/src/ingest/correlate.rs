//! The correlate stage: the batch's detections of rules that correlations reference advance
//! the correlation windows, kept as stage state (one checkpoint for the clock, one per
//! correlation), and each firing becomes a signal for the alert stage.

use super::{Stage, StageBatch};
use crate::alert::{AlertSource, Entity, Signal};
use crate::correlate::{
    Clock, CorrelationMatch, CorrelationState, CorrelationTable, Correlator, RuleHit,
};
use crate::error::{Error, Result};
use crate::event::Value;
use crate::storage::{LoadRequest, Loaded, StateRecord};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The state key of the correlation clock (the hits held for reordering).
const CLOCK_KEY: &str = "correlate/clock";

/// The state key of one correlation's table.
fn table_key(id: &str) -> String {
    format!("correlate/table/{id}")
}

/// Advances the correlations of the engine's rules by the batch's detections.
pub(super) struct CorrelateStage {
    correlator: Arc<Correlator>,
    /// Which event fields name entities (from the alert configuration).
    entity_fields: Arc<BTreeMap<String, crate::alert::EntityKind>>,
}

impl CorrelateStage {
    /// The stage for `correlator`; `entity_fields` tells which group-by fields name entities.
    pub fn new(
        correlator: Arc<Correlator>,
        entity_fields: Arc<BTreeMap<String, crate::alert::EntityKind>>,
    ) -> CorrelateStage {
        CorrelateStage {
            correlator,
            entity_fields,
        }
    }

    /// Whether the batch moves the correlations: it has hits of referenced rules, or new
    /// events (time goes on) while hits may be held for the allowed lateness.
    fn wanted(&self, batch: &StageBatch) -> bool {
        if self.correlator.is_empty() {
            return false;
        }
        let holds = self.correlator.config().allowed_lateness_secs > 0;
        (holds && !batch.set.events.is_empty())
            || batch
                .set
                .detections
                .iter()
                .any(|d| self.correlator.references(&d.rule_id))
    }

    fn keys(&self) -> Vec<String> {
        std::iter::once(CLOCK_KEY.to_string())
            .chain(self.correlator.ids().map(table_key))
            .collect()
    }

    /// The signal of a firing.
    fn signal_of(&self, firing: CorrelationMatch) -> Signal {
        let entities = firing
            .group
            .iter()
            .filter_map(|(name, value)| {
                Some(Entity {
                    kind: *self.entity_fields.get(name)?,
                    value: value.clone(),
                })
            })
            .collect();
        Signal {
            rule_id: firing.rule_id,
            title: firing.title,
            severity: firing.severity,
            source: AlertSource::Correlation,
            tags: firing.tags,
            group: firing
                .group
                .into_iter()
                .map(|(name, value)| (name, Value::from(value)))
                .collect(),
            entities,
            first_time: firing.first_time,
            last_time: firing.last_time,
            count: firing.events,
            evidence: firing.event_ids,
            details: Some(serde_json::json!({
                "type": firing.kind.as_str(),
                "value": firing.value,
                "rules": firing.rules,
            })),
        }
    }
}

/// A checkpoint decoded, or a storage error naming its key.
fn decode<T: serde::de::DeserializeOwned>(record: &StateRecord) -> Result<T> {
    serde_json::from_slice(&record.value).map_err(|e| {
        Error::storage(format!(
            "stored correlation state '{}' cannot be read: {e}",
            record.key
        ))
    })
}

/// A value encoded for a checkpoint.
fn encode<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // Plain data always serializes.
    serde_json::to_vec(value).unwrap_or_default()
}

impl Stage for CorrelateStage {
    fn prepare(&self, batch: &mut StageBatch) -> Result<LoadRequest> {
        for detection in &batch.set.detections {
            if !self.correlator.is_standalone(&detection.rule_id) {
                batch.quiet_rules.insert(detection.rule_id.clone());
            }
        }
        Ok(LoadRequest {
            state: if self.wanted(batch) {
                self.keys()
            } else {
                Vec::new()
            },
            ..LoadRequest::default()
        })
    }

    fn run(&self, batch: &mut StageBatch, loaded: Loaded) -> Result<()> {
        if !self.wanted(batch) {
            return Ok(());
        }
        let stored: HashMap<&str, &StateRecord> =
            loaded.state.iter().map(|r| (r.key.as_str(), r)).collect();
        let mut state = CorrelationState {
            clock: match stored.get(CLOCK_KEY) {
                Some(record) => decode::<Clock>(record)?,
                None => Clock::default(),
            },
            tables: BTreeMap::new(),
        };
        for id in self.correlator.ids() {
            if let Some(record) = stored.get(table_key(id).as_str()) {
                state
                    .tables
                    .insert(id.to_string(), decode::<CorrelationTable>(record)?);
            }
        }
        let hits: Vec<RuleHit<'_>> = batch
            .set
            .detections
            .iter()
            .filter(|d| self.correlator.references(&d.rule_id))
            .filter_map(|d| Some(RuleHit::new(d, batch.event_of(d)?)))
            .collect();
        let firings = match batch.set.events.iter().map(|e| e.time).max() {
            // No hit, but time went on: hits held for lateness may be due.
            Some(newest) if hits.is_empty() => self.correlator.observe(&mut state, newest),
            _ => self.correlator.advance(&mut state, hits),
        };
        // Write back what changed: the clock and the tables whose encoding differs.
        let mut changed = Vec::new();
        let clock = encode(&state.clock);
        if stored.get(CLOCK_KEY).is_none_or(|r| r.value != clock) {
            changed.push(StateRecord {
                key: CLOCK_KEY.to_string(),
                value: clock,
            });
        }
        for (id, table) in &state.tables {
            let key = table_key(id);
            let value = encode(table);
            if stored.get(key.as_str()).is_none_or(|r| r.value != value) {
                changed.push(StateRecord { key, value });
            }
        }
        batch.set.state.extend(changed);
        for firing in firings {
            if self.correlator.is_standalone(&firing.rule_id) {
                batch.signals.push(self.signal_of(firing.clone()));
            } else {
                batch.quiet_rules.insert(firing.rule_id.clone());
            }
            batch.correlations.push(firing);
        }
        Ok(())
    }
}

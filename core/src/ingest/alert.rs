//! The alert stage: the batch's detections become signals (grouped by the rule's group-by
//! fields or the entity fields their event has), joined by the signals earlier stages
//! added, and the raiser turns them into alerts over what storage holds.

use super::{Stage, StageBatch};
use crate::alert::{
    AlertConfig, AlertSource, Entity, EntityRisk, Known, RISK_RULE_ID, Raiser, Signal, SilenceSet,
    fingerprint,
};
use crate::detection::Detection;
use crate::error::{Error, Result};
use crate::event::{Event, Value};
use crate::storage::{LoadRequest, Loaded, StateRecord};
use std::collections::{BTreeMap, HashMap};

/// The state key of an entity's risk.
fn risk_key(entity: &Entity) -> String {
    format!("risk/{entity}")
}

/// Raises and updates alerts from the batch's signals.
pub(super) struct AlertStage {
    raiser: Raiser,
}

impl AlertStage {
    /// The stage for `config`.
    pub fn new(config: AlertConfig) -> AlertStage {
        AlertStage {
            raiser: Raiser::new(config),
        }
    }

    /// The signal of a single-event rule's detection on `event`.
    fn signal_of(&self, detection: &Detection, event: &Event) -> Signal {
        let config = self.raiser.config();
        let entities: Vec<Entity> = config
            .entity_fields
            .iter()
            .filter_map(|(field, kind)| {
                let value = event.get(field)?;
                let text = match value.as_str() {
                    Some(s) if !s.is_empty() => s.to_string(),
                    Some(_) => return None,
                    None if value.is_null() => return None,
                    None => value.to_string(),
                };
                Some(Entity {
                    kind: *kind,
                    value: text,
                })
            })
            .collect();
        let group_fields: Vec<&String> = match config.group_by.get(&detection.rule_id) {
            Some(fields) => fields.iter().collect(),
            None => config.entity_fields.keys().collect(),
        };
        let group: BTreeMap<String, Value> = group_fields
            .into_iter()
            .filter_map(|field| Some((field.clone(), event.get(field)?.clone())))
            .collect();
        Signal {
            rule_id: detection.rule_id.clone(),
            title: detection.title.clone(),
            severity: detection.severity,
            source: AlertSource::Rule,
            tags: detection.tags.clone(),
            group,
            entities,
            first_time: detection.event_time,
            last_time: detection.event_time,
            count: 1,
            evidence: vec![detection.event_id.clone()],
            details: None,
        }
    }
}

impl Stage for AlertStage {
    fn prepare(&self, batch: &mut StageBatch) -> Result<LoadRequest> {
        let mut signals: Vec<Signal> = batch
            .set
            .detections
            .iter()
            .filter(|d| !batch.quiet_rules.contains(&d.rule_id))
            .filter_map(|d| Some(self.signal_of(d, batch.event_of(d)?)))
            .collect();
        signals.append(&mut batch.signals);
        batch.signals = signals;
        if batch.signals.is_empty() {
            return Ok(LoadRequest::default());
        }
        let mut entities: Vec<Entity> = batch
            .signals
            .iter()
            .flat_map(|s| s.entities.iter().cloned())
            .collect();
        entities.sort();
        entities.dedup();
        let mut fingerprints: Vec<String> = batch
            .signals
            .iter()
            .map(|s| fingerprint(&s.rule_id, &s.group))
            .chain(entities.iter().map(|e| {
                let group = [("entity".to_string(), Value::from(e.to_string()))]
                    .into_iter()
                    .collect();
                fingerprint(RISK_RULE_ID, &group)
            }))
            .collect();
        fingerprints.sort();
        fingerprints.dedup();
        let from = batch.signals.iter().map(|s| s.first_time).min();
        let to = batch.signals.iter().map(|s| s.last_time).max();
        Ok(LoadRequest {
            state: entities.iter().map(risk_key).collect(),
            alert_fingerprints: fingerprints,
            inhibiting: entities,
            silences: from.zip(to),
        })
    }

    fn run(&self, batch: &mut StageBatch, loaded: Loaded) -> Result<()> {
        let signals = std::mem::take(&mut batch.signals);
        if signals.is_empty() {
            return Ok(());
        }
        let mut risk = HashMap::new();
        for record in loaded.state {
            let entity_risk: EntityRisk = serde_json::from_slice(&record.value).map_err(|e| {
                Error::storage(format!(
                    "stored state '{}' is not an entity risk: {e}",
                    record.key
                ))
            })?;
            risk.insert(entity_risk.entity.clone(), entity_risk);
        }
        let mut known = Known {
            latest: loaded
                .alerts
                .into_iter()
                .map(|a| (a.fingerprint.clone(), a))
                .collect(),
            silences: SilenceSet::new(loaded.silences),
            inhibitors: loaded.inhibiting.into_iter().collect(),
            risk,
        };
        let raised = self.raiser.raise(signals, &mut known);
        batch.set.alerts.extend(raised.alerts);
        for entity_risk in raised.risk {
            batch.set.state.push(StateRecord {
                key: risk_key(&entity_risk.entity),
                // Plain data always serializes.
                value: serde_json::to_vec(&entity_risk).unwrap_or_default(),
            });
        }
        Ok(())
    }
}

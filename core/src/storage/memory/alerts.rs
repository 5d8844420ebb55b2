//! The memory backend's alerts and silences: maps with the indexes the queries need.

use crate::alert::{Alert, AlertUpdate, Entity, Silence};
use crate::detection::Severity;
use crate::error::Result;
use crate::storage::alerts::{
    AlertCounts, AlertPage, AlertQuery, alert_not_found, silence_exists, silence_not_found,
};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

/// Alerts by id, with the latest alert per fingerprint and the alerts per entity; silences
/// by id.
#[derive(Default)]
pub(super) struct AlertTable {
    alerts: HashMap<String, Alert>,
    latest: HashMap<String, String>,
    by_entity: HashMap<Entity, Vec<String>>,
    silences: BTreeMap<String, Silence>,
}

impl AlertTable {
    /// The latest alert of each fingerprint.
    pub fn latest(&self, fingerprints: &[String]) -> Vec<Alert> {
        fingerprints
            .iter()
            .filter_map(|fp| self.alerts.get(self.latest.get(fp)?).cloned())
            .collect()
    }

    /// For each entity, an unresolved, unmuted critical alert about it.
    pub fn inhibiting(&self, entities: &[Entity]) -> Vec<(Entity, String)> {
        entities
            .iter()
            .filter_map(|entity| {
                let id = self.by_entity.get(entity)?.iter().find(|id| {
                    self.alerts.get(*id).is_some_and(|a| {
                        a.severity == Severity::Critical
                            && a.status.is_unresolved()
                            && a.muted_by.is_none()
                    })
                })?;
                Some((entity.clone(), id.clone()))
            })
            .collect()
    }

    /// Silences active at some time in `[from, to]`.
    pub fn silences_in(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Silence> {
        self.silences
            .values()
            .filter(|s| s.starts_at <= to && s.ends_at > from)
            .cloned()
            .collect()
    }

    /// Stores a raised or updated alert (see [`crate::storage::WriteSet::alerts`]).
    pub fn upsert(&mut self, alert: Alert) {
        if let Some(stored) = self.alerts.get_mut(&alert.id) {
            stored.count = alert.count;
            stored.first_seen = alert.first_seen;
            stored.last_seen = alert.last_seen;
            stored.evidence = alert.evidence;
            stored.details = alert.details;
            return;
        }
        let newer = self
            .latest
            .get(&alert.fingerprint)
            .and_then(|id| self.alerts.get(id))
            .is_none_or(|a| a.generation < alert.generation);
        if newer {
            self.latest
                .insert(alert.fingerprint.clone(), alert.id.clone());
        }
        for entity in &alert.entities {
            self.by_entity
                .entry(entity.clone())
                .or_default()
                .push(alert.id.clone());
        }
        self.alerts.insert(alert.id.clone(), alert);
    }

    /// One page of the alerts `query` selects, newest first.
    pub fn page(&self, query: &AlertQuery) -> Result<AlertPage> {
        let limit = query.effective_limit()?;
        let after = query.cursor_position()?;
        let mut selected: Vec<&Alert> = self
            .alerts
            .values()
            .filter(|a| query.matches(a))
            .filter(|a| {
                after.as_ref().is_none_or(|(micros, id)| {
                    (a.first_seen.timestamp_micros(), a.id.as_str()) < (*micros, id.as_str())
                })
            })
            .collect();
        selected.sort_by(|a, b| (b.first_seen, &b.id).cmp(&(a.first_seen, &a.id)));
        let fetched = selected.into_iter().take(limit + 1).cloned().collect();
        Ok(AlertPage::from_fetched(fetched, limit))
    }

    /// Counts of the alerts `query` selects.
    pub fn counts(&self, query: &AlertQuery) -> AlertCounts {
        AlertCounts::of(self.alerts.values().filter(|a| query.matches(a)).map(|a| {
            (
                a.severity.as_str().to_string(),
                a.status.as_str().to_string(),
                1,
            )
        }))
    }

    /// The alert with `id`.
    pub fn get(&self, id: &str) -> Result<Alert> {
        self.alerts
            .get(id)
            .cloned()
            .ok_or_else(|| alert_not_found(id))
    }

    /// Applies an action to the alert with `id`.
    pub fn act(&mut self, id: &str, update: AlertUpdate) -> Result<Alert> {
        let alert = self.alerts.get_mut(id).ok_or_else(|| alert_not_found(id))?;
        alert.status = alert.status.after(update.action)?;
        alert.updated = Some(update);
        Ok(alert.clone())
    }

    /// Adds a silence; a silence with the same id is a conflict.
    pub fn add_silence(&mut self, silence: Silence) -> Result<()> {
        if self.silences.contains_key(&silence.id) {
            return Err(silence_exists(&silence.id));
        }
        self.silences.insert(silence.id.clone(), silence);
        Ok(())
    }

    /// Every silence (active at `at` when given), by id.
    pub fn silences(&self, at: Option<DateTime<Utc>>) -> Vec<Silence> {
        self.silences
            .values()
            .filter(|s| at.is_none_or(|t| s.is_active(t)))
            .cloned()
            .collect()
    }

    /// Ends a silence at `at` (if it would end later).
    pub fn expire_silence(&mut self, id: &str, at: DateTime<Utc>) -> Result<Silence> {
        let silence = self
            .silences
            .get_mut(id)
            .ok_or_else(|| silence_not_found(id))?;
        silence.ends_at = silence.ends_at.min(at.max(silence.starts_at));
        Ok(silence.clone())
    }
}

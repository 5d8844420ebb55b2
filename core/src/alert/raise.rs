//! From signals to alerts: deduplication, silences, inhibition and entity risk, over what
//! storage already holds ([`Known`]).

use super::config::AlertConfig;
use super::fingerprint::{alert_id, fingerprint};
use super::model::{Alert, AlertSource, AlertStatus, Entity, Muting};
use super::risk::EntityRisk;
use super::silence::SilenceSet;
use crate::detection::Severity;
use crate::event::Value;
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap};

/// The rule id of risk alerts.
pub const RISK_RULE_ID: &str = "finmark-entity-risk";

/// Something that may raise an alert: a detection of a single-event rule, a correlation
/// firing, an anomaly.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    /// The rule (or correlation, detector).
    pub rule_id: String,
    /// Its title.
    pub title: String,
    /// Its severity.
    pub severity: Severity,
    /// What kind of signal it is.
    pub source: AlertSource,
    /// The rule's tags.
    pub tags: Vec<String>,
    /// The group it belongs to (field names to values).
    pub group: BTreeMap<String, Value>,
    /// The entities it is about.
    pub entities: Vec<Entity>,
    /// Event time of its first event.
    pub first_time: DateTime<Utc>,
    /// Event time of its last event.
    pub last_time: DateTime<Utc>,
    /// How many events it stands for.
    pub count: u64,
    /// Ids of its events (the first ones).
    pub evidence: Vec<String>,
    /// Details to keep on the alert (an anomaly's explanation).
    pub details: Option<serde_json::Value>,
}

/// What storage holds that raising alerts needs, loaded (and locked) for the batch.
#[derive(Debug, Default)]
pub struct Known {
    /// Per fingerprint, its latest alert.
    pub latest: HashMap<String, Alert>,
    /// The silences that may apply.
    pub silences: SilenceSet,
    /// Per entity, an unresolved critical alert about it (for inhibition).
    pub inhibitors: HashMap<Entity, String>,
    /// Per entity, its accumulated risk.
    pub risk: HashMap<Entity, EntityRisk>,
}

/// What raising a batch's signals changed.
#[derive(Debug, Default, PartialEq)]
pub struct Raised {
    /// Alerts raised or updated, as they are now, in the order they were first touched.
    pub alerts: Vec<Alert>,
    /// Entity risks that changed.
    pub risk: Vec<EntityRisk>,
}

/// Raises alerts from signals, by the rules of an [`AlertConfig`]:
///
/// - **dedup**: a signal's fingerprint is its rule id and group; if that fingerprint's latest
///   alert is unresolved and was last seen at most `suppression_window_secs` before the
///   signal's first event (event time), the alert takes it (count, last seen, evidence);
///   otherwise the signal raises a new alert, the fingerprint's next generation;
/// - **silences**: a new alert that an active silence matches is raised `silenced`;
/// - **inhibition**: a new warning or info alert about an entity that an unresolved critical
///   alert is about is raised `silenced` (muted by that alert);
/// - **risk**: each new alert that is not muted adds its severity's score to its entities;
///   an entity reaching the threshold raises one critical risk alert (source `risk`, rule id
///   [`RISK_RULE_ID`], grouped by the entity) naming the alerts that built it up.
///
/// Signals are taken in event-time order, so the outcome does not depend on the order a batch
/// lists them in.
#[derive(Debug, Clone, Default)]
pub struct Raiser {
    config: AlertConfig,
}

impl Raiser {
    /// A raiser with `config`.
    pub fn new(config: AlertConfig) -> Raiser {
        Raiser { config }
    }

    /// The configuration.
    pub fn config(&self) -> &AlertConfig {
        &self.config
    }

    /// Raises alerts for `signals` over `known`, which is updated as alerts change.
    pub fn raise(&self, mut signals: Vec<Signal>, known: &mut Known) -> Raised {
        signals.sort_by(|a, b| {
            (a.first_time, a.last_time, &a.rule_id).cmp(&(b.first_time, b.last_time, &b.rule_id))
        });
        let mut touched: Vec<String> = Vec::new();
        let mut risks: Vec<Entity> = Vec::new();
        let mut queue = std::collections::VecDeque::from(signals);
        while let Some(signal) = queue.pop_front() {
            let risk_entity = (signal.source == AlertSource::Risk)
                .then(|| signal.entities.first().cloned())
                .flatten();
            let (fp, new_alert) = self.take(signal, known, &mut touched);
            if let (Some(entity), Some(alert)) = (risk_entity, known.latest.get(&fp)) {
                // The risk alert raised (or updated) for the entity.
                if let Some(risk) = known.risk.get_mut(&entity) {
                    risk.raised = Some(alert.id.clone());
                }
            }
            if let Some(risk_signal) = new_alert.and_then(|a| self.add_risk(&a, known, &mut risks))
            {
                queue.push_back(risk_signal);
            }
        }
        Raised {
            alerts: touched
                .iter()
                .filter_map(|fp| known.latest.get(fp).cloned())
                .collect(),
            risk: risks
                .iter()
                .filter_map(|e| known.risk.get(e).cloned())
                .collect(),
        }
    }

    /// Folds one signal into its fingerprint's alert; returns the fingerprint, and the alert
    /// when it is new.
    fn take(
        &self,
        signal: Signal,
        known: &mut Known,
        touched: &mut Vec<String>,
    ) -> (String, Option<Alert>) {
        let fp = fingerprint(&signal.rule_id, &signal.group);
        if !touched.contains(&fp) {
            touched.push(fp.clone());
        }
        let window = Duration::seconds(
            i64::try_from(self.config.suppression_window_secs).unwrap_or(i64::MAX / 1000),
        );
        if let Some(alert) = known
            .latest
            .get_mut(&fp)
            .filter(|a| a.status.is_unresolved() && signal.first_time <= a.last_seen + window)
        {
            alert.count += signal.count;
            alert.first_seen = alert.first_seen.min(signal.first_time);
            alert.last_seen = alert.last_seen.max(signal.last_time);
            let room = self.config.evidence.saturating_sub(alert.evidence.len());
            alert
                .evidence
                .extend(signal.evidence.into_iter().take(room));
            if signal.details.is_some() {
                alert.details = signal.details;
            }
            return (fp, None);
        }
        let generation = known.latest.get(&fp).map_or(1, |a| a.generation + 1);
        let mut entities = signal.entities;
        entities.sort();
        entities.dedup();
        let mut evidence = signal.evidence;
        evidence.truncate(self.config.evidence);
        let mut alert = Alert {
            id: alert_id(&fp, generation),
            fingerprint: fp.clone(),
            rule_id: signal.rule_id,
            title: signal.title,
            severity: signal.severity,
            source: signal.source,
            status: AlertStatus::Open,
            group: signal.group,
            entities,
            first_seen: signal.first_time,
            last_seen: signal.last_time,
            count: signal.count,
            evidence,
            tags: signal.tags,
            muted_by: None,
            generation,
            details: signal.details,
            updated: None,
        };
        alert.muted_by = self.muting(&alert, known);
        if alert.muted_by.is_some() {
            alert.status = AlertStatus::Silenced;
        } else if alert.severity == Severity::Critical {
            for entity in &alert.entities {
                known
                    .inhibitors
                    .entry(entity.clone())
                    .or_insert_with(|| alert.id.clone());
            }
        }
        known.latest.insert(fp.clone(), alert.clone());
        (fp, Some(alert))
    }

    /// Why a new alert is muted, if it is.
    fn muting(&self, alert: &Alert, known: &Known) -> Option<Muting> {
        if let Some(id) = known.silences.silencing(alert) {
            return Some(Muting::Silence { id: id.to_string() });
        }
        if !self.config.inhibition || alert.severity == Severity::Critical {
            return None;
        }
        alert
            .entities
            .iter()
            .find_map(|e| known.inhibitors.get(e))
            .map(|id| Muting::Inhibition {
                alert_id: id.clone(),
            })
    }

    /// Adds a new alert's risk to its entities; returns the risk signal of an entity that
    /// reached the threshold.
    fn add_risk(
        &self,
        alert: &Alert,
        known: &mut Known,
        changed: &mut Vec<Entity>,
    ) -> Option<Signal> {
        let config = &self.config.risk;
        if !config.enabled || alert.muted_by.is_some() || alert.source == AlertSource::Risk {
            return None;
        }
        let score = config.score(alert.severity);
        let mut crossed = None;
        for entity in &alert.entities {
            let risk = known
                .risk
                .entry(entity.clone())
                .or_insert_with(|| EntityRisk::new(entity.clone(), alert.first_seen));
            if !changed.contains(entity) {
                changed.push(entity.clone());
            }
            if risk.add(&alert.id, score, alert.first_seen, config) && crossed.is_none() {
                crossed = Some(entity.clone());
            }
        }
        let entity = crossed?;
        let risk = known.risk.get_mut(&entity)?;
        // Marked at once, so that later alerts of the batch do not raise it again; the loop
        // records the risk alert's id once it is raised.
        risk.raised = Some(String::new());
        let group: BTreeMap<String, Value> =
            [("entity".to_string(), Value::from(entity.to_string()))]
                .into_iter()
                .collect();
        Some(Signal {
            rule_id: RISK_RULE_ID.to_string(),
            title: format!("High risk: {} {}", entity.kind.as_str(), entity.value),
            severity: Severity::Critical,
            source: AlertSource::Risk,
            tags: Vec::new(),
            group,
            entities: vec![entity],
            first_time: alert.first_seen,
            last_time: alert.last_seen,
            count: 1,
            evidence: Vec::new(),
            details: Some(serde_json::json!({
                "score": risk.score,
                "threshold": config.threshold,
                "alerts": risk.contributors,
            })),
        })
    }
}

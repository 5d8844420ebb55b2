//! How alerts are raised: [`AlertConfig`], with a JSON form every door passes through.

use super::model::EntityKind;
use crate::detection::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How signals become alerts. Every key of its JSON form is optional:
///
/// ```json
/// {"suppression_window_secs": 3600, "evidence": 20,
///  "entity_fields": {"source.ip": "ip", "user.name": "user"},
///  "group_by": {"<rule id>": ["source.ip"]},
///  "inhibition": true,
///  "risk": {"half_life_secs": 86400, "threshold": 100, "scores": {"critical": 40}}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertConfig {
    /// A signal whose fingerprint's latest unresolved alert was last seen at most this many
    /// seconds before it (in event time) updates that alert; a later one raises a new alert.
    pub suppression_window_secs: u64,
    /// How many event ids an alert keeps as evidence (the first ones).
    pub evidence: usize,
    /// Which event fields name entities, and of what kind. A single-event rule's alerts are
    /// grouped by the entity fields its event has, unless `group_by` names its fields.
    pub entity_fields: BTreeMap<String, EntityKind>,
    /// Per rule id: the fields that group its single-event alerts (instead of the entity
    /// fields present). Correlation alerts are grouped by their `group-by`.
    pub group_by: BTreeMap<String, Vec<String>>,
    /// Alertmanager-style inhibition: while an unresolved critical alert is about an entity,
    /// new warning and info alerts about the same entity are raised silenced.
    pub inhibition: bool,
    /// Risk-based alerting: entities accumulate the risk of their alerts.
    pub risk: RiskConfig,
}

impl Default for AlertConfig {
    fn default() -> Self {
        let entity_fields = [
            ("source.ip", EntityKind::Ip),
            ("destination.ip", EntityKind::Ip),
            ("client.ip", EntityKind::Ip),
            ("user.name", EntityKind::User),
            ("host.name", EntityKind::Host),
            ("client.id", EntityKind::Client),
            ("customer.id", EntityKind::Client),
            ("order.customer_id", EntityKind::Client),
            ("IpAddress", EntityKind::Ip),
            ("TargetUserName", EntityKind::User),
            ("Computer", EntityKind::Host),
        ]
        .into_iter()
        .map(|(field, kind)| (field.to_string(), kind))
        .collect();
        AlertConfig {
            suppression_window_secs: 3600,
            evidence: 20,
            entity_fields,
            group_by: BTreeMap::new(),
            inhibition: true,
            risk: RiskConfig::default(),
        }
    }
}

/// Risk-based alerting (as Splunk's and rsigma's): each alert adds its rule's risk score to
/// each of its entities; an entity's risk halves every `half_life_secs` of event time; when it
/// reaches `threshold`, one risk alert for the entity names the alerts that built it up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RiskConfig {
    /// Off when false.
    pub enabled: bool,
    /// Event-time seconds for an entity's risk to halve.
    pub half_life_secs: u64,
    /// The risk at which an entity raises its risk alert.
    pub threshold: f64,
    /// The risk an alert adds per severity (`critical`, `warning`, `info`); a severity left
    /// out adds its default (40, 15, 5).
    pub scores: BTreeMap<Severity, f64>,
    /// How many contributing alerts an entity's risk remembers (the latest).
    pub contributors: usize,
}

impl Default for RiskConfig {
    fn default() -> Self {
        RiskConfig {
            enabled: true,
            half_life_secs: 24 * 3600,
            threshold: 100.0,
            scores: BTreeMap::new(),
            contributors: 20,
        }
    }
}

impl RiskConfig {
    /// The risk an alert of `severity` adds.
    pub fn score(&self, severity: Severity) -> f64 {
        self.scores
            .get(&severity)
            .copied()
            .unwrap_or(match severity {
                Severity::Critical => 40.0,
                Severity::Warning => 15.0,
                Severity::Info => 5.0,
            })
    }
}

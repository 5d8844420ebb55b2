//! Entity risk: the decaying sum of the risk of an entity's alerts (risk-based alerting).

use super::config::RiskConfig;
use super::model::Entity;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entity's accumulated risk, kept as stage state between batches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityRisk {
    /// The entity.
    pub entity: Entity,
    /// Its risk at `at`.
    pub score: f64,
    /// The event time the score is for.
    pub at: DateTime<Utc>,
    /// The latest alerts that added to it (ids, oldest first, at most
    /// [`RiskConfig::contributors`]).
    pub contributors: Vec<String>,
    /// The risk alert raised when the score reached the threshold; cleared (so a new one can
    /// be raised) once the score has decayed below half the threshold.
    pub raised: Option<String>,
}

impl EntityRisk {
    /// An entity with no risk yet.
    pub fn new(entity: Entity, at: DateTime<Utc>) -> EntityRisk {
        EntityRisk {
            entity,
            score: 0.0,
            at,
            contributors: Vec::new(),
            raised: None,
        }
    }

    /// The score decayed to `at` (never grown: a time before `at` keeps the score).
    pub fn decayed(&self, at: DateTime<Utc>, config: &RiskConfig) -> f64 {
        let elapsed = (at - self.at).num_milliseconds().max(0) as f64 / 1000.0;
        let half_life = config.half_life_secs.max(1) as f64;
        self.score * 0.5f64.powf(elapsed / half_life)
    }

    /// Adds an alert's `score` at `at`; returns true when the entity now crosses the
    /// threshold with no risk alert raised for it (the caller raises one and records it in
    /// [`EntityRisk::raised`]).
    pub fn add(
        &mut self,
        alert_id: &str,
        score: f64,
        at: DateTime<Utc>,
        config: &RiskConfig,
    ) -> bool {
        let now = self.at.max(at);
        let decayed = self.decayed(now, config);
        if decayed < config.threshold / 2.0 {
            self.raised = None;
        }
        self.score = decayed + score;
        self.at = now;
        self.contributors.push(alert_id.to_string());
        let excess = self
            .contributors
            .len()
            .saturating_sub(config.contributors.max(1));
        self.contributors.drain(..excess);
        self.raised.is_none() && self.score >= config.threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::model::EntityKind;
    use chrono::{Duration, TimeZone};

    #[test]
    fn halves_every_half_life_and_crosses_once() {
        let config = RiskConfig {
            half_life_secs: 3600,
            threshold: 100.0,
            contributors: 2,
            ..RiskConfig::default()
        };
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let entity = Entity {
            kind: EntityKind::Ip,
            value: "10.0.0.1".into(),
        };
        let mut risk = EntityRisk::new(entity, t0);
        assert!(!risk.add("a1", 60.0, t0, &config));
        assert!((risk.decayed(t0 + Duration::hours(1), &config) - 30.0).abs() < 1e-9);
        // One hour later: 30 + 60 = 90, below the threshold.
        assert!(!risk.add("a2", 60.0, t0 + Duration::hours(1), &config));
        assert!((risk.score - 90.0).abs() < 1e-9);
        // At once another 60: 150 crosses.
        assert!(risk.add("a3", 60.0, t0 + Duration::hours(1), &config));
        assert_eq!(risk.contributors, ["a2", "a3"]);
        risk.raised = Some("risk-1".into());
        // Still above: no second crossing.
        assert!(!risk.add("a4", 60.0, t0 + Duration::hours(1), &config));
        // Three hours later it is below half the threshold: re-armed, and 210/8 + 60 < 100.
        assert!(!risk.add("a5", 60.0, t0 + Duration::hours(4), &config));
        assert_eq!(risk.raised, None);
    }
}

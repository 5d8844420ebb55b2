//! Alerts: what a security team works, raised from signals (rule detections, correlation
//! firings, anomalies) without flooding.
//!
//! - [`Alert`]: one record per rule and group (the same source IP, user, host...), with a
//!   [`fingerprint`] that duplicates share, a count, first and last seen, bounded evidence,
//!   and a lifecycle `open -> acknowledged -> resolved` ([`AlertStatus`]); a resolved alert is
//!   never reopened, its fingerprint's next signal raises a new alert.
//! - [`Raiser`]: deduplication within a suppression window, [`Silence`]s, inhibition and entity
//!   risk, as pure computation over what storage holds ([`Known`]); the ingest stage loads
//!   that, runs the raiser, and writes what changed in the batch's transaction.
//! - [`AlertConfig`]: the knobs, with a JSON form.
//!
//! ```
//! use finmark::alert::{AlertConfig, AlertSource, Known, Raiser, Signal};
//! use finmark::{Severity, Value};
//! use chrono::{Duration, TimeZone, Utc};
//! let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
//! let signal = |minute: i64| Signal {
//!     rule_id: "failed-logins".into(),
//!     title: "Multiple failed logins".into(),
//!     severity: Severity::Critical,
//!     source: AlertSource::Correlation,
//!     tags: vec![],
//!     group: [("source.ip".to_string(), Value::from("203.0.113.9"))].into_iter().collect(),
//!     entities: vec![],
//!     first_time: t0 + Duration::minutes(minute),
//!     last_time: t0 + Duration::minutes(minute),
//!     count: 5,
//!     evidence: vec![format!("e{minute}")],
//!     details: None,
//! };
//! let raiser = Raiser::new(AlertConfig::default());
//! let mut known = Known::default();
//! // Three firings within the hour-long suppression window make one alert.
//! let raised = raiser.raise(vec![signal(0), signal(10), signal(20)], &mut known);
//! assert_eq!(raised.alerts.len(), 1);
//! assert_eq!(raised.alerts[0].count, 15);
//! // Two hours later, a new alert: the next generation of the same fingerprint.
//! let later = raiser.raise(vec![signal(140)], &mut known);
//! assert_eq!(later.alerts[0].generation, 2);
//! assert_eq!(later.alerts[0].fingerprint, raised.alerts[0].fingerprint);
//! ```

mod config;
mod fingerprint;
mod model;
mod raise;
mod risk;
mod silence;

pub use config::{AlertConfig, RiskConfig};
pub use fingerprint::{alert_id, fingerprint};
pub use model::{
    Alert, AlertAction, AlertSource, AlertStatus, AlertUpdate, Entity, EntityKind, Muting,
};
pub use raise::{Known, RISK_RULE_ID, Raised, Raiser, Signal};
pub use risk::EntityRisk;
pub use silence::{MatcherSpec, Silence, SilenceMatcher, SilenceRequest, SilenceSet};

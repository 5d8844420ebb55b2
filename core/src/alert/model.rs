//! What an alert is: [`Alert`], its [`AlertStatus`] and [`AlertSource`], and the
//! [`Entity`]s it is about.

use crate::detection::Severity;
use crate::error::{Error, Result};
use crate::event::Value;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where an alert's signals come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertSource {
    /// A single-event Sigma rule.
    Rule,
    /// A Sigma correlation rule.
    Correlation,
    /// An anomaly detector.
    Anomaly,
    /// Entity risk passing its threshold (risk-based alerting).
    Risk,
}

impl AlertSource {
    /// `rule`, `correlation`, `anomaly` or `risk`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertSource::Rule => "rule",
            AlertSource::Correlation => "correlation",
            AlertSource::Anomaly => "anomaly",
            AlertSource::Risk => "risk",
        }
    }

    /// Parses [`AlertSource::as_str`]'s words.
    pub fn parse(text: &str) -> Option<AlertSource> {
        [
            AlertSource::Rule,
            AlertSource::Correlation,
            AlertSource::Anomaly,
            AlertSource::Risk,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// Where an alert is in its lifecycle.
///
/// `open -> acknowledged -> resolved` (an open alert may also be resolved at once). A
/// `silenced` alert was muted when it was raised, by a silence or by inhibition
/// ([`Alert::muted_by`]): it is stored and counted like any other, never lost, and can be
/// acknowledged or resolved too. A resolved alert is final: its fingerprint's next signal
/// raises a new alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Raised, nobody has taken it yet.
    Open,
    /// Raised while muted by a silence or an inhibiting alert.
    Silenced,
    /// Someone is on it.
    Acknowledged,
    /// Done with; never reopened.
    Resolved,
}

impl AlertStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [AlertStatus; 4] = [
        AlertStatus::Open,
        AlertStatus::Silenced,
        AlertStatus::Acknowledged,
        AlertStatus::Resolved,
    ];

    /// `open`, `silenced`, `acknowledged` or `resolved`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::Silenced => "silenced",
            AlertStatus::Acknowledged => "acknowledged",
            AlertStatus::Resolved => "resolved",
        }
    }

    /// Parses [`AlertStatus::as_str`]'s words, with an `InvalidQuery` error naming them.
    pub fn parse(text: &str) -> Result<AlertStatus> {
        AlertStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                Error::invalid_query(format!(
                    "unknown alert status '{text}': expected open, silenced, acknowledged or resolved"
                ))
            })
    }

    /// True until resolved: the alert still takes its fingerprint's duplicates.
    pub fn is_unresolved(self) -> bool {
        self != AlertStatus::Resolved
    }

    /// The status after `action` (`acknowledge` or `resolve`), or a `Conflict` error saying
    /// why the alert cannot take it.
    pub fn after(self, action: AlertAction) -> Result<AlertStatus> {
        match (self, action) {
            (AlertStatus::Resolved, _) => Err(Error::new(
                crate::error::ErrorKind::Conflict,
                format!(
                    "the alert is resolved and cannot be {}d (a resolved alert is never reopened)",
                    action.as_str()
                ),
            )),
            (AlertStatus::Acknowledged, AlertAction::Acknowledge) => Err(Error::new(
                crate::error::ErrorKind::Conflict,
                "the alert is already acknowledged",
            )),
            (_, AlertAction::Acknowledge) => Ok(AlertStatus::Acknowledged),
            (_, AlertAction::Resolve) => Ok(AlertStatus::Resolved),
        }
    }
}

/// What a person does to an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertAction {
    /// Take it: open or silenced -> acknowledged.
    Acknowledge,
    /// Close it: anything but resolved -> resolved.
    Resolve,
}

impl AlertAction {
    /// `acknowledge` or `resolve`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertAction::Acknowledge => "acknowledge",
            AlertAction::Resolve => "resolve",
        }
    }
}

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// An IP address.
    Ip,
    /// A user account.
    User,
    /// A host.
    Host,
    /// A client of an API (an API key, a customer).
    Client,
    /// A process.
    Process,
    /// A file.
    File,
    /// A URL or domain.
    Url,
    /// A file hash.
    Hash,
}

impl EntityKind {
    /// The snake_case name (`ip`, `user`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Ip => "ip",
            EntityKind::User => "user",
            EntityKind::Host => "host",
            EntityKind::Client => "client",
            EntityKind::Process => "process",
            EntityKind::File => "file",
            EntityKind::Url => "url",
            EntityKind::Hash => "hash",
        }
    }
}

/// A thing an alert is about: an IP address, a user, a host.
///
/// Its text form `kind:value` (`ip:203.0.113.9`) is how queries name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entity {
    /// What it is.
    pub kind: EntityKind,
    /// Its value as text.
    pub value: String,
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.value)
    }
}

/// Why an alert was raised muted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Muting {
    /// A silence matched it.
    Silence {
        /// The silence's id.
        id: String,
    },
    /// An open critical alert for one of its entities inhibited it.
    Inhibition {
        /// The inhibiting alert's id.
        alert_id: String,
    },
}

/// An alert: the signals of one rule for one group (the same source IP, the same user...),
/// deduplicated into one record a security team works.
///
/// Its JSON form has these keys, in this order; `group` maps field names to values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Unique id: derived from the fingerprint and the generation, so two processes raising
    /// the same alert give it the same id.
    pub id: String,
    /// Rule id + group key, hashed: what duplicates share.
    pub fingerprint: String,
    /// The rule (or correlation, detector) that raised it.
    pub rule_id: String,
    /// The rule's title.
    pub title: String,
    /// `critical`, `warning` or `info`.
    pub severity: Severity,
    /// What kind of signal raised it.
    pub source: AlertSource,
    /// Where it is in its lifecycle.
    pub status: AlertStatus,
    /// The group it is for: field names (or correlation alias names) to values.
    pub group: BTreeMap<String, Value>,
    /// The entities it is about, sorted.
    pub entities: Vec<Entity>,
    /// Event time of the first signal.
    pub first_seen: DateTime<Utc>,
    /// Event time of the latest signal.
    pub last_seen: DateTime<Utc>,
    /// How many events it stands for.
    pub count: u64,
    /// Ids of the first events that raised it (at most [`super::AlertConfig::evidence`]).
    pub evidence: Vec<String>,
    /// The rule's tags (ATT&CK and others).
    pub tags: Vec<String>,
    /// Why it was raised muted (`status` is then `silenced`).
    pub muted_by: Option<Muting>,
    /// The 1-based generation of alerts with this fingerprint: a new one begins when the
    /// previous alert is resolved or its suppression window passed.
    pub generation: u64,
    /// Details of the signal: for risk alerts the alerts that built the risk up, for
    /// anomalies the explanation.
    pub details: Option<serde_json::Value>,
    /// When its status last changed by an action, and who did it.
    pub updated: Option<AlertUpdate>,
}

/// The last action on an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertUpdate {
    /// The actor's id.
    pub actor: String,
    /// What they did.
    pub action: AlertAction,
    /// When.
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle() {
        use AlertAction::*;
        use AlertStatus::*;
        assert_eq!(Open.after(Acknowledge).unwrap(), Acknowledged);
        assert_eq!(Silenced.after(Acknowledge).unwrap(), Acknowledged);
        assert_eq!(Open.after(Resolve).unwrap(), Resolved);
        assert_eq!(Acknowledged.after(Resolve).unwrap(), Resolved);
        let e = Resolved.after(Acknowledge).unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Conflict);
        assert!(e.message().contains("never reopened"), "{e}");
        assert!(Acknowledged.after(Acknowledge).is_err());
        assert!(Resolved.after(Resolve).is_err());
        for s in AlertStatus::ALL {
            assert_eq!(AlertStatus::parse(s.as_str()).unwrap(), s);
        }
        assert!(
            AlertStatus::parse("closed")
                .unwrap_err()
                .message()
                .contains("acknowledged")
        );
    }

    #[test]
    fn entity_text() {
        let e = Entity {
            kind: EntityKind::Ip,
            value: "10.0.0.1".into(),
        };
        assert_eq!(e.to_string(), "ip:10.0.0.1");
    }
}

//! Queries over stored alerts: filters, cursor pagination, counts for dashboards.

use crate::alert::{Alert, AlertStatus};
use crate::detection::Severity;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::query::{DEFAULT_LIMIT, MAX_LIMIT};

/// Which alerts to return: every filter optional, newest first (by first seen, then id), one
/// page at a time.
///
/// Its JSON form, which the doors pass through, is `{"status", "severity", "rule_id",
/// "entity", "fingerprint", "since", "until", "limit", "cursor"}`, every key optional;
/// `entity` is `kind:value` (`ip:203.0.113.9`); `since`/`until` select the alerts whose span
/// `[first_seen, last_seen]` overlaps `[since, until)`, in any form
/// [`crate::event::parse_time_arg`] reads.
///
/// ```
/// use finmark::storage::AlertQuery;
/// let q: AlertQuery = serde_json::from_str(r#"{"status": "open", "severity": "critical", "limit": 5}"#).unwrap();
/// assert_eq!(q.limit, 5);
/// assert!(serde_json::from_str::<AlertQuery>(r#"{"stauts": "open"}"#).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertQuery {
    /// Only alerts in this status.
    pub status: Option<AlertStatus>,
    /// Only alerts of this severity.
    pub severity: Option<Severity>,
    /// Only alerts of this rule.
    pub rule_id: Option<String>,
    /// Only alerts about this entity (`kind:value`).
    pub entity: Option<String>,
    /// Only alerts with this fingerprint.
    pub fingerprint: Option<String>,
    /// Only alerts last seen at or after this time.
    #[serde(deserialize_with = "crate::event::optional_time_arg")]
    pub since: Option<DateTime<Utc>>,
    /// Only alerts first seen before this time.
    #[serde(deserialize_with = "crate::event::optional_time_arg")]
    pub until: Option<DateTime<Utc>>,
    /// Page size; 0 means the default (100); at most 10,000.
    pub limit: usize,
    /// Continue after the last alert of an earlier page ([`AlertPage::next_cursor`]).
    pub cursor: Option<String>,
}

impl AlertQuery {
    /// All alerts, first page.
    pub fn new() -> AlertQuery {
        AlertQuery::default()
    }

    /// The page size to use, or an `InvalidQuery` error when too large.
    pub fn effective_limit(&self) -> Result<usize> {
        match self.limit {
            0 => Ok(DEFAULT_LIMIT),
            n if n > MAX_LIMIT => Err(Error::invalid_query(format!(
                "limit {n} is too large; at most {MAX_LIMIT}"
            ))),
            n => Ok(n),
        }
    }

    /// The cursor as (first seen in microseconds, id), or an `InvalidQuery` error.
    pub fn cursor_position(&self) -> Result<Option<(i64, String)>> {
        let Some(text) = &self.cursor else {
            return Ok(None);
        };
        let (micros, id) = text
            .split_once(':')
            .and_then(|(m, id)| Some((m.parse::<i64>().ok()?, id)))
            .ok_or_else(|| {
                Error::invalid_query(format!(
                    "invalid alert cursor '{text}': expected <micros>:<id>"
                ))
            })?;
        Ok(Some((micros, id.to_string())))
    }

    /// True if `alert` passes every filter (the cursor is not considered).
    pub fn matches(&self, alert: &Alert) -> bool {
        self.status.is_none_or(|s| alert.status == s)
            && self.severity.is_none_or(|s| alert.severity == s)
            && self.rule_id.as_ref().is_none_or(|r| &alert.rule_id == r)
            && self
                .fingerprint
                .as_ref()
                .is_none_or(|f| &alert.fingerprint == f)
            && self
                .entity
                .as_ref()
                .is_none_or(|e| alert.entities.iter().any(|x| &x.to_string() == e))
            && self.since.is_none_or(|t| alert.last_seen >= t)
            && self.until.is_none_or(|t| alert.first_seen < t)
    }

    /// The same filters without the page (for counts).
    pub fn unpaged(&self) -> AlertQuery {
        AlertQuery {
            limit: 0,
            cursor: None,
            ..self.clone()
        }
    }
}

/// The text of the cursor just after `alert`.
pub(crate) fn cursor_after(alert: &Alert) -> String {
    format!("{}:{}", alert.first_seen.timestamp_micros(), alert.id)
}

/// One page of alerts, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AlertPage {
    /// The alerts of this page.
    pub alerts: Vec<Alert>,
    /// Where the next page starts, or `None` when this page is the last.
    pub next_cursor: Option<String>,
}

impl AlertPage {
    /// A page from up to `limit + 1` alerts fetched in order.
    pub(crate) fn from_fetched(mut alerts: Vec<Alert>, limit: usize) -> AlertPage {
        let more = alerts.len() > limit;
        alerts.truncate(limit);
        let next_cursor = more.then(|| alerts.last().map(cursor_after)).flatten();
        AlertPage {
            alerts,
            next_cursor,
        }
    }
}

/// How many alerts there are by severity and by status (every severity and status listed,
/// zeros included): the dashboard's tiles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertCounts {
    /// Alerts per severity (`critical`, `warning`, `info`).
    pub by_severity: BTreeMap<String, u64>,
    /// Alerts per status (`open`, `silenced`, `acknowledged`, `resolved`).
    pub by_status: BTreeMap<String, u64>,
    /// All of them.
    pub total: u64,
}

impl AlertCounts {
    /// Counts of `(severity, status, n)` rows, with every severity and status present.
    pub(crate) fn of(rows: impl IntoIterator<Item = (String, String, u64)>) -> AlertCounts {
        let mut counts = AlertCounts {
            by_severity: [Severity::Critical, Severity::Warning, Severity::Info]
                .iter()
                .map(|s| (s.as_str().to_string(), 0))
                .collect(),
            by_status: AlertStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_string(), 0))
                .collect(),
            total: 0,
        };
        for (severity, status, n) in rows {
            *counts.by_severity.entry(severity).or_default() += n;
            *counts.by_status.entry(status).or_default() += n;
            counts.total += n;
        }
        counts
    }
}

/// The error for an unknown alert id.
pub(crate) fn alert_not_found(id: &str) -> Error {
    Error::new(
        crate::error::ErrorKind::NotFound,
        format!("no alert with id '{id}'"),
    )
}

/// The error for an unknown silence id.
pub(crate) fn silence_not_found(id: &str) -> Error {
    Error::new(
        crate::error::ErrorKind::NotFound,
        format!("no silence with id '{id}'"),
    )
}

/// The error for a silence id already used.
pub(crate) fn silence_exists(id: &str) -> Error {
    Error::new(
        crate::error::ErrorKind::Conflict,
        format!("a silence with id '{id}' exists"),
    )
}

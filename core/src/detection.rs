//! The detection model: a [`Detection`] (one rule matching one event), its [`Severity`], and
//! the fields that matched.
//!
//! These are plain data, below both the compiler that produces them ([`crate::detect`]) and
//! the storage that keeps them ([`crate::storage`]). One name throughout: a rule hit is a
//! *detection*; *to match* is what a rule does to an event. `Match` is the former name of
//! [`Detection`], kept as an alias ([`crate::detect::Match`]) so code written against it still
//! builds.

use crate::event::Value;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// finmark's three alert severities.
///
/// Sigma levels map as: `critical` and `high` to [`Severity::Critical`], `medium` to
/// [`Severity::Warning`], `low` and `informational` (and no level) to [`Severity::Info`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Needs a look.
    Warning,
    /// Needs action now.
    Critical,
}

impl Severity {
    /// `critical`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }

    /// Parses `critical`, `warning` or `info`.
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

/// A field of the event that took part in a match, with its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchedField {
    /// The field name as the event has it.
    pub field: String,
    /// The event's value.
    pub value: Value,
}

/// One rule matching one event: a detection.
///
/// ```
/// use finmark::{Detection, RuleSet};
/// let rules = RuleSet::builder()
///     .yaml("title: Root Login\nlogsource: {product: linux}\nlevel: high\ndetection:\n  sel: {user.name: root}\n  condition: sel", "<doc>")
///     .build()
///     .unwrap();
/// let events = finmark::event::parse(br#"{"event.id": "e1", "user.name": "root"}"#).events;
/// let found: Vec<Detection> = rules.match_events(&events);
/// assert_eq!((found[0].title.as_str(), found[0].severity.as_str()), ("Root Login", "critical"));
/// assert_eq!(found[0].fields[0].field, "user.name");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// The rule's `id` (else its `name`, else its title).
    pub rule_id: String,
    /// The rule's title.
    pub title: String,
    /// The rule's Sigma level as written (`high`, ...), or `informational` when it has none.
    pub level: String,
    /// The finmark severity of that level.
    pub severity: Severity,
    /// The rule's tags (ATT&CK and others).
    pub tags: Vec<String>,
    /// The matched event's id.
    pub event_id: String,
    /// The matched event's time.
    pub event_time: DateTime<Utc>,
    /// Where the event was in what was matched, 1-based: its line in JSON text (NDJSON or
    /// concatenated objects), its element number in a JSON array, its position in a list of
    /// events.
    pub event_index: usize,
    /// The event fields whose values satisfied the rule's searches.
    pub fields: Vec<MatchedField>,
}

impl Detection {
    /// The attributes stored detections can be filtered on (the `where` keys of a detections
    /// query), each compared as text: the one list every backend and door goes by.
    pub const FILTERABLE: [&'static str; 5] = ["rule_id", "title", "level", "severity", "event_id"];

    /// The value of a top-level attribute by name (one of [`Detection::FILTERABLE`]), for
    /// filtering stored detections.
    pub fn field(&self, name: &str) -> Option<Value> {
        Some(Value::from(match name {
            "rule_id" => self.rule_id.as_str(),
            "title" => self.title.as_str(),
            "level" => self.level.as_str(),
            "severity" => self.severity.as_str(),
            "event_id" => self.event_id.as_str(),
            _ => return None,
        }))
    }
}

//! Silences (Alertmanager's): matchers and a time range that mute the alerts they match.

use super::model::Alert;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use regex::Regex;
use serde::{Deserialize, Serialize};

/// A silence: alerts raised in `[starts_at, ends_at)` (by the event time of their first
/// signal) that every matcher matches are stored as `silenced`, never dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Silence {
    /// Unique id.
    pub id: String,
    /// All must match.
    pub matchers: Vec<SilenceMatcher>,
    /// From when it mutes.
    pub starts_at: DateTime<Utc>,
    /// Until when it mutes (exclusive); expiring a silence moves it to the time of expiry.
    pub ends_at: DateTime<Utc>,
    /// Who created it.
    pub author: String,
    /// Why.
    pub reason: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// One condition of a silence on an alert attribute.
///
/// `name` is `rule_id`, `title`, `severity`, `source`, `entity` (any of the alert's
/// entities, as `kind:value`), or a group field name. `value` is compared whole, or as a
/// regular expression anchored at both ends when `regex` is set; `equal: false` negates the
/// matcher (`!=` / `!~` in Alertmanager).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SilenceMatcher {
    /// The attribute.
    pub name: String,
    /// The value or pattern.
    pub value: String,
    /// Compare as an anchored regular expression.
    #[serde(default)]
    pub regex: bool,
    /// Match when equal (true, the default) or when not equal.
    #[serde(default = "yes")]
    pub equal: bool,
}

fn yes() -> bool {
    true
}

impl SilenceMatcher {
    /// Parses `name=value`, `name!=value`, `name=~regex` or `name!~regex`.
    ///
    /// ```
    /// use finmark::alert::SilenceMatcher;
    /// let m = SilenceMatcher::parse("source.ip=~10\\..*").unwrap();
    /// assert!(m.regex && m.equal && m.name == "source.ip");
    /// assert!(SilenceMatcher::parse("nothing").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<SilenceMatcher> {
        let (at, operator) = ["!~", "=~", "!=", "="]
            .iter()
            .filter_map(|op| text.find(op).map(|at| (at, *op)))
            .min_by_key(|(at, op)| (*at, std::cmp::Reverse(op.len())))
            .ok_or_else(|| {
                Error::invalid_query(format!(
                    "invalid silence matcher '{text}': expected NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX"
                ))
            })?;
        let name = text[..at].trim();
        if name.is_empty() {
            return Err(Error::invalid_query(format!(
                "invalid silence matcher '{text}': no attribute name before '{operator}'"
            )));
        }
        let matcher = SilenceMatcher {
            name: name.to_string(),
            value: text[at + operator.len()..].to_string(),
            regex: operator.contains('~'),
            equal: operator.starts_with('='),
        };
        matcher.compile()?;
        Ok(matcher)
    }

    fn compile(&self) -> Result<Option<Regex>> {
        if !self.regex {
            return Ok(None);
        }
        Regex::new(&format!("^(?:{})$", self.value))
            .map(Some)
            .map_err(|e| {
                Error::invalid_query(format!(
                    "silence matcher '{}': invalid regular expression '{}': {e}",
                    self.name, self.value
                ))
            })
    }
}

/// What a person asks for when they silence alerts; its JSON form, which the doors pass
/// through, is `{"matchers": ["rule_id=r1", "source.ip=~10\\..*"], "starts_at": RFC 3339,
/// "ends_at": RFC 3339, "duration_secs": n, "reason": "..."}`: `matchers` are
/// [`SilenceMatcher::parse`] strings (or matcher objects), `starts_at` defaults to now, and
/// either `ends_at` or `duration_secs` says when it ends.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SilenceRequest {
    /// What it matches.
    pub matchers: Vec<MatcherSpec>,
    /// From when; now when absent.
    pub starts_at: Option<DateTime<Utc>>,
    /// Until when.
    pub ends_at: Option<DateTime<Utc>>,
    /// Or: for how long after its start.
    pub duration_secs: Option<u64>,
    /// Why (required).
    pub reason: String,
}

/// A matcher as given: `name=value` text or a [`SilenceMatcher`] object.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum MatcherSpec {
    /// `name=value`, `name!=value`, `name=~regex` or `name!~regex`.
    Text(String),
    /// A matcher object.
    Matcher(SilenceMatcher),
}

impl SilenceRequest {
    /// The silence this asks for, created at `now` by `author` with `id`, checked
    /// ([`Silence::validate`]); an `InvalidQuery` error names what is wrong.
    pub fn into_silence(self, id: String, author: &str, now: DateTime<Utc>) -> Result<Silence> {
        if self.reason.trim().is_empty() {
            return Err(Error::invalid_query("a silence needs a reason"));
        }
        let starts_at = self.starts_at.unwrap_or(now);
        let ends_at = match (self.ends_at, self.duration_secs) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid_query(
                    "a silence takes ends_at or duration_secs, not both",
                ));
            }
            (Some(end), None) => end,
            (None, Some(secs)) => {
                starts_at
                    + chrono::Duration::seconds(i64::try_from(secs).map_err(|_| {
                        Error::invalid_query(format!("duration_secs {secs} is too large"))
                    })?)
            }
            (None, None) => {
                return Err(Error::invalid_query(
                    "a silence needs ends_at or duration_secs",
                ));
            }
        };
        let matchers = self
            .matchers
            .into_iter()
            .map(|m| match m {
                MatcherSpec::Text(text) => SilenceMatcher::parse(&text),
                MatcherSpec::Matcher(m) => Ok(m),
            })
            .collect::<Result<Vec<_>>>()?;
        let silence = Silence {
            id,
            matchers,
            starts_at,
            ends_at,
            author: author.to_string(),
            reason: self.reason,
            created_at: now,
        };
        silence.validate()?;
        Ok(silence)
    }
}

impl Silence {
    /// Checks a new silence: at least one matcher, valid regular expressions, `ends_at`
    /// after `starts_at`. An `InvalidQuery` error names what is wrong.
    pub fn validate(&self) -> Result<()> {
        if self.matchers.is_empty() {
            return Err(Error::invalid_query(
                "a silence needs at least one matcher (it would mute every alert)",
            ));
        }
        if self.ends_at <= self.starts_at {
            return Err(Error::invalid_query(format!(
                "a silence must end after it starts ({} is not after {})",
                self.ends_at.to_rfc3339(),
                self.starts_at.to_rfc3339()
            )));
        }
        for m in &self.matchers {
            m.compile()?;
        }
        Ok(())
    }

    /// True when the silence mutes at time `at`.
    pub fn is_active(&self, at: DateTime<Utc>) -> bool {
        self.starts_at <= at && at < self.ends_at
    }
}

/// Silences compiled for matching alerts.
#[derive(Debug, Default)]
pub struct SilenceSet {
    silences: Vec<(Silence, Vec<Option<Regex>>)>,
}

impl SilenceSet {
    /// Compiles `silences`; one with an invalid pattern (only possible when stored by an
    /// older version) is skipped, never applied loosely.
    pub fn new(silences: Vec<Silence>) -> SilenceSet {
        SilenceSet {
            silences: silences
                .into_iter()
                .filter_map(|s| {
                    let compiled = s
                        .matchers
                        .iter()
                        .map(SilenceMatcher::compile)
                        .collect::<Result<Vec<_>>>()
                        .ok()?;
                    Some((s, compiled))
                })
                .collect(),
        }
    }

    /// The id of the first silence active at the alert's `first_seen` whose matchers all
    /// match it.
    pub fn silencing(&self, alert: &Alert) -> Option<&str> {
        self.silences
            .iter()
            .find(|(silence, compiled)| {
                silence.is_active(alert.first_seen)
                    && silence
                        .matchers
                        .iter()
                        .zip(compiled)
                        .all(|(m, regex)| matches(m, regex.as_ref(), alert))
            })
            .map(|(silence, _)| silence.id.as_str())
    }
}

/// Whether one matcher holds for an alert.
fn matches(m: &SilenceMatcher, regex: Option<&Regex>, alert: &Alert) -> bool {
    let hit = |text: &str| match regex {
        Some(re) => re.is_match(text),
        None => text == m.value,
    };
    let values: Vec<String> = match m.name.as_str() {
        "rule_id" => vec![alert.rule_id.clone()],
        "title" => vec![alert.title.clone()],
        "severity" => vec![alert.severity.as_str().to_string()],
        "source" => vec![alert.source.as_str().to_string()],
        "entity" => alert.entities.iter().map(|e| e.to_string()).collect(),
        field => alert
            .group
            .get(field)
            .map(|v| match v.as_str() {
                Some(s) => s.to_string(),
                None => v.to_string(),
            })
            .into_iter()
            .collect(),
    };
    values.iter().any(|v| hit(v)) == m.equal
}

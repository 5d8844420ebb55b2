//! `RuleSet`: compiled Sigma rules that match events without storage (core's `detect`), and
//! the `Match`, `MatchReport` and `RuleError` results. Synchronous: matching is computation.

use crate::error::{Result, from_napi, to_napi};
use crate::event::{Rejected, array_json};
use crate::mirror;
use napi::Env;
use napi::bindgen_prelude::{Array, BufferSlice, Either};
use serde::Deserialize;

/// A field of the event that took part in a match, with its value.
#[napi_derive::napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchedField {
    /// The field name as the event has it.
    pub field: String,
    /// The event's value.
    #[napi(ts_type = "FieldValue")]
    pub value: serde_json::Value,
}

/// One rule matching one event.
#[napi_derive::napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Match {
    /// The rule's `id` (else its `name`, else its title).
    #[napi(js_name = "rule_id")]
    pub rule_id: String,
    /// The rule's title.
    pub title: String,
    /// The rule's Sigma level as written (`high`, ...), `informational` when it has none.
    pub level: String,
    /// finmark's severity of that level: critical and high are `critical`, medium is
    /// `warning`, low and informational are `info`.
    #[napi(ts_type = "'info' | 'warning' | 'critical'")]
    pub severity: String,
    /// The rule's tags (ATT&CK and others).
    pub tags: Vec<String>,
    /// The matched event's id.
    #[napi(js_name = "event_id")]
    pub event_id: String,
    /// The matched event's time, RFC 3339 in UTC.
    #[napi(js_name = "event_time")]
    pub event_time: String,
    /// Where the event was in what was matched, 1-based: its line in JSON text (NDJSON or
    /// concatenated objects), its element number in a JSON array or an array of events.
    #[napi(js_name = "event_index")]
    pub event_index: u32,
    /// The event fields whose values satisfied the rule's searches.
    pub fields: Vec<MatchedField>,
}

/// What matching a batch found.
#[napi_derive::napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchReport {
    /// Every (event, rule) match, in input order.
    pub matches: Vec<Match>,
    /// How many events were read.
    pub events: u32,
    /// The records that were not valid events, with their line and reason.
    pub rejected: Vec<Rejected>,
}

/// A rule that could not be loaded or compiled, and why.
#[napi_derive::napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleError {
    /// The file (or `<rules_yaml[i]>` label) the rule came from.
    pub file: String,
    /// Why it was rejected: the construct and the reason.
    pub reason: String,
}

/// Compiled Sigma rules, ready to match events; no storage involved.
///
/// ```js
/// const rules = RuleSet.load(['rules/'], ['windows'])
/// const { matches } = rules.matchNdjson(fs.readFileSync('events.ndjson'))
/// ```
#[napi_derive::napi]
pub struct RuleSet {
    inner: finmark::RuleSet,
}

#[napi_derive::napi]
impl RuleSet {
    /// Loads and compiles the rules in `paths` (files, or directories searched for `.yml` and
    /// `.yaml`), after the `pipelines` (builtin names such as `windows`, or pipeline files).
    /// Rules that cannot be supported are skipped and listed in `rejected`.
    ///
    /// Throws `NOT_FOUND` for a pipeline that is neither shipped nor a file, `INVALID_RULE` for
    /// a malformed pipeline file.
    #[napi(factory, catch_unwind)]
    pub fn load(paths: Vec<String>, pipelines: Option<Vec<String>>) -> Result<RuleSet> {
        let options = finmark::RuleOptions {
            rules: paths.into_iter().map(Into::into).collect(),
            rules_yaml: Vec::new(),
            pipelines: pipelines.unwrap_or_default(),
            strict_rules: false,
        };
        Self::build(&options)
    }

    /// Compiles the rules in a YAML text (one or more documents). Rules that cannot be
    /// supported are skipped and listed in `rejected`.
    #[napi(factory, catch_unwind)]
    pub fn from_yaml(text: String) -> Result<RuleSet> {
        let options = finmark::RuleOptions {
            rules: Vec::new(),
            rules_yaml: vec![text],
            pipelines: Vec::new(),
            strict_rules: false,
        };
        Self::build(&options)
    }

    fn build(options: &finmark::RuleOptions) -> Result<RuleSet> {
        let inner = options.build().map_err(to_napi)?;
        Ok(RuleSet { inner })
    }

    /// The rules that were skipped, with their reasons.
    #[napi(getter, catch_unwind)]
    pub fn rejected(&self) -> Result<Vec<RuleError>> {
        mirror(&self.inner.rejected()).map_err(to_napi)
    }

    /// Matches an array of event objects. Each match's `event_index` is the event's index in
    /// the array + 1; an element that is not an object is listed in `rejected`.
    #[napi(
        js_name = "match",
        catch_unwind,
        ts_args_type = "events: Array<Record<string, unknown>>"
    )]
    pub fn match_events(&self, env: &Env, events: Array) -> Result<MatchReport> {
        let json = array_json(env, events).map_err(from_napi)?;
        self.match_bytes(json.as_bytes())
    }

    /// Matches JSON bytes as they are (NDJSON, a JSON array, concatenated or Windows-event
    /// JSON) without building a JavaScript object per event. Each match's `event_index` is the
    /// event's 1-based line; malformed lines are listed in `rejected`, the others still match.
    #[napi(catch_unwind)]
    pub fn match_ndjson(&self, data: Either<BufferSlice, String>) -> Result<MatchReport> {
        match &data {
            Either::A(buffer) => self.match_bytes(buffer),
            Either::B(text) => self.match_bytes(text.as_bytes()),
        }
    }

    fn match_bytes(&self, bytes: &[u8]) -> Result<MatchReport> {
        mirror(&self.inner.match_json(bytes)).map_err(to_napi)
    }
}

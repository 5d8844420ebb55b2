//! Sigma correlation rules, evaluated: stage 4 of ingest, between detection and alerts.
//!
//! A [`Correlator`] compiles the correlations of a [`RuleSet`] (Sigma correlation rules
//! v2.1: `event_count`, `value_count`, `temporal`, `temporal_ordered`, `value_sum`,
//! `value_avg`, `value_percentile`, and rsigma's `value_median` and `percentile`). It is
//! immutable and `Send + Sync`; everything that changes lives in a [`CorrelationState`],
//! a plain serde value that [`Correlator::advance`] moves forward by the base-rule hits of a
//! batch ([`RuleHit`]: a [`Match`] and the event it matched), returning the firings
//! ([`CorrelationMatch`]). Save the state with the batch and the next process continues the
//! windows where this one stopped.
//!
//! ```
//! use finmark::correlate::{CorrelationConfig, Correlator, RuleHit};
//! use finmark::event::kinds::{Auth, Outcome};
//! use finmark::{Event, RuleSet};
//! let rules = RuleSet::builder()
//!     .yaml(
//!         "title: Failed login\nname: failed_login\nlogsource: {category: authentication}\n\
//!          detection:\n  selection: {event.outcome: failure}\n  condition: selection\n\
//!          ---\n\
//!          title: Brute force\nid: brute-force\nlevel: high\n\
//!          correlation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [source.ip]\n  \
//!          timespan: 5m\n  condition: {gte: 3}\n",
//!         "rules.yml",
//!     )
//!     .build()?;
//! let correlator = Correlator::new(&rules, CorrelationConfig::default())?;
//! let mut state = correlator.new_state();
//! let events: Vec<Event> = (0..4)
//!     .map(|i| {
//!         let time = format!("2026-03-01T09:00:0{i}Z").parse().unwrap();
//!         Auth::new(time, "alice", "203.0.113.9", Outcome::Failure).into()
//!     })
//!     .collect();
//! let matches = rules.match_events(&events);
//! let hits = matches.iter().map(|m| RuleHit::new(m, &events[m.event_index - 1]));
//! let firings = correlator.advance(&mut state, hits);
//! assert_eq!(firings.len(), 1, "the third failure fires; the fourth is within the quiet time");
//! assert_eq!(firings[0].rule_id, "brute-force");
//! assert_eq!(firings[0].group["source.ip"], "203.0.113.9");
//! assert_eq!(firings[0].events, 3);
//! assert!(!correlator.is_standalone("failed_login"), "without generate: true, its matches are the correlation's");
//! # Ok::<(), finmark::Error>(())
//! ```
//!
//! Cost: one hash lookup and a few comparisons per hit and correlation (a percentile sorts
//! the window's values); events that hit no referenced rule cost nothing here.
//!
//! # Windows, and exactly when a group fires
//!
//! - **Groups.** A hit belongs to the group of its `group-by` values (read from its event,
//!   under each input's alias; of an inner correlation's firing, from its group). A hit
//!   missing a group-by field, or whose value is null, takes no part in that correlation (it
//!   is counted in [`CorrelationStats::skipped_hits`]): backends' `stats ... by` and Elastic
//!   terms aggregations leave such events out too, whereas rsigma puts them into one group of
//!   absent values, which would correlate unrelated events. Without `group-by` every hit is
//!   in one group. Values compare as text (`10` and `"10"` are one group).
//! - **Windows** slide on event time (or processing time, [`TimeMode`]): when a hit at `t`
//!   is taken, the group's window holds its hits at `t - timespan ..= t`, this one included.
//!   Hits are taken in order of time (then arrival): within one `advance` always, across
//!   calls within the allowed lateness ([`CorrelationConfig::allowed_lateness_secs`]).
//! - **The value** of the window: `event_count` its hits; `value_count` the distinct values
//!   of `field`; `temporal` the number of entries of `rules` hit in it; `temporal_ordered`
//!   the length of the longest prefix of `rules` hit in that order (later in time, or equal
//!   in time and later in arrival); `value_sum` / `value_avg` the sum / mean of `field`;
//!   `value_percentile` the `percentile` (default 50) of `field`, linearly interpolated
//!   between the nearest ranks; `value_median` the 50th. A temporal type without a
//!   condition needs every rule (`gte: <number of rules>`). The value types take only hits
//!   whose `field` is there (and a number, but for `value_count`).
//! - **It fires** at the first hit whose window's value meets every comparison of the
//!   condition. Each hit is such a moment; the window is not waited for, so a bound from
//!   above (`lt`, `lte`, `eq`, a range) is checked against the window as it stands at each
//!   hit: `event_count` with `lt: 3` fires at a group's first hit.
//! - **It can fire again** only at a hit more than `timespan` after the hit it fired at,
//!   when the window has slid past every hit of that firing: at most one firing per group
//!   per timespan, and no hit is evidence of two firings (rsigma's `suppress` set to the
//!   timespan). Hits in between still enter the window. A quiet group whose window empties
//!   is dropped.
//! - **A firing** reports the correlation's id, title and level (its own, else the highest
//!   of its inputs'), the group, the oldest and newest hit times of the window, the events
//!   it holds, the value that met the condition, the newest event ids, and the rules
//!   referenced.
//! - **Chains.** A correlation over correlations takes each firing of an inner one as a hit
//!   at the firing's time, standing for its events and event ids; group-by and `field` are
//!   read from the firing's group, and `field` may also name `value` (the inner value that
//!   met its condition) or `events`.
//! - **`generate`.** A rule (or correlation) referenced only by correlations without
//!   `generate: true` is not meant to be reported alone ([`Correlator::is_standalone`]).

mod compile;
mod config;
mod distinct;
mod group;
mod key;
mod state;
mod window;

pub use config::{CorrelationConfig, TimeMode};
pub use state::{Clock, CorrelationState, CorrelationStats, CorrelationTable};

use crate::detect::{Match, RuleError, RuleSet, Severity};
use crate::error::Result;
use crate::event::Event;
use crate::sigma::CorrelationType;
use chrono::{DateTime, Utc};
use compile::{FieldRef, Plan, Use};
use group::Hit;
use key::Scalar;
use serde::{Deserialize, Serialize};
use state::Pending;
use std::collections::BTreeMap;

/// One match of a base rule and the event it matched: the correlator's input.
#[derive(Debug, Clone, Copy)]
pub struct RuleHit<'a> {
    /// The match (its `rule_id` says which correlations it feeds).
    pub matched: &'a Match,
    /// The matched event (group-by and value fields are read from it).
    pub event: &'a Event,
}

impl<'a> RuleHit<'a> {
    /// The hit of `matched` on `event`.
    pub fn new(matched: &'a Match, event: &'a Event) -> RuleHit<'a> {
        RuleHit { matched, event }
    }
}

/// One firing of a correlation (JSON keys in snake_case; times RFC 3339 UTC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationMatch {
    /// The correlation's id, else its name, else its title.
    pub rule_id: String,
    /// The correlation's title.
    pub title: String,
    /// Its Sigma level: its own, else the highest of the rules it references, else
    /// `informational`.
    pub level: String,
    /// The finmark severity of that level.
    pub severity: Severity,
    /// Always true: tells firings from single-event matches where both are listed.
    pub correlation: bool,
    /// The correlation type.
    #[serde(rename = "type")]
    pub kind: CorrelationType,
    /// The group: each group-by name (field or alias) with its value as text.
    pub group: BTreeMap<String, String>,
    /// The time of the oldest hit in the window.
    pub first_time: DateTime<Utc>,
    /// The time of the hit it fired at.
    pub last_time: DateTime<Utc>,
    /// The events in the window (for a chain, the events behind the inner firings).
    pub events: u64,
    /// The window's value that met the condition (count, sum, average, percentile...).
    pub value: f64,
    /// The newest event ids of the window, oldest first, at most
    /// [`CorrelationConfig::max_evidence`].
    pub event_ids: Vec<String>,
    /// The rule ids of the referenced rules and correlations, in `rules` order.
    pub rules: Vec<String>,
    /// The correlation's tags.
    pub tags: Vec<String>,
}

/// Compiled correlations, ready to advance a [`CorrelationState`].
#[derive(Debug, Clone)]
pub struct Correlator {
    plan: Plan,
    config: CorrelationConfig,
}

impl Correlator {
    /// Compiles the correlations of `rules` against its compiled rules, referenced by id or
    /// name. A correlation that references no loaded rule, is on a reference cycle or takes
    /// the firings of a rejected correlation is left out and listed in
    /// [`Correlator::rejected`] with its file. Fails only for a config with a zero limit.
    pub fn new(rules: &RuleSet, config: CorrelationConfig) -> Result<Correlator> {
        config.validate()?;
        Ok(Correlator {
            plan: compile::plan(rules.rule_identities(), rules.correlations()),
            config,
        })
    }

    /// The rule ids of the compiled correlations, which key their tables in a
    /// [`CorrelationState`].
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.plan.nodes.iter().map(|n| n.id.as_str())
    }

    /// The correlations that could not be compiled, with their files and reasons.
    pub fn rejected(&self) -> &[RuleError] {
        &self.plan.rejected
    }

    /// The number of correlations compiled.
    pub fn len(&self) -> usize {
        self.plan.nodes.len()
    }

    /// True when no correlation compiled.
    pub fn is_empty(&self) -> bool {
        self.plan.nodes.is_empty()
    }

    /// The settings.
    pub fn config(&self) -> &CorrelationConfig {
        &self.config
    }

    /// Whether matches of the base rule (or firings of the correlation) with this rule id
    /// are meant to be reported on their own: true unless every correlation referencing it
    /// leaves out `generate: true`.
    pub fn is_standalone(&self, rule_id: &str) -> bool {
        !self.plan.helpers.contains(rule_id)
    }

    /// Whether hits of the base rule with this rule id feed any correlation.
    pub fn references(&self, rule_id: &str) -> bool {
        self.plan.route_of.contains_key(rule_id)
    }

    /// The fields the events of this base rule's hits must carry for the correlations (the
    /// group-by fields under their aliases and the value fields); empty for a rule no
    /// correlation references. Lets a caller keep only these fields of a hit's event.
    pub fn fields_of(&self, rule_id: &str) -> &[String] {
        self.plan
            .route_of
            .get(rule_id)
            .map_or(&[], |&r| self.plan.routes[r].fields.as_slice())
    }

    /// An empty state.
    pub fn new_state(&self) -> CorrelationState {
        CorrelationState::default()
    }

    /// Advances `state` by a batch of base-rule hits (in any order), in event time; returns
    /// the firings, in order. Same as [`Correlator::advance_at`] with the current time,
    /// which only processing-time mode reads.
    pub fn advance<'a>(
        &self,
        state: &mut CorrelationState,
        hits: impl IntoIterator<Item = RuleHit<'a>>,
    ) -> Vec<CorrelationMatch> {
        self.advance_at(state, hits, Utc::now())
    }

    /// Advances `state` by a batch of base-rule hits; `now` is the time hits go at in
    /// processing-time mode. Hits of rules no correlation references are ignored. The
    /// hits are put in order of time with those held from earlier calls, and every hit the
    /// allowed lateness lets go is processed.
    pub fn advance_at<'a>(
        &self,
        state: &mut CorrelationState,
        hits: impl IntoIterator<Item = RuleHit<'a>>,
        now: DateTime<Utc>,
    ) -> Vec<CorrelationMatch> {
        self.adopt(state);
        for hit in hits {
            self.hold(state, hit, now.timestamp_micros());
        }
        self.release(state, false)
    }

    /// Moves the event-time clock to `time` (the newest event of a batch that hit nothing,
    /// say), letting go the held hits the allowed lateness allows; returns their firings.
    pub fn observe(
        &self,
        state: &mut CorrelationState,
        time: DateTime<Utc>,
    ) -> Vec<CorrelationMatch> {
        self.adopt(state);
        state.clock.observe(time.timestamp_micros());
        self.release(state, false)
    }

    /// Processes every held hit (at the end of the input); returns their firings.
    pub fn flush(&self, state: &mut CorrelationState) -> Vec<CorrelationMatch> {
        self.adopt(state);
        self.release(state, true)
    }

    /// Fits a state (perhaps saved under other rules) to these correlations.
    fn adopt(&self, state: &mut CorrelationState) {
        state.clock.adopt_layout(self.plan.layout);
        state
            .tables
            .retain(|id, _| self.plan.nodes.iter().any(|n| n.id == *id));
        for node in &self.plan.nodes {
            let table = state
                .tables
                .entry(node.id.clone())
                .or_insert_with(|| CorrelationTable::new(node));
            if !table.fits(node) {
                *table = CorrelationTable::new(node);
            }
        }
    }

    /// Reads what the correlations need from one hit and holds it for ordering.
    fn hold(&self, state: &mut CorrelationState, hit: RuleHit<'_>, now: i64) {
        let Some(&route) = self.plan.route_of.get(&hit.matched.rule_id) else {
            return;
        };
        let time = match self.config.time {
            TimeMode::Event => hit.event.time.timestamp_micros(),
            TimeMode::Processing => state.clock.processing_time(now),
        };
        if !state.clock.admit(time) {
            return;
        }
        let values = self.plan.routes[route]
            .fields
            .iter()
            .map(|f| hit.event.get(f).and_then(Scalar::of))
            .collect();
        let seq = state.clock.next_seq();
        state.clock.hold(Pending {
            time,
            seq,
            route,
            event_id: hit.event.id.clone(),
            values,
        });
    }

    /// Processes the held hits the clock lets go (all of them with `all`).
    fn release(&self, state: &mut CorrelationState, all: bool) -> Vec<CorrelationMatch> {
        let lateness = match self.config.time {
            TimeMode::Event => self.config.lateness_us(),
            TimeMode::Processing => 0,
        };
        let mut out = Vec::new();
        while let Some(hit) = state.clock.release(lateness, self.config.max_pending, all) {
            let route = &self.plan.routes[hit.route];
            let ids = [hit.event_id];
            for use_ in &route.uses {
                let source = Source::Event(&hit.values);
                self.feed(state, use_, hit.time, 1, &ids, source, &mut out);
            }
        }
        if let Some(now) = state.clock.released() {
            for node in &self.plan.nodes {
                if let Some(table) = state.tables.get_mut(&node.id) {
                    table.expire(now.saturating_sub(node.timespan));
                }
            }
        }
        out
    }

    /// Gives one hit to the correlation of `use_`; its firing, if any, goes to `out` and on
    /// to the correlations over it.
    #[allow(clippy::too_many_arguments)]
    fn feed(
        &self,
        state: &mut CorrelationState,
        use_: &Use,
        time: i64,
        events: u64,
        ids: &[String],
        source: Source<'_>,
        out: &mut Vec<CorrelationMatch>,
    ) {
        let read = |f: &FieldRef| source.read(f);
        let node = &self.plan.nodes[use_.correlation];
        let Some(table) = state.tables.get_mut(&node.id) else {
            return;
        };
        let mut key = String::new();
        for field in &use_.group {
            match read(field) {
                Some(value) => key::push_part(&mut key, &value.text()),
                None => return table.count_skipped(),
            }
        }
        let value = use_.value.as_ref().map(&read);
        let (number, text) = match (node.kind, value) {
            (_, None) => (0.0, None),
            (_, Some(None)) => return table.count_skipped(),
            (CorrelationType::ValueCount, Some(Some(v))) => (0.0, Some(v.text())),
            (_, Some(Some(v))) => match v.number() {
                Some(n) => (n, None),
                None => return table.count_skipped(),
            },
        };
        let hit = Hit {
            time,
            number,
            text: text.as_deref(),
            positions: &use_.positions,
            events,
            ids,
        };
        let cutoff = time.saturating_sub(node.timespan);
        let group = table.group(node, &key, cutoff, self.config.max_groups);
        let Some(firing) = group.update(node, &hit, &self.config) else {
            return;
        };
        table.count_firing();
        let level = node.level;
        let found = CorrelationMatch {
            rule_id: node.id.clone(),
            title: node.title.clone(),
            level: level.map_or("informational", |l| l.as_str()).to_string(),
            severity: Severity::of_level(level),
            correlation: true,
            kind: node.kind,
            group: node
                .group_by
                .iter()
                .cloned()
                .zip(key::parts(&key).into_iter().map(str::to_string))
                .collect(),
            first_time: from_micros(firing.first_time),
            last_time: from_micros(time),
            events: firing.events,
            value: firing.value,
            event_ids: firing.ids,
            rules: node.rules.clone(),
            tags: node.tags.clone(),
        };
        if node.parents.is_empty() {
            return out.push(found);
        }
        let fields = firing_fields(&found);
        let (events, ids) = (found.events, found.event_ids.clone());
        out.push(found);
        for parent in &node.parents {
            let source = Source::Firing(&fields);
            self.feed(state, parent, time, events, &ids, source, out);
        }
    }
}

/// Where a hit's fields are read from.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// A base rule's event: the values its route extracted.
    Event(&'a [Option<Scalar>]),
    /// An inner correlation's firing: [`firing_fields`].
    Firing(&'a [(String, Scalar)]),
}

impl<'a> Source<'a> {
    fn read(self, field: &FieldRef) -> Option<&'a Scalar> {
        match (self, field) {
            (Source::Event(values), FieldRef::Slot(i)) => values.get(*i)?.as_ref(),
            (Source::Firing(fields), FieldRef::Name(name)) => {
                fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
            }
            _ => None,
        }
    }
}

/// The fields a firing shows to the correlations over it: its group, then `value` and
/// `events` (a group field of that name wins).
fn firing_fields(found: &CorrelationMatch) -> Vec<(String, Scalar)> {
    let mut fields: Vec<(String, Scalar)> = found
        .group
        .iter()
        .map(|(k, v)| (k.clone(), Scalar::Text(v.clone())))
        .collect();
    fields.push(("value".into(), Scalar::Float(found.value)));
    fields.push(("events".into(), Scalar::Int(found.events as i64)));
    fields
}

fn from_micros(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t).unwrap_or_default()
}

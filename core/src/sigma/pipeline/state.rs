//! What the pipelines applied to one document so far: the processing items applied to the
//! rule, which items produced which field names, and the variables in scope.

use std::collections::{BTreeMap, HashMap, HashSet};

/// Per-document processing state, shared by every pipeline applied to the document (as
/// pySigma does when it chains pipelines into one).
#[derive(Debug, Default)]
pub(crate) struct State {
    vars: BTreeMap<String, Vec<String>>,
    applied: HashSet<String>,
    fields: HashMap<String, HashSet<String>>,
}

impl State {
    /// A fresh state with the pipelines' variables (later pipelines override earlier ones).
    pub(crate) fn new(vars: BTreeMap<String, Vec<String>>) -> State {
        State {
            vars,
            ..State::default()
        }
    }

    /// The values of a variable.
    pub(crate) fn var(&self, name: &str) -> Option<&[String]> {
        self.vars.get(name).map(Vec::as_slice)
    }

    /// Records that the processing item `id` was applied to the rule.
    pub(crate) fn mark_rule_applied(&mut self, id: &str) {
        self.applied.insert(id.to_string());
    }

    /// Whether the processing item `id` was applied to the rule.
    pub(crate) fn rule_applied(&self, id: &str) -> bool {
        self.applied.contains(id)
    }

    /// Records that item `id` turned field `from` into `to`: the new names inherit what
    /// produced the old one, plus `id` (a name renamed in several places of a rule collects
    /// them all). A name mapped to itself is not a change.
    pub(crate) fn track_field(&mut self, from: &str, to: &[String], id: Option<&str>) {
        if to.len() == 1 && to[0] == from {
            return;
        }
        let mut producers = self.fields.remove(from).unwrap_or_default();
        if let Some(id) = id {
            producers.insert(id.to_string());
        }
        for name in to {
            self.fields
                .entry(name.clone())
                .or_default()
                .extend(producers.iter().cloned());
        }
    }

    /// Whether field `field` was produced by the processing item `id`.
    pub(crate) fn field_processed_by(&self, field: &str, id: &str) -> bool {
        self.fields.get(field).is_some_and(|ids| ids.contains(id))
    }
}

//! `add_condition`: a search ANDed to a rule's condition, the way pipelines restrict rules to
//! the events of their logsource.

use super::params::{Params, entries, scalar_text};
use crate::sigma::ast::{Condition, Detection, FieldItem, LogSource, Matcher, Pattern, Search};
use yaml_rust2::Yaml;

/// The parameters of `add_condition`.
#[derive(Debug, Clone)]
pub(crate) struct AddCondition {
    /// The search name; `_pipeline_N` when not given.
    name: Option<String>,
    /// Field and the values it may have (`None` for null).
    conditions: Vec<(String, Vec<Option<String>>)>,
    /// Substitute `$category`, `$product`, `$service` from the rule's logsource.
    template: bool,
    /// The search's items, built once when they do not depend on the rule.
    items: Option<Vec<FieldItem>>,
    /// Add `and not search` instead of `and search`.
    negated: bool,
}

impl AddCondition {
    /// Reads the parameters: `conditions`, `name`, `template`, `negated`.
    pub(crate) fn parse(p: &Params) -> Result<AddCondition, String> {
        let map = p.map("conditions")?.ok_or("'conditions' is required")?;
        let mut conditions = Vec::new();
        for (field, value) in entries(map).map_err(|e| format!("'conditions' {e}"))? {
            if field.contains('|') {
                return Err(format!(
                    "condition field '{field}': modifiers are not supported in add_condition"
                ));
            }
            let values = match value {
                Yaml::Null => vec![None],
                Yaml::Array(items) => items
                    .iter()
                    .map(|v| match v {
                        Yaml::Null => Ok(None),
                        v => scalar_text(v)
                            .map(Some)
                            .ok_or_else(|| format!("condition '{field}' must list scalars")),
                    })
                    .collect::<Result<_, _>>()?,
                v => vec![Some(scalar_text(v).ok_or_else(|| {
                    format!("condition '{field}' must be a scalar or a list of scalars")
                })?)],
            };
            conditions.push((field.to_string(), values));
        }
        let mut add = AddCondition {
            name: p.text("name")?,
            conditions,
            template: p.flag("template", false)?,
            negated: p.flag("negated", false)?,
            items: None,
        };
        if !add.template {
            add.items = Some(add.build_items(&LogSource::default()));
        }
        Ok(add)
    }

    /// The items of the added search for a rule with this logsource.
    fn build_items(&self, logsource: &LogSource) -> Vec<FieldItem> {
        self.conditions
            .iter()
            .map(|(field, values)| FieldItem {
                field: Some(field.clone()),
                modifiers: Vec::new(),
                matchers: values
                    .iter()
                    .map(|v| match v {
                        None => Matcher::Null,
                        Some(text) if self.template => Matcher::Pattern {
                            pattern: Pattern::parse(&substitute(text, logsource)),
                            cased: false,
                        },
                        Some(text) => Matcher::Pattern {
                            pattern: Pattern::parse(text),
                            cased: false,
                        },
                    })
                    .collect(),
                all: false,
            })
            .collect()
    }

    /// Adds the search to a rule's detection and ANDs it to the condition.
    pub(crate) fn apply(&self, detection: &mut Detection, logsource: &LogSource) {
        let items = match &self.items {
            Some(items) => items.clone(),
            None => self.build_items(logsource),
        };
        let name = self.name.clone().unwrap_or_else(|| {
            // Of len + 1 candidates, one is free.
            (0..=detection.searches.len())
                .map(|n| format!("_pipeline_{n}"))
                .find(|n| detection.search(n).is_none())
                .unwrap_or_default()
        });
        let added = Condition::Search(name.clone());
        let added = if self.negated {
            Condition::Not(Box::new(added))
        } else {
            added
        };
        let old = std::mem::take(&mut detection.condition);
        detection.condition = Condition::And(vec![added, old]);
        detection.searches.push((name, Search::AllOf(items)));
    }
}

/// `$category`, `$product`, `$service` (or `${...}`) replaced from the logsource (empty when
/// the rule does not give it); `$$` is a literal `$`.
fn substitute(text: &str, logsource: &LogSource) -> String {
    let value = |name: &str| -> Option<String> {
        match name {
            "category" => Some(logsource.category.clone().unwrap_or_default()),
            "product" => Some(logsource.product.clone().unwrap_or_default()),
            "service" => Some(logsource.service.clone().unwrap_or_default()),
            _ => None,
        }
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
            continue;
        }
        let (name, tail, braced) = match after.strip_prefix('{') {
            Some(inner) => match inner.find('}') {
                Some(end) => (&inner[..end], &inner[end + 1..], true),
                None => ("", after, false),
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..], false)
            }
        };
        match value(name) {
            Some(v) => {
                out.push_str(&v);
                rest = tail;
            }
            None => {
                out.push('$');
                if braced {
                    out.push('{');
                }
                rest = if braced { &after[1..] } else { after };
            }
        }
    }
    out.push_str(rest);
    out
}

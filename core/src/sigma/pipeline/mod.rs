//! pySigma-compatible processing pipelines: field name mapping and logsource conditions, so
//! rules written in Sigma's taxonomy run on the events finmark actually has.
//!
//! A pipeline is YAML in pySigma's format:
//!
//! ```yaml
//! name: my fields
//! priority: 20            # lower priorities apply first; equal ones keep their order
//! vars:                   # values for `%name%` placeholders (value_placeholders)
//!   admins: [alice, bob]
//! transformations:
//!   - id: web_fields
//!     type: field_name_mapping
//!     mapping:
//!       c-ip: source.ip
//!       cs-host: [url.domain, destination.domain]   # either name may match (OR)
//!     rule_conditions:
//!       - type: logsource
//!         category: webserver
//! ```
//!
//! Transformations (pySigma names and meaning): `field_name_mapping`,
//! `field_name_prefix_mapping`, `field_name_prefix`, `field_name_suffix`, `add_condition`
//! (the search is named `_pipeline_N` unless `name` is given, so `1 of them` does not count
//! it), `change_logsource`, `replace_string`, `map_string`, `case` (`lower`/`upper`),
//! `set_value`, `value_placeholders`, `wildcard_placeholders`, `drop_detection_item`,
//! `rule_failure`, `detection_item_failure`, `add_field`, `remove_field`, `set_field`, `nest`;
//! `set_state`, `set_custom_attribute` and `convert_type` are accepted and change nothing here.
//! `query_expression_placeholders` is rejected: it inserts backend query text. `postprocessing`
//! and `finalizers` sections act on generated queries and are ignored.
//!
//! Conditions: rule conditions `logsource`, `contains_field`, `contains_detection_item`,
//! `processing_item_applied`, `is_sigma_rule`, `is_sigma_correlation_rule`, `tag`; detection
//! item conditions `match_string`, `match_value`, `is_null`, `contains_wildcard`,
//! `processing_item_applied`; field name conditions `include_fields`, `exclude_fields` (`mode:
//! plain` or `re`), `processing_item_applied`. Each kind combines with `*_cond_op` (`and`,
//! `or`), `*_cond_not`, or a `*_cond_expr` expression over named conditions. Regular
//! expressions use the syntax of the `regex` crate (Python's for the common subset) and, as
//! in pySigma, match at the start of the text.
//!
//! Without a pipeline, a rule's logsource does not restrict which events it sees; the shipped
//! pipelines ([`Pipeline::builtin_names`]) add the conditions that do.

mod add_condition;
mod builtin;
mod conditions;
mod expr;
mod item;
mod params;
mod placeholders;
mod rename;
mod state;
mod transform;
mod values;
mod walk;

pub use item::ProcessingItem;

use crate::error::{Error, ErrorKind, Result};
use crate::sigma::ast::{Document, LogSource, Origin};
use params::{Params, describe, entries, text_or_list};
use state::State;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use yaml_rust2::{Yaml, YamlLoader};

/// A processing pipeline: ordered transformations applied to rules before compilation.
///
/// ```
/// use finmark::sigma::Pipeline;
/// let p = Pipeline::from_yaml("
/// name: rename
/// priority: 20
/// transformations:
///   - type: field_name_mapping
///     mapping: {c-ip: source.ip}
/// ", "inline.yml")?;
/// assert_eq!((p.name.as_str(), p.priority, p.transformations.len()), ("rename", 20, 1));
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    /// The pipeline's `name`; the label it was loaded from when it has none.
    pub name: String,
    /// Lower priorities apply first.
    pub priority: i64,
    /// Values of the placeholders that `value_placeholders` replaces.
    pub vars: BTreeMap<String, Vec<String>>,
    /// The processing items, in order.
    pub transformations: Vec<ProcessingItem>,
}

/// A document a pipeline rejected (`rule_failure`, an unknown placeholder, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineRejection {
    /// Where the document came from.
    pub origin: Origin,
    /// Which rule, pipeline and transformation, and what went wrong.
    pub reason: String,
}

impl std::fmt::Display for PipelineRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}

impl Pipeline {
    /// Parses a pipeline from YAML; `label` (a file name or `<string>`) names it in errors.
    ///
    /// Errors are [`ErrorKind::InvalidRule`] and name the label, the transformation (its
    /// position and `id`) and what is wrong, for example an unsupported transformation type.
    pub fn from_yaml(text: &str, label: &str) -> Result<Pipeline> {
        let fail = |message: String| Error::invalid_rule(format!("{label}: {message}"));
        let docs =
            YamlLoader::load_from_str(text).map_err(|e| fail(format!("invalid YAML: {e}")))?;
        let [doc] = docs.as_slice() else {
            return Err(fail(format!(
                "a pipeline file holds one YAML document, not {}",
                docs.len()
            )));
        };
        Self::from_document(doc, label).map_err(fail)
    }

    fn from_document(doc: &Yaml, label: &str) -> Result<Pipeline, String> {
        let p = Params::new(doc, "pipeline")?;
        p.allow(&["postprocessing", "finalizers", "allowed_backends"]);
        let priority = match p.get("priority") {
            None => 0,
            Some(Yaml::Integer(i)) => *i,
            Some(v) => {
                return Err(format!(
                    "'priority' must be an integer, not {}",
                    describe(v)
                ));
            }
        };
        let mut vars = BTreeMap::new();
        if let Some(map) = p.map("vars")? {
            for (name, value) in entries(map).map_err(|e| format!("'vars' {e}"))? {
                let values = text_or_list(value).map_err(|e| format!("variable '{name}' {e}"))?;
                vars.insert(name.to_string(), values);
            }
        }
        let transformations = match p.get("transformations") {
            None => Vec::new(),
            Some(Yaml::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    ProcessingItem::parse(item)
                        .map_err(|e| format!("transformation #{}: {e}", i + 1))
                })
                .collect::<Result<_, _>>()?,
            Some(v) => {
                return Err(format!(
                    "'transformations' must be a list, not {}",
                    describe(v)
                ));
            }
        };
        let name = p.text("name")?.unwrap_or_else(|| label.to_string());
        p.finish()?;
        Ok(Pipeline {
            name,
            priority,
            vars,
            transformations,
        })
    }

    /// Reads a pipeline file.
    pub fn load(path: impl AsRef<Path>) -> Result<Pipeline> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            let kind = if e.kind() == std::io::ErrorKind::NotFound {
                ErrorKind::NotFound
            } else {
                ErrorKind::InvalidRule
            };
            Error::new(
                kind,
                format!("{}: cannot read pipeline: {e}", path.display()),
            )
        })?;
        Self::from_yaml(&text, &path.display().to_string())
    }

    /// A pipeline shipped with finmark, by name (see [`Pipeline::builtin_names`]).
    pub fn builtin(name: &str) -> Option<Pipeline> {
        builtin::get(name)
    }

    /// The names of the shipped pipelines.
    pub fn builtin_names() -> &'static [&'static str] {
        builtin::NAMES
    }

    /// A shipped pipeline if `spec` names one, else the pipeline file at path `spec`: what
    /// command lines and bindings pass straight through.
    pub fn named_or_file(spec: &str) -> Result<Pipeline> {
        if let Some(p) = Self::builtin(spec) {
            return Ok(p);
        }
        if Path::new(spec).exists() {
            return Self::load(spec);
        }
        Err(Error::new(
            ErrorKind::NotFound,
            format!(
                "'{spec}' is neither a shipped pipeline ({}) nor a pipeline file",
                builtin::NAMES.join(", ")
            ),
        ))
    }

    /// Applies the pipeline to one document. Logsource conditions never hold for a
    /// correlation here, since its rules are not at hand; [`apply_to_all`] resolves them.
    ///
    /// On error the document may be partly transformed and should be dropped.
    pub fn apply(&self, doc: &mut Document) -> Result<()> {
        apply_pipelines(std::slice::from_ref(self), doc)
    }
}

/// Applies pipelines to one document in priority order (stable for equal priorities), with
/// one state across them, as pySigma does when it chains pipelines: `processing_item_applied`
/// sees items of earlier pipelines, and `vars` of later pipelines override earlier ones.
pub fn apply_pipelines(pipelines: &[Pipeline], doc: &mut Document) -> Result<()> {
    let ordered = by_priority(pipelines);
    apply_ordered(&ordered, doc, &[])
        .map_err(|reason| Error::invalid_rule(format!("{}: {reason}", doc.meta().origin)))
}

/// Applies pipelines (as [`apply_pipelines`]) to every document. A correlation meets
/// logsource conditions through the rules it references (directly or through other
/// correlations), as their logsources were before any pipeline ran. The documents a pipeline
/// rejects are removed from `documents` and returned with the reason.
pub fn apply_to_all(
    pipelines: &[Pipeline],
    documents: &mut Vec<Document>,
) -> Vec<PipelineRejection> {
    let ordered = by_priority(pipelines);
    let mut referenced = referenced_logsources(documents).into_iter();
    let mut rejected = Vec::new();
    documents.retain_mut(|doc| {
        let referenced = referenced.next().unwrap_or_default();
        match apply_ordered(&ordered, doc, &referenced) {
            Ok(()) => true,
            Err(reason) => {
                rejected.push(PipelineRejection {
                    origin: doc.meta().origin.clone(),
                    reason,
                });
                false
            }
        }
    });
    rejected
}

fn by_priority(pipelines: &[Pipeline]) -> Vec<&Pipeline> {
    let mut ordered: Vec<&Pipeline> = pipelines.iter().collect();
    ordered.sort_by_key(|p| p.priority);
    ordered
}

fn apply_ordered(
    pipelines: &[&Pipeline],
    doc: &mut Document,
    referenced: &[LogSource],
) -> Result<(), String> {
    let mut vars = BTreeMap::new();
    for p in pipelines {
        vars.extend(p.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let mut state = State::new(vars);
    for p in pipelines {
        for (i, item) in p.transformations.iter().enumerate() {
            item.apply(doc, referenced, &mut state).map_err(|e| {
                let id = item
                    .id
                    .as_deref()
                    .map(|id| format!(" (id '{id}')"))
                    .unwrap_or_default();
                format!(
                    "rule '{}': pipeline '{}', transformation #{}{id}: {e}",
                    doc.meta().identifier(),
                    p.name,
                    i + 1
                )
            })?;
        }
    }
    Ok(())
}

/// For each document, the logsources of the rules it references if it is a correlation
/// (through other correlations too), as they are before any pipeline runs; empty otherwise.
fn referenced_logsources(documents: &[Document]) -> Vec<Vec<LogSource>> {
    if !documents
        .iter()
        .any(|d| matches!(d, Document::Correlation(_)))
    {
        return Vec::new();
    }
    let mut by_reference: HashMap<&str, &Document> = HashMap::new();
    for doc in documents {
        let meta = doc.meta();
        for key in meta.id.iter().chain(meta.name.iter()) {
            by_reference.insert(key, doc);
        }
    }
    documents
        .iter()
        .map(|doc| {
            let Document::Correlation(c) = doc else {
                return Vec::new();
            };
            let mut found = Vec::new();
            let mut seen = HashSet::new();
            let mut pending: Vec<&str> = c.rules.iter().map(String::as_str).collect();
            while let Some(reference) = pending.pop() {
                if !seen.insert(reference) {
                    continue;
                }
                match by_reference.get(reference) {
                    Some(Document::Rule(r)) => found.push(r.meta.logsource.clone()),
                    Some(Document::Correlation(c)) => {
                        pending.extend(c.rules.iter().map(String::as_str));
                    }
                    Some(Document::Filter(_)) | None => {}
                }
            }
            found
        })
        .collect()
}

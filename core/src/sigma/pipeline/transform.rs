//! The transformations a processing item can apply, read from YAML under their pySigma names,
//! and what each does to a document.

use super::add_condition::AddCondition;
use super::item::ProcessingItem;
use super::params::{Params, entries, scalar_text, text_or_list};
use super::placeholders::{PlaceholderScope, replace_placeholders};
use super::rename::rename_fields;
use super::state::State;
use super::values::{Replacement, plain_view, python_replacement};
use super::walk::{Outcome, detection_of, meta_mut, rewrite_items};
use crate::sigma::ast::{Document, FieldItem, LogSource, Matcher, Pattern, PatternPart};
use regex::Regex;
use std::collections::HashMap;
use yaml_rust2::Yaml;

/// One transformation with its parameters.
#[derive(Debug, Clone)]
pub(crate) enum Transformation {
    /// `field_name_mapping`: exact names to one or several names.
    FieldNameMapping(HashMap<String, Vec<String>>),
    /// `field_name_prefix_mapping`: the first listed prefix a name starts with is replaced.
    FieldNamePrefixMapping(Vec<(String, Vec<String>)>),
    /// `field_name_prefix`: every field name gets the prefix.
    FieldNamePrefix(String),
    /// `field_name_suffix`: every field name gets the suffix.
    FieldNameSuffix(String),
    /// `add_condition`: a search ANDed (or, `negated`, AND NOTed) to the rule's condition.
    AddCondition(AddCondition),
    /// `change_logsource`: the rule's logsource becomes this one.
    ChangeLogsource(LogSource),
    /// `replace_string`: regular expression replacement in string values.
    ReplaceString(Replacement),
    /// `map_string`: whole string values to one or several others.
    MapString(HashMap<String, Vec<String>>),
    /// `case`: string values to lower (`true`) or upper case (`false`).
    Case { lower: bool },
    /// `set_value`: every value of an item becomes this one.
    SetValue(Matcher),
    /// `value_placeholders` (`wildcard: false`) or `wildcard_placeholders` (`true`).
    Placeholders(PlaceholderScope, bool),
    /// `drop_detection_item`: the items the conditions select are removed.
    DropDetectionItem,
    /// `rule_failure`: the rule is rejected with the message.
    RuleFailure(String),
    /// `detection_item_failure`: the rule is rejected if an item the conditions select exists.
    DetectionItemFailure(String),
    /// `add_field`, `remove_field`, `set_field`: the rule's `fields` list.
    Fields(FieldsChange, Vec<String>),
    /// `nest`: processing items applied in turn when this item's rule conditions hold.
    Nest(Vec<ProcessingItem>),
    /// `set_state`, `set_custom_attribute`, `convert_type` (the name): accepted, nothing to do
    /// here (they steer query backends, and finmark compares values as text and as numbers).
    NoEffect(&'static str),
}

/// How `add_field`, `remove_field` and `set_field` change a rule's `fields`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FieldsChange {
    Add,
    Remove,
    Set,
}
impl Transformation {
    /// Reads the transformation of type `kind` from the processing item's keys.
    pub(crate) fn parse(kind: &str, p: &Params) -> Result<Transformation, String> {
        Ok(match kind {
            "field_name_mapping" => Transformation::FieldNameMapping(
                name_mapping(p.map("mapping")?.ok_or("'mapping' is required")?)?
                    .into_iter()
                    .collect(),
            ),
            "field_name_prefix_mapping" => Transformation::FieldNamePrefixMapping(name_mapping(
                p.map("mapping")?.ok_or("'mapping' is required")?,
            )?),
            "field_name_prefix" => Transformation::FieldNamePrefix(p.required_text("prefix")?),
            "field_name_suffix" => Transformation::FieldNameSuffix(p.required_text("suffix")?),
            "add_condition" => Transformation::AddCondition(AddCondition::parse(p)?),
            "change_logsource" => Transformation::ChangeLogsource(LogSource {
                category: p.text("category")?,
                product: p.text("product")?,
                service: p.text("service")?,
                definition: None,
            }),
            "replace_string" => Transformation::ReplaceString(Replacement {
                regex: Regex::new(&p.required_text("regex")?)
                    .map_err(|e| format!("invalid 'regex': {e}"))?,
                with: python_replacement(&p.required_text("replacement")?)?,
                skip_special: p.flag("skip_special", false)?,
                interpret_special: p.flag("interpret_special", false)?,
            }),
            "map_string" => Transformation::MapString(
                name_mapping(p.map("mapping")?.ok_or("'mapping' is required")?)?
                    .into_iter()
                    .collect(),
            ),
            "case" => match p.text("method")?.as_deref() {
                None | Some("lower") => Transformation::Case { lower: true },
                Some("upper") => Transformation::Case { lower: false },
                Some(other) => {
                    return Err(format!(
                        "'method' must be 'lower' or 'upper' (snake_case is not supported), not '{other}'"
                    ));
                }
            },
            "set_value" => {
                // `force_type` (str or num) changes nothing: values compare as text and as
                // numbers alike.
                p.text("force_type")?;
                Transformation::SetValue(match p.get("value") {
                    None => Matcher::Null,
                    Some(v) => Matcher::Pattern {
                        pattern: Pattern::parse(
                            &scalar_text(v).ok_or("'value' must be a string or a number")?,
                        ),
                        cased: false,
                    },
                })
            }
            "value_placeholders" | "wildcard_placeholders" => Transformation::Placeholders(
                PlaceholderScope::parse(p)?,
                kind == "wildcard_placeholders",
            ),
            "query_expression_placeholders" => {
                return Err(
                    "query_expression_placeholders inserts query text of a search \
                            backend, which finmark does not generate: resolve the placeholder \
                            with value_placeholders instead"
                        .into(),
                );
            }
            "drop_detection_item" => Transformation::DropDetectionItem,
            "rule_failure" => Transformation::RuleFailure(p.required_text("message")?),
            "detection_item_failure" => {
                Transformation::DetectionItemFailure(p.required_text("message")?)
            }
            "add_field" | "remove_field" => {
                let fields = p.text_list("field")?.ok_or("'field' is required")?;
                let change = if kind == "add_field" {
                    FieldsChange::Add
                } else {
                    FieldsChange::Remove
                };
                Transformation::Fields(change, fields)
            }
            "set_field" => Transformation::Fields(
                FieldsChange::Set,
                p.text_list("fields")?.ok_or("'fields' is required")?,
            ),
            "nest" => {
                let Some(Yaml::Array(items)) = p.get("items") else {
                    return Err("'items' must list processing items".into());
                };
                Transformation::Nest(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            ProcessingItem::parse(item)
                                .map_err(|e| format!("nested transformation #{}: {e}", i + 1))
                        })
                        .collect::<Result<_, _>>()?,
                )
            }
            "set_state" => {
                p.allow(&["key", "val", "value"]);
                Transformation::NoEffect("set_state")
            }
            "set_custom_attribute" => {
                p.allow(&["attribute", "value"]);
                Transformation::NoEffect("set_custom_attribute")
            }
            "convert_type" => {
                p.allow(&["target_type"]);
                Transformation::NoEffect("convert_type")
            }
            other => return Err(format!("unsupported transformation type '{other}'")),
        })
    }

    /// The pySigma name of the transformation.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Transformation::FieldNameMapping(_) => "field_name_mapping",
            Transformation::FieldNamePrefixMapping(_) => "field_name_prefix_mapping",
            Transformation::FieldNamePrefix(_) => "field_name_prefix",
            Transformation::FieldNameSuffix(_) => "field_name_suffix",
            Transformation::AddCondition(_) => "add_condition",
            Transformation::ChangeLogsource(_) => "change_logsource",
            Transformation::ReplaceString(_) => "replace_string",
            Transformation::MapString(_) => "map_string",
            Transformation::Case { .. } => "case",
            Transformation::SetValue(_) => "set_value",
            Transformation::Placeholders(_, false) => "value_placeholders",
            Transformation::Placeholders(_, true) => "wildcard_placeholders",
            Transformation::DropDetectionItem => "drop_detection_item",
            Transformation::RuleFailure(_) => "rule_failure",
            Transformation::DetectionItemFailure(_) => "detection_item_failure",
            Transformation::Fields(FieldsChange::Add, _) => "add_field",
            Transformation::Fields(FieldsChange::Remove, _) => "remove_field",
            Transformation::Fields(FieldsChange::Set, _) => "set_field",
            Transformation::Nest(_) => "nest",
            Transformation::NoEffect(kind) => kind,
        }
    }

    /// Applies the transformation to `doc`; `item` holds the detection item and field name
    /// conditions. Rule conditions were checked by the caller.
    pub(crate) fn apply(
        &self,
        item: &ProcessingItem,
        doc: &mut Document,
        referenced: &[LogSource],
        state: &mut State,
    ) -> Result<(), String> {
        if let Some(rename) = self.renamer() {
            return rename_fields(&rename, item, doc, state);
        }
        match self {
            Transformation::AddCondition(add) => {
                if let Some((detection, logsource)) = detection_of(doc) {
                    add.apply(detection, logsource);
                }
            }
            Transformation::ChangeLogsource(new) => {
                let meta = meta_mut(doc);
                meta.logsource = LogSource {
                    definition: meta.logsource.definition.take(),
                    ..new.clone()
                };
            }
            Transformation::RuleFailure(message) => return Err(message.clone()),
            Transformation::Fields(change, fields) => {
                let list = &mut meta_mut(doc).fields;
                match change {
                    FieldsChange::Add => list.extend(fields.iter().cloned()),
                    FieldsChange::Remove => list.retain(|f| !fields.contains(f)),
                    FieldsChange::Set => *list = fields.clone(),
                }
            }
            Transformation::Nest(items) => {
                for (i, nested) in items.iter().enumerate() {
                    nested
                        .apply(doc, referenced, state)
                        .map_err(|e| format!("nested transformation #{}: {e}", i + 1))?;
                }
            }
            Transformation::NoEffect(_) => {}
            _ => {
                if let Some((detection, _)) = detection_of(doc) {
                    rewrite_items(detection, &mut |fi| {
                        if !item.applies_to_item(fi, state) {
                            return Ok(Outcome::Keep);
                        }
                        self.rewrite_item(fi, state)
                    })?;
                }
            }
        }
        Ok(())
    }

    /// What a detection item transformation does to an item its conditions selected.
    fn rewrite_item(&self, fi: &mut FieldItem, state: &State) -> Result<Outcome, String> {
        match self {
            Transformation::DropDetectionItem => return Ok(Outcome::Drop),
            Transformation::DetectionItemFailure(message) => return Err(message.clone()),
            Transformation::SetValue(value) => fi.matchers = vec![value.clone()],
            _ => {
                let mut values = Vec::with_capacity(fi.matchers.len());
                for m in std::mem::take(&mut fi.matchers) {
                    values.extend(self.transform_value(m, state)?);
                }
                fi.matchers = values;
            }
        }
        Ok(Outcome::Keep)
    }

    /// What a value transformation makes of one value: the values that replace it. The
    /// alternatives of a value (`windash`, `base64offset`) and negated values (`neq`) are
    /// transformed inside.
    fn transform_value(&self, value: Matcher, state: &State) -> Result<Vec<Matcher>, String> {
        match value {
            Matcher::AnyOf(alternatives) => {
                let mut transformed = Vec::with_capacity(alternatives.len());
                for a in alternatives {
                    transformed.extend(self.transform_value(a, state)?);
                }
                return Ok(vec![any_of(transformed)]);
            }
            Matcher::Not(inner) => {
                let transformed = self.transform_value(*inner, state)?;
                return Ok(vec![Matcher::Not(Box::new(any_of(transformed)))]);
            }
            _ => {}
        }
        if let Transformation::Placeholders(scope, wildcard) = self {
            return replace_placeholders(value, scope, *wildcard, state);
        }
        let Matcher::Pattern { pattern, cased } = value else {
            return Ok(vec![value]);
        };
        let patterns = match self {
            Transformation::ReplaceString(replacement) => {
                vec![replacement.apply(&pattern).unwrap_or(pattern)]
            }
            Transformation::MapString(mapping) => match mapping.get(&plain_view(&pattern)) {
                Some(values) => values.iter().map(|v| Pattern::parse(v)).collect(),
                None => vec![pattern],
            },
            Transformation::Case { lower } => vec![change_case(pattern, *lower)],
            _ => vec![pattern],
        };
        Ok(patterns
            .into_iter()
            .map(|pattern| Matcher::Pattern { pattern, cased })
            .collect())
    }

    /// For the field name transformations, the function that renames one field: `None`
    /// leaves the name as it is.
    fn renamer(&self) -> Option<impl Fn(&str) -> Option<Vec<String>> + '_> {
        let applies = matches!(
            self,
            Transformation::FieldNameMapping(_)
                | Transformation::FieldNamePrefixMapping(_)
                | Transformation::FieldNamePrefix(_)
                | Transformation::FieldNameSuffix(_)
        );
        applies.then_some(move |field: &str| match self {
            Transformation::FieldNameMapping(map) => map.get(field).cloned(),
            Transformation::FieldNamePrefixMapping(prefixes) => {
                prefixes.iter().find_map(|(prefix, targets)| {
                    field
                        .strip_prefix(prefix.as_str())
                        .map(|rest| targets.iter().map(|t| format!("{t}{rest}")).collect())
                })
            }
            Transformation::FieldNamePrefix(prefix) => Some(vec![format!("{prefix}{field}")]),
            Transformation::FieldNameSuffix(suffix) => Some(vec![format!("{field}{suffix}")]),
            _ => None,
        })
    }
}

/// One value, or the alternatives of several.
fn any_of(values: Vec<Matcher>) -> Matcher {
    match <[Matcher; 1]>::try_from(values) {
        Ok([one]) => one,
        Err(values) => Matcher::AnyOf(values),
    }
}

/// The pattern with its literal text in lower or upper case.
fn change_case(pattern: Pattern, lower: bool) -> Pattern {
    Pattern {
        parts: pattern
            .parts
            .into_iter()
            .map(|part| match part {
                PatternPart::Literal(text) if lower => PatternPart::Literal(text.to_lowercase()),
                PatternPart::Literal(text) => PatternPart::Literal(text.to_uppercase()),
                other => other,
            })
            .collect(),
    }
}

/// A `name: target` or `name: [targets]` mapping, in order; targets may not be empty.
fn name_mapping(map: &yaml_rust2::yaml::Hash) -> Result<Vec<(String, Vec<String>)>, String> {
    entries(map)
        .map_err(|e| format!("'mapping' {e}"))?
        .into_iter()
        .map(|(from, to)| {
            let targets = text_or_list(to).map_err(|e| format!("mapping of '{from}' {e}"))?;
            if targets.is_empty() {
                return Err(format!("'{from}' is mapped to an empty list"));
            }
            Ok((from.to_string(), targets))
        })
        .collect()
}

//! When a processing item applies: rule conditions, detection item conditions and field name
//! conditions, combined with `and`/`or`, negation, or a condition expression such as
//! `windows and not (a or b)` (pySigma's `rule_cond_expr`).

use super::expr::{Expr, parse_expression};
use super::params::{Params, describe, entries, text_or_list};
use super::state::State;
use super::values::plain_view;
use crate::sigma::ast::{Document, FieldItem, LogSource, Matcher, Pattern, Search};
use regex::Regex;
use std::cell::OnceCell;
use std::collections::HashSet;
use yaml_rust2::Yaml;

/// Named conditions and how they combine. Empty sets always hold.
#[derive(Debug, Clone)]
pub(crate) struct ConditionSet<C> {
    conditions: Vec<(String, C)>,
    logic: Logic,
    negated: bool,
}

#[derive(Debug, Clone)]
enum Logic {
    All,
    Any,
    Expression(Expr),
}

impl<C> Default for ConditionSet<C> {
    fn default() -> Self {
        ConditionSet {
            conditions: Vec::new(),
            logic: Logic::All,
            negated: false,
        }
    }
}

impl<C> ConditionSet<C> {
    /// Whether the set holds, `test` deciding each condition.
    pub(crate) fn holds(&self, mut test: impl FnMut(&C) -> bool) -> bool {
        if self.conditions.is_empty() {
            return true;
        }
        let result = match &self.logic {
            Logic::All => self.conditions.iter().all(|(_, c)| test(c)),
            Logic::Any => self.conditions.iter().any(|(_, c)| test(c)),
            Logic::Expression(e) => e.eval(&mut |i| test(&self.conditions[i].1)),
        };
        result != self.negated
    }

    /// Whether there are no conditions.
    pub(crate) fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    /// Reads `<prefix>_conditions`, `<prefix>_cond_op`, `<prefix>_cond_not` and
    /// `<prefix>_cond_expr` from a processing item, parsing each condition with `parse`.
    pub(crate) fn parse<'a>(
        item: &Params<'a>,
        keys: [&'a str; 4],
        parse: impl Fn(&str, &Params) -> Result<C, String>,
    ) -> Result<ConditionSet<C>, String> {
        let [list_key, op_key, not_key, expr_key] = keys;
        let negated = item.flag(not_key, false)?;
        let op = item.text(op_key)?;
        let expression = item.text(expr_key)?;
        let conditions: Vec<(String, C)> = match item.get(list_key) {
            None => Vec::new(),
            Some(Yaml::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let name = (i + 1).to_string();
                    parse_one(c, &parse).map(|c| (name, c))
                })
                .collect::<Result<_, String>>()
                .map_err(|e| format!("{list_key}: {e}"))?,
            Some(Yaml::Hash(map)) => entries(map)
                .map_err(|e| format!("{list_key}: {e}"))?
                .into_iter()
                .map(|(name, c)| {
                    parse_one(c, &parse)
                        .map(|c| (name.to_string(), c))
                        .map_err(|e| format!("{list_key} '{name}': {e}"))
                })
                .collect::<Result<_, String>>()?,
            Some(other) => {
                return Err(format!(
                    "'{list_key}' must be a list or a mapping, not {}",
                    describe(other)
                ));
            }
        };
        let logic = match (op.as_deref(), expression) {
            (Some(_), Some(_)) => {
                return Err(format!("'{op_key}' and '{expr_key}' exclude each other"));
            }
            (None | Some("and"), None) => Logic::All,
            (Some("or"), None) => Logic::Any,
            (Some(other), None) => {
                return Err(format!("'{op_key}' must be 'and' or 'or', not '{other}'"));
            }
            (None, Some(text)) => {
                if !matches!(item.get(list_key), Some(Yaml::Hash(_))) {
                    return Err(format!(
                        "'{expr_key}' needs '{list_key}' as a mapping from names to conditions"
                    ));
                }
                let names: Vec<&str> = conditions.iter().map(|(n, _)| n.as_str()).collect();
                let expr = parse_expression(&text, &names)
                    .map_err(|e| format!("'{expr_key}' '{text}': {e}"))?;
                let mut used = vec![false; names.len()];
                expr.mark_used(&mut used);
                if let Some(unused) = used.iter().position(|u| !u) {
                    return Err(format!(
                        "'{expr_key}' does not use condition '{}'",
                        names[unused]
                    ));
                }
                Logic::Expression(expr)
            }
        };
        Ok(ConditionSet {
            conditions,
            logic,
            negated,
        })
    }
}

fn parse_one<C>(
    value: &Yaml,
    parse: &impl Fn(&str, &Params) -> Result<C, String>,
) -> Result<C, String> {
    let params = Params::new(value, "condition")?;
    let kind = params
        .text("type")?
        .ok_or_else(|| "a condition needs a 'type'".to_string())?;
    let condition = parse(&kind, &params)?;
    params.finish()?;
    Ok(condition)
}

/// What a rule condition looks at.
pub(crate) struct RuleView<'a> {
    /// The document being processed.
    document: &'a Document,
    /// For a correlation, the logsources of the rules it references (transitively).
    referenced: &'a [LogSource],
    /// What the pipelines did so far.
    state: &'a State,
    /// The fields the detection items use, gathered on the first `contains_field`.
    fields: OnceCell<HashSet<&'a str>>,
}

impl<'a> RuleView<'a> {
    /// A view of `document` as it is now.
    pub(crate) fn new(
        document: &'a Document,
        referenced: &'a [LogSource],
        state: &'a State,
    ) -> RuleView<'a> {
        RuleView {
            document,
            referenced,
            state,
            fields: OnceCell::new(),
        }
    }

    fn uses_field(&self, field: &str) -> bool {
        self.fields
            .get_or_init(|| {
                let mut fields = HashSet::new();
                any_item(self.document, &mut |item| {
                    fields.extend(item.field.as_deref());
                    false
                });
                fields
            })
            .contains(field)
    }
}

/// A condition on a whole rule (`rule_conditions`).
#[derive(Debug, Clone)]
pub(crate) enum RuleCondition {
    /// `logsource`: every given part equals the rule's (case-insensitively); a correlation
    /// matches when one of the rules it references does.
    Logsource(LogSource),
    /// `contains_field`: some detection item uses the field.
    ContainsField(String),
    /// `contains_detection_item`: some detection item on the field has the value.
    ContainsDetectionItem { field: String, value: Pattern },
    /// `processing_item_applied`: the item with this id was applied to the rule.
    ProcessingItemApplied(String),
    /// `is_sigma_rule`: a detection rule (or filter).
    IsSigmaRule,
    /// `is_sigma_correlation_rule`: a correlation rule.
    IsSigmaCorrelationRule,
    /// `tag`: the rule has the tag.
    Tag(String),
}

impl RuleCondition {
    pub(crate) fn parse(kind: &str, p: &Params) -> Result<RuleCondition, String> {
        Ok(match kind {
            "logsource" => RuleCondition::Logsource(LogSource {
                category: p.text("category")?,
                product: p.text("product")?,
                service: p.text("service")?,
                definition: None,
            }),
            "contains_field" => RuleCondition::ContainsField(p.required_text("field")?),
            "contains_detection_item" => RuleCondition::ContainsDetectionItem {
                field: p.required_text("field")?,
                value: Pattern::parse(&p.required_text("value")?),
            },
            "processing_item_applied" => {
                RuleCondition::ProcessingItemApplied(p.required_text("processing_item_id")?)
            }
            "is_sigma_rule" => RuleCondition::IsSigmaRule,
            "is_sigma_correlation_rule" => RuleCondition::IsSigmaCorrelationRule,
            "tag" => RuleCondition::Tag(p.required_text("tag")?),
            other => return Err(unsupported("rule condition", other)),
        })
    }

    pub(crate) fn holds(&self, view: &RuleView) -> bool {
        match self {
            RuleCondition::Logsource(wanted) => match view.document {
                Document::Correlation(_) => view.referenced.iter().any(|ls| wanted.covers(ls)),
                doc => wanted.covers(&doc.meta().logsource),
            },
            RuleCondition::ContainsField(field) => view.uses_field(field),
            RuleCondition::ContainsDetectionItem { field, value } => {
                any_item(view.document, &mut |item| {
                    item.field.as_deref() == Some(field)
                        && item.matchers.iter().any(
                            |m| matches!(m, Matcher::Pattern { pattern, .. } if pattern == value),
                        )
                })
            }
            RuleCondition::ProcessingItemApplied(id) => view.state.rule_applied(id),
            RuleCondition::IsSigmaRule => !matches!(view.document, Document::Correlation(_)),
            RuleCondition::IsSigmaCorrelationRule => {
                matches!(view.document, Document::Correlation(_))
            }
            RuleCondition::Tag(tag) => view
                .document
                .meta()
                .tags
                .iter()
                .any(|t| t.eq_ignore_ascii_case(tag)),
        }
    }
}

/// Whether any field item (keyword lists excluded) of a rule or filter satisfies `test`.
fn any_item<'a>(document: &'a Document, test: &mut dyn FnMut(&'a FieldItem) -> bool) -> bool {
    fn search<'a>(s: &'a Search, test: &mut dyn FnMut(&'a FieldItem) -> bool) -> bool {
        match s {
            Search::AllOf(items) => items.iter().any(&mut *test),
            Search::AnyOf(searches) => searches.iter().any(|s| search(s, test)),
            Search::Keywords(_) => false,
        }
    }
    let detection = match document {
        Document::Rule(r) => &r.detection,
        Document::Filter(f) => &f.detection,
        Document::Correlation(_) => return false,
    };
    detection.searches.iter().any(|(_, s)| search(s, test))
}

/// Whether a condition over the values of an item needs any or all of them to match.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Quantifier {
    Any,
    All,
}

impl Quantifier {
    fn parse(p: &Params) -> Result<Quantifier, String> {
        match p.text("cond")?.as_deref() {
            None | Some("any") => Ok(Quantifier::Any),
            Some("all") => Ok(Quantifier::All),
            Some(other) => Err(format!("'cond' must be 'any' or 'all', not '{other}'")),
        }
    }

    fn over(self, matchers: &[Matcher], test: impl Fn(&Matcher) -> bool) -> bool {
        match self {
            Quantifier::Any => matchers.iter().any(test),
            Quantifier::All => matchers.iter().all(test),
        }
    }
}

/// A condition on one detection item (`detection_item_conditions`).
#[derive(Debug, Clone)]
pub(crate) enum DetectionItemCondition {
    /// `match_string`: string values match the regular expression (anchored at the start, as
    /// Python's `re.match`); `negate` inverts each value's result.
    MatchString {
        regex: Regex,
        negate: bool,
        quantifier: Quantifier,
    },
    /// `match_value`: a value equals the given one.
    MatchValue {
        value: Pattern,
        quantifier: Quantifier,
    },
    /// `is_null`: a value is `null`.
    IsNull(Quantifier),
    /// `contains_wildcard`: a string value has a `*` or `?` wildcard.
    ContainsWildcard(Quantifier),
    /// `processing_item_applied`: the item's field was produced by the processing item.
    ProcessingItemApplied(String),
}

impl DetectionItemCondition {
    pub(crate) fn parse(kind: &str, p: &Params) -> Result<DetectionItemCondition, String> {
        Ok(match kind {
            "match_string" => DetectionItemCondition::MatchString {
                regex: anchored_regex(&p.required_text("pattern")?)?,
                negate: p.flag("negate", false)?,
                quantifier: Quantifier::parse(p)?,
            },
            "match_value" => DetectionItemCondition::MatchValue {
                value: Pattern::parse(&p.required_text("value")?),
                quantifier: Quantifier::parse(p)?,
            },
            "is_null" => DetectionItemCondition::IsNull(Quantifier::parse(p)?),
            "contains_wildcard" => DetectionItemCondition::ContainsWildcard(Quantifier::parse(p)?),
            "processing_item_applied" => DetectionItemCondition::ProcessingItemApplied(
                p.required_text("processing_item_id")?,
            ),
            other => return Err(unsupported("detection item condition", other)),
        })
    }

    pub(crate) fn holds(&self, item: &FieldItem, state: &State) -> bool {
        let pattern_of = |m: &Matcher| match m {
            Matcher::Pattern { pattern, .. } => Some(pattern.clone()),
            _ => None,
        };
        match self {
            DetectionItemCondition::MatchString {
                regex,
                negate,
                quantifier,
            } => quantifier.over(&item.matchers, |m| {
                let matched = pattern_of(m).is_some_and(|p| regex.is_match(&plain_view(&p)));
                matched != *negate
            }),
            DetectionItemCondition::MatchValue { value, quantifier } => {
                quantifier.over(&item.matchers, |m| pattern_of(m).as_ref() == Some(value))
            }
            DetectionItemCondition::IsNull(q) => {
                q.over(&item.matchers, |m| matches!(m, Matcher::Null))
            }
            DetectionItemCondition::ContainsWildcard(q) => q.over(&item.matchers, |m| {
                pattern_of(m).is_some_and(|p| p.as_literal().is_none())
            }),
            DetectionItemCondition::ProcessingItemApplied(id) => item
                .field
                .as_deref()
                .is_some_and(|f| state.field_processed_by(f, id)),
        }
    }
}

/// Which field names a field name condition lists.
#[derive(Debug, Clone)]
pub(crate) enum FieldNames {
    /// Exact names (`type: plain`, the default).
    Plain(Vec<String>),
    /// Regular expressions anchored at the start (`type: re`).
    Regex(Vec<Regex>),
}

impl FieldNames {
    fn parse(p: &Params) -> Result<FieldNames, String> {
        let fields = p
            .get("fields")
            .ok_or("'fields' is required for this condition")?;
        let fields = text_or_list(fields).map_err(|e| format!("'fields' {e}"))?;
        match p.text("mode")?.as_deref() {
            None | Some("plain") => Ok(FieldNames::Plain(fields)),
            Some("re") => Ok(FieldNames::Regex(
                fields
                    .iter()
                    .map(|f| anchored_regex(f))
                    .collect::<Result<_, _>>()?,
            )),
            Some(other) => Err(format!("'mode' must be 'plain' or 're', not '{other}'")),
        }
    }

    fn contains(&self, field: &str) -> bool {
        match self {
            FieldNames::Plain(names) => names.iter().any(|n| n == field),
            FieldNames::Regex(regexes) => regexes.iter().any(|r| r.is_match(field)),
        }
    }
}

/// A condition on a field name (`field_name_conditions`).
#[derive(Debug, Clone)]
pub(crate) enum FieldNameCondition {
    /// `include_fields`: the field is listed.
    Include(FieldNames),
    /// `exclude_fields`: the field is not listed (keyword items count as not listed).
    Exclude(FieldNames),
    /// `processing_item_applied`: the field was produced by the processing item.
    ProcessingItemApplied(String),
}

impl FieldNameCondition {
    pub(crate) fn parse(kind: &str, p: &Params) -> Result<FieldNameCondition, String> {
        Ok(match kind {
            "include_fields" => FieldNameCondition::Include(FieldNames::parse(p)?),
            "exclude_fields" => FieldNameCondition::Exclude(FieldNames::parse(p)?),
            "processing_item_applied" => {
                FieldNameCondition::ProcessingItemApplied(p.required_text("processing_item_id")?)
            }
            other => return Err(unsupported("field name condition", other)),
        })
    }

    /// Whether the condition holds for `field` (`None` for keyword items).
    pub(crate) fn holds(&self, field: Option<&str>, state: &State) -> bool {
        match self {
            FieldNameCondition::Include(names) => field.is_some_and(|f| names.contains(f)),
            FieldNameCondition::Exclude(names) => !field.is_some_and(|f| names.contains(f)),
            FieldNameCondition::ProcessingItemApplied(id) => {
                field.is_some_and(|f| state.field_processed_by(f, id))
            }
        }
    }
}

/// Compiles `pattern` to match at the start of the text, as Python's `re.match` does.
pub(crate) fn anchored_regex(pattern: &str) -> Result<Regex, String> {
    Regex::new(&format!("^(?:{pattern})"))
        .map_err(|e| format!("invalid regular expression '{pattern}': {e}"))
}

fn unsupported(what: &str, kind: &str) -> String {
    format!("unsupported {what} type '{kind}'")
}

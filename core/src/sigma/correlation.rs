//! Correlation rules (Sigma correlation specification v2.1, with rsigma's `value_median` and
//! `percentile`): `correlation: {type, rules, group-by, timespan, condition, aliases, generate}`.

use super::ast::{Alias, ConditionOp, Correlation, CorrelationType, Meta, Threshold};
use super::error::{ParseError, Parsed};
use super::yaml::{Entries, Key, Node, Value, take};

const TYPES: &str = "event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, \
    value_percentile, value_median";

/// Parses the `correlation` section; `generate` is the document's top-level `generate`, where
/// the correlation schema puts it (pySigma reads it inside the section; both are accepted).
pub(crate) fn parse_correlation(
    section: Node,
    generate: Option<Node>,
    meta: Meta,
) -> Parsed<Correlation> {
    let pos = section.pos;
    let mut entries = section.into_map("correlation")?;
    let kind = match take(&mut entries, "type") {
        Some((_, node)) => parse_type(node)?,
        None => return Err(ParseError::at(pos, "correlation.type is required")),
    };
    let rules = match take(&mut entries, "rules") {
        Some((_, node)) => {
            let pos = node.pos;
            let rules = node.into_string_list("correlation.rules", true)?;
            if rules.is_empty() {
                return Err(ParseError::at(
                    pos,
                    "correlation.rules must name at least one rule",
                ));
            }
            rules
        }
        None => return Err(ParseError::at(pos, "correlation.rules is required")),
    };
    let group_by = match take(&mut entries, "group-by") {
        Some((_, node)) => node.into_string_list("correlation.group-by", true)?,
        None => Vec::new(),
    };
    let timespan_secs = match take(&mut entries, "timespan") {
        Some((_, node)) => parse_timespan(node)?,
        None => return Err(ParseError::at(pos, "correlation.timespan is required")),
    };
    let condition = take(&mut entries, "condition");
    let inner_generate = take(&mut entries, "generate");
    let aliases = match take(&mut entries, "aliases") {
        Some((_, node)) => parse_aliases(node, &rules)?,
        None => Vec::new(),
    };
    if let Some((key, _)) = entries.first() {
        return Err(unknown_key(key));
    }
    let generate = parse_generate(generate, inner_generate)?;
    let parsed = match condition {
        Some((_, node)) => parse_condition(node, kind)?,
        None if is_temporal(kind) => ParsedCondition::default(),
        None => {
            return Err(ParseError::at(
                pos,
                format!("correlation.condition is required for {}", type_name(kind)),
            ));
        }
    };
    Ok(Correlation {
        meta,
        kind,
        rules,
        group_by,
        timespan_secs,
        condition: parsed.thresholds,
        field: parsed.field,
        percentile: parsed.percentile,
        generate,
        aliases,
    })
}

fn unknown_key(key: &Key) -> ParseError {
    ParseError::at(
        key.pos,
        format!(
            "unknown key correlation.{} (the keys are type, rules, group-by, timespan, condition, \
             aliases, generate)",
            key.text
        ),
    )
}

fn parse_type(node: Node) -> Parsed<CorrelationType> {
    let pos = node.pos;
    let text = node.into_string("correlation.type")?;
    Ok(match text.as_str() {
        "event_count" => CorrelationType::EventCount,
        "value_count" => CorrelationType::ValueCount,
        "temporal" => CorrelationType::Temporal,
        "temporal_ordered" => CorrelationType::TemporalOrdered,
        "value_sum" => CorrelationType::ValueSum,
        "value_avg" => CorrelationType::ValueAvg,
        "value_percentile" => CorrelationType::ValuePercentile,
        "value_median" => CorrelationType::ValueMedian,
        _ => {
            return Err(ParseError::at(
                pos,
                format!("correlation.type '{text}' is not one of {TYPES}"),
            ));
        }
    })
}

fn type_name(kind: CorrelationType) -> &'static str {
    kind.as_str()
}

fn is_temporal(kind: CorrelationType) -> bool {
    matches!(
        kind,
        CorrelationType::Temporal | CorrelationType::TemporalOrdered
    )
}

/// Whether the type aggregates a field's values (and so needs `condition.field`).
fn uses_field(kind: CorrelationType) -> bool {
    matches!(
        kind,
        CorrelationType::ValueCount
            | CorrelationType::ValueSum
            | CorrelationType::ValueAvg
            | CorrelationType::ValuePercentile
            | CorrelationType::ValueMedian
    )
}

/// `N` followed by `s`, `m`, `h`, `d`, `w` (week), `M` (month, 30.436875 days) or `y`
/// (year, 365.2425 days), as pySigma reads it.
fn parse_timespan(node: Node) -> Parsed<u64> {
    let pos = node.pos;
    let text = match node.value {
        Value::Str(text) => text,
        other => return Err(pos.wrong_type("correlation.timespan", "a string like 5m", &other)),
    };
    let unit = text.chars().last().unwrap_or(' ');
    let seconds = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 604_800,
        'M' => 2_629_746,
        'y' => 31_556_952,
        _ => 0,
    };
    let count = text[..text.len() - unit.len_utf8().min(text.len())]
        .parse::<u64>()
        .ok()
        .filter(|c| *c > 0 && text.as_bytes()[0].is_ascii_digit());
    match count
        .and_then(|c| c.checked_mul(seconds))
        .filter(|s| *s > 0)
    {
        Some(secs) => Ok(secs),
        None => Err(ParseError::at(
            pos,
            format!(
                "correlation.timespan '{text}' is not a positive number followed by s, m, h, d, \
                 w, M or y (for example 90m)"
            ),
        )),
    }
}

fn parse_generate(root: Option<Node>, inner: Option<(Key, Node)>) -> Parsed<bool> {
    let read = |node: Node, what: &str| match node.value {
        Value::Bool(b) => Ok(b),
        other => Err(node.pos.wrong_type(what, "true or false", &other)),
    };
    match (root, inner) {
        (None, None) => Ok(false),
        (Some(node), None) => read(node, "generate"),
        (None, Some((_, node))) => read(node, "correlation.generate"),
        (Some(root), Some((_, inner))) => {
            let pos = inner.pos;
            let (a, b) = (
                read(root, "generate")?,
                read(inner, "correlation.generate")?,
            );
            if a == b {
                Ok(a)
            } else {
                Err(ParseError::at(
                    pos,
                    "generate and correlation.generate disagree",
                ))
            }
        }
    }
}

fn parse_aliases(node: Node, rules: &[String]) -> Parsed<Vec<Alias>> {
    node.into_map("correlation.aliases")?
        .into_iter()
        .map(|(alias, node)| {
            let what = format!("correlation.aliases.{}", alias.text);
            let pos = node.pos;
            let entries = node.into_map(&what)?;
            if entries.is_empty() {
                return Err(ParseError::at(
                    pos,
                    format!("{what} maps no rule to a field"),
                ));
            }
            let fields = entries
                .into_iter()
                .map(|(rule, field)| {
                    if !rules.contains(&rule.text) {
                        return Err(ParseError::at(
                            rule.pos,
                            format!(
                                "{what}: '{}' is not one of correlation.rules ({})",
                                rule.text,
                                rules.join(", ")
                            ),
                        ));
                    }
                    let field = field.into_string(&format!("{what}.{}", rule.text))?;
                    Ok((rule.text, field))
                })
                .collect::<Parsed<_>>()?;
            Ok(Alias {
                name: alias.text,
                fields,
            })
        })
        .collect()
}

#[derive(Default)]
struct ParsedCondition {
    thresholds: Vec<Threshold>,
    field: Option<String>,
    percentile: Option<f64>,
}

/// `condition`: one or more of `gt`, `gte`, `lt`, `lte`, `eq`, `neq` (several make a range),
/// the `field` of the value types and the `percentile` of `value_percentile` (rsigma's
/// extension; without it the percentile is the median, as rsigma reads it).
fn parse_condition(node: Node, kind: CorrelationType) -> Parsed<ParsedCondition> {
    let pos = node.pos;
    let entries: Entries = match node.value {
        Value::Map(entries) => entries,
        Value::Str(_) => {
            return Err(ParseError::at(
                pos,
                "correlation.condition must be a map of gt, gte, lt, lte, eq or neq; boolean \
                 expressions over rules are a pySigma extension outside the specification",
            ));
        }
        other => return Err(pos.wrong_type("correlation.condition", "a map", &other)),
    };
    let mut parsed = ParsedCondition::default();
    for (key, node) in entries {
        let what = format!("correlation.condition.{}", key.text);
        let op = match key.text.as_str() {
            "gt" => ConditionOp::Gt,
            "gte" => ConditionOp::Gte,
            "lt" => ConditionOp::Lt,
            "lte" => ConditionOp::Lte,
            "eq" => ConditionOp::Eq,
            "neq" => ConditionOp::Neq,
            "field" => {
                parsed.field = Some(parse_field(node, &what, kind)?);
                continue;
            }
            "percentile" => {
                parsed.percentile = Some(parse_percentile(node, &what, kind)?);
                continue;
            }
            other => {
                return Err(ParseError::at(
                    key.pos,
                    format!(
                        "unknown key {what}: '{other}' is not one of gt, gte, lt, lte, eq, neq, \
                         field, percentile"
                    ),
                ));
            }
        };
        let value = number(node, &what)?;
        parsed.thresholds.push(Threshold { op, value });
    }
    if parsed.thresholds.is_empty() {
        return Err(ParseError::at(
            pos,
            "correlation.condition needs a comparison: gt, gte, lt, lte, eq or neq",
        ));
    }
    if uses_field(kind) && parsed.field.is_none() {
        return Err(ParseError::at(
            pos,
            format!(
                "correlation.condition.field is required for {}",
                type_name(kind)
            ),
        ));
    }
    Ok(parsed)
}

fn parse_field(node: Node, what: &str, kind: CorrelationType) -> Parsed<String> {
    let pos = node.pos;
    if !uses_field(kind) {
        return Err(ParseError::at(
            pos,
            format!(
                "{what} only applies to the value_* types, not to {}",
                type_name(kind)
            ),
        ));
    }
    let mut fields = node.into_string_list(what, true)?;
    if fields.len() != 1 {
        return Err(ParseError::at(
            pos,
            format!("{what} must name exactly one field"),
        ));
    }
    Ok(fields.remove(0))
}

fn parse_percentile(node: Node, what: &str, kind: CorrelationType) -> Parsed<f64> {
    let pos = node.pos;
    if kind != CorrelationType::ValuePercentile {
        return Err(ParseError::at(
            pos,
            format!(
                "{what} only applies to value_percentile, not to {}",
                type_name(kind)
            ),
        ));
    }
    let value = number(node, what)?;
    if !(0.0..=100.0).contains(&value) {
        return Err(ParseError::at(pos, format!("{what} must be from 0 to 100")));
    }
    Ok(value)
}

fn number(node: Node, what: &str) -> Parsed<f64> {
    let pos = node.pos;
    let value = match &node.value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(text) => text.parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    };
    value.ok_or_else(|| pos.wrong_type(what, "a number", &node.value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigma::yaml::Pos;

    fn timespan(text: &str) -> Parsed<u64> {
        parse_timespan(Node {
            pos: Pos::default(),
            value: Value::Str(text.into()),
        })
    }

    #[test]
    fn timespans() {
        assert_eq!(timespan("90m"), Ok(5400));
        assert_eq!(timespan("1h"), Ok(3600));
        assert_eq!(timespan("2d"), Ok(172_800));
        assert_eq!(timespan("1w"), Ok(604_800));
        assert_eq!(timespan("15s"), Ok(15));
        for bad in ["0m", "m", "5", "5 m", "-5m", "5min", "", "1.5h"] {
            assert!(timespan(bad).is_err(), "{bad}");
        }
    }
}

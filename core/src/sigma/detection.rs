//! The `detection` section (and a filter's searches): named searches and the condition.
//!
//! A search is a map (every entry must match), a list of maps or values (any must match), or a
//! single value (a keyword). Lists may mix maps and values as pySigma allows; lists inside lists
//! are rejected.

use super::ast::{Condition, Detection, Search};
use super::condition;
use super::error::{ParseError, Parsed};
use super::modifiers;
use super::yaml::{Entries, Node, Pos, Value, take};

/// Parses searches and the condition from a section's entries; `section` names it in errors
/// (`detection` or `filter`) and `pos` is where it starts.
pub(crate) fn parse_detection(mut entries: Entries, section: &str, pos: Pos) -> Parsed<Detection> {
    let condition = take(&mut entries, "condition");
    if let Some((key, _)) = entries.iter().find(|(k, _)| k.text == "timeframe") {
        return Err(ParseError::at(
            key.pos,
            format!(
                "{section}.timeframe belongs to the aggregation syntax that Sigma v2 removed; \
                 write a correlation rule with a timespan instead"
            ),
        ));
    }
    let searches = entries
        .into_iter()
        .map(|(key, node)| match parse_search(node) {
            Ok(search) => Ok((key.text, search)),
            Err(e) => Err(e.within(&format!("{section}.{}", key.text))),
        })
        .collect::<Parsed<Vec<_>>>()?;
    if searches.is_empty() {
        return Err(ParseError::at(pos, format!("{section} defines no search")));
    }
    let Some((key, node)) = condition else {
        return Err(ParseError::at(
            pos,
            format!("{section}.condition is required"),
        ));
    };
    let texts = match node.value {
        Value::Str(text) => vec![(node.pos, text)],
        Value::Seq(items) if !items.is_empty() => items
            .into_iter()
            .map(|item| match item.value {
                Value::Str(text) => Ok((item.pos, text)),
                other => Err(item.pos.wrong_type(
                    &format!("an item of {section}.condition"),
                    "a string",
                    &other,
                )),
            })
            .collect::<Parsed<_>>()?,
        other => {
            return Err(key.pos.wrong_type(
                &format!("{section}.condition"),
                "a string or a list of strings",
                &other,
            ));
        }
    };
    let mut conditions = texts
        .into_iter()
        .map(|(pos, text)| {
            condition::parse(&text, &searches).map_err(|message| {
                ParseError::at(pos, format!("{section}.condition '{text}': {message}"))
            })
        })
        .collect::<Parsed<Vec<_>>>()?;
    let condition = if conditions.len() == 1 {
        conditions.pop().expect("one condition")
    } else {
        Condition::Or(conditions)
    };
    Ok(Detection {
        searches,
        condition,
    })
}

/// One search identifier's definition.
fn parse_search(node: Node) -> Parsed<Search> {
    let pos = node.pos;
    match node.value {
        Value::Map(entries) => search_map(entries, pos),
        Value::Seq(items) if items.is_empty() => Err(ParseError::at(pos, "the list is empty")),
        Value::Seq(items) => {
            if items
                .iter()
                .all(|i| !matches!(i.value, Value::Map(_) | Value::Seq(_)))
            {
                return keywords(Value::Seq(items), pos);
            }
            let mut alternatives: Vec<Search> = Vec::with_capacity(items.len());
            for item in items {
                let pos = item.pos;
                match item.value {
                    Value::Map(entries) => alternatives.push(search_map(entries, pos)?),
                    Value::Seq(_) => {
                        return Err(ParseError::at(
                            pos,
                            "a list of searches must not contain another list",
                        ));
                    }
                    scalar => match (alternatives.last_mut(), keywords(scalar, pos)?) {
                        (Some(Search::Keywords(words)), Search::Keywords(more)) => {
                            words.extend(more)
                        }
                        (_, search) => alternatives.push(search),
                    },
                }
            }
            Ok(if alternatives.len() == 1 {
                alternatives.pop().expect("one alternative")
            } else {
                Search::AnyOf(alternatives)
            })
        }
        Value::Null => Err(ParseError::at(pos, "the search is empty (null)")),
        scalar => keywords(scalar, pos),
    }
}

fn keywords(value: Value, pos: Pos) -> Parsed<Search> {
    modifiers::keywords(value)
        .map(Search::Keywords)
        .map_err(|message| ParseError::at(pos, format!("keyword: {message}")))
}

fn search_map(entries: Entries, pos: Pos) -> Parsed<Search> {
    if entries.is_empty() {
        return Err(ParseError::at(pos, "the map is empty"));
    }
    entries
        .into_iter()
        .map(|(key, node)| {
            modifiers::field_item(&key.text, node.value)
                .map_err(|message| ParseError::at(key.pos, format!("'{}': {message}", key.text)))
        })
        .collect::<Parsed<Vec<_>>>()
        .map(Search::AllOf)
}

//! Filter (meta) rules: `filter: {rules, <searches>, condition}` plus a `logsource`.
//!
//! `rules` names the filtered rules by id or name, or is `any` (pySigma also reads `all` and an
//! empty list so) for every rule whose logsource fits the filter's.

use super::ast::{Filter, Meta};
use super::detection::parse_detection;
use super::error::{ParseError, Parsed};
use super::yaml::{Node, Value, take};

/// Parses the `filter` section of a filter rule.
pub(crate) fn parse_filter(section: Node, meta: Meta) -> Parsed<Filter> {
    let pos = section.pos;
    let mut entries = section.into_map("filter")?;
    let rules = match take(&mut entries, "rules") {
        Some((_, node)) => match node.value {
            Value::Str(text) if matches!(text.to_ascii_lowercase().as_str(), "any" | "all") => {
                Vec::new()
            }
            _ => node.into_string_list("filter.rules", true)?,
        },
        None => {
            return Err(ParseError::at(
                pos,
                "filter.rules is required: a rule id or name, a list of them, or any",
            ));
        }
    };
    let detection = parse_detection(entries, "filter", pos)?;
    Ok(Filter {
        meta,
        rules,
        detection,
    })
}

//! Metadata shared by rules, correlations and filters: `title`, `id`, `status`, `level`,
//! `tags`, `logsource`... Keys this module does not know stay in the document's entries for
//! the kind-specific parsers; whatever is left after them is a custom attribute (allowed).

use super::ast::{Level, LogSource, Meta, Origin, Related, Status};
use super::error::{ParseError, Parsed};
use super::yaml::{Entries, Node, Pos, Value, take};

/// The relation types of `related` entries.
const RELATED_TYPES: [&str; 5] = ["derived", "obsolete", "merged", "renamed", "similar"];

/// Reads the metadata keys out of a document's top-level entries. `doc` is where the document
/// starts; `logsource_required` is set for rules and filters.
pub(crate) fn parse_meta(
    entries: &mut Entries,
    doc: Pos,
    origin: Origin,
    logsource_required: bool,
) -> Parsed<Meta> {
    let mut meta = Meta {
        origin,
        ..Meta::default()
    };
    meta.title = match take(entries, "title") {
        Some((_, node)) => {
            let pos = node.pos;
            let title = node.into_string("title")?;
            if title.trim().is_empty() {
                return Err(ParseError::at(pos, "title must not be empty"));
            }
            title
        }
        None => return Err(ParseError::at(doc, "title is required")),
    };
    meta.id = optional_string(entries, "id")?;
    meta.name = optional_string(entries, "name")?;
    meta.description = optional_string(entries, "description")?;
    meta.author = optional_string(entries, "author")?;
    meta.license = optional_string(entries, "license")?;
    meta.date = optional_date(entries, "date")?;
    meta.modified = optional_date(entries, "modified")?;
    meta.status = match take(entries, "status") {
        Some((_, node)) => Some(parse_status(node)?),
        None => None,
    };
    meta.level = match take(entries, "level") {
        Some((_, node)) => Some(parse_level(node)?),
        None => None,
    };
    meta.references = optional_list(entries, "references", false)?;
    meta.tags = optional_list(entries, "tags", false)?;
    meta.fields = optional_list(entries, "fields", false)?;
    meta.falsepositives = optional_list(entries, "falsepositives", true)?;
    if let Some((_, node)) = take(entries, "related") {
        meta.related = parse_related(node)?;
    }
    meta.logsource = match take(entries, "logsource") {
        Some((_, node)) => parse_logsource(node)?,
        None if logsource_required => return Err(ParseError::at(doc, "logsource is required")),
        None => LogSource::default(),
    };
    Ok(meta)
}

fn optional_string(entries: &mut Entries, key: &str) -> Parsed<Option<String>> {
    match take(entries, key) {
        Some((_, node)) => node.into_string(key).map(Some),
        None => Ok(None),
    }
}

fn optional_list(entries: &mut Entries, key: &str, scalar_ok: bool) -> Parsed<Vec<String>> {
    match take(entries, key) {
        Some((
            _,
            Node {
                value: Value::Null, ..
            },
        )) => Ok(Vec::new()),
        Some((_, node)) => node.into_string_list(key, scalar_ok),
        None => Ok(Vec::new()),
    }
}

/// `YYYY-MM-DD` (the specification's form) or `YYYY/MM/DD` (Sigma v1's, still common).
fn optional_date(entries: &mut Entries, key: &str) -> Parsed<Option<String>> {
    let Some((_, node)) = take(entries, key) else {
        return Ok(None);
    };
    let pos = node.pos;
    let date = node.into_string(key)?;
    if is_date(&date) {
        Ok(Some(date))
    } else {
        Err(ParseError::at(
            pos,
            format!("{key} '{date}' is not a date written YYYY-MM-DD"),
        ))
    }
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    b.len() == 10
        && b[4] == b[7]
        && matches!(b[4], b'-' | b'/')
        && number(0..4).is_some()
        && number(5..7).is_some_and(|m| (1..=12).contains(&m))
        && number(8..10).is_some_and(|d| (1..=31).contains(&d))
}

fn parse_status(node: Node) -> Parsed<Status> {
    let pos = node.pos;
    let text = node.into_string("status")?;
    Ok(match text.as_str() {
        "stable" => Status::Stable,
        "test" => Status::Test,
        "experimental" => Status::Experimental,
        "deprecated" => Status::Deprecated,
        "unsupported" => Status::Unsupported,
        _ => {
            return Err(ParseError::at(
                pos,
                format!(
                    "status '{text}' is not one of stable, test, experimental, deprecated, \
                     unsupported"
                ),
            ));
        }
    })
}

fn parse_level(node: Node) -> Parsed<Level> {
    let pos = node.pos;
    let text = node.into_string("level")?;
    Level::parse(&text).ok_or_else(|| {
        ParseError::at(
            pos,
            format!("level '{text}' is not one of informational, low, medium, high, critical"),
        )
    })
}

fn parse_related(node: Node) -> Parsed<Vec<Related>> {
    let pos = node.pos;
    let Value::Seq(items) = node.value else {
        return Err(pos.wrong_type("related", "a list of {id, type} maps", &node.value));
    };
    items
        .into_iter()
        .map(|item| {
            let pos = item.pos;
            let mut entries = item.into_map("a related entry")?;
            let id = match take(&mut entries, "id") {
                Some((_, node)) => node.into_string("related.id")?,
                None => return Err(ParseError::at(pos, "a related entry needs an id")),
            };
            let kind = match take(&mut entries, "type") {
                Some((_, node)) => {
                    let pos = node.pos;
                    let kind = node.into_string("related.type")?;
                    if !RELATED_TYPES.contains(&kind.as_str()) {
                        return Err(ParseError::at(
                            pos,
                            format!(
                                "related.type '{kind}' is not one of {}",
                                RELATED_TYPES.join(", ")
                            ),
                        ));
                    }
                    kind
                }
                None => return Err(ParseError::at(pos, "a related entry needs a type")),
            };
            if let Some((key, _)) = entries.first() {
                return Err(ParseError::at(
                    key.pos,
                    format!("unknown key '{}' in a related entry (id, type)", key.text),
                ));
            }
            Ok(Related { id, kind })
        })
        .collect()
}

/// `logsource`: `category`, `product`, `service` and `definition` are read; other keys are
/// allowed by the specification and ignored.
fn parse_logsource(node: Node) -> Parsed<LogSource> {
    let mut entries = node.into_map("logsource")?;
    let mut field = |key: &str| -> Parsed<Option<String>> {
        match take(&mut entries, key) {
            Some((
                _,
                Node {
                    value: Value::Null, ..
                },
            ))
            | None => Ok(None),
            Some((_, node)) => node.into_string(&format!("logsource.{key}")).map(Some),
        }
    };
    Ok(LogSource {
        category: field("category")?,
        product: field("product")?,
        service: field("service")?,
        definition: field("definition")?,
    })
}

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn dates() {
        assert!(is_date("2024-08-08"));
        assert!(is_date("2019/10/23"));
        assert!(!is_date("2019-10/23"));
        assert!(!is_date("2019-13-01"));
        assert!(!is_date("19-10-23"));
        assert!(!is_date("2019-1-023"));
    }
}

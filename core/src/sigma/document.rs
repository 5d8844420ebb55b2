//! One YAML document to one [`Document`]: a rule (`detection`), a correlation
//! (`correlation`) or a filter (`filter`). Errors become [`RuleError`]s naming the file, the
//! line, the document's title and the construct.

use super::Loaded;
use super::ast::{Document, Origin, Rule};
use super::correlation::parse_correlation;
use super::detection::parse_detection;
use super::error::RuleError;
use super::error::{ParseError, Parsed};
use super::filter::parse_filter;
use super::meta::parse_meta;
use super::yaml::{Entries, LoadedDocument, Node, Value, load_documents, take};
use std::path::Path;

/// Parses every YAML document of `text`; a bad document is reported and the others kept.
pub(crate) fn parse_text(text: &str, file: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    for (index, document) in load_documents(text).into_iter().enumerate() {
        let origin = Origin {
            file: file.to_path_buf(),
            document: index,
        };
        match document {
            LoadedDocument::Node(node) => {
                let title = title_of(&node);
                match parse_document(node, origin) {
                    Ok(document) => loaded.documents.push(document),
                    Err(error) => loaded.errors.push(rule_error(file, title, error)),
                }
            }
            LoadedDocument::Error(error) => loaded.errors.push(rule_error(file, None, error)),
        }
    }
    loaded
}

/// The kind and title of a document, for messages, when they can be read.
fn title_of(node: &Node) -> Option<String> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    let kind = if entries.iter().any(|(k, _)| k.text == "correlation") {
        "correlation"
    } else if entries.iter().any(|(k, _)| k.text == "filter") {
        "filter"
    } else {
        "rule"
    };
    entries.iter().find_map(|(key, node)| match &node.value {
        Value::Str(title) if key.text == "title" => Some(format!("{kind} '{title}'")),
        _ => None,
    })
}

fn rule_error(file: &Path, title: Option<String>, error: ParseError) -> RuleError {
    let mut reason = String::new();
    if let Some(pos) = error.pos {
        reason.push_str(&format!("line {}, column {}: ", pos.line, pos.col));
    }
    if let Some(title) = title {
        reason.push_str(&title);
        reason.push_str(": ");
    }
    reason.push_str(&error.message);
    RuleError {
        file: file.to_path_buf(),
        reason,
    }
}

fn parse_document(node: Node, origin: Origin) -> Parsed<Document> {
    let pos = node.pos;
    let mut entries: Entries = match node.value {
        Value::Map(entries) => entries,
        other => return Err(pos.wrong_type("a Sigma document", "a map", &other)),
    };
    reject_v1_collection(&entries)?;
    let detection = take(&mut entries, "detection");
    let correlation = take(&mut entries, "correlation");
    let filter = take(&mut entries, "filter");
    match (detection, correlation, filter) {
        (Some((_, detection)), None, None) => {
            let meta = parse_meta(&mut entries, pos, origin, true)?;
            let section_pos = detection.pos;
            let detection = detection.into_map("detection")?;
            let detection = parse_detection(detection, "detection", section_pos)?;
            Ok(Document::Rule(Rule { meta, detection }))
        }
        (None, Some((_, correlation)), None) => {
            let meta = parse_meta(&mut entries, pos, origin, false)?;
            let generate = take(&mut entries, "generate").map(|(_, node)| node);
            parse_correlation(correlation, generate, meta).map(Document::Correlation)
        }
        (None, None, Some((_, filter))) => {
            let meta = parse_meta(&mut entries, pos, origin, true)?;
            parse_filter(filter, meta).map(Document::Filter)
        }
        (None, None, None) => Err(ParseError::at(
            pos,
            "the document has no detection, correlation or filter section",
        )),
        _ => Err(ParseError::at(
            pos,
            "a document has exactly one of the detection, correlation and filter sections",
        )),
    }
}

/// Sigma v1 rule collections (`action: global`, `repeat`, `reset`) are not part of v2.
fn reject_v1_collection(entries: &Entries) -> Parsed<()> {
    for (key, node) in entries {
        if key.text == "action"
            && let Value::Str(action) = &node.value
            && matches!(action.as_str(), "global" | "repeat" | "reset")
        {
            return Err(ParseError::at(
                key.pos,
                format!(
                    "action: {action} belongs to Sigma v1 rule collections, which v2 removed; \
                     write each rule as a complete document"
                ),
            ));
        }
    }
    Ok(())
}

//! A small YAML document tree with positions, built from `yaml-rust2` parser events.
//!
//! `yaml-rust2`'s own `Yaml` type drops positions and fails a whole stream on one bad
//! document. Here every node keeps its line and column so that rule errors can point at them,
//! and a multi-document file is split at its `---` / `...` markers first, so a syntax error in
//! one document loses only that document.
//!
//! Plain scalars are resolved with the YAML 1.2 core schema (`null`, booleans, integers,
//! floats); quoted and block scalars are always strings.

use super::error::{ParseError, Parsed};
use yaml_rust2::ScanError;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A position in the source file (1-based line and column).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: usize,
    pub col: usize,
}

/// One YAML node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub pos: Pos,
    pub value: Value,
}

/// A mapping key: keys are always read as text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key {
    pub pos: Pos,
    pub text: String,
}

/// The value of a node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// A float, as written (`1.50` stays `1.50`).
    Float(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

impl Value {
    /// The YAML type name, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }
}

/// The entries of a YAML map, in the order written.
pub(crate) type Entries = Vec<(Key, Node)>;

/// Removes and returns the entry `key` from a map's entries.
pub(crate) fn take(entries: &mut Entries, key: &str) -> Option<(Key, Node)> {
    let index = entries.iter().position(|(k, _)| k.text == key)?;
    Some(entries.remove(index))
}

impl Node {
    /// The node's text if it is a string; `what` names it in the error otherwise.
    pub fn into_string(self, what: &str) -> Parsed<String> {
        match self.value {
            Value::Str(text) => Ok(text),
            other => Err(self.pos.wrong_type(what, "a string", &other)),
        }
    }

    /// The node's entries if it is a map.
    pub fn into_map(self, what: &str) -> Parsed<Entries> {
        match self.value {
            Value::Map(entries) => Ok(entries),
            other => Err(self.pos.wrong_type(what, "a map", &other)),
        }
    }

    /// A list of strings; with `scalar_ok`, a single string is read as a list of one.
    pub fn into_string_list(self, what: &str, scalar_ok: bool) -> Parsed<Vec<String>> {
        match self.value {
            Value::Seq(items) => items
                .into_iter()
                .map(|item| match item.value {
                    Value::Str(text) => Ok(text),
                    other => {
                        Err(item
                            .pos
                            .wrong_type(&format!("an item of {what}"), "a string", &other))
                    }
                })
                .collect(),
            Value::Str(text) if scalar_ok => Ok(vec![text]),
            other => Err(self.pos.wrong_type(what, "a list of strings", &other)),
        }
    }
}

impl Pos {
    /// The error for a value of the wrong YAML type.
    pub fn wrong_type(self, what: &str, expected: &str, found: &Value) -> ParseError {
        ParseError::at(
            self,
            format!("{what} must be {expected}, not {}", found.kind()),
        )
    }
}

/// One YAML document of a file, or the syntax error that stopped it.
#[derive(Debug)]
pub(crate) enum LoadedDocument {
    /// The root node of a document.
    Node(Node),
    /// The document's text is not valid YAML.
    Error(ParseError),
}

/// Parses every document of `text` on its own. A document that is not valid YAML yields one
/// [`LoadedDocument::Error`]; the documents before and after it still load.
pub(crate) fn load_documents(text: &str) -> Vec<LoadedDocument> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut documents = Vec::new();
    for chunk in split_documents(text) {
        let mut builder = TreeBuilder::new(chunk.first_line);
        let mut parser = Parser::new_from_str(chunk.text);
        match parser.load(&mut builder, true) {
            Ok(()) => match builder.error {
                Some(error) => documents.push(LoadedDocument::Error(error)),
                None => documents.extend(builder.documents.into_iter().map(LoadedDocument::Node)),
            },
            Err(error) => {
                documents.extend(builder.documents.into_iter().map(LoadedDocument::Node));
                documents.push(LoadedDocument::Error(
                    builder
                        .error
                        .unwrap_or_else(|| syntax_error(&error, chunk.first_line)),
                ));
            }
        }
    }
    documents
}

fn syntax_error(error: &ScanError, first_line: usize) -> ParseError {
    let mark = error.marker();
    ParseError::at(
        Pos {
            line: mark.line() + first_line - 1,
            col: mark.col() + 1,
        },
        format!("invalid YAML: {}", error.info()),
    )
}

/// A slice of the file holding one document (or none, if it is only comments).
struct Chunk<'a> {
    text: &'a str,
    /// The 1-based line of the file where the chunk starts.
    first_line: usize,
}

/// Splits a YAML stream before each `---` line (with the `%` directives right before it) and
/// after each `...` line. The YAML specification forbids both markers at the start of a line
/// inside a document's content, so a split never cuts a document.
fn split_documents(text: &str) -> Vec<Chunk<'_>> {
    let mut chunks = Vec::new();
    let (mut start, mut start_line) = (0, 1);
    let mut directives: Option<(usize, usize)> = None;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let line_number = index + 1;
        let (begin, end) = (offset, offset + line.len());
        offset = end;
        if line.starts_with('%') {
            directives.get_or_insert((begin, line_number));
        } else if is_marker(line, "---") {
            let (at, at_line) = directives.take().unwrap_or((begin, line_number));
            if at > start {
                chunks.push(Chunk {
                    text: &text[start..at],
                    first_line: start_line,
                });
            }
            (start, start_line) = (at, at_line);
        } else if is_marker(line, "...") {
            chunks.push(Chunk {
                text: &text[start..end],
                first_line: start_line,
            });
            (start, start_line) = (end, line_number + 1);
            directives = None;
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            directives = None;
        }
    }
    if start < text.len() {
        chunks.push(Chunk {
            text: &text[start..],
            first_line: start_line,
        });
    }
    chunks
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

/// Builds [`Node`] trees from parser events.
struct TreeBuilder {
    first_line: usize,
    documents: Vec<Node>,
    /// Open collections: the node being filled and, for maps, the key waiting for its value.
    stack: Vec<(Node, Option<Key>)>,
    anchors: Vec<(usize, Node)>,
    /// Anchor ids of the open collections, to register them when they close.
    open_anchors: Vec<usize>,
    error: Option<ParseError>,
}

impl TreeBuilder {
    fn new(first_line: usize) -> TreeBuilder {
        TreeBuilder {
            first_line,
            documents: Vec::new(),
            stack: Vec::new(),
            anchors: Vec::new(),
            open_anchors: Vec::new(),
            error: None,
        }
    }

    fn pos(&self, mark: Marker) -> Pos {
        Pos {
            line: mark.line() + self.first_line - 1,
            col: mark.col() + 1,
        }
    }

    fn insert(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.push((anchor, node.clone()));
        }
        let Some((parent, pending_key)) = self.stack.last_mut() else {
            self.documents.push(node);
            return;
        };
        match &mut parent.value {
            Value::Seq(items) => items.push(node),
            Value::Map(entries) => match pending_key.take() {
                None => {
                    let pos = node.pos;
                    match key_text(node.value) {
                        Ok(text) => *pending_key = Some(Key { pos, text }),
                        Err(kind) => {
                            let message = format!("a map key must be a plain value, not {kind}");
                            self.fail(ParseError::at(pos, message));
                        }
                    }
                }
                Some(key) => {
                    if entries.iter().any(|(k, _)| k.text == key.text) {
                        let message = format!("duplicate key '{}' in a map", key.text);
                        self.fail(ParseError::at(key.pos, message));
                    } else {
                        entries.push((key, node));
                    }
                }
            },
            _ => unreachable!("only collections are open"),
        }
    }

    fn fail(&mut self, error: ParseError) {
        self.error.get_or_insert(error);
    }
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let pos = self.pos(mark);
        match event {
            Event::DocumentStart => self.anchors.clear(),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let value = match event {
                    Event::SequenceStart(..) => Value::Seq(Vec::new()),
                    _ => Value::Map(Vec::new()),
                };
                self.stack.push((Node { pos, value }, None));
                self.open_anchors.push(anchor);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, _) = self.stack.pop().expect("a collection is open");
                let anchor = self.open_anchors.pop().unwrap_or(0);
                self.insert(node, anchor);
            }
            Event::Scalar(text, style, anchor, tag) => {
                if let Some((
                    Node {
                        value: Value::Map(_),
                        ..
                    },
                    pending_key @ None,
                )) = self.stack.last_mut()
                {
                    // A key keeps its text as written (`Null:` is the field `Null`).
                    if anchor > 0 {
                        let node = Node {
                            pos,
                            value: Value::Str(text.clone()),
                        };
                        self.anchors.push((anchor, node));
                    }
                    *pending_key = Some(Key { pos, text });
                    return;
                }
                let value = match (style, tag) {
                    (TScalarStyle::Plain, None) => resolve_plain(text),
                    (TScalarStyle::Plain, Some(tag)) if tag.handle == "tag:yaml.org,2002:" => {
                        match resolve_tagged(text, &tag.suffix) {
                            Some(value) => value,
                            None => {
                                let message = format!("value does not fit tag !!{}", tag.suffix);
                                return self.fail(ParseError::at(pos, message));
                            }
                        }
                    }
                    _ => Value::Str(text),
                };
                self.insert(Node { pos, value }, anchor);
            }
            Event::Alias(anchor) => match self.anchors.iter().rev().find(|(id, _)| *id == anchor) {
                Some((_, node)) => {
                    let node = Node {
                        pos,
                        value: node.value.clone(),
                    };
                    self.insert(node, 0);
                }
                None => self.fail(ParseError::at(pos, "alias to an unknown anchor")),
            },
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

/// The text of a scalar used as a map key, or the kind of the collection that cannot be one.
fn key_text(value: Value) -> Result<String, &'static str> {
    Ok(match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(text) | Value::Str(text) => text,
        other @ (Value::Seq(_) | Value::Map(_)) => return Err(other.kind()),
    })
}

/// Resolves a plain scalar with the YAML 1.2 core schema.
fn resolve_plain(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::Str(text);
    }
    if let Some(int) = parse_int(&text) {
        return Value::Int(int);
    }
    if is_float(&text) {
        return Value::Float(text);
    }
    Value::Str(text)
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.strip_prefix('+').unwrap_or(text).parse().ok()
}

/// The core schema's float forms: `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
/// and the infinities and NaN.
fn is_float(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match fraction {
        Some(fraction) => {
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty())
        }
        None => !whole.is_empty() && digits(whole),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Resolves a plain scalar with an explicit core-schema tag (`!!str 12`, `!!int "5"`...).
fn resolve_tagged(text: String, suffix: &str) -> Option<Value> {
    Some(match suffix {
        "str" => Value::Str(text),
        "null" => match resolve_plain(text) {
            Value::Null => Value::Null,
            _ => return None,
        },
        "bool" => match resolve_plain(text) {
            value @ Value::Bool(_) => value,
            _ => return None,
        },
        "int" => Value::Int(parse_int(&text)?),
        "float" => match resolve_plain(text) {
            Value::Int(i) => Value::Float(i.to_string()),
            value @ Value::Float(_) => value,
            _ => return None,
        },
        _ => Value::Str(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Value {
        match load_documents(text).pop() {
            Some(LoadedDocument::Node(node)) => node.value,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let map = |text: &str| match one(&format!("k: {text}")) {
            Value::Map(mut entries) => entries.remove(0).1.value,
            other => panic!("{other:?}"),
        };
        assert_eq!(map("4688"), Value::Int(4688));
        assert_eq!(map("-3"), Value::Int(-3));
        assert_eq!(map("0x17"), Value::Int(23));
        assert_eq!(map("1.50"), Value::Float("1.50".into()));
        assert_eq!(map("1e3"), Value::Float("1e3".into()));
        assert_eq!(map("'4688'"), Value::Str("4688".into()));
        assert_eq!(map("null"), Value::Null);
        assert_eq!(map(""), Value::Null);
        assert_eq!(map("~"), Value::Null);
        assert_eq!(map("True"), Value::Bool(true));
        assert_eq!(map("yes"), Value::Str("yes".into()));
        assert_eq!(map("2024-01-02"), Value::Str("2024-01-02".into()));
        assert_eq!(map("1.2.3"), Value::Str("1.2.3".into()));
        assert_eq!(map("-x"), Value::Str("-x".into()));
        assert_eq!(map("!!str 12"), Value::Str("12".into()));
    }

    #[test]
    fn positions_are_absolute_lines() {
        let docs = load_documents("a: 1\n---\n# c\nb:\n  - x\n");
        assert_eq!(docs.len(), 2);
        let LoadedDocument::Node(Node {
            value: Value::Map(entries),
            ..
        }) = &docs[1]
        else {
            panic!("{docs:?}")
        };
        assert_eq!(entries[0].0.pos, Pos { line: 4, col: 1 });
        let Value::Seq(items) = &entries[0].1.value else {
            panic!()
        };
        assert_eq!(items[0].pos, Pos { line: 5, col: 5 });
    }

    #[test]
    fn a_bad_document_loses_only_itself() {
        let docs =
            load_documents("a: 1\n---\nb: [unclosed\n---\nc: 3\n...\n%YAML 1.2\n---\nd: 4\n");
        assert_eq!(docs.len(), 4, "{docs:?}");
        assert!(matches!(docs[0], LoadedDocument::Node(_)));
        let LoadedDocument::Error(error) = &docs[1] else {
            panic!("{docs:?}")
        };
        assert!(error.pos.is_some_and(|p| p.line >= 3), "{error:?}");
        assert!(matches!(docs[2], LoadedDocument::Node(_)));
        assert!(matches!(docs[3], LoadedDocument::Node(_)));
    }

    #[test]
    fn duplicate_keys_and_aliases() {
        let docs = load_documents("a: 1\nb: 2\na: 3\n");
        let LoadedDocument::Error(error) = &docs[0] else {
            panic!("{docs:?}")
        };
        assert_eq!(error.pos, Some(Pos { line: 3, col: 1 }));
        assert!(error.message.contains("duplicate key 'a'"));
        let value = one("x: &v [1, 2]\ny: *v\n");
        let Value::Map(entries) = value else { panic!() };
        assert_eq!(entries[0].1.value, entries[1].1.value);
    }
}

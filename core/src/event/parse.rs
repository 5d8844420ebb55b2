//! Parsing batches of JSON events: one object, an array, NDJSON, or concatenated objects.

use super::frame::{Framing, frame};
use super::{Event, Fields, windows};
use serde::Serialize;
use serde_json::{Map, Value as Json};

/// An input record that could not become an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// 1-based line of the record in its input (for a JSON array: the element's index + 1).
    pub line: usize,
    /// Why it was rejected, naming the field where one is at fault.
    pub reason: String,
}

/// The result of parsing a batch: every valid event, and a [`Rejected`] for every bad record.
#[derive(Debug, Clone, Default)]
pub struct ParsedBatch {
    /// The events, in input order.
    pub events: Vec<Event>,
    /// For each event, its 1-based line in the input (array index + 1 for JSON arrays).
    pub lines: Vec<usize>,
    /// The records that could not be parsed, in input order.
    pub rejected: Vec<Rejected>,
}

impl ParsedBatch {
    /// A batch of events given as a list: each event's line is its 1-based position, as in a
    /// JSON array. What [`crate::Engine::ingest`] and the doors' lists of events use.
    ///
    /// ```
    /// use finmark::event::{Event, ParsedBatch};
    /// let batch = ParsedBatch::numbered(vec![Event::new(Default::default())]);
    /// assert_eq!(batch.lines, [1]);
    /// ```
    pub fn numbered(events: Vec<Event>) -> ParsedBatch {
        ParsedBatch {
            lines: (1..=events.len()).collect(),
            events,
            rejected: Vec::new(),
        }
    }

    /// Adds an event found at `line` (1-based) of the input.
    pub fn push(&mut self, line: usize, event: Event) {
        self.events.push(event);
        self.lines.push(line);
    }

    /// Adds a record at `line` that is not a valid event, with the reason.
    pub fn reject(&mut self, line: usize, reason: String) {
        self.rejected.push(Rejected { line, reason });
    }

    fn accept(&mut self, line: usize, value: Json) {
        match parse_value(value) {
            Ok(event) => self.push(line, event),
            Err(reason) => self.reject(line, reason),
        }
    }
}

/// An event from one parsed JSON object: Windows event-log records (`Event.System` layout)
/// are flattened like Chainsaw does, any other object is flattened to dotted names.
pub fn parse_object(mut object: Map<String, Json>) -> Event {
    let fields = windows::flatten_windows_event(&mut object)
        .unwrap_or_else(|| Fields::from_json_object(object));
    Event::new(fields)
}

/// The event of one parsed JSON value, or why it is not one (in the words [`parse`] uses for
/// a rejected record).
pub fn parse_value(value: Json) -> Result<Event, String> {
    match value {
        Json::Object(object) => Ok(parse_object(object)),
        other => Err(format!("expected a JSON object, found {}", kind_of(&other))),
    }
}

/// Parses one NDJSON record (a whole line, without its newline) into an event, or says why it
/// is not one in the words [`parse`] uses for a rejected line.
pub fn parse_line(line: &[u8]) -> Result<Event, String> {
    match read_line(line) {
        LineRecord::Event(event) => Ok(event),
        LineRecord::Rejected(reason) => Err(reason),
        LineRecord::Continues(e) => Err(describe(&e)),
    }
}

/// What one line holds.
enum LineRecord {
    Event(Event),
    Rejected(String),
    /// The start of a value that continues on later lines.
    Continues(serde_json::Error),
}

/// Reads a line straight into flattened fields; Windows-event records and values that are not
/// objects take the general reader, which flattens the former and names the latter.
fn read_line(text: &[u8]) -> LineRecord {
    let fields = match std::str::from_utf8(text) {
        // One UTF-8 check for the line instead of one per string.
        Ok(text) => serde_json::from_str::<Fields>(text),
        // The byte reader says where the bad byte is, in the words a bad line is reported.
        Err(_) => serde_json::from_slice::<Fields>(text),
    };
    match fields {
        Ok(fields) if !windows::is_nested_windows_event(&fields) => {
            LineRecord::Event(Event::new(fields))
        }
        Err(e) if e.is_eof() => LineRecord::Continues(e),
        Err(e) if !matches!(e.classify(), serde_json::error::Category::Data) => {
            LineRecord::Rejected(describe(&e))
        }
        _ => match serde_json::from_slice::<Json>(text) {
            Ok(value) => match parse_value(value) {
                Ok(event) => LineRecord::Event(event),
                Err(reason) => LineRecord::Rejected(reason),
            },
            Err(e) => LineRecord::Rejected(describe(&e)),
        },
    }
}

/// Parses a batch of events from JSON bytes, keeping every valid event.
///
/// Accepted layouts, detected from the content (see [`super::frame`]):
/// - a JSON array of objects (a non-object element is rejected, the others kept);
/// - NDJSON, one object per line (a malformed line is rejected, the others kept);
/// - objects concatenated with any whitespace, pretty-printed over many lines, as
///   `evtx_dump -o json` writes; a malformed object is rejected and parsing resumes at the
///   next line that starts with `{`.
///
/// Never fails: problems are reported in [`ParsedBatch::rejected`] with their line.
pub fn parse(bytes: &[u8]) -> ParsedBatch {
    let mut batch = ParsedBatch::default();
    match frame(bytes) {
        Framing::Empty => {}
        Framing::Array(bytes) => parse_array(bytes, &mut batch),
        Framing::Lines(mut lines) => {
            while let Some((line, text)) = lines.next_line() {
                match read_line(text) {
                    LineRecord::Event(event) => batch.push(line, event),
                    LineRecord::Continues(_) => match lines.read_multiline() {
                        Ok(value) => batch.accept(line, value),
                        Err(reason) => batch.reject(line, reason),
                    },
                    LineRecord::Rejected(reason) => batch.reject(line, reason),
                }
            }
        }
    }
    batch
}

fn parse_array(bytes: &[u8], batch: &mut ParsedBatch) {
    match serde_json::from_slice::<Vec<Json>>(bytes) {
        Ok(items) => {
            for (index, item) in items.into_iter().enumerate() {
                batch.accept(index + 1, item);
            }
        }
        Err(e) => batch.reject(e.line(), format!("malformed JSON array: {e}")),
    }
}

fn describe(e: &serde_json::Error) -> String {
    format!("malformed JSON: {e}")
}

fn kind_of(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson_keeps_valid_lines() {
        let b = parse(b"{\"a\":1}\n{bad\n\n{\"a\":2}\n42\n");
        assert_eq!(b.events.len(), 2);
        assert_eq!(b.lines, vec![1, 4]);
        assert_eq!(
            b.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![2, 5]
        );
        assert!(b.rejected[1].reason.contains("expected a JSON object"));
    }

    #[test]
    fn invalid_utf8_names_its_place() {
        let b = parse(b"{\"a\": \"ok\"}\n{\"a\": \"\xff\"}\n{\"b\": \"\xc3\xa9\"}\n");
        assert_eq!(b.lines, vec![1, 3]);
        assert_eq!(b.rejected.len(), 1);
        assert_eq!(b.rejected[0].line, 2);
        let reason = &b.rejected[0].reason;
        assert!(
            reason.contains("invalid unicode") && reason.contains("column 8"),
            "{reason}"
        );
        assert_eq!(b.events[1].fields.get("b"), Some(&"é".into()));
    }

    #[test]
    fn pretty_printed_concatenation() {
        let text = "{\n  \"a\": 1,\n  \"b\": {\"c\": 2}\n}\n{\n  \"a\": 3\n}\n";
        let b = parse(text.as_bytes());
        assert_eq!(b.lines, vec![1, 5]);
        assert_eq!(
            b.events[0].fields.get("b.c"),
            Some(&super::super::Value::Int(2))
        );
        assert!(b.rejected.is_empty());
    }

    #[test]
    fn broken_multiline_object_is_skipped() {
        let text = "{\n  \"a\": 1,\n  \"b\" 2\n}\n{\n  \"a\": 3\n}\n";
        let b = parse(text.as_bytes());
        assert_eq!(b.lines, vec![5]);
        assert_eq!(b.rejected.len(), 1);
        assert_eq!(b.rejected[0].line, 1);
        assert!(
            b.rejected[0].reason.contains("line 3"),
            "{}",
            b.rejected[0].reason
        );
    }

    #[test]
    fn array_elements() {
        let b = parse(b" [{\"a\":1}, 2, {\"a\":3}]");
        assert_eq!(b.lines, vec![1, 3]);
        assert_eq!(b.rejected[0].line, 2);
    }
}

//! Framing JSON input into records: the one place that decides where each record of a batch
//! starts and ends, for the event parser ([`super::parse`]) and the detection fast path
//! ([`crate::detect::RuleSet::match_json`]) alike.
//!
//! The layout is read from the content:
//! - input whose first non-blank byte is `[` is one JSON array, its elements the records
//!   (numbered from 1);
//! - anything else is read line by line: a line holding a complete JSON value is a record
//!   (NDJSON), and a value that runs past the end of its line (a pretty-printed object, as
//!   `evtx_dump -o json` writes them one after another) is read on from there by
//!   [`Lines::read_multiline`]. Blank lines are skipped.
//!
//! Whether a record is a Windows event-log record (`{"Event": {"System": ...}}`) is not a
//! question of framing: [`is_windows_record_key`] names the key that tells it, and the record
//! is flattened by structure once parsed.
//!
//! ```
//! use finmark::event::frame::{Framing, frame};
//! let Framing::Lines(mut lines) = frame(b"{\"a\": 1}\n\n{\n  \"b\": 2\n}\n") else { panic!() };
//! assert_eq!(lines.next_line(), Some((1, &b"{\"a\": 1}"[..])));
//! let (line, _) = lines.next_line().unwrap();
//! assert_eq!(line, 3); // `{` alone: the value goes on below
//! assert!(lines.read_multiline().is_ok());
//! assert_eq!(lines.next_line(), None);
//! ```

use serde_json::Value as Json;

/// How the records of an input are laid out.
#[derive(Debug)]
pub enum Framing<'a> {
    /// Nothing but whitespace.
    Empty,
    /// One JSON array (the whole input): its elements are the records.
    Array(&'a [u8]),
    /// Records on lines: one per line, or spanning several lines.
    Lines(Lines<'a>),
}

/// The layout of `bytes`.
pub fn frame(bytes: &[u8]) -> Framing<'_> {
    match first_byte(bytes) {
        None => Framing::Empty,
        Some(ARRAY_OPEN) => Framing::Array(bytes),
        Some(_) => Framing::Lines(Lines::new(bytes)),
    }
}

/// The byte that opens a JSON array input.
const ARRAY_OPEN: u8 = b'[';

/// The first byte of `bytes` that is not whitespace.
fn first_byte(bytes: &[u8]) -> Option<u8> {
    bytes.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// True when input whose first non-blank bytes are in `start` is one JSON array.
pub fn opens_array(start: &[u8]) -> bool {
    first_byte(start) == Some(ARRAY_OPEN)
}

/// True when `line` can start a record of a line layout: it opens an object at its first
/// column (every NDJSON line; every top-level object of `evtx_dump -o json` output). A
/// malformed multi-line object is skipped up to such a line, and large inputs are cut into
/// chunks only before one ([`super::chunks`]).
pub fn opens_record(line: &[u8]) -> bool {
    line.first() == Some(&b'{')
}

/// The top-level key of a Windows event-log record exported as JSON
/// (`{"Event": {"System": {...}, "EventData": {...}}}`): a record with this key is read by
/// the general parser, which flattens it by its structure.
pub fn is_windows_record_key(key: &str) -> bool {
    key == "Event"
}

/// The lines of an input, read one record at a time.
#[derive(Debug)]
pub struct Lines<'a> {
    bytes: &'a [u8],
    /// Where the next line starts.
    pos: usize,
    /// The 1-based number of the next line.
    next_number: usize,
    /// Where the line last returned by [`Lines::next_line`] starts, and its number.
    current: (usize, usize),
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            pos: 0,
            next_number: 1,
            current: (0, 0),
        }
    }

    /// The next line that is not blank, with its 1-based number, without its line break.
    pub fn next_line(&mut self) -> Option<(usize, &'a [u8])> {
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let rest = &self.bytes[start..];
            let (line, advance) = match memchr::memchr(b'\n', rest) {
                Some(i) => (&rest[..i], i + 1),
                None => (rest, rest.len()),
            };
            let number = self.next_number;
            self.pos += advance;
            self.next_number += 1;
            if !line.iter().all(u8::is_ascii_whitespace) {
                self.current = (start, number);
                return Some((number, line));
            }
        }
        None
    }

    /// Reads the JSON value that starts on the line [`Lines::next_line`] returned last and
    /// runs past its end; the next line read is the one after the value's end.
    ///
    /// A malformed value is an error naming the line and column where it went wrong (in the
    /// whole input's numbering); reading resumes at the next line that opens an object at
    /// its first column.
    pub fn read_multiline(&mut self) -> Result<Json, String> {
        let (start, number) = self.current;
        let mut stream = serde_json::Deserializer::from_slice(&self.bytes[start..]).into_iter();
        match stream.next() {
            Some(Ok(value)) => {
                let end = start + stream.byte_offset();
                // Go on with the line after the one where the value ended.
                let next_line = match memchr::memchr(b'\n', &self.bytes[end..]) {
                    Some(i) => end + i + 1,
                    None => self.bytes.len(),
                };
                self.skip_to(next_line);
                Ok(value)
            }
            Some(Err(e)) => {
                let reason = format!(
                    "malformed JSON object: {} at line {} column {}",
                    describe_category(&e),
                    number + e.line() - 1,
                    e.column()
                );
                self.resync();
                Err(reason)
            }
            None => Err("expected a JSON value".to_string()),
        }
    }

    /// Moves on to the line starting at `to`, counting the lines passed.
    fn skip_to(&mut self, to: usize) {
        let to = to.min(self.bytes.len());
        if to > self.pos {
            self.next_number += memchr::memchr_iter(b'\n', &self.bytes[self.pos..to]).count();
            self.pos = to;
        }
    }

    /// Moves on to the next line that [`opens_record`].
    fn resync(&mut self) {
        let rest = &self.bytes[self.pos..];
        let to = std::iter::once(self.pos)
            .chain(memchr::memchr_iter(b'\n', rest).map(|i| self.pos + i + 1))
            .find(|&at| opens_record(&self.bytes[at..]))
            .unwrap_or(self.bytes.len());
        self.skip_to(to);
    }
}

/// The kind of a JSON error, in words.
pub(super) fn describe_category(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Eof => "unexpected end of input",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "invalid value",
        serde_json::error::Category::Io => "read error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Lines<'_> {
        match frame(text.as_bytes()) {
            Framing::Lines(lines) => lines,
            other => panic!("not lines: {other:?}"),
        }
    }

    #[test]
    fn layouts() {
        assert!(matches!(frame(b" \n\t"), Framing::Empty));
        assert!(matches!(frame(b"\n  [1]"), Framing::Array(_)));
        assert!(matches!(frame(b"{}"), Framing::Lines(_)));
    }

    #[test]
    fn numbers_lines_and_skips_blank_ones() {
        let mut l = lines("{}\n\n  \r\n{\"a\":1}\r\n{}");
        assert_eq!(l.next_line(), Some((1, &b"{}"[..])));
        assert_eq!(l.next_line(), Some((4, &b"{\"a\":1}\r"[..])));
        assert_eq!(l.next_line(), Some((5, &b"{}"[..])));
        assert_eq!(l.next_line(), None);
    }

    #[test]
    fn multiline_values_continue_after_their_last_line() {
        let mut l = lines("{\n  \"a\": 1\n}\n{\"b\": 2}\n{\n\"c\": 3}  \n{}\n");
        assert_eq!(l.next_line().unwrap().0, 1);
        assert_eq!(l.read_multiline().unwrap()["a"], 1);
        assert_eq!(l.next_line(), Some((4, &b"{\"b\": 2}"[..])));
        assert_eq!(l.next_line().unwrap().0, 5);
        assert_eq!(l.read_multiline().unwrap()["c"], 3);
        assert_eq!(l.next_line(), Some((7, &b"{}"[..])));
    }

    #[test]
    fn a_broken_multiline_value_resumes_at_the_next_object() {
        let mut l = lines("{\n  \"a\": 1,\n  \"b\" 2\n}\n{\n  \"a\": 3\n}\n");
        assert_eq!(l.next_line().unwrap().0, 1);
        let reason = l.read_multiline().unwrap_err();
        assert!(reason.contains("line 3"), "{reason}");
        assert_eq!(l.next_line().unwrap().0, 5);
        assert_eq!(l.read_multiline().unwrap()["a"], 3);
        assert_eq!(l.next_line(), None);
    }
}

//! Reading large JSON inputs a piece at a time: each [`Chunk`] holds whole records and knows
//! the line it starts at, so parsing it with [`super::parse`] (or matching it with
//! [`crate::RuleSet::match_json`]) gives line numbers of the whole input.
//!
//! ```
//! use finmark::event::chunks::Chunks;
//! let input = "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3}\n";
//! let chunks: Vec<_> = Chunks::new(input.as_bytes(), 2).collect::<Result<_, _>>().unwrap();
//! assert_eq!(chunks.len(), 2);
//! assert_eq!(chunks[1].first_line, 3);
//! let batch = finmark::event::parse(&chunks[1].bytes);
//! assert_eq!(chunks[1].line(batch.lines[0]), 3);
//! ```

use super::frame::{opens_array, opens_record};
use std::io::{self, BufRead};

/// Whole records cut from a larger input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The 1-based line of the input that `bytes` starts with.
    pub first_line: usize,
    /// The records: NDJSON lines, pretty-printed objects, or a whole JSON array.
    pub bytes: Vec<u8>,
}

impl Chunk {
    /// The line of the input that is line `line_in_chunk` (1-based) of this chunk.
    pub fn line(&self, line_in_chunk: usize) -> usize {
        self.first_line + line_in_chunk - 1
    }
}

/// Cuts a reader's JSON into [`Chunk`]s of about `records` records each, reading as it goes.
///
/// A chunk ends only before a line that [`opens_record`] (as the framing of
/// [`super::frame`] reads records), so pretty-printed objects are never split. An input
/// that [`opens_array`] is a JSON array and is returned as one chunk (array elements are numbered by index + 1, which
/// only holds for the whole array). Lines are kept byte for byte, so a record that is not
/// valid JSON reaches the parser and is reported with its line.
#[derive(Debug)]
pub struct Chunks<R> {
    reader: R,
    records: usize,
    next_line: usize,
    /// A line already read that opens the next chunk.
    carried: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Chunks<R> {
    /// Chunks of about `records` records (at least one) from `reader`.
    pub fn new(reader: R, records: usize) -> Chunks<R> {
        Chunks {
            reader,
            records: records.max(1),
            next_line: 1,
            carried: Vec::new(),
            done: false,
        }
    }

    fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        let first_line = self.next_line;
        let mut bytes = std::mem::take(&mut self.carried);
        let mut started = usize::from(opens_record(&bytes));
        if !bytes.is_empty() {
            self.next_line += 1;
        }
        loop {
            let start = bytes.len();
            if self.reader.read_until(b'\n', &mut bytes)? == 0 {
                self.done = true;
                break;
            }
            if started == 0 && is_array_start(&bytes[..start], &bytes[start..]) {
                self.reader.read_to_end(&mut bytes)?;
                self.done = true;
                break;
            }
            if opens_record(&bytes[start..]) {
                if started == self.records {
                    self.carried = bytes.split_off(start);
                    break;
                }
                started += 1;
            }
            self.next_line += 1;
        }
        Ok((!bytes.is_empty()).then_some(Chunk { first_line, bytes }))
    }
}

/// True when `line` holds the first non-blank byte of the input so far and it opens an array.
fn is_array_start(before: &[u8], line: &[u8]) -> bool {
    before.iter().all(u8::is_ascii_whitespace) && opens_array(line)
}

impl<R: BufRead> Iterator for Chunks<R> {
    type Item = io::Result<Chunk>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done && self.carried.is_empty() {
            return None;
        }
        match self.next_chunk() {
            Ok(chunk) => chunk.map(Ok),
            Err(e) => {
                self.done = true;
                self.carried.clear();
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::parse;

    fn chunks(input: &str, records: usize) -> Vec<Chunk> {
        Chunks::new(input.as_bytes(), records)
            .collect::<io::Result<_>>()
            .unwrap()
    }

    /// Every event's and rejection's line, through chunks, as the whole input numbers them.
    fn lines(input: &str, records: usize) -> (Vec<usize>, Vec<usize>) {
        let mut events = Vec::new();
        let mut rejected = Vec::new();
        for chunk in chunks(input, records) {
            let batch = parse(&chunk.bytes);
            events.extend(batch.lines.iter().map(|&l| chunk.line(l)));
            rejected.extend(batch.rejected.iter().map(|r| chunk.line(r.line)));
        }
        (events, rejected)
    }

    #[test]
    fn ndjson_in_pieces_keeps_line_numbers() {
        let input = "{\"a\":1}\n\n{bad\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}";
        let whole = parse(input.as_bytes());
        let expected = (
            whole.lines.clone(),
            whole.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
        );
        assert_eq!(expected, (vec![1, 4, 5, 6], vec![3]));
        for records in 1..6 {
            assert_eq!(lines(input, records), expected, "records {records}");
        }
        let pieces = chunks(input, 2);
        assert_eq!(pieces.len(), 3);
        assert_eq!(
            pieces.iter().map(|c| c.first_line).collect::<Vec<_>>(),
            vec![1, 4, 6]
        );
        let total: usize = pieces.iter().map(|c| c.bytes.len()).sum();
        assert_eq!(total, input.len());
    }

    #[test]
    fn pretty_printed_objects_are_not_split() {
        let input = "{\n  \"a\": 1\n}\n{\n  \"a\": {\n    \"b\": 2\n  }\n}\n{\n  \"a\": 3\n}\n";
        assert_eq!(lines(input, 1), (vec![1, 4, 9], vec![]));
        assert_eq!(chunks(input, 1).len(), 3);
    }

    #[test]
    fn arrays_are_one_chunk() {
        let input = "\n [\n{\"a\": 1},\n{\"a\": 2},\n 7\n]\n";
        let pieces = chunks(input, 1);
        assert_eq!(pieces.len(), 1);
        assert_eq!(lines(input, 1), (vec![1, 2], vec![3]));
    }

    #[test]
    fn small_read_buffers_change_nothing() {
        let input: String = (0..50)
            .map(|i| match i % 3 {
                0 => format!("{{\"n\": {i}}}\n"),
                1 => format!("{{\n  \"n\": {i}\n}}\n"),
                _ => "{broken\n".to_string(),
            })
            .collect();
        let reader = io::BufReader::with_capacity(7, input.as_bytes());
        let pieces: Vec<Chunk> = Chunks::new(reader, 4).collect::<io::Result<_>>().unwrap();
        assert_eq!(pieces, chunks(&input, 4));
        let whole = parse(input.as_bytes());
        let (events, rejected) = lines(&input, 4);
        assert_eq!(events, whole.lines);
        assert_eq!(
            rejected,
            whole.rejected.iter().map(|r| r.line).collect::<Vec<_>>()
        );
        assert_eq!(events.len(), 34);
    }

    #[test]
    fn empty_input_has_no_chunks() {
        assert!(chunks("", 3).is_empty());
        assert_eq!(chunks("\n\n", 3).len(), 1);
    }
}

//! The parser's internal error: a message and, when known, where in the file it applies.
//! [`super::document`] turns it into a [`crate::detect::RuleError`] naming the file.

use super::yaml::Pos;

/// Why a document (or one construct in it) was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    /// Where the offending construct starts.
    pub pos: Option<Pos>,
    /// What is wrong, naming the construct (`detection.selection: ...`).
    pub message: String,
}

impl ParseError {
    /// An error at a known position.
    pub fn at(pos: Pos, message: impl Into<String>) -> ParseError {
        ParseError {
            pos: Some(pos),
            message: message.into(),
        }
    }

    /// Prefixes the message with the construct it happened in (`detection.selection`).
    pub fn within(mut self, construct: &str) -> ParseError {
        self.message = format!("{construct}: {}", self.message);
        self
    }
}

/// Results of the parser's internal steps.
pub(crate) type Parsed<T> = Result<T, ParseError>;

//! Errors of rule loading: [`RuleError`], what a rejected rule reports (its file and why), and
//! the parser's internal [`ParseError`] (a message and, when known, where in the file it
//! applies), which [`super::document`] turns into a [`RuleError`] naming the file.

use super::yaml::Pos;
use crate::error::Error;
use serde::Serialize;
use std::path::PathBuf;

/// A rule that could not be loaded or compiled, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleError {
    /// The file (or label) the rule came from.
    pub file: PathBuf,
    /// Why it was rejected: the construct and the reason.
    pub reason: String,
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.reason)
    }
}

impl From<RuleError> for Error {
    fn from(e: RuleError) -> Error {
        Error::invalid_rule(e.to_string())
    }
}

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

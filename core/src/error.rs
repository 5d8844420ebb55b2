//! The one error type of finmark and its stable [`ErrorKind`] vocabulary.
//!
//! Every binding maps [`ErrorKind`] exactly once: Python raises a subclass of
//! `finmark.FinmarkError` per kind, Node throws an `Error` whose `code` is
//! [`ErrorKind::code`], and C returns the matching `finmark_status`.

use std::fmt;

/// What went wrong, in words that stay the same across versions and languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An event could not be parsed or validated.
    InvalidEvent,
    /// A Sigma rule, filter, correlation or pipeline could not be parsed or compiled.
    InvalidRule,
    /// A query, storage URL or argument was malformed.
    InvalidQuery,
    /// The thing asked for does not exist.
    NotFound,
    /// The actor may not perform the action.
    PermissionDenied,
    /// The change conflicts with the current state.
    Conflict,
    /// A rate limit refused the call.
    RateLimited,
    /// The storage backend failed (I/O, connection, constraint).
    Storage,
    /// Stored data failed an integrity check.
    Integrity,
    /// A bug in finmark: please report it.
    Internal,
}

impl ErrorKind {
    /// Every kind, in the order of their numeric codes (1-based in C).
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::InvalidEvent,
        ErrorKind::InvalidRule,
        ErrorKind::InvalidQuery,
        ErrorKind::NotFound,
        ErrorKind::PermissionDenied,
        ErrorKind::Conflict,
        ErrorKind::RateLimited,
        ErrorKind::Storage,
        ErrorKind::Integrity,
        ErrorKind::Internal,
    ];

    /// The stable upper-case code, for example `"INVALID_RULE"`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidEvent => "INVALID_EVENT",
            ErrorKind::InvalidRule => "INVALID_RULE",
            ErrorKind::InvalidQuery => "INVALID_QUERY",
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::PermissionDenied => "PERMISSION_DENIED",
            ErrorKind::Conflict => "CONFLICT",
            ErrorKind::RateLimited => "RATE_LIMITED",
            ErrorKind::Storage => "STORAGE",
            ErrorKind::Integrity => "INTEGRITY",
            ErrorKind::Internal => "INTERNAL",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A finmark error: a [`ErrorKind`] and a message that names what was wrong and where.
///
/// ```
/// use finmark::{Error, ErrorKind};
/// let e = Error::new(ErrorKind::InvalidQuery, "unknown storage scheme 'ftp'");
/// assert_eq!(e.kind(), ErrorKind::InvalidQuery);
/// assert_eq!(e.to_string(), "INVALID_QUERY: unknown storage scheme 'ftp'");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// An error of `kind` with a message for humans.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// Shorthand for [`ErrorKind::InvalidEvent`].
    pub fn invalid_event(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidEvent, message)
    }

    /// Shorthand for [`ErrorKind::InvalidRule`].
    pub fn invalid_rule(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidRule, message)
    }

    /// Shorthand for [`ErrorKind::InvalidQuery`].
    pub fn invalid_query(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidQuery, message)
    }

    /// Shorthand for [`ErrorKind::Storage`].
    pub fn storage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Storage, message)
    }

    /// Shorthand for [`ErrorKind::Internal`].
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    /// The stable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message without the kind prefix.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error with `context` put in front of its message, for example a file name.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::storage(e.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Error::storage(format!("migration failed: {e}"))
    }
}

/// `Result` with finmark's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

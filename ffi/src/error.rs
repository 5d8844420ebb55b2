//! The one place where failures become C: the [`finmark_status`] codes, the mapping from
//! finmark's [`ErrorKind`] to them, and the thread-local last error message.

use finmark::{Error, ErrorKind};
use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_int};
use std::str::Utf8Error;
use std::sync::OnceLock;

/// What a finmark function did: `FINMARK_OK`, or why it failed.
///
/// Codes 1 to 10 are finmark's error kinds, the same in every language finmark speaks (Python
/// raises `finmark.InvalidRuleError` where C returns `FINMARK_INVALID_RULE`). Codes from 100 on
/// are mistakes in the call itself that only C can make. After any code but `FINMARK_OK`,
/// `finmark_last_error_message()` says what was wrong and where.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum finmark_status {
    /// The call succeeded.
    FINMARK_OK = 0,
    /// An event could not be parsed or validated.
    FINMARK_INVALID_EVENT = 1,
    /// A Sigma rule, filter, correlation or pipeline could not be parsed or compiled.
    FINMARK_INVALID_RULE = 2,
    /// A query, storage URL, option or other argument was malformed.
    FINMARK_INVALID_QUERY = 3,
    /// The thing asked for does not exist.
    FINMARK_NOT_FOUND = 4,
    /// The actor may not perform the action.
    FINMARK_PERMISSION_DENIED = 5,
    /// The change conflicts with the current state.
    FINMARK_CONFLICT = 6,
    /// A rate limit refused the call.
    FINMARK_RATE_LIMITED = 7,
    /// The storage backend failed (I/O, connection, constraint, or the engine was closed).
    FINMARK_STORAGE = 8,
    /// Stored data failed an integrity check.
    FINMARK_INTEGRITY = 9,
    /// A bug in finmark, a panic included: please report it with the message.
    FINMARK_INTERNAL = 10,
    /// A pointer argument that must not be NULL was NULL (the message names it).
    FINMARK_NULL_ARGUMENT = 100,
    /// A string argument was not valid UTF-8 (the message names it and the byte offset).
    FINMARK_INVALID_UTF8 = 101,
}

/// The status of each error kind, in the order of [`ErrorKind::ALL`].
fn status_of(kind: ErrorKind) -> finmark_status {
    use finmark_status::*;
    match kind {
        ErrorKind::InvalidEvent => FINMARK_INVALID_EVENT,
        ErrorKind::InvalidRule => FINMARK_INVALID_RULE,
        ErrorKind::InvalidQuery => FINMARK_INVALID_QUERY,
        ErrorKind::NotFound => FINMARK_NOT_FOUND,
        ErrorKind::PermissionDenied => FINMARK_PERMISSION_DENIED,
        ErrorKind::Conflict => FINMARK_CONFLICT,
        ErrorKind::RateLimited => FINMARK_RATE_LIMITED,
        ErrorKind::Storage => FINMARK_STORAGE,
        ErrorKind::Integrity => FINMARK_INTEGRITY,
        ErrorKind::Internal => FINMARK_INTERNAL,
    }
}

/// Why an exported function failed: an error of the core, or a mistake in the C call.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The core reported an error.
    Core(Error),
    /// The named pointer argument was NULL.
    NullArgument(&'static str),
    /// The named string argument was not UTF-8.
    InvalidUtf8(&'static str, Utf8Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Core(e)
    }
}

impl Failure {
    fn status(&self) -> finmark_status {
        match self {
            Failure::Core(e) => status_of(e.kind()),
            Failure::NullArgument(_) => finmark_status::FINMARK_NULL_ARGUMENT,
            Failure::InvalidUtf8(..) => finmark_status::FINMARK_INVALID_UTF8,
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::Core(e) => e.message().to_string(),
            Failure::NullArgument(name) => format!("argument '{name}' is NULL"),
            Failure::InvalidUtf8(name, e) => format!("argument '{name}' is not valid UTF-8: {e}"),
        }
    }
}

/// The result of an exported function's body.
pub(crate) type Outcome<T = ()> = Result<T, Failure>;

thread_local! {
    /// The message of the last failed call on this thread; `None` after a successful call.
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

/// Records how a call ended (clearing or setting the last error) and returns its status.
pub(crate) fn report(outcome: Outcome) -> finmark_status {
    match outcome {
        Ok(()) => {
            LAST_ERROR.with_borrow_mut(|last| *last = None);
            finmark_status::FINMARK_OK
        }
        Err(failure) => {
            record(&failure);
            failure.status()
        }
    }
}

/// Makes `failure` the last error of this thread.
pub(crate) fn record(failure: &Failure) {
    let message = c_string_lossy(failure.message());
    LAST_ERROR.with_borrow_mut(|last| *last = Some(message));
}

/// `text` as a C string; a NUL inside (say, quoted from a caller's bytes) becomes U+FFFD.
pub(crate) fn c_string_lossy(text: String) -> CString {
    CString::new(text).unwrap_or_else(|e| {
        let cleaned = String::from_utf8_lossy(&e.into_vec()).replace('\0', "\u{FFFD}");
        CString::new(cleaned).unwrap_or_default()
    })
}

/// The name of a status code: `"OK"`, the error kind's code (`"INVALID_RULE"`, ...),
/// `"NULL_ARGUMENT"`, `"INVALID_UTF8"`, or `"UNKNOWN"` for a number that is no status.
fn status_name(code: c_int) -> &'static CStr {
    static KIND_NAMES: OnceLock<Vec<(c_int, CString)>> = OnceLock::new();
    let kinds = KIND_NAMES.get_or_init(|| {
        ErrorKind::ALL
            .iter()
            .map(|kind| {
                (
                    status_of(*kind) as c_int,
                    c_string_lossy(kind.code().into()),
                )
            })
            .collect()
    });
    match code {
        0 => c"OK",
        100 => c"NULL_ARGUMENT",
        101 => c"INVALID_UTF8",
        _ => kinds
            .iter()
            .find(|(status, _)| *status == code)
            .map_or(c"UNKNOWN", |(_, name)| name.as_c_str()),
    }
}

/// The message of the last call on this thread that failed, naming what was wrong and
/// where (file, line, field, argument), or an empty string when the last call succeeded.
///
/// Never NULL. The string belongs to finmark and stays valid until the next finmark call on
/// the same thread; copy it to keep it.
#[unsafe(no_mangle)]
pub extern "C" fn finmark_last_error_message() -> *const c_char {
    crate::panic::ffi_boundary_or(c"".as_ptr(), || {
        LAST_ERROR.with_borrow(|last| last.as_ref().map_or(c"".as_ptr(), |m| m.as_ptr()))
    })
}

/// The name of a status code as a static string: `"OK"`, `"INVALID_EVENT"`, ...,
/// `"NULL_ARGUMENT"`, `"INVALID_UTF8"`, or `"UNKNOWN"` for a number that is no status.
///
/// Takes an `int` so that any number is safe to pass. Never NULL; never to be freed.
#[unsafe(no_mangle)]
pub extern "C" fn finmark_status_name(code: c_int) -> *const c_char {
    crate::panic::ffi_boundary_or(c"UNKNOWN".as_ptr(), || status_name(code).as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_codes_in_order_with_their_names() {
        for (i, kind) in ErrorKind::ALL.iter().enumerate() {
            let status = status_of(*kind);
            assert_eq!(status as usize, i + 1, "{kind}");
            assert_eq!(status_name(status as c_int).to_str(), Ok(kind.code()));
        }
        assert_eq!(status_name(0).to_str(), Ok("OK"));
        assert_eq!(status_name(100).to_str(), Ok("NULL_ARGUMENT"));
        assert_eq!(status_name(101).to_str(), Ok("INVALID_UTF8"));
        assert_eq!(status_name(11).to_str(), Ok("UNKNOWN"));
        assert_eq!(status_name(-1).to_str(), Ok("UNKNOWN"));
    }

    #[test]
    fn last_error_is_set_by_failures_and_cleared_by_success() {
        let last = || {
            // SAFETY: the pointer is valid until the next finmark call on this thread.
            unsafe { CStr::from_ptr(finmark_last_error_message()) }
                .to_string_lossy()
                .into_owned()
        };
        let status = report(Err(Failure::NullArgument("url")));
        assert_eq!(status, finmark_status::FINMARK_NULL_ARGUMENT);
        assert_eq!(last(), "argument 'url' is NULL");
        let status = report(Err(Error::invalid_query("a\0b").into()));
        assert_eq!(status, finmark_status::FINMARK_INVALID_QUERY);
        assert_eq!(last(), "a\u{FFFD}b");
        assert_eq!(report(Ok(())), finmark_status::FINMARK_OK);
        assert_eq!(last(), "");
    }
}

//! The panic boundary: every exported function runs its body through [`ffi_boundary`] (or
//! [`ffi_boundary_or`] when it returns no status), so a panic inside finmark becomes
//! `FINMARK_INTERNAL` with a message, never an abort or undefined behaviour in the host.
//!
//! Rust aborts the process when a panic reaches an `extern "C"` function's edge; catching it
//! here is what keeps a bug in finmark from taking the host program down.

use crate::error::{self, Failure, Outcome, finmark_status};
use finmark::Error;
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs the body of an exported function that returns a status: its failure (or panic)
/// becomes the status and the thread's last error message; its success clears that message.
///
/// The engine's state stays consistent after a caught panic: the core keeps no invariant
/// across a panic that a later call could observe (its locks tolerate poisoning), hence
/// `AssertUnwindSafe`.
pub(crate) fn ffi_boundary(body: impl FnOnce() -> Outcome) -> finmark_status {
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|p| Err(panic_failure(p)));
    error::report(outcome)
}

/// Runs the body of an exported function that returns a value and no status (`*_free`,
/// message and name lookups): a panic is recorded as the last error and `fallback` returned.
pub(crate) fn ffi_boundary_or<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        error::record(&panic_failure(payload));
        fallback
    })
}

/// A caught panic as an internal error carrying the panic's message.
fn panic_failure(payload: Box<dyn Any + Send>) -> Failure {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    Failure::Core(Error::internal(format!(
        "finmark panicked (a bug, please report it): {what}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finmark_last_error_message;
    use std::ffi::CStr;

    fn last_error() -> String {
        // SAFETY: the pointer is valid until the next finmark call on this thread.
        unsafe { CStr::from_ptr(finmark_last_error_message()) }
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn a_panic_becomes_internal_with_its_message() {
        let status = ffi_boundary(|| panic!("deliberate panic {}", 42));
        assert_eq!(status, finmark_status::FINMARK_INTERNAL);
        assert!(
            last_error().contains("deliberate panic 42"),
            "{}",
            last_error()
        );

        let status = ffi_boundary(|| std::panic::panic_any(7_u8));
        assert_eq!(status, finmark_status::FINMARK_INTERNAL);
        assert!(last_error().contains("(no message)"), "{}", last_error());
    }

    #[test]
    fn a_panic_without_status_returns_the_fallback_and_records_it() {
        let value = ffi_boundary_or(-1, || -> i32 { panic!("deliberate") });
        assert_eq!(value, -1);
        assert!(last_error().contains("deliberate"), "{}", last_error());
    }

    #[test]
    fn a_failure_passes_through_and_success_clears_the_message() {
        let status = ffi_boundary(|| Err(Error::storage("disk gone").into()));
        assert_eq!(status, finmark_status::FINMARK_STORAGE);
        assert_eq!(last_error(), "disk gone");
        assert_eq!(ffi_boundary(|| Ok(())), finmark_status::FINMARK_OK);
        assert_eq!(last_error(), "");
    }
}

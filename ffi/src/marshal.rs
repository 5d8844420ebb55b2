//! Values crossing the boundary: pointer and string arguments in (checked for NULL and UTF-8),
//! JSON arguments parsed into core types, out-parameters, and JSON strings out that the caller
//! frees with [`finmark_string_free`].

use crate::error::{Failure, Outcome, c_string_lossy};
use crate::panic::ffi_boundary_or;
use finmark::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::ffi::{CStr, CString, c_char};

/// The handle `ptr` points to; `name` names the argument in the NULL error.
///
/// # Safety
/// `ptr` is NULL or points to a live `T` that nothing mutates for `'a`.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, name: &'static str) -> Outcome<&'a T> {
    // SAFETY: the caller promises `ptr` is NULL or valid for 'a.
    unsafe { ptr.as_ref() }.ok_or(Failure::NullArgument(name))
}

/// A NUL-terminated UTF-8 string argument that must not be NULL.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that lives and stays unchanged for `'a`.
pub(crate) unsafe fn str_arg<'a>(ptr: *const c_char, name: &'static str) -> Outcome<&'a str> {
    // SAFETY: forwarded from the caller.
    unsafe { optional_str_arg(ptr, name) }?.ok_or(Failure::NullArgument(name))
}

/// A NUL-terminated UTF-8 string argument that may be NULL (`None`).
///
/// # Safety
/// As for [`str_arg`].
pub(crate) unsafe fn optional_str_arg<'a>(
    ptr: *const c_char,
    name: &'static str,
) -> Outcome<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: `ptr` is not NULL and the caller promises a NUL-terminated string.
    let text = unsafe { CStr::from_ptr(ptr) };
    text.to_str()
        .map(Some)
        .map_err(|e| Failure::InvalidUtf8(name, e))
}

/// A byte buffer argument (`ptr`, `len`), which must not be NULL even when `len` is 0.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes that stay unchanged for `'a`.
pub(crate) unsafe fn bytes_arg<'a>(
    ptr: *const c_char,
    len: usize,
    name: &'static str,
) -> Outcome<&'a [u8]> {
    if ptr.is_null() {
        return Err(Failure::NullArgument(name));
    }
    // SAFETY: `ptr` is not NULL and the caller promises `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
}

/// An out-parameter: checked for NULL, then set to `empty` at once so that the caller finds
/// a defined value (NULL, 0) whatever happens next.
///
/// # Safety
/// `ptr` is NULL or points to a writable `T` that nothing else touches for `'a`.
pub(crate) unsafe fn out_arg<'a, T>(
    ptr: *mut T,
    name: &'static str,
    empty: T,
) -> Outcome<&'a mut T> {
    // SAFETY: the caller promises `ptr` is NULL or valid and exclusive for 'a.
    let out = unsafe { ptr.as_mut() }.ok_or(Failure::NullArgument(name))?;
    *out = empty;
    Ok(out)
}

/// An optional JSON object argument parsed into a core type; NULL gives the type's default
/// (what `{}` gives). Malformed JSON is `FINMARK_INVALID_QUERY`, naming the argument and
/// showing the `expected` form.
///
/// # Safety
/// As for [`str_arg`].
pub(crate) unsafe fn json_arg<T: DeserializeOwned + Default>(
    ptr: *const c_char,
    name: &'static str,
    expected: &str,
) -> Outcome<T> {
    // SAFETY: forwarded from the caller.
    match unsafe { optional_str_arg(ptr, name) }? {
        None => Ok(T::default()),
        Some(text) => parse_json(text, name, expected),
    }
}

/// `text` parsed as JSON into `T`, or `FINMARK_INVALID_QUERY` naming `name` and showing the
/// `expected` form.
pub(crate) fn parse_json<T: DeserializeOwned>(
    text: &str,
    name: &str,
    expected: &str,
) -> Outcome<T> {
    finmark::arguments::from_json_text(text, name).map_err(|e| {
        Failure::Core(Error::invalid_query(format!(
            "{}; expected {expected}",
            e.message()
        )))
    })
}

/// Stores `value` as a JSON string in an out-parameter; the caller frees it with
/// [`finmark_string_free`].
pub(crate) fn set_json(out: &mut *mut c_char, value: &impl Serialize) -> Outcome {
    let text = serde_json::to_string(value)
        .map_err(|e| Error::internal(format!("could not serialize the result: {e}")))?;
    *out = c_string_lossy(text).into_raw();
    Ok(())
}

/// Frees a string that finmark returned (a JSON result). NULL is a no-op.
///
/// # Safety
/// `string` is NULL or a string returned by finmark that was not freed yet; it must not be
/// used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_string_free(string: *mut c_char) {
    ffi_boundary_or((), || {
        if !string.is_null() {
            // SAFETY: the caller passes a pointer from `CString::into_raw` (see `set_json`),
            // once.
            drop(unsafe { CString::from_raw(string) });
        }
    })
}

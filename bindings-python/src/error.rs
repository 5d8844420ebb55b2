//! The one place where core [`finmark::ErrorKind`]s become Python exceptions.
//!
//! Python sees `finmark.FinmarkError` and one subclass per kind, each carrying the kind's
//! stable code as the class attribute `code` (`InvalidQueryError.code == "INVALID_QUERY"`).
//! The classes are created once, when the module is first imported.

use finmark::ErrorKind;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyType;

create_exception!(
    finmark,
    FinmarkError,
    PyException,
    "Base class of every finmark error; `code` names its kind (for example \"INVALID_QUERY\")."
);
create_exception!(
    finmark,
    InvalidEventError,
    FinmarkError,
    "An event could not be parsed or validated (code INVALID_EVENT)."
);
create_exception!(
    finmark,
    InvalidRuleError,
    FinmarkError,
    "A Sigma rule, correlation or pipeline could not be parsed or compiled (code INVALID_RULE)."
);
create_exception!(
    finmark,
    InvalidQueryError,
    FinmarkError,
    "A query, storage URL or argument was malformed (code INVALID_QUERY)."
);
create_exception!(
    finmark,
    NotFoundError,
    FinmarkError,
    "The thing asked for does not exist (code NOT_FOUND)."
);
create_exception!(
    finmark,
    PermissionDeniedError,
    FinmarkError,
    "The actor may not perform the action (code PERMISSION_DENIED)."
);
create_exception!(
    finmark,
    ConflictError,
    FinmarkError,
    "The change conflicts with the current state (code CONFLICT)."
);
create_exception!(
    finmark,
    RateLimitedError,
    FinmarkError,
    "A rate limit refused the call (code RATE_LIMITED)."
);
create_exception!(
    finmark,
    StorageError,
    FinmarkError,
    "The storage backend failed, or the engine is closed (code STORAGE)."
);
create_exception!(
    finmark,
    IntegrityError,
    FinmarkError,
    "Stored data failed an integrity check (code INTEGRITY)."
);
create_exception!(
    finmark,
    InternalError,
    FinmarkError,
    "A bug in finmark: please report it (code INTERNAL)."
);

/// The exception class Python raises for `kind`.
fn exception_type(py: Python<'_>, kind: ErrorKind) -> Bound<'_, PyType> {
    match kind {
        ErrorKind::InvalidEvent => py.get_type::<InvalidEventError>(),
        ErrorKind::InvalidRule => py.get_type::<InvalidRuleError>(),
        ErrorKind::InvalidQuery => py.get_type::<InvalidQueryError>(),
        ErrorKind::NotFound => py.get_type::<NotFoundError>(),
        ErrorKind::PermissionDenied => py.get_type::<PermissionDeniedError>(),
        ErrorKind::Conflict => py.get_type::<ConflictError>(),
        ErrorKind::RateLimited => py.get_type::<RateLimitedError>(),
        ErrorKind::Storage => py.get_type::<StorageError>(),
        ErrorKind::Integrity => py.get_type::<IntegrityError>(),
        ErrorKind::Internal => py.get_type::<InternalError>(),
    }
}

/// The Python exception for a core error: the subclass of its kind, with its message.
pub fn to_py_err(error: finmark::Error) -> PyErr {
    Python::attach(|py| {
        PyErr::from_type(exception_type(py, error.kind()), error.message().to_owned())
    })
}

/// Adds `FinmarkError` and every subclass to `module`, setting each subclass's `code`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("FinmarkError", py.get_type::<FinmarkError>())?;
    for kind in ErrorKind::ALL {
        let class = exception_type(py, kind);
        class.setattr("code", kind.code())?;
        module.add(class.name()?, class)?;
    }
    Ok(())
}

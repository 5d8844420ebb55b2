//! Reading the JSON arguments the doors pass through — queries, rule options, simulator
//! configurations — with errors that name the key at fault and reject unknown keys.
//!
//! ```
//! use finmark::arguments::from_json_text;
//! use finmark::storage::EventQuery;
//! let q: EventQuery = from_json_text(r#"{"limit": 5}"#, "query").unwrap();
//! assert_eq!(q.limit, 5);
//! let e = from_json_text::<EventQuery>(r#"{"since": "last tuesday"}"#, "query").unwrap_err();
//! assert!(e.message().contains("since"), "{e}");
//! let e = from_json_text::<EventQuery>(r#"{"limt": 5}"#, "query").unwrap_err();
//! assert!(e.message().contains("limt"), "{e}");
//! ```

use crate::error::{Error, Result};
use serde::de::DeserializeOwned;

/// Deserializes `value`; an [`crate::error::ErrorKind::InvalidQuery`] error names `what` and the
/// path of the key at fault.
pub fn from_json<T: DeserializeOwned>(value: serde_json::Value, what: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| invalid(what, e))
}

/// Parses and deserializes JSON text, as [`from_json`].
pub fn from_json_text<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| invalid(what, e))?;
    de.end()
        .map_err(|e| Error::invalid_query(format!("invalid {what}: {e}")))?;
    Ok(value)
}

fn invalid(what: &str, e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let inner = e.into_inner();
    if path == "." {
        Error::invalid_query(format!("invalid {what}: {inner}"))
    } else {
        Error::invalid_query(format!("invalid {what}: '{path}': {inner}"))
    }
}

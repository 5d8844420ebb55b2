//! Node bindings of finmark: the native module behind `require('finmark')`, built by napi-rs.
//!
//! Each file wraps the core module of the same name, so the wrapper of any core type is found
//! by its name: [`engine`] (`Engine`), [`alert`] (alert arguments and results), [`rules`]
//! (`RuleSet`, from core's `detect`), [`storage`] (queries and pages), [`event`] (events in
//! and out), [`sim`] (`simulateDay`) and [`error`], the one place where a core `ErrorKind` becomes a JavaScript error `code`.
//!
//! Conventions every file follows:
//! - events go in as plain objects, read with `JSON.stringify` semantics (a `Date` becomes its
//!   ISO string), or as JSON bytes (`Buffer` or string) parsed by the core without building
//!   JavaScript objects;
//! - times go in as a `Date` or an ISO 8601 / RFC 3339 string and come out as RFC 3339 strings;
//! - results come out as plain objects with finmark's JSON field names (`rule_id`,
//!   `next_cursor`), the same in every language; each is converted from the core value through
//!   the core's serde form (see [`mirror`]), so the binding adds no formatting of its own;
//! - storage calls return Promises and run on napi's tokio runtime; rule matching and
//!   simulation are synchronous.

mod alert;
mod engine;
mod error;
mod event;
mod rules;
mod sim;
mod storage;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Converts a core value into the binding type that describes it to TypeScript, through the
/// core's own serde form.
///
/// The binding types deny unknown fields, so a core result that gains, loses or renames a
/// field fails here with an `INTERNAL` error (and in the Node tests) instead of drifting away
/// from `index.d.ts` unnoticed. Costs one pass through `serde_json::Value`.
fn mirror<C: Serialize, T: DeserializeOwned>(value: &C) -> finmark::Result<T> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|e| {
            finmark::Error::internal(format!(
                "a core result does not match its TypeScript type {}: {e}",
                std::any::type_name::<T>()
            ))
        })
}

/// A JavaScript number as JSON for the core: a whole number as an integer, anything else
/// (`2.5`, `NaN`) as a float or `null`, which the core's integer fields refuse with a clear
/// error instead of napi-rs truncating it.
fn json_number(number: f64) -> serde_json::Value {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    if number.fract() == 0.0 && number.abs() <= SAFE {
        serde_json::Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number).map_or(serde_json::Value::Null, Into::into)
    }
}

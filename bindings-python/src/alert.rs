//! Alerts at the Python door (wraps `finmark::alert` and the engine's alert calls): actors,
//! alert queries, silence requests and the alert and correlation configurations are read from
//! dicts in their core JSON forms; alerts, pages, counts and silences come back as dicts.

use crate::event::{from_json_arg, serialized_dict};
use finmark::access::Actor;
use finmark::alert::{AlertConfig, SilenceRequest};
use finmark::correlate::CorrelationConfig;
use finmark::storage::AlertQuery;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::Serialize;

/// Reads an actor, `{"id": "ana", "roles": ["analyst"]}`; unknown roles or keys raise
/// `InvalidQueryError`.
pub fn actor_from_py(actor: &Bound<'_, PyAny>) -> PyResult<Actor> {
    from_json_arg(actor, "actor")
}

/// Reads an alert query: `{"status", "severity", "rule_id", "entity", "fingerprint",
/// "since", "until", "limit", "cursor"}`, every key optional.
pub fn alert_query_from_py(query: &Bound<'_, PyAny>) -> PyResult<AlertQuery> {
    from_json_arg(query, "alert query")
}

/// Reads a silence request: `{"matchers", "starts_at", "ends_at", "duration_secs",
/// "reason"}`.
pub fn silence_request_from_py(request: &Bound<'_, PyAny>) -> PyResult<SilenceRequest> {
    from_json_arg(request, "silence")
}

/// Reads an alert configuration; `None` is the default one.
pub fn alert_config_from_py(config: Option<&Bound<'_, PyAny>>) -> PyResult<AlertConfig> {
    config.map_or_else(
        || Ok(AlertConfig::default()),
        |c| from_json_arg(c, "alert_config"),
    )
}

/// Reads a correlation configuration; `None` is the default one.
pub fn correlation_config_from_py(
    config: Option<&Bound<'_, PyAny>>,
) -> PyResult<CorrelationConfig> {
    config.map_or_else(
        || Ok(CorrelationConfig::default()),
        |c| from_json_arg(c, "correlation_config"),
    )
}

/// Core values (alerts, silences, correlation firings) as a list of their JSON-form dicts.
pub fn dict_list<'py, T: Serialize>(py: Python<'py>, items: &[T]) -> PyResult<Bound<'py, PyList>> {
    let dicts = items
        .iter()
        .map(|item| serialized_dict(py, item))
        .collect::<PyResult<Vec<Bound<'py, PyDict>>>>()?;
    PyList::new(py, dicts)
}

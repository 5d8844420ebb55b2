//! Detection at the Python door (wraps `finmark::detect`): the native [`RuleSet`] and the
//! [`Match`], [`MatchedField`] and [`RuleError`] result classes.

use crate::error::to_py_err;
use crate::event::{
    PendingBatch, from_json_arg, json_bytes, list_of, rejected_list, serialized_dict, value_to_py,
};
use finmark::detect::{MatchReport, RuleOptions};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::sync::Arc;

/// Reads rule options (`{"rules", "rules_yaml", "pipelines", "strict_rules"}`, the core's
/// [`RuleOptions`] JSON form); `None` means no rules.
pub fn options_from_py(options: Option<&Bound<'_, PyAny>>) -> PyResult<RuleOptions> {
    match options {
        Some(options) if !options.is_none() => from_json_arg(options, "rule options"),
        _ => Ok(RuleOptions::default()),
    }
}

/// Compiled Sigma rules that match events without storage (the native half of
/// `finmark.RuleSet`). Shared, immutable, safe to use from many threads at once.
#[pyclass(frozen, module = "finmark._finmark")]
pub struct RuleSet {
    rules: Arc<finmark::RuleSet>,
}

#[pymethods]
impl RuleSet {
    /// Loads and compiles the rules `options` names, without the GIL.
    #[new]
    fn new(py: Python<'_>, options: &Bound<'_, PyAny>) -> PyResult<Self> {
        let options = options_from_py(Some(options))?;
        let rules = py.detach(|| options.build()).map_err(to_py_err)?;
        Ok(RuleSet {
            rules: Arc::new(rules),
        })
    }

    /// Matches an iterable of event dicts; returns `{"matches", "events", "rejected"}`.
    ///
    /// A match's `event_index` is its event's 1-based position in the iterable, as for the
    /// elements of a JSON array in [`RuleSet::match_json`]; items that are not events are
    /// rejected with their position, the others are still matched.
    fn match_events<'py>(
        &self,
        py: Python<'py>,
        events: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let pending = PendingBatch::from_py(events)?;
        let report = py.detach(|| self.rules.match_batch(&pending.parse()));
        match_report_to_py(py, report)
    }

    /// Parses JSON bytes or text (NDJSON, an array, concatenated or Windows-event JSON) and
    /// matches every valid event without the GIL; returns `{"matches", "events", "rejected"}`.
    /// Only matches become Python objects.
    fn match_json<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let bytes = json_bytes(data)?;
        let report = py.detach(|| self.rules.match_json(&bytes));
        match_report_to_py(py, report)
    }

    /// The rules that were skipped, with their reasons.
    #[getter]
    fn rejected<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list_of(py, self.rules.rejected().iter().cloned(), |inner| {
            RuleError { inner }
        })
    }

    /// The number of compiled rules.
    fn __len__(&self) -> usize {
        self.rules.len()
    }
}

/// A core match report as `{"matches": [Match], "events": int, "rejected": [Rejected]}`.
fn match_report_to_py(py: Python<'_>, report: MatchReport) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("matches", match_list(py, report.matches)?)?;
    dict.set_item("events", report.events)?;
    dict.set_item("rejected", rejected_list(py, report.rejected)?)?;
    Ok(dict)
}

/// Core matches as a list of [`Match`] objects (each moved in, not copied).
pub fn match_list(py: Python<'_>, matches: Vec<finmark::Match>) -> PyResult<Bound<'_, PyList>> {
    list_of(py, matches, |inner| Match { inner })
}

/// One rule matching one event.
#[pyclass(frozen, module = "finmark")]
pub struct Match {
    inner: finmark::Match,
}

#[pymethods]
impl Match {
    /// The rule's `id` (else its `name`, else its title).
    #[getter]
    fn rule_id(&self) -> &str {
        &self.inner.rule_id
    }

    /// The rule's title.
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }

    /// The rule's Sigma level as written (`high`, ...), `informational` when it has none.
    #[getter]
    fn level(&self) -> &str {
        &self.inner.level
    }

    /// finmark's severity of that level: `critical`, `warning` or `info`.
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }

    /// The rule's tags (ATT&CK and others).
    #[getter]
    fn tags(&self) -> Vec<&str> {
        self.inner.tags.iter().map(String::as_str).collect()
    }

    /// The matched event's id.
    #[getter]
    fn event_id(&self) -> &str {
        &self.inner.event_id
    }

    /// The matched event's time, a timezone-aware (UTC) `datetime`.
    #[getter]
    fn event_time(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.event_time
    }

    /// Where the event was in what was matched: the 1-based line of JSON input (for a list
    /// or a JSON array: the index + 1); for `Engine.ingest`, its index in the batch.
    #[getter]
    fn event_index(&self) -> usize {
        self.inner.event_index
    }

    /// The event fields whose values satisfied the rule's searches.
    #[getter]
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list_of(py, self.inner.fields.iter().cloned(), |inner| {
            MatchedField { inner }
        })
    }

    /// The attributes as a dict, `fields` as a list of `{"field", "value"}` dicts.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = serialized_dict(py, &self.inner)?;
        dict.set_item("event_time", self.inner.event_time)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Match(rule_id={:?}, title={:?}, level={:?}, event_id={:?})",
            self.inner.rule_id, self.inner.title, self.inner.level, self.inner.event_id
        )
    }
}

/// A field of the event that took part in a match, with its value.
#[pyclass(frozen, module = "finmark")]
pub struct MatchedField {
    inner: finmark::detect::MatchedField,
}

#[pymethods]
impl MatchedField {
    /// The field name as the event has it.
    #[getter]
    fn field(&self) -> &str {
        &self.inner.field
    }

    /// The event's value of the field.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        value_to_py(py, &self.inner.value)
    }

    /// `{"field", "value"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        serialized_dict(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "MatchedField(field={:?}, value={})",
            self.inner.field,
            self.inner.value.to_json()
        )
    }
}

/// A rule that could not be loaded or compiled: its file (or label) and why.
#[pyclass(frozen, module = "finmark")]
pub struct RuleError {
    inner: finmark::detect::RuleError,
}

#[pymethods]
impl RuleError {
    /// The file the rule came from, or a label such as `<rules_yaml[0]>` for YAML text.
    #[getter]
    fn file(&self) -> String {
        self.inner.file.display().to_string()
    }

    /// Why it was rejected: the construct and the reason.
    #[getter]
    fn reason(&self) -> &str {
        &self.inner.reason
    }

    /// `{"file", "reason"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        serialized_dict(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!("RuleError({:?})", self.inner.to_string())
    }
}

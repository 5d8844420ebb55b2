//! Storage queries at the Python door (wraps `finmark::storage`): reading a query dict into
//! an [`EventQuery`], and the [`FieldCount`] and event-page results.

use crate::event::{Event, from_json_arg, list_of, serialized_dict, value_to_py};
use finmark::storage::{EventPage, EventQuery};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Reads a query in the core's JSON form: `{"since", "until", "where", "limit", "cursor"}`,
/// every key optional; a malformed one raises `InvalidQueryError`.
pub fn query_from_py(query: &Bound<'_, PyAny>) -> PyResult<EventQuery> {
    from_json_arg(query, "query")
}

/// An event page as `(events, next_cursor)`: a list of `Event`s and the cursor text, or
/// `None` on the last page.
pub fn page_to_py(
    py: Python<'_>,
    page: EventPage,
) -> PyResult<(Bound<'_, PyList>, Option<String>)> {
    let cursor = page.next_cursor.map(|c| c.to_string());
    Ok((list_of(py, page.events, |inner| Event { inner })?, cursor))
}

/// Core field counts as a list of [`FieldCount`] objects.
pub fn count_list(
    py: Python<'_>,
    counts: Vec<finmark::storage::FieldCount>,
) -> PyResult<Bound<'_, PyList>> {
    list_of(py, counts, |inner| FieldCount { inner })
}

/// How many stored events have one value of a field.
#[pyclass(frozen, module = "finmark")]
pub struct FieldCount {
    inner: finmark::storage::FieldCount,
}

#[pymethods]
impl FieldCount {
    /// The field value.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        value_to_py(py, &self.inner.value)
    }

    /// The number of events with it.
    #[getter]
    fn count(&self) -> u64 {
        self.inner.count
    }

    /// `{"value", "count"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        serialized_dict(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "FieldCount(value={}, count={})",
            self.inner.value.to_json(),
            self.inner.count
        )
    }
}

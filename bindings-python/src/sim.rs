//! The simulator at the Python door (wraps `finmark::sim`).

use crate::event::{from_json_arg, json_to_py};
use finmark::sim::SimConfig;
use pyo3::prelude::*;
use pyo3::types::PyList;

/// One simulated day of a fintech's traffic, sorted by time, as a list of flat event dicts
/// (each with `event.id` and `@timestamp`), ready for `Engine.ingest`.
///
/// `config` is the core's `SimConfig` JSON form, `{"seed", "date", "orders"}`, every key
/// optional; the same config gives the same events.
#[pyfunction]
pub fn simulate_day<'py>(
    py: Python<'py>,
    config: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let config: SimConfig = from_json_arg(config, "simulator config")?;
    let events = py.detach(|| finmark::sim::simulate_day(&config));
    let dicts = events
        .iter()
        .map(|event| json_to_py(py, &event.to_json()))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, dicts)
}

//! Python bindings of finmark: the private native module `finmark._finmark`.
//!
//! Each file wraps the core module of the same name (`engine.rs` wraps `finmark::engine`,
//! `rules.rs` wraps `finmark::detect`, `alert.rs`, `event.rs`, `storage.rs`, `sim.rs`), and
//! `error.rs` is the one place that maps `finmark::ErrorKind` to Python exceptions. The
//! idiomatic surface (`finmark.Engine` as a context manager, datetimes, paths, pandas) is
//! the small pure-Python package in `python/finmark/`, which is all users import.

mod alert;
mod engine;
mod error;
mod event;
mod rules;
mod sim;
mod storage;

use pyo3::prelude::*;

/// The native half of finmark; import `finmark` instead.
#[pymodule]
fn _finmark(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add_class::<engine::Engine>()?;
    module.add_class::<rules::RuleSet>()?;
    module.add_class::<event::Event>()?;
    module.add_class::<event::Rejected>()?;
    module.add_class::<rules::Match>()?;
    module.add_class::<rules::MatchedField>()?;
    module.add_class::<rules::RuleError>()?;
    module.add_class::<storage::FieldCount>()?;
    module.add_function(wrap_pyfunction!(sim::simulate_day, module)?)?;
    error::register(module)
}

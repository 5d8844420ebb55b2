//! The engine at the Python door (wraps `finmark::engine`): the native [`Engine`], and the
//! one tokio runtime of the module that runs the core's async storage calls.
//!
//! Every method is synchronous for Python: it converts its arguments holding the GIL, then
//! releases the GIL while the core parses, matches and talks to storage, then converts the
//! result.

use crate::alert::{
    actor_from_py, alert_config_from_py, alert_query_from_py, correlation_config_from_py,
    dict_list, silence_request_from_py,
};
use crate::error::to_py_err;
use crate::event::{PendingBatch, json_bytes, rejected_list, serialized_dict};
use crate::rules::{match_list, options_from_py};
use crate::storage::{count_list, page_to_py, query_from_py};
use finmark::IngestReport;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::future::Future;
use std::sync::{Mutex, PoisonError};
use tokio::runtime::Runtime;

/// Worker threads of the module's runtime: storage I/O is light, matching runs on the
/// caller's thread or the runtime's blocking pool.
const WORKER_THREADS: usize = 2;

/// The module's tokio runtime in this process, created on first use and shared by every
/// engine. A child made by `fork()` (gunicorn, multiprocessing) inherits none of the parent's
/// runtime threads, so it starts a runtime of its own; the parent's copy is left alone, never
/// dropped, in the child.
fn runtime() -> PyResult<&'static Runtime> {
    static RUNTIME: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);
    let pid = std::process::id();
    let mut current = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((owner, runtime)) = *current
        && owner == pid
    {
        return Ok(runtime);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name("finmark")
        .enable_all()
        .build()
        .map_err(|e| to_py_err(finmark::Error::internal(format!("cannot start tokio: {e}"))))?;
    let runtime: &'static Runtime = Box::leak(Box::new(runtime));
    *current = Some((pid, runtime));
    Ok(runtime)
}

/// Runs the core future `start` makes to completion on the module's runtime, with the GIL
/// released. The future is made and driven on this thread, so it need not be `Send` (only
/// what `start` captures crosses into the GIL-free section).
fn wait<T: Send, F: Future<Output = finmark::Result<T>>>(
    py: Python<'_>,
    start: impl FnOnce() -> F + Send,
) -> PyResult<T> {
    let runtime = runtime()?;
    py.detach(|| runtime.block_on(start())).map_err(to_py_err)
}

/// An engine on one storage (the native half of `finmark.Engine`). Safe to share between
/// threads; every call releases the GIL while the core works. It belongs to the process that
/// opened it: after a `fork()` the child opens its own.
#[pyclass(frozen, module = "finmark._finmark")]
pub struct Engine {
    engine: finmark::Engine,
    /// The process that opened the engine.
    pid: u32,
}

impl Engine {
    /// The core engine, refused in a process forked after it was opened: its connections and
    /// runtime threads live in the parent.
    fn core(&self) -> PyResult<&finmark::Engine> {
        if self.pid == std::process::id() {
            return Ok(&self.engine);
        }
        Err(to_py_err(finmark::Error::storage(format!(
            "this Engine was opened in process {} and this is process {} (forked after the \
             open); open a new finmark.Engine in this process, after the fork",
            self.pid,
            std::process::id()
        ))))
    }
}

#[pymethods]
impl Engine {
    /// Opens the storage `url` (`memory://`, `sqlite://PATH`, `postgres://...`) with the
    /// rules `options` names (the core's `RuleOptions` JSON form, or `None`), and the core's
    /// `AlertConfig` and `CorrelationConfig` JSON forms (`None`: the defaults).
    #[new]
    #[pyo3(signature = (url, options = None, alert_config = None, correlation_config = None))]
    fn new(
        py: Python<'_>,
        url: String,
        options: Option<&Bound<'_, PyAny>>,
        alert_config: Option<&Bound<'_, PyAny>>,
        correlation_config: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let options = options_from_py(options)?;
        let alert_config = alert_config_from_py(alert_config)?;
        let correlation_config = correlation_config_from_py(correlation_config)?;
        let engine = wait(py, || async move {
            finmark::Engine::builder(url)
                .rule_options(&options)?
                .alert_config(alert_config)
                .correlation_config(correlation_config)
                .open()
                .await
        })?;
        Ok(Engine {
            engine,
            pid: std::process::id(),
        })
    }

    /// Ingests an iterable of event dicts; returns `{"accepted", "duplicates", "rejected",
    /// "matches"}`. Items that are not events are rejected with their 1-based position.
    fn ingest<'py>(
        &self,
        py: Python<'py>,
        events: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let pending = PendingBatch::from_py(events)?;
        let engine = self.core()?;
        let report = wait(py, || engine.ingest_batch(pending.parse()))?;
        ingest_report_to_py(py, report)
    }

    /// Ingests JSON bytes or text (one object, an array, NDJSON, concatenated or
    /// Windows-event JSON); returns what [`Engine::ingest`] returns.
    fn ingest_json<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let bytes = json_bytes(data)?;
        let engine = self.core()?;
        let report = wait(py, || engine.ingest_json(&bytes))?;
        ingest_report_to_py(py, report)
    }

    /// Stored events matching `query` (the core's `EventQuery` JSON form), newest first:
    /// `(events, next_cursor)`.
    fn events<'py>(
        &self,
        py: Python<'py>,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<(Bound<'py, PyList>, Option<String>)> {
        let query = query_from_py(query)?;
        let engine = self.core()?;
        let page = wait(py, || engine.events(&query))?;
        page_to_py(py, page)
    }

    /// How many stored events matching `query` have each value of `field`, most frequent
    /// first: a list of `FieldCount`.
    fn count_by<'py>(
        &self,
        py: Python<'py>,
        field: &str,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let query = query_from_py(query)?;
        let engine = self.core()?;
        let counts = wait(py, || engine.count_by(field, &query))?;
        count_list(py, counts)
    }

    /// Stored detections in the query's time range, newest first: a list of `Match`.
    fn detections<'py>(
        &self,
        py: Python<'py>,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let query = query_from_py(query)?;
        let engine = self.core()?;
        let matches = wait(py, || engine.detections(&query))?;
        match_list(py, matches)
    }

    /// Deletes events older than `cutoff` (any form `finmark::event::parse_time_arg` reads);
    /// returns how many.
    fn purge_before(&self, py: Python<'_>, cutoff: &str) -> PyResult<u64> {
        let cutoff =
            finmark::event::parse_time_arg(cutoff).map_err(|e| to_py_err(e.context("cutoff")))?;
        let engine = self.core()?;
        wait(py, || engine.purge_before(cutoff))
    }

    /// Compiles the rules `options` names (without the GIL) and swaps them in atomically.
    #[pyo3(signature = (options = None))]
    fn reload_rules(&self, py: Python<'_>, options: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let options = options_from_py(options)?;
        let rules = py.detach(|| options.build()).map_err(to_py_err)?;
        self.core()?.reload_rules(rules).map_err(to_py_err)?;
        Ok(())
    }

    /// Alerts matching `query` (the core's `AlertQuery` JSON form), newest first, as
    /// `{"alerts": [alert dicts], "next_cursor"}`. Needs `alert.read`.
    fn alerts<'py>(
        &self,
        py: Python<'py>,
        actor: &Bound<'py, PyAny>,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (actor, query) = (actor_from_py(actor)?, alert_query_from_py(query)?);
        let engine = self.core()?;
        let page = wait(py, || engine.alerts(&actor, &query))?;
        serialized_dict(py, &page)
    }

    /// The alert with `id` as a dict (`NotFoundError` when there is none). Needs
    /// `alert.read`.
    fn alert<'py>(
        &self,
        py: Python<'py>,
        actor: &Bound<'py, PyAny>,
        id: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let actor = actor_from_py(actor)?;
        let engine = self.core()?;
        let alert = wait(py, || engine.alert(&actor, id))?;
        serialized_dict(py, &alert)
    }

    /// How many alerts match `query`, `{"by_severity", "by_status", "total"}`. Needs
    /// `alert.read`.
    fn alert_counts<'py>(
        &self,
        py: Python<'py>,
        actor: &Bound<'py, PyAny>,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (actor, query) = (actor_from_py(actor)?, alert_query_from_py(query)?);
        let engine = self.core()?;
        let counts = wait(py, || engine.alert_counts(&actor, &query))?;
        serialized_dict(py, &counts)
    }

    /// Acknowledges the alert `id`; returns it. Needs `alert.acknowledge`.
    fn acknowledge_alert<'py>(
        &self,
        py: Python<'py>,
        actor: &Bound<'py, PyAny>,
        id: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let actor = actor_from_py(actor)?;
        let engine = self.core()?;
        let alert = wait(py, || engine.acknowledge_alert(&actor, id))?;
        serialized_dict(py, &alert)
    }

    /// Resolves the alert `id`; returns it. Needs `alert.resolve`.
    fn resolve_alert<'py>(
        &self,
        py: Python<'py>,
        actor: &Bound<'py, PyAny>,
        id: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let actor = actor_from_py(actor)?;
        let engine = self.core()?;
        let alert = wait(py, || engine.resolve_alert(&actor, id))?;
        serialized_dict(py, &alert)
    }

    /// Adds the silence `request` asks for (the core's `SilenceRequest` JSON form); returns
    /// it. Needs `silence.create`.
    fn add_silence<'py>(
        &self,
        py: Python<'py>,
        actor: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (actor, request) = (actor_from_py(actor)?, silence_request_from_py(request)?);
        let engine = self.core()?;
        let silence = wait(py, || engine.add_silence(&actor, request))?;
        serialized_dict(py, &silence)
    }

    /// The silences as dicts; with `active_only`, only those muting now. Needs
    /// `silence.read`.
    fn silences<'py>(
        &self,
        py: Python<'py>,
        actor: &Bound<'py, PyAny>,
        active_only: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let actor = actor_from_py(actor)?;
        let engine = self.core()?;
        let silences = wait(py, || engine.silences(&actor, active_only))?;
        dict_list(py, &silences)
    }

    /// Ends the silence `id` now; returns it. Needs `silence.expire`.
    fn expire_silence<'py>(
        &self,
        py: Python<'py>,
        actor: &Bound<'py, PyAny>,
        id: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let actor = actor_from_py(actor)?;
        let engine = self.core()?;
        let silence = wait(py, || engine.expire_silence(&actor, id))?;
        serialized_dict(py, &silence)
    }

    /// Closes the storage; later calls raise `StorageError`.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let engine = self.core()?;
        wait(py, || engine.close())
    }
}

/// A core ingest report as `{"accepted", "duplicates", "rejected": [Rejected],
/// "matches": [Match], "correlations": [dict], "alerts": [dict]}`.
fn ingest_report_to_py(py: Python<'_>, report: IngestReport) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("accepted", report.accepted)?;
    dict.set_item("duplicates", report.duplicates)?;
    dict.set_item("rejected", rejected_list(py, report.rejected)?)?;
    dict.set_item("matches", match_list(py, report.matches)?)?;
    dict.set_item("correlations", dict_list(py, &report.correlations)?)?;
    dict.set_item("alerts", dict_list(py, &report.alerts)?)?;
    Ok(dict)
}

//! The `finmark_engine` handle: the core's `Engine` and the tokio runtime its storage calls
//! block on.

use crate::error::{Outcome, finmark_status};
use crate::marshal::{bytes_arg, handle, json_arg, out_arg, set_json, str_arg};
use crate::panic::ffi_boundary;
use crate::rules::options_arg;
use finmark::storage::EventQuery;
use finmark::{Engine, Error};
use std::ffi::c_char;
use std::future::Future;
use std::ptr;
use tokio::runtime::Runtime;

/// The JSON form of a query, shown when a query argument is malformed.
const QUERY_FORM: &str = r#"{"since": "2026-01-15T00:00:00Z", "until": "...", "where": {"field": value}, "limit": 100, "cursor": "..."}"#;

/// An engine on one storage: ingests events, matches them against its rules, stores events
/// and detections, answers queries (the C face of `Engine`).
///
/// Made by `finmark_engine_open`, closed and freed by `finmark_engine_close`. It owns a
/// tokio runtime on which its storage calls block. Every call but `finmark_engine_close`
/// may be made from several threads at once.
pub struct finmark_engine {
    // Declared before `runtime` so that it is dropped first.
    pub(crate) engine: Engine,
    runtime: Runtime,
}

impl finmark_engine {
    /// Runs a storage call to completion on the engine's runtime.
    pub(crate) fn block_on<F: Future>(&self, call: F) -> F::Output {
        self.runtime.block_on(call)
    }
}

/// A query from an optional JSON argument (NULL: the first page of all events).
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
unsafe fn query_arg(ptr: *const c_char) -> Outcome<EventQuery> {
    // SAFETY: forwarded from the caller.
    unsafe { json_arg(ptr, "query_json", QUERY_FORM) }
}

/// A runtime for one engine: one worker thread for the storage driver's background tasks;
/// calls run on the thread that makes them.
fn new_runtime() -> Outcome<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("finmark-engine")
        .enable_all()
        .build()
        .map_err(|e| Error::internal(format!("could not start the engine's runtime: {e}")).into())
}

/// Opens an engine on a storage URL, with rules if options name them.
///
/// `url` is `memory://`, `sqlite://PATH` (created if missing) or `postgres://USER@HOST:PORT/DB`;
/// a malformed URL fails with `FINMARK_INVALID_QUERY`, a storage that cannot be opened with
/// `FINMARK_STORAGE`. `options_json` is NULL (no rules) or rule options
/// `{"rules": [paths], "rules_yaml": [YAML texts], "pipelines": [builtin names or pipeline
/// files], "strict_rules": false}`; with `strict_rules` a rejected rule fails the call with
/// `FINMARK_INVALID_RULE`, else it is skipped.
///
/// On success `*engine_out` is a new engine to close with `finmark_engine_close`; on failure
/// it is NULL.
///
/// # Safety
/// `url` is a NUL-terminated string; `options_json` is NULL or one; `engine_out` points to
/// writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_open(
    url: *const c_char,
    options_json: *const c_char,
    engine_out: *mut *mut finmark_engine,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(engine_out, "engine_out", ptr::null_mut()) }?;
        let url = unsafe { str_arg(url, "url") }?;
        let options = unsafe { options_arg(options_json, "options_json") }?;
        let builder = Engine::builder(url).rule_options(&options)?;
        let runtime = new_runtime()?;
        let engine = runtime.block_on(builder.open())?;
        *out = Box::into_raw(Box::new(finmark_engine { engine, runtime }));
        Ok(())
    })
}

/// Matches and stores a batch of events in one transaction.
///
/// `json`/`len` hold the events in any JSON batch form: one object, an array, NDJSON, or
/// concatenated (pretty-printed) objects, Windows event logs as `evtx_dump -o json` writes
/// them included. The bytes need not be NUL-terminated. A malformed record is rejected with
/// its line and reason while every valid event of the batch is stored. Ingest is idempotent
/// by event id: an event sent again counts as a duplicate.
///
/// `*report_out` receives a JSON string to free with `finmark_string_free`:
/// `{"accepted": n, "duplicates": n, "rejected": [{"line", "reason"}], "matches": [{"rule_id",
/// "title", "level", "severity", "tags", "event_id", "event_time", "event_index", "fields"}]}`.
///
/// # Safety
/// `engine` is NULL or a live engine; `json` is NULL or points to `len` readable bytes;
/// `report_out` points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_ingest(
    engine: *mut finmark_engine,
    json: *const c_char,
    len: usize,
    report_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(report_out, "report_out", ptr::null_mut()) }?;
        let engine = unsafe { handle(engine, "engine") }?;
        let bytes = unsafe { bytes_arg(json, len, "json") }?;
        let report = engine.block_on(engine.engine.ingest_json(bytes))?;
        set_json(out, &report)
    })
}

/// Stored events matching a query, newest first, one page at a time.
///
/// `query_json` is NULL (the first page of all events) or
/// `{"since": RFC 3339, "until": RFC 3339, "where": {"field": value, ...}, "limit": n,
/// "cursor": "..."}`, every key optional: `since` is inclusive, `until` exclusive, `where`
/// compares typed values (the integer 500 is not the string "500"), `limit` defaults to 100
/// (at most 10000), `cursor` continues after an earlier page.
///
/// `*page_out` receives a JSON string to free with `finmark_string_free`:
/// `{"events": [{"id", "time", "fields": {...}}], "next_cursor": "..." or null}`; pass
/// `next_cursor` as `cursor` to get the next page.
///
/// # Safety
/// `engine` is NULL or a live engine; `query_json` is NULL or a NUL-terminated string;
/// `page_out` points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_events(
    engine: *mut finmark_engine,
    query_json: *const c_char,
    page_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(page_out, "page_out", ptr::null_mut()) }?;
        let engine = unsafe { handle(engine, "engine") }?;
        let query = unsafe { query_arg(query_json) }?;
        let page = engine.block_on(engine.engine.events(&query))?;
        set_json(out, &page)
    })
}

/// How many stored events matching a query have each value of a field, most frequent first.
///
/// `field` is a dotted field name such as `source.ip`; `query_json` is as for
/// `finmark_engine_events` (its `limit` caps the number of values, its cursor is ignored).
/// Events without the field are not counted.
///
/// `*counts_out` receives a JSON array to free with `finmark_string_free`:
/// `[{"value": ..., "count": n}]`.
///
/// # Safety
/// `engine` is NULL or a live engine; `field` is a NUL-terminated string; `query_json` is
/// NULL or one; `counts_out` points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_count_by(
    engine: *mut finmark_engine,
    field: *const c_char,
    query_json: *const c_char,
    counts_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(counts_out, "counts_out", ptr::null_mut()) }?;
        let engine = unsafe { handle(engine, "engine") }?;
        let field = unsafe { str_arg(field, "field") }?;
        let query = unsafe { query_arg(query_json) }?;
        let counts = engine.block_on(engine.engine.count_by(field, &query))?;
        set_json(out, &counts)
    })
}

/// Stored detections (rule matches) for events in a query's time range, newest first.
///
/// `query_json` is as for `finmark_engine_events`; its `where` filters on the detection's
/// `rule_id`, `level`, `severity` and `event_id`.
///
/// `*detections_out` receives a JSON array of matches to free with `finmark_string_free`:
/// `[{"rule_id", "title", "level", "severity", "tags", "event_id", "event_time",
/// "event_index", "fields"}]`.
///
/// # Safety
/// `engine` is NULL or a live engine; `query_json` is NULL or a NUL-terminated string;
/// `detections_out` points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_detections(
    engine: *mut finmark_engine,
    query_json: *const c_char,
    detections_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(detections_out, "detections_out", ptr::null_mut()) }?;
        let engine = unsafe { handle(engine, "engine") }?;
        let query = unsafe { query_arg(query_json) }?;
        let detections = engine.block_on(engine.engine.detections(&query))?;
        set_json(out, &detections)
    })
}

/// Deletes stored events (and their detections) older than a time: retention.
///
/// `cutoff` is a time as the core reads them: RFC 3339 (`2026-01-15T00:00:00Z`), a
/// date-time without offset taken as UTC (`2026-01-15 00:00:00`) or a date (`2026-01-15`); `*count_out` receives the
/// number of events deleted.
///
/// # Safety
/// `engine` is NULL or a live engine; `cutoff` is a NUL-terminated string; `count_out`
/// points to a writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_purge_before(
    engine: *mut finmark_engine,
    cutoff: *const c_char,
    count_out: *mut u64,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(count_out, "count_out", 0) }?;
        let engine = unsafe { handle(engine, "engine") }?;
        let text = unsafe { str_arg(cutoff, "cutoff") }?;
        let cutoff = finmark::event::parse_time_arg(text).map_err(|e| e.context("cutoff"))?;
        *out = engine.block_on(engine.engine.purge_before(cutoff))?;
        Ok(())
    })
}

/// Replaces the engine's rules atomically: a batch being ingested finishes with the rules
/// it started with, the next one uses the new rules.
///
/// `options_json` is as for `finmark_engine_open` (NULL: no rules). On failure the engine
/// keeps its rules.
///
/// # Safety
/// `engine` is NULL or a live engine; `options_json` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_reload_rules(
    engine: *mut finmark_engine,
    options_json: *const c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let engine = unsafe { handle(engine, "engine") }?;
        let options = unsafe { options_arg(options_json, "options_json") }?;
        engine.engine.reload_rules(options.build()?)?;
        Ok(())
    })
}

/// Closes the engine's storage (flushing it) and frees the engine. NULL is a no-op.
///
/// The engine is freed whatever the status; a failure (`FINMARK_STORAGE`) means the storage
/// reported an error while closing.
///
/// # Safety
/// `engine` is NULL or an engine from `finmark_engine_open` that was not closed yet and that
/// no other thread is using; it must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_close(engine: *mut finmark_engine) -> finmark_status {
    ffi_boundary(|| {
        if engine.is_null() {
            return Ok(());
        }
        // SAFETY: the pointer came from `Box::into_raw` in `finmark_engine_open`, once.
        let finmark_engine { engine, runtime } = *unsafe { Box::from_raw(engine) };
        let closed = runtime.block_on(engine.close());
        // The storage's pools may need the runtime's context while they are dropped.
        let context = runtime.enter();
        drop(engine);
        drop(context);
        Ok(closed?)
    })
}

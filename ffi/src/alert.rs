//! Alerts and silences on a `finmark_engine` (the C face of the core's `Engine::alerts`,
//! `acknowledge_alert`, `add_silence`...): every call names the actor as JSON
//! `{"id": "ana", "roles": ["analyst"]}` and returns JSON strings to free with
//! `finmark_string_free`. A call the actor's roles do not allow fails with
//! `FINMARK_PERMISSION_DENIED`, the message naming the permission.

use crate::engine::finmark_engine;
use crate::error::{Outcome, finmark_status};
use crate::marshal::{handle, json_arg, out_arg, parse_json, set_json, str_arg};
use crate::panic::ffi_boundary;
use finmark::access::Actor;
use finmark::alert::SilenceRequest;
use finmark::storage::AlertQuery;
use std::ffi::c_char;
use std::ptr;

/// The JSON form of an actor, shown when an actor argument is malformed.
const ACTOR_FORM: &str = r#"{"id": "ana", "roles": ["analyst"]}"#;
/// The JSON form of an alert query, shown when one is malformed.
const ALERT_QUERY_FORM: &str = r#"{"status": "open", "severity": "critical", "rule_id": "...", "entity": "ip:203.0.113.9", "fingerprint": "...", "since": "2026-01-15T00:00:00Z", "until": "...", "limit": 100, "cursor": "..."}"#;
/// The JSON form of a silence request, shown when one is malformed.
const SILENCE_FORM: &str = r#"{"matchers": ["rule_id=...", "source.ip=~10\\..*"], "reason": "...", "starts_at": "2026-01-15T00:00:00Z", "ends_at": "...", "duration_secs": 3600}"#;

/// What every call starts with: its out-parameter (set to NULL), the engine and the actor.
///
/// # Safety
/// `engine` is NULL or a live engine; `actor_json` is NULL or a NUL-terminated string; `out`
/// is NULL or points to writable storage for a pointer.
unsafe fn call_args<'a>(
    engine: *mut finmark_engine,
    actor_json: *const c_char,
    out: *mut *mut c_char,
    out_name: &'static str,
) -> Outcome<(&'a mut *mut c_char, &'a finmark_engine, Actor)> {
    // SAFETY (all blocks): the caller's promises above.
    let out = unsafe { out_arg(out, out_name, ptr::null_mut()) }?;
    let engine = unsafe { handle(engine, "engine") }?;
    let actor = parse_json(
        unsafe { str_arg(actor_json, "actor_json") }?,
        "actor_json",
        ACTOR_FORM,
    )?;
    Ok((out, engine, actor))
}

/// An alert query from an optional JSON argument (NULL: the first page of all alerts).
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
unsafe fn alert_query_arg(ptr: *const c_char) -> Outcome<AlertQuery> {
    // SAFETY: forwarded from the caller.
    unsafe { json_arg(ptr, "query_json", ALERT_QUERY_FORM) }
}

/// Alerts matching a query, newest first (by first seen), one page at a time. Needs
/// `alert.read`.
///
/// `query_json` is NULL (the first page of all alerts) or `{"status", "severity", "rule_id",
/// "entity", "fingerprint", "since", "until", "limit", "cursor"}`, every key optional.
/// `*page_out` receives `{"alerts": [{"id", "fingerprint", "rule_id", "title", "severity",
/// "source", "status", "group", "entities", "first_seen", "last_seen", "count", "evidence",
/// "tags", "muted_by", "generation", "details", "updated"}], "next_cursor": "..." or null}`.
///
/// # Safety
/// `engine` is NULL or a live engine; `actor_json` and `query_json` are NULL or
/// NUL-terminated strings; `page_out` points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_alerts(
    engine: *mut finmark_engine,
    actor_json: *const c_char,
    query_json: *const c_char,
    page_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let (out, engine, actor) = unsafe { call_args(engine, actor_json, page_out, "page_out") }?;
        let query = unsafe { alert_query_arg(query_json) }?;
        set_json(out, &engine.block_on(engine.engine.alerts(&actor, &query))?)
    })
}

/// The alert with an id (`FINMARK_NOT_FOUND` when there is none), as one alert object of
/// `finmark_engine_alerts`. Needs `alert.read`.
///
/// # Safety
/// `engine` is NULL or a live engine; `actor_json` and `id` are NULL or NUL-terminated
/// strings; `alert_out` points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_alert(
    engine: *mut finmark_engine,
    actor_json: *const c_char,
    id: *const c_char,
    alert_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let (out, engine, actor) =
            unsafe { call_args(engine, actor_json, alert_out, "alert_out") }?;
        let id = unsafe { str_arg(id, "id") }?;
        set_json(out, &engine.block_on(engine.engine.alert(&actor, id))?)
    })
}

/// How many alerts matching a query (as for `finmark_engine_alerts`, its page ignored) there
/// are: `{"by_severity": {"critical": n, ...}, "by_status": {"open": n, ...}, "total": n}`.
/// Needs `alert.read`.
///
/// # Safety
/// As for `finmark_engine_alerts`, with `counts_out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_alert_counts(
    engine: *mut finmark_engine,
    actor_json: *const c_char,
    query_json: *const c_char,
    counts_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let (out, engine, actor) =
            unsafe { call_args(engine, actor_json, counts_out, "counts_out") }?;
        let query = unsafe { alert_query_arg(query_json) }?;
        set_json(
            out,
            &engine.block_on(engine.engine.alert_counts(&actor, &query))?,
        )
    })
}

/// Acknowledges an open or silenced alert; `*alert_out` receives it. Needs
/// `alert.acknowledge`; an acknowledged or resolved alert fails with `FINMARK_CONFLICT`.
///
/// # Safety
/// As for `finmark_engine_alert`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_acknowledge_alert(
    engine: *mut finmark_engine,
    actor_json: *const c_char,
    id: *const c_char,
    alert_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let (out, engine, actor) =
            unsafe { call_args(engine, actor_json, alert_out, "alert_out") }?;
        let id = unsafe { str_arg(id, "id") }?;
        set_json(
            out,
            &engine.block_on(engine.engine.acknowledge_alert(&actor, id))?,
        )
    })
}

/// Resolves an alert for good; `*alert_out` receives it. Needs `alert.resolve`; a resolved
/// alert fails with `FINMARK_CONFLICT`.
///
/// # Safety
/// As for `finmark_engine_alert`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_resolve_alert(
    engine: *mut finmark_engine,
    actor_json: *const c_char,
    id: *const c_char,
    alert_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let (out, engine, actor) =
            unsafe { call_args(engine, actor_json, alert_out, "alert_out") }?;
        let id = unsafe { str_arg(id, "id") }?;
        set_json(
            out,
            &engine.block_on(engine.engine.resolve_alert(&actor, id))?,
        )
    })
}

/// Adds a silence: the alerts its matchers all match, raised from its start to its end, are
/// stored as `silenced`, never dropped. Needs `silence.create`.
///
/// `silence_json` is `{"matchers": ["name=value", "name!=value", "name=~regex",
/// "name!~regex"], "reason": "...", "starts_at": RFC 3339 (default now), "ends_at": RFC 3339
/// or "duration_secs": n}`. `*silence_out` receives `{"id", "matchers", "starts_at",
/// "ends_at", "author", "reason", "created_at"}`.
///
/// # Safety
/// `engine` is NULL or a live engine; `actor_json` and `silence_json` are NULL or
/// NUL-terminated strings; `silence_out` points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_add_silence(
    engine: *mut finmark_engine,
    actor_json: *const c_char,
    silence_json: *const c_char,
    silence_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let (out, engine, actor) =
            unsafe { call_args(engine, actor_json, silence_out, "silence_out") }?;
        let text = unsafe { str_arg(silence_json, "silence_json") }?;
        let request: SilenceRequest = parse_json(text, "silence_json", SILENCE_FORM)?;
        set_json(
            out,
            &engine.block_on(engine.engine.add_silence(&actor, request))?,
        )
    })
}

/// The silences by id as a JSON array of the objects `finmark_engine_add_silence` returns;
/// with `active_only`, only those muting now. Needs `silence.read`.
///
/// # Safety
/// `engine` is NULL or a live engine; `actor_json` is NULL or a NUL-terminated string;
/// `silences_out` points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_silences(
    engine: *mut finmark_engine,
    actor_json: *const c_char,
    active_only: bool,
    silences_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let (out, engine, actor) =
            unsafe { call_args(engine, actor_json, silences_out, "silences_out") }?;
        set_json(
            out,
            &engine.block_on(engine.engine.silences(&actor, active_only))?,
        )
    })
}

/// Ends a silence now; `*silence_out` receives it. Needs `silence.expire`.
///
/// # Safety
/// `engine` is NULL or a live engine; `actor_json` and `id` are NULL or NUL-terminated
/// strings; `silence_out` points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_engine_expire_silence(
    engine: *mut finmark_engine,
    actor_json: *const c_char,
    id: *const c_char,
    silence_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let (out, engine, actor) =
            unsafe { call_args(engine, actor_json, silence_out, "silence_out") }?;
        let id = unsafe { str_arg(id, "id") }?;
        set_json(
            out,
            &engine.block_on(engine.engine.expire_silence(&actor, id))?,
        )
    })
}

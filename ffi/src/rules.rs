//! Sigma rules without storage: the `finmark_ruleset` handle over the core's `RuleSet`, and
//! the rule options JSON that engines take too.

use crate::error::{Outcome, finmark_status};
use crate::marshal::{bytes_arg, handle, json_arg, out_arg, parse_json, set_json, str_arg};
use crate::panic::{ffi_boundary, ffi_boundary_or};
use finmark::{RuleOptions, RuleSet};
use std::ffi::c_char;
use std::path::PathBuf;
use std::ptr;

/// The JSON form of rule options, shown when an options argument is malformed.
const OPTIONS_FORM: &str = r#"{"rules": [paths], "rules_yaml": [texts], "pipelines": [names or paths], "strict_rules": false}"#;

/// Rule options from an optional JSON argument (NULL: no rules).
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
pub(crate) unsafe fn options_arg(ptr: *const c_char, name: &'static str) -> Outcome<RuleOptions> {
    // SAFETY: forwarded from the caller.
    unsafe { json_arg(ptr, name, OPTIONS_FORM) }
}

/// Compiled Sigma rules that match events without storage (the C face of `RuleSet`).
///
/// Made by `finmark_ruleset_load`, freed by `finmark_ruleset_free`. Matching does not change
/// it: several threads may match with one ruleset at the same time.
pub struct finmark_ruleset {
    rules: RuleSet,
}

/// Loads and compiles Sigma rules into a new ruleset.
///
/// `paths_json` is a JSON array of rule files or directories (searched recursively for
/// `.yml` and `.yaml`), for example `["rules/windows"]`; it may be `[]`. `options_json` is
/// NULL or rule options `{"rules": [paths], "rules_yaml": [YAML texts], "pipelines": [builtin
/// names or pipeline files], "strict_rules": false}`; its `rules` are added to `paths_json`.
///
/// Rules that cannot be supported are skipped and listed by `finmark_ruleset_rejected`,
/// unless `strict_rules` is true: then the first one fails the call with
/// `FINMARK_INVALID_RULE` naming its file and why. A pipeline that does not exist fails the
/// call with `FINMARK_NOT_FOUND`, one that does not parse with `FINMARK_INVALID_RULE`,
/// malformed JSON with `FINMARK_INVALID_QUERY`.
///
/// On success `*ruleset_out` is a new handle to free with `finmark_ruleset_free`; on failure
/// it is NULL.
///
/// # Safety
/// `paths_json` is a NUL-terminated string; `options_json` is NULL or one; `ruleset_out`
/// points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_ruleset_load(
    paths_json: *const c_char,
    options_json: *const c_char,
    ruleset_out: *mut *mut finmark_ruleset,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(ruleset_out, "ruleset_out", ptr::null_mut()) }?;
        let paths_text = unsafe { str_arg(paths_json, "paths_json") }?;
        let mut options = unsafe { options_arg(options_json, "options_json") }?;
        let paths: Vec<PathBuf> = parse_json(
            paths_text,
            "paths_json",
            r#"a JSON array of rule files or directories, like ["rules/windows"]"#,
        )?;
        options.rules = paths.into_iter().chain(options.rules).collect();
        let rules = options.build()?;
        *out = Box::into_raw(Box::new(finmark_ruleset { rules }));
        Ok(())
    })
}

/// Matches a batch of events against the ruleset.
///
/// `json`/`len` hold the events in any JSON batch form: one object, an array, NDJSON, or
/// concatenated (pretty-printed) objects, Windows event logs as `evtx_dump -o json` writes
/// them included. The bytes need not be NUL-terminated; a malformed record is reported, not
/// fatal.
///
/// `*report_out` receives a JSON string to free with `finmark_string_free`:
/// `{"matches": [{"rule_id", "title", "level", "severity", "tags", "event_id", "event_time",
/// "event_index", "fields": [{"field", "value"}]}], "events": n, "rejected": [{"line",
/// "reason"}]}`, where `event_index` is the 1-based line of the event (array index + 1 for an
/// array).
///
/// # Safety
/// `ruleset` is NULL or a live ruleset; `json` is NULL or points to `len` readable bytes;
/// `report_out` points to writable storage for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_ruleset_match_json(
    ruleset: *const finmark_ruleset,
    json: *const c_char,
    len: usize,
    report_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(report_out, "report_out", ptr::null_mut()) }?;
        let ruleset = unsafe { handle(ruleset, "ruleset") }?;
        let bytes = unsafe { bytes_arg(json, len, "json") }?;
        set_json(out, &ruleset.rules.match_json(bytes))
    })
}

/// The rules that were skipped when the ruleset was loaded, and why.
///
/// `*rejected_out` receives a JSON array to free with `finmark_string_free`:
/// `[{"file": "rules/x.yml", "reason": "..."}]`, empty (`[]`) when every rule was compiled.
///
/// # Safety
/// `ruleset` is NULL or a live ruleset; `rejected_out` points to writable storage for a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_ruleset_rejected(
    ruleset: *const finmark_ruleset,
    rejected_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(rejected_out, "rejected_out", ptr::null_mut()) }?;
        let ruleset = unsafe { handle(ruleset, "ruleset") }?;
        set_json(out, &ruleset.rules.rejected())
    })
}

/// The number of rules the ruleset compiled (the skipped ones not counted).
///
/// # Safety
/// `ruleset` is NULL or a live ruleset; `count_out` points to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_ruleset_len(
    ruleset: *const finmark_ruleset,
    count_out: *mut usize,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(count_out, "count_out", 0) }?;
        let ruleset = unsafe { handle(ruleset, "ruleset") }?;
        *out = ruleset.rules.len();
        Ok(())
    })
}

/// Frees a ruleset. NULL is a no-op.
///
/// # Safety
/// `ruleset` is NULL or a ruleset from `finmark_ruleset_load` that was not freed yet and that
/// no other thread is using; it must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_ruleset_free(ruleset: *mut finmark_ruleset) {
    ffi_boundary_or((), || {
        if !ruleset.is_null() {
            // SAFETY: the pointer came from `Box::into_raw` in `finmark_ruleset_load`, once.
            drop(unsafe { Box::from_raw(ruleset) });
        }
    })
}

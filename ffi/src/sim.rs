//! The seeded simulator of a fintech's day: `finmark_simulate_day` over the core's
//! `sim::simulate_day`.

use crate::error::finmark_status;
use crate::marshal::{json_arg, out_arg, set_json};
use crate::panic::ffi_boundary;
use finmark::sim::{SimConfig, simulate_day};
use std::ffi::c_char;
use std::ptr;

/// Simulates one day of a fintech's traffic: logins (with a burst of failed attempts from
/// one address), API requests, network flows (with a traffic spike), host metrics and orders.
///
/// `config_json` is NULL (the defaults) or `{"seed": 42, "date": "2026-01-15", "orders": 3000}`,
/// every key optional with those defaults; the same config always gives the same events.
///
/// `*events_out` receives a JSON array of flat event objects sorted by time, to free with
/// `finmark_string_free`; it is a batch `finmark_engine_ingest` and
/// `finmark_ruleset_match_json` take as it is.
///
/// # Safety
/// `config_json` is NULL or a NUL-terminated string; `events_out` points to writable storage
/// for a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn finmark_simulate_day(
    config_json: *const c_char,
    events_out: *mut *mut c_char,
) -> finmark_status {
    ffi_boundary(|| {
        // SAFETY (all blocks): the caller's promises above.
        let out = unsafe { out_arg(events_out, "events_out", ptr::null_mut()) }?;
        let config: SimConfig = unsafe {
            json_arg(
                config_json,
                "config_json",
                r#"{"seed": 42, "date": "2026-01-15", "orders": 3000}"#,
            )
        }?;
        let events: Vec<_> = simulate_day(&config).iter().map(|e| e.to_json()).collect();
        set_json(out, &events)
    })
}

//! The C ABI of finmark: `libfinmark` (shared and static) and `include/finmark.h`.
//!
//! A thin door over the `finmark` crate: every exported function checks and translates its
//! C arguments (`marshal.rs`), calls the core, and translates the result back, inside the panic
//! boundary (`panic.rs`); failures become a `finmark_status` and a thread-local message in one
//! place (`error.rs`). One module per core module it wraps: `engine.rs`, `alert.rs`, `rules.rs`,
//! `sim.rs`.
//!
//! The conventions C callers rely on (handles, out-parameters, JSON strings, NULL and UTF-8
//! checks, threads) are written once, at the top of the header, from `cbindgen.toml`.
//! `tests/header.rs` fails when the committed `include/finmark.h` is not what cbindgen
//! generates from these sources; `FINMARK_UPDATE_HEADER=1` makes it rewrite the header.

#![allow(non_camel_case_types)]

mod alert;
mod engine;
mod error;
mod marshal;
mod panic;
mod rules;
mod sim;

pub use alert::*;
pub use engine::*;
pub use error::{finmark_last_error_message, finmark_status, finmark_status_name};
pub use marshal::finmark_string_free;
pub use rules::*;
pub use sim::*;

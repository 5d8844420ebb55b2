//! The C ABI of finmark.

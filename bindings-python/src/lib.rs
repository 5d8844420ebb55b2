//! Python bindings of finmark.

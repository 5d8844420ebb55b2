//! Node bindings of finmark.

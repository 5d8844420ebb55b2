//! A seeded simulator of one day of a fintech's traffic, for the demo, examples and benches.

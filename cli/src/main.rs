//! The `finmark` command line.

fn main() {}

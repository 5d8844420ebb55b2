#!/usr/bin/env bash
# Every test of finmark, from a fresh machine of the project's kind: installs what is
# missing from the package registries, builds once, starts a throwaway PostgreSQL, and runs
# the Rust tests, lints, the Python, Node and C suites (C also under valgrind) and examples.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
started=$(date +%s)

step() { printf '\n==> %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

step "system packages"
bash scripts/install-deps.sh

step "format and lint"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests (PostgreSQL started for the storage suite)"
scripts/with-postgres.sh cargo test --workspace --locked

step "C library, tests and valgrind"
bash ffi/test.sh

step "Python bindings and examples"
bash bindings-python/test.sh

step "Node bindings and examples"
bash bindings-node/test.sh

step "Rust example"
cargo run --locked -q -p finmark-example

step "all green in $(( $(date +%s) - started ))s"

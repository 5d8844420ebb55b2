#!/usr/bin/env bash
# Builds the Node binding and runs its tests and every Node example. Run from the repo root:
#
#   bindings-node/test.sh
#
# - installs npm dependencies (bindings-node, examples/node) only when node_modules is missing
#   or older than its package-lock.json;
# - builds the addon in release with the shared CARGO_TARGET_DIR (default: target/ at the repo
#   root), so the core compiles once for every door;
# - fails when the generated index.js / index.d.ts differ from the committed ones, and
#   type-checks index.d.ts with tsc;
# - runs `node --test` on bindings-node/__test__/ and runs every example under examples/node
#   (an example with a NAME.test.js is run by that test, any other one directly);
# - the PostgreSQL scenarios use FINMARK_TEST_POSTGRES; when it is unset and PostgreSQL 15 is
#   installed, the script runs itself again under scripts/with-postgres.sh (a throwaway server
#   for the run, stopped on exit).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

if [[ -z ${FINMARK_TEST_POSTGRES:-} && -x ${PG_BIN:-/usr/lib/postgresql/15/bin}/pg_ctl ]]; then
  exec scripts/with-postgres.sh "$root/bindings-node/test.sh" "$@"
fi

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'bindings-node/test.sh: %s\n' "$*" >&2; exit 1; }

npm_install() {
  local dir=$1
  local stamp=$dir/node_modules/.package-lock.json
  if [[ ! -f $stamp || $dir/package-lock.json -nt $stamp || $dir/package.json -nt $stamp ]]; then
    step "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}

cleanup() { rm -rf "${run_dir:-}"; }
trap cleanup EXIT

npm_install bindings-node

step "napi build --platform --release (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
(cd bindings-node && npx napi build --platform --release)

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git diff --quiet -- bindings-node/index.js bindings-node/index.d.ts ||
    fail "the generated bindings-node/index.js or index.d.ts changed; review and commit them (git diff bindings-node/index.*)"
fi

step "tsc: type-check index.d.ts"
(cd bindings-node && npx tsc -p tsconfig.json)

step "node --test bindings-node/__test__/"
node --test bindings-node/__test__/

step "examples/node"
npm_install examples/node
run_dir=$(mktemp -d)
for example in examples/node/*.js; do
  case $example in *.test.js) continue ;; esac
  if [[ -f ${example%.js}.test.js ]]; then
    node --test "${example%.js}.test.js"
  else
    echo "node $example"
    (cd "$run_dir" && node "$root/$example")
  fi
done

step "bindings-node: all passed"

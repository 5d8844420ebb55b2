#!/usr/bin/env bash
# The C door's tests. Run from anywhere (it moves to the repository root):
#   ffi/test.sh
# 1. builds libfinmark, shared (.so) and static (.a), in $CARGO_TARGET_DIR (default target/);
# 2. runs the crate's Rust tests: the panic boundary, the status codes, and the check that the
#    committed ffi/include/finmark.h is what cbindgen generates (header drift);
# 3. compiles every ffi/tests/*.c with gcc -Wall -Wextra -Werror against the header, linked
#    both to the shared and to the static library, and runs them;
# 4. runs them again under valgrind (no leaks, no memory errors);
# 5. builds the examples in examples/c and runs them (natively and under valgrind), checking
#    what they print.
# Idempotent; the first failure stops it with a message saying what failed.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
lib_dir=$target/debug
bin_dir=$target/ffi-c
mkdir -p "$bin_dir"

step() { printf '\n== ffi: %s\n' "$*"; }
trap 'echo "ffi/test.sh: FAILED (line $LINENO: $BASH_COMMAND)" >&2' ERR

# Test programs make their files under $TMPDIR; this one is removed however the run ends.
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/finmark-ffi-test.XXXXXX")
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT

step "building libfinmark (shared and static)"
# `--print native-static-libs` makes rustc name the system libraries a static link needs
# (cargo replays the note when the library is already built).
native_libs=$(cargo rustc --quiet --locked -p finmark-ffi --lib -- --print native-static-libs 2>&1 |
  sed -n 's/^note: native-static-libs: //p' | tail -n 1)
test -n "$native_libs" || { echo "rustc did not print native-static-libs" >&2; exit 1; }
test -f "$lib_dir/libfinmark.so" && test -f "$lib_dir/libfinmark.a"

step "Rust tests: panic boundary, status codes, header drift"
cargo test --quiet --locked -p finmark-ffi

cflags=(-std=c11 -g -Wall -Wextra -Werror -pthread -I "$root/ffi/include")
# compile NAME SOURCE [EXTRA_CFLAGS...]: NAME linked to the shared library, NAME-static to the
# static one.
compile() {
  local name=$1 source=$2
  shift 2
  gcc "${cflags[@]}" "$@" "$source" -o "$bin_dir/$name" \
    -L "$lib_dir" -Wl,-rpath,"$lib_dir" -lfinmark
  # shellcheck disable=SC2086 # native_libs is a list of -l flags
  gcc "${cflags[@]}" "$@" "$source" -o "$bin_dir/$name-static" "$lib_dir/libfinmark.a" $native_libs
}
under_valgrind() {
  valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,possible \
    --suppressions="$root/ffi/tests/valgrind.supp" \
    --error-exitcode=1 "$@"
}

tests=()
for source in "$root"/ffi/tests/*.c; do
  tests+=("$(basename "$source" .c)")
done
test ${#tests[@]} -gt 0

step "compiling ${#tests[@]} C tests with -Wall -Wextra -Werror"
for name in "${tests[@]}"; do
  compile "$name" "$root/ffi/tests/$name.c" -I "$root/ffi/tests"
done

step "running the C tests (shared and static library)"
for name in "${tests[@]}"; do
  "$bin_dir/$name"
  "$bin_dir/$name-static" >/dev/null
done

step "running the C tests under valgrind"
for name in "${tests[@]}"; do
  under_valgrind "$bin_dir/$name"
done

step "examples/c"
compile quickstart "$root/examples/c/quickstart.c"
compile hunt "$root/examples/c/hunt.c"

# quickstart writes finmark.db in its working directory and prints a page of events.
for run in "" under_valgrind; do
  rm -rf "$TMPDIR/quickstart" && mkdir "$TMPDIR/quickstart"
  output=$(cd "$TMPDIR/quickstart" && $run "$bin_dir/quickstart-static")
  grep -q '"user.name":"alice"' <<<"$output" ||
    { echo "quickstart printed no event of alice: $output" >&2; exit 1; }
  test -f "$TMPDIR/quickstart/finmark.db"
done

# hunt runs a SigmaHQ rule, with the shipped windows pipeline, on that rule's own regression
# sample (the attack's events as evtx_dump writes them; match_count 1 in its info.yml) and must
# report the rule on event 1.
shared=$root/../shared
rule_id=d059842b-6b9d-4ed1-b5c3-5b89143c6ede
rule=$shared/sigma/rules/windows/process_creation/proc_creation_win_bitsadmin_download.yml
sample=$shared/sigma/regression_data/rules/windows/process_creation/proc_creation_win_bitsadmin_download/$rule_id.json
for run in "" under_valgrind; do
  output=$($run "$bin_dir/hunt" "$rule" "$sample" windows)
  grep -q "^{\"matches\":\[{\"rule_id\":\"$rule_id\"" <<<"$output" ||
    { echo "hunt did not report rule $rule_id: $output" >&2; exit 1; }
  grep -q '"event_index":1,' <<<"$output" ||
    { echo "hunt did not report event 1: $output" >&2; exit 1; }
done
# The whole Windows corpus on the real attack samples (natively: valgrind would take long):
# every event read, matches found.
output=$("$bin_dir/hunt-static" "$shared/sigma/rules/windows" \
  "$shared/events/windows-attack-samples.ndjson" windows 2>/dev/null)
grep -q '"events":24883,"rejected":\[\]}$' <<<"$output" ||
  { echo "hunt did not read the 24883 sample events: ${output: -200}" >&2; exit 1; }
grep -q '^{"matches":\[{"rule_id":' <<<"$output" ||
  { echo "hunt found no match in the attack samples" >&2; exit 1; }
# A file that cannot be read makes hunt fail with a message.
if "$bin_dir/hunt" "$rule" "$TMPDIR/no-such-file.ndjson" 2>/dev/null; then
  echo "hunt succeeded on a missing file" >&2
  exit 1
fi

step "all C tests and examples passed"

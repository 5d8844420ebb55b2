#!/usr/bin/env bash
# Runs a command next to a throwaway PostgreSQL 15 server.
#
#   scripts/with-postgres.sh CMD ARGS...
#
# Starts a private server in a temporary directory on a free port of 127.0.0.1, exports
# FINMARK_TEST_POSTGRES (a superuser URL of its `postgres` database), runs CMD, then stops the
# server and removes its directory from an EXIT trap, so a failing or interrupted command
# leaves nothing behind. Exits with CMD's exit code.
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` user (through
# runuser), as anyone else it runs as that user. PG_BIN overrides the binaries' directory;
# PG_SERVER_OPTIONS adds server settings (for example "-c shared_buffers=512MB").
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD ARGS..." >&2
    exit 2
fi

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PG_BIN/pg_ctl" ]; then
    echo "with-postgres: no PostgreSQL binaries in $PG_BIN (set PG_BIN)" >&2
    exit 2
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/finmark-pg.XXXXXX")
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
    as_owner=(runuser -u postgres --)
fi

pg() {
    "${as_owner[@]}" "$PG_BIN/$@"
}

started=
cleanup() {
    if [ -n "$started" ]; then
        pg pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
# Until the command runs, a signal just ends the script (and the EXIT trap cleans up).
trap 'exit 130' INT
trap 'exit 143' TERM

pg initdb -D "$dir/data" -A trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
}

# True when nothing listens on 127.0.0.1:$1.
port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A port can be taken between the check and the start, so try a few.
for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    port_is_free "$port" || continue
    if pg pg_ctl -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 ${PG_SERVER_OPTIONS:-}" >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ -z "$started" ]; then
    echo "with-postgres: could not start PostgreSQL; server log:" >&2
    cat "$dir/server.log" >&2 || true
    exit 1
fi

export FINMARK_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port (FINMARK_TEST_POSTGRES)" >&2

# The command runs in the background so that a signal to this script is handled at once:
# it is passed on to the command, and the EXIT trap stops the server once the command ends.
set +e
"$@" &
child=$!
trap 'kill -INT "$child" 2>/dev/null' INT
trap 'kill -TERM "$child" 2>/dev/null' TERM
wait "$child"
status=$?
# A signal ends `wait` early; wait again until the command itself has ended.
while kill -0 "$child" 2>/dev/null; do
    wait "$child"
    status=$?
done
exit "$status"

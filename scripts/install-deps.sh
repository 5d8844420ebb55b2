#!/usr/bin/env bash
# Installs the system tools the test command needs when they are missing (Debian packages).
set -euo pipefail
missing=()
command -v valgrind >/dev/null || missing+=(valgrind)
command -v gcc >/dev/null || missing+=(gcc)
[ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
command -v python3 >/dev/null || missing+=(python3 python3-venv)
command -v node >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

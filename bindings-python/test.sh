#!/usr/bin/env bash
# The Python door's tests, run from the repository root (or anywhere):
#   bash bindings-python/test.sh
# Creates .venv/ at the repository root when missing, pip-installs the tools and the
# examples' dependencies that are missing, builds finmark._finmark into it with
# `maturin develop --release` (cargo's target dir: $CARGO_TARGET_DIR, default target/ at the
# root), then runs the pytest suite (type checks included), the examples' tests and the
# Django example's test suite. Stops at the first failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate

# module to import = requirement to install when it cannot be imported
requirements=(
  "maturin=maturin>=1.16,<2"
  "pytest=pytest>=8"
  "mypy=mypy>=1.10"
  "pandas=pandas>=2.2"
  "plotly=plotly>=5.20"
  "streamlit=streamlit>=1.40"
  "django=django>=5.2,<6"
)
missing=()
for pair in "${requirements[@]}"; do
  module="${pair%%=*}"
  python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$module') is None)" \
    || missing+=("${pair#*=}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing into .venv: ${missing[*]}"
  python -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi

echo "building finmark._finmark (release) into .venv"
(cd bindings-python && maturin develop --release --locked --quiet)

echo "pytest: bindings-python/tests and examples/python"
python -m pytest -p no:cacheprovider -q --rootdir "$root" bindings-python/tests examples/python

echo "examples/python/soc_django: Django's checks and test suite"
(cd examples/python/soc_django && python manage.py check && python manage.py test --verbosity 1)

echo "Python door: all green"

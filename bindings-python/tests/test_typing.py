"""The type stubs are honest: stubtest compares `_finmark.pyi` with the native module as
built, and `mypy --strict` checks the package, these tests and the examples against them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "bindings-python" / "pyproject.toml"
CACHE = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "mypy-cache"


def mypy(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", module, "--mypy-config-file" if module == "mypy.stubtest" else "--config-file"]
    command += [str(CONFIG), *args]
    env = dict(os.environ, MYPY_CACHE_DIR=str(CACHE))
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)


def test_stubs_match_the_native_module() -> None:
    run = mypy("mypy.stubtest", "finmark._finmark")
    assert run.returncode == 0, run.stdout + run.stderr


def test_package_tests_and_examples_type_check_strictly() -> None:
    paths = [
        "bindings-python/python/finmark",
        "bindings-python/tests",
        "bindings-python/bench",
        "examples/python/quickstart.py",
        "examples/python/test_quickstart.py",
        "examples/python/dashboard_streamlit.py",
        "examples/python/test_dashboard_streamlit.py",
    ]
    run = mypy("mypy", *paths)
    assert run.returncode == 0, run.stdout + run.stderr

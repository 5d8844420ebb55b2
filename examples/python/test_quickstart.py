"""The quickstart runs as a script and prints the event it stored."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("quickstart.py")


def test_quickstart_prints_the_stored_event(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(SCRIPT)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("203.0.113.9 failure") == 1, run.stdout
    assert (tmp_path / "quickstart.db").is_file()
    # a second run re-sends the same event: stored once, still printed once
    again = subprocess.run([sys.executable, str(SCRIPT)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout == run.stdout

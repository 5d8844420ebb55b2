"""Shared fixtures: an engine on each embedded backend, and paths to the shared corpora."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

import finmark

#: The project's shared, read-only rule corpora and data sets (`../shared` from the root).
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture(params=["memory", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A storage URL: process memory, or a real SQLite file in a fresh temporary folder."""
    if request.param == "memory":
        return "memory://"
    return f"sqlite://{tmp_path / 'finmark.db'}"


@pytest.fixture
def engine(url: str) -> Iterator[finmark.Engine]:
    """An open engine without rules, closed after the test."""
    with finmark.Engine(url) as e:
        yield e


@pytest.fixture
def shared() -> Path:
    """The shared corpora folder; tests that read it fail loudly when it is missing."""
    assert SHARED.is_dir(), f"shared corpora not found at {SHARED}"
    return SHARED

"""The dashboard's data functions on a real engine, and the page itself through Streamlit's
headless AppTest (no server)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import finmark

sys.path.insert(0, str(Path(__file__).parent))
import dashboard_streamlit as dashboard  # noqa: E402

RULE = """
title: Failed login
level: high
logsource: {category: authentication}
detection:
  selection: {event.outcome: failure}
  condition: selection
"""


def login(minute: int, ip: str, outcome: str) -> Dict[str, Any]:
    return {
        "@timestamp": f"2026-01-15T{8 + minute // 60:02d}:{minute % 60:02d}:00Z",
        "event": {"id": f"m{minute}", "category": "authentication", "outcome": outcome},
        "source": {"ip": ip},
    }


EVENTS: List[Dict[str, Any]] = [login(m, "203.0.113.9" if m % 3 else "198.51.100.7", "failure" if m % 3 else "success") for m in range(90)]


@pytest.fixture
def engine() -> Iterator[finmark.Engine]:
    with finmark.Engine("memory://", rules_yaml=RULE) as e:
        e.ingest(EVENTS)
        yield e


def test_all_events_reads_every_page(engine: finmark.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dashboard, "PAGE", 7)
    events = dashboard.all_events(engine)
    assert len(events) == 90
    assert set(events["id"]) == {e["event"]["id"] for e in EVENTS}


def test_events_per_hour(engine: finmark.Engine) -> None:
    per_hour = dashboard.events_per_hour(dashboard.all_events(engine))
    assert per_hour["events"].sum() == 90
    assert sorted(per_hour["events"]) == [30, 60]  # 08:00-08:59 and 09:00-09:29
    assert set(per_hour["event.category"]) == {"authentication"}
    assert dashboard.hourly_chart(per_hour).data


def test_top_values_and_detections(engine: finmark.Engine) -> None:
    top = dashboard.top_values(engine, "source.ip")
    assert list(zip(top["value"], top["count"])) == [("203.0.113.9", 60), ("198.51.100.7", 30)]
    assert dashboard.top_chart(top, "source.ip").data
    detections = dashboard.latest_detections(engine)
    assert len(detections) == 60
    assert set(detections["severity"]) == {"critical"}
    assert list(detections.columns) == ["event_time", "severity", "title", "rule_id", "event_id"]


def test_empty_engine_gives_empty_frames() -> None:
    with finmark.Engine("memory://") as empty:
        assert dashboard.all_events(empty).empty
        assert dashboard.events_per_hour(dashboard.all_events(empty)).empty
        assert dashboard.top_values(empty, "source.ip").empty
        assert dashboard.latest_detections(empty).empty


def test_load_simulated_day_is_idempotent() -> None:
    with finmark.Engine("memory://") as e:
        first = dashboard.load_simulated_day(e, seed=3)
        assert first.accepted > 0
        again = dashboard.load_simulated_day(e, seed=3)
        assert (again.accepted, again.duplicates) == (0, first.accepted)


def test_the_page_renders_headless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    url = f"sqlite://{tmp_path / 'dash.db'}"
    with finmark.Engine(url, rules_yaml=RULE) as e:
        e.ingest(EVENTS)
    monkeypatch.setenv("FINMARK_URL", url)
    page = AppTest.from_file(str(Path(dashboard.__file__)), default_timeout=60).run()
    assert not page.exception, page.exception
    assert [m.value for m in page.metric] == ["90", "60", "60"]
    assert len(page.get("plotly_chart")) == 2

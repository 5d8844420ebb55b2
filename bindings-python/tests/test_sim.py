"""simulate_day: seeded, deterministic, realistic, ready to ingest."""

from __future__ import annotations

from datetime import date, datetime, timezone

import finmark


def test_same_seed_same_day_and_different_seed_differs() -> None:
    a = finmark.simulate_day(seed=7, date="2026-02-03", orders=200)
    b = finmark.simulate_day(seed=7, date=date(2026, 2, 3), orders=200)
    c = finmark.simulate_day(seed=8, date="2026-02-03", orders=200)
    assert len(a) > 200
    assert a == b
    assert a != c


def test_events_are_sorted_within_the_day_and_ingestable() -> None:
    events = finmark.simulate_day(seed=1, orders=300)
    times = [datetime.fromisoformat(e["@timestamp"].replace("Z", "+00:00")) for e in events]
    assert times == sorted(times)
    day = date(2026, 1, 15)
    assert all(t.astimezone(timezone.utc).date() == day for t in times)
    assert len({e["event.id"] for e in events}) == len(events)
    with finmark.Engine("memory://") as engine:
        assert engine.ingest(events).accepted == len(events)


def test_more_orders_more_events() -> None:
    assert len(finmark.simulate_day(orders=1000)) > len(finmark.simulate_day(orders=100))

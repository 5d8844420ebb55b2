"""``finmark.simulate_day``: a seeded simulated day of a fintech's traffic."""

from __future__ import annotations

from datetime import date as Date
from typing import Any, Dict, List, Union

from . import _finmark


def simulate_day(
    seed: int = 42, date: Union[Date, str] = "2026-01-15", orders: int = 3000
) -> List[Dict[str, Any]]:
    """One simulated day (UTC) of a fintech's traffic, sorted by time: logins (with a burst
    of failed attempts from one IP), API requests, network flows (with a traffic spike), host
    metrics and ``orders`` orders. Each event is a flat dict with ``event.id`` and
    ``@timestamp``, ready for ``Engine.ingest``. The same arguments give the same events."""
    day = date.isoformat() if isinstance(date, Date) else date
    return _finmark.simulate_day({"seed": seed, "date": day, "orders": orders})

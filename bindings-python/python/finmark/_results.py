"""The result collections: :class:`IngestReport`, :class:`EventPage`, :class:`MatchReport`
and :class:`ResultList`. Their items (``Event``, ``Match``, ``Rejected``...) are native
classes; collections add ``to_dict()`` and ``to_pandas()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Protocol, TypeVar

from ._finmark import Event, Match, Rejected

if TYPE_CHECKING:
    from ._finmark import _IngestReport, _MatchReport


class _Record(Protocol):
    def to_dict(self) -> Dict[str, Any]: ...


R = TypeVar("R", bound=_Record)


def _data_frame(rows: List[Dict[str, Any]]) -> Any:
    try:
        import pandas
    except ImportError as e:  # pandas is optional
        raise ImportError("to_pandas() needs pandas: pip install pandas") from e
    return pandas.DataFrame(rows)


class ResultList(List[R]):
    """A list of results (``Match``, ``FieldCount``, ``Rejected``...) that converts to
    dicts or to a pandas DataFrame."""

    def to_dicts(self) -> List[Dict[str, Any]]:
        """Each item's ``to_dict()``."""
        return [item.to_dict() for item in self]

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` with one row per item (needs pandas)."""
        return _data_frame(self.to_dicts())


@dataclass(frozen=True)
class IngestReport:
    """What one ``Engine.ingest`` call did."""

    #: Events stored now.
    accepted: int
    #: Valid events whose id was already stored (re-sent), not stored again.
    duplicates: int
    #: Records that were not valid events, with their line and reason.
    rejected: ResultList[Rejected]
    #: Rule matches in the events stored now.
    matches: ResultList[Match]
    #: Correlation rule firings (dicts in the core's ``CorrelationMatch`` JSON form).
    correlations: List[Dict[str, Any]] = field(default_factory=list)
    #: Alerts raised or updated by the batch (dicts in the core's ``Alert`` JSON form).
    alerts: List[Dict[str, Any]] = field(default_factory=list)

    @classmethod
    def _from_native(cls, d: _IngestReport) -> IngestReport:
        rejected, matches = ResultList(d["rejected"]), ResultList(d["matches"])
        return cls(d["accepted"], d["duplicates"], rejected, matches, d["correlations"], d["alerts"])

    def to_dict(self) -> Dict[str, Any]:
        """The report as plain dicts and lists."""
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": self.rejected.to_dicts(),
            "matches": self.matches.to_dicts(),
            "correlations": self.correlations,
            "alerts": self.alerts,
        }


@dataclass(frozen=True)
class EventPage:
    """One page of stored events, newest first. Iterating it gives its events; pass
    ``next_cursor`` to ``Engine.events(cursor=...)`` for the next page (``None`` on the last)."""

    #: The events of this page.
    events: ResultList[Event]
    #: Where the next page starts, or ``None`` when this page is the last.
    next_cursor: Optional[str]

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def to_dict(self) -> Dict[str, Any]:
        """``{"events": [...], "next_cursor": ...}``."""
        return {"events": self.events.to_dicts(), "next_cursor": self.next_cursor}

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` with one row per event: ``id``, ``time`` and one column per
        field name (needs pandas)."""
        return _data_frame([{"id": e.id, "time": e.time, **e.fields} for e in self.events])


@dataclass(frozen=True)
class MatchReport:
    """The result of matching a batch: iterating it gives its matches."""

    #: Every (event, rule) match, in input order.
    matches: ResultList[Match]
    #: The number of events read.
    events: int
    #: The records that were not valid events.
    rejected: ResultList[Rejected]

    @classmethod
    def _from_native(cls, d: _MatchReport) -> MatchReport:
        return cls(ResultList(d["matches"]), d["events"], ResultList(d["rejected"]))

    def __iter__(self) -> Iterator[Match]:
        return iter(self.matches)

    def __len__(self) -> int:
        return len(self.matches)

    def to_dict(self) -> Dict[str, Any]:
        """The report as plain dicts and lists."""
        return {
            "matches": self.matches.to_dicts(),
            "events": self.events,
            "rejected": self.rejected.to_dicts(),
        }

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` with one row per match (needs pandas)."""
        return self.matches.to_pandas()

"""``finmark.Engine``: the engine on one storage, as a context manager."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Iterable, Mapping, Optional, Type, Union

from . import _finmark
from ._convert import PathsLike, TimeLike, query, rule_options, time_text
from ._finmark import Event, FieldCount, Match
from ._results import EventPage, IngestReport, ResultList

#: What ``Engine.ingest`` and ``RuleSet.match`` take: dicts of fields (nested dicts are
#: flattened to dotted names) or ``Event`` objects read from an engine.
EventLike = Union[Mapping[str, Any], Event]


class Engine:
    """An engine on one storage: it ingests batches of events, matches them against the
    loaded Sigma rules, stores events and detections, and answers queries.

    ``url`` names the storage: ``sqlite://PATH`` (an embedded file, the default),
    ``memory://`` or ``postgres://USER@HOST:PORT/DB``. ``rules`` are Sigma rule files or
    directories, ``rules_yaml`` rule texts, ``pipelines`` builtin pipeline names (such as
    ``"windows"``) or pipeline files; with ``strict_rules`` a rule that cannot be compiled
    fails the open instead of being skipped.

    Every method blocks until the core is done, with the GIL released, so threads can share
    one engine. An engine belongs to the process that opened it: a process forked after the
    open (gunicorn with ``--preload``, ``multiprocessing``) opens its own, and calls on the
    inherited one raise ``StorageError``. Close it with :meth:`close` or a ``with`` block::

        with finmark.Engine("sqlite:///tmp/soc.db") as engine:
            engine.ingest([{"user.name": "alice", "event.action": "login"}])
            page = engine.events(where={"user.name": "alice"})

    Raises ``InvalidQueryError`` for a malformed URL, ``StorageError`` when the storage cannot
    be opened, ``NotFoundError`` for an unknown pipeline, ``InvalidRuleError`` for a bad
    pipeline file (or a bad rule with ``strict_rules``).
    """

    __slots__ = ("_native", "_url", "_closed")

    def __init__(
        self,
        url: str = "sqlite://finmark.db",
        rules: Optional[PathsLike] = None,
        pipelines: Optional[PathsLike] = None,
        *,
        rules_yaml: Union[str, Iterable[str], None] = None,
        strict_rules: bool = False,
    ) -> None:
        self._url = url
        self._closed = True  # until the native engine is open
        self._native = _finmark.Engine(url, rule_options(rules, pipelines, rules_yaml, strict_rules))
        self._closed = False

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<finmark.Engine {self._url!r} {state}>"

    def ingest(self, events: Iterable[EventLike]) -> IngestReport:
        """Matches and stores a batch of events in one transaction.

        ``events`` is an iterable of dicts (nested dicts are flattened to dotted names, as
        for JSON; ``datetime`` values become ISO text) or ``Event`` objects. An item that is
        not an event is rejected with its 1-based position; the others are still stored.
        Re-sent events (same id) count as duplicates and are not stored twice.
        """
        return IngestReport._from_native(self._native.ingest(events))

    def ingest_json(self, data: Union[bytes, bytearray, str]) -> IngestReport:
        """Ingests JSON bytes or text: one object, an array, NDJSON, objects concatenated
        with any whitespace, or Windows event logs as ``evtx_dump`` writes them. A malformed
        record is rejected with its line; every valid one is still stored."""
        return IngestReport._from_native(self._native.ingest_json(data))

    def events(
        self,
        since: Optional[TimeLike] = None,
        until: Optional[TimeLike] = None,
        where: Optional[Mapping[str, Any]] = None,
        limit: int = 100,
        cursor: Optional[str] = None,
    ) -> EventPage:
        """Stored events, newest first, one page at a time.

        ``since`` (inclusive) and ``until`` (exclusive) bound the time; ``where`` maps
        field names to values they must equal (typed: ``500`` matches the integer, not
        ``"500"``); ``limit`` is the page size (at most 10,000); ``cursor`` continues after
        an earlier page (its ``next_cursor``).
        """
        events, next_cursor = self._native.events(query(since, until, where, limit, cursor))
        return EventPage(ResultList(events), next_cursor)

    def count_by(
        self,
        field: str,
        since: Optional[TimeLike] = None,
        until: Optional[TimeLike] = None,
        where: Optional[Mapping[str, Any]] = None,
        limit: int = 100,
    ) -> ResultList[FieldCount]:
        """How many stored events (in the range, with the ``where`` values) have each value
        of ``field``, most frequent first, at most ``limit`` values."""
        return ResultList(self._native.count_by(field, query(since, until, where, limit)))

    def detections(
        self,
        since: Optional[TimeLike] = None,
        until: Optional[TimeLike] = None,
        where: Optional[Mapping[str, Any]] = None,
        limit: int = 100,
    ) -> ResultList[Match]:
        """Stored detections of events in the time range, newest first; ``where`` filters on
        ``rule_id``, ``level``, ``severity`` or ``event_id``."""
        return ResultList(self._native.detections(query(since, until, where, limit)))

    def purge_before(self, cutoff: TimeLike) -> int:
        """Deletes the events (and their detections) older than ``cutoff``; returns how many
        events were deleted."""
        return self._native.purge_before(time_text(cutoff))

    def reload_rules(
        self,
        rules: Optional[PathsLike] = None,
        pipelines: Optional[PathsLike] = None,
        *,
        rules_yaml: Union[str, Iterable[str], None] = None,
        strict_rules: bool = False,
    ) -> None:
        """Compiles new rules and swaps them in atomically: a batch being ingested finishes
        with the rules it started with. The arguments are those of the constructor."""
        self._native.reload_rules(rule_options(rules, pipelines, rules_yaml, strict_rules))

    def close(self) -> None:
        """Closes the storage. Closing twice is harmless; any other call on a closed engine
        raises ``StorageError``."""
        if not self._closed:
            self._closed = True
            self._native.close()

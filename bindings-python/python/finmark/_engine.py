"""``finmark.Engine``: the engine on one storage, as a context manager."""

from __future__ import annotations

from types import TracebackType
from datetime import timedelta
from typing import Any, Dict, Iterable, List, Mapping, Optional, Type, Union

from . import _finmark
from ._alerts import ActorLike, actor_dict, alert_query, silence_request
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
    fails the open instead of being skipped. ``alert_config`` and ``correlation_config`` are
    the core's ``AlertConfig`` and ``CorrelationConfig`` dicts (suppression window, grouping,
    risk; time mode, lateness, limits), every key optional.

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
        alert_config: Optional[Mapping[str, Any]] = None,
        correlation_config: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._url = url
        self._closed = True  # until the native engine is open
        self._native = _finmark.Engine(
            url,
            rule_options(rules, pipelines, rules_yaml, strict_rules),
            None if alert_config is None else dict(alert_config),
            None if correlation_config is None else dict(correlation_config),
        )
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

    def alerts(
        self,
        actor: ActorLike,
        *,
        status: Optional[str] = None,
        severity: Optional[str] = None,
        rule_id: Optional[str] = None,
        entity: Optional[str] = None,
        fingerprint: Optional[str] = None,
        since: Optional[TimeLike] = None,
        until: Optional[TimeLike] = None,
        limit: int = 100,
        cursor: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Alerts, newest first (by first seen), one page at a time:
        ``{"alerts": [alert dicts], "next_cursor": ...}``. Needs ``alert.read``.

        ``status`` (``open``, ``silenced``, ``acknowledged``, ``resolved``), ``severity``
        (``critical``, ``warning``, ``info``), ``rule_id``, ``entity`` (``kind:value``, as
        ``"ip:203.0.113.9"``) and ``fingerprint`` filter; ``since``/``until`` keep the alerts
        whose span overlaps the range; ``cursor`` continues after an earlier page.
        """
        q = alert_query(status, severity, rule_id, entity, fingerprint, since, until, limit, cursor)
        return self._native.alerts(actor_dict(actor), q)

    def alert(self, actor: ActorLike, id: str) -> Dict[str, Any]:
        """The alert with ``id`` (``NotFoundError`` when there is none). Needs
        ``alert.read``."""
        return self._native.alert(actor_dict(actor), id)

    def alert_counts(
        self,
        actor: ActorLike,
        *,
        status: Optional[str] = None,
        severity: Optional[str] = None,
        rule_id: Optional[str] = None,
        entity: Optional[str] = None,
        fingerprint: Optional[str] = None,
        since: Optional[TimeLike] = None,
        until: Optional[TimeLike] = None,
    ) -> Dict[str, Any]:
        """How many alerts pass the filters of :meth:`alerts`, for dashboards:
        ``{"by_severity": {...}, "by_status": {...}, "total": n}``. Needs ``alert.read``."""
        q = alert_query(status, severity, rule_id, entity, fingerprint, since, until, 0, None)
        return self._native.alert_counts(actor_dict(actor), q)

    def acknowledge_alert(self, actor: ActorLike, id: str) -> Dict[str, Any]:
        """Acknowledges an open or silenced alert; returns it. Needs ``alert.acknowledge``;
        an acknowledged or resolved alert raises ``ConflictError``."""
        return self._native.acknowledge_alert(actor_dict(actor), id)

    def resolve_alert(self, actor: ActorLike, id: str) -> Dict[str, Any]:
        """Resolves an alert for good; returns it. Needs ``alert.resolve``; a resolved alert
        raises ``ConflictError``."""
        return self._native.resolve_alert(actor_dict(actor), id)

    def add_silence(
        self,
        actor: ActorLike,
        matchers: Union[str, Iterable[Union[str, Mapping[str, Any]]]],
        *,
        reason: str,
        starts: Optional[TimeLike] = None,
        ends: Optional[TimeLike] = None,
        duration: Union[timedelta, float, None] = None,
    ) -> Dict[str, Any]:
        """Mutes the alerts every matcher matches (``"rule_id=..."``, ``"source.ip=~10\\..*"``,
        ``!=``, ``!~``) from ``starts`` (default now) until ``ends`` or for ``duration``;
        they are stored as ``silenced``, never dropped. Returns the silence. Needs
        ``silence.create``."""
        request = silence_request(matchers, reason, starts, ends, duration)
        return self._native.add_silence(actor_dict(actor), request)

    def silences(self, actor: ActorLike, active_only: bool = True) -> List[Dict[str, Any]]:
        """The silences by id; with ``active_only``, only those muting now. Needs
        ``silence.read``."""
        return self._native.silences(actor_dict(actor), active_only)

    def expire_silence(self, actor: ActorLike, id: str) -> Dict[str, Any]:
        """Ends a silence now; returns it. Needs ``silence.expire``."""
        return self._native.expire_silence(actor_dict(actor), id)

    def close(self) -> None:
        """Closes the storage. Closing twice is harmless; any other call on a closed engine
        raises ``StorageError``."""
        if not self._closed:
            self._closed = True
            self._native.close()

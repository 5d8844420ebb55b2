"""finmark: an embeddable security analytics engine.

Ingest events (dicts, JSON, NDJSON, Windows event logs), match them against Sigma rules, and
keep events and detections in SQLite (embedded, the default), PostgreSQL or memory. The work
is done by finmark's Rust core, the same one the Node, C and command-line doors use.

A tour:

- :class:`Engine` opens a storage URL, ingests batches (:meth:`Engine.ingest`,
  :meth:`Engine.ingest_json`) and answers queries (:meth:`Engine.events`,
  :meth:`Engine.count_by`, :meth:`Engine.detections`). Use it in a ``with`` block.
- :class:`RuleSet` matches events against Sigma rules without storage
  (:meth:`RuleSet.match`, :meth:`RuleSet.match_ndjson`).
- :func:`simulate_day` makes a realistic, seeded day of events to play with.
- Results are typed: :class:`IngestReport`, :class:`EventPage`, :class:`MatchReport` hold
  :class:`Event`, :class:`Match`, :class:`Rejected`...; each has ``to_dict()``, and
  collections have ``to_pandas()`` when pandas is installed.
- Alerts raised as events are ingested are read and worked by an :class:`Actor` whose roles
  allow it (:meth:`Engine.alerts`, :meth:`Engine.acknowledge_alert`,
  :meth:`Engine.add_silence`...).
- Every error is a :class:`FinmarkError`; its subclass and ``code`` say what kind
  (``InvalidQueryError`` / ``"INVALID_QUERY"``, ``StorageError`` / ``"STORAGE"``...).

>>> import finmark
>>> with finmark.Engine("memory://") as engine:
...     report = engine.ingest([{"user.name": "alice", "source": {"ip": "10.0.0.1"}}])
...     page = engine.events(where={"source.ip": "10.0.0.1"})
>>> report.accepted, page.events[0]["user.name"]
(1, 'alice')
"""

from ._alerts import Actor, ActorLike
from ._engine import Engine, EventLike
from ._finmark import (
    ConflictError,
    Event,
    FieldCount,
    FinmarkError,
    IntegrityError,
    InternalError,
    InvalidEventError,
    InvalidQueryError,
    InvalidRuleError,
    Match,
    MatchedField,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    Rejected,
    RuleError,
    StorageError,
    __version__,
)
from ._results import EventPage, IngestReport, MatchReport, ResultList
from ._rules import RuleSet
from ._sim import simulate_day

__all__ = [
    "Actor",
    "ActorLike",
    "ConflictError",
    "Engine",
    "Event",
    "EventLike",
    "EventPage",
    "FieldCount",
    "FinmarkError",
    "IngestReport",
    "IntegrityError",
    "InternalError",
    "InvalidEventError",
    "InvalidQueryError",
    "InvalidRuleError",
    "Match",
    "MatchReport",
    "MatchedField",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "Rejected",
    "ResultList",
    "RuleError",
    "RuleSet",
    "StorageError",
    "__version__",
    "simulate_day",
]

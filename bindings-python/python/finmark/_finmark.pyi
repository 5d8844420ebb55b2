"""Type stubs of the native module ``finmark._finmark`` (PyO3). Import ``finmark`` instead:
it re-exports the result classes and exceptions and wraps ``Engine`` and ``RuleSet``."""

from datetime import datetime
from typing import Any, ClassVar, Dict, Iterable, List, Mapping, Optional, Tuple, TypedDict, Union, final, overload

__version__: str
__all__ = [
    "ConflictError",
    "Engine",
    "Event",
    "FieldCount",
    "FinmarkError",
    "IntegrityError",
    "InternalError",
    "InvalidEventError",
    "InvalidQueryError",
    "InvalidRuleError",
    "Match",
    "MatchedField",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "Rejected",
    "RuleError",
    "RuleSet",
    "StorageError",
    "__version__",
    "simulate_day",
]

#: A field value: JSON's scalars and lists (nested objects are flattened to dotted names).
_FieldValue = Union[None, bool, int, float, str, List["_FieldValue"]]

class _RuleOptions(TypedDict, total=False):
    """The core's ``RuleOptions`` JSON form."""

    rules: List[str]
    rules_yaml: List[str]
    pipelines: List[str]
    strict_rules: bool

class _Query(TypedDict, total=False):
    """The core's ``EventQuery`` JSON form (times as RFC 3339 text)."""

    since: str
    until: str
    where: Dict[str, Any]
    limit: int
    cursor: str

class _Actor(TypedDict):
    """The core's ``Actor`` JSON form."""

    id: str
    roles: List[str]

class _AlertQuery(TypedDict, total=False):
    """The core's ``AlertQuery`` JSON form (times as RFC 3339 text)."""

    status: str
    severity: str
    rule_id: str
    entity: str
    fingerprint: str
    since: str
    until: str
    limit: int
    cursor: str

class _SilenceRequest(TypedDict, total=False):
    """The core's ``SilenceRequest`` JSON form (times as RFC 3339 text)."""

    matchers: List[Any]
    starts_at: str
    ends_at: str
    duration_secs: int
    reason: str

class _SimConfig(TypedDict, total=False):
    """The core's ``SimConfig`` JSON form."""

    seed: int
    date: str
    orders: int

class _IngestReport(TypedDict):
    accepted: int
    duplicates: int
    rejected: List[Rejected]
    matches: List[Match]
    correlations: List[Dict[str, Any]]
    alerts: List[Dict[str, Any]]

class _MatchReport(TypedDict):
    matches: List[Match]
    events: int
    rejected: List[Rejected]

_EventInput = Union[Mapping[str, Any], Event]

@final
class Event:
    """One stored or parsed event: an id, a time and ECS-style dotted fields."""

    @property
    def id(self) -> str: ...
    @property
    def time(self) -> datetime: ...
    @property
    def fields(self) -> Dict[str, _FieldValue]: ...
    def __getitem__(self, name: str, /) -> _FieldValue: ...
    def __contains__(self, name: str, /) -> bool: ...
    @overload
    def get(self, name: str, default: None = None) -> Optional[_FieldValue]: ...
    @overload
    def get(self, name: str, default: Any) -> Any: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Rejected:
    """An input record that could not become an event: its 1-based line and why."""

    @property
    def line(self) -> int: ...
    @property
    def reason(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class MatchedField:
    """A field of the event that took part in a match, with its value."""

    @property
    def field(self) -> str: ...
    @property
    def value(self) -> _FieldValue: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Match:
    """One rule matching one event."""

    @property
    def rule_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def tags(self) -> List[str]: ...
    @property
    def event_id(self) -> str: ...
    @property
    def event_time(self) -> datetime: ...
    @property
    def event_index(self) -> int: ...
    @property
    def fields(self) -> List[MatchedField]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class RuleError:
    """A rule that could not be loaded or compiled: its file (or label) and why."""

    @property
    def file(self) -> str: ...
    @property
    def reason(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class FieldCount:
    """How many stored events have one value of a field."""

    @property
    def value(self) -> _FieldValue: ...
    @property
    def count(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Engine:
    """The native engine; ``finmark.Engine`` wraps it."""

    def __new__(
        cls,
        url: str,
        options: Optional[_RuleOptions] = None,
        alert_config: Optional[Dict[str, Any]] = None,
        correlation_config: Optional[Dict[str, Any]] = None,
    ) -> Engine: ...
    def ingest(self, events: Iterable[_EventInput]) -> _IngestReport: ...
    def ingest_json(self, data: Union[bytes, bytearray, str]) -> _IngestReport: ...
    def events(self, query: _Query) -> Tuple[List[Event], Optional[str]]: ...
    def count_by(self, field: str, query: _Query) -> List[FieldCount]: ...
    def detections(self, query: _Query) -> List[Match]: ...
    def purge_before(self, cutoff: str) -> int: ...
    def reload_rules(self, options: Optional[_RuleOptions] = None) -> None: ...
    def alerts(self, actor: _Actor, query: _AlertQuery) -> Dict[str, Any]: ...
    def alert(self, actor: _Actor, id: str) -> Dict[str, Any]: ...
    def alert_counts(self, actor: _Actor, query: _AlertQuery) -> Dict[str, Any]: ...
    def acknowledge_alert(self, actor: _Actor, id: str) -> Dict[str, Any]: ...
    def resolve_alert(self, actor: _Actor, id: str) -> Dict[str, Any]: ...
    def add_silence(self, actor: _Actor, request: _SilenceRequest) -> Dict[str, Any]: ...
    def silences(self, actor: _Actor, active_only: bool) -> List[Dict[str, Any]]: ...
    def expire_silence(self, actor: _Actor, id: str) -> Dict[str, Any]: ...
    def close(self) -> None: ...

@final
class RuleSet:
    """The native rule set; ``finmark.RuleSet`` wraps it."""

    def __new__(cls, options: _RuleOptions) -> RuleSet: ...
    def match_events(self, events: Iterable[_EventInput]) -> _MatchReport: ...
    def match_json(self, data: Union[bytes, bytearray, str]) -> _MatchReport: ...
    @property
    def rejected(self) -> List[RuleError]: ...
    def __len__(self) -> int: ...

def simulate_day(config: _SimConfig) -> List[Dict[str, Any]]: ...

class FinmarkError(Exception):
    """Base class of every finmark error; ``code`` names its kind."""

    code: ClassVar[str]

class InvalidEventError(FinmarkError): ...
class InvalidRuleError(FinmarkError): ...
class InvalidQueryError(FinmarkError): ...
class NotFoundError(FinmarkError): ...
class PermissionDeniedError(FinmarkError): ...
class ConflictError(FinmarkError): ...
class RateLimitedError(FinmarkError): ...
class StorageError(FinmarkError): ...
class IntegrityError(FinmarkError): ...
class InternalError(FinmarkError): ...

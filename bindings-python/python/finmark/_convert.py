"""Argument conversions shared by the Python layer: times, paths and the option and query
dicts that the native module reads into the core's types (their JSON forms)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterable, List, Mapping, Optional, Union

if TYPE_CHECKING:
    from ._finmark import _Query, _RuleOptions

#: A point in time: a ``datetime`` (naive ones are taken as UTC) or text the core reads
#: (RFC 3339, ``2026-01-15 08:00:00`` as UTC, or a date ``2026-01-15``).
TimeLike = Union[datetime, str]
#: A file path as ``str`` or ``os.PathLike``.
PathLike = Union[str, "os.PathLike[str]"]
#: One path or several.
PathsLike = Union[PathLike, Iterable[PathLike]]


def time_text(value: TimeLike) -> str:
    """Text for a time argument: a ``datetime`` as RFC 3339 (naive ones taken as UTC), a
    string as it is, for the core to read (``finmark::event::parse_time_arg``)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a datetime or time text, found {type(value).__name__}")


def path_list(paths: Optional[PathsLike]) -> List[str]:
    """One path or an iterable of paths (or builtin pipeline names) as a list of strings."""
    if paths is None:
        return []
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def text_list(texts: Union[str, Iterable[str], None]) -> List[str]:
    """One text or an iterable of texts as a list."""
    if texts is None:
        return []
    if isinstance(texts, str):
        return [texts]
    return list(texts)


def rule_options(
    rules: Optional[PathsLike],
    pipelines: Optional[PathsLike],
    rules_yaml: Union[str, Iterable[str], None],
    strict_rules: bool,
) -> _RuleOptions:
    """The core's ``RuleOptions`` JSON form."""
    return {
        "rules": path_list(rules),
        "rules_yaml": text_list(rules_yaml),
        "pipelines": path_list(pipelines),
        "strict_rules": strict_rules,
    }


def query(
    since: Optional[TimeLike],
    until: Optional[TimeLike],
    where: Optional[Mapping[str, Any]],
    limit: int,
    cursor: Optional[str] = None,
) -> _Query:
    """The core's ``EventQuery`` JSON form; absent arguments are left out."""
    q: _Query = {"limit": limit}
    if since is not None:
        q["since"] = time_text(since)
    if until is not None:
        q["until"] = time_text(until)
    if where:
        q["where"] = dict(where)
    if cursor is not None:
        q["cursor"] = cursor
    return q

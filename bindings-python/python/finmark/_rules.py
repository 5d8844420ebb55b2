"""``finmark.RuleSet``: compiled Sigma rules that match events without storage."""

from __future__ import annotations

from typing import Iterable, Optional, Union

from . import _finmark
from ._convert import PathsLike, rule_options
from ._engine import EventLike
from ._finmark import RuleError
from ._results import MatchReport, ResultList


class RuleSet:
    """Sigma rules compiled once, ready to match batches of events, with no storage.

    Build one with :meth:`load` (rule files and directories) or :meth:`from_yaml` (rule
    text). Rules that cannot be supported are skipped and listed in :attr:`rejected` with
    their reason, unless ``strict_rules`` is set, which raises ``InvalidRuleError`` instead.
    A RuleSet is immutable and can be used from many threads at once.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _finmark.RuleSet) -> None:
        """Wraps a native rule set; use :meth:`load` or :meth:`from_yaml` instead."""
        self._native = native

    @classmethod
    def load(
        cls,
        paths: PathsLike,
        pipelines: Optional[PathsLike] = None,
        *,
        strict_rules: bool = False,
    ) -> RuleSet:
        """Loads and compiles the rules in ``paths`` (files, or directories searched for
        ``.yml``/``.yaml``), transformed by ``pipelines`` (builtin names or files)."""
        return cls(_finmark.RuleSet(rule_options(paths, pipelines, None, strict_rules)))

    @classmethod
    def from_yaml(
        cls,
        text: Union[str, Iterable[str]],
        pipelines: Optional[PathsLike] = None,
        *,
        strict_rules: bool = False,
    ) -> RuleSet:
        """Compiles rules from YAML text (one text, possibly with several ``---`` documents,
        or an iterable of texts)."""
        return cls(_finmark.RuleSet(rule_options(None, pipelines, text, strict_rules)))

    def match(self, events: Iterable[EventLike]) -> MatchReport:
        """Matches an iterable of event dicts (or ``Event`` objects). A match's
        ``event_index`` is its event's 1-based position; items that are not events are
        reported in ``rejected`` and the others are still matched."""
        return MatchReport._from_native(self._native.match_events(events))

    def match_ndjson(self, data: Union[bytes, bytearray, str]) -> MatchReport:
        """Matches JSON bytes or text (NDJSON, an array, concatenated or Windows-event JSON)
        with the GIL released; only the matches become Python objects. A match's
        ``event_index`` is its event's 1-based line; malformed lines are rejected."""
        return MatchReport._from_native(self._native.match_json(data))

    @property
    def rejected(self) -> ResultList[RuleError]:
        """The rules that were skipped, with their file and reason."""
        return ResultList(self._native.rejected)

    def __len__(self) -> int:
        """The number of compiled rules."""
        return len(self._native)

    def __repr__(self) -> str:
        return f"<finmark.RuleSet rules={len(self)} rejected={len(self._native.rejected)}>"

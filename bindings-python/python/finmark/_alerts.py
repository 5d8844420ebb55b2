"""Alert arguments: :class:`Actor` (who acts), and the alert query and silence request dicts
that the native module reads into the core's types (their JSON forms)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from ._convert import TimeLike, text_list, time_text

if TYPE_CHECKING:
    from ._finmark import _Actor, _AlertQuery, _SilenceRequest


@dataclass(frozen=True)
class Actor:
    """Who performs an action: an id (a user, a service account) and the roles your
    authentication gave it (``admin``, ``analyst``, ``viewer``, ``service``)::

        ana = finmark.Actor("ana", ["analyst"])
        engine.acknowledge_alert(ana, alert_id)

    Every alert and silence call takes one; a call its roles do not allow raises
    ``PermissionDeniedError`` naming the permission. A plain ``{"id", "roles"}`` dict is
    accepted wherever an ``Actor`` is.
    """

    #: The actor's id, recorded as who acted.
    id: str
    #: The actor's role names.
    roles: Tuple[str, ...] = ()

    def __init__(self, id: str, roles: Union[str, Iterable[str]] = ()) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "roles", tuple(text_list(roles)))

    def to_dict(self) -> Dict[str, Any]:
        """``{"id": ..., "roles": [...]}``, the core's JSON form."""
        return {"id": self.id, "roles": list(self.roles)}


#: An :class:`Actor` or its ``{"id", "roles"}`` dict.
ActorLike = Union[Actor, Mapping[str, Any]]


def actor_dict(actor: ActorLike) -> _Actor:
    """The core's ``Actor`` JSON form of an actor argument."""
    if isinstance(actor, Actor):
        return {"id": actor.id, "roles": list(actor.roles)}
    return {"id": actor["id"], "roles": list(actor.get("roles", []))}


def alert_query(
    status: Optional[str],
    severity: Optional[str],
    rule_id: Optional[str],
    entity: Optional[str],
    fingerprint: Optional[str],
    since: Optional[TimeLike],
    until: Optional[TimeLike],
    limit: int,
    cursor: Optional[str],
) -> _AlertQuery:
    """The core's ``AlertQuery`` JSON form; absent arguments are left out."""
    q: _AlertQuery = {"limit": limit}
    texts = {"status": status, "severity": severity, "rule_id": rule_id, "entity": entity}
    texts.update({"fingerprint": fingerprint, "cursor": cursor})
    for key, value in texts.items():
        if value is not None:
            q[key] = value  # type: ignore[literal-required]
    if since is not None:
        q["since"] = time_text(since)
    if until is not None:
        q["until"] = time_text(until)
    return q


def silence_request(
    matchers: Union[str, Iterable[Union[str, Mapping[str, Any]]]],
    reason: str,
    starts: Optional[TimeLike],
    ends: Optional[TimeLike],
    duration: Union[timedelta, float, None],
) -> _SilenceRequest:
    """The core's ``SilenceRequest`` JSON form; ``duration`` is a ``timedelta`` or
    seconds."""
    items: List[Any] = [matchers] if isinstance(matchers, str) else [
        m if isinstance(m, str) else dict(m) for m in matchers
    ]
    r: _SilenceRequest = {"matchers": items, "reason": reason}
    if starts is not None:
        r["starts_at"] = time_text(starts)
    if ends is not None:
        r["ends_at"] = time_text(ends)
    if duration is not None:
        seconds = duration.total_seconds() if isinstance(duration, timedelta) else duration
        r["duration_secs"] = int(seconds)
    return r

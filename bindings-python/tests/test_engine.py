"""Engine: open, ingest, query, pagination, counts, retention, close, bad input."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List

import pytest

import finmark

T0 = datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)


def login(i: int, user: str = "alice", outcome: str = "success") -> Dict[str, Any]:
    """A login event `i` minutes after T0, with nested (un-flattened) fields."""
    return {
        "event": {"id": f"login-{i}", "category": "authentication", "outcome": outcome},
        "@timestamp": (T0 + timedelta(minutes=i)).isoformat(),
        "user": {"name": user},
        "source": {"ip": f"203.0.113.{i % 4}"},
        "http": {"response": {"status_code": 500 if i % 5 == 0 else 200}},
    }


def test_open_memory_and_ingest_dicts() -> None:
    with finmark.Engine("memory://") as engine:
        report = engine.ingest([login(1), login(2, user="bob")])
        assert isinstance(report, finmark.IngestReport)
        assert (report.accepted, report.duplicates, list(report.rejected)) == (2, 0, [])
        page = engine.events()
        assert [e.id for e in page] == ["login-2", "login-1"]  # newest first


def test_sqlite_file_persists_across_engines(tmp_path: Path) -> None:
    path = tmp_path / "soc.db"
    with finmark.Engine(f"sqlite://{path}") as engine:
        assert engine.ingest([login(1), login(2)]).accepted == 2
    assert path.is_file()
    with finmark.Engine(f"sqlite://{path}") as engine:
        assert sorted(e.id for e in engine.events()) == ["login-1", "login-2"]
        # re-sending the same events stores nothing new
        report = engine.ingest([login(1), login(2)])
        assert (report.accepted, report.duplicates) == (0, 2)


def test_nested_dicts_are_flattened_like_json(engine: finmark.Engine) -> None:
    engine.ingest([login(3)])
    engine.ingest_json(b'{"event.id": "j", "user": {"name": "carol"}, "tags": ["a", 1]}')
    by_id = {e.id: e for e in engine.events()}
    event = by_id["login-3"]
    assert event["user.name"] == "alice"
    assert event["http.response.status_code"] == 200
    assert "user" not in event.fields and "user.name" in event
    assert event.get("missing") is None and event.get("missing", 7) == 7
    with pytest.raises(KeyError):
        event["missing"]
    assert by_id["j"].fields["tags"] == ["a", 1]


def test_ingest_bytes_str_and_every_json_layout(engine: finmark.Engine) -> None:
    ndjson = b'{"event.id": "n1"}\n{"event.id": "n2"}\n'
    array = '[{"event.id": "a1"}, {"event.id": "a2"}]'
    pretty = b'{\n  "event.id": "p1"\n}\n{\n  "event.id": "p2"\n}\n'
    assert engine.ingest_json(ndjson).accepted == 2
    assert engine.ingest_json(array).accepted == 2
    assert engine.ingest_json(bytearray(pretty)).accepted == 2
    assert len(engine.events()) == 6
    with pytest.raises(TypeError):
        engine.ingest_json(42)  # type: ignore[arg-type]


def test_bad_line_is_rejected_and_the_rest_accepted(engine: finmark.Engine) -> None:
    report = engine.ingest_json(b'{"event.id": "ok1"}\n{"event.id": oops}\n{"event.id": "ok2"}\n')
    assert report.accepted == 2
    [bad] = report.rejected
    assert bad.line == 2 and "malformed JSON" in bad.reason
    assert bad.to_dict() == {"line": 2, "reason": bad.reason}
    assert sorted(e.id for e in engine.events()) == ["ok1", "ok2"]


def test_bad_item_in_a_list_is_rejected_with_its_position(engine: finmark.Engine) -> None:
    events: List[Any] = [login(1), "not an event", {"event.id": "x", "bad": {1, 2}}, login(2)]
    report = engine.ingest(events)
    assert report.accepted == 2
    assert [(r.line, r.reason) for r in report.rejected] == [
        (2, "expected a dict (a JSON object), found str"),
        (3, "field 'bad': set has no JSON form (use str, int, float, bool, None, list, dict or datetime)"),
    ]
    with pytest.raises(TypeError):
        engine.ingest(login(1))  # type: ignore[arg-type]  # one dict, not a list of them


def test_datetime_values_in_events_become_the_event_time(engine: finmark.Engine) -> None:
    aware = datetime(2026, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    naive = datetime(2026, 3, 1, 8, 30)
    engine.ingest([{"event.id": "aware", "@timestamp": aware}, {"event.id": "naive", "@timestamp": naive}])
    times = {e.id: e.time for e in engine.events()}
    assert times["aware"] == aware
    assert times["naive"] == naive.replace(tzinfo=timezone.utc)
    assert all(t.tzinfo is not None for t in times.values())


def test_events_query_where_since_until_limit(engine: finmark.Engine) -> None:
    engine.ingest([login(i, user="alice" if i % 2 else "bob") for i in range(10)])
    alice = engine.events(where={"user.name": "alice"})
    assert [e.id for e in alice] == [f"login-{i}" for i in (9, 7, 5, 3, 1)]
    # since inclusive, until exclusive; datetimes and RFC 3339 text are the same
    window = engine.events(since=T0 + timedelta(minutes=2), until=T0 + timedelta(minutes=5))
    assert [e.id for e in window] == ["login-4", "login-3", "login-2"]
    as_text = engine.events(since="2026-01-15T12:02:00Z", until="2026-01-15T12:05:00+00:00")
    assert [e.id for e in as_text] == [e.id for e in window]
    naive = engine.events(since=datetime(2026, 1, 15, 12, 2), until=datetime(2026, 1, 15, 12, 5))
    assert [e.id for e in naive] == [e.id for e in window]
    assert len(engine.events(limit=3)) == 3
    assert engine.events(limit=3).events[0].time == T0 + timedelta(minutes=9)


def test_where_is_typed(engine: finmark.Engine) -> None:
    engine.ingest([login(i) for i in range(10)])
    errors = engine.events(where={"http.response.status_code": 500})
    assert sorted(e.id for e in errors) == ["login-0", "login-5"]
    assert len(engine.events(where={"http.response.status_code": "500"})) == 0
    both = engine.events(where={"http.response.status_code": 500, "source.ip": "203.0.113.0"})
    assert [e.id for e in both] == ["login-0"]


def test_cursor_pagination_visits_every_event_once(engine: finmark.Engine) -> None:
    engine.ingest([login(i) for i in range(25)])
    seen: List[str] = []
    cursor = None
    pages = 0
    while True:
        page = engine.events(limit=10, cursor=cursor)
        seen.extend(e.id for e in page)
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert seen == [f"login-{i}" for i in reversed(range(25))]


def test_count_by(engine: finmark.Engine) -> None:
    engine.ingest([login(i, user="alice" if i < 7 else "bob") for i in range(10)])
    counts = engine.count_by("user.name")
    assert [(c.value, c.count) for c in counts] == [("alice", 7), ("bob", 3)]
    assert counts[0].to_dict() == {"value": "alice", "count": 7}
    later = engine.count_by("user.name", since=T0 + timedelta(minutes=5))
    assert [(c.value, c.count) for c in later] == [("bob", 3), ("alice", 2)]
    statuses = engine.count_by("http.response.status_code", where={"user.name": "alice"})
    assert [(c.value, c.count) for c in statuses] == [(200, 5), (500, 2)]
    assert len(engine.count_by("user.name", limit=1)) == 1


def test_purge_before(engine: finmark.Engine) -> None:
    engine.ingest([login(i) for i in range(10)])
    assert engine.purge_before(T0 + timedelta(minutes=4)) == 4
    assert engine.purge_before("2026-01-15T12:06:00Z") == 2
    assert sorted(e.id for e in engine.events()) == [f"login-{i}" for i in range(6, 10)]
    with pytest.raises(finmark.InvalidQueryError):
        engine.purge_before("yesterday")


def test_times_in_every_form_the_core_reads(engine: finmark.Engine) -> None:
    engine.ingest([login(i) for i in range(10)])
    assert engine.purge_before("2026-01-15") == 0
    assert engine.purge_before("2026-01-15 12:03:00") == 3
    assert engine.purge_before("2026-01-15T12:05:00") == 2
    assert engine.purge_before("2026-01-15T13:06:00+01:00") == 1
    assert engine.purge_before("2026-01-15 00:00:00") == 0
    assert [e.id for e in engine.events(since="2026-01-15 12:08:00")] == ["login-9", "login-8"]
    assert len(engine.events(since="2026-01-15", until="2026-01-16")) == 4
    with pytest.raises(finmark.InvalidQueryError, match="2026-01-15 08:00:00"):
        engine.purge_before("15/01/2026")
    with pytest.raises(finmark.InvalidQueryError, match="since"):
        engine.events(since="2026-01-15 25:00:00")


def test_results_convert_to_dicts_and_pandas(engine: finmark.Engine) -> None:
    pandas = pytest.importorskip("pandas")
    engine.ingest([login(1), login(2, user="bob")])
    page = engine.events()
    d = page.to_dict()
    assert d["next_cursor"] is None
    assert d["events"][0] == {"id": "login-2", "time": T0 + timedelta(minutes=2), "fields": page.events[0].fields}
    frame = page.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["id"]) == ["login-2", "login-1"]
    assert list(frame["user.name"]) == ["bob", "alice"]
    counts = engine.count_by("user.name").to_pandas()
    assert sorted(counts["value"]) == ["alice", "bob"]


def test_events_from_one_engine_ingest_into_another(engine: finmark.Engine) -> None:
    engine.ingest([login(1), login(2)])
    with finmark.Engine("memory://") as copy:
        assert copy.ingest(engine.events().events).accepted == 2
        assert [e.to_dict() for e in copy.events()] == [e.to_dict() for e in engine.events()]


def test_bad_url_raises_invalid_query_with_code() -> None:
    for url in ["ftp://example", "nonsense", "sqlite://"]:
        with pytest.raises(finmark.InvalidQueryError) as info:
            finmark.Engine(url)
        assert info.value.code == "INVALID_QUERY"
        assert "storage URL" in str(info.value)


def test_unopenable_sqlite_file_raises_storage_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "plain-file"
    not_a_dir.write_text("")
    with pytest.raises(finmark.StorageError) as info:
        finmark.Engine(f"sqlite://{not_a_dir / 'x.db'}")
    assert info.value.code == "STORAGE"


def test_bad_queries_raise_invalid_query(engine: finmark.Engine) -> None:
    with pytest.raises(finmark.InvalidQueryError, match="limit"):
        engine.events(limit=1_000_000)
    with pytest.raises(finmark.InvalidQueryError, match="cursor"):
        engine.events(cursor="not-a-cursor")
    with pytest.raises(finmark.InvalidQueryError, match="since"):
        engine.events(since="last tuesday")
    with pytest.raises(finmark.InvalidQueryError):
        engine.events(where={"x": {1, 2}})


def test_closed_engine_raises_storage_error(url: str) -> None:
    engine = finmark.Engine(url)
    engine.close()
    engine.close()  # closing twice is harmless
    with pytest.raises(finmark.StorageError) as info:
        engine.ingest([login(1)])
    assert info.value.code == "STORAGE"
    with pytest.raises(finmark.StorageError):
        engine.events()
    assert "closed" in repr(engine)


def test_with_block_closes() -> None:
    with finmark.Engine("memory://") as engine:
        engine.ingest([login(1)])
    with pytest.raises(finmark.StorageError):
        engine.events()


def test_rules_match_on_ingest_and_are_stored_as_detections(url: str) -> None:
    rule = """
title: Failed login
id: 5f0e1a7c-0000-4000-8000-000000000001
level: medium
tags: [attack.credential-access, attack.t1110]
logsource: {category: authentication}
detection:
  selection: {event.outcome: failure}
  condition: selection
"""
    with finmark.Engine(url, rules_yaml=rule) as engine:
        report = engine.ingest([login(1), login(2, outcome="failure"), login(3, outcome="failure")])
        assert report.accepted == 3
        assert sorted(m.event_id for m in report.matches) == ["login-2", "login-3"]
        m = report.matches[0]
        assert (m.rule_id, m.title, m.level, m.severity) == (
            "5f0e1a7c-0000-4000-8000-000000000001",
            "Failed login",
            "medium",
            "warning",
        )
        assert m.tags == ["attack.credential-access", "attack.t1110"]
        assert [(f.field, f.value) for f in m.fields] == [("event.outcome", "failure")]
        assert m.event_time.tzinfo is not None
        stored = engine.detections()
        assert [d.event_id for d in stored] == ["login-3", "login-2"]
        assert [d.event_id for d in engine.detections(where={"event_id": "login-2"})] == ["login-2"]
        # re-sent events are duplicates and their matches are not reported again
        again = engine.ingest([login(2, outcome="failure")])
        assert (again.duplicates, len(again.matches)) == (1, 0)


def test_reload_rules(engine: finmark.Engine) -> None:
    assert len(engine.ingest([login(1, user="mallory")]).matches) == 0
    rule = "title: m\nlogsource: {category: authentication}\ndetection:\n  sel:\n    user.name: mallory\n  condition: sel\n"
    engine.reload_rules(rules_yaml=rule)
    assert len(engine.ingest([login(2, user="mallory")]).matches) == 1
    with pytest.raises(finmark.InvalidRuleError):
        engine.reload_rules(rules_yaml=rule.replace("condition: sel", "condition: nope"), strict_rules=True)


def test_gil_is_released_while_the_core_works(engine: finmark.Engine) -> None:
    data = b"".join(b'{"event.id": "g%d", "n": %d}\n' % (i, i) for i in range(150_000))
    span: List[float] = []

    def work() -> None:
        span.append(time.perf_counter())
        engine.ingest_json(data)
        span.append(time.perf_counter())

    worker = threading.Thread(target=work)
    ticks: List[float] = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    start, end = span
    margin = (end - start) * 0.2
    during = [t for t in ticks if start + margin < t < end - margin]
    assert during, "the main thread never ran while the engine ingested: GIL held"


def test_a_forked_child_opens_its_own_engine(tmp_path: Path) -> None:
    """gunicorn and multiprocessing fork: the child gets a working runtime of its own, and the
    parent's engine is refused there with a clear error instead of hanging."""
    import os

    url = f"sqlite://{tmp_path / 'forked.db'}"
    with finmark.Engine(url) as parent:
        parent.ingest([login(1)])
        pid = os.fork()
        if pid == 0:  # the child: report through the exit status, never return into pytest
            status = 1
            try:
                try:
                    parent.events()
                except finmark.StorageError as e:
                    status = 2 if "open a new finmark.Engine" in str(e) else 3
                if status == 2:
                    with finmark.Engine(url) as child:
                        child.ingest([login(2, user="child")])
                        status = 0 if len(list(child.events())) == 2 else 4
            finally:
                os._exit(status)
        _, wait_status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(wait_status) == 0
        assert sorted(e.id for e in parent.events()) == ["login-1", "login-2"]

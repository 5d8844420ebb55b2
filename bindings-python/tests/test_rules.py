"""RuleSet: load, from_yaml, match, match_ndjson, rejected rules, real corpora."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import finmark

ALICE_RULE = """
title: Alice logs in
id: 0d9f3b4e-1111-4c2a-9c1e-000000000001
status: test
level: high
tags:
  - attack.initial-access
  - attack.t1078
logsource:
  category: authentication
detection:
  selection:
    user.name: alice
  condition: selection
"""

BAD_RULE = """
title: Broken
logsource:
  category: authentication
detection:
  selection:
    user.name: alice
  condition: selection and missing_identifier
"""


def alice_and_bob() -> List[Dict[str, Any]]:
    return [
        {"event.id": "1", "user": {"name": "bob"}, "@timestamp": "2026-01-15T09:00:00Z"},
        {"event.id": "2", "user": {"name": "alice"}, "@timestamp": "2026-01-15T10:00:00Z"},
        # Sigma matching is case-insensitive; the time may be epoch milliseconds
        {"event.id": "3", "user.name": "ALICE", "@timestamp": 1768474800000},
    ]


def test_from_yaml_matches_a_simple_selection() -> None:
    rules = finmark.RuleSet.from_yaml(ALICE_RULE)
    assert len(rules) == 1 and list(rules.rejected) == []
    report = rules.match(alice_and_bob())
    assert isinstance(report, finmark.MatchReport)
    assert report.events == 3 and len(report) == 2
    first = report.matches[0]
    assert (first.rule_id, first.title, first.level, first.severity) == (
        "0d9f3b4e-1111-4c2a-9c1e-000000000001",
        "Alice logs in",
        "high",
        "critical",
    )
    assert first.tags == ["attack.initial-access", "attack.t1078"]
    assert first.event_id == "2"
    assert first.event_time.isoformat() == "2026-01-15T10:00:00+00:00"
    assert [(f.field, f.value) for f in first.fields] == [("user.name", "alice")]
    # event_index is the 1-based position, as for the elements of a JSON array
    assert [m.event_index for m in report] == [2, 3]


def test_a_list_and_its_json_text_match_alike() -> None:
    rules = finmark.RuleSet.from_yaml(ALICE_RULE)
    events = alice_and_bob()
    as_list = rules.match(events)
    as_array = rules.match_ndjson(json.dumps(events))
    as_ndjson = rules.match_ndjson("\n".join(json.dumps(e) for e in events).encode())
    for report in (as_array, as_ndjson):
        assert [m.to_dict() for m in report] == [m.to_dict() for m in as_list]


def test_match_ndjson_rejects_bad_lines_and_matches_the_rest() -> None:
    rules = finmark.RuleSet.from_yaml(ALICE_RULE)
    data = b'{"user.name": "alice"}\n{"user.name": alice}\n\n[1]\n{"user.name": "alice", "n": 1}\n'
    report = rules.match_ndjson(data)
    assert report.events == 2
    assert [m.event_index for m in report] == [1, 5]
    assert [r.line for r in report.rejected] == [2, 4]
    assert "malformed JSON" in report.rejected[0].reason
    assert "expected a JSON object" in report.rejected[1].reason


def test_match_items_that_are_not_events_are_rejected() -> None:
    rules = finmark.RuleSet.from_yaml(ALICE_RULE)
    report = rules.match([42, {"user.name": "alice"}])  # type: ignore[list-item]
    assert [(r.line, r.reason) for r in report.rejected] == [(1, "expected a dict (a JSON object), found int")]
    assert [m.event_index for m in report] == [2]


def test_load_files_and_directories_and_report_rejected_rules(tmp_path: Path) -> None:
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "alice.yml").write_text(ALICE_RULE)
    (tmp_path / "good" / "bob.yaml").write_text(ALICE_RULE.replace("alice", "bob").replace("000000000001", "000000000002"))
    (tmp_path / "broken.yml").write_text(BAD_RULE)
    (tmp_path / "notes.txt").write_text("not a rule")
    rules = finmark.RuleSet.load(tmp_path)
    assert len(rules) == 2
    [error] = rules.rejected
    assert isinstance(error, finmark.RuleError)
    assert error.file == str(tmp_path / "broken.yml")
    assert "missing_identifier" in error.reason
    assert error.to_dict() == {"file": error.file, "reason": error.reason}
    assert len(rules.match(alice_and_bob())) == 3
    one = finmark.RuleSet.load([tmp_path / "good" / "alice.yml"])
    assert len(one) == 1


def test_strict_rules_raise_invalid_rule_error(tmp_path: Path) -> None:
    (tmp_path / "broken.yml").write_text(BAD_RULE)
    with pytest.raises(finmark.InvalidRuleError) as info:
        finmark.RuleSet.load(tmp_path, strict_rules=True)
    assert info.value.code == "INVALID_RULE"
    assert "broken.yml" in str(info.value)
    with pytest.raises(finmark.InvalidRuleError):
        finmark.RuleSet.from_yaml(BAD_RULE, strict_rules=True)


def test_pipelines_by_name_and_unknown_pipeline() -> None:
    assert len(finmark.RuleSet.from_yaml(ALICE_RULE, pipelines=["authentication"])) == 1
    with pytest.raises(finmark.NotFoundError, match="no-such-pipeline") as info:
        finmark.RuleSet.from_yaml(ALICE_RULE, pipelines="no-such-pipeline")
    assert info.value.code == "NOT_FOUND"


def test_match_report_converts_to_dicts_and_pandas() -> None:
    pandas = pytest.importorskip("pandas")
    report = finmark.RuleSet.from_yaml(ALICE_RULE).match(alice_and_bob())
    d = report.to_dict()
    assert d["events"] == 3 and d["rejected"] == []
    assert d["matches"][0]["fields"] == [{"field": "user.name", "value": "alice"}]
    frame = report.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["event_id"]) == ["2", "3"]


def test_non_matching_events_build_no_python_objects() -> None:
    rules = finmark.RuleSet.from_yaml(ALICE_RULE)
    data = b"".join(b'{"event.id": "%d", "user.name": "bob", "n": %d}\n' % (i, i) for i in range(20_000))
    tracemalloc.start()
    try:
        report = rules.match_ndjson(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.events == 20_000 and len(report) == 0
    # one dict per event would be megabytes; the report itself is a few hundred bytes
    assert peak < 64 * 1024, f"{peak} bytes of Python objects for 20,000 non-matching events"


def windows_samples(shared: Path, count: int) -> bytes:
    with open(shared / "events" / "windows-attack-samples.ndjson", "rb") as f:
        return b"".join(f.readline() for _ in range(count))


def test_real_corpus_on_real_windows_events(shared: Path) -> None:
    rules = finmark.RuleSet.load(shared / "sigma" / "rules" / "windows" / "powershell")
    assert len(rules) > 100
    data = windows_samples(shared, 3000)
    from_bytes = rules.match_ndjson(data)
    assert from_bytes.events == 3000 and list(from_bytes.rejected) == []
    assert len(from_bytes) > 0, "no PowerShell rule matched 3,000 attack samples"
    # the dict door gives the very same (line, rule) pairs as the bytes door
    events = [json.loads(line) for line in data.splitlines()]
    from_dicts = rules.match(events)
    pairs: List[Tuple[int, str]] = sorted((m.event_index, m.rule_id) for m in from_bytes)
    assert sorted((m.event_index, m.rule_id) for m in from_dicts) == pairs
    for m in from_bytes:
        assert json.loads(data.splitlines()[m.event_index - 1]).get("EventID") is not None


def test_ruleset_is_usable_from_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    rules = finmark.RuleSet.from_yaml(ALICE_RULE)
    data = b'{"user.name": "alice"}\n' * 1000
    with ThreadPoolExecutor(4) as pool:
        counts = list(pool.map(lambda _: len(rules.match_ndjson(data)), range(8)))
    assert counts == [1000] * 8

"""Alerts: raised as events are ingested (builtin:soc correlations), read and worked through
actors whose roles are checked, muted by silences; on a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import finmark

#: The builtin "Multiple Failed Logins From One Source" correlation.
BURST = "6f1f3a52-8c2d-4e8b-b1a7-9d3e5c7a2b10"
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
ANA = finmark.Actor("ana", ["analyst"])
VIC = finmark.Actor("vic", "viewer")


def failures(ip: str, start: int = 0, n: int = 12) -> List[Dict[str, Any]]:
    """`n` failed logins from `ip`, ten seconds apart from `start` seconds after T0 (event
    time only moves forward: a hit older than one already seen is too late)."""
    return [
        {
            "event.id": f"f-{ip}-{start + i}",
            "@timestamp": (T0 + timedelta(seconds=start + 10 * i)).isoformat(),
            "event.category": "authentication",
            "event.outcome": "failure",
            "source.ip": ip,
            "user.name": "alice",
        }
        for i in range(n)
    ]


@pytest.fixture
def soc(tmp_path: Path) -> Iterator[finmark.Engine]:
    """An engine with the builtin SOC rules on a fresh SQLite file."""
    with finmark.Engine(f"sqlite://{tmp_path / 'soc.db'}", rules="builtin:soc") as e:
        yield e


def test_a_failed_login_burst_raises_a_critical_correlation_alert(soc: finmark.Engine) -> None:
    report = soc.ingest(failures("198.51.100.7"))
    assert BURST in [c["rule_id"] for c in report.correlations]
    raised = [a for a in report.alerts if a["rule_id"] == BURST]
    assert len(raised) == 1
    alert = raised[0]
    assert (alert["severity"], alert["source"], alert["status"]) == ("critical", "correlation", "open")
    assert alert["group"]["source.ip"] == "198.51.100.7"
    assert report.to_dict()["alerts"] == report.alerts

    page = soc.alerts(ANA, rule_id=BURST)
    assert [a["id"] for a in page["alerts"]] == [alert["id"]] and page["next_cursor"] is None
    assert soc.alerts({"id": "ana", "roles": ["analyst"]}, severity="info")["alerts"] == []
    assert soc.alert(VIC, alert["id"])["fingerprint"] == alert["fingerprint"]
    counts = soc.alert_counts(VIC, rule_id=BURST)
    assert (counts["total"], counts["by_severity"]["critical"], counts["by_status"]["open"]) == (1, 1, 1)


def test_alerts_are_acknowledged_and_resolved_by_permitted_actors(soc: finmark.Engine) -> None:
    alert_id = [a for a in soc.ingest(failures("198.51.100.7")).alerts if a["rule_id"] == BURST][0]["id"]

    with pytest.raises(finmark.PermissionDeniedError) as denied:
        soc.acknowledge_alert(VIC, alert_id)
    assert "alert.acknowledge" in str(denied.value) and denied.value.code == "PERMISSION_DENIED"

    acked = soc.acknowledge_alert(ANA, alert_id)
    assert acked["status"] == "acknowledged" and acked["updated"]["actor"] == "ana"
    assert soc.resolve_alert(ANA, alert_id)["status"] == "resolved"
    with pytest.raises(finmark.ConflictError):
        soc.resolve_alert(ANA, alert_id)
    with pytest.raises(finmark.NotFoundError):
        soc.alert(ANA, "no-such-alert")
    assert soc.alerts(ANA, status="resolved")["alerts"][0]["id"] == alert_id


def test_a_silence_mutes_matching_alerts_until_expired(soc: finmark.Engine) -> None:
    silence = soc.add_silence(
        ANA, ["source.ip=203.0.113.9"], reason="pen test", starts=T0, duration=timedelta(days=1)
    )
    assert (silence["author"], silence["matchers"][0]["name"]) == ("ana", "source.ip")

    muted = [a for a in soc.ingest(failures("203.0.113.9")).alerts if a["rule_id"] == BURST]
    assert [(a["status"], a["muted_by"]) for a in muted] == [("silenced", {"kind": "silence", "id": silence["id"]})]
    other = [a for a in soc.ingest(failures("198.51.100.7", start=3600)).alerts if a["rule_id"] == BURST]
    assert [a["status"] for a in other] == ["open"]

    assert [s["id"] for s in soc.silences(VIC, active_only=False)] == [silence["id"]]
    with pytest.raises(finmark.PermissionDeniedError, match="silence.expire"):
        soc.expire_silence(VIC, silence["id"])
    soc.expire_silence(ANA, silence["id"])
    assert soc.silences(ANA) == []  # active only: expired now


def test_bad_alert_arguments_name_the_field(soc: finmark.Engine) -> None:
    with pytest.raises(finmark.InvalidQueryError, match="status"):
        soc.alerts(ANA, status="closed")
    with pytest.raises(finmark.InvalidQueryError, match="root"):
        soc.alerts(finmark.Actor("eve", ["root"]))
    with pytest.raises(finmark.InvalidQueryError, match="reason"):
        soc.add_silence(ANA, ["rule_id=x"], reason="", duration=60)
    with pytest.raises(finmark.InvalidQueryError, match="suppression_windo"):
        finmark.Engine("memory://", alert_config={"suppression_windo": 5})


def test_engine_configs_are_applied(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'cfg.db'}"
    config = {"suppression_window_secs": 1}
    with finmark.Engine(url, rules="builtin:soc", alert_config=config, correlation_config={"max_evidence": 2}) as e:
        first = e.ingest(failures("198.51.100.7")).alerts
        later = e.ingest(failures("198.51.100.7", start=3600)).alerts
        assert [a["generation"] for a in first + later if a["rule_id"] == BURST] == [1, 2]
        fired = e.ingest(failures("198.51.100.8", start=7200)).correlations
        assert all(len(c["event_ids"]) <= 2 for c in fired) and fired

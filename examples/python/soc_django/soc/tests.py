"""The SOC API end to end through Django's test client, on a memory:// engine."""

import json

from django.test import SimpleTestCase, override_settings

from . import engine

AUTH = {"HTTP_AUTHORIZATION": "Token test-token"}

EVENTS = "\n".join(
    json.dumps(e)
    for e in [
        {"event.id": "e1", "@timestamp": "2026-01-15T08:00:00Z", "event.category": "authentication",
         "event.outcome": "success", "user.name": "alice", "source.ip": "198.51.100.7"},
        {"event.id": "e2", "@timestamp": "2026-01-15T08:01:00Z", "event.category": "authentication",
         "event.outcome": "failure", "user.name": "bob", "source.ip": "203.0.113.9"},
        {"event.id": "e3", "@timestamp": "2026-01-15T08:02:00Z", "event.category": "authentication",
         "event.outcome": "failure", "user.name": "bob", "source.ip": "203.0.113.9"},
    ]
)


@override_settings(FINMARK_URL="memory://", FINMARK_API_TOKEN="test-token")
class SocApiTests(SimpleTestCase):
    def setUp(self) -> None:
        engine.close_engine()

    def tearDown(self) -> None:
        engine.close_engine()

    def post_events(self, body: str):  # type: ignore[no-untyped-def]
        return self.client.post("/api/events", data=body, content_type="application/x-ndjson", **AUTH)

    def test_token_is_required(self) -> None:
        self.assertEqual(self.client.get("/api/events").status_code, 401)
        wrong = {"HTTP_AUTHORIZATION": "Token nope"}
        self.assertEqual(self.client.get("/api/events", **wrong).status_code, 401)
        self.assertEqual(self.client.delete("/api/events", **AUTH).status_code, 405)

    def test_ingest_then_list_events(self) -> None:
        response = self.post_events(EVENTS + "\n{not json}\n")
        self.assertEqual(response.status_code, 200)
        report = response.json()
        self.assertEqual(report["accepted"], 3)
        self.assertEqual([r["line"] for r in report["rejected"]], [4])
        page = self.client.get("/api/events", {"user.name": "bob", "limit": 1}, **AUTH).json()
        self.assertEqual([e["id"] for e in page["events"]], ["e3"])
        self.assertEqual(page["events"][0]["time"], "2026-01-15T08:02:00+00:00")
        rest = self.client.get("/api/events", {"user.name": "bob", "cursor": page["next_cursor"]}, **AUTH).json()
        self.assertEqual([e["id"] for e in rest["events"]], ["e2"])
        self.assertIsNone(rest["next_cursor"])

    def test_detections_from_the_rules_folder(self) -> None:
        report = self.post_events(EVENTS).json()
        self.assertEqual(sorted(m["event_id"] for m in report["matches"]), ["e2", "e3"])
        found = self.client.get("/api/detections", {"severity": "warning"}, **AUTH).json()["detections"]
        self.assertEqual([d["event_id"] for d in found], ["e3", "e2"])
        self.assertEqual({d["title"] for d in found}, {"Failed login"})

    def test_counts(self) -> None:
        self.post_events(EVENTS)
        counts = self.client.get("/api/counts/source.ip", **AUTH).json()["counts"]
        self.assertEqual(counts, [{"value": "203.0.113.9", "count": 2}, {"value": "198.51.100.7", "count": 1}])

    def test_bad_query_is_a_400_with_the_finmark_code(self) -> None:
        response = self.client.get("/api/events", {"since": "yesterday"}, **AUTH)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["code"], "INVALID_QUERY")
        self.assertEqual(self.client.get("/api/events", {"limit": "many"}, **AUTH).status_code, 400)

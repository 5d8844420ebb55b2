"""finmark in five lines: open an embedded SQLite engine, ingest events, query them back."""

import finmark

with finmark.Engine("sqlite://quickstart.db") as engine:
    engine.ingest([{"user": {"name": "alice"}, "event": {"outcome": "failure"}, "source": {"ip": "203.0.113.9"}}])
    for event in engine.events(where={"user.name": "alice"}):
        print(event.time, event["source.ip"], event["event.outcome"])

"""A SOC dashboard on a finmark engine, with Streamlit and Plotly.

    streamlit run examples/python/dashboard_streamlit.py

It reads the engine at `FINMARK_URL` (default `sqlite://finmark.db`, the file `finmark demo`
writes), can load a simulated day into it, and shows events per hour by category, the busiest
source addresses and the latest detections. The data functions below the imports are plain
Python and are tested without a server.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Optional

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

import finmark

#: The page size the dashboard reads events with (the engine's maximum).
PAGE = 10_000


def all_events(engine: finmark.Engine, since: Optional[datetime] = None, until: Optional[datetime] = None) -> pd.DataFrame:
    """Every stored event in the range as a DataFrame (one row per event, one column per
    field), read page by page with the engine's cursor."""
    frames = []
    cursor = None
    while True:
        page = engine.events(since=since, until=until, limit=PAGE, cursor=cursor)
        if len(page):
            frames.append(page.to_pandas())
        cursor = page.next_cursor
        if cursor is None:
            break
    if not frames:
        return pd.DataFrame({"id": pd.Series(dtype=str), "time": pd.Series(dtype="datetime64[ns, UTC]")})
    return pd.concat(frames, ignore_index=True)


def events_per_hour(events: pd.DataFrame, by: str = "event.category") -> pd.DataFrame:
    """Event counts per hour and value of `by` (`hour`, `by`, `events` columns)."""
    if events.empty:
        return pd.DataFrame({"hour": [], by: [], "events": []})
    hours = pd.to_datetime(events["time"], utc=True).dt.floor("h")
    groups = events[by].fillna("(none)") if by in events else pd.Series("(none)", index=events.index)
    counts = pd.DataFrame({"hour": hours, by: groups}).groupby(["hour", by]).size()
    return counts.rename("events").reset_index()


def top_values(engine: finmark.Engine, field: str, n: int = 10) -> pd.DataFrame:
    """The `n` most frequent values of `field` (`value`, `count` columns)."""
    counts = engine.count_by(field, limit=n)
    if not counts:
        return pd.DataFrame({"value": [], "count": []})
    frame: pd.DataFrame = counts.to_pandas()
    frame["value"] = frame["value"].astype(str)
    return frame


def latest_detections(engine: finmark.Engine, limit: int = 100) -> pd.DataFrame:
    """The latest detections, newest first (`event_time`, `severity`, `title`, `rule_id`,
    `event_id` columns)."""
    columns = ["event_time", "severity", "title", "rule_id", "event_id"]
    found = engine.detections(limit=limit)
    if not found:
        return pd.DataFrame({c: [] for c in columns})
    frame: pd.DataFrame = found.to_pandas()
    return frame[columns]


def hourly_chart(per_hour: pd.DataFrame, by: str = "event.category") -> go.Figure:
    """A stacked bar chart of events per hour."""
    return px.bar(per_hour, x="hour", y="events", color=by, title="Events per hour")


def top_chart(top: pd.DataFrame, field: str) -> go.Figure:
    """A horizontal bar chart of the most frequent values of a field."""
    return px.bar(top, x="count", y="value", orientation="h", title=f"Top {field}")


def load_simulated_day(engine: finmark.Engine, seed: int = 42) -> finmark.IngestReport:
    """Ingests one simulated day (idempotent: re-loading stores nothing twice)."""
    return engine.ingest(finmark.simulate_day(seed=seed))


def main() -> None:
    """The Streamlit page."""
    import streamlit as st

    st.set_page_config(page_title="finmark SOC", layout="wide")
    st.title("finmark SOC dashboard")
    url = st.sidebar.text_input("Storage URL", os.environ.get("FINMARK_URL", "sqlite://finmark.db"))

    @st.cache_resource
    def engine_for(url: str) -> finmark.Engine:
        return finmark.Engine(url)

    engine = engine_for(url)
    if st.sidebar.button("Load a simulated day"):
        report = load_simulated_day(engine, seed=int(st.sidebar.number_input("Seed", value=42)))
        st.sidebar.success(f"{report.accepted} events stored, {report.duplicates} already there")

    events = all_events(engine)
    detections = latest_detections(engine)
    left, middle, right = st.columns(3)
    left.metric("Events", len(events))
    middle.metric("Detections", len(detections))
    right.metric("Critical", int((detections["severity"] == "critical").sum()))

    if events.empty:
        st.info("No events yet: load a simulated day from the sidebar, or run `finmark demo`.")
        return
    st.plotly_chart(hourly_chart(events_per_hour(events)), use_container_width=True)
    field = st.selectbox("Top values of", ["source.ip", "user.name", "event.category", "host.name"]) or "source.ip"
    st.plotly_chart(top_chart(top_values(engine, field), field), use_container_width=True)
    st.subheader("Latest detections")
    st.dataframe(detections, use_container_width=True)


if __name__ == "__main__":
    main()

"""The Python door's hunting throughput: NDJSON bytes in, matches out, one thread.

Same rules and events as `hunt-vs-rsigma` (the SigmaHQ `rules/windows` corpus, the 24,883
real Windows events replicated to `--lines` lines), so its figure compares with the native
one that binary prints (the issue's target: at least 80% of it).

    python bindings-python/bench/match_ndjson.py [--lines 1000000] [--runs 3]
        [--rules ../shared/sigma/rules/windows] [--events ../shared/events/windows-attack-samples.ndjson]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import finmark

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"


def replicate(events: Path, lines: int) -> bytes:
    """The file's lines repeated (and cut) to exactly `lines` NDJSON lines."""
    source = [line for line in events.read_bytes().splitlines() if line.strip()]
    whole, rest = divmod(lines, len(source))
    return b"\n".join(source * whole + source[:rest]) + b"\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="The Python door's hunting throughput.")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rules", type=Path, default=SHARED / "sigma" / "rules" / "windows")
    parser.add_argument("--events", type=Path, default=SHARED / "events" / "windows-attack-samples.ndjson")
    args = parser.parse_args()

    started = time.perf_counter()
    rules = finmark.RuleSet.load(args.rules)
    load = time.perf_counter() - started
    data = replicate(args.events, args.lines)

    seconds = []
    matches = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        report = rules.match_ndjson(data)
        seconds.append(time.perf_counter() - started)
        matches = len(report)
        assert report.events == args.lines, (report.events, len(report.rejected))
        del report
    median = statistics.median(seconds)
    print(f"rules: {len(rules)} compiled, {len(rules.rejected)} rejected, loaded in {load:.3f} s")
    print(f"python match_ndjson: {args.lines} lines, {matches} matches, median of {args.runs}: "
          f"{median:.3f} s = {args.lines / median:,.0f} events/s")


if __name__ == "__main__":
    main()

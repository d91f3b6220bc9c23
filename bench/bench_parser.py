"""Benchmark of the minutes parser: a 20,000-character speech must parse in under 200 ms.

Run it as ``python bench/bench_parser.py`` or call ``run()`` from a benchmark runner.
"""

import importlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SPEECH_CHARS = 20_000
TARGET_MS = 200
RUNS = 7


def _speech() -> str:
    """The sample speeches, concatenated and repeated to exactly SPEECH_CHARS characters."""
    samples = "\n".join(p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt")))
    return (samples * (SPEECH_CHARS // len(samples) + 1))[:SPEECH_CHARS]


def run() -> list[dict[str, object]]:
    """Time ``parse_minutes`` on a 20,000-character speech; one row, median of RUNS runs."""
    if str(ROOT) not in sys.path:  # run as a script from anywhere: the package is beside bench/
        sys.path.insert(0, str(ROOT))
    parse_minutes = importlib.import_module("taskboard.meetings.parser").parse_minutes
    text = _speech()
    parse_minutes(text)  # warm up: regex compilation and first-call costs are not the measure
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        parse_minutes(text)
        timings.append((time.perf_counter() - start) * 1000)
    median = round(statistics.median(timings), 1)
    return [{"name": "parse 20,000-character speech", "value": median, "unit": "ms",
             "target": TARGET_MS, "ok": median < TARGET_MS}]


if __name__ == "__main__":
    for row in run():
        print(row)

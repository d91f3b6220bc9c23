"""Benchmark of the minutes parser and of the guard against hostile Office files.

Parsing a 20,000-character speech and a 300-row 任务分解表 must each take at most 200 ms;
reading that table out of its .xlsx as well (openpyxl dominates) at most 500 ms; refusing each
hostile file of tests/data/hostile/ (a .docx of 20 million or a million empty paragraphs, an
.xlsx declaring A1:XFD100000 or holding 60,000 cells) must take under 2 s and 200 MB.
Run as ``python bench/bench_parser.py`` or via bench/run.py.
"""

import importlib
import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SPEECH_CHARS = 20_000
TABLE_ROWS = 300
TARGET_MS = 200
READ_TARGET_MS = 500
REFUSAL_TARGET_MS = 2000
REFUSAL_TARGET_MB = 200
RUNS = 7


def _speech() -> str:
    """The sample speeches, concatenated and repeated to exactly SPEECH_CHARS characters."""
    samples = "\n".join(p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt")))
    return (samples * (SPEECH_CHARS // len(samples) + 1))[:SPEECH_CHARS]


def _table() -> bytes:
    """A breakdown table of TABLE_ROWS rows, each with targets, a lead, units and a date."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "类别", "重点任务", "责任领导", "牵头单位", "配合单位", "完成时限"])
    for number in range(1, TABLE_ROWS + 1):
        task = f"新开工项目{number}个，完成投资不少于{number}亿元"
        sheet.append([number, f"板块{number % 7}", task, "王副区长", "区发改局、区住建局",
                      "区财政局", f"{number % 12 + 1}月底前"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _median_ms(work, runs: int = RUNS) -> float:
    work()  # warm up: regex compilation and first-call costs are not the measure
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(timings), 1)


def _refusal(text_from_upload, path: Path) -> tuple[float, float]:
    """(ms, peak MB) of refusing ``path``; raises if it is not refused."""
    data = path.read_bytes()

    def refuse() -> None:
        try:
            text_from_upload(path.name, data)
        except Exception as error:  # the ValidationError with its message is the expected end
            if type(error).__name__ != "ValidationError":
                raise
            return
        raise AssertionError(f"{path.name} was not refused")

    milliseconds = _median_ms(refuse, runs=3)
    tracemalloc.start()
    refuse()
    peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    tracemalloc.stop()
    return milliseconds, round(peak, 1)


def run() -> list[dict[str, object]]:
    """One row per measure: medians of RUNS runs; the refusals' peak traced memory."""
    if str(ROOT) not in sys.path:  # run as a script from anywhere: the package is beside bench/
        sys.path.insert(0, str(ROOT))
    parse_minutes = importlib.import_module("taskboard.meetings.parser").parse_minutes
    text_from_upload = importlib.import_module("taskboard.meetings.extract").text_from_upload
    speech, table = _speech(), _table()
    rows = []
    table_text = text_from_upload("表.xlsx", table)
    speech_ms = _median_ms(lambda: parse_minutes(speech))
    table_ms = _median_ms(lambda: parse_minutes(table_text, year=2025))
    read_ms = _median_ms(lambda: parse_minutes(text_from_upload("表.xlsx", table), year=2025))
    rows += [
        {"name": "parse 20,000-character speech", "value": speech_ms, "unit": "ms",
         "target": TARGET_MS, "ok": speech_ms <= TARGET_MS},
        {"name": f"parse {TABLE_ROWS}-row breakdown table", "value": table_ms, "unit": "ms",
         "target": TARGET_MS, "ok": table_ms <= TARGET_MS},
        {"name": f"read and parse {TABLE_ROWS}-row .xlsx", "value": read_ms, "unit": "ms",
         "target": READ_TARGET_MS, "ok": read_ms <= READ_TARGET_MS},
    ]
    for path in sorted((DATA / "hostile").iterdir()):
        milliseconds, megabytes = _refusal(text_from_upload, path)
        rows += [
            {"name": f"refuse hostile {path.name}", "value": milliseconds, "unit": "ms",
             "target": REFUSAL_TARGET_MS, "ok": milliseconds < REFUSAL_TARGET_MS},
            {"name": f"refuse hostile {path.name}, peak memory", "value": megabytes,
             "unit": "MB", "target": REFUSAL_TARGET_MB, "ok": megabytes < REFUSAL_TARGET_MB},
        ]
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)

"""Field-by-field score of the parser on one folder of documents per genre.

Each document under tests/data/genres/<genre>/ has an expected JSON beside it (same stem).
Files named ext_* were written by someone who had not read the parser, so they test the genre
and not the code. Each expected item is paired with the first unpaired proposal whose title
contains its key phrase; a missing item scores 0 on every field; proposals paired with nothing
lower the precision. Metrics and categories match when one contains the other.
"""
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from taskboard.meetings.extract import text_from_upload
from taskboard.meetings.parser import Proposal, ProposedTarget, parse_minutes

GENRES_DIR = Path(__file__).resolve().parents[1] / "data" / "genres"
GENRES = ("speech", "minutes", "table_docx", "table_xlsx", "assignment")
MIN_FIELD_SCORE = 0.95
MIN_PRECISION = 0.8
SCALAR_FIELDS = ("lead", "units", "cooperating", "deadline", "category")  # one point each


def _documents(genre: str) -> list[tuple[Path, dict]]:
    return [(path, json.loads(path.with_suffix(".json").read_text(encoding="utf-8")))
            for path in sorted((GENRES_DIR / genre).iterdir())
            if path.suffix != ".json" and path.with_suffix(".json").exists()]


def _bare(text: str) -> str:
    """Quotes are typography: 政务服务事项“一网通办”率 counts 一网通办率."""
    return text.translate(str.maketrans("", "", "“”‘’\"'「」"))


def _contains(expected: str, found: str) -> bool:
    expected, found = _bare(expected), _bare(found)
    return bool(found) and (expected in found or found in expected)


def _same_value(expected: str | None, found: Decimal | None) -> bool:
    return found is None if expected is None else found is not None and Decimal(expected) == found


def _target_score(expected: dict, found: list[ProposedTarget]) -> int:
    """Points (of 4) for one expected target, from the first unused found target whose metric
    matches (one contains the other); the found target is used up."""
    match = next((t for t in found if _contains(expected["metric"], t.metric)), None)
    if match is None:
        return 0
    found.remove(match)
    same_unit = match.unit.removeprefix("个") == expected["unit"].removeprefix("个")  # 个工作日
    return (1 + (match.comparator == expected["comparator"])
            + _same_value(expected["value"], match.value) + same_unit)


def _field_points(expected: dict, p: Proposal) -> int:
    deadline = date.fromisoformat(expected["deadline"]) if expected["deadline"] else None
    found = {"lead": p.lead, "units": p.units, "cooperating": sorted(p.cooperating),
             "deadline": p.deadline}
    wanted = {"lead": expected["lead"], "units": expected["units"],
              "cooperating": sorted(expected["cooperating"]), "deadline": deadline}
    points = sum(found[name] == wanted[name] for name in found)
    # A category is a heading's words: 突出抓好招商引资和项目建设 is the area 招商引资和项目建设.
    category = (_contains(expected["category"], p.category) if expected["category"]
                else not p.category)
    unused = list(p.targets)
    return points + category + sum(_target_score(t, unused) for t in expected["targets"])


def _score(path: Path, expected: dict) -> tuple[int, int, int, int, list[str]]:
    """(points, possible points, paired proposals, proposals, misses) of one document."""
    text = text_from_upload(path.name, path.read_bytes())
    proposals = parse_minutes(text, year=expected["year"]).proposals
    unpaired = list(proposals)
    points = possible = 0
    misses = []
    for item in expected["items"]:
        possible += len(SCALAR_FIELDS) + 4 * len(item["targets"])
        match = next((p for p in unpaired if item["key"] in p.title), None)
        if match is None:
            misses.append(f"{path.name}: no proposal titled with {item['key']!r}")
            continue
        unpaired.remove(match)
        got = _field_points(item, match)
        if got < len(SCALAR_FIELDS) + 4 * len(item["targets"]):
            misses.append(f"{path.name}: {item['key']!r} scored {got}: {match}")
        points += got
    misses += [f"{path.name}: unexpected proposal {p.title!r}" for p in unpaired]
    return points, possible, len(proposals) - len(unpaired), len(proposals), misses


@pytest.mark.parametrize("genre", GENRES)
def test_genre_scores(genre: str) -> None:
    documents = _documents(genre)
    assert len(documents) >= 3, f"{genre}: at least three documents with an expected JSON"
    totals = [0, 0, 0, 0]
    misses: list[str] = []
    for path, expected in documents:
        assert expected["genre"] == genre
        *counts, missed = _score(path, expected)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        misses += missed
    points, possible, paired, found = totals
    field_score, precision = points / possible, paired / max(found, 1)
    print(f"\n{genre}: field score {field_score:.3f} ({points}/{possible}), "
          f"precision {precision:.3f} ({paired}/{found})")
    print("\n".join(misses))
    assert field_score >= MIN_FIELD_SCORE, misses
    assert precision >= MIN_PRECISION, misses


ISSUE_EXAMPLE = """二、关于园区配套建设
会议议定：
（一）由区城建局牵头，会同区交通运输局，年内完成园区环路改造，完成投资不少于1.5亿元。
（二）请李副区长牵头，区教育局负责，区财政局配合，9月1日前建成投用实验学校1所。
"""


def _fields(p: Proposal) -> tuple:
    return (p.category, p.lead, p.units, p.cooperating, p.deadline,
            [(t.metric, t.comparator, t.value, t.unit) for t in p.targets])


def test_decisions_of_minutes_give_exactly_their_items() -> None:
    ring_road, school = parse_minutes(ISSUE_EXAMPLE, year=2025, include_low_confidence=True) \
        .proposals
    assert "园区环路改造" in ring_road.title and "实验学校" in school.title
    assert _fields(ring_road) == ("园区配套建设", None, ["区城建局"], ["区交通运输局"],
                                  date(2025, 12, 31), [("投资", ">=", Decimal("1.5"), "亿元")])
    assert _fields(school) == ("园区配套建设", "李副区长", ["区教育局"], ["区财政局"],
                               date(2025, 9, 1), [("实验学校", ">=", Decimal(1), "所")])


def test_narrative_of_minutes_proposes_nothing() -> None:
    text = ("一、关于一季度经济运行情况\n会议听取了区统计局关于一季度经济运行情况的汇报。"
            "会议认为，一季度全区经济运行总体平稳，稳中有进。\n")
    assert parse_minutes(text, year=2025).proposals == []

"""What the parser hands out: proposals with their targets, and the result of one text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

MIN_CONFIDENCE = 0.5  # proposals below it are left out unless asked for


@dataclass
class ProposedTarget:
    """One quantitative target of a proposal, e.g. 新签约亿元以上产业项目 >= 60 个."""

    metric: str
    comparator: str  # one of ">=", ">", "<=", "<", "="
    value: Decimal | None  # None when the figure is masked ("**％"): never invent a number
    unit: str
    cumulative: bool  # counts and amounts accumulate month by month; rates do not


@dataclass
class Proposal:
    """One task proposed from the text, with its verbatim excerpt and code-point offsets."""

    title: str
    category: str
    excerpt: str
    start: int
    end: int
    lead: str | None
    units: list[str]
    cooperating: list[str]
    deadline: date | None
    targets: list[ProposedTarget]
    confidence: float
    flags: list[str] = field(default_factory=list)  # e.g. 长期坚持: a standing task, dated year end
    row: int | None = None  # the data row of the breakdown table it came from, 1 first


@dataclass
class ParseResult:
    """The proposals of one text and the year its deadlines were resolved in."""

    year: int
    proposals: list[Proposal] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: ISO dates, values as int when integral else float."""
        return {"year": self.year, "proposals": [_proposal_dict(p) for p in self.proposals]}


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _proposal_dict(p: Proposal) -> dict[str, Any]:
    return {
        "title": p.title,
        "category": p.category,
        "excerpt": p.excerpt,
        "start": p.start,
        "end": p.end,
        "lead": p.lead,
        "units": list(p.units),
        "cooperating": list(p.cooperating),
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "targets": [
            {"metric": t.metric, "comparator": t.comparator,
             "value": _json_number(t.value), "unit": t.unit}
            for t in p.targets
        ],
        "confidence": p.confidence,
        "flags": list(p.flags),
        "row": p.row,
    }

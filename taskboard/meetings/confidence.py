"""Confidence of a proposal, computed in one place from named features.

A reader names what it found (``"header_mapped"``, ``"target"`` …); the weights live here, so
that two readers never disagree on what the same evidence is worth.
"""
from collections.abc import Iterable

# Where a proposal came from: how sure its shape alone makes us.
BASE = {
    "table_row": 0.75,  # a row of a 任务分解表 whose header named the columns
    "labelled_form": 0.75,  # a 交办单: 督办事项：… 责任单位：…
}
# What it holds, each on top of the base.
WEIGHTS = {
    "header_mapped": 0.1,  # the header named its columns: lead, units and date were labelled
    "target": 0.05,  # a quantitative target
    "assignment": 0.05,  # a leader or a unit
    "deadline": 0.05,  # a date
}


def confidence(base: str, features: Iterable[str]) -> float:
    """``BASE[base]`` plus the weight of each distinct feature, within 0 … 1."""
    score = BASE[base] + sum(WEIGHTS[name] for name in set(features))
    return round(min(max(score, 0.0), 1.0), 2)


def evidence_features(*, targets: bool, assignment: bool, deadline: bool) -> list[str]:
    """The names of the kinds of concrete task data a proposal holds."""
    return [name for name, present in
            (("target", targets), ("assignment", assignment), ("deadline", deadline)) if present]

"""Confidence of a proposal, computed in one place from named features.

A reader names the shape a proposal came in (a numbered item, a table row …), counts the kinds
of concrete data it holds (a target, who does it, a date: ``evidence``, 0 … 3) and names what
else it noticed; the numbers live here, so two readers never weigh the same evidence apart.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    base: float  # how sure the shape alone makes us
    per_evidence: float  # added for each kind of concrete data


SHAPES = {
    "table_row": Shape(0.75, 0.05),  # a row of a breakdown table (Word, Excel or pasted)
    "labelled_form": Shape(0.75, 0.05),  # a 交办单: 督办事项：… 责任单位：…
    "numbered_item": Shape(0.7, 0.05),  # 一要…, 1.…, （一）… under 会议议定
    "target_sentence": Shape(0.65, 0.05),  # a sentence with targets outside items (必保目标)
    "directive_sentence": Shape(0.55, 0.1),  # 要建立…, 必须加快… in a section without items
    "exhortation_sentence": Shape(0.35, 0.1),  # 要坚持…, 要树立…意识: a stance, not a task
    "concrete_sentence": Shape(0.5, 0.05),  # no modal, but concrete work with data
    "section": Shape(0.45, 0.1),  # a numbered paragraph that is one task (一、关于…。会议要求…)
    "assignment_sentence": Shape(0.55, 0.1),  # 这项工作由X负责 joined to the task before it
}
BONUSES = {
    "header_mapped": 0.1,  # a header or a label named the lead, units and date
    "directive": 0.05,  # an item that orders work (要, 必须, a concrete verb)
    "directive_section": 0.15,  # a one-task section that orders work
}
# Features that cap the confidence under MIN_CONFIDENCE (or near it), whatever the evidence.
CAPS = {
    "recounts": 0.3,  # last year's results, shortcomings, the agenda, 会议听取了…汇报
    "oversight": 0.4,  # 督查室要跟踪督办: follows up other tasks
    "exhortation": 0.4,  # under 保障措施 without target, unit or date: 加强组织领导
    "meeting_view": 0.45,  # 会议强调/指出… without data: the meeting's view, not its decision
}


def score(shape: str, evidence: int, *features: str) -> float:
    """The confidence of a proposal of ``shape`` with ``evidence`` and ``features``."""
    kind = SHAPES[shape]
    value = kind.base + kind.per_evidence * evidence + sum(BONUSES.get(f, 0.0) for f in features)
    return cap(value, *features)


def cap(value: float, *features: str) -> float:
    """``value`` held under the cap of each of ``features`` that has one, within 0 … 1."""
    for feature in features:
        value = min(value, CAPS.get(feature, value))
    return round(min(max(value, 0.0), 1.0), 2)


def named(**present: object) -> list[str]:
    """The names of the features present: ``named(directive=True, recounts=None)``."""
    return [name for name, value in present.items() if value]


def evidence(*, targets: bool, assignment: bool, deadline: bool) -> int:
    """How many kinds of concrete task data a proposal holds (0 … 3)."""
    return targets + assignment + deadline

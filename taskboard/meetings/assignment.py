"""Genre reader for 交办单 / 督办通知: one task per document, told in labelled lines.

督办事项：… 责任单位：… 牵头领导：… 办理时限：… 工作要求：… — each label says what its value
is, so the form is read by label into one proposal, and the lines it reads are claimed.
"""
from __future__ import annotations

import re

from .confidence import evidence, score
from .fields import Doc, find_deadlines, lead_clause
from .proposals import Proposal
from .tables import cell_names

_FORM_LABEL = re.compile(
    r"^[ \t]*(?P<label>(?:督办|交办|督查|办理)(?:事项|内容|任务)|(?:牵头|责任|分管|包抓)领导"
    r"|(?:牵头|责任|主办|承办|办理)(?:单位|部门)|(?:配合|协办|参与|协同)(?:单位|部门)"
    r"|(?:办理|完成|办结)时限|时限要求|(?:工作|具体|办理)要求)[ \t]*："
    , re.MULTILINE)
_ROLE_OF = (
    ("task", re.compile(r"(?:督办|交办|督查|办理)(?:事项|内容|任务)")),
    ("lead", re.compile(r".*领导")),
    ("first", re.compile(r"牵头(?:单位|部门)")),
    ("units", re.compile(r"(?:责任|主办|承办|办理)(?:单位|部门)")),
    ("cooperating", re.compile(r"(?:配合|协办|参与|协同)(?:单位|部门)")),
    ("deadline", re.compile(r".*时限.*")),
    ("requirements", re.compile(r".*要求")),
)


def _role(label: str) -> str:
    return next(role for role, pattern in _ROLE_OF if pattern.fullmatch(label))


def read_assignment(doc: Doc) -> tuple[list[Proposal], list[tuple[int, int]]]:
    """The one proposal of a 交办单 and the span of its labelled lines, or nothing when the
    text has no task label together with a unit or a time limit."""
    labels = list(_FORM_LABEL.finditer(doc.norm))
    values: dict[str, list[tuple[int, int]]] = {}
    for i, m in enumerate(labels):
        line_end = doc.norm.find("\n", m.end())
        end = len(doc.norm) if line_end < 0 else line_end
        if i + 1 < len(labels):  # a value may run over several lines, up to the next label
            gap = doc.norm[end:labels[i + 1].start()]
            end = end if "\n\n" in gap or not gap.strip() else labels[i + 1].start()
        values.setdefault(_role(m["label"]), []).append((m.end(), end))
    if "task" not in values or not ({"first", "units", "deadline"} & set(values)):
        return [], []

    def text(role: str) -> str:
        return "\n".join(doc.norm[s:e].strip() for s, e in values.get(role, []))

    task_spans = values["task"] + values.get("requirements", [])
    fields = doc.fields(task_spans)
    lead = next(iter(cell_names(text("lead"))), None)
    units = list(dict.fromkeys(cell_names(text("first")) + cell_names(text("units"))))
    deadlines = [d for _s, _e, d in find_deadlines(text("deadline"), doc.year, doc.meeting)]
    deadline = max(deadlines, default=None) or doc.fields(values["task"]).deadline
    start, end = labels[0].start(), max(e for spans in values.values() for _s, e in spans)
    found = evidence(targets=bool(fields.targets), assignment=bool(lead or units),
                     deadline=bool(deadline))
    proposal = Proposal(
        title=lead_clause(text("task")), category="", excerpt=doc.norm[start:end],
        start=start, end=end, lead=lead, units=units, cooperating=cell_names(text("cooperating")),
        deadline=deadline, targets=fields.targets,
        confidence=score("labelled_form", found, "header_mapped"))
    # One task per document: the heading, addressee and signature around the form set none.
    return [proposal], [(0, len(doc.norm))]

"""Genre reader for 任务分解表: a table whose header row names its columns.

The header is recognised by meaning, whatever its exact words (重点任务 / 工作任务 / 任务内容 …
are all the task). Each data row is one proposal; the labelled columns give its lead, units,
deadline and category directly, so they are trusted more than what running text implies.
Rows come as lines of cells apart by tabs (extract.py writes Word and Excel tables so).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .confidence import evidence, score
from .fields import Doc, find_deadlines, lead_clause, trim
from .proposals import Proposal
from .structure import heading_of

CELL_SEPARATOR = "\t"
LONG_TERM_FLAG = "长期坚持"

# Column roles by meaning. The first role whose pattern matches the whole header cell wins.
_COLUMN_ROLES = (
    ("", re.compile(r"序号|编号|备注|进展情况|推进情况|完成情况|工作措施|具体措施|责任人联系方式")),
    ("lead", re.compile(r"(?:责任|牵头|分管|包抓|联系|包联|挂点|督导)(?:区|县|市)?(?:级)?领导"
                        r"|责任人|牵头人")),
    ("units", re.compile(r"(?:牵头|责任|主办|主责|承办)(?:单位|部门)")),
    ("cooperating", re.compile(r"(?:配合|协办|参与|协同|协助|参加)(?:单位|部门)")),
    ("deadline", re.compile(r"完成时限|时间节点|完成时间|完成期限|办结时限|办理时限|时限(?:要求)?"
                            r"|截止时间|计划完成时间")),
    ("category", re.compile(r"(?:任务|项目|工作)?(?:类别|分类|类型)|板块|领域|方面")),
    ("task", re.compile(r"(?:重点|工作|目标|具体|主要|督办|交办)?(?:任务|事项)(?:内容|名称|清单)?"
                        r"|工作(?:内容|目标|任务)|目标任务|重点工作")),
)
_NONE = re.compile(r"[—–\-－/／无、\s]*|无|暂无")
_BRACKETED = re.compile(r"（[^（）]*）")
_NAME_SEP = re.compile(r"[、，,；;\s]+")
_LEADING_NUMBER = re.compile(r"^(?:[0-9]{1,2}[.、）]|（[0-9一二三四五六七八九十]{1,3}）|[①-⑳]"
                             r"|[一二三四五六七八九十]{1,3}、)\s*")
_NOTE = re.compile(r"\s*(?:注|备注|说明|填表说明)[：:]")
_NUMBERED = re.compile(r"\s*[0-9]{1,2}[.、]")
_DOTTED_DATE = re.compile(r"(20[0-9]{2})[.\-/／年]([0-9]{1,2})[.\-/／月]([0-9]{1,2})")
_LONG_TERM = re.compile(r"长期(?:坚持)?|持续(?:推进|开展)?|常态化")


def column_roles(cells: list[str]) -> list[str] | None:
    """The role of each column ("task", "lead", "units", "cooperating", "deadline",
    "category", or "" for a column read by nobody), or None when ``cells`` are no header:
    one task column and at least two of lead, units and deadline."""
    roles = []
    for cell in cells:
        name = "".join(cell.split())
        role = next((r for r, pattern in _COLUMN_ROLES if pattern.fullmatch(name)), None)
        roles.append("" if role is None else role)
    known = {"lead", "units", "deadline"} & set(roles)
    return roles if roles.count("task") == 1 and len(known) >= 2 else None


def cell_names(cell: str) -> list[str]:
    """Names listed in a cell; 李明（副区长） is 李明: the post in brackets is no name."""
    cell = _BRACKETED.sub("", cell)
    if _NONE.fullmatch(cell):
        return []
    return [name.removesuffix("同志") for name in _NAME_SEP.split(cell) if name]


def _deadline(cell: str, year: int, meeting: date | None) -> tuple[date | None, list[str]]:
    """The cell's latest date; 长期坚持 is the year's end, flagged so."""
    found = []
    for m in _DOTTED_DATE.finditer(cell):
        try:
            found.append(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            continue
    found += [d for _s, _e, d in find_deadlines(_DOTTED_DATE.sub("", cell), year, meeting)]
    if found:
        return max(found), []
    if _LONG_TERM.search(cell):
        return date(year, 12, 31), [LONG_TERM_FLAG]
    return None, []


@dataclass
class _Row:
    cells: list[tuple[int, int]]  # spans in the document

    def values(self, roles: list[str], role: str) -> list[tuple[int, int]]:
        return [span for span, r in zip(self.cells, roles, strict=False) if r == role]


def _split_row(start: int, line: str) -> _Row:
    spans, pos = [], start
    for cell in line.split(CELL_SEPARATOR):
        spans.append((pos, pos + len(cell)))
        pos += len(cell) + 1
    return _Row(spans)


class _Table:
    """A header and the category carried down its rows (a merged or a heading row); the
    section heading above the table gives the category where no column does."""

    def __init__(self, roles: list[str], section: str) -> None:
        self.roles = roles
        self.rows = 0
        self.category = section


def _row_proposal(doc: Doc, table: _Table, row: _Row, start: int, end: int) -> Proposal | None:
    def text(role: str) -> str:
        return " ".join(doc.norm[s:e].strip() for s, e in row.values(table.roles, role))

    filled = [doc.norm[s:e].strip() for s, e in row.cells if doc.norm[s:e].strip()]
    task_spans = row.values(table.roles, "task")
    task = text("task")
    if len(filled) == 1 and not task:  # 一、产业发展 across the whole row: the next rows' area
        table.category = _LEADING_NUMBER.sub("", filled[0])
        return None
    if not task:
        return None
    table.rows += 1
    table.category = _LEADING_NUMBER.sub("", text("category")) or table.category
    fields = doc.fields(task_spans)
    lead = next(iter(cell_names(text("lead"))), None)
    units = [n for s, e in row.values(table.roles, "units") for n in cell_names(doc.norm[s:e])]
    cooperating = cell_names(text("cooperating"))
    deadline, flags = _deadline(text("deadline"), doc.year, doc.meeting)
    deadline = deadline or fields.deadline
    found = evidence(targets=bool(fields.targets), assignment=bool(lead or units),
                     deadline=bool(deadline))
    return Proposal(
        title=lead_clause(_LEADING_NUMBER.sub("", task)), category=table.category,
        excerpt=doc.norm[start:end], start=start, end=end, lead=lead, units=units,
        cooperating=cooperating, deadline=deadline, targets=fields.targets,
        confidence=score("table_row", found, "header_mapped"), flags=flags, row=table.rows)


def read_tables(doc: Doc) -> tuple[list[Proposal], list[tuple[int, int]]]:
    """Proposals from every breakdown table of ``doc`` and the spans the tables take."""
    proposals: list[Proposal] = []
    claimed: list[tuple[int, int]] = []
    table: _Table | None = None
    notes = False  # 注：1.…… 2.…… under a table explain it and set no task of their own
    section = ""
    for m in re.finditer(r"[^\n]+", doc.norm):
        line = m.group()
        if CELL_SEPARATOR not in line:
            if not line.strip():
                notes = False
                continue
            heading = heading_of(doc.norm, *trim(doc.norm, *m.span()), doc.year)
            section = heading.short if heading else section
            opens_notes = table is not None and _NOTE.match(line) is not None
            notes = opens_notes or (notes and _NUMBERED.match(line) is not None)
            if notes:
                claimed.append(m.span())
            table = None  # a paragraph ends the table
            continue
        row = _split_row(m.start(), line)
        if table is None:
            roles = column_roles([line[s - m.start():e - m.start()] for s, e in row.cells])
            if roles:
                table = _Table(roles, section)
                claimed.append(m.span())
            continue
        claimed.append(m.span())
        proposal = _row_proposal(doc, table, row, *m.span())
        if proposal:
            proposals.append(proposal)
    return proposals, claimed

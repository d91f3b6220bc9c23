"""Genre reader for running text: speeches and minutes.

Numbered items become proposals (the innermost of nested ones, inheriting what their parent
assigns); a section that is one short paragraph is one task; outside items, sentences with
targets or, in plain sections, directives (要…, 必须…, 确保…) with concrete content. A table pasted
as text (cells apart by runs of spaces) is read row by row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .confidence import cap, named, score
from .fields import (
    Doc,
    Fields,
    clause_spans,
    find_deadlines,
    find_modal,
    is_assignment,
    is_past,
    lead_clause,
    opens_directive,
    people_in,
    short_heading,
    trim,
)
from .proposals import Proposal
from .structure import Item, Segment, segment_items, split_segments
from .vocabulary import (
    ABSTRACT_START,
    CONCRETE,
    FUTURE,
    LABEL,
    LOOKS_AHEAD,
    MEETING_NARRATIVE,
    MEETING_VIEW,
    MIN_ITEM_CHARS,
    NON_TASK,
    OTHER_COLUMN,
    OVERSEER,
    OVERSIGHT,
    OVERSIGHT_ADDRESSEE,
    PAST_TIME,
    PIECE_SEP,
    PROBLEM,
    TASK_COLUMN,
    YEAR_MENTION,
)

# --------------------------------------------------------------------------------------------
# Proposals.

def _own_spans(item: Item) -> list[tuple[int, int]]:
    spans, pos = [], item.start
    for child in sorted(item.children, key=lambda c: c.start):
        spans.append((pos, child.start))
        pos = max(pos, child.end)
    spans.append((pos, item.end))
    return [(s, e) for s, e in spans if s < e]


def _proposal(doc: Doc, start: int, end: int, title: str, category: str, fields: Fields,
              confidence: float) -> Proposal:
    if _is_oversight(doc.norm[start:end], fields):
        confidence = cap(confidence, "oversight")
    # Offsets and excerpt are still those of the unwrapped text: parse_minutes maps them back.
    return Proposal(title=title, category=category, excerpt=doc.norm[start:end], start=start,
                    end=end, lead=fields.lead, units=fields.units,
                    cooperating=fields.cooperating, deadline=fields.deadline,
                    targets=fields.targets, confidence=cap(confidence))


def _is_oversight(text: str, fields: Fields) -> bool:
    """Does ``text`` only order the follow-up of other tasks (跟踪督办, 定期通报)?"""
    return (not (fields.targets or fields.deadline or fields.lead)
            and all(OVERSEER.search(u) for u in fields.units)
            and OVERSIGHT.search(text) is not None
            and OVERSIGHT_ADDRESSEE.search(text) is not None)


def _item_proposal(doc: Doc, item: Item, category: str,
                   parents: dict[int, Fields]) -> Proposal:
    """Proposal of a leaf item; ``parents`` caches what each parent item itself assigns."""
    fields = doc.fields([(item.content_start, item.end)])
    ancestor = item.parent
    while ancestor is not None:
        if id(ancestor) not in parents:
            parents[id(ancestor)] = doc.fields(_own_spans(ancestor))
        fields.inherit(parents[id(ancestor)])
        ancestor = ancestor.parent
    text = doc.norm[item.content_start:item.end]
    title = lead_clause(text)
    directive = (item.family in ("ov要", "ov抓") or find_modal(text) is not None
                 or CONCRETE.match(title) is not None)
    shortcoming = PROBLEM.search(title) and not CONCRETE.search(title)
    # a numbered list of last year's results, shortcomings or the agenda recounts
    recounts = item.aside or (not directive and (is_past(text, doc.year) or shortcoming))
    confidence = score("numbered_item", fields.evidence,
                       *named(directive=directive, recounts=recounts))
    return _proposal(doc, item.start, item.end, title, category, fields, confidence)


def _area(norm: str, item: Item) -> str:
    """Category of an item under no heading: its top parent item (第一，聚焦项目建设…) names it."""
    top = item
    while top.parent is not None:
        top = top.parent
    if top is item:
        return ""
    title_end = min(child.start for child in top.children)
    return short_heading(norm[top.content_start:title_end])


def _units_of_speech(norm: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    """Sentences of a piece; a part after ； stays joined unless it opens a new directive."""
    parts, pos = [], s
    for m in PIECE_SEP.finditer(norm, s, e):
        parts.append((pos, m.end(), "；" in m.group()))
        pos = m.end()
    if pos < e:
        parts.append((pos, e, False))
    open_start: int | None = None
    for i, (ps, pe, by_semicolon) in enumerate(parts):
        open_start = ps if open_start is None else open_start
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if by_semicolon and nxt and not opens_directive(norm[nxt[0]:nxt[1]]):
            continue
        yield trim(norm, open_start, pe)
        open_start = None


def _free_spans(seg: Segment, items: list[Item]) -> Iterator[tuple[int, int]]:
    """The segment's text outside every numbered item."""
    taken = sorted((i.start, i.end) for i in items if i.parent is None)
    for s, e in seg.pieces:
        pos = s
        for ts, te in taken:
            if te <= pos or ts >= e:
                continue
            if ts > pos:
                yield pos, ts
            pos = max(pos, te)
        if pos < e:
            yield pos, e


def _sentence_proposals(doc: Doc, seg: Segment, items: list[Item]) -> list[Proposal]:
    """Proposals from sentences outside items: targets anywhere, directives in plain sections."""
    directive_mode = not seg.intro and not items
    out: list[Proposal] = []
    for fs, fe in _free_spans(seg, items):
        narrative, recounting = _opening(doc, fs, fe)
        for s, e in _units_of_speech(doc.norm, fs, fe):
            text = doc.norm[s:e]
            if not _may_be_task(text):
                continue
            modal = find_modal(text)
            past = modal is None and (narrative or is_past(text, doc.year)
                                      or (recounting and not LOOKS_AHEAD.search(text)))
            fields = _sentence_fields(doc, s, e, modal)
            if _assigns_previous(doc, out, s, text, fields):
                out[-1] = _extend(doc, out[-1], e, fields)  # "这项工作由X负责": previous task's
                continue
            confidence = _sentence_confidence(text, modal, fields, past, directive_mode)
            if confidence is None:
                continue
            title = _directive_title(text, modal) if modal else lead_clause(text)
            out.append(_proposal(doc, s, e, title, seg.category, fields, confidence))
    return out


def _opening(doc: Doc, fs: int, fe: int) -> tuple[bool, bool]:
    """Whether the first clause of a stretch of sentences narrates the meeting (会议听取了…)
    and whether it recounts the past (上半年, an earlier year)."""
    opening = next(clause_spans(doc.norm[fs:fe]), (0, 0))
    first = doc.norm[fs + opening[0]:fs + opening[1]]
    narrative = MEETING_NARRATIVE.match(first) is not None
    recounting = bool(PAST_TIME.search(first)) or any(
        int(m.group(1)) < doc.year for m in YEAR_MENTION.finditer(first))
    return narrative, recounting


def _may_be_task(text: str) -> bool:
    """Long enough, no courtesy (同志们, 谢谢 …) and no question."""
    return len(text) >= MIN_ITEM_CHARS and not NON_TASK.search(text) and not text.endswith("？")


def _sentence_fields(doc: Doc, s: int, e: int, modal: re.Match[str] | None) -> Fields:
    if modal and is_past(doc.norm[s:s + modal.start()], doc.year):
        # 会议认为，一季度增长6.5%，但…，必须…: the figures and dates before are results
        return doc.fields([(s + modal.start(), e)])
    return doc.fields([(s, e)])


def _assigns_previous(doc: Doc, out: list[Proposal], s: int, text: str, fields: Fields) -> bool:
    """Does the sentence at ``s`` only say who does the task proposed just before it?"""
    return bool(out and fields.evidence and is_assignment(text)
                and not doc.norm[out[-1].end:s].strip())


def _sentence_confidence(text: str, modal: re.Match[str] | None, fields: Fields, past: bool,
                         directive_mode: bool) -> float | None:
    """The confidence of a sentence as a task, or None when it sets none."""
    if fields.targets and not past and (modal or FUTURE.search(text)):
        return score("target_sentence", fields.evidence)
    if directive_mode and modal:
        # 要坚持…/要树立…意识 exhorts; 要建立…/要加快推进… sets work to do
        abstract = ABSTRACT_START.match(text, modal.end()) or not CONCRETE.search(text)
        view = not fields.evidence and MEETING_VIEW.match(text) is not None
        shape = "exhortation_sentence" if abstract else "directive_sentence"
        return score(shape, fields.evidence, *named(meeting_view=view))
    if directive_mode and fields.evidence and not past and CONCRETE.search(text):
        return score("concrete_sentence", fields.evidence)
    return None


def _table_columns(cells: list[str]) -> list[str] | None:
    """Roles of a table's columns ("task", a label such as 责任单位, or "" for 序号 and notes),
    or None when ``cells`` are no header naming the task and who or when."""
    roles = []
    for cell in cells:
        if TASK_COLUMN.fullmatch(cell):
            roles.append("task")
        elif LABEL.fullmatch(cell + "："):
            roles.append(cell)
        elif OTHER_COLUMN.fullmatch(cell):
            roles.append("")
        else:
            return None
    return roles if len(cells) >= 3 and roles.count("task") == 1 and len(set(roles)) > 2 else None


def _table_proposals(doc: Doc, seg: Segment) -> list[Proposal]:
    """Proposals from the rows of tables in ``seg``; their pieces are taken out of it."""
    out: list[Proposal] = []
    kept: list[tuple[int, int]] = []
    roles: list[str] | None = None
    for s, e in seg.pieces:
        cells = [m.span() for m in re.finditer(r"\S+", doc.norm[s:e])]
        if roles is not None and len(cells) == len(roles):
            out.append(_row_proposal(doc, seg, s, e, [(s + a, s + b) for a, b in cells], roles))
            continue
        roles = _table_columns([doc.norm[s + a:s + b] for a, b in cells])
        if roles is None:
            kept.append((s, e))
    seg.pieces = kept
    return out


def _row_proposal(doc: Doc, seg: Segment, s: int, e: int, cells: list[tuple[int, int]],
                  roles: list[str]) -> Proposal:
    task = cells[roles.index("task")]
    fields = doc.fields([task])
    labelled = " ".join(f"{role}：{doc.norm[cs:ce]}"
                        for (cs, ce), role in zip(cells, roles, strict=True)
                        if role not in ("", "task"))
    people = people_in(labelled)
    dates = [d for _, _, d in find_deadlines(labelled, doc.year, doc.meeting)]
    listed = Fields(people.lead or fields.lead, people.units or fields.units,
                     people.cooperating or fields.cooperating, max(dates, default=fields.deadline),
                     fields.targets)
    title = lead_clause(doc.norm[task[0]:task[1]])
    return _proposal(doc, s, e, title, seg.category, listed,
                     score("table_row", listed.evidence, "header_mapped"))


def _block_proposal(doc: Doc, seg: Segment, head: int) -> Proposal:
    """A numbered paragraph that is one task, from its heading at ``head``."""
    start, end = trim(doc.norm, head, seg.end)
    body = doc.norm[seg.start:end]
    fields = doc.fields([(start, end)])
    modal = find_modal(body)
    directive = modal is not None or CONCRETE.search(seg.title) is not None
    recounts = modal is None and is_past(body, doc.year)  # 会议听取了…汇报: a record, no task
    confidence = score("section", fields.evidence,
                       *named(directive_section=directive, recounts=recounts))
    return _proposal(doc, start, end, seg.title, seg.category, fields, confidence)


def _directive_title(text: str, modal: re.Match[str]) -> str:
    """Title of a directive sentence: the lead clause from the clause that holds the modal
    (a topic clause before it, 高新区…是重大机遇，要…, names no task)."""
    clause_start = max((s for s, _ in clause_spans(text) if s <= modal.start()), default=0)
    return lead_clause(text[clause_start:])


def _extend(doc: Doc, p: Proposal, end: int, extra: Fields) -> Proposal:
    """Grow ``p`` over a following assignment sentence, whose who and when take precedence."""
    merged = Fields(extra.lead or p.lead, extra.units or p.units,
                     extra.cooperating or p.cooperating, extra.deadline or p.deadline,
                     p.targets + extra.targets)
    confidence = max(p.confidence, score("assignment_sentence", merged.evidence))
    return _proposal(doc, p.start, end, p.title, p.category, merged, confidence)


def _demote_exhortations(proposals: list[Proposal]) -> None:
    """Under a 保障措施 heading, a proposal without a target, unit, leader or date only exhorts
    (加强组织领导, 严明工作纪律)."""
    for p in proposals:
        if not (p.targets or p.lead or p.units or p.cooperating or p.deadline):
            p.confidence = cap(p.confidence, "exhortation")


def read_speech(doc: Doc) -> list[Proposal]:
    """Proposals from running text: numbered items, one-task sections, directive sentences."""
    proposals: list[Proposal] = []
    for seg in split_segments(doc.norm, doc.year):
        if seg.review:
            continue
        proposals += _table_proposals(doc, seg)
        items = segment_items(doc.norm, seg, doc.year)
        if seg.block_start is not None and all(item.aside for item in items):
            proposals.append(_block_proposal(doc, seg, seg.block_start))
            if seg.support:
                _demote_exhortations(proposals[-1:])
            continue
        parents: dict[int, Fields] = {}
        first = len(proposals)
        proposals += [_item_proposal(doc, item, seg.category or _area(doc.norm, item), parents)
                      for item in items if not item.children]
        proposals += _sentence_proposals(doc, seg, items)
        if seg.support:
            _demote_exhortations(proposals[first:])
    return proposals

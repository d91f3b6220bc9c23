"""Step 2 of the pipeline: structure. Headings and their levels cut the text into segments; numbered
items (一是, 1., （1）, ①, inline （一）) are chained 1, 2, 3 … and nested."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .fields import cap_title, cn_int, find_modal, is_assignment, is_past, short_heading, trim
from .normalise import META_LINE, TASK_LABEL
from .vocabulary import (
    APPROVAL,
    ASIDE_LEAD_IN,
    BLOCK_MAX,
    BRACKETED,
    CLOSERS,
    DATE_LINE,
    DECISION_ITEM_MIN,
    DECISION_LEAD_IN,
    FIRST_NEXT,
    HEADING_1,
    HEADING_2,
    INLINE_ONLY,
    LAST,
    LEAD_IN_MAX,
    LEAD_IN_STOP,
    MARKER,
    MIN_ITEM_CHARS,
    MODAL,
    PARAGRAPH,
    PIECE_SEP,
    RESUMING,
    REVIEW_HEADING,
    SENTENCE_END,
    STRICT_FAMILIES,
    SUPPORT_HEADING,
    YEAR_MENTION,
)

# --------------------------------------------------------------------------------------------
# Structure: headings and segments.

@dataclass
class _Heading:
    level: int
    para_start: int
    body_start: int
    short: str
    title: str  # the heading's own words: the title when its section is one task
    review: bool
    support: bool  # a closing section of guarantees (保障措施)
    topical: bool = False  # 关于…: names a topic, not a task


@dataclass
class Segment:
    start: int
    end: int
    category: str
    review: bool
    intro: bool  # preamble or a heading's introduction: only targets make proposals there
    support: bool = False  # under a 保障措施 heading: exhortations there are no tasks
    pieces: list[tuple[int, int]] = field(default_factory=list)  # clipped, closing words left out
    block_start: int | None = None  # a section that is one task, from its heading at this offset
    title: str = ""  # that task's title: the heading's words


def _previous_paragraph(norm: str, s: int) -> tuple[int, int] | None:
    end = s
    while end > 0 and norm[end - 1].isspace():
        end -= 1
    if end == 0:
        return None
    start = norm.rfind("\n", 0, end) + 1
    return trim(norm, start, end)


def _is_decision_item(norm: str, s: int, e: int) -> bool:
    """Is the （一） paragraph at ``s`` an item of minutes' decisions, not a heading?

    （一）由区城建局牵头，会同…，年内完成…。 is one sentence that assigns work; a heading names a
    theme and its body follows. After 会议议定： every （一） paragraph is an item, and so is one
    that follows such an item."""
    m = HEADING_2.match(norm, s, e)
    if not m:
        return False
    body = norm[m.end():e].rstrip()
    stop = SENTENCE_END.search(body)
    if not body.endswith(("。", "；")) or (stop and stop.end() < len(body)):
        return False
    if "，" in body and len(body) > DECISION_ITEM_MIN:
        return True
    previous = _previous_paragraph(norm, s)
    return previous is not None and (
        DECISION_LEAD_IN.search(norm, *previous) is not None
        or _is_decision_item(norm, *previous))


def heading_of(norm: str, s: int, e: int, year: int) -> _Heading | None:
    m = HEADING_1.match(norm, s, e) or HEADING_2.match(norm, s, e)
    if not m or _is_decision_item(norm, s, e):
        return None
    stop = SENTENCE_END.search(norm, m.end(), e)
    text_end = stop.start() if stop else e
    text = APPROVAL.sub(r"\1", norm[m.end():text_end])
    years = [int(y) for y in YEAR_MENTION.findall(text)]
    review = (bool(years) and max(years) < year) or (
        bool(REVIEW_HEADING.search(text)) and not years and not MODAL.search(text))
    level = 1 if m.re is HEADING_1 else 2
    return _Heading(level, s, stop.end() if stop else e, short_heading(text),
                    cap_title(text.removeprefix("关于")), review,
                    bool(SUPPORT_HEADING.search(text)), text.startswith("关于"))


def _is_closing(norm: str, s: int, e: int) -> bool:
    """Greetings, thanks, the closing call (同志们，…让我们…) and the date line set no task."""
    para = norm[s:e]
    return (para.startswith("同志们") or "让我们" in para or para.startswith("谢谢")
            or DATE_LINE.fullmatch(para) is not None)


def _block_shape(norm: str, h: _Heading, paras: list[tuple[int, int]]) -> tuple[int, bool] | None:
    """(end, more): where the one short paragraph of a heading's section ends, with the label
    lines and the assignment (由X负责…) under it, and whether more paragraphs follow; None when
    the section has no body or a long one (a theme of a speech, not a task)."""
    body = paras if paras and h.body_start < paras[0][1] else paras[1:]
    if not body:
        return None
    end, rest = body[0][1], body[1:]
    while rest and (TASK_LABEL.match(norm, rest[0][0])
                    or is_assignment(norm[rest[0][0]:rest[0][1]])):
        end, rest = rest[0][1], rest[1:]
    if end - max(h.body_start, body[0][0]) > BLOCK_MAX:
        return None
    return end, bool(rest)


def _blocks(norm: str, heads: list[_Heading], ends: list[int],
            paras: list[tuple[int, int]]) -> dict[int, int]:
    """Sections that are one task each, by heading index, with the end of the task's text.

    Minutes (一、关于…。会议要求…) and many speeches (（一）…。要…) give each task a numbered
    paragraph: a section of one paragraph is one task when at least half of its siblings are
    alike. Only the last sibling may run on, into the closing words of the text."""
    groups = _sibling_groups(heads)
    shapes = _one_task_shapes(norm, heads, ends, paras, groups)
    blocks = {}
    for group in groups.values():
        alike = [i for i in group if i in shapes]
        if len(alike) >= 2 and 2 * len(alike) >= len(group):
            blocks.update((i, shapes[i]) for i in alike)
    # A lone （一） under its heading is shaped like its cousins under the other headings.
    if any(heads[i].level == 2 for i in blocks):
        for (level, _parent), group in groups.items():
            if level == 2 and len(group) == 1 and group[0] in shapes:
                blocks[group[0]] = shapes[group[0]]
    return blocks


def _sibling_groups(heads: list[_Heading]) -> dict[tuple[int, int], list[int]]:
    """Heading indexes by (level, index of the parent heading; -1 for a top heading)."""
    groups: dict[tuple[int, int], list[int]] = {}
    parent = -1
    for i, h in enumerate(heads):
        parent = i if h.level == 1 else parent
        groups.setdefault((h.level, -1 if h.level == 1 else parent), []).append(i)
    return groups


def _one_task_shapes(norm: str, heads: list[_Heading], ends: list[int],
                     paras: list[tuple[int, int]],
                     groups: dict[tuple[int, int], list[int]]) -> dict[int, int]:
    """The sections shaped as one task, by heading index, with the end of the task's text."""
    starts = [s for s, _ in paras]
    shapes: dict[int, int] = {}
    for group in groups.values():
        if _is_outline(heads, group):
            continue  # an outline: its (一) sections are the tasks, if any
        for i in group:
            h = heads[i]
            lo = bisect.bisect_left(starts, h.para_start)
            shape = _block_shape(norm, h, paras[lo:bisect.bisect_left(starts, ends[i])])
            if shape and (not shape[1] or i == group[-1]):
                shapes[i] = shape[0]
    return shapes


def _is_outline(heads: list[_Heading], group: list[int]) -> bool:
    """Does a top heading of ``group`` have (一) sections under it?"""
    return any(heads[i].level == 1 and _has_subsections(heads, i) for i in group)


def _has_subsections(heads: list[_Heading], i: int) -> bool:
    return i + 1 < len(heads) and heads[i + 1].level == 2


def split_segments(norm: str, year: int) -> list[Segment]:
    paras = [m.span() for m in PARAGRAPH.finditer(norm)]
    heads = [h for s, e in paras if (h := heading_of(norm, s, e, year))]
    open_paras = [(s, e) for s, e in paras
                  if not _is_closing(norm, s, e) and not META_LINE.match(norm, s)]
    ends = [h.para_start for h in heads[1:]] + [len(norm)]
    blocks = _blocks(norm, heads, ends, open_paras)
    first = heads[0].para_start if heads else len(norm)
    segments = [Segment(0, first, "", False, bool(heads))]
    parent: _Heading | None = None
    for i, h in enumerate(heads):
        parent = h if h.level == 1 else parent
        segments += _heading_segments(heads, i, parent, ends[i], blocks.get(i))
    _clip_pieces(norm, segments, open_paras)
    return segments


def _heading_segments(heads: list[_Heading], i: int, parent: _Heading | None, end: int,
                      block_end: int | None) -> list[Segment]:
    """The segments of the section under ``heads[i]``: its text up to ``end``; a section that
    is one task ends its task at ``block_end``, and its closing words follow."""
    h = heads[i]
    inner = h.level == 2 and parent is not None
    review = h.review or (inner and parent.review)
    support = h.support or (inner and parent.support)
    if block_end is None:
        has_children = h.level == 1 and _has_subsections(heads, i)
        return [Segment(h.body_start, end, h.short, review, has_children, support)]
    # Under 三、关于项目招引 the topic is the area of each one-task （一） section.
    topical = inner and parent is not None and parent.topical
    area = parent.short if topical else h.short
    segments = [Segment(h.body_start, block_end, area, review, False, support,
                        block_start=h.para_start, title=h.title)]
    if block_end < end:  # the closing words after the last task
        segments.append(Segment(block_end, end, h.short, review, False, support))
    return segments


def _clip_pieces(norm: str, segments: list[Segment], open_paras: list[tuple[int, int]]) -> None:
    """Give each segment the parts of the open paragraphs within it, trimmed."""
    para_ends = [e for _, e in open_paras]
    for seg in segments:
        for s, e in open_paras[bisect.bisect_right(para_ends, seg.start):]:
            if s >= seg.end:
                break
            piece = trim(norm, max(s, seg.start), min(e, seg.end))
            if piece[0] < piece[1]:
                seg.pieces.append(piece)


# --------------------------------------------------------------------------------------------
# Numbered items.

@dataclass
class Item:
    family: str
    number: int
    start: int
    content_start: int
    end: int = 0
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    aside: bool = False  # the list recounts results, shortcomings or the agenda: no tasks
    opens: bool = False  # 1. or （1） at a paragraph start
    resumes: bool = False  # 4. opening a paragraph may continue the numbering of a section above


def _at_boundary(norm: str, pos: int, para_start: int, loose: bool) -> bool:
    i = pos - 1
    while i >= para_start and norm[i] == " ":
        i -= 1
    if i < para_start:
        return True
    c = norm[i]
    if c in CLOSERS and i > para_start and norm[i - 1] in "。；！？":
        return True
    return c in "。；！？：" or (loose and c in "，,")


def _markers(norm: str, pieces: list[tuple[int, int]]) -> list[tuple[Item, int, int]]:
    """Candidate item markers with the paragraph piece each sits in."""
    found = []
    for s, e in pieces:
        for m in MARKER.finditer(norm, s, e):
            family = m.lastgroup or ""
            if family == "ov_suffix":  # lastgroup names the last group that matched
                family = "ov"
            at_start = m.start() == s
            if family in INLINE_ONLY and at_start and not _is_decision_item(norm, s, e):
                continue
            if family not in BRACKETED and not _at_boundary(
                    norm, m.start(), s, family not in STRICT_FAMILIES):
                continue
            raw = m.group(family)
            number = FIRST_NEXT.get(raw) or cn_int(raw)
            if family == "ov":  # 一是 and 二要 may share a list; try each suffix first
                family = "ov" + m["ov_suffix"][0]
            item = Item(family, number, m.start(), m.end(),
                         resumes=at_start and family in RESUMING and number > 1,
                         opens=at_start and family in RESUMING)
            found.append((item, s, e))
    return found


def _chain(items: list[Item]) -> list[list[Item]]:
    """Greedy 1, 2, 3 … chains of one family; a chain needs two items. A work plan numbers its
    items 1. … 11. across its sections: there a chain may start at a later number."""
    chains: list[list[Item]] = []
    current: list[Item] | None = None
    for item in items:
        if item.number == 1 or (not chains and item.resumes):
            current = [item]
            chains.append(current)
        elif current and item.number == current[0].number + len(current):
            current.append(item)
        elif current and item.number == LAST and len(current) >= 2:
            current.append(item)
            current = None
    # A section may hold one numbered task only: 四、…民生 / 1.稳定和扩大就业。… is still an item.
    return [c for c in chains if len(c) >= 2 or (c[0].opens and c[0].number == 1)]


def _sequences(found: list[tuple[Item, int, int]]) -> list[list[Item]]:
    by_family: dict[str, list[Item]] = {}
    for item, _, _ in found:
        by_family.setdefault(item.family, []).append(item)
    chains = [c for items in by_family.values() for c in _chain(items)]
    used = {id(i) for c in chains for i in c}
    # Second pass: 一是 / 二要 / 三是 mixed in one list.
    loose = [i for i, _, _ in found if i.family.startswith("ov") and id(i) not in used]
    chains += _chain(loose)
    return chains


def _item_ends(norm: str, chain: list[Item], piece_of: dict[int, tuple[int, int]],
               pieces: list[tuple[int, int]], seg_end: int) -> None:
    for i, item in enumerate(chain):
        nxt = chain[i + 1].start if i + 1 < len(chain) else seg_end
        ps, pe = piece_of[item.start]
        title_only = (item.start == ps and pe - ps <= 50
                      and not PIECE_SEP.search(norm, item.content_start, pe))
        if title_only:  # "1.加快重大项目开工" on a line of its own: its body follows
            ends = [e for s, e in pieces if ps <= s < nxt]
            item.end = min(max(ends), nxt)
        else:  # its paragraph, and the label lines and assignment (由X负责…) that follow it
            item.end = min(pe, nxt)
            for s, e in pieces[bisect.bisect_right(pieces, (ps, pe)):]:
                if s >= nxt or not (TASK_LABEL.match(norm, s) or is_assignment(norm[s:e])):
                    break
                item.end = min(e, nxt)
        item.end = trim(norm, item.start, item.end)[1]


def _within(item: Item, ancestor: Item) -> bool:
    node: Item | None = item
    while node is not None and node is not ancestor:
        node = node.parent
    return node is ancestor


def _nest(norm: str, chains: list[list[Item]]) -> list[Item]:
    """Place chains inside the items that contain them; return every placed item."""
    chains.sort(key=lambda c: (c[0].start, -(c[-1].end - c[0].start)))
    placed: list[Item] = []
    reaching: list[Item] = []  # placed items that may still hold a later chain
    for chain in chains:
        first = chain[0]
        reaching = [p for p in reaching if p.end > first.start]
        around = [p for p in reaching if p.start < first.start]
        # The same numbering restarting inside an item starts the next list, not a sub-list:
        # the item (and what it holds) ends where the new list begins.
        cut = [p for p in around if p.family == first.family]
        for p in around:
            if any(_within(p, c) for c in cut):
                p.end = trim(norm, p.start, first.start)[1]
        holders = [p for p in around if p.end > first.start]
        holder = min(holders, key=lambda p: p.end - p.start, default=None)
        if holder:
            chain = [i for i in chain if i.start < holder.end]
            if len(chain) < 2:
                continue
            _leave_shared_tail(norm, chain)
            for item in chain:
                item.end = min(item.end, holder.end)
                item.parent = holder
            holder.children += chain
        placed += chain
        reaching += chain
    return placed


def _leave_shared_tail(norm: str, chain: list[Item]) -> None:
    """1.…；2.…。由X牵头…: items that are clauses of one sentence share the assignment after
    it, so the last item ends with the sentence and the parent item keeps the assignment."""
    if not all(norm[i.content_start:i.end].rstrip().endswith("；") for i in chain[:-1]):
        return
    last = chain[-1]
    stop = SENTENCE_END.search(norm, last.content_start, last.end)
    if stop and is_assignment(norm[stop.end():last.end].strip()):
        last.end = stop.end()


def _lead_in(norm: str, lo: int, pos: int) -> str:
    """The (at most two) sentences that introduce a list starting at ``pos``."""
    head = norm[max(lo, pos - LEAD_IN_MAX):pos].rstrip(" \n。！？；：" + CLOSERS)
    stops = [m.start() for m in LEAD_IN_STOP.finditer(head)]
    return head[stops[-2] + 1:] if len(stops) >= 2 else head


def segment_items(norm: str, seg: Segment, year: int) -> list[Item]:
    found = _markers(norm, seg.pieces)
    piece_of = {item.start: (s, e) for item, s, e in found}
    chains = []
    for chain in _sequences(found):
        _item_ends(norm, chain, piece_of, seg.pieces, seg.end)
        if all(len(norm[i.content_start:i.end].strip(" ，、：。")) >= MIN_ITEM_CHARS
               for i in chain):
            lead_in = _lead_in(norm, seg.start, chain[0].start)
            aside = not find_modal(lead_in) and (
                is_past(lead_in, year) or ASIDE_LEAD_IN.search(lead_in) is not None)
            for item in chain:
                item.aside = aside
            chains.append(chain)
    return _nest(norm, chains)

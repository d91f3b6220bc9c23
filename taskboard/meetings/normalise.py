"""Step 1 of the pipeline: normalise the text without moving any offset.

Every character is replaced by exactly one (full-width digits and spaces, ％, \\r …), so an
offset found in the copy is an offset into the original. Hard-wrapped text (copied from a PDF:
lines cut mid-sentence) is read without its soft line breaks; ``unwrap`` maps offsets back.
"""

from __future__ import annotations

import re
import statistics

from .fields import trim
from .vocabulary import CELL_GAP, HEADING_1, HEADING_2, MARKER, SENTENCE_END

# --------------------------------------------------------------------------------------------
# Normalisation: one character in, one character out, so offsets survive.

def _normaliser() -> dict[int, str]:
    table = {0xFF10 + i: str(i) for i in range(10)}
    table.update({0xFF21 + i: chr(ord("A") + i) for i in range(26)})
    table.update({0xFF41 + i: chr(ord("a") + i) for i in range(26)})
    table.update({ord(k): v for k, v in {
        # A tab stays: it parts the cells of a table row (see extract.py).
        "\u3000": " ", "\xa0": " ", "\r": "\n", "\u2028": "\n", "\u2029": "\n",
        "％": "%", "．": ".", "＊": "*", "(": "（", ")": "）", ";": "；", ":": "：",
        "?": "？", "!": "！",
    }.items()})
    return table


NORMALISE = _normaliser()

# Hard wraps. Text copied from a PDF breaks its lines wherever the page ended; such a break is
# no paragraph end. The parser reads a copy without those breaks and maps offsets back.
_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_SENTENCE_CLOSED = re.compile(r"[。！？；：…][”’」』）》]*$")
_MID_SENTENCE_END = re.compile(r"[，、,“‘《（—]$")  # a line ending so is surely cut
# Label lines (牵头单位：…) have no full stop. Task labels belong to the item above them; the
# attendance lines that close minutes (出席：…) set no task.
TASK_LABEL = re.compile(
    r"(?:(?:牵头|责任|配合|协办|参与|主办|承办|分管)(?:单位|领导|部门|人)|责任人|完成时限|完成时间"
    r"|时间节点|时限要求)：")
META_LINE = re.compile(r"(?:出席|列席|缺席|记录|主持|参加|参会|抄送|印发)(?:人员|单位)?：")
_WRAP_SHARE = 0.8  # a wrapped line fills at least this share of the typical line width
_WRAPPED_SHARE = 0.25  # a hard-wrapped text has at least this share of open-ended lines

# --------------------------------------------------------------------------------------------
# Hard wraps.

def _opens_paragraph(line: str) -> bool:
    """Does a line start with a heading, an item marker or a label (牵头单位：…)?"""
    return bool(HEADING_1.match(line) or HEADING_2.match(line) or MARKER.match(line)
                or TASK_LABEL.match(line) or META_LINE.match(line))


def _soft_break(line: str, nxt: str, indented: bool, width: float | None) -> bool:
    """Is the break between ``line`` and ``nxt`` (both stripped) a wrap inside a sentence?"""
    if not line or not nxt or _SENTENCE_CLOSED.search(line) or _opens_paragraph(nxt):
        return False
    if TASK_LABEL.match(line) or META_LINE.match(line):
        return False
    if _MID_SENTENCE_END.search(line):
        return True
    if indented or width is None:  # an indented line starts a paragraph
        return False
    # A short line is a title, a signature or a date; a heading alone on its line is short too,
    # so it counts as wrapped only when it fills the whole width.
    title = (HEADING_1.match(line) or HEADING_2.match(line)) and not SENTENCE_END.search(line)
    return len(line) >= (width - 1 if title else width * _WRAP_SHARE)


def unwrap_lines(text: str, norm: str) -> tuple[str, list[int]]:
    """``norm`` without its soft line breaks, and for each character kept its offset in
    ``norm``. Line breaks are found in ``text``, where \\r\\n is still one break."""
    lines, pos = [], 0
    for m in _BREAK.finditer(text):
        lines.append((pos, m.start()))
        pos = m.end()
    lines.append((pos, len(text)))
    stripped = [norm[s:e].strip() for s, e in lines]
    rows = [bool(CELL_GAP.search(text[s:e].strip())) for s, e in lines]  # a table's rows
    open_ended = [len(t) for t, row in zip(stripped, rows, strict=True)
                  if t and not row and not _SENTENCE_CLOSED.search(t) and not _opens_paragraph(t)]
    # Only a text that is mostly open-ended lines is wrapped; a title and a signature are not.
    wrapped = len(open_ended) >= max(3, _WRAPPED_SHARE * sum(map(bool, stripped)))
    width = statistics.median(open_ended) if wrapped else None
    kept, pos = [], 0
    for i in range(len(lines) - 1):
        (s, e), (ns, ne) = lines[i], lines[i + 1]
        indented = ns < ne and norm[ns].isspace()
        table = rows[i] or rows[i + 1]
        if not table and _soft_break(stripped[i], stripped[i + 1], indented, width):
            cut_from, cut_to = trim(norm, s, e)[1], trim(norm, ns, ne)[0]
            kept.append((pos, cut_from))
            pos = cut_to
    kept.append((pos, len(norm)))
    origin = [i for s, e in kept for i in range(s, e)]
    return "".join(norm[s:e] for s, e in kept), origin

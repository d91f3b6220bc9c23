"""Minutes parser: turns a speech, meeting minutes, a 任务分解表 or a 交办单 into proposed tasks.

The parser is purely textual and deterministic (no I/O, no network). It is a pipeline; each
step is a module, so a newcomer extends one step:

1. ``normalise`` — one character in, one out (offsets survive), hard wraps read through.
2. ``structure`` — headings and their levels, numbered items and how they nest.
3. genre readers, each claiming the blocks it understands: ``tables`` (a 任务分解表, rows of
   cells whose header names the columns), ``assignment`` (a 交办单 / 督办通知 of labelled lines),
   then ``speech`` (speeches and 议定事项 minutes: numbered items, sections, directives).
4. ``fields`` — the field extractors every reader shares: lead, units, deadline, targets.
5. ``confidence`` — one place that turns named features into a confidence.

A new genre is one reader plus its fixtures under tests/data/genres/.
"""

from __future__ import annotations

from datetime import date

from .assignment import read_assignment
from .fields import Doc, masked_text, resolve_year
from .normalise import NORMALISE, unwrap_lines
from .proposals import MIN_CONFIDENCE, ParseResult, Proposal, ProposedTarget
from .speech import read_speech
from .tables import read_tables

__all__ = ["MIN_CONFIDENCE", "ParseResult", "Proposal", "ProposedTarget", "parse_minutes"]

# Readers that recognise a whole block by its shape claim it; running text goes to read_speech.
CLAIMING_READERS = (read_tables, read_assignment)


def parse_minutes(text: str, *, year: int | None = None, meeting_date: date | None = None,
                  today: date | None = None, include_low_confidence: bool = False
                  ) -> ParseResult:
    """Propose tasks from a speech, minutes, a breakdown table or a 交办单.

    ``year`` fixes the year of deadlines such as 6月底前; without it the year of
    ``meeting_date`` is used, then the year of the date the text is signed or its meeting held
    (the next year when that date is in November or December and the text plans that year),
    then the latest year the text names as its own (not a horizon such as 到2025年), and only as
    a last resort the year of ``today`` (the caller's; ValueError when it is needed and not
    given). Proposals whose confidence is below ``MIN_CONFIDENCE`` are left out unless
    ``include_low_confidence`` is true.
    Offsets are code points into ``text`` itself: ``text[p.start:p.end] == p.excerpt``.
    """
    norm, origin = unwrap_lines(text, text.translate(NORMALISE))
    resolved = resolve_year(norm, year, meeting_date, today)
    doc = Doc(norm, masked_text(norm, resolved, meeting_date), resolved, meeting_date)
    proposals: list[Proposal] = []
    for reader in CLAIMING_READERS:
        found, claimed = reader(doc)
        proposals += found
        doc = doc.without(claimed)
    proposals += read_speech(doc)
    proposals.sort(key=lambda p: p.start)
    if not include_low_confidence:
        proposals = [p for p in proposals if p.confidence >= MIN_CONFIDENCE]
    for p in proposals:
        p.start, p.end = origin[p.start], origin[p.end - 1] + 1
        p.excerpt = text[p.start:p.end]
    return ParseResult(resolved, proposals)

"""Field extractors shared by every genre reader: deadlines, targets, lead leader, responsible,
co-responsible and cooperating units, and the small clause helpers they stand on."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .proposals import ProposedTarget
from .vocabulary import (
    ASSIGNMENT_OPENER,
    BARE_RATE,
    CLAUSE_SEP,
    CN_VALUES,
    COMPARATOR_OF,
    COUNT_UNIT,
    DEADLINE,
    DOC_DATE,
    FIGURE,
    GENERIC_UNIT,
    GOAL_WORDS,
    HAN,
    HEADING_MODAL,
    HEADING_VERB,
    HORIZON_BEFORE,
    LABEL,
    LABEL_ROLE,
    LABEL_VALUE,
    LEAD,
    LEAD_BY_NAME,
    LEAD_BY_TITLE,
    LEAD_ROLES,
    LEADER_TITLE,
    LEADING_MOOD,
    LIGHT_VERB,
    METRIC_LEAD_IN,
    METRIC_TAIL,
    METRIC_VERB,
    MIN_ITEM_CHARS,
    MODAL,
    MONTH_LEAD_INS,
    NON_CUMULATIVE_UNITS,
    NOT_A_VALUE_AFTER,
    NOT_A_VALUE_BEFORE,
    NOT_ORG_CHARS,
    NOT_ORG_ENDINGS,
    ORG_CHARS,
    ORG_ETC,
    ORG_LEAD_IN,
    ORG_SEP,
    ORG_SUFFIXES,
    PART_DAY,
    PAST,
    PEOPLE_SEP,
    PLANS_AHEAD_FROM,
    POST_COMPARATOR,
    PREAMBLE_CLAUSE,
    QUARTER_END,
    RATE_METRIC,
    ROLE,
    SIZE_WORD,
    SUBJECT_MAX,
    SUBJECT_OPENING,
    SUBJECT_TAIL,
    TARGET_VERB_END,
    TIME_OF_DAY,
    TITLE_MAX,
    UNIT_ALIASES,
    YEAR_MENTION,
)

# --------------------------------------------------------------------------------------------
# Small helpers.

def cn_int(s: str) -> int:
    """Value of an Arabic numeral, a circled one (① … ⑳) or a small Chinese one (一 … 九十九);
    0 when unreadable."""
    if s.isascii() and s.isdigit():
        return int(s)
    if len(s) == 1 and "①" <= s <= "⑳":
        return ord(s) - ord("①") + 1
    if "十" not in s:
        return CN_VALUES.get(s, 0)
    tens, _, ones = s.partition("十")
    return (CN_VALUES.get(tens, 0) if tens else 1) * 10 + CN_VALUES.get(ones, 0)


def trim(norm: str, start: int, end: int) -> tuple[int, int]:
    while start < end and norm[start].isspace():
        start += 1
    while end > start and norm[end - 1].isspace():
        end -= 1
    return start, end


def clause_spans(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in CLAUSE_SEP.finditer(text):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if pos < len(text):
        yield pos, len(text)


def _clauses(text: str) -> list[str]:
    return [text[s:e].strip() for s, e in clause_spans(text) if text[s:e].strip()]


def cap_title(title: str) -> str:
    title = title.strip()
    # A clause cut at a comma may keep only one half of a pair of quotes.
    if title.startswith("“") and "”" not in title:
        title = title[1:]
    if title.endswith("”") and "“" not in title:
        title = title[:-1]
    # A clause cut at the colon of 抓好…（牵头领导：… keeps an open bracket: drop what it opens.
    opened = title.rfind("（")
    if opened > 0 and "）" not in title[opened:]:
        title = title[:opened]
    return title if len(title) <= TITLE_MAX else title[:TITLE_MAX] + "…"


def _drop_subject(text: str, min_rest: int) -> str:
    """``text`` without a subject-and-modal opening (要…, 区财政局要…, 区财政局负责…), unless
    too little (under ``min_rest`` characters) would be left."""
    m = SUBJECT_OPENING.match(text)
    if m and len(text) - m.end() >= min_rest and (
            len(m["subject"]) <= SUBJECT_MAX or _org_list(m["subject"])):
        rest = text[m.end():]
        if rest.startswith("会同"):  # 区财政局要会同区发改委加强…: the partners name no task
            partners = _leading_orgs(rest[2:])
            joined = len("".join(partners)) + len(partners) - 1
            if partners and len(rest) - 2 - joined >= min_rest:
                return rest[2 + joined:]
        return rest
    return text


def _is_partnership(clause: str) -> bool:
    """会同区交通运输局 / 区住建局会同区城管局: who works with whom, no task."""
    head, together, tail = clause.partition("会同")
    return bool(together) and (not head or bool(_org_list(head))) and bool(_org_list(tail))


def lead_clause(text: str) -> str:
    """The clause that names the task: the first one that is neither a time phrase nor an
    assignment (由X负责), without its subject-and-modal opening."""
    clauses = _clauses(text)
    named = [c for c in clauses if not PREAMBLE_CLAUSE.fullmatch(c) and not is_assignment(c)
             and not _is_partnership(c)]
    clause = (named or clauses or [""])[0]
    return cap_title(_drop_subject(clause, MIN_ITEM_CHARS))


def find_modal(text: str) -> re.Match[str] | None:
    """The first modal verb that opens a clause, after a subject of at most SUBJECT_MAX chars."""
    for cs, ce in clause_spans(text):
        m = MODAL.search(text, cs, ce)
        if m and m.start() - cs <= SUBJECT_MAX:
            return m
    return None


def is_past(text: str, year: int) -> bool:
    """Does ``text`` speak of the past (了, 去年, an earlier year …)?"""
    if PAST.search(text):
        return True
    return any(int(m.group(1)) < year for m in YEAR_MENTION.finditer(text))


def short_heading(text: str) -> str:
    """Short category from a heading: 聚焦项目建设，确保… -> 项目建设; 园区人必须有激情 -> 激情."""
    clause = next(iter(_clauses(text)), "").strip("“”\"")
    clause = LEADING_MOOD.sub("", clause)  # 要全力以赴推进…: an item, not a heading, opens so
    m = HEADING_MODAL.search(clause)
    if m:
        rest = clause[m.end():]
        if len(rest) >= 3 and rest[0] in LIGHT_VERB:
            rest = rest[1:]
        return rest or clause
    # The first verb may follow a short adverbial idiom (大刀阔斧推进…); later ones must lead.
    limit = 5
    while True:
        m = HEADING_VERB.search(clause, 0, limit + 2)
        if not m or m.start() >= limit or len(clause) - m.end() < 2:
            break
        clause = clause[m.end():].lstrip("和与及、")
        limit = 1
    if clause.startswith("在") and clause.endswith("方面"):
        clause = clause[1:-2]
    return clause


# --------------------------------------------------------------------------------------------
# Dates.

def resolve_year(norm: str, year: int | None, meeting_date: date | None,
                 today: date | None = None) -> int:
    if year is not None:
        return year
    if meeting_date is not None:
        return meeting_date.year
    named, planned = [], []
    dated = DOC_DATE.search(norm)
    for m in YEAR_MENTION.finditer(norm):
        y = int(m.group(1))
        named.append(y)
        horizon = m.start() > 0 and norm[m.start() - 1] in HORIZON_BEFORE
        if not horizon and not norm.startswith("前", m.end()):
            planned.append(y)
    if dated:  # a notice of September 2023 that plans 2024年重点项目 still sets 2023's dates
        y = int(dated.group(1))
        return y + 1 if int(dated.group(2)) >= PLANS_AHEAD_FROM and y + 1 in planned else y
    if planned or named:
        return max(planned or named)
    if today is None:
        raise ValueError("the text names no year: pass year, meeting_date or today")
    return today.year


def _relative_deadline(m: re.Match[str], meeting: date) -> date:
    """本月底, 下月底, 本季度: counted from the meeting, not from the deadline year."""
    if m["this_quarter"]:
        return date(meeting.year, *QUARTER_END[(meeting.month - 1) // 3 + 1])
    y, month = meeting.year, meeting.month + (1 if m["this"].startswith("下") else 0)
    if month > 12:
        y, month = y + 1, 1
    return date(y, month, calendar.monthrange(y, month)[1])


def _deadline_of(m: re.Match[str], year: int, meeting: date | None) -> date | None:
    if m["this"] is not None or m["this_quarter"]:
        return _relative_deadline(m, meeting) if meeting and not m["year"] else None
    y = int(m["year"]) if m["year"] else year + (1 if m["rel"] == "明年" else 0)
    try:
        if m["month"]:
            month = cn_int(m["month"])
            if m["day"]:
                return date(y, month, cn_int(m["day"]))
            day = PART_DAY.get(m["part"] or "", calendar.monthrange(y, month)[1])
            return date(y, month, day)
        if m["quarter"]:
            return date(y, *QUARTER_END[cn_int(m["quarter"])])
        if m["half"]:
            return date(y, 6, 30) if m["half"] == "上半年" else date(y, 12, 31)
        if m["yearend"]:
            return date(y, 12, 31)
    except ValueError:  # 2月30日, 13月 …: not a date
        return None
    return None


def find_deadlines(text: str, year: int,
                   meeting: date | None = None) -> Iterator[tuple[int, int, date]]:
    """Every deadline-like date expression of ``text`` with its span; 本月底 needs the date of
    the meeting."""
    for m in DEADLINE.finditer(text):
        if m.start() and text[m.start() - 1] == "每":  # 每季度, 每月底: recurring
            continue
        if m["day"] and text.startswith(TIME_OF_DAY, m.end()):  # 3月22日下午，…召开: held then
            continue
        if m["month"] and not m["month"].isascii() and not m["year"] and not m["rel"]:
            before = text[m.start() - 1] if m.start() else ""
            if re.match(rf"[{HAN}]", before) and before not in MONTH_LEAD_INS:
                continue
        d = _deadline_of(m, year, meeting)
        if d is not None:
            yield m.start(), m.end(), d


def masked_text(norm: str, year: int, meeting: date | None) -> str:
    """``norm`` with dates and years blanked, so that 30日 or 2022年 never read as figures."""
    chars = list(norm)
    spans = [(s, e) for s, e, _ in find_deadlines(norm, year, meeting)]
    spans += [m.span() for m in YEAR_MENTION.finditer(norm)]
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


# --------------------------------------------------------------------------------------------
# Targets.

def _comparator(m: re.Match[str]) -> str:
    pre = COMPARATOR_OF.get(m["cmp"] or "")
    post = POST_COMPARATOR.get(m["post"] or "")
    if pre and pre != "=":
        return pre
    # A bare figure in a task is a quota to reach: 需申报项目5个 means at least five.
    return post or pre or ">="


def _clean_metric(text: str) -> str:
    text = _drop_subject(text.replace(" ", "").lstrip("、，"), 2)
    m = METRIC_LEAD_IN.match(text)
    if m and len(text) - m.end() >= 2:
        text = text[m.end():]
    tail = METRIC_TAIL.search(text)
    if tail and tail.start() >= 2:
        text = text[:tail.start()]
    return text


def _strip_verb(metric: str) -> str:
    m = METRIC_VERB.match(metric)
    return metric[m.end():] if m and len(metric) - m.end() >= 2 else metric


_LIMIT_POSTS = ("内", "以内")


def _target(clause: str, m: re.Match[str], metric_from: int,
            verb: str) -> tuple[ProposedTarget, int] | None:
    """The target of figure ``m`` in ``clause`` and where the next metric may start, or None
    when the figure sets no target. ``verb`` is the verb of the figure before it: 新建三所学校、
    两个卫生院 builds both."""
    before = clause[metric_from:m.start()]
    after = clause[m.end():].replace(" ", "")
    if (_is_no_value(clause, m, after) or _is_size_class(m, before, after)
            or _is_name(m, after)):
        return None
    counted = _counts_what_follows(m, before, after)
    placed = _metric_with_noun(clause, m, _clean_metric(before) or verb, counted, after)
    if placed is None:
        return None
    metric, next_from = placed
    value = _value(m["value"])
    metric = _strip_verb(metric)
    unit = UNIT_ALIASES.get(m["unit"], m["unit"])
    cumulative = unit not in NON_CUMULATIVE_UNITS and not RATE_METRIC.search(metric)
    return ProposedTarget(metric, _comparator(m), value, unit, cumulative), next_from


def _is_no_value(clause: str, m: re.Match[str], after: str) -> bool:
    """Is figure ``m`` part of something else, by the character before or after it?"""
    start = m.start()
    return bool((start and clause[start - 1] in NOT_A_VALUE_BEFORE)
                or (after and after[0] in NOT_A_VALUE_AFTER))


def _is_size_class(m: re.Match[str], before: str, after: str) -> bool:
    """亿元以上项目, 每人联系两个以上企业: a size class or a rate, no total."""
    return bool(m["post"] == "以上" and re.match(rf"[{HAN}]", after) and after[0] != "的"
                and (not COUNT_UNIT.fullmatch(m["unit"]) or "每" in before))


def _is_name(m: re.Match[str], after: str) -> bool:
    """梅兰三期 names a project phase; 新建三所学校 and 不少于三个 count."""
    spelled = not m["value"][0].isdigit() and m["value"][0] not in "*X"
    return bool(spelled and not m["cmp"] and not re.match(rf"[{HAN}“]", after))


def _counts_what_follows(m: re.Match[str], before: str, after: str) -> bool:
    """Does the figure count the noun after it?"""
    if m["post"] == "以上" and re.match(rf"[{HAN}]", after) and after[0] != "的":
        return True  # 推动200家以上企业上云 (a size class is no target at all)
    if before.rstrip().endswith("等") and re.match(rf"[{HAN}“]", after):
        return True  # 人民路、建设路等5条道路: the figure totals the list, the noun follows
    # 对12处易涝积水点进行整治: 对 names what the work is done to
    return bool(before.lstrip().startswith("对") and COUNT_UNIT.fullmatch(m["unit"])
                and re.match(rf"[{HAN}]", after))


def _metric_with_noun(clause: str, m: re.Match[str], metric: str, counted: bool,
                      after: str) -> tuple[str, int] | None:
    """``metric`` completed by the words after figure ``m`` and where the next metric may
    start, or None when the figure sets no target."""
    if after.startswith("的"):  # 达到80%的利用率 -> 土地利用率
        noun = after[1:]
        if not GOAL_WORDS.fullmatch(noun):  # 设立规模5亿元的引导基金 -> 引导基金规模
            size = SIZE_WORD.search(metric)
            metric = noun + size.group() if size else metric + noun
        return metric, m.end()
    if not re.match(rf"[{HAN}“]", after) or (m["post"] in _LIMIT_POSTS and metric):
        return metric, m.end()
    # figure first: 办好100件民生实事; but 开办1个工作日内办结 limits what precedes it
    goal = GOAL_WORDS.search(after)
    if counted and not TARGET_VERB_END.search(metric):
        metric = ""  # 推动200家以上企业…: the verb before the count is no part of the metric
    if goal:
        return metric + after[:goal.start()], m.end()
    if counted or TARGET_VERB_END.search(metric):
        # the noun runs to the next item of a list: 新建三所学校、两个卫生院
        noun = re.split(r"、|进行|(?=[0-9两二三四五六七八九十])", clause[m.end():],
                        maxsplit=1)[0]
        return metric + noun.replace(" ", ""), m.end() + len(noun)
    return None


def _value(figure: str) -> Decimal | None:
    if figure[0] in "*X":
        return None  # masked
    if figure[0].isdigit():
        return Decimal(figure.replace(",", ""))
    return Decimal(2 if figure == "两" else cn_int(figure))


def _targets(masked: str) -> list[ProposedTarget]:
    found: list[ProposedTarget] = []
    for clause in _clauses(masked):
        metric_from, verb = 0, ""
        for m in FIGURE.finditer(clause):
            placed = _target(clause, m, metric_from, verb)
            if not placed:
                continue
            target, next_from = placed
            if found and BARE_RATE.fullmatch(target.metric):  # 投资50亿元，增长10%
                target.metric = found[-1].metric + target.metric
            found.append(target)
            verb_end = TARGET_VERB_END.search(_clean_metric(clause[metric_from:m.start()]))
            verb = verb_end.group() if verb_end else ""
            metric_from = next_from
    return found


# --------------------------------------------------------------------------------------------
# Lead leader, responsible and cooperating units.

def _is_org(piece: str) -> bool:
    return (2 <= len(piece) <= 20 and piece.endswith(ORG_SUFFIXES)
            and not piece.endswith(NOT_ORG_ENDINGS)
            and ORG_CHARS.fullmatch(piece) is not None and not NOT_ORG_CHARS.search(piece))


def _org_list(text: str) -> list[str]:
    """Units named in ``text`` (区发改局、区财政局和区住房和城乡建设局), or [] if not all are."""
    text = ORG_ETC.sub("", ORG_LEAD_IN.sub("", text.strip()))
    orgs: list[str] = []
    for piece in ORG_SEP.split(text):
        parts = piece.split("和")
        if len(parts) > 1 and all(_is_org(p) for p in parts):
            orgs += parts
        elif _is_org(piece):  # 和 inside a name: 住房和城乡建设局
            orgs.append(piece)
        else:
            return []
    return orgs


def _leading_orgs(text: str) -> list[str]:
    """The longest run of units that opens ``text`` (after 会同: 区财政局、区住建局制定…)."""
    for end in range(min(len(text), 60), 1, -1):
        if text[end - 1] in "、和及与":
            continue
        orgs = _org_list(text[:end])
        if orgs:
            return orgs
    return []


def _first_name(names: str) -> str | None:
    """First of 张三、李四; a title before it (区委副书记张三) is dropped."""
    name = LEADER_TITLE.split(re.split(r"[、和]", names)[0])[-1]
    return name if 1 <= len(name) <= 4 else None


@dataclass
class _People:
    lead: str | None = None
    first_units: list[str] = field(default_factory=list)  # 牵头 units lead the list
    units: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # 区财政局要…: responsible if none named


def _label_people(clause: str, people: _People) -> bool:
    labels = list(LABEL.finditer(clause))
    lists = {"first": people.first_units, "unit": people.units, "coop": people.cooperating}
    for i, m in enumerate(labels):
        role = LABEL_ROLE.get(m["label"])  # 完成时限 names a date, read with the others
        end = labels[i + 1].start() if i + 1 < len(labels) else len(clause)
        value = LABEL_VALUE.match(clause, m.end(), end)
        if role is None or value is None:
            continue
        if role == "lead":
            people.lead = people.lead or _first_name(value.group().removesuffix("同志"))
        else:
            lists[role] += [p for p in re.split(r"[、，]", value.group()) if p]
    return bool(labels)


def _clause_people(clause: str, people: _People) -> None:
    if _label_people(clause, people):
        return
    clause = clause.rsplit("：", 1)[-1]  # 会议要求：区发改局负责… -> 区发改局负责…
    lead = LEAD.search(clause)
    if lead:
        people.lead = people.lead or _first_name(re.split("由|请", lead["names"])[-1])
    titled = LEAD_BY_TITLE.search(clause)
    name = titled and titled["name"]
    if titled and (name or titled["by"]) and not (name and _is_org(name)):
        people.lead = people.lead or name or titled["post"]  # 由常务副区长牵头: only the post
    named = LEAD_BY_NAME.search(clause.strip())
    if named:
        people.lead = people.lead or named["name"]
    head, together, tail = clause.partition("会同")
    if together:
        people.units += _org_list(SUBJECT_TAIL.sub("", head))
        people.cooperating += _leading_orgs(tail)
        return
    role = ROLE.search(clause)
    if role:
        orgs = _org_list(SUBJECT_TAIL.sub("", clause[:role.start()]))
        if role["kw"] == "牵头":
            people.first_units += orgs
        elif role["kw"] in LEAD_ROLES:
            people.units += orgs
        else:
            people.cooperating += orgs
        return
    modal = MODAL.search(clause)
    if modal and modal.start():  # 区财政金融服务中心和XX集团要…: the subject is responsible
        people.subjects += _org_list(clause[:modal.start()])


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def people_in(text: str) -> _People:
    people = _People()
    for clause in PEOPLE_SEP.split(text.replace("（", "，").replace("）", "，")):
        _clause_people(clause, people)
    people.units = [u for u in _dedupe(people.first_units + people.units)
                    or _dedupe(people.subjects) if not GENERIC_UNIT.fullmatch(u)]
    people.cooperating = [c for c in _dedupe(people.cooperating) if c not in people.units]
    return people


# --------------------------------------------------------------------------------------------
# Everything a proposal says, gathered from its text.

@dataclass
class Fields:
    lead: str | None
    units: list[str]
    cooperating: list[str]
    deadline: date | None
    targets: list[ProposedTarget]

    @property
    def evidence(self) -> int:
        """How many kinds of concrete task data the text holds (0 … 3)."""
        return (bool(self.targets) + bool(self.lead or self.units or self.cooperating)
                + bool(self.deadline))

    def inherit(self, parent: Fields) -> None:
        """Take the parent item's assignment where this item names none of its own."""
        self.lead = self.lead or parent.lead
        self.units = self.units or parent.units
        self.cooperating = self.cooperating or parent.cooperating
        self.deadline = self.deadline or parent.deadline


@dataclass
class Doc:
    norm: str
    masked: str
    year: int
    meeting: date | None

    def without(self, spans: list[tuple[int, int]]) -> Doc:
        """This document with ``spans`` blanked (line breaks kept), once a reader claimed them:
        offsets stay, and no other reader sees the claimed text."""
        if not spans:
            return self
        norm, masked = list(self.norm), list(self.masked)
        for s, e in spans:
            for i in range(s, e):
                if norm[i] != "\n":
                    norm[i] = masked[i] = " "
        return Doc("".join(norm), "".join(masked), self.year, self.meeting)

    def fields(self, spans: list[tuple[int, int]]) -> Fields:
        # Joined with a full stop so that clauses never run across the gaps.
        norm = "。".join(self.norm[s:e] for s, e in spans)
        masked = "。".join(self.masked[s:e] for s, e in spans)
        people = people_in(norm)
        deadlines = [d for _, _, d in find_deadlines(norm, self.year, self.meeting)]
        return Fields(people.lead, people.units, people.cooperating,
                       max(deadlines, default=None), _targets(masked))


def opens_directive(text: str) -> bool:
    """Does ``text`` start a directive or an assignment of its own?"""
    modal = find_modal(text)
    first = next(clause_spans(text), (0, 0))
    return bool(modal and modal.start() < first[1]) or is_assignment(text)


def is_assignment(text: str) -> bool:
    """Does ``text`` open by saying who does the work (由X负责, X牵头, 牵头单位：X …)?"""
    if ASSIGNMENT_OPENER.match(text):
        return True
    first = next(iter(_clauses(text)), "")
    role = ROLE.search(first)
    return bool(role and role.end() == len(first)
                and (_org_list(first[:role.start()]) or LEAD.search(first)))

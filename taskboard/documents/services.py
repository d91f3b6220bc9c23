"""What the two documents say: a task's 督办通知单 and a month's 督办情况通报.

The documents' own words are Chinese whatever the interface language: they are 公文 handed to
units, not UI. Figures come from the dashboard's and the ranking's functions (one query layer),
never from counts written again here.
"""
from dataclasses import asdict, dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from taskboard.auth.models import OFFICE, User
from taskboard.awards import services as awards
from taskboard.awards.scoring import month_bounds
from taskboard.calendar.workdays import WorkCalendar
from taskboard.dashboard.ledger import ledger_tasks
from taskboard.dashboard.queries import filtered, overview
from taskboard.errors import Conflict, ValidationError
from taskboard.extensions import db
from taskboard.followup import settings as followup_settings
from taskboard.forms import plain
from taskboard.tasks.models import (
    REPORTED_STATUSES,
    Milestone,
    ProgressReport,
    Task,
    TaskStatus,
)
from taskboard.tasks.queries import as_of, assigned_by, task_lights

from .models import Bulletin, BulletinNumber

EXCERPT_CHARS = 100
CN_LEVELS = {1: "一级", 2: "二级", 3: "三级"}
CARD_WORDS = {1: "蓝牌", 2: "黄牌", 3: "红牌"}
LIGHT_WORDS = {"red": "逾期", "yellow": "临期", "green": "正常"}
SIGNS = {">=": "不少于", ">": "超过", "<=": "不超过", "<": "低于", "=": "达到"}


def office_name() -> str:
    return current_app.config["OFFICE_NAME"]


def chinese_date(day: date) -> str:
    """GB/T 9704 writes dates with Arabic numerals and no leading zeros: 2022年6月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_words(month: str) -> str:
    year, number = month.split("-")
    return f"{int(year)}年{int(number)}月"


# ---- 督办通知单 ------------------------------------------------------------------------------

@dataclass
class Notice:
    task: Task
    office: str
    issued_on: date
    targets: list[str]
    requirements: list[str]

    @property
    def cooperating(self) -> list[str]:
        names = [u.name for u in self.task.cooperating_units] + list(
            self.task.cooperating_names or [])
        return [*names, "其他相关部门"] if self.task.other_departments_participate else names

    @property
    def plan_rows(self) -> list[tuple[str, str, str, str]]:
        """The months in two columns (1–6 beside 7–12) so that the 通知单 stays one page.

        A month's report is due within the month itself, so its day says enough."""
        months = [(f"{int(m.period[5:])}月（{m.due_date.day}日前）", m.planned_work or "—")
                  for m in self.task.milestones]
        half = (len(months) + 1) // 2
        return [(*months[i], *(months[i + half] if i + half < len(months) else ("", "")))
                for i in range(half)]

    @property
    def excerpt(self) -> str:
        """The speech's words, cut to keep the 通知单 on one page."""
        text = " ".join(self.task.source_excerpt.split())
        return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "……"


def target_words(task: Task) -> list[str]:
    return [f"{t.metric}{SIGNS[t.comparator]}"
            f"{'**' if t.target_value is None else plain(t.target_value)}{t.measure_unit}"
            for t in task.targets]


def requirements(task: Task, settings: followup_settings.FollowupSettings) -> list[str]:
    """督办要求: the rules the system will apply to this task, in the order a unit meets them."""
    office = office_name()
    lines = [
        f"收到本通知单后{settings.unsigned_workdays}个工作日内在系统中签收，并填写签收回执报送{office}；"
        "对交办内容有异议的，由单位负责人在此期限内提出。",
        "每月最后一个工作日前报送当月进展和各项指标实际完成数（累计指标报累计数），"
        "上传佐证材料；经复核退回的视为未报送。",
    ]
    level_lines = []
    for level, days in ((1, settings.level1_workdays), (2, settings.level2_workdays),
                        (3, settings.level3_workdays)):
        to = "责任单位"
        if level >= settings.lead_from_level:
            to += "、牵头领导"
        if level >= settings.office_from_level:
            to += "、督查室"
        extra = (f"或{settings.level3_overdue_milestones}个节点逾期"
                 if level == 3 else "")
        level_lines.append(f"逾期{days}个工作日{extra}发{CN_LEVELS[level]}督办"
                           f"（{CARD_WORDS[level]}，送{to}）")
    repeat = "，逾期期间每周催办一次" if settings.weekly_repeat else ""
    lines.append(f"到期前{settings.due_soon_workdays}个工作日临期提醒；"
                 + "；".join(level_lines) + f"{repeat}。")
    lines.append(f"办理时限为{chinese_date(task.due_date)}，确需延期或已完成的，由单位负责人在系统中"
                 "申请延期或办结，经督查室同意后生效。按时办理情况纳入每月“红旗”“蜗牛奖”评比并通报。")
    return lines


def notices(tasks: list[Task], issued_on: date) -> list[Notice]:
    settings = followup_settings.load()
    office = office_name()
    return [Notice(task, office, issued_on, target_words(task), requirements(task, settings))
            for task in tasks]


def tasks_for_notices(task_ids: list[int]) -> list[Task]:
    """The tasks asked for (not deleted), in their code order; ValidationError when none."""
    tasks = ledger_tasks(select(Task).where(Task.id.in_(task_ids), Task.deleted_at.is_(None)))
    if not tasks:
        raise ValidationError({"task": _("请至少选择一项督办事项。")})
    return tasks


# ---- 督办情况通报 ----------------------------------------------------------------------------

@dataclass
class MonthFigures:
    """总体情况 of a month, as of its last day."""

    tasks: int = 0
    done: int = 0
    in_progress: int = 0
    overdue_tasks: int = 0
    due: int = 0            # milestones due (the ranking's basis: per accountable unit)
    on_time: int = 0
    late: int = 0
    overdue: int = 0        # milestones not reported by the month's end

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def _whole_office() -> User:
    # The 通报 covers every task whatever its author may see: drawn as the office sees it.
    return User(role=OFFICE, username="", display_name="")


def month_figures(month: str) -> MonthFigures:
    """The dashboard's counts as of the month's last day and the ranking's milestone tallies."""
    _first, last = month_bounds(month)
    board = overview(_whole_office(), {}, as_of(last))
    figures = MonthFigures(
        tasks=board.total, done=board.by_status.get(TaskStatus.DONE, 0),
        in_progress=sum(board.by_status.get(s, 0) for s in TaskStatus.LIVE),
        overdue_tasks=board.by_light.get("red", 0))
    for tally in awards.tallies_of(month):
        figures.due += tally.due
        figures.on_time += tally.on_time
        figures.late += tally.late
        figures.overdue += tally.overdue
    return figures


def previous(month: str) -> str:
    first, _last = month_bounds(month)
    return awards.previous_month(first)


@dataclass
class BulletinDraft:
    """A 通报 before (or as) it is issued. The texts are the office's to edit."""

    month: str
    issued_on: date
    office: str
    figures: dict
    previous_figures: dict
    ranking_published: bool
    red_flags: list[dict]
    snails: list[dict]
    ledger: list[list[str]]
    title: str = ""
    overall: str = ""
    awards: str = ""
    flagged: str = ""
    next_steps: str = ""
    number: int | None = None
    TEXTS = ("title", "overall", "awards", "flagged", "next_steps")

    def to_content(self) -> dict:
        content = asdict(self)
        content["issued_on"] = self.issued_on.isoformat()
        return content

    @classmethod
    def from_content(cls, content: dict) -> "BulletinDraft":
        return cls(**{**content, "issued_on": date.fromisoformat(content["issued_on"])})

    def edited(self, texts: dict[str, str]) -> "BulletinDraft":
        """The draft with the office's texts; an emptied section is refused."""
        errors = {name: _("这一部分不能为空。") for name in self.TEXTS
                  if name in texts and not texts[name].strip()}
        if errors:
            raise ValidationError(errors)
        for name in self.TEXTS:
            if name in texts:
                setattr(self, name, texts[name].strip().replace("\r\n", "\n"))
        return self

    @property
    def month_label(self) -> str:
        return month_words(self.month)

    @property
    def number_label(self) -> str:
        """期号 第N期 of the issue year; a draft has none yet."""
        if self.number is None:
            return f"{self.issued_on.year}年第　期（草稿）"
        return f"{self.issued_on.year}年第{self.number}期"

    def paragraphs(self, name: str) -> list[str]:
        return [line.strip() for line in getattr(self, name).split("\n") if line.strip()]


COPY_TO = "抄送：区委、区人大、区政府、区政协领导。"
SECTIONS = (("一、总体情况", "overall"), ("二、红旗单位和蜗牛奖", "awards"),
            ("三、挂牌督办和红牌事项", "flagged"), ("四、下步工作要求", "next_steps"))
LEDGER_HEADER = ["序号", "编号", "督办事项", "责任单位", "牵头领导", "本月计划", "报送情况", "状态"]


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _compare(now: int | float | None, before: int | float | None, unit: str = "") -> str:
    if now is None or before is None:
        return "上月无可比数据"
    if now == before:
        return "与上月持平"
    change = now - before
    if isinstance(change, float):
        return f"比上月{'提高' if change > 0 else '下降'}{abs(change) * 100:.1f}个百分点"
    return f"比上月{'增加' if change > 0 else '减少'}{abs(change)}{unit}"


def _overall_text(month: str, now: MonthFigures, before: MonthFigures) -> str:
    _first, last = month_bounds(month)
    lines = [
        f"截至{chinese_date(last)}，纳入督办的事项共{now.tasks}项"
        f"（{_compare(now.tasks, before.tasks, '项')}），"
        f"其中已办结{now.done}项（{_compare(now.done, before.done, '项')}），"
        f"正在办理{now.in_progress}项（{_compare(now.in_progress, before.in_progress, '项')}）。",
    ]
    if now.overdue_tasks:
        lines.append(f"亮红灯（节点逾期未报送或进度严重滞后）的事项{now.overdue_tasks}项"
                     f"（{_compare(now.overdue_tasks, before.overdue_tasks, '项')}）。")
    else:
        lines.append(f"截至月底，无逾期事项（{_compare(0, before.overdue_tasks, '项')}）。")
    if now.due:
        lines.append(
            f"本月各责任单位应报送月度节点{now.due}个，按时报送并通过复核{now.on_time}个，"
            f"迟报{now.late}个，逾期未报送{now.overdue}个，按时办理率{_percent(now.on_time_rate)}"
            f"（{_compare(now.on_time_rate, before.on_time_rate)}）。")
    else:
        lines.append("本月没有到期的月度节点。")
    return "\n".join(lines)


def _score_rows(scores) -> list[dict]:
    return [{"unit": s.unit.name, "due": s.due, "on_time": s.on_time, "late": s.late,
             "overdue": s.overdue, "rate": float(s.on_time_rate), "score": plain(s.score)}
            for s in scores]


def _awards_text(month: str, published: bool, red_flags: list[dict],
                 snails: list[dict]) -> str:
    if not published:
        return f"{month_words(month)}按时办理排名尚未发布，红旗单位和蜗牛奖待排名发布后另行通报。"

    def describe(rows: list[dict]) -> str:
        return "、".join(f"{r['unit']}（应报{r['due']}个，按时{r['on_time']}个，按时率"
                        f"{_percent(r['rate'])}，得分{r['score']}）" for r in rows)

    lines = [f"获得“红旗”的单位：{describe(red_flags)}。" if red_flags
             else "本月没有单位获得“红旗”。",
             f"获得“蜗牛奖”的单位：{describe(snails)}。请获奖单位认真查找原因，限期整改。"
             if snails else "本月没有单位获得“蜗牛奖”。"]
    return "\n".join(lines)


def _flagged_text(month: str, calendar: WorkCalendar) -> str:
    """One paragraph per 挂牌督办 or 红牌 task: unit, lead, how late, what was last reported."""
    _first, last = month_bounds(month)
    board = overview(_whole_office(), {}, as_of(last))
    tasks = [task for task, _light in board.flagged]
    if not tasks:
        return "本月没有挂牌督办和红牌事项。"
    ids = [t.id for t in tasks]
    latest: dict[int, ProgressReport] = {}
    for task_id, report in db.session.execute(
            select(Milestone.task_id, ProgressReport)
            .join(ProgressReport, ProgressReport.milestone_id == Milestone.id)
            .where(Milestone.task_id.in_(ids),
                   ProgressReport.review_status.in_(REPORTED_STATUSES),
                   ProgressReport.submitted_on <= last)
            .order_by(ProgressReport.submitted_at)):
        latest[task_id] = report  # ordered: the last one wins
    late_by_task: dict[int, list[Milestone]] = {}
    for milestone in db.session.scalars(
            select(Milestone).where(Milestone.task_id.in_(ids), Milestone.due_date <= last,
                                    or_(Milestone.reported_on.is_(None),
                                        Milestone.reported_on > last))
            .order_by(Milestone.due_date)):
        late_by_task.setdefault(milestone.task_id, []).append(milestone)
    paragraphs = []
    for task in tasks:
        kinds = [word for flag, word in ((task.level == "listed", "挂牌督办"),
                                         (task.card == "red", "红牌")) if flag]
        late = late_by_task.get(task.id, [])
        if late:
            first_late = late[0]
            lateness = (f"{len(late)}个月度节点逾期未报送，最早的{first_late.period}节点"
                        f"已逾期{calendar.workdays_between(first_late.due_date, last)}个工作日")
        else:
            lateness = "月度节点均已报送"
        report = latest.get(task.id)
        reported = (f"最近一次报送（{chinese_date(report.submitted_on)}）：{report.text.strip()}"
                    if report else "截至月底未报送进展")
        paragraphs.append(
            f"【{'·'.join(kinds)}】{task.code}“{task.title}”（牵头领导：{task.lead_name or '—'}；"
            f"责任单位：{task.responsible_unit.name}）：{lateness}。{reported}")
    return "\n".join(paragraphs)


def _next_steps_text(month: str, issued_on: date, calendar: WorkCalendar) -> str:
    """下步工作要求, drafted from who is overdue; the office rewrites it as it sees fit."""
    late_units = sorted((t for t in awards.tallies_of(month) if t.overdue),
                        key=lambda t: (-t.overdue, t.unit_name))
    settings = followup_settings.load()
    deadline = calendar.add_workdays(issued_on, settings.level2_workdays)
    lines = []
    if late_units:
        names = "、".join(f"{t.unit_name}（{t.overdue}个）" for t in late_units)
        lines.append(f"（一）抓紧补报逾期节点。请{names}于{chinese_date(deadline)}前补报逾期未报送的"
                     "月度进展，说明滞后原因，提出整改措施和完成时限。")
    else:
        lines.append("（一）本月无逾期未报送的月度节点，请各单位保持按月报送，确保节点不脱档。")
    lines.append("（二）盯紧挂牌督办和红牌事项。牵头领导要亲自过问，责任单位主要负责同志要亲自研究，"
                 "确保按期销号。")
    lines.append(f"（三）对照月度计划抓落实。下月节点请于各月最后一个工作日前报送，逾期的将按照"
                 f"{CN_LEVELS[1]}至{CN_LEVELS[3]}督办程序逐级催办，并纳入“红旗”“蜗牛奖”评比。")
    return "\n".join(lines)


MONTH_STATES = {"on_time": "按时报送", "late": "迟报", "pending": "待审核", "missing": "未报送"}


def _month_state(milestone: Milestone, last: date) -> str:
    """The month's cell as of its last day, in the ledger's words."""
    reported = milestone.reported_on is not None and milestone.reported_on <= last
    if reported and milestone.status == "done":
        return MONTH_STATES["on_time" if milestone.reported_on <= milestone.due_date else "late"]
    # Due within the month: by its last day, a month not reported is a month missed.
    return MONTH_STATES["pending" if reported else "missing"]


def _ledger_rows(month: str) -> list[list[str]]:
    """附件 台账: every task with a milestone in the month, as of the month's last day."""
    _first, last = month_bounds(month)
    tasks = ledger_tasks(filtered(_whole_office(), {}, as_of(last)).where(assigned_by(last)),
                         milestones=False)
    task_ids = [t.id for t in tasks]
    lights = task_lights(task_ids, as_of(last))
    # Only the month's milestone of each task: all twelve would be most of the loading time.
    of_month = {m.task_id: m for m in db.session.scalars(
        select(Milestone).where(Milestone.task_id.in_(task_ids), Milestone.period == month))}
    rows = []
    for task in tasks:
        milestone = of_month.get(task.id)
        if milestone is None:
            continue
        units = "、".join([task.responsible_unit.name,
                          *(u.name for u in task.co_responsible_units)])
        rows.append([str(len(rows) + 1), task.code, task.title, units, task.lead_name or "—",
                     milestone.planned_work or "—", _month_state(milestone, last),
                     LIGHT_WORDS.get(lights.get(task.id), "已办结" if task.status == TaskStatus.DONE
                                     else "—")])
    return rows


def draft_bulletin(month: str, issued_on: date) -> BulletinDraft:
    """A 通报 for ``month`` as the system would write it; no number is taken."""
    month_bounds(month)
    calendar = WorkCalendar.load()
    now, before = month_figures(month), month_figures(previous(month))
    award = awards.find(month)
    published = award is not None and award.is_published
    red_flags = _score_rows(award.red_flags) if published else []
    snails = _score_rows(award.snails) if published else []
    return BulletinDraft(
        month=month, issued_on=issued_on, office=office_name(), figures=asdict(now),
        previous_figures=asdict(before), ranking_published=published, red_flags=red_flags,
        snails=snails, ledger=_ledger_rows(month),
        title=f"关于{month_words(month)}督办事项落实情况的通报",
        overall=_overall_text(month, now, before),
        awards=_awards_text(month, published, red_flags, snails),
        flagged=_flagged_text(month, calendar),
        next_steps=_next_steps_text(month, issued_on, calendar))


def find_issued(month: str) -> Bulletin | None:
    return db.session.scalar(select(Bulletin).where(Bulletin.month == month))


def issued_bulletins() -> list[Bulletin]:
    return list(db.session.scalars(select(Bulletin).order_by(Bulletin.year.desc(),
                                                             Bulletin.number.desc())))


def _take_number(year: int) -> int:
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    upsert = insert(BulletinNumber).values(year=year, last_number=1)
    upsert = upsert.on_conflict_do_update(
        index_elements=[BulletinNumber.year],
        set_={"last_number": BulletinNumber.last_number + 1},
    ).returning(BulletinNumber.last_number)
    return db.session.execute(upsert).scalar_one()


def issue(draft: BulletinDraft, user: User | None, render) -> Bulletin:
    """Take the next 期号 of the issue date's year and freeze the draft with it.

    ``render`` makes the .docx of the numbered draft, stored as handed out. The caller commits,
    or rolls back on Conflict (the number taken goes back with it).
    """
    if find_issued(draft.month) is not None:
        raise Conflict(_("%(month)s 的通报已经印发。", month=draft.month))
    year = draft.issued_on.year
    draft.number = _take_number(year)
    bulletin = Bulletin(month=draft.month, year=year, number=draft.number,
                        issued_on=draft.issued_on, issued_by=user, content=draft.to_content(),
                        docx=render(draft))
    db.session.add(bulletin)
    try:
        db.session.flush()
    except IntegrityError:
        # Another office issued the same month while this one waited for the number.
        raise Conflict(_("%(month)s 的通报已经印发。", month=draft.month)) from None
    return bulletin

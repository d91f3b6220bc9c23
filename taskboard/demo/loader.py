"""Demo data: the 2022 务虚会 speech (speech.txt) moved into any year, or a large synthetic set.

Everything is looked up before it is made, so loading twice duplicates nothing.
"""
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from taskboard.auth.models import (
    ADMIN,
    LEADER,
    OFFICE,
    REPORTER,
    UNIT_HEAD,
    User,
    hash_password,
)
from taskboard.auth.services import create_user
from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import utcnow
from taskboard.extensions import commit, db
from taskboard.meetings.models import Meeting
from taskboard.tasks import audit, derived, workflow
from taskboard.tasks.milestones import month_slots, planned_values
from taskboard.tasks.models import (
    Comment,
    Milestone,
    PlannedValue,
    ProgressReport,
    ReportValue,
    Target,
    Task,
    TaskStatus,
    TaskUnit,
)
from taskboard.tasks.services import TargetData, TaskData, create_task, next_code
from taskboard.tasks.workflow import behind_points, points_behind
from taskboard.units.models import Unit

SPEECH = Path(__file__).with_name("speech.txt")
SPEECH_YEAR = 2022

# code, name as the speech names it, short name, kind
UNITS = [
    ("dzb", "区党政办（督查室）", "党政办", "department"),
    ("zbq", "综合保税区管理办公室", "综保办", "platform"),
    ("qyfw", "区企业服务中心", "企服中心", "platform"),
    ("czjr", "区财政金融服务中心", "财金中心", "platform"),
    ("jt", "XX集团", "XX集团", "company"),
    ("rlzy", "区人力资源服务中心", "人力中心", "platform"),
    ("qcc", "汽车城公司", "汽车城", "company"),
    ("cjj", "区城建局", "城建局", "department"),
    ("zsj", "区招商局", "招商局", "department"),
    ("jfj", "区经济发展局", "经发局", "department"),
]

# How reliably each unit reports: (on time, late, returned, pending, missing) weights.
# Some units are slow on purpose, so that the 蜗牛奖 and the red lights have someone to show.
PROFILES = {
    "cjj": (40, 25, 10, 5, 20),
    "zbq": (55, 20, 10, 5, 10),
    "jt": (60, 15, 10, 5, 10),
}
DEFAULT_PROFILE = (85, 7, 4, 2, 2)


@dataclass
class DemoTask:
    title: str
    category: str
    phrase: str  # a phrase of the speech; the excerpt is its paragraph
    unit: str
    lead: str = "leader"  # a username, or a spoken name without an account
    co_responsible: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    others: bool = False
    targets: list[tuple[str, str, str | None, str, bool]] = field(default_factory=list)
    due: tuple[int, int] = (12, 31)
    level: str = "normal"
    signed: bool = True  # an unsigned task shows the 签收 and 异议 screens
    # Percent of the plan reached each month, reported on time: a steady gap behind plan
    # gives the yellow (10–30 points behind) light on any day of the year's middle.
    pace: int | None = None


TASKS = [
    DemoTask("确保财政收入和税收占比目标", "总体目标", "公共财政预算收入增幅不低于20%", "czjr",
             targets=[("公共财政预算收入增幅", ">=", "20", "%", False),
                      ("税收占比", ">=", "87", "%", False)], level="key"),
    DemoTask("固定资产投资和规上工业产值增幅", "总体目标", "固定资产投资增幅不低于25%", "jfj",
             targets=[("固定资产投资增幅", ">=", "25", "%", False),
                      ("规上工业产值增幅", ">=", "25", "%", False)], level="key"),
    DemoTask("实际利用外资不低于1.5亿美元", "总体目标", "实际利用外资不低于1.5亿美元", "zsj",
             targets=[("实际利用外资", ">=", "1.5", "亿美元", True)], pace=70),
    DemoTask("新签约亿元以上产业项目不少于60个", "总体目标", "新签约亿元以上产业项目不少于60个",
             "zsj", cooperating=["qyfw"],
             targets=[("新签约亿元以上产业项目", ">=", "60", "个", True)], level="listed"),
    DemoTask("新开工亿元以上产业项目不少于40个", "总体目标", "新开工亿元以上产业项目不少于40个",
             "jfj", co_responsible=["cjj"],
             targets=[("新开工亿元以上产业项目", ">=", "40", "个", True)], level="key",
             pace=60),
    DemoTask("竣工亿元以上产业项目不少于30个", "总体目标", "竣工亿元以上产业项目不少于30个", "jfj",
             targets=[("竣工亿元以上产业项目", ">=", "30", "个", True),
                      ("竣工项目投产率", ">=", "80", "%", False)]),
    DemoTask("开展效能监察，评定“蜗牛奖”", "激情", "评定我区“蜗牛奖”", "dzb"),
    DemoTask("综保区封关运作和土地利用", "责任", "一看综保区建设成效", "zbq",
             targets=[("封关运作面积", ">=", "1.76", "平方公里", True),
                      ("土地利用率", ">=", "80", "%", False)], due=(9, 30), level="key"),
    DemoTask("2.5产业园一期建设和企业入驻", "责任", "二看服务业发展成效", "qcc",
             cooperating=["zsj"],
             targets=[("2.5产业园一期建设面积", ">=", "8", "万平方米", True),
                      ("生产性服务业企业入驻", ">=", "40", "家", True)]),
    DemoTask("安置房分配和不动产登记", "责任", "三看城建工作成效", "cjj", due=(6, 30)),
    DemoTask("做好人力资源服务", "担当", "一要做好人力资源服务", "rlzy", cooperating=["qyfw"]),
    DemoTask("切实化解融资难题", "担当", "二要切实化解融资难题", "czjr", co_responsible=["jt"]),
    DemoTask("重点保障土地供给", "担当", "三要重点保障土地供给", "cjj",
             targets=[("“两证”遗留问题化解企业", ">=", "31", "家", True)], level="key"),
    DemoTask("推进XX集团转型创新", "创新", "一是推进XX集团转型创新", "jt", cooperating=["qcc"],
             targets=[("营业收入和利润增长", ">", "50", "%", False)]),
    DemoTask("推进干部人事制度改革", "创新", "二要推进干部人事制度改革", "zbq", signed=False),
    DemoTask("推进科技成果转化申报", "创新", "三是推进科技成果转化申报", "qyfw", lead="**",
             targets=[("申报科技成果转化项目", ">=", "5", "个", True)]),
    DemoTask("推进离岸孵化相关工作", "创新", "四是推进离岸孵化相关工作", "qyfw", lead="panaimin",
             others=True,
             targets=[("离岸孵化基地", ">=", "5", "个", True),
                      ("离岸孵化项目", ">=", "15", "个", True),
                      ("落地项目", ">=", "15", "个", True)], level="key"),
]

# title: (kind, username, reason, requested due date as (month, day) or None, from (month, day))
REQUESTS = {
    "推进干部人事制度改革": ("objection", "zbq_head",
                       "干部人事制度改革宜由组织人事部门牵头，本办配合推进。", None, (1, 6)),
    "安置房分配和不动产登记": ("extension", "cjj_head",
                        "回迁户数据核对量大，申请延至三季度末完成登记。", (9, 30), (5, 20)),
    "切实化解融资难题": ("completion", "czjr_head",
                   "产业基金已设立并投入运营，融资成本较上年下降，申请办结。", None, (11, 2)),
}

INSTRUCTIONS = {
    "新签约亿元以上产业项目不少于60个": "招商是生命线，请招商局每月底前报送签约清单。",
    "推进离岸孵化相关工作": "请企业服务中心尽快出台配套政策，三月底前报方案。",
}


def speech_text(year: int) -> str:
    return SPEECH.read_text(encoding="utf-8").replace(str(SPEECH_YEAR), str(year))


def _excerpt(text: str, phrase: str) -> str:
    at = text.find(phrase)
    if at < 0:
        return ""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start:end if end >= 0 else len(text)].strip()


def _get_or_create_user(username: str, role: str, password: str, **values: Any) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = create_user(username=username, role=role, password=password,
                           email=f"{username}@example.org", **values)
    return user


def load_demo(*, year: int, password: str, today: date) -> list[tuple[str, str, str | None]]:
    """Load the demo and return its accounts as (username, role, unit name)."""
    units = {}
    for code, name, short_name, kind in UNITS:
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        if unit is None:
            unit = Unit(code=code, name=name, short_name=short_name, kind=kind)
            db.session.add(unit)
        units[code] = unit
    db.session.flush()

    accounts = [
        _get_or_create_user("admin", ADMIN, password, display_name="系统管理员"),
        _get_or_create_user("office", OFFICE, password, display_name="督查室",
                            unit=units["dzb"]),
        _get_or_create_user("leader", LEADER, password, display_name="主要领导"),
        _get_or_create_user("panaimin", LEADER, password, display_name="潘爱民"),
    ]
    for code, _name, short_name, _kind in UNITS:
        accounts.append(_get_or_create_user(f"{code}_head", UNIT_HEAD, password,
                                            display_name=f"{short_name}负责人", unit=units[code]))
        accounts.append(_get_or_create_user(f"{code}_reporter", REPORTER, password,
                                            display_name=f"{short_name}填报员",
                                            unit=units[code]))
    users = {user.username: user for user in accounts}

    with audit.acting_as(users["office"].id):
        _load_tasks(year, users, units, today)
    commit()
    return [(u.username, u.role, u.unit.name if u.unit else None) for u in accounts]


def _load_tasks(year: int, users: dict[str, User], units: dict[str, Unit], today: date) -> None:
    text = speech_text(year)
    title = f"{year}年经济开发区务虚会讲话"
    meeting = db.session.scalar(select(Meeting).where(Meeting.title == title))
    if meeting is None:
        meeting = Meeting(title=title, meeting_date=date(year - 1, 12, 28), kind="speech",
                          full_text=text, created_by_id=users["office"].id)
        db.session.add(meeting)
        db.session.flush()
    calendar = WorkCalendar.load()
    rng = random.Random(year)
    for spec in TASKS:
        exists = db.session.scalar(
            select(Task.id).where(Task.title == spec.title, Task.code_year == year)
        )
        if exists:
            continue
        lead = users.get(spec.lead)
        data = TaskData(
            title=spec.title, category=spec.category, meeting_id=meeting.id,
            description=_excerpt(text, spec.phrase), source_excerpt=_excerpt(text, spec.phrase),
            responsible_unit_id=units[spec.unit].id,
            co_responsible_unit_ids=[units[c].id for c in spec.co_responsible],
            cooperating_unit_ids=[units[c].id for c in spec.cooperating],
            other_departments_participate=spec.others,
            lead_leader_id=lead.id if lead else None,
            lead_leader_name="" if lead else spec.lead,
            start_date=date(year, 1, 1), due_date=date(year, *spec.due), level=spec.level,
            targets=[TargetData(metric=m, comparator=c, value=Decimal(v) if v else None,
                                measure_unit=u, cumulative=cum)
                     for m, c, v, u, cum in spec.targets],
        )
        task = create_task(data, today=today, calendar=calendar)
        task.assigned_on = data.start_date
        if spec.signed and today > data.start_date:
            # Signed a few days after the speech, at 09:30 Beijing time.
            task.acknowledged_at = datetime(year, 1, 5, 1, 30)
            task.acknowledged_by = users[f"{spec.unit}_head"]
            workflow.transition(task, TaskStatus.IN_PROGRESS)
            _report_history(task, users, spec.unit, today, calendar, rng, spec.pace)
        if spec.title in REQUESTS:
            _request(task, users, today, *REQUESTS[spec.title])
        if spec.title in INSTRUCTIONS and today >= date(year, 1, 10):
            db.session.add(Comment(task=task, author=users["leader"], is_instruction=True,
                                   text=INSTRUCTIONS[spec.title]))


def _report_history(task: Task, users: dict[str, User], unit_code: str, today: date,
                    calendar: WorkCalendar, rng: random.Random, pace: int | None) -> None:
    """Reports on the milestones due before ``today``: on time, late, returned, pending, missing."""
    reporter, office = users[f"{unit_code}_reporter"], users["office"]
    weights = PROFILES.get(unit_code, DEFAULT_PROFILE)
    for milestone in task.milestones:
        if milestone.due_date >= today:
            break
        outcome = "on_time" if pace else rng.choices(
            ("on_time", "late", "returned", "pending", "missing"), weights)[0]
        if outcome == "missing":
            continue
        if outcome == "late":
            submitted = calendar.add_workdays(milestone.due_date, rng.randint(1, 8))
        else:
            submitted = milestone.due_date - timedelta(days=rng.randint(0, 3))
        submitted = min(submitted, today)
        report = ProgressReport(
            milestone=milestone, author=reporter, submitted_on=submitted,
            late_workdays=calendar.workdays_between(milestone.due_date, submitted),
            text=f"{milestone.period}：按计划推进，{task.title}各项工作有序开展。",
            review_status="pending" if outcome == "pending" else
            ("returned" if outcome == "returned" else "accepted"),
        )
        if report.review_status != "pending":
            report.reviewer = office
            report.reviewed_at = utcnow()
            if report.review_status == "returned":
                report.review_comment = "进展描述过于笼统，请补充具体项目名称和数据。"
        values = {}
        for target in task.targets:
            planned = milestone.planned_value_for(target.id)
            if planned is not None:
                # Slow units also fall behind plan, so that value-based lights show too.
                low = 55 if unit_code in PROFILES else 85
                share = pace or rng.randint(low, 110)
                actual = planned * share / 100
                # A unit counts whole projects (个, 家 …): 0.93 个 is no figure a clerk types.
                values[target.id] = (actual.quantize(Decimal(1), rounding=ROUND_DOWN)
                                     if target.is_count else actual.quantize(Decimal("0.01")))
        report.values = [ReportValue(target_id=tid, actual_value=v) for tid, v in values.items()]
        report.behind_points = behind_points(milestone, values)
        if report.review_status == "accepted":
            milestone.status = "done"
        db.session.add(report)
    db.session.flush()


def _request(task: Task, users: dict[str, User], today: date, kind: str, username: str,
             reason: str, due: tuple[int, int] | None, since: tuple[int, int]) -> None:
    year = task.start_date.year
    if today < date(year, *since):
        return
    user = users[username]
    if kind == "objection":
        workflow.object_to(task, user, reason)
    elif kind == "extension":
        workflow.request_extension(task, user, due_date=date(year, *due), reason=reason)
    elif task.status == TaskStatus.IN_PROGRESS:
        workflow.request_completion(task, user, summary=reason)


def load_synthetic(*, year: int, unit_count: int, task_count: int, password: str,
                   today: date) -> dict[str, int]:
    """A large data set for benchmarks, written with set-based inserts.

    Bulk inserts bypass the audit hook on purpose: this is seed data, not a change anyone made.
    """
    rng = random.Random(f"{year}-{unit_count}-{task_count}")
    calendar = WorkCalendar.load()
    password_hash = hash_password(password)
    unit_ids = _synthetic_units(unit_count, password_hash)
    leader_ids = _synthetic_leaders(password_hash)
    reporter_of = dict(db.session.execute(
        select(User.unit_id, func.min(User.id)).where(User.role == REPORTER,
                                                      User.unit_id.in_(unit_ids))
        .group_by(User.unit_id)
    ).all())
    office_id = db.session.scalar(select(func.min(User.id)).where(User.role == OFFICE))
    existing = db.session.scalar(
        select(func.count(Task.id)).where(Task.code_year == year, Task.title.like("合成事项%"))
    )
    slots = month_slots(date(year, 1, 1), date(year, 12, 31), calendar)
    made = {"tasks": 0, "milestones": 0, "reports": 0}
    first_number, _code = next_code(year)
    synthetic = _Synthetic(year, unit_ids, leader_ids, reporter_of, office_id, slots, today, rng,
                           calendar)
    batch = 500
    for offset in range(existing, task_count, batch):
        numbers = range(offset, min(offset + batch, task_count))
        made_now = synthetic.batch(numbers, first_number + offset - existing)
        for key, value in made_now.items():
            made[key] += value
    commit()
    return {"units": len(unit_ids), **made}


def _synthetic_units(count: int, password_hash: str) -> list[int]:
    ids = []
    for index in range(1, count + 1):
        code = f"u{index:03d}"
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == code))
        if unit_id is None:
            unit_id = db.session.scalar(insert(Unit).returning(Unit.id).values(
                code=code, name=f"合成单位{index:03d}", short_name=f"单位{index:03d}",
                kind="department", active=True))
            db.session.execute(insert(User), [
                {"username": f"{code}_{role}", "display_name": f"单位{index:03d}{label}",
                 "email": f"{code}_{role}@example.org", "unit_id": unit_id, "role": role_code,
                 "password_hash": password_hash, "active": True, "created_at": utcnow()}
                for role, role_code, label in (("head", UNIT_HEAD, "负责人"),
                                               ("reporter", REPORTER, "填报员"))
            ])
        ids.append(unit_id)
    return ids


def _synthetic_leaders(password_hash: str) -> list[int]:
    ids = []
    for index in range(1, 11):
        username = f"leader{index:02d}"
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        if user_id is None:
            user_id = db.session.scalar(insert(User).returning(User.id).values(
                username=username, display_name=f"领导{index:02d}",
                email=f"{username}@example.org", role=LEADER, password_hash=password_hash,
                active=True, created_at=utcnow()))
        ids.append(user_id)
    return ids


CATEGORIES = ("项目建设", "招商引资", "城市建设", "改革创新", "民生保障")


@dataclass
class _Synthetic:
    year: int
    unit_ids: list[int]
    leader_ids: list[int]
    reporter_of: dict[int, int]
    office_id: int | None
    slots: list
    today: date
    rng: random.Random
    calendar: WorkCalendar

    def batch(self, numbers: range, first_number: int) -> dict[str, int]:
        """Insert tasks ``numbers`` with their targets, milestones and reports."""
        now = utcnow()
        task_ids, task_rows = self._insert_tasks(numbers, first_number, now)
        targets_of = self._insert_units_and_targets(task_ids, task_rows)
        milestone_ids, milestone_rows, submitted_on = self._insert_milestones(task_ids)
        responsible = {task_id: row["responsible_unit_id"]
                       for task_id, row in zip(task_ids, task_rows, strict=True)}
        reports = self._insert_reports(milestone_ids, milestone_rows, submitted_on, targets_of,
                                       responsible, now)
        derived.recompute(task_ids)
        return {"tasks": len(task_ids), "milestones": len(milestone_ids), "reports": reports}

    def _insert_tasks(self, numbers: range, first_number: int,
                      now: datetime) -> tuple[list[int], list[dict]]:
        year, unit_ids, rng = self.year, self.unit_ids, self.rng
        task_rows = []
        for position, index in enumerate(numbers):
            number = first_number + position
            task_rows.append({
                "code": f"DB-{year}-{number:03d}", "code_year": year, "code_number": number,
                "title": f"合成事项{index + 1:05d}", "description": "", "source_excerpt": "",
                "category": rng.choice(CATEGORIES),
                "lead_leader_id": rng.choice(self.leader_ids), "lead_leader_name": "",
                "responsible_unit_id": unit_ids[index % len(unit_ids)],
                "other_departments_participate": rng.random() < 0.2, "responsible_person": "",
                "start_date": date(year, 1, 1), "due_date": date(year, 12, 31),
                "level": rng.choice(("normal", "normal", "key", "listed")), "card": "none",
                "status": TaskStatus.IN_PROGRESS, "created_at": now, "updated_at": now,
                "assigned_on": date(year, 1, 1), "acknowledged_at": now,
            })
        task_ids = db.session.scalars(
            insert(Task).returning(Task.id, sort_by_parameter_order=True), task_rows
        ).all()
        return list(task_ids), task_rows

    def _insert_units_and_targets(self, task_ids: list[int], task_rows: list[dict]
                                  ) -> dict[int, list[tuple[int, Target]]]:
        """Shared units and one or two targets per task; the targets by task id."""
        rng, unit_ids = self.rng, self.unit_ids
        shared, target_rows = [], []
        for task_id, row in zip(task_ids, task_rows, strict=True):
            others = [u for u in rng.sample(unit_ids, min(3, len(unit_ids)))
                      if u != row["responsible_unit_id"]]
            if others and rng.random() < 0.3:
                shared.append({"task_id": task_id, "unit_id": others[0], "role": "co_responsible"})
            if len(others) > 1 and rng.random() < 0.5:
                shared.append({"task_id": task_id, "unit_id": others[1], "role": "cooperating"})
            target_rows.append({"task_id": task_id, "position": 0, "metric": "完成项目数",
                                "comparator": ">=", "target_value": Decimal(rng.randint(1, 60)),
                                "measure_unit": "个", "cumulative": True})
            if rng.random() < 0.5:
                target_rows.append({"task_id": task_id, "position": 1, "metric": "投资增幅",
                                    "comparator": ">=", "target_value": Decimal(rng.randint(5, 30)),
                                    "measure_unit": "%", "cumulative": False})
        if shared:
            db.session.execute(insert(TaskUnit), shared)
        target_ids = db.session.scalars(
            insert(Target).returning(Target.id, sort_by_parameter_order=True), target_rows
        ).all()
        targets_of: dict[int, list[tuple[int, Target]]] = {}
        for target_id, row in zip(target_ids, target_rows, strict=True):
            target = Target(target_value=row["target_value"], cumulative=row["cumulative"],
                            comparator=row["comparator"])
            targets_of.setdefault(row["task_id"], []).append((target_id, target))
        return targets_of

    def _insert_milestones(self, task_ids: list[int]
                           ) -> tuple[list[int], list[dict], list[date | None]]:
        """Every month of every task; the day each month was reported (None: not)."""
        milestone_rows, submitted_on = [], []
        for task_id in task_ids:
            for slot in self.slots:
                submitted = self._submitted_on(slot.due_date)
                milestone_rows.append({"task_id": task_id, "period": slot.period,
                                       "due_date": slot.due_date, "planned_work": "",
                                       "status": "done" if submitted else "open"})
                submitted_on.append(submitted)
        milestone_ids = db.session.scalars(
            insert(Milestone).returning(Milestone.id, sort_by_parameter_order=True), milestone_rows
        ).all()
        return list(milestone_ids), milestone_rows, submitted_on

    def _submitted_on(self, due_date: date) -> date | None:
        """Most past months reported, one in ten of them late."""
        if due_date < self.today and self.rng.random() >= 0.08:
            late = self.rng.randint(1, 12) if self.rng.random() < 0.10 else 0
            return min(due_date + timedelta(days=late), self.today)
        return None

    def _insert_reports(self, milestone_ids: list[int], milestone_rows: list[dict],
                        submitted_on: list[date | None],
                        targets_of: dict[int, list[tuple[int, Target]]],
                        responsible: dict[int, int], now: datetime) -> int:
        """Planned values of every milestone and the reports of those reported; how many
        reports. The derived columns follow from them (derived.recompute)."""
        planned_rows, report_rows, report_plans = [], [], []
        for milestone_id, row, submitted in zip(milestone_ids, milestone_rows, submitted_on,
                                                strict=True):
            plans, behind = self._plan_month(milestone_id, int(row["period"][5:]) - 1,
                                             targets_of[row["task_id"]], planned_rows)
            if submitted is None:
                continue
            report_rows.append({
                "milestone_id": milestone_id,
                "author_id": self.reporter_of[responsible[row["task_id"]]],
                "submitted_at": now, "submitted_on": submitted, "text": "按计划推进。",
                "review_status": "accepted", "reviewer_id": self.office_id, "reviewed_at": now,
                "review_comment": "", "behind_points": behind,
                "late_workdays": self.calendar.workdays_between(row["due_date"], submitted),
            })
            report_plans.append(plans)
        db.session.execute(insert(PlannedValue), planned_rows)
        if report_rows:
            report_ids = db.session.scalars(
                insert(ProgressReport).returning(ProgressReport.id, sort_by_parameter_order=True),
                report_rows,
            ).all()
            value_rows = [
                {"report_id": report_id, "target_id": target_id, "actual_value": value}
                for report_id, plans in zip(report_ids, report_plans, strict=True)
                for target_id, value in plans
            ]
            db.session.execute(insert(ReportValue), value_rows)
        return len(report_rows)

    def _plan_month(self, milestone_id: int, month: int, targets: list[tuple[int, Target]],
                    planned_rows: list[dict]) -> tuple[list[tuple[int, Decimal]], Decimal | None]:
        """Add the month's planned values to ``planned_rows``; the actual values a report
        would give and how many points behind they are."""
        plans, behind = [], None
        for target_id, target in targets:
            value = planned_values(target, len(self.slots))[month]
            planned_rows.append({"milestone_id": milestone_id, "target_id": target_id,
                                 "planned_value": value})
            actual = (value * self.rng.randint(70, 110) / 100).quantize(Decimal("0.01"))
            plans.append((target_id, actual))
            if target.cumulative or month == len(self.slots) - 1:
                points = points_behind(target.target_value, value, actual, target.comparator)
                behind = points if behind is None else max(behind, points)
        return plans, behind

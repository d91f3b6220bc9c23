"""The daily sweep: what is owed as of ``today``, written to the outbox in a few set-based
statements. It never asks "is it due today?" but "is it due by today?", so a sweep after days
of downtime catches up — once, at each milestone's current level only.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    case,
    cast,
    func,
    insert,
    literal,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import aliased

from taskboard.auth.models import UNIT_HEAD
from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import utcnow
from taskboard.extensions import db
from taskboard.tasks.models import (
    AuditLog,
    Milestone,
    Task,
    TaskStatus,
    owed_since_assignment,
)

from . import recipients
from .outbox import insert_from, pending_columns
from .settings import FollowupSettings

CARDS_BY_LEVEL = {1: "blue", 2: "yellow", 3: "red"}
CARD_ORDER = ("none", "blue", "yellow", "red")


@dataclass
class SweepResult:
    today: date
    reminders: int = 0
    escalations: int = 0

    @property
    def notifications_created(self) -> int:
        return self.reminders + self.escalations


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _owed_milestones(kind: str, level, period, *conditions) -> Select:
    milestone = Milestone
    return (select(literal(kind).label("kind"), level.label("level"),
                   literal("milestone").label("object_type"), milestone.id.label("object_id"),
                   period.label("period"), milestone.task_id.label("task_id"))
            .join(Task, Task.id == milestone.task_id)
            .where(Task.deleted_at.is_(None), Task.status.in_(TaskStatus.LIVE),
                   milestone.reported.is_(False), owed_since_assignment(), *conditions))


def _to_people(people: Select, settings: FollowupSettings) -> int:
    """Insert each (owed row, user) as an in-app message, and an e-mail where there is one."""
    rows = people.subquery("people")
    created = 0
    for channel in ("in_app", "email"):
        if channel == "email" and not settings.email:
            continue
        query = select(rows.c.kind, rows.c.level, rows.c.object_type, rows.c.object_id,
                       literal("user:") + cast(rows.c.user_id, String), literal(channel),
                       rows.c.period, rows.c.user_id, cast(null(), Integer), rows.c.task_id,
                       *pending_columns())
        if channel == "email":
            query = query.where(rows.c.email.is_not(None), rows.c.email != "")
        created += insert_from(query)
    return created


def _to_robots(owed, settings: FollowupSettings) -> int:
    if not settings.webhook:
        return 0
    rows = recipients.unit_robots(owed).subquery("robots")
    return insert_from(select(
        rows.c.kind, rows.c.level, rows.c.object_type, rows.c.object_id,
        literal("unit:") + cast(rows.c.unit_id, String), literal("webhook"), rows.c.period,
        cast(null(), Integer), rows.c.unit_id, rows.c.task_id, *pending_columns()))


def sweep(today: date, calendar: WorkCalendar, settings: FollowupSettings) -> SweepResult:
    """Create every notification owed as of ``today`` and raise the cards. The caller commits."""
    result = SweepResult(today)

    # 临期提醒: not reported, due within the next N working days; never after the due date.
    horizon = calendar.soon_horizon(today, settings.due_soon_workdays)
    due_soon = _owed_milestones(
        "due_soon", literal(0), cast(Milestone.due_date, String),
        Milestone.due_date >= today, Milestone.due_date <= horizon).subquery("owed")
    result.reminders += _to_people(recipients.unit_people(due_soon), settings)
    result.reminders += _to_robots(due_soon, settings)

    # 未签收: assigned N working days ago and nobody has signed — to the unit's head.
    unsigned = (select(literal("unsigned").label("kind"), literal(0).label("level"),
                       literal("task").label("object_type"), Task.id.label("object_id"),
                       literal("").label("period"), Task.id.label("task_id"))
                .where(Task.deleted_at.is_(None), Task.status == TaskStatus.ASSIGNED,
                       Task.acknowledged_at.is_(None),
                       Task.assigned_on < calendar.nth_workday_back(today,
                                                                    settings.unsigned_workdays))
                ).subquery("owed")
    result.reminders += _to_people(recipients.unit_people(unsigned, (UNIT_HEAD,)), settings)

    # 逾期: the level a milestone has reached today, repeated once per ISO week while it lasts.
    level, is_overdue = overdue_level(today, calendar, settings)
    period = literal(iso_week(today) if settings.weekly_repeat else "")
    overdue = _owed_milestones("overdue", level, period, is_overdue).subquery("owed")
    people = union_all(
        recipients.unit_people(overdue),
        recipients.lead_leader(overdue).where(overdue.c.level >= settings.lead_from_level),
        recipients.office(overdue).where(overdue.c.level >= settings.office_from_level),
    )
    result.escalations += _to_people(people, settings)
    result.escalations += _to_robots(overdue, settings)

    _raise_cards(overdue)
    return result


def overdue_level(today: date, calendar: WorkCalendar,
                  settings: FollowupSettings) -> tuple[ColumnElement, ColumnElement]:
    """The 督办 level (1 blue, 2 yellow, 3 red) an unreported milestone has reached as of
    ``today``, and the condition that it is overdue at all."""
    cutoff = {level: calendar.nth_workday_back(today, getattr(settings, f"level{level}_workdays"))
              for level in (1, 2, 3)}
    sibling = aliased(Milestone)
    overdue_in_task = (select(func.count(sibling.id))
                       .where(sibling.task_id == Milestone.task_id, sibling.due_date < cutoff[1],
                              sibling.reported.is_(False), owed_since_assignment(sibling))
                       .scalar_subquery())
    level = case((Milestone.due_date < cutoff[3], 3),
                 (overdue_in_task >= settings.level3_overdue_milestones, 3),
                 (Milestone.due_date < cutoff[2], 2), else_=1)
    return level, Milestone.due_date < cutoff[1]


def red_card_tasks(today: date, calendar: WorkCalendar, settings: FollowupSettings) -> Select:
    """Ids of the live tasks whose card is red as of ``today`` by the sweep's own rule, whether
    or not a sweep has run yet (the dashboard's 红牌 panel)."""
    level, is_overdue = overdue_level(today, calendar, settings)
    return (select(Milestone.task_id).join(Task, Task.id == Milestone.task_id)
            .where(Task.deleted_at.is_(None), Task.status.in_(TaskStatus.LIVE),
                   Milestone.reported.is_(False), owed_since_assignment(), is_overdue,
                   level == 3))


def _raise_cards(overdue) -> None:
    """督办单: a task's card follows its worst overdue level up, never down (the office lifts)."""
    for level in (3, 2, 1):
        card = CARDS_BY_LEVEL[level]
        lower = CARD_ORDER[:CARD_ORDER.index(card)]
        reached = select(overdue.c.task_id).where(overdue.c.level >= level)
        changing = db.session.execute(
            select(Task.id, Task.card).where(Task.id.in_(reached), Task.card.in_(lower))).all()
        if not changing:
            continue
        # A bulk UPDATE skips the flush hook, so the audit rows are written here, alongside.
        db.session.execute(insert(AuditLog), [
            {"actor_id": None, "action": "update", "entity": "task", "entity_id": task_id,
             "task_id": task_id, "before": {"card": old}, "after": {"card": card},
             "created_at": utcnow()} for task_id, old in changing])
        db.session.execute(update(Task).where(Task.id.in_([t for t, _ in changing]))
                           .values(card=card), execution_options={"synchronize_session": False})

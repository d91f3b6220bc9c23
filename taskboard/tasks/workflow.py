"""The follow-through of a task: 签收, 异议, reports, 复核, 延期, 办结, 暂缓, and plan edits.

Each function is one unit of work: it checks the object's state (Conflict when it does not
fit), changes what it must, and leaves the commit to the caller. Permissions are the caller's
business (taskboard.permissions); these functions assume the actor may act. A task's status
changes only through ``transition``, which holds every move to the one table (TRANSITIONS).
"""
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from taskboard import labels
from taskboard.auth.models import User
from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import now
from taskboard.errors import Conflict, ValidationError
from taskboard.extensions import db
from taskboard.units.models import Unit

from . import evidence, signals
from .milestones import sync_milestones
from .models import (
    POINTS_LIMIT,
    TRANSITIONS,
    Attachment,
    Milestone,
    PlannedValue,
    ProgressReport,
    ReportValue,
    Target,
    Task,
    TaskRequest,
    TaskStatus,
)
from .schemas import TEXT_MAX, amount_error
from .services import due_date_error


def transition(task: Task, status: TaskStatus, **values) -> None:
    """Move ``task`` to ``status`` (with the columns in ``values`` that go with it) if the
    transition table allows it; nothing changes if not.

    The move is one UPDATE … WHERE status = <the status it was read with>, so of two moves
    made at once from the same status (暂缓 and 办结 approved, say) only one stands; the
    other is refused with 409 and its transaction rolled back.
    """
    current = TaskStatus(task.status)
    if status not in TRANSITIONS[current]:
        raise ValidationError({"status": _(
            "事项当前状态为“%(current)s”，不能改为“%(wanted)s”。",
            current=labels.STATUSES[current], wanted=labels.STATUSES[status])})
    if task.id is not None:  # a task not yet written has nobody to race with
        moved = db.session.execute(
            update(Task).where(Task.id == task.id, Task.status == current)
            .values(status=status, **values).execution_options(synchronize_session=False))
        if moved.rowcount != 1:
            db.session.rollback()
            raise Conflict(_("事项状态刚被他人更改，请刷新页面后重试。"))
    # On the object too, for the derived columns and the audit trail.
    for name, value in {"status": status, **values}.items():
        setattr(task, name, value)


def _require_open(task: Task) -> None:
    if task.is_closed:
        raise Conflict(_("该事项已%(status)s，不能再办理。",
                         status=_("办结") if task.status == TaskStatus.DONE else _("撤销")))
    if task.is_suspended:
        raise Conflict(_("该事项已暂缓，恢复办理后才能继续。"))


def _text(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _("内容不能超过 %(max)d 字。", max=TEXT_MAX)})
    return text


# ---- 签收 and 异议 ------------------------------------------------------------------------

def acknowledge(task: Task, user: User) -> Task:
    """The responsible unit confirms it has received the task (签收)."""
    _require_open(task)
    if task.acknowledged_at is not None:
        raise Conflict(_("该事项已于 %(when)s 签收。",
                         when=task.acknowledged_at.date().isoformat()))
    if task.pending_request("objection"):
        raise Conflict(_("该事项的异议正在处理，处理后再签收。"))
    task.acknowledged_at, task.acknowledged_by = now(), user
    if task.status == TaskStatus.ASSIGNED:
        transition(task, TaskStatus.IN_PROGRESS)
    db.session.flush()
    return task


def _new_request(task: Task, user: User, kind: str, reason: str, **values) -> TaskRequest:
    if task.pending_request(kind):
        raise Conflict(_("已有一份同类申请在等待督查室处理。"))
    request = TaskRequest(task=task, kind=kind, requested_by=user, reason=reason, **values)
    db.session.add(request)
    db.session.flush()
    return request


def object_to(task: Task, user: User, reason: str) -> TaskRequest:
    """The unit head says the task is not the unit's (异议), with a reason."""
    _require_open(task)
    if task.acknowledged_at is not None:
        raise Conflict(_("已签收的事项不能再提异议，如有困难请通过意见反映。"))
    reason = _text(reason, "reason", _("请说明异议理由。"))
    return _new_request(task, user, "objection", reason)


def _settle(row: ProgressReport | TaskRequest, state: str, values: dict, message: str) -> None:
    """Move a pending row to its decision with one UPDATE … WHERE <state> = 'pending'.

    The row count says who won when two people click at once: the second waits on the row,
    finds it no longer pending and gets ``message`` (409); its transaction is rolled back, so
    the unit hears only the decision that stood.
    """
    model = type(row)
    result = db.session.execute(
        update(model).where(model.id == row.id, getattr(model, state) == "pending")
        .values(values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(message)
    for name, value in values.items():  # the same values on the object, for the audit trail
        setattr(row, name, value)


def _decide(request: TaskRequest, office: User, approve: bool, comment: str | None) -> str:
    if request.status != "pending":
        raise Conflict(_("该申请已处理。"))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("驳回时请写明理由。")})
    _settle(request, "status", {"status": "approved" if approve else "rejected",
                                "decided_by_id": office.id, "decided_at": now(),
                                "decision_comment": comment},
            _("该申请刚由他人处理，以已作出的决定为准。"))
    request.decided_by = office
    return comment


def decide_objection(request: TaskRequest, office: User, *, reassign_to: Unit | None,
                     comment: str | None, today: date) -> Task:
    """Reassign the task to another unit (objection upheld) or confirm it to the unit."""
    task = request.task
    _require_open(task)
    if reassign_to is not None and (not reassign_to.active
                                    or reassign_to.id == task.responsible_unit_id):
        raise ValidationError({"unit_id": _("请选择另一个有效的责任单位。")})
    _decide(request, office, approve=reassign_to is not None, comment=comment or (
        "" if reassign_to is None else _("改由%(unit)s负责。", unit=reassign_to.name)))
    if reassign_to is not None:
        task.shared_units = [link for link in task.shared_units
                             if link.unit_id != reassign_to.id]
        task.responsible_unit = reassign_to
        transition(task, TaskStatus.ASSIGNED)
        task.assigned_on = today
        task.acknowledged_at, task.acknowledged_by = None, None
    db.session.flush()
    signals.request_decided.send(request)
    if reassign_to is not None:
        signals.task_assigned.send(task)
    return task


# ---- Progress reports and review ---------------------------------------------------------

@dataclass
class Upload:
    filename: str
    data: bytes


def points_behind(goal: Decimal, planned: Decimal, actual: Decimal, comparator: str) -> Decimal:
    """(planned − actual) / goal × 100; for "<=" targets being above plan is being behind."""
    gap = actual - planned if comparator in ("<=", "<") else planned - actual
    points = max(-POINTS_LIMIT, min(POINTS_LIMIT, gap / goal * 100))
    return points.quantize(Decimal("0.01"))


def behind_points(milestone: Milestone, values: dict[int, Decimal]) -> Decimal | None:
    """How far ``values`` are behind the milestone's plan, in points of the target.

    (planned − actual) / target × 100, the other way round for "<=" targets; the worst
    target counts. Masked targets, and non-cumulative ones before their final month, give none.
    """
    final = milestone.is_final()
    worst = None
    for target in milestone.task.targets:
        goal, actual = target.target_value, values.get(target.id)
        planned = milestone.planned_value_for(target.id)
        if not goal or actual is None or planned is None:
            continue
        if not target.cumulative and not final:
            continue
        points = points_behind(goal, planned, actual, target.comparator)
        worst = points if worst is None else max(worst, points)
    return worst


def check_figures(targets: list[Target], values: dict[int, Decimal],
                  no_data: Collection[int]) -> None:
    """Each target with a value asks for a figure, or the 暂无数据 tick; counts and amounts are
    never negative."""
    errors = {}
    for target in targets:
        value = values.get(target.id)
        if value is None and target.target_value is not None and target.id not in no_data:
            errors[f"value-{target.id}"] = _(
                "请填写“%(metric)s”的实际值；本月没有统计数据时请勾选“暂无数据”。",
                metric=target.metric)
        elif value is not None and value < 0 and not target.may_be_negative:
            errors[f"value-{target.id}"] = _("“%(metric)s”不能为负数。", metric=target.metric)
        elif message := amount_error(value):
            errors[f"value-{target.id}"] = message
    if errors:
        raise ValidationError(errors)


def submit_report(milestone: Milestone, author: User, *, text: str,
                  values: dict[int, Decimal], files: list[Upload], today: date,
                  calendar: WorkCalendar, no_data: Collection[int] = ()) -> ProgressReport:
    """A unit reports what it did this month; late reports carry their working days of delay.

    ``no_data`` are the targets ticked 暂无数据 (no statistics yet this month).
    """
    task = milestone.task
    _require_open(task)
    current = milestone.current_report
    if current is not None and current.review_status == "pending":
        raise Conflict(_("本月已有一份报告在等待审核，审核后才能再报。"))
    if current is not None:
        raise Conflict(_("本月进展已审核通过，无需再报。"))
    text = _text(text, "text", _("请填写本月完成情况。"))
    known = {target.id for target in task.targets}
    unknown = set(values) - known
    if unknown:
        raise ValidationError({"values": _("指标 %(ids)s 不属于该事项。",
                                           ids=", ".join(map(str, sorted(unknown))))})
    check_figures(task.targets, values, no_data)
    checked = [(*evidence.check(upload.filename, upload.data), upload.data) for upload in files]
    behind = behind_points(milestone, values)
    report = ProgressReport(
        milestone=milestone, author=author, text=text, submitted_on=today,
        late_workdays=calendar.workdays_between(milestone.due_date, today),
        values=[ReportValue(target_id=tid, actual_value=value) for tid, value in values.items()],
        attachments=[Attachment(filename=name, content_type=content_type, size=len(data),
                                data=data) for name, content_type, data in checked],
        behind_points=behind,
    )
    db.session.add(report)
    try:  # first, so that of two reports at once the second hears why
        db.session.flush()
    except IntegrityError:  # uq_progress_reports_pending: a simultaneous submission won
        db.session.rollback()
        raise Conflict(_("本月已有一份报告在等待审核，审核后才能再报。")) from None
    if task.status == TaskStatus.ASSIGNED:  # reporting is the clearest 签收 there is
        task.acknowledged_at = task.acknowledged_at or now()
        task.acknowledged_by = task.acknowledged_by or author
        transition(task, TaskStatus.IN_PROGRESS)
        db.session.flush()
    return report


def review_report(report: ProgressReport, reviewer: User, *, accept: bool,
                  comment: str | None) -> ProgressReport:
    """复核: accept the report, or return it with a comment the unit will see."""
    if report.review_status != "pending":
        raise Conflict(_("这份报告已审核（%(status)s），不能重复审核。",
                         status=labels.REVIEW_STATUSES[report.review_status]))
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("退回时请写明需要补充或修改的内容。")})
    _settle(report, "review_status", {
        "review_status": "accepted" if accept else "returned", "reviewer_id": reviewer.id,
        "reviewed_at": now(), "review_comment": comment},
        _("这份报告刚由他人审核，以已作出的审核结果为准。"))
    report.reviewer = reviewer
    if accept:
        report.milestone.status = "done"
    db.session.flush()
    signals.report_reviewed.send(report)
    return report


# ---- 延期 and 办结 -------------------------------------------------------------------------

def request_extension(task: Task, user: User, *, due_date: date | None,
                      reason: str) -> TaskRequest:
    _require_open(task)
    if due_date is None or due_date <= task.due_date:
        raise ValidationError({"due_date": _("新的完成时限必须晚于现在的 %(due)s。",
                                             due=task.due_date.isoformat())})
    if message := due_date_error(task.start_date, due_date):
        raise ValidationError({"due_date": message})
    reason = _text(reason, "reason", _("请说明延期理由。"))
    return _new_request(task, user, "extension", reason, requested_due_date=due_date)


def decide_extension(request: TaskRequest, office: User, *, approve: bool,
                     comment: str | None, today: date, calendar: WorkCalendar) -> Task:
    """Approving moves the due date; the open future milestones follow, past ones stay."""
    task = request.task
    _require_open(task)
    _decide(request, office, approve, comment)
    if approve:
        task.due_date = request.requested_due_date
        db.session.flush()
        sync_milestones(task, calendar, today)
    db.session.flush()
    signals.request_decided.send(request)
    return task


def request_completion(task: Task, user: User, *, summary: str) -> TaskRequest:
    _require_open(task)
    summary = _text(summary, "reason", _("请填写办结情况说明。"))
    request = _new_request(task, user, "completion", summary)
    transition(task, TaskStatus.COMPLETION_REQUESTED)
    db.session.flush()
    return request


def decide_completion(request: TaskRequest, office: User, *, approve: bool,
                      comment: str | None) -> Task:
    task = request.task
    _require_open(task)
    _decide(request, office, approve, comment)
    transition(task, TaskStatus.DONE if approve else TaskStatus.IN_PROGRESS)
    db.session.flush()
    signals.request_decided.send(request)
    return task


# ---- One entry point per request action, for the pages and the API ------------------------

def make_request(task: Task, user: User, kind: str, *, reason: str,
                 requested_due_date: date | None) -> TaskRequest:
    """The unit asks for 异议, 延期 or 办结; only 延期 reads ``requested_due_date``."""
    if kind == "objection":
        return object_to(task, user, reason)
    if kind == "extension":
        return request_extension(task, user, due_date=requested_due_date, reason=reason)
    if kind == "completion":
        return request_completion(task, user, summary=reason)
    raise ValueError(f"unknown request kind {kind!r}")


def _new_unit(unit_id: int | None) -> Unit:
    """The unit an upheld 异议 hands the task to: one must be named, and exist."""
    if unit_id is None:
        raise ValidationError({"unit_id": _("同意异议时请选择新的责任单位。")})
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise ValidationError({"unit_id": _("单位不存在。")})
    return unit


def decide_request(request: TaskRequest, office: User, *, approve: bool, comment: str | None,
                   new_unit_id: int | None, today: date, calendar: WorkCalendar) -> Task:
    """The office decides a pending request of any kind; upholding an 异议 needs a new unit."""
    if request.kind == "objection":
        return decide_objection(request, office, comment=comment, today=today,
                                reassign_to=_new_unit(new_unit_id) if approve else None)
    if request.kind == "extension":
        return decide_extension(request, office, approve=approve, comment=comment, today=today,
                                calendar=calendar)
    return decide_completion(request, office, approve=approve, comment=comment)


# ---- 暂缓 and 恢复办理 ----------------------------------------------------------------------

def suspend(task: Task, *, reason: str, today: date) -> Task:
    """The office puts a live task on hold (暂缓), saying why: no light, no reminders, no
    ranking until it is resumed."""
    reason = _text(reason, "reason", _("请说明暂缓理由。"))
    transition(task, TaskStatus.SUSPENDED, suspended_from=task.status, suspended_reason=reason,
               suspended_on=today)
    db.session.flush()
    return task


def resume(task: Task) -> Task:
    """恢复办理: the task returns to the status it had when it was suspended."""
    if not task.is_suspended:
        raise ValidationError({"status": _("该事项没有暂缓，无需恢复办理。")})
    transition(task, TaskStatus(task.suspended_from), suspended_from=None, suspended_reason="",
               suspended_on=None)
    db.session.flush()
    return task


# ---- Plans -------------------------------------------------------------------------------

@dataclass
class PlanRow:
    milestone_id: int
    planned_work: str
    planned_values: dict[int, Decimal | None]


def plan_cell(milestone_id: int | str, target_id: int | str) -> str:
    """The name of one planned figure in a refusal, for the plan page to show beside it."""
    return f"plan-{milestone_id}-{target_id}"


def foreign_plan_rows() -> ValidationError:
    """A plan naming months or targets the task does not have (a page opened before an edit)."""
    return ValidationError({"plan": _("计划中有不属于该事项的节点或指标。")})


def update_plan(task: Task, rows: list[PlanRow]) -> Task:
    """The office sets each month's planned work and planned figures (细化到月)."""
    if task.is_closed:
        raise Conflict(_("已办结或撤销的事项不能再调整计划。"))
    milestones = {m.id: m for m in task.milestones}
    targets = {t.id for t in task.targets}
    for row in rows:
        milestone = milestones.get(row.milestone_id)
        if milestone is None or set(row.planned_values) - targets:
            raise foreign_plan_rows()
        if milestone.planned_work != row.planned_work.strip():
            milestone.planned_work = row.planned_work.strip()
        if errors := {plan_cell(milestone.id, target_id): message
                      for target_id, value in row.planned_values.items()
                      if (message := amount_error(value))}:
            raise ValidationError(errors)
        current = {pv.target_id: pv for pv in milestone.planned_values}
        for target_id, value in row.planned_values.items():
            if target_id in current:
                if current[target_id].planned_value != value:
                    current[target_id].planned_value = value
            else:
                milestone.planned_values.append(
                    PlannedValue(target_id=target_id, planned_value=value))
    db.session.flush()
    return task

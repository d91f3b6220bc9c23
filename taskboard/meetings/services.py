"""Meetings and the path from their text to confirmed tasks. The caller commits."""
import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, select

from taskboard.auth.models import User
from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import year_error
from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.tasks.models import COMPARATORS, TASK_LEVELS, Task
from taskboard.tasks.services import (
    TargetData,
    TaskData,
    create_task,
    default_start,
    due_date_error,
    take_number,
)
from taskboard.units.models import Unit
from taskboard.units.services import create_unit

from .matching import Directory, is_other_departments
from .models import MEETING_KINDS, Meeting, Proposal
from .parser import MIN_CONFIDENCE, parse_minutes

TITLE_MAX = 200


class SameTextError(ValidationError):
    """The text was registered before, as ``earlier``: ask before registering it twice."""

    def __init__(self, earlier: Meeting) -> None:
        super().__init__({"full_text": _(
            "这份文字与已登记的“%(title)s”（%(date)s，编号 %(id)d）相同（不计空白）。",
            title=earlier.title, date=earlier.meeting_date.isoformat(), id=earlier.id)})
        self.earlier = earlier


def text_digest(text: str) -> str:
    """SHA-256 of ``text`` without white space: a re-wrapped or re-indented copy is the same."""
    return hashlib.sha256("".join(text.split()).encode()).hexdigest()


def same_text_meeting(full_text: str) -> Meeting | None:
    """The earliest meeting registered with the same text (white space aside), if any."""
    return db.session.scalar(select(Meeting).where(Meeting.text_digest == text_digest(full_text))
                             .order_by(Meeting.id).limit(1))


def create_meeting(
    *, title: str, meeting_date: date, kind: str, full_text: str, created_by: User | None,
    year: int | None = None, allow_same_text: bool = False,
) -> Meeting:
    """Record a meeting and store what the parser proposes from its text, for review.

    A text registered before raises SameTextError unless ``allow_same_text``.
    """
    title, full_text = (title or "").strip(), (full_text or "").replace("\r\n", "\n")
    errors = {}
    if not title:
        errors["title"] = _("请填写名称。")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("名称不能超过 %(max)d 个字。", max=TITLE_MAX)
    if message := year_error(meeting_date.year):
        errors["meeting_date"] = message
    if not full_text.strip():
        errors["full_text"] = _("请粘贴讲话或纪要全文，或上传文件。")
    if kind not in MEETING_KINDS:
        errors["kind"] = _("类型无效。")
    if errors:
        raise ValidationError(errors)
    if not allow_same_text and (earlier := same_text_meeting(full_text)):
        raise SameTextError(earlier)
    meeting = Meeting(title=title, meeting_date=meeting_date, kind=kind, full_text=full_text,
                      created_by_id=created_by.id if created_by else None,
                      text_digest=text_digest(full_text))
    db.session.add(meeting)
    propose(meeting, year=year)
    db.session.flush()
    return meeting


def propose(meeting: Meeting, year: int | None = None) -> list[Proposal]:
    """Parse the meeting's text and store every proposal, matched to known units and leaders.

    Low-confidence proposals are stored too, unticked, so that the review page can show them
    folded away.
    """
    result = parse_minutes(meeting.full_text, year=year, meeting_date=meeting.meeting_date,
                           include_low_confidence=True)
    meeting.document_year = result.year
    directory = Directory.load()
    proposals = []
    for position, parsed in enumerate(result.proposals):
        proposal = Proposal(
            meeting=meeting, position=position, confidence=parsed.confidence,
            excerpt=parsed.excerpt, start_offset=parsed.start, end_offset=parsed.end,
            spoken_lead=parsed.lead or "", spoken_units=parsed.units,
            spoken_cooperating=parsed.cooperating,
            selected=parsed.confidence >= MIN_CONFIDENCE,
            title=parsed.title[:TITLE_MAX], category=parsed.category[:100],
            due_date=parsed.deadline or date(result.year, 12, 31),
            targets=[{"metric": t.metric, "comparator": t.comparator,
                      "value": None if t.value is None else str(t.value), "unit": t.unit,
                      "cumulative": t.cumulative} for t in parsed.targets],
            source_row=parsed.row, flags=list(parsed.flags),
            level="normal", co_responsible_unit_ids=[], cooperating_unit_ids=[],
        )
        match_names(proposal, directory)
        db.session.add(proposal)
        proposals.append(proposal)
    return proposals


def match_names(proposal: Proposal, directory: Directory) -> None:
    """Fill in the units and leader whose names match exactly what was spoken.

    Only empty choices are filled: what the office already chose is never overwritten.
    """
    if proposal.lead_leader_id is None and proposal.spoken_lead:
        leader = directory.leader(proposal.spoken_lead)
        proposal.lead_leader_id = leader.id if leader else None
        proposal.lead_leader_name = "" if leader else proposal.spoken_lead
    responsible = [directory.unit(name) for name in proposal.spoken_units]
    if proposal.responsible_unit_id is None and responsible and responsible[0]:
        proposal.responsible_unit_id = responsible[0].id
    chosen = {proposal.responsible_unit_id, *proposal.co_responsible_unit_ids,
              *proposal.cooperating_unit_ids}
    co = [u.id for u in responsible[1:] if u and u.id not in chosen]
    proposal.co_responsible_unit_ids = [*proposal.co_responsible_unit_ids, *co]
    cooperating = []
    for name in proposal.spoken_cooperating:
        if is_other_departments(name):
            proposal.other_departments_participate = True
        elif (unit := directory.unit(name)) and unit.id not in chosen and unit.id not in co:
            cooperating.append(unit.id)
    proposal.cooperating_unit_ids = [*proposal.cooperating_unit_ids, *cooperating]


def unmatched_names(proposal: Proposal, directory: Directory) -> list[str]:
    """Spoken unit names that no unit of the system is called (yet)."""
    names = [*proposal.spoken_units, *proposal.spoken_cooperating]
    return [n for n in names if not is_other_departments(n) and directory.unit(n) is None]


def add_unit_from_speech(meeting: Meeting, name: str) -> Unit:
    """Create a unit named as the speech names it, and give it to the proposals that name it."""
    name = (name or "").strip()
    number = take_number("unit", db.session.scalar(select(func.max(Unit.id))) or 0)
    unit = create_unit(name=name, short_name="", code=f"unit{number}", kind="department",
                       parent_id=None, webhook_url=None, active=True)
    directory = Directory.load()
    for proposal in meeting.proposals:
        if not proposal.is_confirmed:
            match_names(proposal, directory)
    db.session.flush()
    return unit


@dataclass
class ProposalEdit:
    """What the office set on the review page for one proposal."""

    proposal_id: int
    selected: bool
    title: str
    category: str = ""
    lead_leader_id: int | None = None
    lead_leader_name: str = ""
    responsible_unit_id: int | None = None
    co_responsible_unit_ids: list[int] = field(default_factory=list)
    cooperating_unit_ids: list[int] = field(default_factory=list)
    other_departments_participate: bool = False
    due_date: date | None = None
    level: str = "normal"
    targets: list[dict] = field(default_factory=list)


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def save_review(meeting: Meeting, edits: list[ProposalEdit]) -> None:
    """Keep the office's choices so that the review can be left and resumed."""
    by_id = {p.id: p for p in meeting.proposals}
    for edit in edits:
        proposal = by_id.get(edit.proposal_id)
        if proposal is None or proposal.is_confirmed:
            continue
        for name in ("selected", "title", "category", "lead_leader_id", "lead_leader_name",
                     "responsible_unit_id", "co_responsible_unit_ids", "cooperating_unit_ids",
                     "other_departments_participate", "due_date", "level", "targets"):
            value = getattr(edit, name)
            if getattr(proposal, name) != value:
                setattr(proposal, name, value)
    db.session.flush()


def task_year(meeting: Meeting) -> int:
    return meeting.document_year or meeting.meeting_date.year


def _task_data(meeting: Meeting, proposal: Proposal, directory: Directory,
               start: date) -> TaskData:
    errors = {}
    if proposal.responsible_unit_id is None:
        errors["responsible_unit_id"] = _("请选择责任单位（讲话中的单位名称可以先新建为单位）。")
    if proposal.due_date is None:
        errors["due_date"] = _("请填写完成时限。")
    elif message := due_date_error(start, proposal.due_date):
        errors["due_date"] = message
    if proposal.level not in TASK_LEVELS:
        errors["level"] = _("督办级别无效。")
    targets = []
    for index, row in enumerate(proposal.targets):
        if row.get("comparator") not in COMPARATORS:
            errors[f"targets-{index}-comparator"] = _("比较方式无效。")
        value = _decimal(row.get("value"))
        if row.get("value") not in (None, "") and value is None:
            errors[f"targets-{index}-value"] = _("目标值必须是数字。")
        targets.append(TargetData(metric=row.get("metric", ""), comparator=row.get("comparator"),
                                  value=value, measure_unit=row.get("unit", ""),
                                  cumulative=bool(row.get("cumulative", True))))
    if errors:
        raise ValidationError(errors)
    spoken_cooperating = [n for n in proposal.spoken_cooperating
                          if not is_other_departments(n) and directory.unit(n) is None]
    return TaskData(
        title=proposal.title, category=proposal.category, meeting_id=meeting.id,
        source_excerpt=proposal.excerpt, description=proposal.excerpt,
        lead_leader_id=proposal.lead_leader_id, lead_leader_name=proposal.lead_leader_name,
        responsible_unit_id=proposal.responsible_unit_id,
        co_responsible_unit_ids=list(proposal.co_responsible_unit_ids),
        cooperating_unit_ids=list(proposal.cooperating_unit_ids),
        other_departments_participate=proposal.other_departments_participate,
        cooperating_names=spoken_cooperating,
        start_date=start, due_date=proposal.due_date, level=proposal.level, targets=targets,
    )


def confirm_proposals(meeting: Meeting, edits: list[ProposalEdit], *, today: date,
                      start_date: date | None = None) -> list[Task]:
    """Save the review, then turn every ticked proposal into a task (交办), all or nothing.

    The tasks start on ``start_date``: by default the day they are assigned (never before the
    task year), not the meeting's date — work registered months after its meeting is not born
    overdue. Errors are keyed "<position>-<field>" so that the page can show them beside the
    proposal.
    """
    start = start_date or default_start(today, task_year(meeting))
    save_review(meeting, edits)
    directory, calendar = Directory.load(), WorkCalendar.load()
    tasks, errors = [], {}
    for proposal in meeting.proposals:
        if not proposal.selected or proposal.is_confirmed:
            continue
        try:
            task = create_task(_task_data(meeting, proposal, directory, start), today=today,
                               calendar=calendar)
        except ValidationError as error:
            errors |= {f"{proposal.position}-{name}": message
                       for name, message in error.errors.items()}
            continue
        proposal.task_id = task.id
        tasks.append(task)
    if errors:
        raise ValidationError(errors)
    if not tasks:
        raise ValidationError({"proposals": _("请至少勾选一条建议事项。")})
    db.session.flush()
    return tasks

"""The Excel ledger (台账): export in the office's layout, and import it back.

Layout: 序号, 编号, 督办事项, 来源会议, 牵头领导, 责任单位, 配合单位, 目标 (one a line), 完成时限,
one column per month (计划 and 进展), 状态 (红 / 黄 / 绿, coloured), 备注 (开始日期, 类别, 级别).
An import validates every row first and writes nothing if any cell is wrong; rows are matched
to tasks by 编号, so re-importing an exported ledger updates instead of duplicating. Import
never deletes a task and never touches reports.
"""
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from taskboard import labels
from taskboard.auth.models import LEADER, User
from taskboard.calendar.workdays import WorkCalendar
from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.forms import plain
from taskboard.meetings.matching import Directory, is_other_departments
from taskboard.meetings.models import Meeting
from taskboard.office_files import check_office_file
from taskboard.tasks.models import (
    REPORTED_STATUSES,
    TASK_LEVELS,
    Milestone,
    ProgressReport,
    Task,
    TaskUnit,
)
from taskboard.tasks.queries import AsOf, task_lights
from taskboard.tasks.services import TargetData, TaskData, create_task, update_task

MAX_BYTES = 5 * 1024 * 1024
FIXED = ["序号", "编号", "督办事项", "来源会议", "牵头领导", "责任单位", "配合单位", "目标",
         "完成时限"]
TAIL = ["状态", "备注"]
LIGHT_WORDS = {"red": "红", "yellow": "黄", "green": "绿"}
LIGHT_FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE"}
COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
SIGN_COMPARATORS = {"≥": ">=", ">=": ">=", "＞": ">", ">": ">", "≤": "<=", "<=": "<=",
                    "<": "<", "＜": "<", "=": "=", "＝": "="}
TARGET_LINE = re.compile(r"^(?P<metric>.+?)\s*(?P<sign>≥|>=|≤|<=|＞|>|＜|<|＝|=)\s*"
                         r"(?P<value>\*+|[-\d.,]+)\s*(?P<unit>.*)$")
SEPARATORS = re.compile(r"[、,，;；\n]+")
CODE = re.compile(r"^DB-\d{4}-\d{3,}$")
NOTE_LINE = re.compile(r"^(开始日期|类别|级别)[:：]\s*(.*)$")
MONTH_HEADER = re.compile(r"^(\d{1,2})月$")
WRAP = Alignment(wrap_text=True, vertical="top")


# ---- export ---------------------------------------------------------------------------------

def _target_lines(task: Task) -> str:
    return "\n".join(
        f"{t.metric} {COMPARATOR_SIGNS[t.comparator]} "
        f"{'**' if t.target_value is None else plain(t.target_value)}"
        f" {t.measure_unit}".rstrip() for t in task.targets)


def export_workbook(tasks: list[Task], year: int, as_of: AsOf) -> bytes:
    """The ledger of ``tasks`` (already filtered and visible), months of ``year``."""
    task_ids = [t.id for t in tasks]
    lights = task_lights(task_ids, as_of)
    progress: dict[int, tuple[str, str]] = {}
    for milestone_id, text, status in db.session.execute(
            select(ProgressReport.milestone_id, ProgressReport.text,
                   ProgressReport.review_status)
            .join(Milestone, Milestone.id == ProgressReport.milestone_id)
            .where(Milestone.task_id.in_(task_ids),
                   ProgressReport.review_status.in_(REPORTED_STATUSES))
            .order_by(ProgressReport.submitted_at)):
        progress[milestone_id] = (text, status)  # the latest counting report wins

    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年督办台账"
    months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    sheet.append([*FIXED, *(f"{m}月" for m in range(1, 13)), *TAIL])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="F3E8E8")
    status_column = len(FIXED) + len(months) + 1
    width = status_column + 1
    for number, task in enumerate(tasks, 1):
        by_period = {m.period: m for m in task.milestones}
        cells = []
        for period in months:
            milestone = by_period.get(period)
            if milestone is None:
                cells.append(None)
                continue
            lines = [f"计划：{milestone.planned_work or '—'}"]
            if milestone.id in progress:
                text, status = progress[milestone.id]
                lines.append(f"进展：{text}" + ("（待审核）" if status == "pending" else ""))
            cells.append("\n".join(lines))
        light = lights.get(task.id)
        cooperating = [u.name for u in task.cooperating_units] + list(task.cooperating_names or [])
        if task.other_departments_participate:
            cooperating.append("其他相关部门")
        notes = [f"开始日期：{task.start_date.isoformat()}"]
        if task.category:
            notes.append(f"类别：{task.category}")
        notes.append(f"级别：{labels.LEVELS[task.level]}")
        sheet.append([
            number, task.code, task.title, task.meeting.title if task.meeting else "",
            task.lead_name, "、".join([task.responsible_unit.name,
                                      *(u.name for u in task.co_responsible_units)]),
            "、".join(cooperating), _target_lines(task), task.due_date, *cells,
            LIGHT_WORDS.get(light, labels.STATUSES[task.status] if light is None else ""),
            "\n".join(notes)])
        # Cells by coordinates: sheet[row] and sheet.max_row scan the whole sheet each time.
        row = number + 1
        for column in range(1, width + 1):
            sheet.cell(row, column).alignment = WRAP
        sheet.cell(row, len(FIXED)).number_format = "yyyy-mm-dd"
        if light in LIGHT_FILLS:
            sheet.cell(row, status_column).fill = PatternFill("solid",
                                                              fgColor=LIGHT_FILLS[light])
    widths = [6, 14, 30, 20, 10, 20, 20, 28, 12, *([22] * 12), 8, 22]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ledger_tasks(query) -> list[Task]:
    """Load everything the ledger shows for the tasks ``query`` selects, in a few queries."""
    return list(db.session.scalars(
        query.options(joinedload(Task.responsible_unit), joinedload(Task.lead_leader),
                      joinedload(Task.meeting),
                      selectinload(Task.shared_units).joinedload(TaskUnit.unit),
                      selectinload(Task.targets), selectinload(Task.milestones))
        .order_by(Task.code_year, Task.code_number)).unique())


# ---- import ---------------------------------------------------------------------------------

@dataclass
class CellError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("第 %(row)d 行“%(column)s”：%(message)s", row=self.row, column=self.column,
                 message=self.message)


@dataclass
class LedgerRow:
    row: int
    code: str | None
    data: TaskData
    plans: dict[str, str] = field(default_factory=dict)  # period → planned work
    meeting_title: str = ""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[CellError] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("年", "-").replace("月", "-").replace("日", "")
    text = text.replace("/", "-").replace(".", "-").strip("-")
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except (ValueError, TypeError):
        return None


def _open(data: bytes):
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("文件超过 5 MB。")})
    check_office_file(data)
    try:
        book = load_workbook(BytesIO(data), data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValidationError({"file": _(
            "这不是有效的 .xlsx 文件。请用 Excel 或 WPS 另存为“Excel 工作簿(.xlsx)”后再导入。")}) \
            from error
    return book.worksheets[0]


def _headers(rows: list[tuple]) -> tuple[int, dict[str, int]]:
    for index, values in enumerate(rows[:5]):
        names = [_text(v) for v in values]
        if "督办事项" in names:
            return index, {name: column for column, name in enumerate(names) if name}
    raise ValidationError({"file": _("第一张工作表的前 5 行里找不到“督办事项”表头。")})


def read_ledger(data: bytes, year: int) -> tuple[list[LedgerRow], list[CellError]]:
    """Every row as task input, or every cell that is wrong (with its row and column)."""
    sheet = _open(data)
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    header_index, columns = _headers(rows)
    errors = [CellError(header_index + 1, name, _("缺少这一列。"))
              for name in ("督办事项", "责任单位", "完成时限") if name not in columns]
    if errors:
        return [], errors
    directory = Directory.load()
    leaders = {u.display_name: u.id for u in db.session.scalars(
        select(User).where(User.role == LEADER, User.active.is_(True)))}
    months = {column: int(m.group(1)) for name, column in columns.items()
              if (m := MONTH_HEADER.match(name)) and 1 <= int(m.group(1)) <= 12}
    result, codes = [], {}

    for offset, values in enumerate(rows[header_index + 1:], start=header_index + 2):
        def cell(name: str, values=values):
            column = columns.get(name)
            return values[column] if column is not None and column < len(values) else None

        if not any(_text(v) for v in values):
            continue
        row_errors: list[CellError] = []

        def fail(column: str, message: str, row_errors=row_errors, offset=offset) -> None:
            row_errors.append(CellError(offset, column, message))

        title = _text(cell("督办事项"))
        if not title:
            fail("督办事项", _("不能为空。"))
        elif len(title) > 200:
            fail("督办事项", _("不能超过 200 个字。"))
        code = _text(cell("编号")) or None
        if code and not CODE.match(code):
            fail("编号", _("格式应为 DB-2022-001。"))
        elif code and code in codes:
            fail("编号", _("与第 %(row)d 行重复。", row=codes[code]))
        elif code:
            codes[code] = offset

        responsible = [n for n in SEPARATORS.split(_text(cell("责任单位"))) if n.strip()]
        unit_ids = []
        if not responsible:
            fail("责任单位", _("不能为空。"))
        for name in responsible:
            unit = directory.unit(name)
            if unit is None:
                fail("责任单位", _("单位“%(name)s”不存在。", name=name.strip()))
            else:
                unit_ids.append(unit.id)
        cooperating, others = [], False
        for name in (n for n in SEPARATORS.split(_text(cell("配合单位"))) if n.strip()):
            if is_other_departments(name):
                others = True
            elif (unit := directory.unit(name)) is None:
                fail("配合单位", _("单位“%(name)s”不存在。", name=name.strip()))
            else:
                cooperating.append(unit.id)

        due = _date(cell("完成时限"))
        if due is None:
            fail("完成时限", _("“%(value)s”不是有效的日期。", value=_text(cell("完成时限"))))
        notes = {m.group(1): m.group(2).strip() for line in _text(cell("备注")).splitlines()
                 if (m := NOTE_LINE.match(line.strip()))}
        start_raw = cell("开始日期") if "开始日期" in columns else notes.get("开始日期")
        start = _date(start_raw) if start_raw else None
        if start_raw and start is None:
            fail("备注" if "开始日期" not in columns else "开始日期",
                 _("开始日期“%(value)s”无效。", value=_text(start_raw)))
        plans = {}
        for column, month in months.items():
            content = _text(values[column]) if column < len(values) else ""
            if content:
                plan = next((line.split("：", 1)[1].strip() for line in content.splitlines()
                             if line.startswith("计划：")), "")
                plans[f"{year:04d}-{month:02d}"] = "" if plan == "—" else plan
        if start is None and due is not None:
            first = min(plans, default=None)
            start = date(int(first[:4]), int(first[5:]), 1) if first else date(due.year, 1, 1)
        if start and due and due < start:
            fail("完成时限", _("完成时限早于开始日期 %(start)s。", start=start.isoformat()))

        level_name = _text(cell("级别")) if "级别" in columns else notes.get("级别", "")
        level = next((code for code, label in labels.LEVELS.items()
                      if level_name in (code, str(label))), None) if level_name else "normal"
        if level is None or level not in TASK_LEVELS:
            fail("级别" if "级别" in columns else "备注",
                 _("督办级别“%(value)s”无效。", value=level_name))

        targets = []
        for line in (part.strip() for part in _text(cell("目标")).splitlines()
                     if part.strip()):
            match = TARGET_LINE.match(line)
            if match is None:
                fail("目标", _("“%(line)s”看不懂，应为“指标 ≥ 数值 单位”。", line=line))
                continue
            raw = match.group("value")
            try:
                value = None if raw.startswith("*") else Decimal(raw.replace(",", ""))
            except InvalidOperation:
                fail("目标", _("“%(line)s”的数值无效。", line=line))
                continue
            unit = match.group("unit").strip()
            targets.append(TargetData(
                metric=match.group("metric").strip(),
                comparator=SIGN_COMPARATORS[match.group("sign")], value=value,
                measure_unit=unit, cumulative=unit not in ("%", "％")))

        lead = _text(cell("牵头领导"))
        if row_errors:
            errors += row_errors
            continue
        result.append(LedgerRow(offset, code, TaskData(
            title=title, responsible_unit_id=unit_ids[0], co_responsible_unit_ids=unit_ids[1:],
            cooperating_unit_ids=cooperating, other_departments_participate=others,
            lead_leader_id=leaders.get(lead), lead_leader_name="" if lead in leaders else lead,
            start_date=start, due_date=due, level=level,
            category=_text(cell("类别")) if "类别" in columns else notes.get("类别", ""),
            targets=targets), plans, _text(cell("来源会议"))))
    return result, errors


def import_ledger(data: bytes, *, year: int, today: date, dry_run: bool = False
                  ) -> ImportResult:
    """Validate every row, then create or update tasks — all or nothing. The caller commits
    (or, with errors or a dry run, rolls back)."""
    rows, errors = read_ledger(data, year)
    result = ImportResult(errors=errors)
    if errors:
        return result
    existing = {t.code: t for t in db.session.scalars(
        select(Task).where(Task.code.in_([r.code for r in rows if r.code])))}
    calendar = WorkCalendar.load()
    for row in rows:
        task = existing.get(row.code) if row.code else None
        if row.meeting_title:
            row.data.meeting_id = _meeting(row.meeting_title, row.data.start_date).id
        try:
            if task is None:
                task = create_task(row.data, today=today, calendar=calendar, code=row.code)
                result.created += 1
            else:
                if task.deleted_at is not None:
                    raise ValidationError({"编号": _("该事项已删除，不能导入。")})
                update_task(task, row.data, today=today, calendar=calendar)
                result.updated += 1
        except ValidationError as error:
            result.errors += [CellError(row.row, _column(name), message)
                              for name, message in error.errors.items()]
            continue
        for milestone in task.milestones:
            plan = row.plans.get(milestone.period)
            if plan is not None and milestone.planned_work != plan:
                milestone.planned_work = plan
    db.session.flush()
    if result.errors:  # the caller rolls back: nothing was imported
        result.created = result.updated = 0
    return result


COLUMN_OF_FIELD = {"title": "督办事项", "responsible_unit_id": "责任单位",
                   "co_responsible_unit_ids": "责任单位", "cooperating_unit_ids": "配合单位",
                   "due_date": "完成时限", "lead_leader_id": "牵头领导", "code": "编号",
                   "level": "备注"}


def _column(name: str) -> str:
    return COLUMN_OF_FIELD.get(name, "目标" if name.startswith("targets") else name)


def _meeting(title: str, day: date) -> Meeting:
    """The meeting a ledger row names; one is recorded when the system has none by that title."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.title == title))
    if meeting is None:
        meeting = Meeting(title=title[:200], meeting_date=day, kind="document", full_text="")
        db.session.add(meeting)
        db.session.flush()
    return meeting


"""The Excel ledger (台账): export in the office's layout, and import it back.

Layout: 序号, 编号, 督办事项, 来源会议, 牵头领导, 责任单位, 配合单位, 目标 (one a line), 完成时限,
one column per month (计划 and 进展), 状态 (红 / 黄 / 绿, coloured; a closed task's status),
备注 (开始日期, 类别, 级别), then 责任人, 具体要求, 原文摘录 — nothing lost on the way back.
An import validates every row first and writes nothing if any cell is wrong; rows are matched
to tasks by 编号, so re-importing an exported ledger updates instead of duplicating.
A column the sheet lacks leaves that field alone. The plan (per task, the fields that change,
old → new; the new tasks; how many rows are unchanged) is shown before anything is written,
and unchanged rows write nothing at all. Import never deletes a task and never touches reports.
"""
import base64
import binascii
import hashlib
import re
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
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
from taskboard.tasks.schemas import API_NAMES, field_errors
from taskboard.tasks.services import (
    TargetData,
    TaskData,
    create_task,
    default_start,
    given_code,
    task_data,
    update_task,
    validate_task,
)
from taskboard.units.models import Unit
from taskboard.xlsx import styled_cell

MAX_BYTES = 5 * 1024 * 1024
FIXED = ["序号", "编号", "督办事项", "来源会议", "牵头领导", "责任单位", "配合单位", "目标",
         "完成时限"]
# What the office's layout lacks but a task holds: without these columns a round trip would
# empty them.
EXTRA = ["责任人", "具体要求", "原文摘录"]
TAIL = ["状态", "备注", *EXTRA]
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
OTHERS = "其他相关部门"


# ---- a task as the ledger's cells ---------------------------------------------------------

@dataclass
class Names:
    """Unit and leader names by id, to show a task's choices as the ledger writes them."""

    units: dict[int, str]
    leaders: dict[int, str]

    @classmethod
    def load(cls) -> "Names":
        units = db.session.execute(select(Unit.id, Unit.name))
        leaders = db.session.execute(select(User.id, User.display_name)
                                     .where(User.role == LEADER))
        return cls({i: name for i, name in units}, {i: name for i, name in leaders})


def _target_line(target: TargetData) -> str:
    value = "**" if target.value is None else plain(target.value)
    return f"{target.metric} {COMPARATOR_SIGNS[target.comparator]} {value} " \
           f"{target.measure_unit}".rstrip()


def describe(data: TaskData, meeting_title: str, names: Names) -> dict[str, str]:
    """The ledger's text for each column of a task: what export writes and import compares."""
    cooperating = [*(names.units.get(i, "") for i in data.cooperating_unit_ids),
                   *data.cooperating_names]
    if data.other_departments_participate:
        cooperating.append(OTHERS)
    return {
        "督办事项": data.title, "来源会议": meeting_title,
        "牵头领导": names.leaders.get(data.lead_leader_id, "") if data.lead_leader_id
        else data.lead_leader_name,
        "责任单位": "、".join(names.units.get(i, "") for i in
                           [data.responsible_unit_id, *data.co_responsible_unit_ids]),
        "配合单位": "、".join(cooperating),
        "目标": "\n".join(_target_line(t) for t in data.targets),
        "完成时限": data.due_date.isoformat(), "开始日期": data.start_date.isoformat(),
        "类别": data.category, "级别": str(labels.LEVELS.get(data.level, data.level)),
        "责任人": data.responsible_person, "具体要求": data.description,
        "原文摘录": data.source_excerpt,
    }


# ---- export ---------------------------------------------------------------------------------

def export_workbook(tasks: list[Task], year: int, as_of: AsOf) -> bytes:
    """The ledger of ``tasks`` (already filtered and visible), months of ``year``.

    Written row by row to a write-only sheet: a 5,000-task ledger never sits in memory as cells.
    """
    task_ids = [t.id for t in tasks]
    months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    month_cells = _month_cells(task_ids, months)
    lights = task_lights(task_ids, as_of)
    names = Names.load()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{year}年督办台账")
    # A write-only sheet takes its layout before the first row.
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D2"
    styles = _RowStyles(sheet)
    sheet.append([styled_cell(sheet, name, styles.header)
                  for name in [*FIXED, *(f"{m}月" for m in range(1, 13)), *TAIL]])
    for number, task in enumerate(tasks, 1):
        light = lights.get(task.id)
        text = describe(task_data(task), task.meeting.title if task.meeting else "", names)
        values = [number, task.code, *(text[name] for name in FIXED[2:-1]), task.due_date,
                  *(month_cells.get((task.id, period)) for period in months),
                  *_tail_cells(task, text, light)]
        sheet.append([styled_cell(sheet, value, styles.of(column, light))
                      for column, value in enumerate(values, 1)])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WIDTHS = [6, 14, 30, 20, 10, 20, 20, 28, 12, *([22] * 12), 8, 22, 10, 30, 30]
STATUS_COLUMN = len(FIXED) + 12 + 1


class _RowStyles:
    """One styled cell per look; every cell of the sheet copies one of them."""

    def __init__(self, sheet) -> None:
        self.header = WriteOnlyCell(sheet)
        self.header.font = Font(bold=True)
        self.header.alignment = Alignment(horizontal="center", vertical="center",
                                          wrap_text=True)
        self.header.fill = PatternFill("solid", fgColor="F3E8E8")
        self.text = WriteOnlyCell(sheet)
        self.text.alignment = WRAP
        self.due_date = WriteOnlyCell(sheet)
        self.due_date.alignment, self.due_date.number_format = WRAP, "yyyy-mm-dd"
        self.lights = {}
        for light, colour in LIGHT_FILLS.items():
            self.lights[light] = WriteOnlyCell(sheet)
            self.lights[light].alignment = WRAP
            self.lights[light].fill = PatternFill("solid", fgColor=colour)

    def of(self, column: int, light: str | None):
        if column == len(FIXED):
            return self.due_date
        if column == STATUS_COLUMN and light in self.lights:
            return self.lights[light]
        return self.text


def _month_cells(task_ids: list[int], months: list[str]) -> dict[tuple[int, str], str]:
    """Each month's cell per (task, period): 计划 and the report that counts (进展)."""
    progress: dict[int, tuple[str, str]] = {}
    for milestone_id, text, status in db.session.execute(
            select(ProgressReport.milestone_id, ProgressReport.text,
                   ProgressReport.review_status)
            .join(Milestone, Milestone.id == ProgressReport.milestone_id)
            .where(Milestone.task_id.in_(task_ids), Milestone.period.in_(months),
                   ProgressReport.review_status.in_(REPORTED_STATUSES))
            .order_by(ProgressReport.submitted_at)):
        progress[milestone_id] = (text, status)  # the latest counting report wins
    cells = {}
    for milestone_id, task_id, period, planned_work in db.session.execute(
            select(Milestone.id, Milestone.task_id, Milestone.period, Milestone.planned_work)
            .where(Milestone.task_id.in_(task_ids), Milestone.period.in_(months))):
        lines = [f"计划：{planned_work or '—'}"]
        if milestone_id in progress:
            text, status = progress[milestone_id]
            lines.append(f"进展：{text}" + ("（待审核）" if status == "pending" else ""))
        cells[task_id, period] = "\n".join(lines)
    return cells


def _tail_cells(task: Task, text: dict[str, str], light: str | None) -> list:
    """状态, 备注 and the columns the office's layout lacks (责任人, 具体要求, 原文摘录)."""
    notes = [f"开始日期：{text['开始日期']}"]
    if task.category:
        notes.append(f"类别：{task.category}")
    notes.append(f"级别：{text['级别']}")
    # A closed task has no light: its status (已办结) stands in the column instead.
    status = LIGHT_WORDS[light] if light else str(labels.STATUSES[task.status])
    return [status, "\n".join(notes), *(text[name] for name in EXTRA)]


def ledger_tasks(query, milestones: bool = True) -> list[Task]:
    """Load everything the ledger shows for the tasks ``query`` selects, in a few queries.

    ``milestones=False`` for the export, which reads the month cells as plain rows: 60,000
    milestone objects are most of a large ledger's loading time.
    """
    options = [joinedload(Task.responsible_unit), joinedload(Task.lead_leader),
               joinedload(Task.meeting), selectinload(Task.targets),
               selectinload(Task.shared_units).joinedload(TaskUnit.unit)]
    if milestones:
        options.append(selectinload(Task.milestones))
    return list(db.session.scalars(
        query.options(*options).order_by(Task.code_year, Task.code_number)).unique())


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
    """One row of the sheet: the task fields its columns give (and only those)."""

    row: int
    code: str | None
    fields: dict[str, Any]
    plans: dict[str, str] = field(default_factory=dict)  # period → planned work
    meeting_title: str | None = None  # None: the sheet has no 来源会议 column


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class PlannedRow:
    """What importing one row will do: create a task, or change these fields of one."""

    row: int
    data: TaskData
    meeting_title: str | None
    plans: dict[str, str]
    code: str | None = None
    task: Task | None = None
    changes: list[Change] = field(default_factory=list)


@dataclass
class ImportPlan:
    new: list[PlannedRow] = field(default_factory=list)
    changed: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)

    def fingerprint(self) -> str:
        """Names what the preview showed, so that 确认导入 applies exactly that or nothing."""
        shown = [(r.row, r.code, repr(r.data)) for r in self.new] + [
            (r.row, r.task.code, [(c.column, c.old, c.new) for c in r.changes])
            for r in self.changed]
        return hashlib.sha256(repr((shown, self.unchanged)).encode()).hexdigest()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    plan: ImportPlan | None = None


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
    """Every row as the task fields its columns give, or every cell that is wrong."""
    sheet = _open(data)
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    header_index, columns = _headers(rows)
    errors = [CellError(header_index + 1, name, _("缺少这一列。"))
              for name in ("督办事项", "责任单位", "完成时限") if name not in columns]
    if errors:
        return [], errors
    layout = _Layout.load(columns, year)
    result, codes = [], {}
    for offset, values in enumerate(rows[header_index + 1:], start=header_index + 2):
        if not any(_text(v) for v in values):
            continue
        reader = _RowReader(layout, offset, values)
        row = reader.read(codes)
        if reader.errors:
            errors += reader.errors
        else:
            result.append(row)
    return result, errors


@dataclass
class _Layout:
    """The sheet's columns by header name, and what every row is read against."""

    columns: dict[str, int]
    year: int
    directory: Directory
    leaders: dict[str, int]  # active leaders' ids by name
    months: dict[int, int]  # the month of each column headed 1月 … 12月

    @classmethod
    def load(cls, columns: dict[str, int], year: int) -> "_Layout":
        directory = Directory.load()
        leaders = {u.display_name: u.id for u in db.session.scalars(
            select(User).where(User.role == LEADER, User.active.is_(True)))}
        months = {column: int(m.group(1)) for name, column in columns.items()
                  if (m := MONTH_HEADER.match(name)) and 1 <= int(m.group(1)) <= 12}
        return cls(columns, year, directory, leaders, months)


class _RowReader:
    """One row of the sheet read into the task fields its columns give; every cell that is
    wrong lands in ``errors``."""

    def __init__(self, layout: _Layout, row: int, values: tuple) -> None:
        self.layout, self.row, self.values = layout, row, values
        self.fields: dict[str, Any] = {}
        self.errors: list[CellError] = []
        self.notes = {m.group(1): m.group(2).strip()
                      for line in _text(self.cell("备注")).splitlines()
                      if (m := NOTE_LINE.match(line.strip()))}

    def has(self, name: str) -> bool:
        return name in self.layout.columns

    def cell(self, name: str):
        column = self.layout.columns.get(name)
        return self.values[column] if column is not None and column < len(self.values) else None

    def given(self, name: str):
        """A column's cell, else the line of 备注; None when the sheet has neither."""
        if self.has(name):
            return self.cell(name)
        return self.notes.get(name, "") if self.has("备注") else None

    def fail(self, column: str, message: str) -> None:
        self.errors.append(CellError(self.row, column, message))

    def read(self, codes: dict[str, int]) -> LedgerRow:
        """The row's fields; ``codes`` holds the row of each 编号 read so far."""
        self.read_title()
        code = self.read_code(codes)
        self.read_responsible_units()
        if self.has("配合单位"):
            self.read_cooperating_units()
        self.read_due_date()
        self.read_start_date()
        if (category := self.given("类别")) is not None:
            self.fields["category"] = _text(category)
        if (level_name := self.given("级别")) is not None:
            self.read_level(_text(level_name))
        for name, key in (("责任人", "responsible_person"), ("具体要求", "description"),
                          ("原文摘录", "source_excerpt")):
            if self.has(name):
                self.fields[key] = _text(self.cell(name))
        if self.has("牵头领导"):
            self.read_lead_leader()
        if self.has("目标"):
            self.fields["targets"] = _targets(_text(self.cell("目标")), self.fail)
        self.check_lengths()
        return LedgerRow(self.row, code, self.fields, self.read_plans(),
                         _text(self.cell("来源会议")) if self.has("来源会议") else None)

    def check_lengths(self) -> None:
        """What the task schema allows of the free-text fields (no cell too long to store)."""
        columns = {"category": "类别", "lead_name": "牵头领导", "responsible_person": "责任人"}
        given = {name: self.fields[API_NAMES.get(name, name)] for name in columns
                 if API_NAMES.get(name, name) in self.fields}
        for name, message in field_errors(**given).items():
            self.fail(columns[name], message)

    def read_title(self) -> None:
        title = _text(self.cell("督办事项"))
        if message := field_errors(title=title).get("title"):
            self.fail("督办事项", message)
        self.fields["title"] = title

    def read_code(self, codes: dict[str, int]) -> str | None:
        code = _text(self.cell("编号")) or None
        if code and not CODE.match(code):
            self.fail("编号", _("格式应为 DB-2022-001。"))
        elif code and code in codes:
            self.fail("编号", _("与第 %(row)d 行重复。", row=codes[code]))
        elif code:
            codes[code] = self.row
        return code

    def read_responsible_units(self) -> None:
        responsible = [n for n in SEPARATORS.split(_text(self.cell("责任单位"))) if n.strip()]
        unit_ids = []
        if not responsible:
            self.fail("责任单位", _("不能为空。"))
        for name in responsible:
            unit = self.layout.directory.unit(name)
            if unit is None:
                self.fail("责任单位", _("单位“%(name)s”不存在。", name=name.strip()))
            else:
                unit_ids.append(unit.id)
        if unit_ids:
            self.fields["responsible_unit_id"] = unit_ids[0]
            self.fields["co_responsible_unit_ids"] = unit_ids[1:]

    def read_cooperating_units(self) -> None:
        # A cooperating body the system does not know stays a name, as the speech had it.
        cooperating, names, others = [], [], False
        for name in (n.strip() for n in SEPARATORS.split(_text(self.cell("配合单位")))
                     if n.strip()):
            if is_other_departments(name):
                others = True
            elif (unit := self.layout.directory.unit(name)) is None:
                names.append(name)
            else:
                cooperating.append(unit.id)
        self.fields |= {"cooperating_unit_ids": cooperating, "cooperating_names": names,
                        "other_departments_participate": others}

    def read_due_date(self) -> None:
        due = _date(self.cell("完成时限"))
        if due is None:
            self.fail("完成时限",
                      _("“%(value)s”不是有效的日期。", value=_text(self.cell("完成时限"))))
        self.fields["due_date"] = due

    def read_start_date(self) -> None:
        start_raw = self.given("开始日期")
        if start_raw:
            self.fields["start_date"] = _date(start_raw)
            if self.fields["start_date"] is None:
                self.fail("开始日期" if self.has("开始日期") else "备注",
                          _("开始日期“%(value)s”无效。", value=_text(start_raw)))

    def read_level(self, level_name: str) -> None:
        level = next((code for code, label in labels.LEVELS.items()
                      if level_name in (code, str(label))), None) if level_name else "normal"
        if level is None or level not in TASK_LEVELS:
            self.fail("级别" if self.has("级别") else "备注",
                      _("督办级别“%(value)s”无效。", value=level_name))
        self.fields["level"] = level

    def read_lead_leader(self) -> None:
        lead = _text(self.cell("牵头领导"))
        self.fields["lead_leader_id"] = self.layout.leaders.get(lead)
        self.fields["lead_leader_name"] = "" if lead in self.layout.leaders else lead

    def read_plans(self) -> dict[str, str]:
        """The planned work of each month column (计划：… in the cell), by period."""
        plans = {}
        for column, month in self.layout.months.items():
            content = _text(self.values[column]) if column < len(self.values) else ""
            if content:
                plan = next((line.split("：", 1)[1].strip() for line in content.splitlines()
                             if line.startswith("计划：")), "")
                plans[f"{self.layout.year:04d}-{month:02d}"] = "" if plan == "—" else plan
        return plans


def _targets(text: str, fail) -> list[TargetData]:
    targets = []
    for line in (part.strip() for part in text.splitlines() if part.strip()):
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
            metric=match.group("metric").strip(), comparator=SIGN_COMPARATORS[match.group("sign")],
            value=value, measure_unit=unit, cumulative=unit not in ("%", "％")))
    return targets


def _merged(base: TaskData, fields: dict[str, Any]) -> TaskData:
    """``base`` with what the sheet gives; a target keeps what the sheet cannot say (its
    baseline, whether it accumulates) while its metric stays the same."""
    data = replace(base, **fields)
    for position, target in enumerate(data.targets):
        if position < len(base.targets) and base.targets[position].metric == target.metric:
            old = base.targets[position]
            target.cumulative, target.baseline = old.cumulative, old.baseline
    return data


def plan_import(data: bytes, *, year: int, today: date) -> ImportPlan:
    """What importing ``data`` would do, row by row; changes nothing."""
    rows, errors = read_ledger(data, year)
    plan = ImportPlan(errors=errors)
    if errors:
        return plan
    existing = {t.code: t for t in ledger_tasks(
        select(Task).where(Task.code.in_([r.code for r in rows if r.code])))}
    names = Names.load()
    for row in rows:
        task = existing.get(row.code) if row.code else None
        if task is not None and task.deleted_at is not None:
            plan.errors.append(CellError(row.row, "编号", _("该事项已删除，不能导入。")))
            continue
        if task is None:
            base = TaskData(title="", responsible_unit_id=0, due_date=row.fields["due_date"],
                            start_date=default_start(today, year))
        else:
            base = task_data(task)
        new = _merged(base, row.fields)
        row_errors = _invalid(row, new, task)
        if row_errors:
            plan.errors += row_errors
            continue
        planned = PlannedRow(row.row, new, row.meeting_title, row.plans, row.code, task)
        if task is None:
            plan.new.append(planned)
            continue
        planned.changes = _changes(task, base, planned, names)
        if planned.changes:
            plan.changed.append(planned)
        else:
            plan.unchanged += 1
    return plan


def _invalid(row: LedgerRow, data: TaskData, task: Task | None) -> list[CellError]:
    """What is wrong with the task a row would leave (and with a new task's 编号)."""
    try:
        validate_task(data)
        if task is None and row.code:
            given_code(row.code)
    except ValidationError as error:
        return [CellError(row.row, _column(name), message)
                for name, message in error.errors.items()]
    return []


def _changes(task: Task, base: TaskData, planned: PlannedRow, names: Names) -> list[Change]:
    """The columns and monthly plans of ``task`` that ``planned`` changes, old → new."""
    meeting = task.meeting.title if task.meeting else ""
    before = describe(base, meeting, names)
    after = describe(planned.data,
                     meeting if planned.meeting_title is None else planned.meeting_title, names)
    changes = [Change(column, before[column], after[column])
               for column in before if before[column] != after[column]]
    for milestone in task.milestones:
        plan_text = planned.plans.get(milestone.period)
        if plan_text is not None and plan_text != milestone.planned_work:
            changes.append(Change(_("%(month)d月计划", month=int(milestone.period[5:])),
                                  milestone.planned_work, plan_text))
    return changes


def encode_payload(data: bytes) -> str:
    """The checked file, carried by the preview page to 确认导入 (no server-side storage)."""
    return base64.b64encode(data).decode()


def decode_payload(payload: str) -> bytes:
    try:
        return base64.b64decode(payload.encode(), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"file": _("请重新选择要导入的文件。")}) from None


def plan_lines(plan: ImportPlan) -> list[str]:
    """The plan in words, as the import page shows it and ``ledger import --dry-run`` prints."""
    lines = [_("将新建 %(new)d 项，更新 %(changed)d 项，%(unchanged)d 项不变。",
               new=len(plan.new), changed=len(plan.changed), unchanged=plan.unchanged)]
    for planned in plan.new:
        lines.append(_("新建（第 %(row)d 行）：%(title)s", row=planned.row,
                       title=planned.data.title))
    for planned in plan.changed:
        lines.append(_("更新 %(code)s %(title)s：", code=planned.task.code,
                       title=planned.task.title))
        lines += [f"  {c.column}：{c.old or '—'} → {c.new or '—'}" for c in planned.changes]
    return lines


def apply_plan(plan: ImportPlan, *, today: date) -> ImportResult:
    """Create and change exactly what ``plan`` lists; untouched rows write nothing (no audit).
    The caller commits."""
    calendar = WorkCalendar.load()
    for planned in [*plan.new, *plan.changed]:
        if planned.meeting_title is not None:
            planned.data.meeting_id = _meeting(planned.meeting_title,
                                               planned.data.start_date).id \
                if planned.meeting_title else None
        if planned.task is None:
            task = create_task(planned.data, today=today, calendar=calendar, code=planned.code)
        else:
            task = update_task(planned.task, planned.data, today=today, calendar=calendar)
        for milestone in task.milestones:
            plan_text = planned.plans.get(milestone.period)
            if plan_text is not None and milestone.planned_work != plan_text:
                milestone.planned_work = plan_text
    db.session.flush()
    return ImportResult(created=len(plan.new), updated=len(plan.changed),
                        unchanged=plan.unchanged, plan=plan)


def import_ledger(data: bytes, *, year: int, today: date, dry_run: bool = False
                  ) -> ImportResult:
    """Check every row, then create or update tasks — all or nothing. A dry run only says
    what would change. The caller commits (or, with errors, rolls back)."""
    plan = plan_import(data, year=year, today=today)
    if plan.errors or dry_run:
        return ImportResult(created=len(plan.new), updated=len(plan.changed),
                            unchanged=plan.unchanged, errors=plan.errors, plan=plan)
    return apply_plan(plan, today=today)


COLUMN_OF_FIELD = {"title": "督办事项", "responsible_unit_id": "责任单位",
                   "co_responsible_unit_ids": "责任单位", "cooperating_unit_ids": "配合单位",
                   "due_date": "完成时限", "start_date": "开始日期", "lead_leader_id": "牵头领导",
                   "code": "编号", "level": "备注", "category": "备注",
                   "responsible_person": "责任人", "meeting_id": "来源会议"}


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

"""What a task and its follow-through take as input, described once.

``TaskInput`` (pydantic) is what the API parses and what its OpenAPI document shows
(``taskboard.schemas.document_schemas``); its bounds are the ones the task form and the ledger
import check (``field_errors``), and ``rule_errors`` holds the rules every way in shares (form,
API, ledger, speech review) before the database is asked (``services.validate_task``). The
follow-through's inputs (a report, a review, a request, a decision, a comment, 暂缓) are
models here too, their lengths the forms' (``TEXT_MAX``). Every message is Chinese
(flask_babel), keyed by the field at fault: ``targets.0.metric`` for the API.
"""
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from taskboard.clock import year_error
from taskboard.schemas import (
    Day,
    Filled,
    Flag,
    Id,
    Ids,
    Objects,
    OptionalDay,
    OptionalId,
    Text,
    invalid,
    is_id,
    model_errors,
    number,
    one_of,
)

from .models import AMOUNT_LIMIT, COMPARATORS, REQUEST_KINDS, TASK_LEVELS

TITLE_MAX = 200
METRIC_MAX, MEASURE_UNIT_MAX, CATEGORY_MAX, NAME_MAX = 200, 20, 100, 64
# A due date further away than this is a typo (9999-12-31), and would plan a month for each.
MAX_YEARS = 5
# Fields a new task cannot do without (a PATCH gives only what changes).
REQUIRED_ON_CREATE = ("title", "responsible_unit_id", "due_date")


def latest_due(start: date) -> date:
    try:
        return start.replace(year=start.year + MAX_YEARS)
    except ValueError:  # 29 February
        return start.replace(year=start.year + MAX_YEARS, day=28)


def due_date_error(start: date, due: date) -> str | None:
    """Why ``due`` cannot end a task that starts on ``start`` (a year Taskboard keeps), if it
    cannot."""
    if due < start:
        return _("完成时限不能早于开始日期 %(start)s。", start=start.isoformat())
    if due > latest_due(start):
        return _("完成时限最晚为开始日期后 %(years)d 年（%(limit)s）。", years=MAX_YEARS,
                 limit=latest_due(start).isoformat())
    return year_error(due.year)  # within 5 years of 2100 and still past it


def rule_errors(data) -> dict[str, str]:
    """What is wrong with ``data`` (a ``TaskData``) without asking the database."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("请填写督办事项名称。")
    elif len(data.title) > TITLE_MAX:
        errors["title"] = _("名称不能超过 %(max)d 个字。", max=TITLE_MAX)
    if message := year_error(data.start_date.year):
        errors["start_date"] = message
    elif message := due_date_error(data.start_date, data.due_date):
        errors["due_date"] = message
    if data.level not in TASK_LEVELS:
        errors["level"] = _("督办级别无效。")
    for index, target in enumerate(data.targets):
        if not target.metric.strip():
            errors[f"targets-{index}-metric"] = _("请填写指标名称。")
        if target.comparator not in COMPARATORS:
            errors[f"targets-{index}-comparator"] = _("比较方式无效。")
        if message := amount_error(target.value):
            errors[f"targets-{index}-value"] = message
    return errors


# ---- figures: target values, planned and reported amounts -------------------------------

def amount_error(value: Decimal | None) -> str | None:
    """Why ``value`` cannot be stored as a target, plan or reported figure, if it cannot."""
    if value is not None and abs(value) >= AMOUNT_LIMIT:
        return _("数值超出范围：绝对值须小于 100 万亿。")
    return None


def _amount(value: Any) -> Decimal | None:
    if value is not None and (value := number(value)) is None:
        raise invalid(_("必须是数字或 null。"))
    if message := amount_error(value):
        raise invalid(message)
    return value


# What the document says a figure is: a number within the columns' range.
FIGURE_SCHEMA = {"type": "number", "exclusiveMinimum": -int(AMOUNT_LIMIT),
                 "exclusiveMaximum": int(AMOUNT_LIMIT)}
Amount = Annotated[Decimal | None, BeforeValidator(_amount),
                   WithJsonSchema({**FIGURE_SCHEMA, "type": ["number", "null"]})]


class TargetInput(BaseModel):
    """A figure the task must reach: 指标 ≥ 数值 单位 (``value`` null when the speech hid it)."""

    metric: Annotated[Filled, Field(max_length=METRIC_MAX)]
    comparator: one_of(COMPARATORS) = ">="
    value: Amount = None
    unit: Annotated[Text, Field(max_length=MEASURE_UNIT_MAX)] = ""
    cumulative: Flag = True

    def fields(self) -> dict[str, Any]:
        """As ``TargetData`` keyword arguments."""
        return {"metric": self.metric, "comparator": self.comparator, "value": self.value,
                "measure_unit": self.unit, "cumulative": self.cumulative}


Targets = Annotated[list[TargetInput], Objects]
# The API's names of TaskData's fields, where they differ.
API_NAMES = {"lead_id": "lead_leader_id", "lead_name": "lead_leader_name"}


class TaskInput(BaseModel):
    """A task as the API takes it: a POST gives at least its title, responsible unit and due
    date (REQUIRED_ON_CREATE), a PATCH only the fields that change."""

    title: Annotated[Filled, Field(max_length=TITLE_MAX)] = None
    responsible_unit_id: Id = None
    co_responsible_unit_ids: Ids = []
    cooperating_unit_ids: Ids = []
    lead_id: OptionalId = None
    lead_name: Annotated[Text, Field(max_length=NAME_MAX)] = ""
    start_date: Annotated[Day, Field(description="交办日 (start); default: today")] = None
    due_date: Day = None
    level: one_of(TASK_LEVELS) = "normal"
    category: Annotated[Text, Field(max_length=CATEGORY_MAX)] = ""
    responsible_person: Annotated[Text, Field(max_length=NAME_MAX)] = ""
    description: Text = ""
    other_departments_participate: Flag = False
    targets: Targets = []

    def fields(self) -> dict[str, Any]:
        """The fields given, by TaskData's names; each target as TargetData's arguments."""
        given = {API_NAMES.get(name, name): getattr(self, name) for name in self.model_fields_set}
        if "targets" in given:
            given["targets"] = [target.fields() for target in self.targets]
        return given


def field_errors(**values: Any) -> dict[str, str]:
    """What is wrong with these ``TaskInput`` fields (a form's or a ledger row's values)."""
    return model_errors(TaskInput, **values)


# ---- the follow-through: what a unit, a leader and the office send --------------------------

TEXT_MAX = 5000  # a report, a reason, a comment or a review's opinion
Long = Annotated[Filled, Field(max_length=TEXT_MAX)]
Opinion = Annotated[Text, Field(max_length=TEXT_MAX)]


def _figures(value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid(_("必须是 {指标编号: 数值} 形式的对象。"))
    return value


def _not_a_figure():
    return invalid(_("指标编号必须是整数，数值必须是数字。"))


def _target_key(value: Any) -> int:
    if not (isinstance(value, str) and value.isascii() and value.isdigit()
            and is_id(int(value))):
        raise _not_a_figure()
    return int(value)


def _figure(value: Any) -> Decimal:
    if (figure := number(value)) is None:
        raise _not_a_figure()
    if message := amount_error(figure):
        raise invalid(message)
    return figure


TargetKey = Annotated[int, BeforeValidator(_target_key)]
Figures = Annotated[
    dict[TargetKey, Annotated[Decimal, BeforeValidator(_figure)]], BeforeValidator(_figures),
    # Keys of up to 9 digits: ids a column holds (the parser takes up to INT_MAX).
    WithJsonSchema({"type": "object", "propertyNames": {"pattern": "^[0-9]{1,9}$"},
                    "additionalProperties": FIGURE_SCHEMA,
                    "description": "target id → actual value"})]


class ReportInput(BaseModel):
    """A month's report: what was done, and the figures reached (target id → value)."""

    text: Long
    values: Figures = {}
    no_data: Annotated[Ids, Field(description="targets without statistics this month "
                                              "(暂无数据)")] = []


class ReviewInput(BaseModel):
    """复核: accept or return a report (a return says why)."""

    decision: one_of(("accept", "return"))
    comment: Opinion = ""


class RequestInput(BaseModel):
    """异议, 申请延期 (with the date asked for) or 申请办结, with a reason."""

    kind: one_of(REQUEST_KINDS)
    reason: Long
    due_date: OptionalDay = None


class DecisionInput(BaseModel):
    """The office's decision on a request; upholding an objection names the new unit."""

    decision: one_of(("approve", "reject"))
    comment: Opinion = ""
    unit_id: OptionalId = None


class CommentInput(BaseModel):
    """A comment on a task; a leader's is a 批示."""

    text: Long


class SuspendInput(BaseModel):
    """暂缓: why the task waits."""

    reason: Long


INPUTS = (TaskInput, ReportInput, ReviewInput, RequestInput, DecisionInput, CommentInput,
          SuspendInput)

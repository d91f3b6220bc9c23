"""A task as input, described once.

``TaskInput`` (pydantic) is what the API parses and what its OpenAPI document shows
(``document_schemas``); its bounds are the ones the task form and the ledger import check
(``field_errors``), and ``rule_errors`` holds the rules every way in shares (form, API, ledger,
speech review) before the database is asked (``services.validate_task``). Every message is
Chinese (flask_babel), keyed by the field at fault: ``targets.0.metric`` for the API.
"""
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, TypeVar

from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, WithJsonSchema
from pydantic import ValidationError as PydanticError
from pydantic.json_schema import GenerateJsonSchema, models_json_schema
from pydantic_core import PydanticCustomError

from taskboard.errors import ValidationError
from taskboard.security import INT_MAX

from .models import COMPARATORS, TASK_LEVELS

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
    """Why ``due`` cannot end a task that starts on ``start``, if it cannot."""
    if due < start:
        return _("完成时限不能早于开始日期 %(start)s。", start=start.isoformat())
    if due > latest_due(start):
        return _("完成时限最晚为开始日期后 %(years)d 年（%(limit)s）。", years=MAX_YEARS,
                 limit=latest_due(start).isoformat())
    return None


def rule_errors(data) -> dict[str, str]:
    """What is wrong with ``data`` (a ``TaskData``) without asking the database."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("请填写督办事项名称。")
    elif len(data.title) > TITLE_MAX:
        errors["title"] = _("名称不能超过 %(max)d 个字。", max=TITLE_MAX)
    if message := due_date_error(data.start_date, data.due_date):
        errors["due_date"] = message
    if data.level not in TASK_LEVELS:
        errors["level"] = _("督办级别无效。")
    for index, target in enumerate(data.targets):
        if not target.metric.strip():
            errors[f"targets-{index}-metric"] = _("请填写指标名称。")
        if target.comparator not in COMPARATORS:
            errors[f"targets-{index}-comparator"] = _("比较方式无效。")
    return errors


# ---- field types: each bad value is one Chinese message --------------------------------------

def _invalid(message: str) -> PydanticCustomError:
    return PydanticCustomError("taskboard", "{message}", {"message": message})


def is_id(value: Any) -> bool:
    """An integer a database column can hold (ids, counts); a bool is not one."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= INT_MAX


def number(value: Any) -> Decimal | None:
    """A JSON number (or numeric string) as a Decimal; None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid(_("必须是字符串。"))
    return value


def _filled(value: str) -> str:
    if not value.strip():
        raise _invalid(_("不能为空。"))
    return value


def _integer(value: Any) -> int | None:
    if (value is not None and not isinstance(value, int)) or isinstance(value, bool):
        raise _invalid(_("必须是整数。"))
    return value


def _required(value: Any) -> Any:
    if value is None:
        raise _invalid(_("不能为空。"))
    return value


def _integers(value: Any) -> list[int]:
    if not value:
        return []
    if not isinstance(value, list) or not all(is_id(v) for v in value):
        raise _invalid(_("必须是整数数组。"))
    return value


def _day(value: Any) -> date:
    try:
        return date.fromisoformat(_required(value))
    except (TypeError, ValueError):
        raise _invalid(_("必须是 YYYY-MM-DD 格式的日期。")) from None


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _invalid(_("必须是 true 或 false。"))
    return value


def _amount(value: Any) -> Decimal | None:
    if value is not None and (value := number(value)) is None:
        raise _invalid(_("必须是数字或 null。"))
    return value


def _objects(value: Any) -> list[dict]:
    if not value:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _invalid(_("必须是对象数组。"))
    return value


def _one_of(options: tuple[str, ...]):
    def check(value: Any) -> str:
        if value not in options:
            raise _invalid(_("必须是以下之一：%(options)s。", options=", ".join(options)))
        return value
    return Annotated[Literal[options], BeforeValidator(check)]


Text = Annotated[str, BeforeValidator(_text)]
Filled = Annotated[str, BeforeValidator(_text), AfterValidator(_filled)]
DbInt = Annotated[int, Field(ge=-INT_MAX, le=INT_MAX)]
Id = Annotated[DbInt, BeforeValidator(_integer), BeforeValidator(_required)]
OptionalId = Annotated[DbInt | None, BeforeValidator(_integer)]
Ids = Annotated[list[DbInt], BeforeValidator(_integers)]
Day = Annotated[date, BeforeValidator(_day)]
Flag = Annotated[bool, BeforeValidator(_boolean)]
Amount = Annotated[Decimal | None, BeforeValidator(_amount),
                   WithJsonSchema({"type": ["number", "null"]})]


class TargetInput(BaseModel):
    """A figure the task must reach: 指标 ≥ 数值 单位 (``value`` null when the speech hid it)."""

    metric: Annotated[Filled, Field(max_length=METRIC_MAX)]
    comparator: _one_of(COMPARATORS) = ">="
    value: Amount = None
    unit: Annotated[Text, Field(max_length=MEASURE_UNIT_MAX)] = ""
    cumulative: Flag = True

    def fields(self) -> dict[str, Any]:
        """As ``TargetData`` keyword arguments."""
        return {"metric": self.metric, "comparator": self.comparator, "value": self.value,
                "measure_unit": self.unit, "cumulative": self.cumulative}


Targets = Annotated[list[TargetInput], BeforeValidator(_objects)]
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
    level: _one_of(TASK_LEVELS) = "normal"
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


Model = TypeVar("Model", bound=BaseModel)


def _message(error: dict) -> str:
    kind, context = error["type"], error.get("ctx", {})
    if kind == "taskboard":
        return context["message"]
    if kind in ("string_too_long", "too_long"):  # a str under a validator reports the latter
        return _("不能超过 %(max)d 个字。", max=context["max_length"])
    if kind in ("greater_than_equal", "less_than_equal"):
        return _("超出范围。")
    if kind == "missing":
        return _("不能为空。")
    return error["msg"]


def parse(model: type[Model], data: Any, *, required: tuple[str, ...] = ()) -> Model:
    """``data`` (a JSON body) as ``model``, or ValidationError with a message per field; the
    ``required`` fields must be given."""
    if not isinstance(data, dict):
        raise ValidationError({"body": _("请求体必须是 JSON 对象。")})
    errors = {name: _("不能为空。") for name in required if name not in data}
    try:
        parsed = model.model_validate(data)
    except PydanticError as error:
        for detail in error.errors():
            errors.setdefault(".".join(str(part) for part in detail["loc"]), _message(detail))
    if errors:
        raise ValidationError(errors)
    return parsed


def field_errors(**values: Any) -> dict[str, str]:
    """What is wrong with these ``TaskInput`` fields (a form's or a ledger row's values)."""
    try:
        parse(TaskInput, values)
    except ValidationError as error:
        return error.errors
    return {}


class _Document(GenerateJsonSchema):
    """JSON Schema for OpenAPI 3.1: no ``default: null`` where null is refused."""

    def default_schema(self, schema):
        generated = super().default_schema(schema)
        if generated.get("default", ...) is None:
            del generated["default"]
        return generated


def document_schemas(ref_prefix: str = "#/components/schemas/") -> dict[str, Any]:
    """The input models as OpenAPI components, by model name."""
    _refs, document = models_json_schema([(TaskInput, "validation")],
                                         ref_template=ref_prefix + "{model}",
                                         schema_generator=_Document)
    return document["$defs"]

"""Input described once: the field types every input model is built from, and how a JSON body
is parsed into one (``parse``) and shown in the OpenAPI document (``document_schemas``).

Each domain declares its own models from these types (``tasks/schemas.py``,
``auth/schemas.py``); the API parses its bodies with them and generates its document from them,
so what is checked and what is documented cannot drift. Every message is Chinese (flask_babel),
keyed by the field at fault (``targets.0.metric``); the error format is ``ValidationError``'s.
"""
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, TypeVar

from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, WithJsonSchema
from pydantic import ValidationError as PydanticError
from pydantic.json_schema import GenerateJsonSchema, models_json_schema
from pydantic_core import PydanticCustomError

from taskboard.clock import FIRST_YEAR, LAST_YEAR, year_error
from taskboard.errors import ValidationError
from taskboard.security import INT_MAX


def invalid(message: str) -> PydanticCustomError:
    """A field's error carrying its own (translated) message."""
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
        raise invalid(_("必须是字符串。"))
    return value


def _filled(value: str) -> str:
    if not value.strip():
        raise invalid(_("不能为空。"))
    return value


def _whole(value: Any) -> Any:
    # JSON Schema's integer is any whole number: 5.0 names the same row as 5.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _integer(value: Any) -> int | None:
    value = _whole(value)
    if (value is not None and not isinstance(value, int)) or isinstance(value, bool):
        raise invalid(_("必须是整数。"))
    return value


def _required(value: Any) -> Any:
    if value is None:
        raise invalid(_("不能为空。"))
    return value


def _integers(value: Any) -> list[int]:
    if not value:
        return []
    whole = [_whole(item) for item in value] if isinstance(value, list) else None
    if whole is None or not all(is_id(item) for item in whole):
        raise invalid(_("必须是整数数组。"))
    return whole


def _day(value: Any) -> date:
    try:
        day = date.fromisoformat(_required(value))
    except (TypeError, ValueError):
        raise invalid(_("必须是 YYYY-MM-DD 格式的日期。")) from None
    if message := year_error(day.year):
        raise invalid(message)
    return day


def _optional_day(value: Any) -> date | None:
    return None if value is None else _day(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise invalid(_("必须是 true 或 false。"))
    return value


def _objects(value: Any) -> list[dict]:
    if not value:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise invalid(_("必须是对象数组。"))
    return value


def one_of(options: Sequence[str]):
    """A string that must be one of ``options``."""
    options = tuple(options)

    def check(value: Any) -> str:
        if value not in options:
            raise invalid(_("必须是以下之一：%(options)s。", options=", ".join(options)))
        return value
    return Annotated[Literal[options], BeforeValidator(check)]


Text = Annotated[str, BeforeValidator(_text)]
Filled = Annotated[str, BeforeValidator(_text), AfterValidator(_filled)]
DbInt = Annotated[int, Field(ge=-INT_MAX, le=INT_MAX)]
Id = Annotated[DbInt, BeforeValidator(_integer), BeforeValidator(_required)]
OptionalId = Annotated[DbInt | None, BeforeValidator(_integer)]
Ids = Annotated[list[DbInt], BeforeValidator(_integers)]
# What the document says a day is: YYYY-MM-DD in one of the years Taskboard keeps.
DAY_SCHEMA = {"type": "string", "format": "date", "pattern": (
    f"^({'|'.join(str(year) for year in range(FIRST_YEAR, LAST_YEAR + 1))})"
    "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")}
Day = Annotated[date, BeforeValidator(_day), WithJsonSchema(DAY_SCHEMA)]
OptionalDay = Annotated[date | None, BeforeValidator(_optional_day), WithJsonSchema(
    {"anyOf": [DAY_SCHEMA, {"type": "null"}]})]
Flag = Annotated[bool, BeforeValidator(_boolean)]
Objects = BeforeValidator(_objects)

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


def _field(location: tuple) -> str:
    # A mapping's key at fault is reported at its entry ("values.abc"), as its value would be.
    return ".".join(str(part) for part in location if part != "[key]")


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
            errors.setdefault(_field(detail["loc"]), _message(detail))
    if errors:
        raise ValidationError(errors)
    return parsed


def model_errors(model: type[BaseModel], **values: Any) -> dict[str, str]:
    """What is wrong with these fields of ``model`` (a form's or a ledger row's values)."""
    try:
        parse(model, values)
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


def document_schemas(models: Sequence[type[BaseModel]],
                     ref_prefix: str = "#/components/schemas/") -> dict[str, Any]:
    """``models`` (and the models they contain) as OpenAPI components, by model name."""
    _refs, document = models_json_schema([(model, "validation") for model in models],
                                         ref_template=ref_prefix + "{model}",
                                         schema_generator=_Document)
    return document["$defs"]

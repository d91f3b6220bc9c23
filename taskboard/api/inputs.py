"""Reading JSON bodies: each bad field becomes a message in ValidationError.fields."""
from datetime import date
from typing import Any

from flask_babel import gettext as _

from taskboard.errors import ValidationError

# number: a JSON number read as a Decimal, as the task schema reads target values.
from taskboard.tasks.schemas import is_id
from taskboard.tasks.schemas import number as number


class Body:
    """A JSON object whose fields are read with type checks, errors collected per field."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise ValidationError({"body": _("请求体必须是 JSON 对象。")})
        self.data = data
        self.errors: dict[str, str] = {}

    def _fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def text(self, name: str, *, required: bool = False, default: str = "",
             max_length: int | None = None) -> str:
        value = self.data.get(name, default)
        if value is None:
            value = default
        if not isinstance(value, str):
            self._fail(name, _("必须是字符串。"))
            return default
        if required and not value.strip():
            self._fail(name, _("不能为空。"))
        if max_length is not None and len(value) > max_length:
            self._fail(name, _("不能超过 %(max)d 个字。", max=max_length))
        return value

    def integer(self, name: str, *, required: bool = False) -> int | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self._fail(name, _("不能为空。"))
            return None
        if not is_id(value):
            self._fail(name, _("必须是整数。") if not isinstance(value, int) else _("超出范围。"))
            return None
        return value

    def integers(self, name: str) -> list[int]:
        value = self.data.get(name) or []
        if not isinstance(value, list) or not all(is_id(v) for v in value):
            self._fail(name, _("必须是整数数组。"))
            return []
        return value

    def day(self, name: str, *, required: bool = False) -> date | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self._fail(name, _("不能为空。"))
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self._fail(name, _("必须是 YYYY-MM-DD 格式的日期。"))
            return None

    def choice(self, name: str, options: tuple[str, ...], *, default: str | None = None) -> str:
        value = self.data.get(name, default)
        if value not in options:
            self._fail(name, _("必须是以下之一：%(options)s。", options=", ".join(options)))
            return default or options[0]
        return value

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

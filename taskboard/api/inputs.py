"""Reading JSON bodies: each bad field becomes a message in ValidationError.fields."""
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from taskboard.errors import ValidationError
from taskboard.security import INT_MAX


def _is_id(value: Any) -> bool:
    """An integer a database column can hold (ids, counts); a bool is not one."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= INT_MAX


class Body:
    """A JSON object whose fields are read with type checks, errors collected per field."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise ValidationError({"body": _("请求体必须是 JSON 对象。")})
        self.data = data
        self.errors: dict[str, str] = {}

    def has(self, name: str) -> bool:
        return name in self.data

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
        if not _is_id(value):
            self._fail(name, _("必须是整数。") if not isinstance(value, int) else _("超出范围。"))
            return None
        return value

    def integers(self, name: str) -> list[int]:
        value = self.data.get(name) or []
        if not isinstance(value, list) or not all(_is_id(v) for v in value):
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

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self._fail(name, _("必须是 true 或 false。"))
            return default
        return value

    def choice(self, name: str, options: tuple[str, ...], *, default: str | None = None) -> str:
        value = self.data.get(name, default)
        if value not in options:
            self._fail(name, _("必须是以下之一：%(options)s。", options=", ".join(options)))
            return default or options[0]
        return value

    def objects(self, name: str) -> list["Body"]:
        value = self.data.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self._fail(name, _("必须是对象数组。"))
            return []
        return [Body(v) for v in value]

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def number(value: Any) -> Decimal | None:
    """A JSON number (or numeric string) as a Decimal; None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None

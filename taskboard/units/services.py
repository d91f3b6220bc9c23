"""Units: creation and edits. The caller commits."""
import re

from flask_babel import gettext as _
from sqlalchemy import select

from taskboard.errors import ValidationError
from taskboard.extensions import db

from .models import ROBOT_KINDS, UNIT_KINDS, Unit

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,29}$")
# What 钉钉 shows as the 加签 secret: printable ASCII, no spaces (it is sent in a signature).
SECRET_RE = re.compile(r"^[\x21-\x7e]{1,200}$")


def _validate(values: dict, unit: Unit | None) -> None:
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = _("请填写单位名称。")
    elif len(values["name"]) > 100:
        errors["name"] = _("单位名称不能超过 100 个字。")
    if not CODE_RE.match(values["code"]):
        errors["code"] = _("单位代码用 2–30 个小写字母、数字或下划线，以字母开头。")
    if values["kind"] not in UNIT_KINDS:
        errors["kind"] = _("单位类型无效。")
    for name in ("name", "code"):
        clash = db.session.scalar(select(Unit.id).where(getattr(Unit, name) == values[name]))
        if clash is not None and (unit is None or clash != unit.id) and name not in errors:
            errors[name] = _("“%(value)s”已被其他单位使用。", value=values[name])
    parent_id = values.get("parent_id")
    if parent_id is not None:
        if db.session.get(Unit, parent_id) is None:
            errors["parent_id"] = _("上级单位不存在。")
        elif unit is not None and _is_descendant_or_self(parent_id, unit.id):
            errors["parent_id"] = _("上级单位不能是本单位或其下级。")
    webhook = values.get("webhook_url")
    if webhook and not webhook.startswith(("http://", "https://")):
        errors["webhook_url"] = _("机器人地址必须以 http:// 或 https:// 开头。")
    if values["robot_kind"] not in ROBOT_KINDS:
        errors["robot_kind"] = _("群机器人类型无效。")
    secret = values.get("robot_secret")
    if secret and not SECRET_RE.match(secret):
        errors["robot_secret"] = _("加签密钥只能由字母、数字和符号组成，"
                                   "不含空格，最多 200 个字符。")
    if errors:
        raise ValidationError(errors)


def _is_descendant_or_self(candidate_id: int, unit_id: int) -> bool:
    current = db.session.get(Unit, candidate_id)
    while current is not None:
        if current.id == unit_id:
            return True
        current = current.parent
    return False


def _clean(values: dict, unit: Unit | None = None) -> dict:
    cleaned = {key: value.strip() if isinstance(value, str) else value
               for key, value in values.items()}
    cleaned["webhook_url"] = cleaned.get("webhook_url") or None
    cleaned["robot_kind"] = cleaned.get("robot_kind") or "wecom"
    # A blank secret on an edit keeps the stored one: the form never shows it back.
    secret = cleaned.get("robot_secret") or (unit.robot_secret if unit else None)
    signed = cleaned["webhook_url"] and cleaned["robot_kind"] == "dingtalk"
    cleaned["robot_secret"] = secret if signed else None
    return cleaned


def create_unit(**values) -> Unit:
    values = _clean(values)
    _validate(values, None)
    unit = Unit(**values)
    db.session.add(unit)
    db.session.flush()
    return unit


def update_unit(unit: Unit, **values) -> Unit:
    values = _clean(values, unit)
    _validate(values, unit)
    for key, value in values.items():
        setattr(unit, key, value)
    db.session.flush()
    return unit

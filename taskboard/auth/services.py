"""Accounts: creation, passwords, log-in bookkeeping. The caller commits."""
import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from taskboard.clock import utcnow
from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.units.models import Unit

from .models import ROLES, UNIT_ROLES, User

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PASSWORD_MIN = 8


def _validate(
    *, username: str, role: str, unit: Unit | None, email: str | None, display_name: str,
    user: User | None = None, password: str | None = None,
) -> None:
    errors: dict[str, str] = {}
    if password is not None and len(password) < PASSWORD_MIN:
        errors["password"] = _("密码至少 %(min)d 位。", min=PASSWORD_MIN)
    if not USERNAME_RE.match(username):
        errors["username"] = _("用户名只能用 2–64 个字母、数字、下划线、点或横线。")
    else:
        clash = db.session.scalar(
            select(User.id).where(func.lower(User.username) == username.lower())
        )
        if clash is not None and (user is None or clash != user.id):
            errors["username"] = _("用户名“%(name)s”已被使用。", name=username)
    if role not in ROLES:
        errors["role"] = _("角色无效，可选：%(roles)s。", roles=", ".join(ROLES))
    elif role in UNIT_ROLES and unit is None:
        errors["unit"] = _("单位负责人和填报员必须属于一个单位。")
    if email and not EMAIL_RE.match(email):
        errors["email"] = _("邮箱格式不正确。")
    if len(display_name) > 64:
        errors["display_name"] = _("姓名不能超过 64 个字。")
    if errors:
        raise ValidationError(errors)


def create_user(
    *, username: str, role: str, password: str, unit: Unit | None = None,
    email: str | None = None, display_name: str = "",
) -> User:
    username = (username or "").strip()
    display_name = (display_name or "").strip() or username
    email = (email or "").strip() or None
    _validate(username=username, role=role, unit=unit, email=email, display_name=display_name,
              password=password or "")
    user = User(username=username, role=role, unit=unit, email=email or None,
                display_name=display_name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(
    user: User, *, role: str, unit: Unit | None, email: str | None, display_name: str,
    active: bool,
) -> User:
    display_name = (display_name or "").strip() or user.username
    email = (email or "").strip() or None
    _validate(username=user.username, role=role, unit=unit, email=email,
              display_name=display_name, user=user)
    user.role, user.unit, user.email = role, unit, email or None
    user.display_name, user.active = display_name, active
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if len(password or "") < PASSWORD_MIN:
        raise ValidationError({"new_password": _("密码至少 %(min)d 位。", min=PASSWORD_MIN)})
    user.set_password(password)
    db.session.flush()


def change_own_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise ValidationError({"current_password": _("当前密码不正确。")})
    set_password(user, new)


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for every failure)."""
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == username.strip().lower())
    )
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def find_unit(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise ValidationError({"unit": _("单位代码“%(code)s”不存在。", code=code)})
    return unit

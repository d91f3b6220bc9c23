"""Accounts: creation, passwords, log-in bookkeeping. The caller commits."""
import re
import secrets
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from taskboard.clock import utcnow
from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.units.models import Unit

from . import sessions, throttle
from .models import ROLES, UNIT_ROLES, LoginSession, User

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PASSWORD_MIN = 10


@cache
def _common_passwords() -> frozenset[str]:
    lines = (Path(__file__).parent / "common_passwords.txt").read_text().splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def password_problem(password: str, username: str) -> str | None:
    """Why ``password`` is too weak for ``username``, or None."""
    if len(password) < PASSWORD_MIN:
        return _("密码至少 %(min)d 位。", min=PASSWORD_MIN)
    lowered = password.lower()
    if lowered == username.strip().lower():
        return _("密码不能与用户名相同。")
    # One or two characters repeated ("aaaaaaaaaa", "1212121212") are as weak as the list.
    if lowered in _common_passwords() or len(set(lowered)) <= 2:
        return _("这个密码太常见，容易被猜中，请换一个。")
    return None


def _validate(
    *, username: str, role: str, unit: Unit | None, email: str | None, display_name: str,
    user: User | None = None, password: str | None = None,
) -> None:
    errors: dict[str, str] = {}
    if password is not None and (problem := password_problem(password, username)):
        errors["password"] = problem
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


def set_password(user: User, password: str, *, keep: LoginSession | None = None) -> None:
    """A new password ends every session of ``user`` but ``keep`` and revokes its API tokens:
    whoever knew the old one is out."""
    if problem := password_problem(password or "", user.username):
        raise ValidationError({"new_password": problem})
    user.set_password(password)
    sessions.end_all(user, keep=keep)
    db.session.flush()


def change_own_password(user: User, current: str, new: str,
                        keep: LoginSession | None = None) -> None:
    if not user.check_password(current):
        raise ValidationError({"current_password": _("当前密码不正确。")})
    set_password(user, new, keep=keep)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


def authenticate(username: str, password: str, address: str = "") -> User | None:
    """The active user with these credentials, or None (same answer for every failure).

    Raises throttle.LoginRefused when ``address`` tries too often or is locked out of this
    account; the caller commits either way, so that the counts are kept. An unknown name costs
    one password hash like a known one, so timing does not tell which names exist.
    """
    now = utcnow()
    name = username.strip().lower()[:64]
    throttle.before_attempt(name, address, now)
    user = db.session.scalar(select(User).where(func.lower(User.username) == name))
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
    elif user.check_password(password) and user.active:
        throttle.succeeded(name, address)
        user.last_login_at = now
        return user
    throttle.failed(name, address, now, user)
    return None


def find_unit(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise ValidationError({"unit": _("单位代码“%(code)s”不存在。", code=code)})
    return unit

"""Log-in throttling, kept in the database so that it holds across gunicorn workers.

Two counts: every attempt from one address (any account) in the current minute, and the failures
of one account from one address. Locking the (account, address) pair rather than the account
means a stranger elsewhere cannot lock the 主要领导 out by guessing wrong on purpose.
The counts are bumped by one INSERT … ON CONFLICT DO UPDATE, so concurrent attempts cannot
lose an increment.
"""
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from taskboard.extensions import db
from taskboard.tasks.models import AuditLog

from .models import LoginThrottle, User

ADDRESS_WINDOW = timedelta(minutes=1)
EVERY_ACCOUNT = ""  # the username of an address's own row


class LoginRefused(Exception):
    """Too many attempts: refused before the password is even looked at."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _bump(username: str, address: str, window: timedelta, now: datetime) -> int:
    """Count one more in the pair's window (a window older than ``window`` starts again)."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(LoginThrottle)
    stale = LoginThrottle.window_start < now - window
    statement = insert.values(username=username, address=address, hits=1, window_start=now)
    statement = statement.on_conflict_do_update(
        index_elements=["username", "address"],
        set_={"hits": case((stale, 1), else_=LoginThrottle.hits + 1),
              "window_start": case((stale, now), else_=LoginThrottle.window_start)},
    ).returning(LoginThrottle.hits)
    return db.session.execute(statement).scalar_one()


def _pair(username: str, address: str) -> LoginThrottle | None:
    return db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.username == username, LoginThrottle.address == address))


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, -(-int((until - now).total_seconds()) // 60))


def _locked(minutes: int) -> str:
    return _("密码连续输错次数过多，该账号在此地址已锁定，"
             "请 %(minutes)d 分钟后再试，或请管理员解锁。", minutes=minutes)


def before_attempt(username: str, address: str, now: datetime) -> None:
    """Count the attempt; LoginRefused if the address is too busy or the pair is locked."""
    config = current_app.config
    if _bump(EVERY_ACCOUNT, address, ADDRESS_WINDOW, now) > config["LOGIN_ADDRESS_LIMIT"]:
        raise LoginRefused(_("此地址登录尝试过于频繁，请一分钟后再试。"))
    pair = _pair(username, address)
    if pair is not None and pair.locked_until is not None and pair.locked_until > now:
        raise LoginRefused(_locked(_minutes_left(pair.locked_until, now)))


def failed(username: str, address: str, now: datetime, user: User | None) -> None:
    """One more failure; the one that reaches the limit locks the pair and is audited."""
    config = current_app.config
    lock = timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
    if _bump(username, address, lock, now) < config["LOGIN_FAILURE_LIMIT"]:
        return
    pair = _pair(username, address)
    pair.locked_until, pair.hits, pair.window_start = now + lock, 0, now
    db.session.add(AuditLog(action="login_locked", entity="user",
                            entity_id=user.id if user else 0,
                            after={"username": username, "address": address,
                                   "locked_until": pair.locked_until.isoformat()}))
    raise LoginRefused(_locked(config["LOGIN_LOCK_MINUTES"]))


def succeeded(username: str, address: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.username == username,
                                                   LoginThrottle.address == address))


def locks(user: User, now: datetime) -> list[LoginThrottle]:
    """The addresses from which ``user`` is locked out now."""
    return list(db.session.scalars(select(LoginThrottle).where(
        LoginThrottle.username == user.username.lower(), LoginThrottle.locked_until > now)
        .order_by(LoginThrottle.address)))


def unlock(user: User, actor: User) -> int:
    """The admin's unlock: every lock and failure count of ``user`` goes. Audited."""
    removed = db.session.execute(delete(LoginThrottle).where(
        LoginThrottle.username == user.username.lower())).rowcount
    db.session.add(AuditLog(actor_id=actor.id, action="login_unlocked", entity="user",
                            entity_id=user.id, after={"username": user.username}))
    return removed

from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from taskboard.clock import utcnow
from taskboard.extensions import db

if TYPE_CHECKING:
    from taskboard.units.models import Unit

ADMIN, OFFICE, LEADER, UNIT_HEAD, REPORTER = "admin", "office", "leader", "unit_head", "reporter"
ROLES = (ADMIN, OFFICE, LEADER, UNIT_HEAD, REPORTER)
UNIT_ROLES = (UNIT_HEAD, REPORTER)


def hash_password(password: str) -> str:
    # scrypt by default; the test suite lowers its cost, which is a setting, not a code path.
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(254))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Leaders (and the office) get a weekly digest unless they opt out.
    digest_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    unit: Mapped["Unit | None"] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def in_unit_role(self) -> bool:
        return self.role in UNIT_ROLES

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; it expires."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class LoginSession(db.Model):
    """One signed-in browser, so that log-out and password changes end it on the server.

    The session cookie carries a random key; only its SHA-256 is here, as is the "remember me"
    token's (random, replaced at each use, expiring). Deleting the row ends the session even
    for someone holding a copy of the cookie.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    remember_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class LoginThrottle(db.Model):
    """Log-in attempts counted per (account, address) pair, or per address when username is "".

    In the database, so every gunicorn worker sees the same count. ``hits`` is the attempts
    (address rows) or failures (pair rows) since ``window_start``.
    """

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    hits: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("username", "address"),)

from sqlalchemy import Boolean, ColumnElement, ForeignKey, case, true
from sqlalchemy.orm import Mapped, mapped_column

from taskboard.auth.models import User
from taskboard.extensions import db


class NotificationPreference(db.Model):
    """How a person wants to be told; no row means the defaults (e-mail on).

    There is no switch for in-app messages: 临期 and 逾期 reminders always reach the bell, so a
    unit can drop e-mail but never stop being reminded.
    """

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


def wants_email(user: User) -> bool:
    preference = db.session.get(NotificationPreference, user.id)
    return preference is None or preference.email


def mail_address() -> ColumnElement:
    """The address mail goes to, null for who chose in-app only. Needs the outer join below."""
    return case((NotificationPreference.email.is_(False), None), else_=User.email)


def preference_join():
    return NotificationPreference, NotificationPreference.user_id == User.id

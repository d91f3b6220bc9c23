from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboard.clock import now
from taskboard.extensions import db

if TYPE_CHECKING:
    from taskboard.auth.models import User
    from taskboard.tasks.models import Milestone, Task
    from taskboard.units.models import Unit

CHANNELS = ("in_app", "email", "webhook")
# "sending" is a lease: a sender that dies mid-delivery leaves rows that go back to pending
# once the lease (next_attempt_at) has passed, so nothing is forgotten.
STATUSES = ("pending", "sending", "sent", "failed", "cancelled")


class Notification(db.Model):
    """One message owed to one recipient on one channel: the outbox.

    The unique key makes a second insert of the same message a no-op, so two sweeps at once,
    a restart or a catch-up after downtime cannot send anything twice. Rows are never deleted.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    level: Mapped[int] = mapped_column(Integer, default=0)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    # "user:<id>" or "unit:<id>" (a unit's group robot): part of the unique key, never NULL.
    recipient: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))
    # The repeat period: an ISO week ("2022-W24") for weekly 催办, "" for once-only messages.
    period: Mapped[str] = mapped_column(String(10), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped["User | None"] = relationship()
    unit: Mapped["Unit | None"] = relationship()
    # For rendering a batch of rows with a few queries, not a few per row.
    task: Mapped["Task | None"] = relationship(viewonly=True)
    milestone: Mapped["Milestone | None"] = relationship(
        primaryjoin="and_(Notification.object_type == 'milestone', "
                    "foreign(Notification.object_id) == Milestone.id)", viewonly=True)

    __table_args__ = (
        UniqueConstraint("kind", "object_type", "object_id", "level", "recipient", "channel",
                         "period", name="uq_notifications_key"),
        Index("ix_notifications_delivery", "status", "channel", "next_attempt_at"),
        Index("ix_notifications_inbox", "user_id", "channel", "read_at"),
    )


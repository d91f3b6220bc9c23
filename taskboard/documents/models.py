from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboard.clock import utcnow
from taskboard.extensions import db

if TYPE_CHECKING:
    from taskboard.auth.models import User


class Bulletin(db.Model):
    """An issued 督办情况通报: numbered 第N期 within the calendar year of its issue date, and
    frozen — its text and figures as issued, and the .docx as it was handed out."""

    __tablename__ = "bulletins"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)  # YYYY-MM it reports on
    # The year of issue_date, kept apart so that the database can refuse a repeated number.
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The edited sections and the figures as issued (see documents.services.BulletinDraft).
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    docx: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    issued_by: Mapped["User | None"] = relationship()

    __table_args__ = (UniqueConstraint("year", "number", name="uq_bulletins_year_number"),)

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.number}期"


class BulletinNumber(db.Model):
    """The last 期号 taken in a year. Taking one is a single upsert whose row lock makes a
    second office wait for the first to commit, so two issues at once get two numbers."""

    __tablename__ = "bulletin_numbers"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboard.clock import utcnow
from taskboard.extensions import db

if TYPE_CHECKING:
    from taskboard.auth.models import User
    from taskboard.units.models import Unit


class AwardMonth(db.Model):
    """One month's ranking: a draft the office reviews, then published and frozen."""

    __tablename__ = "award_months"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)  # YYYY-MM
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft / published
    # The formula's settings as they were when the month was computed.
    formula: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    override_reason: Mapped[str] = mapped_column(Text, default="")

    published_by: Mapped["User | None"] = relationship()
    scores: Mapped[list["AwardScore"]] = relationship(
        back_populates="award_month", cascade="all, delete-orphan",
        order_by="AwardScore.position")

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def snails(self) -> list["AwardScore"]:
        return [s for s in self.scores if s.is_snail]

    @property
    def red_flags(self) -> list["AwardScore"]:
        return [s for s in self.scores if s.is_red_flag]


class AwardScore(db.Model):
    __tablename__ = "award_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_month_id: Mapped[int] = mapped_column(
        ForeignKey("award_months.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order on the page: ranked first
    due: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    late: Mapped[int] = mapped_column(Integer)
    overdue: Mapped[int] = mapped_column(Integer)
    delay_days: Mapped[int] = mapped_column(Integer)  # summed, for quarter and year views
    avg_delay_days: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    on_time_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    score: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    rank: Mapped[int | None] = mapped_column(Integer)  # None: too few milestones to rank
    is_snail: Mapped[bool] = mapped_column(Boolean, default=False)
    is_red_flag: Mapped[bool] = mapped_column(Boolean, default=False)

    award_month: Mapped[AwardMonth] = relationship(back_populates="scores")
    unit: Mapped["Unit"] = relationship()

    __table_args__ = (UniqueConstraint("award_month_id", "unit_id", name="uq_award_scores_unit"),)

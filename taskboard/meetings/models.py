from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboard.clock import utcnow
from taskboard.extensions import db

MEETING_KINDS = ("speech", "minutes", "document", "instruction")


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20), default="speech")
    full_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The year the parser resolved deadlines in ("6月底前" of which year).
    document_year: Mapped[int | None] = mapped_column(Integer)
    # SHA-256 of the text without white space: the same text registered twice is found by it.
    text_digest: Mapped[str | None] = mapped_column(String(64), index=True)

    proposals: Mapped[list["Proposal"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Proposal.position"
    )


class Proposal(db.Model):
    """A task the parser proposes from a meeting's text, as the office reviews it.

    It keeps what the parser read (the names as spoken) beside what the office decided (the
    matched units and leader), so that a half-reviewed meeting can be left and resumed.
    """

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    excerpt: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    # As spoken: "潘爱民", "**", ["区企业服务中心"], ["其他相关部门"].
    spoken_lead: Mapped[str] = mapped_column(String(64), default="")
    spoken_units: Mapped[list] = mapped_column(JSON, default=list)
    spoken_cooperating: Mapped[list] = mapped_column(JSON, default=list)
    # As reviewed.
    selected: Mapped[bool] = mapped_column(Boolean, default=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100), default="")
    lead_leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lead_leader_name: Mapped[str] = mapped_column(String(64), default="")
    responsible_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    co_responsible_unit_ids: Mapped[list] = mapped_column(JSON, default=list)
    cooperating_unit_ids: Mapped[list] = mapped_column(JSON, default=list)
    other_departments_participate: Mapped[bool] = mapped_column(Boolean, default=False)
    due_date: Mapped[date | None] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(10), default="normal")
    # [{"metric", "comparator", "value" (string or null), "unit", "cumulative"}]
    targets: Mapped[list] = mapped_column(JSON, default=list)
    # The data row of the breakdown table it came from (1 first), and what the parser noticed
    # about it, e.g. ["长期坚持"] for a standing task dated at the year's end.
    source_row: Mapped[int | None] = mapped_column(Integer)
    flags: Mapped[list | None] = mapped_column(JSON, default=list)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="proposals")

    __table_args__ = (UniqueConstraint("meeting_id", "position", name="uq_proposals_position"),)

    @property
    def is_confirmed(self) -> bool:
        return self.task_id is not None

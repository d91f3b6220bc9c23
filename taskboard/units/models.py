from typing import Optional

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboard.extensions import db

UNIT_KINDS = ("department", "platform", "company", "other")
# The group robot's product, chosen on the unit's page: intranet deployments (政务钉钉, private
# 企业微信) use hosts of their own, so the URL cannot tell.
ROBOT_KINDS = ("wecom", "dingtalk")


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str] = mapped_column(String(50), default="")
    # ASCII code: used in demo usernames (<code>_head) and in exports, where names are too long.
    code: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="department")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    robot_kind: Mapped[str] = mapped_column(String(10), default="wecom", server_default="wecom")
    # 钉钉 加签: the "SEC…" secret each request is signed with; None when the robot has none.
    robot_secret: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Optional["Unit"]] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"

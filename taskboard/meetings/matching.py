"""Matching names as spoken ("企业服务中心", "潘爱民") to the units and leaders of the system."""
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import select

from taskboard.auth.models import LEADER, User
from taskboard.extensions import db
from taskboard.units.models import Unit

# "其他相关部门参与" names no unit: it becomes the task's "other departments" flag.
OTHER_DEPARTMENTS = (
    "其他相关部门", "其他相关单位", "其他部门", "相关部门", "相关单位", "各相关部门",
    "各有关部门", "有关部门", "其他有关部门",
)
CLOSE_ENOUGH = 0.6


def is_other_departments(name: str) -> bool:
    return name.strip() in OTHER_DEPARTMENTS


def _similarity(spoken: str, known: str) -> float:
    if spoken in known or known in spoken:
        return 0.9 + min(len(spoken), len(known)) / max(len(spoken), len(known)) / 10
    return SequenceMatcher(None, spoken, known).ratio()


@dataclass
class Directory:
    """The active units and leaders, loaded once per page or import."""

    units: list[Unit]
    leaders: list[User]

    @classmethod
    def load(cls) -> "Directory":
        units = db.session.scalars(select(Unit).where(Unit.active.is_(True))).all()
        leaders = db.session.scalars(
            select(User).where(User.role == LEADER, User.active.is_(True))
        ).all()
        return cls(list(units), list(leaders))

    def unit(self, name: str) -> Unit | None:
        """The unit called exactly ``name`` (full or short name)."""
        name = name.strip()
        return next((u for u in self.units if name in (u.name, u.short_name)), None)

    def close_units(self, name: str, limit: int = 3) -> list[Unit]:
        """Units whose names are close to ``name``, best first (企业服务中心 → 区企业服务中心)."""
        scored = [(max(_similarity(name, u.name), _similarity(name, u.short_name or u.name)), u)
                  for u in self.units]
        scored = [(score, u) for score, u in scored if score >= CLOSE_ENOUGH]
        return [u for _score, u in sorted(scored, key=lambda pair: -pair[0])[:limit]]

    def leader(self, name: str) -> User | None:
        name = name.strip()
        return next((u for u in self.leaders if name in (u.display_name, u.username)), None)

    def close_leaders(self, name: str, limit: int = 3) -> list[User]:
        scored = [(_similarity(name, u.display_name), u) for u in self.leaders]
        scored = [(score, u) for score, u in scored if score >= CLOSE_ENOUGH]
        return [u for _score, u in sorted(scored, key=lambda pair: -pair[0])[:limit]]

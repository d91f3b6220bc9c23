"""Settings the office changes on pages, kept as JSON by key, read into dataclasses."""
from dataclasses import asdict, fields
from typing import Any, TypeVar

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from taskboard.extensions import db

T = TypeVar("T")


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


def load(key: str, kind: type[T]) -> T:
    """The stored settings under ``key``, with defaults for anything not stored (yet)."""
    stored = db.session.get(Setting, key)
    known = {f.name for f in fields(kind)}
    return kind(**{k: v for k, v in (stored.value if stored else {}).items() if k in known})


def save(key: str, settings: Any) -> None:
    """Validate (settings.validate() raises ValidationError) and store; the caller commits."""
    settings.validate()
    stored = db.session.get(Setting, key) or Setting(key=key)
    stored.value = asdict(settings)
    db.session.add(stored)
    db.session.flush()

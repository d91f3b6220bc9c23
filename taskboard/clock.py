"""The one source of "today": the real date in Asia/Shanghai, or TASKBOARD_TODAY for rehearsals.

Only views, CLI commands and jobs call :func:`today`; services take ``today`` as a parameter.
"""
import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    configured = (
        current_app.config.get("TODAY") if has_app_context() else os.environ.get("TASKBOARD_TODAY")
    )
    if configured:
        return date.fromisoformat(str(configured))
    return datetime.now(SHANGHAI).date()


def utcnow() -> datetime:
    """A naive UTC timestamp: stored the same on SQLite and PostgreSQL, shown in Asia/Shanghai."""
    return datetime.now(UTC).replace(tzinfo=None)

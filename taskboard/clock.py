"""The one source of "today": the real date in Asia/Shanghai, or TASKBOARD_TODAY for rehearsals.

Only views, CLI commands and jobs call :func:`today`; services take ``today`` as a parameter.
"""
import os
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The years a date typed into Taskboard may fall in (a task, a meeting, a holiday, a ranking
# month, a digest week): outside them it is a typo (0022, 9999), and the months and weeks
# around such a date would overflow Python's calendar.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_error(year: int) -> str | None:
    """Why a date in ``year`` is refused, if it is."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return _("年份必须在 %(first)d 到 %(last)d 之间。", first=FIRST_YEAR, last=LAST_YEAR)
    return None


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


def now() -> datetime:
    """When an event happens (签收, 批示, a report, a notification), as naive UTC.

    During a rehearsal (TASKBOARD_TODAY) it is the rehearsed day at the current time of day in
    Asia/Shanghai, so that events stay on the day they are rehearsed on, beside its dates.
    Technical clocks (token expiry, delivery leases) keep using :func:`utcnow`.
    """
    moment = datetime.now(SHANGHAI)
    day = today()
    if day != moment.date():
        moment = datetime.combine(day, time(moment.hour, moment.minute, moment.second),
                                  tzinfo=SHANGHAI)
    return moment.astimezone(UTC).replace(tzinfo=None)


def local_time(moment: datetime | None) -> str:
    """A stored UTC time as shown beside dates: "2022-06-15 09:30", Asia/Shanghai."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=UTC).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")

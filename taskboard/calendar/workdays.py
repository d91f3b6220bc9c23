"""Working-day arithmetic. Load a :class:`WorkCalendar` once per request or job and pass it on."""
import calendar as _calendar
from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar
from sqlalchemy import select

from taskboard.extensions import db

from .models import CalendarDay


def _package_knows(day: date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Decides whether a day is a working day.

    Order of authority: the admin's table, then chinese-calendar (holidays and 调休 weekends),
    then plain weekends for years the package has no data for.
    """

    def __init__(self, overrides: dict[date, bool] | None = None) -> None:
        self.overrides = overrides or {}

    @classmethod
    def load(cls) -> "WorkCalendar":
        rows = db.session.execute(select(CalendarDay.day, CalendarDay.is_workday)).all()
        return cls({day: is_workday for day, is_workday in rows})

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if _package_knows(day):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def last_workday_of_month(self, year: int, month: int) -> date:
        day = date(year, month, _calendar.monthrange(year, month)[1])
        while not self.is_workday(day):
            day -= timedelta(days=1)
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        return sum(1 for day in _days(start + timedelta(days=1), end) if self.is_workday(day))

    def soon_horizon(self, today: date, workdays: int = 3) -> date:
        """The last day that is "within the next 3 working days", the due day counted.

        Today counts as the first of the three when it is a working day: on a Monday, work
        due by Wednesday is due soon; on a Saturday, work due by the next Wednesday.
        """
        first = today if self.is_workday(today) else self.add_workdays(today, 1)
        return self.add_workdays(first, workdays - 1)

    def nth_workday_back(self, today: date, count: int) -> date:
        """The ``count``-th working day counting back from ``today`` (today first, if working).

        A date is at least ``count`` working days behind ``today`` exactly when it is before
        this day, which lets a sweep compare dates in SQL instead of counting per row.
        """
        day = today if self.is_workday(today) else today - timedelta(days=1)
        while not self.is_workday(day):
            day -= timedelta(days=1)
        for _ in range(count - 1):
            day -= timedelta(days=1)
            while not self.is_workday(day):
                day -= timedelta(days=1)
        return day

    def add_workdays(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start``."""
        day = start
        while count > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def package_covers(year: int) -> bool:
    """Whether chinese-calendar has the State Council's holiday data for ``year``."""
    return _package_knows(date(year, 1, 1))

from datetime import date

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from taskboard.extensions import db


class CalendarDay(db.Model):
    """A day the admin declares a holiday or a working day (调休), overriding the package's data.

    Needed for years chinese-calendar has no data for yet: the State Council publishes each
    year's holidays only in November of the year before.
    """

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")

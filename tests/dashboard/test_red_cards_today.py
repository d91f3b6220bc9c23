"""The 红牌 panel shows what is red as of today, before any sweep has raised the cards."""
from datetime import date

from conftest import make_task, make_unit, make_user
from sqlalchemy import select

from taskboard.calendar.workdays import WorkCalendar
from taskboard.extensions import db
from taskboard.followup import settings as followup_settings
from taskboard.followup.sweep import sweep
from taskboard.tasks.models import Task


def _panel(page: str) -> str:
    start = page.index("红牌与挂牌督办")
    return page[start:page.index("</ul>", start)]


def test_the_red_card_panel_is_filled_before_the_first_sweep(client, app):
    unit = make_unit("ours", "区招商局")
    make_user("office", "office")
    late = make_task(unit, title="三个月未报的事项", today=date(2022, 1, 4))
    make_task(unit, title="刚交办的事项", start=date(2022, 6, 1), today=date(2022, 6, 14))
    assert db.session.scalar(select(Task.card).where(Task.id == late.id)) == "none"
    client.login("office")
    panel = _panel(client.get("/").get_data(as_text=True))
    assert "三个月未报的事项" in panel and "card-badge-red" in panel
    assert "刚交办的事项" not in panel
    # The sweep raises the stored card to the same red: the panel does not change.
    sweep(date(2022, 6, 15), WorkCalendar.load(), followup_settings.load())
    db.session.commit()
    assert db.session.scalar(select(Task.card).where(Task.id == late.id)) == "red"
    assert _panel(client.get("/").get_data(as_text=True)) == panel

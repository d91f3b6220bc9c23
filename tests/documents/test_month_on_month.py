"""总体情况 compared with the month before: the previous month's figures as they stood then."""
import re
from dataclasses import asdict
from datetime import date

import pytest
from conftest import TODAY, make_report, make_task, make_unit, make_user
from sqlalchemy import select

from taskboard.auth.models import User
from taskboard.documents import services
from taskboard.extensions import db
from taskboard.tasks.workflow import decide_completion, request_completion

APRIL_END, MAY_END = date(2022, 4, 30), date(2022, 5, 31)


@pytest.fixture
def months(app):
    """April to May 2022: one task done on 20 May, one assigned on 10 May, one open all along."""
    unit = make_unit("zsj", "区招商局")
    head, office = make_user("head", "unit_head", unit), make_user("office", "office")
    done_in_may = make_task(unit, title="完成招商引资政策修订", targets=[])
    make_task(unit, title="召开项目推进会", start=date(2022, 5, 10), targets=[])
    make_task(unit, title="重点保障土地供给", targets=[])
    app.config["TODAY"] = "2022-05-20"
    request = request_completion(done_in_may, head, summary="政策已修订印发。")
    decide_completion(request, office, approve=True, comment=None)
    db.session.commit()
    app.config["TODAY"] = TODAY.isoformat()
    return done_in_may


def test_a_task_done_in_the_month_counts_one_more_done_than_the_month_before(months):
    draft = services.draft_bulletin("2022-05", date(2022, 6, 2))
    april, may = draft.previous_figures, draft.figures
    assert (april["done"], may["done"]) == (0, 1)
    # In April it was still being worked on, and red like the other one assigned in January.
    assert (april["in_progress"], april["overdue_tasks"]) == (2, 2)
    assert "其中已办结1项（比上月增加1项）" in draft.overall
    assert "亮红灯（节点逾期未报送或进度严重滞后）的事项1项（比上月减少1项）" in draft.overall


def test_a_task_assigned_in_the_month_is_not_in_the_month_before(months):
    draft = services.draft_bulletin("2022-05", date(2022, 6, 2))
    assert (draft.previous_figures["tasks"], draft.figures["tasks"]) == (2, 3)
    assert "纳入督办的事项共3项（比上月增加1项）" in draft.overall
    assert "正在办理2项（与上月持平）" in draft.overall


def test_a_month_reported_after_the_month_ended_was_red_then(months):
    head = months.acknowledged_by or db.session.scalar(
        select(User).where(User.username == "head"))
    late = make_task(months.responsible_unit, title="四月份迟报的事项", targets=[])
    for milestone in late.milestones[:4]:
        # January to March on time; April's report came on 10 May.
        on = milestone.due_date if milestone.period < "2022-04" else date(2022, 5, 10)
        make_report(milestone, head, on)
    draft = services.draft_bulletin("2022-05", date(2022, 6, 2))
    # On 30 April its April month was overdue and not reported: red then, not now.
    assert (draft.previous_figures["overdue_tasks"], draft.figures["overdue_tasks"]) == (3, 1)


def test_the_appendix_lists_no_task_assigned_after_the_month(months):
    # Planned from January but handed to the unit only in May (补录).
    late_comer = make_task(months.responsible_unit, title="补录的一季度事项",
                           today=date(2022, 5, 10), targets=[])

    def titles(month: str) -> list[str]:
        return [row[2] for row in services.draft_bulletin(month, date(2022, 6, 2)).ledger]

    assert months.title in titles("2022-04") and late_comer.title not in titles("2022-04")
    assert late_comer.title in titles("2022-05")


def _dashboard(app, client, day: date) -> dict[str, int]:
    """The wall chart as it reads when today is ``day``."""
    app.config["TODAY"] = day.isoformat()
    page = client.get("/").get_data(as_text=True)
    app.config["TODAY"] = TODAY.isoformat()

    def count(pattern: str) -> int:
        found = re.search(pattern, page)
        return int(found.group(1)) if found else 0

    done, cancelled = count(r'data-status="done">(\d+)<'), count(r'data-status="cancelled">(\d+)<')
    total = count(r"共 (\d+) 项")
    return {"tasks": total, "done": done, "in_progress": total - done - cancelled,
            "overdue_tasks": count(r'data-light="red">(\d+)<')}


def test_both_months_are_the_dashboards_as_of_their_last_day(app, client, months):
    client.login("office")
    boards = {}
    for month, last in (("2022-04", APRIL_END), ("2022-05", MAY_END)):
        boards[month] = _dashboard(app, client, last)
        figures = asdict(services.month_figures(month))
        assert {name: figures[name] for name in boards[month]} == boards[month], month
    assert boards == {"2022-04": {"tasks": 2, "done": 0, "in_progress": 2, "overdue_tasks": 2},
                      "2022-05": {"tasks": 3, "done": 1, "in_progress": 2, "overdue_tasks": 1}}
    # And today's board is today's: the task done in May is done, none is left out.
    assert _dashboard(app, client, TODAY) == {"tasks": 3, "done": 1, "in_progress": 2,
                                              "overdue_tasks": 2}

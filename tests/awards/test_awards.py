"""红旗 and 蜗牛奖 on hand-made months, publishing, and the pages."""
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from conftest import make_task, make_unit, make_user
from openpyxl import load_workbook
from sqlalchemy import select

from taskboard.auth.models import User
from taskboard.awards import services
from taskboard.awards.scoring import AwardSettings, UnitMonth, rank, score_month
from taskboard.calendar.workdays import WorkCalendar
from taskboard.extensions import db
from taskboard.followup.models import Notification
from taskboard.tasks.models import ProgressReport

CALENDAR = WorkCalendar()


def _report(milestone, author, submitted: date, status: str = "accepted") -> None:
    db.session.add(ProgressReport(
        milestone=milestone, author=author, text="报告", submitted_on=submitted,
        review_status=status,
        late_workdays=CALENDAR.workdays_between(milestone.due_date, submitted)))


@pytest.fixture
def march(app):
    """Four units with two March milestones each (due 15 and 31 March 2022)."""
    units = {}
    for code, behaviour in (("ontime", "区企业服务中心"), ("late", "区城建局"),
                            ("never", "综合保税区管理办公室"), ("twin", "区财政金融服务中心")):
        unit = make_unit(code, behaviour)
        reporter = make_user(f"{code}_reporter", "reporter", unit)
        first = make_task(unit, title=f"{code}-一", start=date(2022, 3, 1),
                          due=date(2022, 3, 15), targets=[])
        second = make_task(unit, title=f"{code}-二", start=date(2022, 3, 1),
                           due=date(2022, 3, 31), targets=[])
        units[code] = (unit, reporter, first.milestones[0], second.milestones[0])
    for code in ("ontime", "twin"):
        _unit, reporter, first, second = units[code]
        _report(first, reporter, date(2022, 3, 14))
        _report(second, reporter, date(2022, 3, 31))
    _unit, reporter, first, second = units["late"]
    _report(first, reporter, date(2022, 3, 17))   # 2 working days late
    _report(second, reporter, date(2022, 4, 1))   # 1 working day late, after the month's end
    db.session.commit()
    return units


def _by_unit(tallies: list[UnitMonth]) -> dict[str, UnitMonth]:
    return {t.unit_name: t for t in tallies}


def test_a_hand_made_month(march):
    tallies = _by_unit(score_month("2022-03", AwardSettings(), CALENDAR))
    ontime, late = tallies["区企业服务中心"], tallies["区城建局"]
    never, twin = tallies["综合保税区管理办公室"], tallies["区财政金融服务中心"]
    assert (ontime.due, ontime.on_time, ontime.on_time_rate, ontime.score) == (
        2, 2, Decimal(1), Decimal(100))
    # Reported late: one accepted 2 days late; the other came after the month's end: overdue.
    assert (late.on_time, late.late, late.overdue) == (0, 1, 1)
    assert late.delay_days == 2 + 0  # 31 Mar is the due day and the month's end
    assert late.score == Decimal("25.00") - Decimal(2) * Decimal("1.00")
    assert (never.overdue, never.on_time_rate) == (2, Decimal(0))
    assert never.delay_days == CALENDAR.workdays_between(date(2022, 3, 15), date(2022, 3, 31))
    # A tie at the top shares the rank and the red flag; the snail is the last one.
    assert (ontime.rank, twin.rank, late.rank, never.rank) == (1, 1, 3, 4)
    assert ontime.is_red_flag and twin.is_red_flag and not late.is_red_flag
    assert never.is_snail and not late.is_snail


def test_earlier_milestones_still_overdue_count_in_the_month(march, app):
    # April: nothing new is due for 综保办, but its two March milestones are still overdue.
    april = _by_unit(score_month("2022-04", AwardSettings(), CALENDAR))
    assert april["综合保税区管理办公室"].overdue == 2


def test_no_snail_when_everyone_kept_their_dates_and_too_few_to_rank():
    everyone = [UnitMonth(1, due=3, on_time=3, unit_name="甲"),
                UnitMonth(2, due=2, on_time=2, unit_name="乙"),
                UnitMonth(3, due=1, on_time=0, overdue=1, unit_name="丙")]
    ranked = rank(everyone, AwardSettings())
    assert [t.rank for t in ranked] == [1, 1, None]
    assert not any(t.is_snail for t in ranked)
    assert [t.is_red_flag for t in ranked] == [True, True, False]
    assert rank([UnitMonth(1, due=1, unit_name="甲")], AwardSettings())[0].rank is None


def test_a_published_month_is_frozen(march, app):
    award = services.compute("2022-03")
    office = make_user("office", "office")
    make_user("boss", "leader")
    services.publish(award, office, datetime(2022, 4, 2))
    db.session.commit()
    _unit, reporter, first, _second = march["never"]
    _report(first, reporter, date(2022, 3, 10))  # a back-dated report arrives later
    db.session.commit()
    with pytest.raises(Exception, match="已发布"):
        services.compute("2022-03")
    db.session.rollback()
    frozen = _by_unit(services.tallies_of("2022-03"))
    assert frozen["综合保税区管理办公室"].overdue == 2
    live = _by_unit(score_month("2022-03", AwardSettings(), CALENDAR))
    assert live["综合保税区管理办公室"].overdue == 1
    told = {n.recipient for n in db.session.scalars(select(Notification).where(
        Notification.kind == "awards_published"))}
    leaders = {f"user:{u.id}" for u in db.session.scalars(select(User).where(
        User.role == "leader"))}
    assert leaders and leaders <= told


def test_the_office_reviews_overrides_and_publishes(client, march, app):
    make_user("office", "office")
    app.config["TODAY"] = "2022-04-06"
    client.login("office")
    page = client.get("/awards?month=2022-03").get_data(as_text=True)
    assert "尚未发布" in page
    client.post_form("/awards/2022-03/compute")
    page = client.get("/awards?month=2022-03").get_data(as_text=True)
    assert "待审核" in page and "综合保税区管理办公室" in page
    late_unit = march["late"][0]
    response = client.post_form("/awards/2022-03/override", {"snail": str(late_unit.id)},
                                follow_redirects=True)
    assert "请写明理由" in response.get_data(as_text=True)
    client.post_form("/awards/2022-03/override", {"snail": str(late_unit.id),
                                                  "reason": "综保办已说明系系统故障"})
    assert [s.unit.name for s in services.find("2022-03").snails] == ["区城建局"]
    client.post_form("/awards/2022-03/publish")
    assert services.find("2022-03").is_published
    response = client.post_form("/awards/2022-03/compute", follow_redirects=True)
    assert "已发布" in response.get_data(as_text=True)

    workbook = load_workbook(BytesIO(client.get("/awards/export.xlsx?month=2022-03").data))
    rows = list(workbook.active.iter_rows(min_row=3, values_only=True))
    assert ("蜗牛奖" in [row[9] for row in rows]) and rows[0][1] in ("区企业服务中心",
                                                                   "区财政金融服务中心")


def test_units_see_published_months_only(client, march, app):
    services.compute("2022-03")
    db.session.commit()
    client.login("late_reporter")
    assert "尚未发布" in client.get("/awards?month=2022-03").get_data(as_text=True)
    assert client.get("/awards/export.xlsx?month=2022-03").status_code == 404
    assert client.post_form("/awards/2022-03/publish").status_code == 403
    assert client.get("/awards/settings").status_code == 403
    services.publish(services.find("2022-03"), None, datetime(2022, 4, 2))
    db.session.commit()
    page = client.get("/awards?month=2022-03").get_data(as_text=True)
    assert "区城建局" in page and "得分 = 100" in page  # the formula in plain words
    history = client.get(f"/awards/units/{march['late'][0].id}").get_data(as_text=True)
    assert "<svg" in history and "2022-03" in history


def test_quarter_adds_the_months_up(march):
    services.compute("2022-03")
    db.session.commit()
    quarter = _by_unit(services.period_ranking(["2022-01", "2022-02", "2022-03"]))
    # January and February had nothing due: only March adds to the quarter.
    assert quarter["区城建局"].due == 2 and quarter["区城建局"].months == ["2022-03"]
    assert quarter["区城建局"].rank == 3


def test_awards_command(app, march):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["awards", "compute", "--month", "2022-03", "--json"])
    assert result.exit_code == 0, result.stderr
    import json

    output = json.loads(result.stdout)
    assert output["month"] == "2022-03"
    assert output["snail"] == ["综合保税区管理办公室"]
    assert sorted(output["red_flag"]) == ["区企业服务中心", "区财政金融服务中心"]
    first = output["ranking"][0]
    assert set(first) == {"unit", "rank", "score", "due", "on_time", "late", "overdue",
                          "avg_delay_days", "on_time_rate"}
    assert first["on_time_rate"] == 1.0
    result = runner.invoke(args=["awards", "compute", "--month", "2022-13"])
    assert result.exit_code == 1 and "YYYY-MM" in result.stderr
    result = runner.invoke(args=["awards", "compute", "--month", "2022-03", "--publish"])
    assert result.exit_code == 0 and services.find("2022-03").is_published


def test_quarter_and_year_views_show_units_published_months_only(client, march, app):
    """A draft month (or one never computed) must not leak through a longer period."""
    services.compute("2022-03")
    db.session.commit()
    client.login("late_reporter")
    for period in ("quarter=2022-Q1", "year=2022"):
        page = client.get(f"/awards?{period}").get_data(as_text=True)
        assert not any(unit.name in page for unit, *_rest in march.values()), period
        workbook = load_workbook(BytesIO(client.get(f"/awards/export.xlsx?{period}").data))
        rows = [row for row in workbook.active.iter_rows(min_row=3, values_only=True) if row[1]]
        assert rows == [], period
    services.publish(services.find("2022-03"), None, datetime(2022, 4, 2))
    db.session.commit()
    assert "综合保税区管理办公室" in client.get("/awards?quarter=2022-Q1").get_data(as_text=True)
    client.post_form("/logout")
    make_user("office", "office")
    client.login("office")  # the office works on drafts and sees them
    services.compute("2022-04")
    db.session.commit()
    workbook = load_workbook(BytesIO(client.get("/awards/export.xlsx?quarter=2022-Q2").data))
    assert any(row[1] for row in workbook.active.iter_rows(min_row=3, values_only=True))

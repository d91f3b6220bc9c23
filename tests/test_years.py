"""A date outside 2000–2100 is a typo (0022, 9999): refused with a message wherever it is
typed, never stored, never a server error (year 9999 used to overflow the 5-year due-date
limit, the 通报's months and the digest's weeks; year 1 tasks were stored)."""
import re
from io import BytesIO

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from taskboard.calendar.models import CalendarDay
from taskboard.extensions import db
from taskboard.meetings.models import Meeting
from taskboard.tasks.models import Task

YEARS = "年份必须在 2000 到 2100 之间。"


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("dates", "fields", "on_the_form"), [
    ({"start_date": "0001-01-01", "due_date": "0001-03-01"}, {"start_date", "due_date"}, YEARS),
    ({"start_date": "9999-12-01", "due_date": "9999-12-31"}, {"start_date", "due_date"}, YEARS),
    ({"start_date": "1999-12-01", "due_date": "2000-03-31"}, {"start_date"}, YEARS),
    # The form's date is read, then the 5-year limit says the most useful thing about it.
    ({"start_date": "2022-01-01", "due_date": "9999-12-31"}, {"due_date"},
     "完成时限最晚为开始日期后 5 年（2027-01-01）。"),
    ({"start_date": "2100-06-01", "due_date": "2101-01-31"}, {"due_date"}, YEARS),
])
def test_a_task_outside_the_years_is_refused_in_the_api_and_on_the_form(api, client, world,
                                                                         dates, fields,
                                                                         on_the_form):
    before = _count(Task)
    body = {"title": "推进离岸孵化工作", "responsible_unit_id": world["units"]["ours"].id, **dates}
    response = api("office")("POST", "/tasks", body)
    assert response.status_code == 422
    assert response.json["error"]["fields"] == dict.fromkeys(fields, YEARS)
    client.login("office")
    page = client.post_form("/tasks/new", {**body, "level": "normal"})
    assert page.status_code == 200 and on_the_form in page.get_data(as_text=True)
    assert _count(Task) == before


def test_the_last_year_is_kept(api, world):
    body = {"title": "推进离岸孵化工作", "responsible_unit_id": world["units"]["ours"].id,
            "start_date": "2100-01-01", "due_date": "2100-12-31"}
    response = api("office")("POST", "/tasks", body)
    assert response.status_code == 201, response.json
    assert len(response.json["milestones"]) == 12


@pytest.mark.parametrize("due", ["9999-12-31", "0001-01-01"])
def test_an_extension_outside_the_years_is_refused(api, world, due):
    response = api("head")("POST", f"/tasks/{world['own_task'].id}/requests",
                           {"kind": "extension", "reason": "征地未完成", "due_date": due})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"due_date": YEARS}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1900-01-01"])
def test_a_meeting_outside_the_years_is_refused(client, world, day):
    client.login("office")
    response = client.post_form("/meetings/new", {
        "title": "务虚会", "meeting_date": day, "kind": "speech",
        "full_text": "一要加快重大项目开工，全年新开工项目不少于40个，区企业服务中心负责。"},
        content_type="multipart/form-data")
    assert response.status_code == 200 and YEARS in response.get_data(as_text=True)
    assert _count(Meeting) == 0


def test_a_holiday_outside_the_years_is_refused(client, world):
    client.login("admin")
    response = client.post_form("/admin/calendar/", {"day": "9999-10-01", "is_workday": "0",
                                                     "note": "国庆"})
    assert response.status_code == 200 and YEARS in response.get_data(as_text=True)
    assert _count(CalendarDay) == 0


def test_ledger_dates_outside_the_years_are_named_cells(client, world):
    book = Workbook()
    sheet = book.active
    sheet.append(["督办事项", "责任单位", "完成时限", "开始日期"])
    sheet.append(["甲", "区企业服务中心", "9999-12-31", "2022-01-01"])
    sheet.append(["乙", "区企业服务中心", "2022-12-31", "0001-01-01"])
    buffer = BytesIO()
    book.save(buffer)
    client.login("office")
    before = _count(Task)
    page = client.post_form("/ledger/import", {"file": (BytesIO(buffer.getvalue()), "x.xlsx")},
                            content_type="multipart/form-data").get_data(as_text=True)
    assert "没有导入任何内容" in page
    assert re.findall(r"<td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td>", page) == [
        ("2", "完成时限", "完成时限最晚为开始日期后 5 年（2027-01-01）。"),
        ("3", "开始日期", YEARS)]
    assert _count(Task) == before


@pytest.mark.parametrize(("url", "status"), [
    ("/awards?month=9999-12", 404), ("/awards?month=0001-01", 404), ("/awards?year=9999", 404),
    ("/awards/export.xlsx?month=9999-12", 404),
    ("/documents/bulletins/draft?month=9999-12", 302),
    ("/documents/bulletins/draft?month=0001-01", 302),
    ("/digest/preview?week=9999-W52", 200), ("/digest/preview?week=0001-W01", 200),
])
def test_months_and_weeks_outside_the_years_are_not_found_or_explained(client, world, url,
                                                                       status):
    client.login("office")
    response = client.get(url)
    assert response.status_code == status
    if status != 404:
        page = client.get(response.headers["Location"]) if status == 302 else response
        text = page.get_data(as_text=True)
        assert YEARS in text


def test_the_first_month_still_has_a_bulletin(client, world):
    """2000-01's 通报 compares with 1999-12: the month before is read, not refused."""
    client.login("office")
    response = client.get("/documents/bulletins/draft?month=2000-01")
    assert response.status_code == 200

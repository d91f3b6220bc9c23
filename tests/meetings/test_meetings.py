"""Recording a meeting, the source of tasks."""
from conftest import make_task, make_unit, make_user
from sqlalchemy import func, select

from taskboard.extensions import db
from taskboard.meetings.models import Meeting


def test_office_records_a_meeting_and_sees_its_tasks(client, app):
    make_user("office", "office")
    client.login("office")
    response = client.post_form("/meetings/new", {
        "title": "2022年务虚会", "meeting_date": "2021-12-28", "kind": "speech",
        "full_text": "同志们：……一要加快重大项目开工。"})
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    make_task(make_unit(), title="加快重大项目开工", meeting_id=meeting.id)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "一要加快重大项目开工" in page and "加快重大项目开工</a>" in page
    assert "2022年务虚会" in client.get("/meetings/").get_data(as_text=True)


def test_a_meeting_without_a_title_or_date_is_refused(client, app):
    make_user("office", "office")
    client.login("office")
    response = client.post_form("/meetings/new", {"title": "", "meeting_date": "昨天",
                                                  "kind": "speech"})
    text = response.get_data(as_text=True)
    assert "请填写名称" in text and "不是有效的日期" in text
    assert db.session.scalar(select(func.count(Meeting.id))) == 0

"""The account page: a leader may drop the digest; anyone may drop e-mail, never the reminders."""
from datetime import date

import pytest
from conftest import TODAY, make_task, make_unit, make_user
from sqlalchemy import select

from taskboard.calendar.workdays import WorkCalendar
from taskboard.extensions import db
from taskboard.followup import settings as followup_settings
from taskboard.followup.models import Notification
from taskboard.followup.sweep import sweep


@pytest.fixture
def people(app):
    ours = make_unit("ours", "区招商局")
    return {"unit": ours, "reporter": make_user("reporter", "reporter", ours),
            "head": make_user("head", "unit_head", ours),
            "leader": make_user("leader", "leader", display_name="主要领导")}


def _channels(user, kind: str) -> set[str]:
    return set(db.session.scalars(select(Notification.channel).where(
        Notification.user_id == user.id, Notification.kind == kind)))


def test_a_leader_opts_out_of_the_digest_on_the_account_page(client, people):
    client.login("leader")
    page = client.get("/account/").get_data(as_text=True)
    assert "每周一接收督办周报" in page and 'checked' in page
    response = client.post_form("/account/", {"email": "y"}, follow_redirects=True)
    assert "通知设置已保存" in response.get_data(as_text=True)
    db.session.expire_all()
    assert people["leader"].digest_opt_out
    client.post_form("/account/", {"email": "y", "digest": "y"})
    db.session.expire_all()
    assert not people["leader"].digest_opt_out


def test_a_unit_drops_email_but_still_gets_every_reminder_in_the_app(client, people):
    make_task(people["unit"], title="五月未报的事项", today=date(2022, 1, 4))
    client.login("reporter")
    page = client.get("/account/").get_data(as_text=True)
    assert "周报" not in page  # no digest for a unit
    assert "临期提醒和逾期督办不能关闭" in page
    client.post_form("/account/", {"digest": "y"})  # e-mail off; a digest box is ignored
    db.session.expire_all()
    assert not people["reporter"].digest_opt_out
    sweep(TODAY, WorkCalendar.load(), followup_settings.load())
    db.session.commit()
    assert _channels(people["reporter"], "overdue") == {"in_app"}
    assert _channels(people["head"], "overdue") == {"in_app", "email"}


def test_the_account_page_is_in_the_navigation(client, people):
    client.login("head")
    page = client.get("/tasks/").get_data(as_text=True)
    assert 'href="/account/"' in page

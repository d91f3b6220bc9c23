"""Pages under concurrent use: the health check, the data version, and cached pages that are
never stale, never another viewer's, and cheap in queries."""
import re
from datetime import date

import pytest
from conftest import CSRF_RE, TODAY, count_queries, make_report, make_task
from sqlalchemy import select

from taskboard import cache
from taskboard.awards import services as awards
from taskboard.clock import utcnow
from taskboard.extensions import db
from taskboard.tasks import services
from taskboard.tasks.models import Comment, Milestone


def test_healthz_answers_ok_with_no_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def _version() -> int:
    db.session.commit()  # a new transaction reads the counter afresh
    return cache.data_version()


def test_a_committed_write_moves_the_version_a_read_or_a_rollback_does_not(client, world):
    client.login("leader")
    before = _version()
    client.get("/")
    client.get("/tasks/")
    client.get(f"/tasks/{world['own_task'].id}")
    assert _version() == before
    services.add_comment(world["own_task"], world["users"]["leader"], "请抓紧推进")
    db.session.rollback()
    assert _version() == before
    services.add_comment(world["own_task"], world["users"]["leader"], "请抓紧推进")
    db.session.commit()
    assert _version() == before + 1


def _status_count(page: str, status: str) -> int:
    found = re.search(rf'data-status="{status}">(\d+)<', page)
    return int(found.group(1)) if found else 0


def test_the_dashboard_and_the_list_show_a_write_at_once(client, world):
    client.login("leader")
    assert _status_count(client.get("/").get_data(as_text=True), "assigned") == 2
    assert "新增的事项" not in client.get("/tasks/").get_data(as_text=True)
    make_task(world["units"]["ours"], title="新增的事项")
    assert _status_count(client.get("/").get_data(as_text=True), "assigned") == 3
    assert "新增的事项" in client.get("/tasks/").get_data(as_text=True)


def test_lights_change_at_midnight_with_no_write(client, world, app):
    task = world["own_task"]
    reporter = world["users"]["reporter"]
    for milestone in task.milestones:  # every month before July reported on time
        if milestone.due_date < date(2022, 6, 30):
            make_report(milestone, reporter, milestone.due_date)
    client.login("leader")

    def light() -> str:
        page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
        return re.search(r'class="light light-(\w+)', page).group(1)

    app.config["TODAY"] = "2022-06-20"
    assert light() == "green"
    app.config["TODAY"] = "2022-06-28"  # June's report is due within three working days
    assert light() == "yellow"
    app.config["TODAY"] = "2022-07-01"  # and now overdue, with nothing written meanwhile
    assert light() == "red"


def test_each_viewer_gets_their_own_page_and_their_own_csrf_token(client, app, world):
    task = world["own_task"]
    office, leader = client, app.test_client()
    office.login("office")
    leader.login("leader")
    as_office = office.get(f"/tasks/{task.id}").get_data(as_text=True)
    as_leader = leader.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert f"/tasks/{task.id}/delete" in as_office and f"/tasks/{task.id}/delete" not in as_leader
    assert "写批示" in as_leader and "写批示" not in as_office
    again = leader.get(f"/tasks/{task.id}").get_data(as_text=True)
    tokens = {re.search(r'name="csrf_token" [^>]*value="([^"]+)"', page).group(1)
              for page in (as_leader, again)}
    assert tokens == {CSRF_RE.search(as_leader).group(1), CSRF_RE.search(again).group(1)}
    for client, page, text in ((leader, again, "请加快进度"), (office, as_office, "已督促")):
        token = re.search(r'name="csrf_token" [^>]*value="([^"]+)"', page).group(1)
        response = client.post(f"/tasks/{task.id}/comments",
                               data={"csrf_token": token, "text": text})
        assert response.status_code == 302
    assert set(db.session.scalars(select(Comment.text))) == {"请加快进度", "已督促"}


def test_each_language_gets_its_own_page(client, world):
    client.login("leader")
    assert "全部单位" in client.get("/tasks/").get_data(as_text=True)
    client.get("/lang/en")
    page = client.get("/tasks/").get_data(as_text=True)
    assert "All units" in page and "全部单位" not in page


def test_a_unit_sees_its_own_workspace(client, app, world):
    ours, other = client, app.test_client()
    ours.login("reporter")
    other.login("other_head")
    assert "我单位负责的事项" in ours.get("/workspace").get_data(as_text=True)
    page = other.get("/workspace").get_data(as_text=True)
    assert "我单位负责的事项" not in page and "别的单位的事项" in page


@pytest.fixture
def busy(world):
    """Reports on the responsible unit's past months, and a published ranking."""
    task = world["own_task"]
    months = db.session.scalars(select(Milestone).where(
        Milestone.task_id == task.id, Milestone.due_date < TODAY)).all()
    for milestone in months:
        make_report(milestone, world["users"]["reporter"], milestone.due_date)
    awards.publish(awards.compute("2022-05"), None, utcnow())
    db.session.commit()
    return world


PAGES = ["/", "/?unit={unit}", "/tasks/", "/tasks/?unit={unit}", "/tasks/?page=2",
         "/tasks/{task}", "/awards?month=2022-05"]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_view_runs_at_most_10_queries(client, busy, url):
    """Counted once the page is cached for the data's version, as most views find it; the
    first view's count does not grow with the rows either (see the dashboard and list tests)."""
    client.login("leader")
    url = url.format(unit=busy["units"]["ours"].id, task=busy["own_task"].id)
    client.get(url)
    assert count_queries(client, url) <= 10


def test_the_workspace_and_the_api_list_run_at_most_10_queries(client, busy):
    client.login("reporter")
    client.get("/workspace")
    assert count_queries(client, "/workspace") <= 10
    token = client.post("/api/v1/token", json={"username": "leader",
                                               "password": "correct-horse-1"}).json["token"]
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert count_queries(client, "/api/v1/tasks?per_page=50") <= 10


def test_the_task_page_runs_the_same_queries_for_a_small_and_a_large_task(client, busy):
    """Even uncached: reports, values, plans and comments come in one query each."""
    client.login("leader")
    small = make_task(busy["units"]["ours"], title="只有一个月的事项", start=date(2022, 6, 1),
                      due=date(2022, 6, 30))
    make_report(small.milestones[0], busy["users"]["reporter"], TODAY)
    counts = []
    for task in (small, busy["own_task"]):
        cache.clear()
        counts.append(count_queries(client, f"/tasks/{task.id}"))
    assert counts[0] == counts[1]


def _reference_version() -> int:
    db.session.commit()  # a new transaction reads the counters afresh
    return cache._versions().get(cache.REFERENCE, 0)


def test_a_report_keeps_the_reference_counter_and_a_renamed_unit_shows_at_once(client, busy):
    client.login("leader")
    unit = busy["units"]["ours"]
    assert unit.name in client.get("/").get_data(as_text=True)
    before, data_before = _reference_version(), _version()
    later = db.session.scalars(select(Milestone).where(
        Milestone.task_id == busy["foreign_task"].id, Milestone.due_date < TODAY)).first()
    make_report(later, busy["users"]["other_head"], TODAY)
    assert (_reference_version(), _version()) == (before, data_before + 1)

    unit.name = "区企业服务中心（更名）"
    db.session.commit()
    assert _reference_version() == before + 1
    board = client.get("/").get_data(as_text=True)
    assert "区企业服务中心（更名）" in board  # the per-unit figures and the filter alike


def test_the_dashboards_first_view_after_a_report_runs_at_most_10_queries(client, busy):
    """A report saved makes every page stale; units, holidays, settings and the published
    ranking are read again only when they change."""
    client.login("leader")
    client.get("/")
    later = db.session.scalars(select(Milestone).where(
        Milestone.task_id == busy["foreign_task"].id, Milestone.due_date < TODAY)).first()
    make_report(later, busy["users"]["other_head"], TODAY)
    assert count_queries(client, "/") <= 10

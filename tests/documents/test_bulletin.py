"""督办情况通报: its figures are the dashboard's and the ranking's, its numbers never repeat."""
import re
import threading
from datetime import date
from io import BytesIO

import docx
import pytest
from conftest import make_task, make_unit, make_user
from docx.oxml.ns import qn
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from test_notices import INLINE_SCRIPT

from taskboard.awards import services as awards
from taskboard.calendar.workdays import WorkCalendar
from taskboard.documents import services
from taskboard.documents.docx import bulletin_docx
from taskboard.documents.models import Bulletin
from taskboard.errors import Conflict
from taskboard.extensions import db
from taskboard.tasks.models import Milestone, Task
from taskboard.tasks.workflow import review_report, submit_report

MAY_END, ISSUED_ON = date(2022, 5, 31), date(2022, 6, 2)


def _report(milestone: Milestone, author, office, day: date) -> None:
    report = submit_report(milestone, author, text=f"{milestone.period}：已完成本月计划。",
                           values={}, files=[], today=day, calendar=WorkCalendar.load())
    review_report(report, office, accept=True, comment=None)
    db.session.commit()


def _month(task: Task, period: str) -> Milestone:
    return next(m for m in task.milestones if m.period == period)


@pytest.fixture
def may(app):
    """Four tasks as of May 2022: two on time, one listed and two months overdue, one done."""
    ours, theirs = make_unit("qyfw", "区企业服务中心"), make_unit("cjj", "区城建局")
    office = make_user("office", "office")
    make_user("leader", "leader", display_name="主要领导")
    ours_reporter = make_user("ours_reporter", "reporter", ours)
    on_time = make_task(ours, title="推进科技成果转化申报", start=date(2022, 4, 1), targets=[])
    late = make_task(theirs, title="重点保障土地供给", start=date(2022, 4, 1), targets=[],
                     level="listed", lead_leader_name="潘爱民")
    short = make_task(ours, title="召开项目推进会", start=date(2022, 5, 1), due=date(2022, 5, 31),
                      targets=[])
    done = make_task(ours, title="完成园区规划修编", start=date(2022, 1, 1),
                     due=date(2022, 3, 31), targets=[])
    for milestone in [_month(on_time, "2022-04"), _month(on_time, "2022-05"), *short.milestones,
                      *done.milestones]:
        _report(milestone, ours_reporter, office, milestone.due_date)
    done.status, done.closed_on = "done", date(2022, 3, 31)  # closed with its last month
    db.session.commit()
    return {"office": office, "on_time": on_time, "late": late, "done": done}


def _docx_text(data: bytes) -> str:
    document = docx.Document(BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _figure(pattern: str, text: str) -> int:
    return int(re.search(pattern, text).group(1))


def test_the_figures_are_the_databases_and_the_dashboards(app, client, may):
    awards.publish(awards.compute("2022-05"), may["office"], MAY_END)
    db.session.commit()
    text = _docx_text(bulletin_docx(services.draft_bulletin("2022-05", ISSUED_ON)))

    # The database, counted here by hand.
    tasks = db.session.scalar(select(func.count()).select_from(Task))
    done = db.session.scalar(select(func.count()).where(Task.status == "done"))
    unreported_by_may_end = db.session.scalar(
        select(func.count()).select_from(Milestone).join(Task)
        .where(Task.status != "done", Milestone.due_date <= MAY_END,
               (Milestone.reported_on.is_(None)) | (Milestone.reported_on > MAY_END)))
    assert (tasks, done, unreported_by_may_end) == (4, 1, 2)
    assert _figure(r"纳入督办的事项共(\d+)项", text) == tasks
    assert _figure(r"已办结(\d+)项", text) == done
    assert _figure(r"正在办理(\d+)项", text) == tasks - done
    assert _figure(r"逾期未报送(\d+)个", text) == unreported_by_may_end
    assert _figure(r"按时报送并通过复核(\d+)个", text) == 2
    assert "按时办理率50.0%" in text

    # The dashboard as it looked on 31 May.
    app.config["TODAY"] = MAY_END.isoformat()
    client.login("office")
    page = client.get("/").get_data(as_text=True)
    red = int(re.search(r'data-light="red">(\d+)<', page).group(1))
    assert red == _figure(r"的事项(\d+)项（", text) == 1
    assert f"共 {tasks} 项" in page
    assert re.search(rf'data-status="done">{done}<', page)

    # The ranking, as published.
    award = awards.find("2022-05")
    assert [s.unit.name for s in award.red_flags] == ["区企业服务中心"]
    assert [s.unit.name for s in award.snails] == ["区城建局"]
    assert "获得“红旗”的单位：区企业服务中心（应报2个，按时2个，按时率100.0%" in text
    assert "获得“蜗牛奖”的单位：区城建局（应报2个，按时0个，按时率0.0%" in text

    # 挂牌督办: the unit, the lead, how late, and what was (not) reported.
    assert ("【挂牌督办】DB-2022-002“重点保障土地供给”（牵头领导：潘爱民；责任单位：区城建局）："
            "2个月度节点逾期未报送，最早的2022-04节点已逾期") in text
    assert "截至月底未报送进展" in text
    assert "请区城建局（2个）于" in text
    # The appendix: the month's ledger.
    assert "2022年5月督办事项台账" in text
    assert "未报送" in text and "按时报送" in text


def test_an_unpublished_month_and_a_month_with_nothing_overdue(app, may):
    late = may["late"]
    reporter = make_user("cjj_reporter", "reporter", late.responsible_unit)
    for period in ("2022-04", "2022-05"):
        milestone = _month(late, period)
        _report(milestone, reporter, may["office"], milestone.due_date)
    late.level = "normal"
    db.session.commit()
    draft = services.draft_bulletin("2022-05", ISSUED_ON)
    text = _docx_text(bulletin_docx(draft))
    assert draft.figures["overdue"] == draft.figures["overdue_tasks"] == 0
    assert "截至月底，无逾期事项" in text
    assert "本月无逾期未报送的月度节点" in text
    assert "本月没有挂牌督办和红牌事项。" in text
    assert "2022年5月按时办理排名尚未发布" in text


def test_the_docx_is_an_a4_document_in_the_offices_fonts(app, may):
    draft = services.draft_bulletin("2022-05", ISSUED_ON)
    document = docx.Document(BytesIO(bulletin_docx(draft)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    runs = [(run._element.rPr.rFonts.get(qn("w:eastAsia")), run.text)
            for paragraph in document.paragraphs for run in paragraph.runs if run.text]
    assert ("方正小标宋简体", draft.title) in runs
    assert ("黑体", "一、总体情况") in runs
    assert ("仿宋_GB2312", "各责任单位：") in runs
    assert ("仿宋_GB2312", draft.number_label) in runs and "（草稿）" in draft.number_label
    assert "PAGE" in section.footer._element.xml
    assert section.footer.paragraphs[0].text.startswith("— ")
    assert document.settings.odd_and_even_pages_header_footer


def test_issued_numbers_run_per_year_and_never_repeat(app, may):
    first = services.issue(services.draft_bulletin("2022-04", ISSUED_ON), may["office"],
                           bulletin_docx)
    second = services.issue(services.draft_bulletin("2022-05", ISSUED_ON), may["office"],
                            bulletin_docx)
    next_year = services.issue(services.draft_bulletin("2022-12", date(2023, 1, 5)), None,
                               bulletin_docx)
    db.session.commit()
    assert [(b.year, b.number) for b in (first, second, next_year)] == [
        (2022, 1), (2022, 2), (2023, 1)]
    assert "2022年第2期" in _docx_text(second.docx)
    with pytest.raises(Conflict):
        services.issue(services.draft_bulletin("2022-05", ISSUED_ON), None, bulletin_docx)
    db.session.rollback()
    # The database itself refuses a repeated number, whatever the code above does.
    db.session.add(Bulletin(month="2022-06", year=2022, number=2, issued_on=ISSUED_ON,
                            content={}, docx=b""))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_two_offices_issuing_at_once_get_two_numbers(app, may):
    barrier, numbers, errors = threading.Barrier(2), [], []

    def issue(month: str) -> None:
        with app.app_context():
            draft = services.draft_bulletin(month, ISSUED_ON)
            barrier.wait()
            try:
                numbers.append(services.issue(draft, None, bulletin_docx).number)
                db.session.commit()
            except Exception as error:  # any failure: reported by the assertion below
                errors.append(error)
                db.session.rollback()

    threads = [threading.Thread(target=issue, args=(month,)) for month in ("2022-04", "2022-05")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [1, 2]
    assert sorted(db.session.scalars(select(Bulletin.number))) == [1, 2]


def test_the_same_month_issued_twice_at_once_is_issued_once(app, may):
    barrier, outcomes = threading.Barrier(2), []

    def issue() -> None:
        with app.app_context():
            draft = services.draft_bulletin("2022-05", ISSUED_ON)
            barrier.wait()
            try:
                services.issue(draft, None, bulletin_docx)
                db.session.commit()
                outcomes.append("issued")
            except Conflict:
                db.session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["issued", "refused"]
    assert db.session.scalar(select(func.count()).select_from(Bulletin)) == 1
    assert services.find_issued("2022-05").number == 1


# ---- the pages --------------------------------------------------------------------------------

DRAFT = "/documents/bulletins/draft?month=2022-05"


def _form(client, **changes) -> dict:
    draft = services.draft_bulletin("2022-05", ISSUED_ON)
    return {"issued_on": ISSUED_ON.isoformat(),
            **{name: getattr(draft, name) for name in draft.TEXTS}, **changes}


def test_the_office_edits_downloads_and_issues_the_may_bulletin(app, client, may):
    client.login("office")
    page = client.get(DRAFT).get_data(as_text=True)
    assert 'data-figure="tasks">4<' in page and 'data-figure="overdue">2<' in page
    assert "2022-05 的排名尚未发布" in page

    edited = "请各单位高度重视，逐项对账销号。"
    response = client.post_form(DRAFT, _form(client, next_steps=edited, action="download"))
    text = _docx_text(response.data)
    assert edited in text and "2022年第　期（草稿）" in text
    preview = client.post_form(DRAFT, _form(client, next_steps=edited, action="print"))
    assert edited in preview.get_data(as_text=True)
    refused = client.post_form(DRAFT, _form(client, overall="  ", action="issue"))
    assert refused.status_code == 200 and "这一部分不能为空。" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Bulletin)) == 0  # no number taken

    issued = client.post_form(DRAFT, _form(client, next_steps=edited, action="issue"))
    assert issued.status_code == 302
    bulletin = services.find_issued("2022-05")
    assert (bulletin.year, bulletin.number, bulletin.content["next_steps"]) == (2022, 1, edited)
    assert "2022年第1期" in _docx_text(bulletin.docx)
    shown = client.get(issued.location).get_data(as_text=True)
    assert "2022年第1期" in shown and edited in shown and not INLINE_SCRIPT.search(shown)
    # Issued is frozen: the draft page now leads to the issued text.
    assert client.get(DRAFT).location.endswith(f"/documents/bulletins/{bulletin.id}")


def test_leaders_read_the_issued_list_and_units_do_not(app, client, may):
    bulletin = services.issue(services.draft_bulletin("2022-05", ISSUED_ON), may["office"],
                              bulletin_docx)
    db.session.commit()
    make_user("head", "unit_head", may["late"].responsible_unit)
    client.login("leader")
    listing = client.get("/documents/bulletins").get_data(as_text=True)
    assert "2022年第1期" in listing and "起草通报" not in listing
    download = client.get(f"/documents/bulletins/{bulletin.id}.docx")
    assert download.data == bulletin.docx
    assert client.get(DRAFT).status_code == 403
    client.post_form("/logout")
    client.login("head")
    assert client.get("/documents/bulletins").status_code == 403
    assert client.get(f"/documents/bulletins/{bulletin.id}.docx").status_code == 403


def test_a_bad_month_goes_back_with_a_message(client, may):
    client.login("office")
    response = client.get("/documents/bulletins/draft?month=2022-13")
    assert response.status_code == 302
    assert "月份必须是 YYYY-MM 格式。" in client.get(response.location).get_data(as_text=True)


# ---- the command --------------------------------------------------------------------------------

def test_the_command_drafts_without_a_number_and_issues_with_one(app, may, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "may.docx"
    drafted = runner.invoke(args=["bulletin", "--month", "2022-05", "--out", str(out)])
    assert drafted.exit_code == 0, drafted.stderr
    assert "2022年第　期（草稿）" in drafted.stdout and "纳入督办的事项共4项" in drafted.stdout
    assert "纳入督办的事项共4项" in _docx_text(out.read_bytes())
    assert db.session.scalar(select(func.count()).select_from(Bulletin)) == 0

    issued = runner.invoke(args=["bulletin", "--month", "2022-05", "--issue",
                                 "--date", "2022-06-02", "--out", str(out)])
    assert issued.exit_code == 0, issued.stderr
    assert "已印发并存档：2022年第1期。" in issued.stdout
    assert out.read_bytes() == services.find_issued("2022-05").docx
    again = runner.invoke(args=["bulletin", "--month", "2022-05", "--issue"])
    assert again.exit_code == 1 and "已经印发" in again.stderr
    bad = runner.invoke(args=["bulletin", "--month", "May"])
    assert bad.exit_code == 1 and "月份必须是 YYYY-MM 格式。" in bad.stderr

"""From pasted or uploaded minutes to confirmed tasks: upload, review, resume, confirm."""
import io
import json
from datetime import date

import pytest
from conftest import make_unit, make_user
from sqlalchemy import func, select

from taskboard.extensions import db
from taskboard.meetings.matching import Directory
from taskboard.meetings.models import Meeting, Proposal
from taskboard.tasks.models import Milestone, Task
from taskboard.units.models import Unit

SPEECH = (
    "同志们：\n"
    "2022年，我们要围绕“五个关键”抓落实。\n"
    "一、聚焦项目建设，确保投资目标如期完成\n"
    "一要加快重大项目开工。全年新开工亿元以上产业项目不少于40个，6月底前完成一季度项目开工。"
    "这项工作请潘爱民同志牵头，区招商局具体负责，区城建局配合。\n"
    "二要推进离岸孵化相关工作。要建设离岸孵化基地5个。这项工作由**同志总牵头，"
    "企业服务中心总负责，其他相关部门参与。\n"
)


def _pdf(text: str = "") -> bytes:
    """A one-page PDF; with ``text``, a real text layer (Helvetica, ASCII)."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def office(client, app):
    make_user("office", "office")
    make_user("pan", "leader", display_name="潘爱民")
    make_unit("zsj", "区招商局")
    make_unit("cjj", "区城建局")
    make_unit("qyfw", "区企业服务中心")
    client.login("office")
    return client


def _create(client, **fields):
    data = {"title": "2022年务虚会", "meeting_date": "2021-12-28", "kind": "speech",
            "year": "2022", **fields}
    return client.post_form("/meetings/new", data, content_type="multipart/form-data")


def _meeting() -> Meeting:
    db.session.expire_all()
    return db.session.scalar(select(Meeting))


@pytest.mark.parametrize("upload", [
    lambda: (io.BytesIO(SPEECH.encode("gb18030")), "讲话.txt"),
    lambda: (io.BytesIO(("\ufeff" + SPEECH).encode("utf-8")), "讲话.txt"),
    lambda: (io.BytesIO(_docx(SPEECH)), "讲话.docx"),
])
def test_pasted_or_uploaded_minutes_become_proposals(office, upload):
    response = _create(office, upload=upload())
    assert response.status_code == 302
    meeting = _meeting()
    assert "一要加快重大项目开工" in meeting.full_text
    assert meeting.document_year == 2022
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}/review")
    titles = [p.title for p in meeting.proposals if p.selected]
    assert any("加快重大项目开工" in t for t in titles)
    assert db.session.scalar(select(func.count(Task.id))) == 0  # nothing until confirmed


def test_a_text_pdf_is_read(office):
    response = _create(office, full_text="", upload=(io.BytesIO(_pdf("Hello Taskboard")),
                                                     "minutes.pdf"))
    assert response.status_code == 302
    assert "Hello Taskboard" in _meeting().full_text


@pytest.mark.parametrize(("upload", "message"), [
    (lambda: (io.BytesIO(b"\xd0\xcf\x11\xe0 old word"), "讲话.doc"), "另存为"),
    (lambda: (io.BytesIO(b"wps"), "讲话.wps"), "另存为"),
    (lambda: (io.BytesIO(_pdf()), "scan.pdf"), "扫描件"),
    (lambda: (io.BytesIO(b"not a zip"), "bad.docx"), "无法打开"),
    (lambda: (io.BytesIO(b"   \n  "), "empty.txt"), "没有文字"),
    (lambda: (io.BytesIO(b"x" * (2 * 1024 * 1024 + 1)), "big.txt"), "2 MB"),
    (lambda: (io.BytesIO(b"<html>"), "page.html"), "只支持"),
])
def test_unusable_files_are_explained_and_create_nothing(office, upload, message):
    response = _create(office, upload=upload())
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_an_empty_text_is_refused(office):
    response = _create(office, full_text="   ")
    assert "请粘贴讲话或纪要全文" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_names_are_matched_exactly_then_closely(office):
    _create(office, full_text=SPEECH)
    meeting = _meeting()
    start = next(p for p in meeting.proposals if "开工" in p.title)
    assert start.lead_leader_id == db.session.scalar(
        select(Unit.id).where(Unit.code == "zsj")) or start.lead_leader_id is not None
    assert db.session.get(Unit, start.responsible_unit_id).name == "区招商局"
    assert [db.session.get(Unit, u).name for u in start.cooperating_unit_ids] == ["区城建局"]
    offshore = next(p for p in meeting.proposals if "离岸" in p.title)
    assert offshore.lead_leader_name == "**" and offshore.lead_leader_id is None
    assert offshore.other_departments_participate
    # "企业服务中心" is not a unit's exact name: it is offered, not chosen.
    assert offshore.responsible_unit_id is None
    assert [u.name for u in Directory.load().close_units("企业服务中心")] == ["区企业服务中心"]
    page = office.get(f"/meetings/{meeting.id}/review").get_data(as_text=True)
    assert "是不是：区企业服务中心" in page
    assert f'id="excerpt-{offshore.position}"' in page


def _review_form(client, meeting: Meeting) -> dict:
    """The review form as the page renders it, field by field, like a browser would send it."""
    import html
    import re

    page = client.get(f"/meetings/{meeting.id}/review").get_data(as_text=True)
    form = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or not name.group(1).startswith("proposals-"):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                form[name.group(1)] = "y"
        elif tag.startswith("<select"):
            continue
        else:
            form[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, options in re.findall(r'<select[^>]*name="(proposals-[^"]+)"[^>]*>(.*?)</select>',
                                    page, re.S):
        selected = re.findall(r'<option selected value="([^"]*)"|<option value="([^"]*)" '
                              r'selected', options)
        values = [html.unescape(a or b) for a, b in selected]
        if values:
            form[name] = values if "unit_ids" in name else values[0]
    return form


def test_review_is_saved_resumed_and_confirmed_all_or_nothing(office):
    _create(office, full_text=SPEECH)
    meeting = _meeting()
    offshore = next(p for p in meeting.proposals if "离岸" in p.title)
    prefix = f"proposals-{[p.id for p in meeting.proposals].index(offshore.id)}"

    form = _review_form(office, meeting)
    form[f"{prefix}-title"] = "推进离岸孵化工作"
    response = office.post_form(f"/meetings/{meeting.id}/review", {**form, "action": "save"})
    assert response.status_code == 302
    assert _meeting().proposals[offshore.position].title == "推进离岸孵化工作"
    assert db.session.scalar(select(func.count(Task.id))) == 0

    # Confirming while one ticked proposal has no responsible unit creates nothing at all.
    form = _review_form(office, _meeting())
    assert form[f"{prefix}-title"] == "推进离岸孵化工作"  # resumed as left
    response = office.post_form(f"/meetings/{meeting.id}/review", {**form, "action": "confirm"})
    assert response.status_code == 200
    assert "请选择责任单位" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Task.id))) == 0

    qyfw = db.session.scalar(select(Unit).where(Unit.code == "qyfw"))
    form[f"{prefix}-responsible_unit_id"] = str(qyfw.id)
    response = office.post_form(f"/meetings/{meeting.id}/review", {**form, "action": "confirm"})
    assert response.status_code == 302
    tasks = db.session.scalars(select(Task).order_by(Task.code_number)).all()
    assert len(tasks) == sum(p.selected for p in _meeting().proposals)
    task = next(t for t in tasks if t.title == "推进离岸孵化工作")
    assert task.status == "assigned" and task.meeting_id == meeting.id
    assert task.responsible_unit.name == "区企业服务中心"
    assert task.lead_name == "**" and task.other_departments_participate
    assert task.start_date == date(2022, 6, 15)  # 交办日: the day it is confirmed
    assert "离岸孵化基地5个" in task.source_excerpt
    assert [t.target_value for t in task.targets] == [5]
    assert db.session.scalar(select(func.count(Milestone.id)).where(
        Milestone.task_id == task.id)) == 7  # June to December, from the day of assignment
    assert all(p.is_confirmed for p in _meeting().proposals if p.selected)


def test_an_unknown_unit_is_created_on_the_spot(office):
    speech = SPEECH.replace("区城建局配合", "区住建委配合")
    _create(office, full_text=speech)
    meeting = _meeting()
    start = next(p for p in meeting.proposals if "开工" in p.title)
    assert start.cooperating_unit_ids == []
    response = office.post_form(f"/meetings/{meeting.id}/units", {"name": "区住建委"})
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.name == "区住建委"))
    db.session.expire_all()
    assert db.session.get(Proposal, start.id).cooperating_unit_ids == [unit.id]
    response = office.post_form(f"/meetings/{meeting.id}/units", {"name": "区住建委"})
    assert db.session.scalar(select(func.count(Unit.id)).where(Unit.name == "区住建委")) == 1


def test_units_cannot_see_or_review_meetings(client, office):
    _create(office, full_text=SPEECH)
    meeting = _meeting()
    unit = db.session.scalar(select(Unit).where(Unit.code == "zsj"))
    make_user("zsj_head", "unit_head", unit)
    make_user("boss", "leader")
    for username in ("zsj_head", "boss"):
        office.post_form("/logout")
        office.login(username)
        assert office.get(f"/meetings/{meeting.id}/review").status_code == 403
        assert office.post_form(f"/meetings/{meeting.id}/review",
                                {"action": "confirm"}).status_code == 403
        assert office.post_form(f"/meetings/{meeting.id}/units",
                                {"name": "新单位"}).status_code == 403
    assert db.session.scalar(select(func.count(Task.id))) == 0


def test_minutes_commands(app, tmp_path):
    path = tmp_path / "speech.txt"
    path.write_text(SPEECH, encoding="gb18030")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["minutes", "parse", str(path), "--year", "2022", "--json"])
    assert result.exit_code == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["year"] == 2022
    offshore = next(p for p in parsed["proposals"] if "离岸" in p["title"])
    assert offshore["lead"] == "**" and offshore["units"] == ["企业服务中心"]
    assert offshore["cooperating"] == ["其他相关部门"]
    assert SPEECH[offshore["start"]:offshore["end"]] == offshore["excerpt"]
    assert set(parsed["proposals"][0]) == {"title", "category", "excerpt", "start", "end",
                                           "lead", "units", "cooperating", "deadline",
                                           "targets", "confidence", "flags", "row"}

    result = runner.invoke(args=["minutes", "import", str(path), "--title", "务虚会",
                                 "--date", "2021-12-28", "--year", "2022"])
    assert result.exit_code == 0, result.stderr
    assert "/review" in result.stdout
    assert db.session.scalar(select(func.count(Proposal.id))) >= 2

    result = runner.invoke(args=["minutes", "parse", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1 and "无法读取文件" in result.stderr and result.stdout == ""
    result = runner.invoke(args=["minutes", "import", str(path), "--title", "",
                                 "--date", "2021-12-28"])
    assert result.exit_code == 1 and "请填写名称" in result.stderr

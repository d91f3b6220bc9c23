"""Registering what the office receives: a breakdown table reviewed row by row, and the same
text registered twice only when the office says so."""
import io
import re
from pathlib import Path

from conftest import make_unit, make_user
from sqlalchemy import func, select

from taskboard.extensions import db
from taskboard.meetings.models import Meeting, Proposal

GENRES = Path(__file__).resolve().parents[1] / "data" / "genres"
MINUTES = (GENRES / "minutes" / "standing_committee.txt").read_text(encoding="utf-8")


def _register(client, **fields):
    data = {"title": "区政府第12次常务会议", "meeting_date": "2025-04-18", "kind": "minutes",
            **fields}
    return client.post_form("/meetings/new", data, content_type="multipart/form-data")


def _meetings() -> int:
    return db.session.scalar(select(func.count(Meeting.id)))


def test_the_same_text_twice_is_registered_only_when_confirmed(client, app):
    make_user("office", "office")
    client.login("office")
    assert _register(client, full_text=MINUTES).status_code == 302
    first = db.session.scalar(select(Meeting))
    # re-wrapped and re-indented: the same text
    again = "\n\n".join("  " + line for line in MINUTES.splitlines())
    page = _register(client, title="常务会议（重复）", full_text=again).get_data(as_text=True)
    assert "这份文字与已登记的会议相同" in page
    assert f'href="/meetings/{first.id}"' in page and "区政府第12次常务会议" in page
    assert _meetings() == 1
    response = _register(client, title="常务会议（重复）", full_text=again,
                         same_text_confirmed="y")
    assert response.status_code == 302
    assert _meetings() == 2


def test_an_uploaded_text_seen_before_stays_in_the_form_for_confirming(client, app):
    make_user("office", "office")
    client.login("office")
    _register(client, full_text=MINUTES)
    page = _register(client, upload=(io.BytesIO(MINUTES.encode("gb18030")), "纪要.txt")) \
        .get_data(as_text=True)
    assert "这份文字与已登记的会议相同" in page
    assert "会议议定" in page  # the uploaded text is in the text box now
    assert _meetings() == 1


def test_minutes_import_asks_before_the_same_text_twice(app, tmp_path):
    path = tmp_path / "纪要.txt"
    path.write_text(MINUTES, encoding="utf-8")
    runner = app.test_cli_runner()
    args = ["minutes", "import", str(path), "--title", "常务会议", "--date", "2025-04-18"]
    assert runner.invoke(args=args).exit_code == 0
    refused = runner.invoke(args=args)
    assert refused.exit_code != 0
    assert "相同" in refused.output + (refused.stderr or "")
    assert runner.invoke(args=[*args, "--allow-same-text"]).exit_code == 0
    assert _meetings() == 2


def test_a_breakdown_table_is_reviewed_row_by_row(client, app):
    make_user("office", "office")
    make_unit("fgj", "区发改局")
    client.login("office")
    data = (GENRES / "table_xlsx" / "breakdown.xlsx").read_bytes()
    response = _register(client, title="2025年重点任务分解表", kind="document", year="2025",
                         upload=(io.BytesIO(data), "分解表.xlsx"))
    assert response.status_code == 302
    proposals = db.session.scalars(select(Proposal).order_by(Proposal.position)).all()
    assert [(p.source_row, p.spoken_lead, p.spoken_units) for p in proposals] == [
        (1, "王建国", ["区发改局"]), (2, "王建国", ["区发改局"]), (3, "李副区长", ["区教育局"]),
        (4, "", ["区文旅体局"])]
    assert proposals[0].responsible_unit_id is not None  # matched to the system's unit
    assert proposals[3].flags == ["长期坚持"] and proposals[3].due_date.isoformat() == "2025-12-31"
    assert all(p.confidence >= 0.85 and p.selected for p in proposals)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(re.findall(r'<mark id="excerpt-\d+" class="[^"]*table-row', page)) == 4
    assert "表格第 3 行" in page and "长期坚持" in page

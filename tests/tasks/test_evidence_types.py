"""Evidence: the file name must agree with the type its bytes show, and downloads never render."""
import io
import zipfile
from datetime import date

import pytest
from conftest import make_task, make_unit, make_user
from sqlalchemy import func, select

from taskboard.extensions import db
from taskboard.tasks.models import Attachment

PDF = b"%PDF-1.4\n%typed by its first bytes\n"
GIF = b"GIF89a<svg onload=alert(1)>"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = _zip("[Content_Types].xml", "word/document.xml")
OFD = _zip("OFD.xml", "Doc_0/Document.xml")


@pytest.fixture
def milestone(app):
    unit = make_unit("ours", "区招商局")
    make_user("reporter", "reporter", unit)
    task = make_task(unit, title="新签约项目", today=date(2022, 1, 4))
    return task.milestones[0]


def _upload(client, milestone, name: str, content: bytes):
    client.login("reporter")
    return client.post_form(f"/milestones/{milestone.id}/report", {
        "text": "一月进展", "values-0-target_id": str(milestone.task.targets[0].id),
        "values-0-value": "1", "files": [(io.BytesIO(content), name)],
    }, content_type="multipart/form-data")


@pytest.mark.parametrize(("name", "content"), [
    ("report.html", PDF), ("setup.exe", PDF), ("photo.svg", GIF), ("报表.docx", OLE2),
    ("报表.doc", DOCX), ("公文.pdf", OFD), ("照片.pdf", GIF), ("说明.txt", DOCX),
])
def test_a_name_that_disagrees_with_the_content_is_refused(client, milestone, name, content):
    response = _upload(client, milestone, name, content)
    assert "扩展名与文件内容不符" in response.get_data(as_text=True), name
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("签约清单.PDF", PDF, "application/pdf"), ("现场.gif", GIF, "image/gif"),
    ("台账.xls", OLE2, "application/msword"), ("汇报.wps", OLE2, "application/msword"),
    ("表格.et", OLE2, "application/msword"), ("演示.dps", OLE2, "application/msword"),
    ("报告.docx", DOCX,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("公文.ofd", OFD, "application/ofd"),
])
def test_a_name_in_the_family_of_its_content_is_kept_and_served_as_a_download(
        client, milestone, name, content, content_type):
    assert _upload(client, milestone, name, content).status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert (attachment.filename, attachment.content_type) == (name, content_type)
    download = client.get(f"/reports/{attachment.report_id}/files/{attachment.id}")
    assert download.data == content
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Type"].startswith(content_type)

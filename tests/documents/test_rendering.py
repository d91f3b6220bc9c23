"""The documents rendered as a reader gets them: LibreOffice's PDF and Chromium's print."""
import os
import shutil
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from conftest import make_task
from pypdf import PdfReader
from test_browser import browser, live_server, log_in  # noqa: F401 - fixtures

import taskboard.documents
from taskboard.documents import services
from taskboard.documents.docx import bulletin_docx, notices_docx

SOFFICE = shutil.which("soffice")
FONTS_CONF = Path(taskboard.documents.__file__).parent / "fonts.conf"


def _pdf(tmp_path: Path, name: str, data: bytes) -> PdfReader:
    source = tmp_path / f"{name}.docx"
    source.write_bytes(data)
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
        env={**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)})
    return PdfReader(tmp_path / f"{name}.pdf")


def _fonts(reader: PdfReader) -> set[str]:
    return {str(font["/BaseFont"]) for page in reader.pages
            for font in page["/Resources"]["/Font"].values()}


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed "
                    "(apt-get install libreoffice-writer-nogui fonts-noto-cjk to run this)")
def test_libreoffice_converts_both_documents_to_pdf(app, world, tmp_path):
    second = make_task(world["units"]["other"], title="重点保障土地供给")
    notices = services.notices([world["own_task"], second], date(2022, 6, 15))
    reader = _pdf(tmp_path, "notices", notices_docx(notices))
    assert len(reader.pages) == 2  # one page a task, its 签收回执 included
    for page, task in zip(reader.pages, (world["own_task"], second), strict=True):
        text = page.extract_text()
        assert "督办通知单" in text and task.code in text and "签收回执" in text
    if "NotoSerifCJK" in " ".join(_fonts(reader)):  # fonts-noto-cjk stands in for 仿宋
        assert any("NotoSansCJK" in name for name in _fonts(reader))  # …and 黑体

    bulletin = _pdf(tmp_path, "bulletin", bulletin_docx(services.draft_bulletin("2022-05",
                                                                                date(2022, 6, 2))))
    text = "".join(page.extract_text() for page in bulletin.pages)
    assert "督办情况通报" in text and "督办事项台账" in text and "总体情况" in text
    assert len(bulletin.pages) >= 2  # the appendix starts a page of its own


def test_the_notice_prints_on_one_a4_page_in_chromium(live_server, browser, world):  # noqa: F811
    page = browser.new_page()
    errors: list[str] = []
    # Every stylesheet and script the page asks for is served (the browser's own favicon aside).
    page.on("response", lambda response: errors.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, "office")
    page.goto(f"{live_server}/tasks/{world['own_task'].id}")
    page.click("text=督办通知单")
    assert page.locator("button[data-print]").is_visible()
    assert page.locator(".sheet .receipt").inner_text().startswith("（沿此线剪下")
    printed = PdfReader(BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(printed.pages) == 1
    width, height = (float(v) for v in printed.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    assert "签收回执" in printed.pages[0].extract_text()
    assert errors == []

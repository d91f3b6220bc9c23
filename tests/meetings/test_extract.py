"""Extraction keeps a document's structure; hostile Office files are refused before parsing."""
import io
import json
from datetime import datetime
from pathlib import Path

import docx
import pytest
from conftest import make_user
from openpyxl import Workbook
from sqlalchemy import func, select

from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.meetings.extract import text_from_upload
from taskboard.meetings.models import Meeting
from taskboard.tasks.models import Task

DATA = Path(__file__).resolve().parents[1] / "data"
HOSTILE_DOCX = DATA / "hostile" / "paragraphs.docx"  # 211 KB: 20 million empty paragraphs
HOSTILE_XLSX = DATA / "hostile" / "wide_sheet.xlsx"  # one cell, declares A1:XFD100000
MANY_CELLS = DATA / "hostile" / "many_cells.xlsx"  # declares A1, holds 60,000 cells
MANY_PARAGRAPHS = DATA / "hostile" / "many_paragraphs.docx"  # 45 KB, a million paragraphs
HEADER = ["序号", "类别", "重点任务", "责任领导", "牵头单位", "配合单位", "完成时限"]


def _save(document_or_book) -> bytes:
    buffer = io.BytesIO()
    document_or_book.save(buffer)
    return buffer.getvalue()


def _breakdown_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("一、重点任务分解")
    table = document.add_table(rows=3, cols=len(HEADER))
    for column, name in enumerate(HEADER):
        table.cell(0, column).text = name
    for row, values in enumerate([["1", "产业发展", "新增规上工业企业15家", "李明", "区工信局",
                                   "区统计局", "6月底前"],
                                  ["2", "", "新建书房5个", "王副区长", "区文旅局", "—",
                                   "2025.10.31"]], start=1):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    table.cell(1, 1).merge(table.cell(2, 1))  # the category spans both rows
    table.cell(2, 2).add_paragraph("改造文化室20个")  # a cell of two paragraphs
    document.add_paragraph("区委督查室")
    return _save(document)


def test_a_word_table_stays_rows_of_cells_in_document_order():
    lines = text_from_upload("分解表.docx", _breakdown_docx()).splitlines()
    assert lines[0] == "一、重点任务分解"
    rows = [line.split("\t") for line in lines if "\t" in line]
    assert rows[0] == HEADER
    assert rows[1] == ["1", "产业发展", "新增规上工业企业15家", "李明", "区工信局", "区统计局",
                       "6月底前"]
    # the merged category is in both rows; the two paragraphs stay one cell
    assert rows[2] == ["2", "产业发展", "新建书房5个；改造文化室20个", "王副区长", "区文旅局", "—",
                       "2025.10.31"]
    assert lines[-1] == "区委督查室"  # the paragraph after the table comes after it


def _workbook(*sheets: tuple[str, list[list]], merged: str = "") -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if merged:
        book.worksheets[-1].merge_cells(merged)
    return _save(book)


def test_the_first_sheet_with_a_header_is_the_breakdown_table():
    data = _workbook(("说明", [["本表按季度更新"]]),
                     ("任务", [["2025年任务分解表"], HEADER,
                               [1, "项目建设", "新开工项目25个\n完成投资150亿元", "王建国",
                                "区发改局", None, datetime(2025, 6, 30)],
                               [2, None, "盘活土地500亩", None, "区自然资源局", "区财政局",
                                "长期坚持"]]),
                     merged="B3:B4")
    text = text_from_upload("分解表.xlsx", data)
    assert "本表按季度更新" not in text
    assert text.splitlines() == [
        "2025年任务分解表", "\t".join(HEADER),
        "1\t项目建设\t新开工项目25个；完成投资150亿元\t王建国\t区发改局\t\t2025年6月30日",
        "2\t项目建设\t盘活土地500亩\t\t区自然资源局\t区财政局\t长期坚持"]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("台账.xls", b"\xd0\xcf\x11\xe0", "另存为” Excel 工作簿（.xlsx）"),
    ("台账.et", b"et", "另存为” Excel 工作簿（.xlsx）"),
    ("表.xlsx", _workbook(("Sheet", [["名称", "数量"], ["a", 1]])), "找不到任务分解表的表头"),
    ("表.xlsx", b"not a zip", "无法打开"),
    ("paragraphs.docx", HOSTILE_DOCX.read_bytes(), "解压后内容过大"),
    ("wide.xlsx", HOSTILE_XLSX.read_bytes(), "工作表声明的范围过大"),
    ("cells.xlsx", MANY_CELLS.read_bytes(), "单元格过多"),
    ("many.docx", MANY_PARAGRAPHS.read_bytes(), "段落过多"),
])
def test_files_that_cannot_be_read_say_why(name, data, message):
    with pytest.raises(ValidationError) as refused:
        text_from_upload(name, data)
    assert message in refused.value.errors["file"]


@pytest.mark.parametrize("path", [HOSTILE_DOCX, HOSTILE_XLSX, MANY_CELLS, MANY_PARAGRAPHS])
def test_hostile_files_are_refused_on_the_page_and_create_nothing(client, app, path):
    make_user("office", "office")
    client.login("office")
    page = client.post_form("/meetings/new", {
        "title": "分解表", "meeting_date": "2025-03-01", "kind": "document",
        "upload": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "过大" in page or "过多" in page
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_a_hostile_workbook_is_refused_by_the_ledger_import_too(client, app):
    make_user("office", "office")
    client.login("office")
    page = client.post_form("/ledger/import", {
        "file": (io.BytesIO(HOSTILE_XLSX.read_bytes()), "台账.xlsx")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "工作表声明的范围过大" in page
    assert db.session.scalar(select(func.count(Task.id))) == 0


def test_minutes_parse_reads_tables_and_refuses_hostile_files(app, tmp_path):
    runner = app.test_cli_runner()
    table = DATA / "genres" / "table_xlsx" / "breakdown.xlsx"
    result = runner.invoke(args=["minutes", "parse", str(table), "--year", "2025", "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.output)["proposals"][0]
    assert (first["lead"], first["units"], first["deadline"], first["row"]) == (
        "王建国", ["区发改局"], "2025-06-30", 1)
    result = runner.invoke(args=["minutes", "parse", str(HOSTILE_DOCX)])
    assert result.exit_code != 0
    assert "解压后内容过大" in result.output + (result.stderr or "")

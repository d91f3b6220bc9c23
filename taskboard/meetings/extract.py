"""Text out of an uploaded file: .txt (UTF-8 or GB18030), .docx, .xlsx and text PDFs.

Tables keep their shape: one row a line, cells apart by a tab, a merged cell's value in every
row it spans, the paragraphs of one cell joined into that cell. So the parser sees a Word or
Excel 任务分解表 as rows of cells, in its place among the paragraphs. Each refusal says what
to do instead; nothing here touches the database.
"""
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import PurePath

from flask_babel import gettext as _

from taskboard.errors import ValidationError
from taskboard.office_files import check_office_file

from .tables import column_roles

MAX_BYTES = 2 * 1024 * 1024
# A breakdown table of 1,000 rows has 20,000 cells; loading 600,000 takes a minute.
MAX_CELLS = 50_000
CELL_SEPARATOR = "\t"
_HEADER_SEARCH_ROWS = 10  # a breakdown table's header sits under at most a title or two
_CLOSED = re.compile(r"[。；！？，、：;,:]$")


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Office PCs in China save .txt as GBK/GB18030 unless told otherwise.
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise _refuse(_("无法识别文件编码，请另存为 UTF-8 编码的 .txt 文件后再上传。")) from error


def _cell_text(lines: Iterable[str]) -> str:
    """One cell on one line: its paragraphs joined, a ； where a paragraph ends unpunctuated
    (1.新建书房5个 / 2.改造文化室20个 stay two clauses)."""
    text = ""
    for line in (" ".join(part.split()) for part in lines):
        if line:
            text += ("；" if text and not _CLOSED.search(text) else "") + line
    return text


def _row_line(cells: list[str]) -> str:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return CELL_SEPARATOR.join(cells)


def _docx_rows(table) -> Iterator[str]:
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            # python-docx repeats a cell merged across columns; its value belongs to the first.
            same = cell._tc is previous
            previous = cell._tc
            cells.append("" if same else _cell_text(p.text for p in cell.paragraphs))
        line = _row_line(cells)
        if line:
            yield line


def _docx(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise _refuse(_("这个 .docx 文件无法打开，可能已损坏。请用 Word 或 WPS 重新另存后上传。")) \
            from error
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":  # a blank line on each side: the rows are a block of their own
            lines += ["", *_docx_rows(Table(child, document)), ""]
    return "\n".join(lines)


def _cell_value(value) -> str:
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _cell_text(str(value).splitlines()) if value is not None else ""


def _sheet_lines(sheet) -> list[str]:
    rows = [[_cell_value(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    # A merged range keeps its value in its top-left cell only: carry it down the rows it spans.
    for merged in sheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row):
            rows[r][merged.min_col - 1] = value
    return [line for row in rows if (line := _row_line(row))]


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _refuse(_("这个 .xlsx 文件无法打开，可能已损坏。"
                        "请用 Excel 或 WPS 重新另存后上传。")) from error
    for sheet in book.worksheets:
        lines = _sheet_lines(sheet)
        if any(column_roles(line.split(CELL_SEPARATOR)) for line in lines[:_HEADER_SEARCH_ROWS]):
            return "\n".join(lines)
    raise _refuse(_("表格中找不到任务分解表的表头（如“重点任务”“牵头单位”“完成时限”）。"
                    "请确认表头在工作表的前 10 行内。"))


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise _refuse(_("这个 PDF 文件无法读取，可能已损坏或加密。")) from error


def text_from_upload(filename: str, data: bytes) -> str:
    """The text of an uploaded file, or a ValidationError saying what to do instead."""
    if len(data) > MAX_BYTES:
        raise _refuse(_("文件超过 2 MB。请只上传讲话或纪要正文（如另存为 .txt）。"))
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".doc", ".wps"):
        raise _refuse(_("不支持 .doc 和 .wps 格式。请在 Word 或 WPS 中“另存为” .docx 后上传，"
                        "或直接复制全文粘贴。"))
    if suffix in (".xls", ".et"):
        raise _refuse(_("不支持 .xls 和 .et 格式。请在 Excel 或 WPS 中“另存为” Excel 工作簿"
                        "（.xlsx）后上传。"))
    if suffix == ".txt":
        text = _decode(data)
    elif suffix in (".docx", ".xlsx"):
        check_office_file(data, max_cells=MAX_CELLS)
        text = _docx(data) if suffix == ".docx" else _xlsx(data)
    elif suffix == ".pdf":
        text = _pdf(data)
        if not text.strip():
            raise _refuse(_("这个 PDF 没有文字层（可能是扫描件）。请上传 Word 原稿，"
                            "或复制文字粘贴到正文框。"))
    else:
        raise _refuse(_("只支持 .txt、.docx、.xlsx 和 PDF 文件。"))
    if not text.strip():
        raise _refuse(_("文件里没有文字内容。"))
    return text.replace("\r\n", "\n").replace("\x00", "")

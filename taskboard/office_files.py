"""One guard for every uploaded Office file (.docx, .xlsx), run before any parser opens it.

A .docx or .xlsx is a zip of XML. A few hundred kilobytes can unzip to gigabytes (20 million
empty paragraphs), a sheet can declare A1:XFD100000, which openpyxl's streaming reader then pads
with empty cells, and a 2 MB workbook can hold 600,000 real cells, which take a minute and
hundreds of megabytes to load: each runs a worker out of time or memory. The guard reads the
zip's directory, a sheet's <dimension>, and counts the cells and paragraphs while streaming the
XML (never holding it), so a refusal costs well under a second and a few megabytes.
"""
import re
import zipfile
from io import BytesIO

from flask_babel import gettext as _

from taskboard.errors import ValidationError

MAX_XML_BYTES = 40 * 1024 * 1024  # all XML parts unzipped; real ledgers and minutes use < 5 MB
MAX_CELLS = 500_000  # a 5,000-task ledger has about 100,000
MAX_PARAGRAPHS = 50_000  # a long work report has a few thousand
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension ref="([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?"')
_CELL = re.compile(rb"<(?:\w+:)?c[ >/]")
_PARAGRAPH = re.compile(rb"<w:p[ >/]")
_CHUNK = 1024 * 1024
_OVERLAP = 16  # longer than any tag counted


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _declared_cells(head: bytes) -> int:
    m = _DIMENSION.search(head)
    if not m or not m.group(3):
        return 1 if m else 0
    columns = _column_number(m.group(3)) - _column_number(m.group(1)) + 1
    rows = int(m.group(4)) - int(m.group(2)) + 1
    return max(columns, 0) * max(rows, 0)


def _count(archive: zipfile.ZipFile, info: zipfile.ZipInfo, tag: re.Pattern[bytes],
           limit: int) -> int:
    """Occurrences of ``tag`` in a part, streamed in chunks; stops once past ``limit``."""
    found, tail = 0, b""
    with archive.open(info) as part:
        while found <= limit and (chunk := part.read(_CHUNK)):
            text = tail + chunk
            # A tag cut between two chunks is whole in ``text``; one that ends in the tail
            # was counted with the chunk before.
            found += sum(1 for m in tag.finditer(text) if m.end() > len(tail))
            tail = text[-_OVERLAP:]
    return found


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def check_office_file(data: bytes, *, field: str = "file", max_cells: int = MAX_CELLS) -> None:
    """Refuse an Office file whose unzipped XML, sheet cells or paragraphs are absurd.

    A file that is no zip at all is left to the parser, which has its own message for it.
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile:
        return
    with archive:
        parts = [info for info in archive.infolist() if info.filename.endswith((".xml", ".rels"))]
        if sum(info.file_size for info in parts) > MAX_XML_BYTES:
            raise _refuse(field, _(
                "文件解压后内容过大（超过 %(mb)d MB 的文字和表格），无法处理。"
                "请删除空白段落或空白行后另存再上传。", mb=MAX_XML_BYTES // (1024 * 1024)))
        sheets = [info for info in parts if info.filename.startswith("xl/worksheets/")]
        for info in sheets:
            with archive.open(info) as sheet:
                declared = _declared_cells(sheet.read(4096))
            if declared > max_cells:
                raise _refuse(field, _(
                    "工作表声明的范围过大（超过 %(n)d 个单元格），可能含有大量空白行列。"
                    "请只保留有内容的区域，另存后再上传。", n=max_cells))
        if sum(_count(archive, info, _CELL, max_cells) for info in sheets) > max_cells:
            raise _refuse(field, _("表格的单元格过多（超过 %(n)d 个），无法处理。"
                                   "请只保留需要的工作表和行列后再上传。", n=max_cells))
        documents = [info for info in parts if info.filename == "word/document.xml"]
        if sum(_count(archive, info, _PARAGRAPH, MAX_PARAGRAPHS) for info in documents) \
                > MAX_PARAGRAPHS:
            raise _refuse(field, _("文档的段落过多（超过 %(n)d 段），无法处理。"
                                   "请删除空白段落后另存再上传。", n=MAX_PARAGRAPHS))

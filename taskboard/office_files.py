"""One guard for every uploaded Office file (.docx, .xlsx), run before any parser opens it.

A .docx or .xlsx is a zip of XML. A few hundred kilobytes can unzip to gigabytes (20 million
empty paragraphs), and a sheet can declare A1:XFD100000, which openpyxl then pads with empty
cells: either runs the process out of memory. The zip's directory and a sheet's <dimension>
are read without unzipping the rest, so a refusal costs milliseconds and almost no memory.
"""
import re
import zipfile
from io import BytesIO

from flask_babel import gettext as _

from taskboard.errors import ValidationError

MAX_XML_BYTES = 40 * 1024 * 1024  # all XML parts unzipped; real ledgers and minutes use < 5 MB
MAX_CELLS = 2_000_000  # declared by one sheet; a 5,000-row ledger of 40 columns is 200,000
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension ref="([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?"')
_DIMENSION_WINDOW = 4096  # <dimension> comes before any row, near the top of the sheet


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


def check_office_file(data: bytes, *, field: str = "file") -> None:
    """Refuse an Office file whose unzipped XML or declared sheet size is absurd.

    A file that is no zip at all is left to the parser, which has its own message for it.
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile:
        return
    with archive:
        parts = [info for info in archive.infolist() if info.filename.endswith((".xml", ".rels"))]
        if sum(info.file_size for info in parts) > MAX_XML_BYTES:
            raise ValidationError({field: _(
                "文件解压后内容过大（超过 %(mb)d MB 的文字和表格），无法处理。"
                "请删除空白段落或空白行后另存再上传。", mb=MAX_XML_BYTES // (1024 * 1024))})
        for info in parts:
            if not info.filename.startswith("xl/worksheets/"):
                continue
            with archive.open(info) as sheet:
                head = sheet.read(_DIMENSION_WINDOW)
            if _declared_cells(head) > MAX_CELLS:
                raise ValidationError({field: _(
                    "工作表声明的范围过大（超过 %(n)d 个单元格），可能含有大量空白行列。"
                    "请只保留有内容的区域，另存后再上传。", n=MAX_CELLS)})

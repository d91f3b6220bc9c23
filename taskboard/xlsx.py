"""Writing user text into Excel sheets safely."""
from collections.abc import Iterable
from copy import copy

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

# Text starting with these would be read by Excel or WPS as a formula (=HYPERLINK(…) …).
FORMULA_STARTS = ("=", "+", "-", "@")


def write_row(sheet: Worksheet, row: int, values: Iterable) -> None:
    """Write ``values`` into ``row``; text that would start a formula stays text (``put``)."""
    for column, value in enumerate(values, 1):
        put(sheet.cell(row, column), value)


def styled_cell(sheet: WriteOnlyWorksheet, value, like: Cell) -> Cell:
    """A cell for a write-only sheet holding ``value`` as ``put`` does, styled as ``like``.

    Copying a styled cell's style array is how openpyxl copies styles; it skips looking every
    style up again by hash, which is a quarter of a 5,000-task ledger's time otherwise.
    """
    cell = WriteOnlyCell(sheet)
    cell._style = copy(like._style)
    return put(cell, value)


def put(cell: Cell, value) -> Cell:
    """Set ``cell`` to ``value``; text that would start a formula stays text.

    openpyxl stores any string starting with "=" as a formula; such a title or unit name would
    run when the sheet is opened (formula injection). The cell is marked as a string, and with
    Excel's quote prefix, so that editing it keeps it text and a re-import reads the same text.
    Control characters no sheet may hold (pasted from other programs) are left out instead of
    failing the whole export.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell

"""The ranking as an Excel sheet (openpyxl)."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from taskboard.xlsx import write_row

from .scoring import UnitMonth

HEADER = ("名次", "单位", "得分", "应报", "按时", "迟报", "逾期", "平均延误工作日", "按时率",
          "评定")


def ranking_workbook(title: str, tallies: list[UnitMonth], formula: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    write_row(sheet, 1, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADER))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3E8E8")
    for row, tally in enumerate(tallies, start=3):
        verdict = "红旗" if tally.is_red_flag else "蜗牛奖" if tally.is_snail else ""
        write_row(sheet, row, [
            tally.rank if tally.rank is not None else "不排名", tally.unit_name,
            float(tally.score), tally.due, tally.on_time, tally.late, tally.overdue,
            float(tally.avg_delay_days), float(tally.on_time_rate), verdict])
        sheet.cell(row, 9).number_format = "0.0%"
    write_row(sheet, len(tallies) + 4, [formula])
    sheet.cell(len(tallies) + 4, 1).alignment = Alignment(wrap_text=True)
    for column, width in zip("ABCDEFGHIJ", (8, 28, 10, 8, 8, 8, 8, 16, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()

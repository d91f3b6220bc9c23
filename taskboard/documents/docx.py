"""The two documents as .docx, laid out after GB/T 9704-2012 (党政机关公文格式).

A4 with the standard's margins (天头 37 mm, 订口 28 mm, 版心 156 × 225 mm), 3号仿宋 body at
22 lines a page, 2号小标宋 title, 黑体 first-level headings, 4号 page numbers "— 1 —" outside
(right on odd pages, left on even ones). Fonts are named as offices have them installed
(方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) and set as East-Asian fonts, which is what Word
and WPS read for Chinese text; where they are missing the viewer substitutes (fonts.conf beside
this module maps them to Noto CJK for LibreOffice's PDF).
"""
from copy import deepcopy
from io import BytesIO

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .services import (
    COPY_TO,
    LEDGER_HEADER,
    SECTIONS,
    BulletinDraft,
    Notice,
    chinese_date,
)

TITLE_FONT, BODY_FONT, HEADING_FONT, SONG_FONT = (
    "方正小标宋简体", "仿宋_GB2312", "黑体", "宋体")
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xE6, 0x00, 0x12)
SIZE_TITLE, SIZE_BODY, SIZE_SMALL, SIZE_TABLE = Pt(22), Pt(16), Pt(14), Pt(10.5)
LINE = Pt(28.95)  # 225 mm of 版心 / 22 lines
INDENT = Pt(32)   # 首行缩进 two characters of 3号
NO_SPACE = Pt(0)


# ---- pieces ---------------------------------------------------------------------------------

def _fonts(run, east_asian: str, size, *, bold: bool = False, color: RGBColor | None = None):
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    return run


def _paragraph(container, text: str = "", *, font: str = BODY_FONT, size=SIZE_BODY,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False, bold: bool = False,
               color: RGBColor | None = None, line=LINE, space_after=NO_SPACE):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = NO_SPACE, space_after
    if line is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, line
    if indent:
        fmt.first_line_indent = INDENT
    if text:
        _fonts(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _rule(paragraph, color: str = "E60012", size: int = 12, style: str = "single") -> None:
    """A line under the paragraph: the red 分隔线 of the 版头, or the 版记's lines."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", style), ("w:sz", str(size)), ("w:space", "1"),
                        ("w:color", color)):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _field(paragraph, code: str, size) -> None:
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"),
                       ("end", None)):
        run = _fonts(paragraph.add_run(), SONG_FONT, size)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)


def _page_number(footer, align) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else None
    paragraph.paragraph_format.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else None
    _fonts(paragraph.add_run("— "), SONG_FONT, SIZE_SMALL)
    _field(paragraph, "PAGE", SIZE_SMALL)
    _fonts(paragraph.add_run(" —"), SONG_FONT, SIZE_SMALL)


def _document(title: str):
    document = Document()
    document.core_properties.title = title
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Pt(14)  # 页码 7 mm below the 版心
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, SIZE_BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    # python-docx starts with one empty paragraph: drop it so that page one starts at the top.
    body = document.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    return document


def _table(document, header: list[str], rows: list[list[str]], widths: list[float]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _cell_text(cell, text, HEADING_FONT, SIZE_TABLE)
    _repeat_header(table.rows[0])
    template = table.add_row()
    for cell in template.cells:
        _cell_text(cell, " ", BODY_FONT, SIZE_TABLE)
    _widths(table, widths)
    # Every row is a copy of one laid-out row with its texts put in: python-docx's add_row and
    # font setters cost 3 ms a row, half a minute for a district's 5,000-task ledger.
    row = template._tr
    table._tbl.remove(row)
    for values in rows:
        copied = deepcopy(row)
        for cell, text in zip(copied.iterchildren(qn("w:tc")), values, strict=True):
            _put_lines(cell, text)
        table._tbl.append(copied)
    return table


def _put_lines(cell, text: str) -> None:
    """Fill a copied cell (one paragraph, one run) with ``text``, a paragraph a line."""
    paragraph = cell.find(qn("w:p"))
    for number, line in enumerate(text.split("\n")):
        target = paragraph if number == 0 else deepcopy(paragraph)
        element = target.find(qn("w:r")).find(qn("w:t"))
        element.text = line
        if line == line.strip():  # as python-docx writes it: spaces kept only where there are
            element.attrib.pop(qn("xml:space"), None)
        if number:
            cell.append(target)


def _widths(table, widths: list[float]) -> None:
    """Column widths LibreOffice honours too: the grid's, not only each cell's."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(Mm(width).twips))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _repeat_header(row) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _cell_text(cell, text: str, font: str, size) -> None:
    for number, line in enumerate(text.split("\n")):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        # Exact spacing: otherwise the body's 3号 paragraph mark sets every row's height.
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(size.pt * 1.35)
        _fonts(paragraph.add_run(line), font, size)


def _form_table(document, rows: list[tuple[str, ...]], widths: list[float], size):
    """The 交办单's grid: label, value (across the row), or label, value, label, value."""
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for values in rows:
        cells = table.add_row().cells
        for index, text in enumerate(values):
            _cell_text(cells[index], text, HEADING_FONT if index % 2 == 0 else BODY_FONT, size)
        if len(values) == 2:
            cells[1].merge(cells[3])
    _widths(table, widths)
    return table


def _saved(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---- 督办通知单 ------------------------------------------------------------------------------

def _notice(document, notice: Notice) -> None:
    task = notice.task
    _paragraph(document, notice.office, font=TITLE_FONT, size=Pt(24), color=RED,
               align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(30))
    header = _paragraph(document, f"督办编号：{task.code}", size=Pt(12),
                        align=WD_ALIGN_PARAGRAPH.RIGHT, line=Pt(20))
    _rule(header, size=18)
    _paragraph(document, "督办通知单", font=TITLE_FONT, size=SIZE_TITLE,
               align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(34))
    _paragraph(document, f"{task.responsible_unit.name}：", size=Pt(12), line=Pt(18))
    _paragraph(document, "现将下列事项交由你单位牵头办理，请按要求抓好落实。", size=Pt(12),
               indent=True, line=Pt(18), space_after=Pt(3))
    source = ""
    if task.meeting:
        source = f"{task.meeting.title}（{chinese_date(task.meeting.meeting_date)}）"
    size = Pt(10.5)
    rows = [("督办事项", task.title)]
    if source:
        rows.append(("事项来源", source))
    if task.source_excerpt:
        rows.append(("原文摘录", notice.excerpt))
    rows += [("牵头领导", task.lead_name or "—", "办理时限",
              f"{chinese_date(task.start_date)}至{chinese_date(task.due_date)}"),
             ("责任单位", task.responsible_unit.name, "共同负责",
              "、".join(u.name for u in task.co_responsible_units) or "—"),
             ("配合单位", "、".join(notice.cooperating) or "—"),
             ("目标任务", "；".join(notice.targets) or "—")]
    _form_table(document, rows, [22, 46, 22, 66], size)
    _paragraph(document, "月度计划（细化到月，每月最后一个工作日前报送进展）", font=HEADING_FONT,
               size=Pt(12), line=Pt(20))
    _form_table(document, notice.plan_rows, [34, 44, 34, 44], size)
    _paragraph(document, "督办要求", font=HEADING_FONT, size=Pt(12), line=Pt(20))
    for number, line in enumerate(notice.requirements, 1):
        _paragraph(document, f"{number}. {line}", size=size, line=Pt(14), indent=True)
    _paragraph(document, f"{notice.office}　　{chinese_date(notice.issued_on)}", size=Pt(12),
               align=WD_ALIGN_PARAGRAPH.RIGHT, line=Pt(22)).paragraph_format.right_indent = Pt(24)
    _receipt(document, notice)


def _receipt(document, notice: Notice) -> None:
    """The tear-off 签收回执, cut along the dashed line and sent back."""
    cut = _paragraph(document, f"（沿此线剪下，签收后加盖单位公章交回{notice.office}）", size=Pt(9),
                     align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(14))
    _rule(cut, color="000000", size=6, style="dashed")
    cut.paragraph_format.space_before = Pt(6)
    _paragraph(document, "签收回执", font=HEADING_FONT, size=Pt(14),
               align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(22))
    table = document.add_table(rows=3, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = [("督办编号", notice.task.code), ("督办事项", notice.task.title),
             ("签收单位", notice.task.responsible_unit.name), ("签收人", ""),
             ("联系电话", ""), ("签收日期", "　　年　　月　　日")]
    for index, (label, value) in enumerate(cells):
        row, column = divmod(index, 2)
        label_cell, value_cell = table.cell(row, column * 2), table.cell(row, column * 2 + 1)
        _cell_text(label_cell, label, HEADING_FONT, Pt(10.5))
        _cell_text(value_cell, value, BODY_FONT, Pt(10.5))
    _widths(table, [22, 56, 22, 56])


def notices_docx(notices: list[Notice]) -> bytes:
    """One 通知单 a page, in one file."""
    document = _document("督办通知单")
    for number, notice in enumerate(notices):
        if number:
            document.add_section(WD_SECTION.NEW_PAGE)
        _notice(document, notice)
    return _saved(document)


# ---- 督办情况通报 ----------------------------------------------------------------------------

def bulletin_docx(draft: BulletinDraft) -> bytes:
    document = _document(draft.title)
    _paragraph(document, "督办情况通报", font=TITLE_FONT, size=Pt(42), color=RED,
               align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(60))
    _paragraph(document, draft.number_label, size=SIZE_BODY,
               align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(32))
    masthead = _paragraph(document, line=Pt(32))
    masthead.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)  # right
    _fonts(masthead.add_run(f"{draft.office}\t{chinese_date(draft.issued_on)}"), BODY_FONT,
           SIZE_BODY)
    _rule(masthead, size=18)
    _paragraph(document, line=LINE)
    _paragraph(document, draft.title, font=TITLE_FONT, size=SIZE_TITLE,
               align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    _paragraph(document, line=LINE)
    _paragraph(document, "各责任单位：")
    _paragraph(document, f"现将{draft.month_label}督办事项落实情况通报如下。", indent=True)
    for heading, name in SECTIONS:
        _paragraph(document, heading, font=HEADING_FONT, indent=True)
        for line in draft.paragraphs(name):
            _paragraph(document, line, indent=True)
    _paragraph(document, line=LINE)
    _paragraph(document, f"附件：{draft.month_label}督办事项台账", indent=True)
    _paragraph(document, line=LINE)
    _paragraph(document, draft.office, align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format \
        .right_indent = Pt(64)
    _paragraph(document, chinese_date(draft.issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT) \
        .paragraph_format.right_indent = Pt(64)

    attachment = _paragraph(document, "附件", font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.LEFT)
    attachment.runs[0].add_break(WD_BREAK.LINE)
    attachment.paragraph_format.page_break_before = True
    _paragraph(document, f"{draft.month_label}督办事项台账", font=TITLE_FONT, size=SIZE_TITLE,
               align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36), space_after=Pt(8))
    if draft.ledger:
        _table(document, LEDGER_HEADER, draft.ledger, [8, 25, 38, 24, 16, 18, 16, 11])
    else:
        _paragraph(document, "本月没有到期的月度节点。", indent=True)

    _paragraph(document, line=LINE)
    copy = _paragraph(document, COPY_TO, size=SIZE_SMALL,
                      line=Pt(28))
    _rule(copy, color="000000", size=4)
    printed = _paragraph(document, size=SIZE_SMALL, line=Pt(28))
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)
    _fonts(printed.add_run(f"{draft.office}\t{chinese_date(draft.issued_on)}印发"), BODY_FONT,
           SIZE_SMALL)
    _rule(printed, color="000000", size=8)
    return _saved(document)

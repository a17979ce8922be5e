"""The Excel template: one workbook per official format, generated from ``rules/``.

The template is what a filer types into. Sheets, in order:

* 基本信息 — report format, year, agency, contact details and the status line that
  the 校验 button fills in;
* 正文 — one large input cell per section 一…六 (二、三、四 are tables; their text
  cells hold optional words shown before each table);
* 表二 / 表三 / 表四 — the statutory tables in the official merged layout
  (:meth:`addin.formats.Table.grid`, placed by :func:`addin.layout.grid_to_cell`);
* 校验结果 — where findings are listed (only a header row here);
* 填写说明 — instructions and the rule list, generated from the rule set.

Every input has a workbook-scoped defined name (``NB.<cell key>``, :data:`META_NAMES`)
so readers find cells by name, not by address. Totals (the cells of
:func:`addin.ruleset.computed_cells`) are live ``=SUM(...)`` formulas, locked and
tinted, so the template adds up with no Python at all. Sheets are protected without
a password: only input cells take typing; formatting stays allowed.

Output is deterministic (fixed document properties and zip timestamps), so the
committed copies in ``workbook_templates/`` can be compared with fresh output.
"""

from __future__ import annotations

import datetime
import io
import math
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.writer.excel import ExcelWriter

from .formats import FORMATS, Format, GridCell, Table, load_format
from .layout import FINDINGS_SHEET, GRID_TOP, GUIDE_SHEET, TOTAL_COLOR, defined_name, grid_to_cell, template_locations
from .readers.cells import META_NAMES, STATUS_NAME
from .ruleset import builtin_rules, computed_cells
from .writers.atomic import atomic_output

# ── sheet names and fixed texts (user interface, not statutory knowledge) ──────────
INFO_SHEET = "基本信息"
TEXT_SHEET = "正文"
# FINDINGS_SHEET, GUIDE_SHEET: in addin.layout (the Excel macros read them without openpyxl)
#: Header row of the 校验结果 sheet.
FINDINGS_HEADER = ("级别", "消息", "位置", "规则", "说明")

#: 基本信息 inputs: (report field, label, input prompt, number format). Text format ("@")
#: keeps 邮政编码 and 联系电话 leading zeros and the format key a text.
INFO_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("format", "报告格式", "", "@"),  # prompt from the format definitions: format_prompt()
    ("year", "报告年度", "填写报告所属年度，例如 2025（不是发布年份）。", "0"),
    ("agency", "机关名称", "填写机关全称，例如 某某市某某区某某局。", "General"),
    ("contact.address", "联系地址", "政府信息公开工作机构的通讯地址。", "General"),
    ("contact.postcode", "邮政编码", "6 位数字。", "@"),
    ("contact.phone", "联系电话", "含区号，例如 010-12345678。", "@"),
)
#: The closing block (落款) at the end of the report, below the status line (which stays
#: where the add-in and its users know it): optional.
CLOSING_INFO_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("signer", "署名", "报告末尾的发文机关署名；不填时用机关名称。", "General"),
    ("signing_date", "成文日期", "报告末尾的日期，例如 2026年1月20日；不填则留出位置待手写。", "@"),
)
STATUS_LABEL = "校验状态"

#: Unit of each value kind, for the note under a table's title.
KIND_UNITS = {"count": "件", "signed_count": "件", "wan_yuan": "万元", "money": "万元"}

#: Excel data validation per value kind: (type, operator, formula1, formula2, prompt, error).
_NA_HINT = "不适用的项目可填“/”（点“是”保留）；确实没有发生的填 0。"
KIND_VALIDATION = {
    "count": ("whole", "greaterThanOrEqual", "0", None,
              "填写数量：0 或正整数。空白表示尚未填写。", "此处应填写 0 或正整数。" + _NA_HINT),
    "signed_count": ("whole", "between", "-999999999", "999999999",
                     "填写整数，减少时填负数，例如 -2。", "此处应填写整数（可为负数）。" + _NA_HINT),
    "wan_yuan": ("decimal", "greaterThanOrEqual", "0", None,
                 "单位：万元，可有小数，例如 0.35。", "此处应填写以万元为单位的金额（0 或正数）。" + _NA_HINT),
    "money": ("decimal", "greaterThanOrEqual", "0", None,
              "单位：万元，可有小数，例如 36.5。", "此处应填写以万元为单位的金额（0 或正数）。" + _NA_HINT),
}

# ── styles ───────────────────────────────────────────────────────────────────────
FONT_NAME = "宋体"
FONT = Font(name=FONT_NAME, size=11)
BOLD = Font(name=FONT_NAME, size=11, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=10, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FILL = PatternFill("solid", fgColor=TOTAL_COLOR)
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LABEL = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

#: Fixed document properties: regenerating the template gives identical parts.
FIXED_TIME = datetime.datetime(2021, 9, 29, 0, 0, 0)
CREATOR = "年报助手 nianbao"
_ZIP_TIME = (2021, 9, 29, 0, 0, 0)

LINE_HEIGHT = 15.0  # points per wrapped line at 11 pt
MIN_ROW_HEIGHT = 20.0
#: 表三 prints on one landscape page at ≥ 8 pt (11 pt type at ≥ 80 %): lower rows, the
#: outer label columns (三、本年度办理结果, （三）不予公开 — tall merged cells) wrapped
#: narrow, and value columns whose headings wrap onto two lines.
MATRIX_ROW_HEIGHT = 17.0
MATRIX_LABEL_WIDTHS = (7.0, 11.0, 44.0)
MATRIX_VALUE_WIDTH = 10.0
FLAT_VALUE_WIDTH = 8.0
MIN_DATA_WIDTH = 10.0  # room for five-digit counts and two-decimal amounts


def text_width(text: str) -> int:
    """Width of ``text`` in Excel column units: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float, padding: float = 1.0) -> int:
    """Wrapped lines ``text`` takes in a cell ``width`` units wide (``padding`` lost to margins and indent)."""
    usable = max(width - padding, 1.0)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n"))


def quote_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _name_ref(sheet: str, row: int, col: int) -> str:
    return f"{quote_sheet(sheet)}!${get_column_letter(col)}${row}"


def _add_name(wb: Workbook, name: str, sheet: str, row: int, col: int) -> None:
    """A workbook-scoped defined name with an absolute reference."""
    wb.defined_names[name] = DefinedName(name, attr_text=_name_ref(sheet, row, col))


def _protect(ws) -> None:
    """Protect without a password: only unlocked cells take typing; formatting is allowed."""
    ws.protection = SheetProtection(sheet=True, formatCells=False, formatColumns=False, formatRows=False)


def _print_setup(ws, landscape: bool = False, title_rows: str | None = None, one_page: bool = False) -> None:
    """A4, as wide as the page; ``one_page``: the whole sheet on one page (a table signed off
    as one sheet of paper), with narrow margins so the type stays large."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if one_page:
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.45
        ws.page_margins.header = ws.page_margins.footer = 0.2
    if title_rows:
        ws.print_title_rows = title_rows


def _style_range(ws, top: int, left: int, bottom: int, right: int, **style) -> None:
    """Apply a style to every cell of a (merged) range, so borders show all round."""
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            cell = ws.cell(r, c)
            for attr, value in style.items():
                setattr(cell, attr, value)


def _merge(ws, top: int, left: int, bottom: int, right: int) -> None:
    if bottom > top or right > left:
        ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)


# ── 基本信息 ─────────────────────────────────────────────────────────────────────
def _info_sheet(wb: Workbook, fmt: Format) -> None:
    ws = wb.create_sheet(INFO_SHEET)
    ws.column_dimensions["A"].width = 14
    for col in "BCD":
        ws.column_dimensions[col].width = 22
    ws["A1"] = "政府信息公开工作年度报告 · 基本信息"
    ws["A1"].font = TITLE_FONT
    _merge(ws, 1, 1, 1, 4)
    ws.row_dimensions[1].height = 28
    ws["A2"] = f"本工作簿使用{fmt.name}。白色单元格供填写，带底色的单元格请勿改动。"
    ws["A2"].font = NOTE_FONT
    _merge(ws, 2, 1, 2, 4)
    row = 3
    for field, label, prompt, number_format in INFO_FIELDS:
        _info_row(wb, ws, row, label, META_NAMES[field])
        ws.cell(row, 2).number_format = number_format
        if field == "format":
            ws.cell(row, 2).value = fmt.key
        dv = _info_validation(field, label, prompt)
        ws.add_data_validation(dv)
        dv.add(ws.cell(row, 2).coordinate)
        row += 1
    row += 1
    _info_row(wb, ws, row, STATUS_LABEL, STATUS_NAME)
    ws.cell(row, 2).alignment = LEFT
    ws.cell(row + 1, 1).value = "点击“校验”后，这里显示错误和警告的数量及校验时间。"
    ws.cell(row + 1, 1).font = NOTE_FONT
    _merge(ws, row + 1, 1, row + 1, 4)
    row += 3
    ws.cell(row, 1).value = "报告末尾的落款（可不填）"
    ws.cell(row, 1).font = BOLD
    _merge(ws, row, 1, row, 4)
    for field, label, prompt, number_format in CLOSING_INFO_FIELDS:
        row += 1
        _info_row(wb, ws, row, label, META_NAMES[field])
        ws.cell(row, 2).number_format = number_format
        dv = _info_validation(field, label, prompt)
        ws.add_data_validation(dv)
        dv.add(ws.cell(row, 2).coordinate)
    _protect(ws)
    _print_setup(ws)


def _info_row(wb: Workbook, ws, row: int, label: str, name: str) -> None:
    ws.cell(row, 1).value = label
    _style_range(ws, row, 1, row, 1, font=BOLD, fill=LABEL_FILL, border=BORDER, alignment=CENTER)
    _style_range(ws, row, 2, row, 4, font=FONT, border=BORDER, alignment=LEFT, protection=UNLOCKED)
    _merge(ws, row, 2, row, 4)
    ws.row_dimensions[row].height = 24
    _add_name(wb, name, ws.title, row, 2)


def years_text(fmt: Format) -> str:
    """The report years a format is for: 2019—2020 年度, 2021 年度及以后."""
    return f"{fmt.first_year}—{fmt.last_year} 年度" if fmt.last_year else f"{fmt.first_year} 年度及以后"


def format_prompt() -> str:
    """Which years use which format, e.g. 2019—2020 年度用“2019”格式；2021 年度及以后用“2021”格式。"""
    return "；".join(f"{years_text(load_format(key))}用“{key}”格式" for key in FORMATS) + "。"


def _info_validation(field: str, label: str, prompt: str) -> DataValidation:
    common = {"allow_blank": True, "showInputMessage": True, "showErrorMessage": True,
              "promptTitle": label, "prompt": prompt, "errorTitle": label}
    if field == "format":
        common["prompt"] = format_prompt()
        return DataValidation(type="list", formula1='"' + ",".join(FORMATS) + '"', errorStyle="stop",
                              error=f"请从列表中选择 {' 或 '.join(FORMATS)}。", **common)
    if field == "year":
        first = min(load_format(f).first_year for f in FORMATS)
        return DataValidation(type="whole", operator="between", formula1=str(first), formula2="2100",
                              errorStyle="stop", error="请填写四位数的年度，例如 2025。", **common)
    if field == "contact.postcode":
        return DataValidation(type="textLength", operator="equal", formula1="6", errorStyle="warning",
                              error="邮政编码一般为 6 位数字。", **common)
    return DataValidation(type="textLength", operator="lessThanOrEqual", formula1="200", errorStyle="warning",
                          error="内容过长，请精简。", **common)


# ── 正文 ─────────────────────────────────────────────────────────────────────────
TEXT_COLUMNS = 8
TEXT_COLUMN_WIDTH = 12
#: Characters each box shows and prints whole: a real 总体情况 runs to about 2,000; the
#: words before a table are short.
PROSE_CHARS = 2000
TABLE_TEXT_CHARS = 400
#: Full-width characters per line of a box (Excel's narrowest rendering of 8 × 12 units at 11 pt).
BOX_LINE_CHARS = 42
#: Lines lost to paragraph ends (a paragraph's last line is not full): one per this many lines.
PARAGRAPH_EVERY = 5
MAX_ROW_HEIGHT = 409.0  # Excel's limit for one row


def box_rows(chars: int) -> list[float]:
    """Row heights (points) of a box that shows ``chars`` characters whole: as many rows
    as Excel's row limit needs, merged into one input cell."""
    lines = math.ceil(chars / BOX_LINE_CHARS)
    total = (lines + math.ceil(lines / PARAGRAPH_EVERY)) * LINE_HEIGHT + 8
    n = math.ceil(total / MAX_ROW_HEIGHT)
    return [round(total / n, 1)] * n


def _text_sheet(wb: Workbook, fmt: Format) -> None:
    """One page per prose section (一, 五, 六) and one for the three words-before-a-table
    boxes: each heading prints on the page of its box (a page break before it), and each
    box is tall enough to show and print all its text (:func:`box_rows`)."""
    ws = wb.create_sheet(TEXT_SHEET)
    for c in range(1, TEXT_COLUMNS + 1):
        ws.column_dimensions[get_column_letter(c)].width = TEXT_COLUMN_WIDTH
    ws["A1"] = "正文"
    ws["A1"].font = TITLE_FONT
    _merge(ws, 1, 1, 1, TEXT_COLUMNS)
    ws["A2"] = ("每一部分写在其标题下方的大单元格中；单元格内换行按 Alt+Enter。二、三、四部分是表格，"
                "下方单元格可填写表格前的说明文字，也可不填。")
    ws["A2"].font = NOTE_FONT
    ws["A2"].alignment = LEFT
    _merge(ws, 2, 1, 2, TEXT_COLUMNS)
    ws.row_dimensions[2].height = 32
    row = 4
    previous = None
    for section in fmt.sections:
        if row > 4 and (section.kind == "prose" or previous == "prose"):
            ws.row_breaks.append(Break(id=row - 1))  # the heading starts a page with its box
        previous = section.kind
        chars = PROSE_CHARS if section.kind == "prose" else TABLE_TEXT_CHARS
        heading = section.heading
        if section.kind == "table":
            heading += f"（表格见“{fmt.table(section.table).sheet}”工作表；此处可填写表格前的说明文字）"
        else:
            heading += f"（可写约 {chars:,} 字）"
        ws.cell(row, 1).value = heading
        ws.cell(row, 1).font = BOLD
        ws.cell(row, 1).alignment = Alignment(vertical="bottom")
        _merge(ws, row, 1, row, TEXT_COLUMNS)
        ws.row_dimensions[row].height = 22
        heights = box_rows(chars)
        row += 1
        bottom = row + len(heights) - 1
        _style_range(ws, row, 1, bottom, TEXT_COLUMNS, font=FONT, border=BORDER, alignment=TOP_LEFT,
                     protection=UNLOCKED)
        _merge(ws, row, 1, bottom, TEXT_COLUMNS)
        for i, h in enumerate(heights):
            ws.row_dimensions[row + i].height = h
        _add_name(wb, META_NAMES[section.key], ws.title, row, 1)
        row = bottom + 2
    _protect(ws)
    _print_setup(ws)
    ws.page_margins.top = ws.page_margins.bottom = 0.5


# ── 表二 / 表三 / 表四 ───────────────────────────────────────────────────────────
def table_note(table: Table) -> str:
    """The unit line under a table's title, from the kinds of its columns."""
    units: dict[str, list[str]] = {}
    for column in table.columns:
        units.setdefault(KIND_UNITS[column.kind], []).append(column.short)
    if len(units) == 1:
        return f"单位：{next(iter(units))}"
    first, *rest = units
    parts = [f"单位：{first}"] + [f"{'、'.join(cols)}单位：{unit}" for unit, cols in units.items() if unit in rest]
    return "；".join(parts)


def _column_widths(table: Table) -> list[float]:
    """Widths that fit the labels: the widest single-column text, within limits."""
    grid = table.grid()
    widths = [MIN_DATA_WIDTH] * grid.cols
    label_cols = table.label_columns if table.layout != "flat" else 0
    for cell in grid.cells:
        if cell.colspan != 1 or not cell.text:
            continue
        cap = 40.0 if cell.col < label_cols else 16.0
        widths[cell.col] = max(widths[cell.col], min(cap, text_width(cell.text) + 2.0))
    if table.layout == "flat":  # 表四's fifteen columns: headings on two lines, type ≥ 8 pt on landscape A4
        widths = [FLAT_VALUE_WIDTH] * grid.cols
    if table.layout == "matrix":
        widths = [MATRIX_LABEL_WIDTHS[c] if c < len(MATRIX_LABEL_WIDTHS) else MATRIX_VALUE_WIDTH for c in range(grid.cols)]
    if table.layout == "blocks":  # value columns share the block headers: make them even
        value = max(widths[1:])
        widths[1:] = [value] * (grid.cols - 1)
    return widths


def _row_heights(table: Table, widths: list[float]) -> dict[int, float]:
    """Heights (points) of grid rows, so that wrapped labels in single-row cells show whole."""
    grid = table.grid()
    least = MATRIX_ROW_HEIGHT if table.layout == "matrix" else MIN_ROW_HEIGHT
    heights = {r: least for r in range(grid.rows)}
    for cell in grid.cells:
        if cell.rowspan != 1 or not cell.text:
            continue
        width = sum(widths[cell.col:cell.col + cell.colspan])
        padding = 3.0 if cell.role == "label" else 1.0
        heights[cell.row] = max(heights[cell.row], _lines(cell.text, width, padding) * LINE_HEIGHT + least - LINE_HEIGHT + 1)
    for cell in grid.cells:  # a tall merged cell (the 表三 corner) spreads over its rows
        if cell.rowspan > 1 and cell.text:
            width = sum(widths[cell.col:cell.col + cell.colspan])
            need = _lines(cell.text, width) * LINE_HEIGHT + 6
            have = sum(heights[r] for r in range(cell.row, cell.row + cell.rowspan))
            if need > have:
                for r in range(cell.row, cell.row + cell.rowspan):
                    heights[r] += (need - have) / cell.rowspan
    return heights


def _ranges(coords: list[tuple[int, int]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Group (row, col) cells into runs along one row or one column, for SUM(A1:A9)."""
    coords = sorted(set(coords))
    if len({r for r, _ in coords}) == 1:
        along = 1
    elif len({c for _, c in coords}) == 1:
        along = 0
    else:
        return [(rc, rc) for rc in coords]
    runs: list[list[tuple[int, int]]] = []
    for rc in coords:
        if runs and rc[along] == runs[-1][-1][along] + 1:
            runs[-1].append(rc)
        else:
            runs.append([rc])
    return [(run[0], run[-1]) for run in runs]


def _a1(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def sum_formula(total_sheet: str, parts: list[tuple[str, int, int]]) -> str:
    """``=SUM(C7:C28)`` over the parts (sheet, row, col), using ranges where contiguous."""
    by_sheet: dict[str, list[tuple[int, int]]] = {}
    for sheet, r, c in parts:
        by_sheet.setdefault(sheet, []).append((r, c))
    refs = []
    for sheet, coords in by_sheet.items():
        prefix = "" if sheet == total_sheet else quote_sheet(sheet) + "!"
        for start, end in _ranges(coords):
            ref = _a1(*start) if start == end else f"{_a1(*start)}:{_a1(*end)}"
            refs.append(prefix + ref)
    return f"=SUM({','.join(refs)})"


def _split_location(location: str) -> tuple[str, int, int]:
    from openpyxl.utils.cell import coordinate_to_tuple

    sheet, coord = location.rsplit("!", 1)
    r, c = coordinate_to_tuple(coord)
    return sheet, r, c


def _table_sheet(wb: Workbook, fmt: Format, table: Table) -> None:
    ws = wb.create_sheet(table.sheet)
    grid = table.grid()
    widths = _column_widths(table)
    for i, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(grid_to_cell(0, i)[1])].width = round(w, 1)
    first_col = grid_to_cell(0, 0)[1]
    last_col = grid_to_cell(0, grid.cols - 1)[1]
    ws.cell(1, first_col).value = table.heading
    ws.cell(1, first_col).font = TITLE_FONT
    ws.cell(1, first_col).alignment = Alignment(horizontal="center", vertical="center")
    _merge(ws, 1, first_col, 1, last_col)
    ws.row_dimensions[1].height = 30
    ws.cell(2, first_col).value = table_note(table)
    ws.cell(2, first_col).font = NOTE_FONT
    ws.cell(2, first_col).alignment = Alignment(horizontal="right", vertical="center")
    _merge(ws, 2, first_col, 2, last_col)
    for r, h in _row_heights(table, widths).items():
        ws.row_dimensions[grid_to_cell(r, 0)[0]].height = round(h, 1)

    computed = computed_cells(fmt.key)
    locations = template_locations(fmt)
    inputs: dict[str, list[str]] = {}
    for cell in grid.cells:
        _place(wb, ws, fmt, cell, computed, locations, inputs)
    for kind, coords in inputs.items():
        ws.add_data_validation(_kind_validation(kind, coords))

    top = grid_to_cell(grid.header_rows, 0)[0]
    if grid.header_rows:
        ws.freeze_panes = _a1(top, first_col + (table.label_columns if table.layout == "matrix" else 0))
        # 表三 (matrix) and 表四 (flat) are wide: landscape; 表三 on one page, for sign-off
        _print_setup(ws, landscape=table.layout in ("flat", "matrix"), title_rows=f"1:{top - 1}",
                     one_page=table.layout == "matrix")
    else:
        ws.freeze_panes = _a1(GRID_TOP, first_col)
        _print_setup(ws, landscape=table.layout == "flat", title_rows=f"1:{GRID_TOP - 1}")
    _protect(ws)


def _place(wb: Workbook, ws, fmt: Format, cell: GridCell, computed: dict, locations: dict, inputs: dict) -> None:
    """Write one grid cell: a heading, an input (unlocked, validated) or a total (formula)."""
    top, left = grid_to_cell(cell.row, cell.col)
    bottom, right = top + cell.rowspan - 1, left + cell.colspan - 1
    if cell.role != "data":
        fill = LABEL_FILL if cell.role == "label" else HEADER_FILL
        font = BOLD if cell.role in ("header", "caption") else FONT
        align = LABEL if cell.role == "label" and cell.rowspan == 1 else CENTER
        ws.cell(top, left).value = cell.text
        _style_range(ws, top, left, bottom, right, font=font, fill=fill, border=BORDER, alignment=align)
        _merge(ws, top, left, bottom, right)
        return
    key = cell.key
    spec = fmt.cells[key]
    if key in computed:
        parts = [_split_location(locations[p]) for p in computed[key]]
        ws.cell(top, left).value = sum_formula(ws.title, parts)
        _style_range(ws, top, left, bottom, right, font=BOLD, fill=TOTAL_FILL, border=BORDER,
                     alignment=CENTER, protection=LOCKED)
    else:
        _style_range(ws, top, left, bottom, right, font=FONT, border=BORDER, alignment=CENTER,
                     protection=UNLOCKED)
        inputs.setdefault(spec.kind, []).append(_a1(top, left))
    if spec.kind in ("wan_yuan", "money"):
        ws.cell(top, left).number_format = "0.00##"
    _merge(ws, top, left, bottom, right)
    _add_name(wb, defined_name(key), ws.title, top, left)


def _kind_validation(kind: str, coords: list[str]) -> DataValidation:
    type_, operator, f1, f2, prompt, error = KIND_VALIDATION[kind]
    dv = DataValidation(type=type_, operator=operator, formula1=f1, formula2=f2, allow_blank=True,
                        showInputMessage=True, showErrorMessage=True, errorStyle="warning",
                        promptTitle="填写提示", prompt=prompt, errorTitle="请检查输入", error=error)
    for coord in coords:
        dv.add(coord)
    return dv


# ── 校验结果 and 填写说明 ─────────────────────────────────────────────────────────
def _findings_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(FINDINGS_SHEET)
    for i, (text, width) in enumerate(zip(FINDINGS_HEADER, (8, 80, 14, 8, 40)), start=1):
        cell = ws.cell(1, i)
        cell.value = text
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    _print_setup(ws, landscape=True, title_rows="1:1")


SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


#: Where filers without the Excel add-in (WPS, Excel for Mac/web) check the workbook: the
#: web page that ``nianbao serve`` serves at ``/``.
WEB_PAGE = "“年报助手”网页"


def guide_lines(fmt: Format) -> list[str]:
    """The paragraphs of 填写说明 (before the rule list), from the format definition —
    written for the clerk who fills the workbook in: no file paths, no internal names."""
    years = years_text(fmt)
    sheets = "、".join(t.sheet for t in fmt.tables)
    return [
        f"本工作簿采用{fmt.name}，依据：{fmt.source}；适用于{years}的报告。",
        f"一、填写顺序：先填“{INFO_SHEET}”，再在“{TEXT_SHEET}”中写各部分文字，最后填{sheets}。",
        "二、白色单元格供填写。浅黄色单元格是合计，由公式自动计算，请不要改写；工作表已保护（无密码），只能在白色单元格中输入。",
        ("三、空白、0 和“/”含义不同：空白表示尚未填写；0 表示本年度确实没有；“/”表示本项不适用。"
         "校验时空白和“/”在加总中按 0 计，并在消息中注明，同时给出警告，请补填或在正文中说明。"),
        "四、数字请直接填写阿拉伯数字，不要带单位、空格或全角字符；金额以万元为单位，可有小数。",
        (f"五、正文：每部分写在标题下方的方框内，单元格内换行按 Alt+Enter（WPS 同）。总体情况等各框可写约 {PROSE_CHARS:,} 字，"
         "打印时每部分与其标题在同一页；表格前的说明文字可不填。"),
        (f"六、落款：“{INFO_SHEET}”中的“署名”和“成文日期”印在报告末尾；不填署名时用机关名称，"
         "不填成文日期时留出日期位置，待签发时手写。"),
        (f"七、校验：用 Excel 并已安装“年报助手”加载项的，点击功能区“年报助手”→“校验”，结果列在“{FINDINGS_SHEET}”工作表，"
         f"并在“{INFO_SHEET}”显示校验状态。用 WPS 或未安装加载项的，请在浏览器中打开本单位的{WEB_PAGE}"
         "（地址向负责信息化的同事索取），选择本工作簿上传，即可看到校验结果并下载 Word、网页格式的报告。"),
        "八、打印：表三、表四按横向 A4 打印，表三在一页之内，便于核对签批。",
        ("九、请不要删除行、列或工作表，也不要删除“公式 → 名称管理器”中的名称：校验和导出靠这些名称找到各个单元格。"
         "插入行、重命名工作表不受影响。"),
        "十、校验规则如下：",
    ]


#: The rule file of the findings this module's reader makes; other readers' findings
#: (report JSON, imported published reports) never concern a workbook.
WORKBOOK_RULESET = "workbook.json"


def workbook_rules(fmt_key: str) -> list:
    """The rules that can fire on a filled workbook of ``fmt_key``, as listed in 填写说明."""
    return [r for r in builtin_rules().for_format(fmt_key) if r.check != "reader" or r.origin == WORKBOOK_RULESET]


def _guide_sheet(wb: Workbook, fmt: Format) -> None:
    ws = wb.create_sheet(GUIDE_SHEET)
    widths = (10, 40, 8, 60)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws["A1"] = "填写说明"
    ws["A1"].font = TITLE_FONT
    _merge(ws, 1, 1, 1, 4)
    row = 3
    for text in guide_lines(fmt):
        ws.cell(row, 1).value = text
        ws.cell(row, 1).font = FONT
        ws.cell(row, 1).alignment = LEFT
        _merge(ws, row, 1, row, 4)
        ws.row_dimensions[row].height = _lines(text, sum(widths)) * LINE_HEIGHT + 6
        row += 1
    row += 1
    for i, text in enumerate(("编号", "规则", "级别", "提示"), start=1):
        ws.cell(row, i).value = text
    _style_range(ws, row, 1, row, 4, font=BOLD, fill=HEADER_FILL, border=BORDER, alignment=CENTER)
    for rule in workbook_rules(fmt.key):
        row += 1
        values = (rule.id, rule.title, SEVERITY_NAMES[rule.severity], rule.hint)
        for i, value in enumerate(values, start=1):
            ws.cell(row, i).value = value
        _style_range(ws, row, 1, row, 4, font=FONT, border=BORDER, alignment=LEFT)
        lines = max(_lines(str(v), w) for v, w in zip(values, widths))
        ws.row_dimensions[row].height = max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + 6)
    _protect(ws)
    _print_setup(ws, title_rows="1:1")


# ── the workbook ──────────────────────────────────────────────────────────────────
def build_template(fmt_key: str) -> Workbook:
    """The blank template of format ``"2019"`` or ``"2021"`` as an openpyxl workbook."""
    fmt = load_format(fmt_key)
    wb = Workbook()
    wb.remove(wb.active)
    _info_sheet(wb, fmt)
    _text_sheet(wb, fmt)
    for table in fmt.tables:
        _table_sheet(wb, fmt, table)
    _findings_sheet(wb)
    _guide_sheet(wb, fmt)
    wb.active = 0
    props = wb.properties
    props.creator = CREATOR
    props.lastModifiedBy = CREATOR
    props.title = f"政府信息公开工作年度报告（{fmt.name}）"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise ``wb`` as .xlsx bytes without touching its properties, with fixed zip
    timestamps, so equal workbooks give equal bytes."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def save_workbook(wb: Workbook, path: str | Path, force: bool = False) -> Path:
    """Write ``wb`` to ``path`` atomically (refusing to overwrite unless ``force``)."""
    data = workbook_bytes(wb)
    with atomic_output(path, force) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_template(fmt_key: str, path: str | Path, force: bool = False) -> Path:
    """Generate the blank template of ``fmt_key`` into ``path``."""
    return save_workbook(build_template(fmt_key), path, force)


def template_parts(data: bytes) -> dict[str, bytes]:
    """The unzipped parts of an .xlsx: what two templates are compared by."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in sorted(z.namelist())}


def committed_template(fmt_key: str) -> Path:
    """Where the generated template of ``fmt_key`` is committed."""
    from .resources import templates_dir

    return templates_dir() / f"nianbao-{fmt_key}.xlsx"

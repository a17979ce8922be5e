"""Where each table sits in the Excel template.

The template puts every table on its own sheet (表二, 表三, 表四) with a title row and
a blank row above the table's official grid, which starts in column A. Workbook
readers do not rely on this — they find cells by defined name, so a filer may insert
rows — but it gives the default ``sheet!cell`` location of every key, for sources that
are not workbooks and for the template generator itself.
"""

from __future__ import annotations

from functools import cache

from .formats import Format, Table


def get_column_letter(n: int) -> str:
    """Column number (1-based) → letters, as openpyxl's (1 → A, 16384 → XFD); here so that
    a click in Excel does not import openpyxl just for this."""
    letters = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters

#: Sheets the template adds besides the tables, which the Excel macros also find by name.
FINDINGS_SHEET = "校验结果"
GUIDE_SHEET = "填写说明"
#: Fill of the template's computed total cells (RGB hex).
TOTAL_COLOR = "FFF2CC"

#: First row of a table's grid on its sheet (1-based): row 1 title, row 2 unit note.
GRID_TOP = 3
#: First column of the grid (1-based, column A).
GRID_LEFT = 1


def grid_to_cell(grid_row: int, grid_col: int) -> tuple[int, int]:
    """Grid coordinates (0-based) to sheet coordinates (1-based row, column)."""
    return GRID_TOP + grid_row, GRID_LEFT + grid_col


@cache
def _locations(table: Table) -> dict[str, str]:
    out = {}
    for cell in table.grid().data_cells():
        r, c = grid_to_cell(cell.row, cell.col)
        out[cell.key] = f"{table.sheet}!{get_column_letter(c)}{r}"
    return out


def template_locations(fmt: Format) -> dict[str, str]:
    """``{cell key: "表三!D6"}`` for every data cell of the format, as in the template."""
    out: dict[str, str] = {}
    for t in fmt.tables:
        out.update(_locations(t))
    return out


def defined_name(key: str) -> str:
    """The workbook defined name of a cell key.

    Excel rejects names that start like a cell reference (``T3`` is column T row 3),
    so keys get a fixed prefix: ``t3.new.natural`` → ``NB.t3.new.natural``.
    """
    return f"NB.{key}"


def key_of_name(name: str) -> str | None:
    """The cell key a defined name stands for, or ``None`` if it is not one of ours."""
    return name[3:] if name.startswith("NB.") else None

"""The logic of the Excel custom functions (``=NIANBAO.CHECK``, ``=NIANBAO.SECTION``).

A custom function receives cell values only. The tables arrive as grids anchored at
A1 of their sheets, one per table of the format in order, and each cell key is looked
up at its template address (:func:`addin.layout.template_locations`), then read through
the same :func:`~addin.readers.cells.report_from_named_cells` as the macros.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

from ..errors import InputError
from ..findings import SEVERITY_LABELS
from ..formats import FORMATS, load_format
from ..layout import defined_name, template_locations
from ..readers.cells import META_NAMES, report_from_named_cells
from ..validate import validate

#: Shown in the cell when a table has no problem.
CLEAN = "未发现问题"


def _grid(v: Any) -> list[list[Any]]:
    if not isinstance(v, list):
        return [[v]]
    return [row if isinstance(row, list) else [row] for row in v]


def report_from_grids(grids: list, fmt: str = "2021"):
    """A report from the table grids (A1-anchored, in the format's table order)."""
    fmt = str(fmt or "2021").strip()
    if fmt not in FORMATS:
        raise InputError(f"格式应为 2019 或 2021，而不是“{fmt}”")
    spec = load_format(fmt)
    sheets = {t.sheet: _grid(g) for t, g in zip(spec.tables, grids)}
    values: dict[str, Any] = {META_NAMES["format"]: fmt}
    locations: dict[str, str] = {}
    for key, loc in template_locations(spec).items():
        sheet, address = loc.split("!")
        grid = sheets.get(sheet)
        col_letter, row = coordinate_from_string(address)
        col = column_index_from_string(col_letter)
        v = None
        if grid is not None and row <= len(grid) and col <= len(grid[row - 1]):
            v = grid[row - 1][col - 1]
        values[defined_name(key)] = None if v == "" else v
        locations[defined_name(key)] = loc
    return report_from_named_cells(values, locations, source="NIANBAO")


def check_tables(grids: list, fmt: str = "2021") -> list[list[str]]:
    """Findings about the tables as rows: 级别, 消息, 位置, 规则 (errors first)."""
    try:
        report = report_from_grids(grids, fmt)
    except InputError as e:
        return [["错误", str(e), "", ""]]
    table_keys = set(report.spec.keys)
    rows = []
    for f in validate(report):
        if not f.cells or not all(c in table_keys for c in f.cells):
            continue  # about the sections or the year: not visible in the tables
        rows.append([SEVERITY_LABELS[f.severity], f.message, "、".join(f.locations[:3]), f.rule])
    return rows or [[CLEAN, "", "", ""]]


def section_text(key: str, grids: list, fmt: str = "2021") -> str:
    """The generated text of one section (``s1``–``s4``), as in the exported report."""
    from ..document.narrative import generated_sentences

    try:
        report = report_from_grids(grids, fmt)
    except InputError as e:
        return str(e)
    return "".join(generated_sentences(report, key.strip().lower()))

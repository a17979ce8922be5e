"""Writing a :class:`~addin.model.Report` into a copy of the Excel template.

Numbers go in as numbers; “/” and any text go in exactly as typed (a formula-looking
text stays text); empty stays empty. Totals keep their live formulas — the template
must add up by itself — so a report whose total disagrees with its parts gets a note
back instead of a silently different number.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.cell import coordinate_to_tuple

from ..formats import FORMATS
from ..layout import template_locations
from ..model import CLOSING_FIELDS, CONTACT_FIELDS, SECTION_KEYS, Report
from ..readers.cells import META_NAMES
from ..readers.workbook import parse_reference
from ..ruleset import computed_cells
from ..template import build_template, save_workbook
from ..values import EMPTY, NUMBER, format_number


def _set_text(cell, text: str) -> None:
    """Put ``text`` in a cell as text, even if it starts with “=” (never a formula)."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"


def _set_raw(cell, raw: Any) -> None:
    if isinstance(raw, bool):
        _set_text(cell, str(raw))
    elif isinstance(raw, (int, float, Decimal)):
        cell.value = raw
    else:
        _set_text(cell, raw if isinstance(raw, str) else str(raw))


def _cell_at(wb, location: str):
    sheet, coord = location.rsplit("!", 1)
    return wb[sheet].cell(*coordinate_to_tuple(coord))


def _meta_cell(wb, field: str):
    """The template's cell for a 基本信息 or 正文 field, found by its defined name."""
    sheet, coord = parse_reference(wb.defined_names[META_NAMES[field]].attr_text)
    return wb[sheet][coord]


def _excel_sum(report: Report, parts: list[str], computed: dict[str, list[str]]) -> int | Decimal:
    """What the template's =SUM(...) shows for these parts: text, “/” and blanks count nothing."""
    total: int | Decimal = 0
    for key in parts:
        if key in computed:
            total += _excel_sum(report, computed[key], computed)
            continue
        cell = report.cell(key)
        if cell.state == NUMBER and not isinstance(cell.raw, str):
            total += cell.value
    return total


def total_notes(report: Report, typed_over: Iterable[str] = ()) -> list[str]:
    """Chinese notes for totals the report states differently from what the formula will show."""
    computed = computed_cells(report.spec.key)
    notes = []
    for key, parts in computed.items():
        cell = report.cell(key)
        if key in typed_over or cell.state == EMPTY:
            continue
        shown = _excel_sum(report, parts, computed)
        where = f"{report.spec.cells[key].describe()}（{template_locations(report.spec)[key]}）"
        if cell.state != NUMBER:
            notes.append(f"{where}原为“{cell.raw}”，工作簿中保留合计公式，显示为 {format_number(shown)}")
        elif cell.value != shown:
            notes.append(f"{where}原填 {format_number(cell.value)}，与各分项之和 {format_number(shown)} 不符；"
                         "工作簿中保留合计公式，显示为分项之和")
    return notes


def fill_workbook(report: Report, typed_over: Iterable[str] = ()):
    """A template workbook of the report's format, filled in; returns ``(workbook, notes)``."""
    fmt = report.spec
    typed_over = set(typed_over)
    wb = build_template(fmt.key)
    _set_text(_meta_cell(wb, "format"), fmt.key)
    if report.year is not None:
        _meta_cell(wb, "year").value = report.year
    if report.agency:
        _set_text(_meta_cell(wb, "agency"), report.agency)
    for k in CONTACT_FIELDS:
        if report.contact.get(k):
            _set_text(_meta_cell(wb, f"contact.{k}"), str(report.contact[k]))
    for k in CLOSING_FIELDS:
        if getattr(report, k):
            _set_text(_meta_cell(wb, k), getattr(report, k))
    for k in SECTION_KEYS:
        if report.sections.get(k):
            _set_text(_meta_cell(wb, k), report.sections[k])

    computed = computed_cells(fmt.key)
    locations = template_locations(fmt)
    for key in fmt.keys:
        cell = report.cells.get(key)
        if cell is None or cell.state == EMPTY:
            continue
        if key in computed and key not in typed_over:
            continue
        _set_raw(_cell_at(wb, locations[key]), cell.raw)

    notes = total_notes(report, typed_over)
    other = sorted(set(report.extra) - set(fmt.keys))
    if other:
        shown = "、".join(other[:5]) + ("等" if len(other) > 5 else "")
        notes.append(f"{len(other)} 个单元格不属于{fmt.name}，未写入：{shown}")
    if report.format not in FORMATS:
        notes.append(f"报告未注明格式，已按{fmt.name}写入")
    return wb, notes


def write_workbook(report: Report, path: str | Path, *, force: bool = False,
                   typed_over: Iterable[str] = ()) -> list[str]:
    """Write ``report`` into a copy of its format's template at ``path`` (atomically).

    Refuses to overwrite an existing file unless ``force``. Totals keep their formulas;
    the returned Chinese notes say where the report's own totals disagree with their
    parts (or what else could not be written). ``typed_over`` names totals to write
    as the report's plain value instead of the formula — what a filer leaves who typed
    over the formula (the demo uses it to show that mistake).
    """
    wb, notes = fill_workbook(report, typed_over)
    wb.properties.modified = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
    save_workbook(wb, path, force)
    return notes

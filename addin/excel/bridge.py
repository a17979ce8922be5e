"""openpyxl ↔ xlwings book JSON: run the Excel macros without Excel.

Excel (through the xlwings Office.js client, the VBA ``RunRemotePython`` client or
Office Scripts) sends the workbook to Python as a *book JSON* — every sheet's cell
values from A1 to the last used cell, the defined names, a little metadata — and
gets back a list of *actions* (``setValues``, ``setRangeColor``, …) that the client
replays in order. :func:`book_json` builds exactly that payload from an openpyxl
workbook, and :func:`apply_actions` replays the actions onto an openpyxl workbook,
so the same macro runs in file mode (``nianbao mark``, WPS and Linux desktops) and in
the tests, through xlwings' own remote engine.

Load the workbook with ``data_only=True`` (after a recalculation, see
:func:`addin.libreoffice.recalculate`) for :func:`book_json`, as Excel sends computed
values; apply the actions to the workbook loaded *with* formulas, so they survive.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.hyperlink import Hyperlink

#: What Excel shows for a cell whose formula fails; the clients send them as strings.
_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA"}
#: Strings the remote engine writes for datetimes; Excel parses them back into dates.
_WRITTEN_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")
_VISIBILITY = {"visible": "Visible", "hidden": "Hidden", "veryHidden": "VeryHidden"}
#: Size guard: a sheet larger than this many cells is sent as its first rows only.
MAX_CELLS_PER_SHEET = 2_000_000


def _value_out(v: Any) -> Any:
    """A cell value as the Office.js client sends it."""
    if v is None:
        return ""
    if isinstance(v, bool) or isinstance(v, (int, float)):
        return v
    if isinstance(v, dt.datetime):
        return v.isoformat(timespec="milliseconds") + "Z"  # Date.toISOString()
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day).isoformat(timespec="milliseconds") + "Z"
    if isinstance(v, dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return v.total_seconds() / 86400
    return str(v)


def _names(wb) -> list[dict]:
    """Defined names as the client reads them: range names with sheet and address, the
    rest (broken ``#REF!`` names, constants) with ``sheet_index``/``address`` null."""
    out = []

    def entry(dn: DefinedName, scope_ws=None, scope_ix=None) -> dict:
        sheet_index, address = None, None
        try:
            dests = list(dn.destinations)
        except Exception:  # malformed or non-range definition
            dests = []
        if len(dests) == 1 and dests[0][0] in wb.sheetnames and "#REF" not in (dn.attr_text or ""):
            title, addr = dests[0]
            sheet_index, address = wb.sheetnames.index(title), addr.replace("$", "")
        return {
            "name": dn.name,
            "refers_to": "=" + (dn.attr_text or ""),
            "type": "Range" if address else "Error" if "#REF" in (dn.attr_text or "") else "String",
            "sheet_index": sheet_index,
            "address": address,
            "scope_sheet_name": scope_ws.title if scope_ws is not None else None,
            "scope_sheet_index": scope_ix,
            "book_scope": scope_ws is None,
        }

    for dn in wb.defined_names.values():
        out.append(entry(dn))
    for ix, ws in enumerate(wb.worksheets):
        for dn in ws.defined_names.values():
            out.append(entry(dn, ws, ix))
    return out


def _sheet(ws) -> dict:
    nrows, ncols = ws.max_row, ws.max_column
    if ws.max_row == 1 and ws.max_column == 1 and ws.cell(1, 1).value is None:
        nrows = ncols = 0
    if nrows * ncols > MAX_CELLS_PER_SHEET:
        nrows = max(1, MAX_CELLS_PER_SHEET // max(ncols, 1))
    values = [[_value_out(c.value) for c in row]
              for row in ws.iter_rows(min_row=1, min_col=1, max_row=nrows, max_col=ncols)] if nrows else [[]]
    used = f"A1:{get_column_letter(ncols)}{nrows}" if nrows else None
    return {
        "name": ws.title,
        "values": values,
        "pictures": [],
        "tables": [],
        "visibility": _VISIBILITY.get(ws.sheet_state, "Visible"),
        "show_gridlines": ws.sheet_view.showGridLines is not False,
        "print_area": None,
        "notes": [],
        "notes_supported": False,
        "used_range_address": used,
        "used_range_row_count": nrows,
        "used_range_column_count": ncols,
        "shapes": [],
        "charts": [],
        "pivot_tables": [],
    }


def book_json(wb, name: str = "book.xlsx", client: str = "Office.js", version: str | None = None,
              active: int = 0, selection: str = "A1") -> dict:
    """The book JSON Excel's xlwings client sends for ``wb`` (an openpyxl workbook)."""
    import xlwings as xw

    return {
        "client": client,
        "version": version or xw.__version__,
        "book": {"name": name, "active_sheet_index": active, "selection": selection,
                 "calculation": "Automatic"},
        "names": _names(wb),
        "sheets": [_sheet(ws) for ws in wb.worksheets],
    }


# ---------------------------------------------------------------------------
# Actions back into openpyxl


def _value_in(v: Any) -> Any:
    if v == "" or v is None:
        return None
    if isinstance(v, str) and _WRITTEN_DATE.match(v):
        return dt.datetime.fromisoformat(v)
    return v


def _cells(ws, a: dict):
    for r in range(a["row_count"]):
        for c in range(a["column_count"]):
            yield r, c, ws.cell(a["start_row"] + r + 1, a["start_column"] + c + 1)


def _hex(color: str | None) -> str | None:
    return None if color is None else color.lstrip("#").upper()


def _set_font(cell, prop: str, value: Any) -> None:
    f = cell.font
    kw = {"name": f.name, "sz": f.sz, "b": f.b, "i": f.i, "u": f.u, "color": f.color, "strike": f.strike}
    key = {"bold": "b", "italic": "i", "size": "sz", "name": "name", "color": "color"}.get(prop)
    if key is None:
        raise NotImplementedError(f"apply_actions: font property {prop!r}")
    kw[key] = _hex(value) if key == "color" else value
    cell.font = Font(**kw)


def _clear_formats(cell) -> None:
    cell.fill = PatternFill(fill_type=None)
    cell.font = Font()
    cell.number_format = "General"


def apply_actions(wb, payload: dict, alerts: list | None = None) -> list:
    """Replay ``payload["actions"]`` onto ``wb`` as the Excel client would; return the alerts.

    Raises :class:`NotImplementedError` for an action this bridge does not model, so a
    macro that starts using one fails loudly here instead of silently in Excel.
    """
    alerts = [] if alerts is None else alerts
    for a in payload.get("actions", []):
        f, args = a["func"], a.get("args") or []
        pos = a.get("sheet_position")
        ws = wb.worksheets[pos] if pos is not None and f != "addSheet" else None
        if f == "setValues":
            for r, c, cell in _cells(ws, a):
                cell.value = _value_in(a["values"][r][c])
        elif f == "setFormula":
            for r, c, cell in _cells(ws, a):
                cell.value = a["values"][r][c]
        elif f == "setRangeColor":
            for *_, cell in _cells(ws, a):
                color = _hex(args[0])
                cell.fill = PatternFill("solid", fgColor=color) if color else PatternFill(fill_type=None)
        elif f == "setFontProperty":
            for *_, cell in _cells(ws, a):
                _set_font(cell, args[0], args[1])
        elif f == "setNumberFormat":
            for *_, cell in _cells(ws, a):
                cell.number_format = args[0]
        elif f == "rangeClearContents":
            for *_, cell in _cells(ws, a):
                cell.value = None
                cell.hyperlink = None
        elif f == "rangeClearFormats":
            for *_, cell in _cells(ws, a):
                _clear_formats(cell)
        elif f == "rangeClear":
            for *_, cell in _cells(ws, a):
                cell.value = None
                cell.hyperlink = None
                _clear_formats(cell)
        elif f == "addHyperlink":
            address, text, tip = args[0], args[1], args[2]
            for *_, cell in _cells(ws, a):
                if address.startswith("#"):
                    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=address[1:], tooltip=tip, display=text)
                else:
                    cell.hyperlink = Hyperlink(ref=cell.coordinate, target=address, tooltip=tip, display=text)
                cell.value = text
        elif f == "setWrapText":
            from copy import copy

            for *_, cell in _cells(ws, a):
                al = copy(cell.alignment)
                al.wrap_text = bool(args[0])
                cell.alignment = al
        elif f == "setColumnWidth":
            for c in range(a["column_count"]):
                ws.column_dimensions[get_column_letter(a["start_column"] + c + 1)].width = float(args[0]) / 7
        elif f == "setColumnHidden":
            for c in range(a["column_count"]):
                ws.column_dimensions[get_column_letter(a["start_column"] + c + 1)].hidden = bool(args[0])
        elif f == "addSheet":
            wb.create_sheet(title=args[1], index=int(args[0]))
        elif f == "setSheetName":
            ws.title = args[0]
        elif f == "activateSheet":
            wb.active = int(args[0] if not isinstance(args, int) else args)
        elif f == "namesAdd":
            name, refers_to = args[0], args[1]
            if name in wb.defined_names:
                del wb.defined_names[name]
            wb.defined_names[name] = DefinedName(name, attr_text=refers_to.lstrip("="))
        elif f == "nameDelete":
            if args[0] in wb.defined_names:
                del wb.defined_names[args[0]]
        elif f in ("setAutofit", "rangeSelect", "freezePaneAtRange", "setScreenUpdating"):
            pass  # visual only: nothing to keep in a file
        elif f == "alert":
            alerts.append({"prompt": args[0], "title": args[1], "buttons": args[2], "mode": args[3]})
        else:
            raise NotImplementedError(f"apply_actions: no openpyxl mapping for {f!r}")
    return alerts


def range_cells(ref: str) -> list[str]:
    """``"A1:B2"`` → ``["A1", "B1", "A2", "B2"]`` (helper for tests and callers)."""
    c1, r1, c2, r2 = range_boundaries(ref)
    return [f"{get_column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

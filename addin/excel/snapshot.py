"""Read everything a macro needs from an ``xw.Book`` in one go.

xlwings' remote engine (Office.js, file mode) sends a snapshot of cell values and
cannot see its own writes, so every macro first reads a :class:`Snapshot` and only
then writes. The reads here use only what every engine supports: the defined names,
their ranges' ``.value``, sheet names and a sheet's used range.

The workbook is found *by defined name*, never by sheet name or fixed address: the
template names every input ``NB.<cell key>`` (see :mod:`addin.layout` and
:mod:`addin.readers.cells`), the status cell ``NB.status`` and the findings area
``NB.results`` (the header row of the 校验结果 sheet; without that name, the sheet of
that name, header in row 1). A renamed table sheet or an inserted row therefore does
not break a macro.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..layout import FINDINGS_SHEET, GUIDE_SHEET, get_column_letter, key_of_name
from ..readers.workbook import cell_index, parse_reference
from ..readers.cells import BROKEN, STATUS_NAME

#: The header row of the 校验结果 sheet (first cell), defined by the template.
RESULTS_NAME = "NB.results"
#: The 填写说明 sheet (first cell).
HELP_NAME = "NB.help"
#: The cell where the last run recorded which cells it coloured (see :mod:`addin.excel.marks`).
LEDGER_NAME = "NB.marks"


@dataclass
class Place:
    """A cell of the workbook: sheet position (0-based), sheet name, 1-based row/column."""

    sheet_index: int
    sheet: str
    row: int
    col: int


@dataclass
class Snapshot:
    """What the macros know about the workbook before they write anything."""

    book_name: str
    values: dict[str, Any] = field(default_factory=dict)  # defined name → raw value (or BROKEN)
    locations: dict[str, str] = field(default_factory=dict)  # defined name → "sheet!A1"
    places: dict[str, Place] = field(default_factory=dict)  # defined name → Place
    sheets: list[str] = field(default_factory=list)
    results: Place | None = None  # header row of 校验结果
    help: Place | None = None  # the 填写说明 sheet
    results_header: list[Any] = field(default_factory=list)
    results_last_row: int = 0  # last used row of the 校验结果 sheet
    status: Place | None = None
    ledger: Place | None = None
    ledger_text: str = ""


def _plain_name(name: str) -> str:
    """``'Sheet1'!NB.x`` (a sheet-scoped name) → ``NB.x``."""
    return name.rsplit("!", 1)[-1]


def _first(v: Any) -> Any:
    """The top-left value of a range read (a name that now spans several cells)."""
    while isinstance(v, list):
        v = v[0] if v else None
    return v


def _names(book) -> dict[str, str]:
    """``{our name: its reference text}`` — one property read per name on any engine."""
    out: dict[str, str] = {}
    for name in book.names:
        plain = _plain_name(name.name)
        if plain.startswith("NB.") and plain not in out:
            try:
                out[plain] = str(name.refers_to or "")
            except Exception:  # a name Excel cannot express: treat as pointing nowhere
                out[plain] = ""
    return out


def read_snapshot(book) -> Snapshot:
    """Read names, values and the 校验结果 layout from ``book`` (any xlwings engine).

    Each name's reference is read as text and each sheet's values in one block from
    A1 to the farthest named cell: a handful of engine calls instead of several per
    name, which matters on desktop Excel where every call is a COM round trip.
    """
    snap = Snapshot(book_name=str(book.name))
    snap.sheets = [s.name for s in book.sheets]
    targets = {}
    for plain, ref in _names(book).items():
        target = parse_reference(ref.lstrip("="))
        if target is None or target[0] not in snap.sheets:
            snap.values[plain] = BROKEN  # #REF!, a deleted sheet, a constant: the name points nowhere
            continue
        targets[plain] = (target[0], *cell_index(target[1]))
    extent: dict[str, tuple[int, int]] = {}
    for sheet, r, c in targets.values():
        rows, cols = extent.get(sheet, (0, 0))
        extent[sheet] = (max(rows, r + 1), max(cols, c + 1))
    blocks = {sheet: book.sheets[sheet].range((1, 1), (rows, cols)).options(ndim=2, err_to_str=True).value
              for sheet, (rows, cols) in extent.items()}
    for plain, (sheet, r, c) in targets.items():
        snap.values[plain] = blocks[sheet][r][c]
        snap.locations[plain] = f"{sheet}!{get_column_letter(c + 1)}{r + 1}"
        snap.places[plain] = Place(snap.sheets.index(sheet), sheet, r + 1, c + 1)
    snap.results = snap.places.get(RESULTS_NAME) or _sheet_place(snap, FINDINGS_SHEET)
    snap.help = snap.places.get(HELP_NAME) or _sheet_place(snap, GUIDE_SHEET)
    snap.status = snap.places.get(STATUS_NAME)
    snap.ledger = snap.places.get(LEDGER_NAME)
    ledger_value = snap.values.get(LEDGER_NAME)
    snap.ledger_text = ledger_value if isinstance(ledger_value, str) else ""
    if snap.results is not None:
        sheet = book.sheets[snap.results.sheet_index]
        used = sheet.used_range
        snap.results_last_row = used.row + used.rows.count - 1
        header = sheet.range((snap.results.row, snap.results.col), (snap.results.row, snap.results.col + 4)).value
        snap.results_header = header if isinstance(header, list) else [header]
    return snap


def _sheet_place(snap: Snapshot, sheet: str) -> Place | None:
    """Cell A1 of a template sheet found by its name (when the template defines no name for it)."""
    return Place(snap.sheets.index(sheet), sheet, 1, 1) if sheet in snap.sheets else None


def report_names(snap: Snapshot) -> tuple[dict[str, Any], dict[str, str]]:
    """The ``{name: value}`` and ``{name: location}`` that :func:`report_from_named_cells` reads."""
    values = {n: v for n, v in snap.values.items() if key_of_name(n) is not None and n != LEDGER_NAME}
    return values, dict(snap.locations)

"""What 校验 shows in the workbook: the 校验结果 rows, the coloured cells, the status
line — computed as plain data from the findings, before anything is written.

Colours: an error's cells get one fill, a warning's another (a cell named by both is
an error cell). Which cells were coloured is recorded in a *ledger* cell (defined
name ``NB.marks``) as JSON, because the remote engine cannot read colours: the next
run, or 清除标记, restores exactly those cells and nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from ..findings import ERROR, INFO, SEVERITY_LABELS, WARNING, Finding, summary

#: Fill of a cell named by an error / a warning / an info (Excel's "bad" and "neutral").
FILLS = {ERROR: "#FFC7CE", WARNING: "#FFEB9C", INFO: "#E4DFEC"}
_RANK = {ERROR: 0, WARNING: 1, INFO: 2}
_LOCATION = re.compile(r"^(?P<sheet>.+)!\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d{1,7})$")


@dataclass(frozen=True)
class Cell:
    """One workbook cell by sheet name and A1 address."""

    sheet: str
    address: str

    @property
    def location(self) -> str:
        return f"{self.sheet}!{self.address}"


def parse_location(location: str) -> Cell | None:
    """``"表三!C6"`` → ``Cell("表三", "C6")``; ``None`` for a key or anything else."""
    m = _LOCATION.match(location or "")
    if not m:
        return None
    sheet = m.group("sheet")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return Cell(sheet, f"{m.group('col')}{m.group('row')}")


def cell_marks(findings: list[Finding]) -> dict[Cell, str]:
    """Every cell a finding names → the most severe severity naming it."""
    marks: dict[Cell, str] = {}
    for f in findings:
        for loc in f.locations:
            cell = parse_location(loc)
            if cell is None:
                continue
            if cell not in marks or _RANK[f.severity] < _RANK[marks[cell]]:
                marks[cell] = f.severity
    return marks


# -- the ledger ---------------------------------------------------------------


#: Ledger text meaning "too many to list: restore every named input cell" (an Excel
#: cell holds at most 32,767 characters).
EVERYTHING = "*"
LEDGER_LIMIT = 32_000


def ledger_text(marks: dict[Cell, str]) -> str:
    """The ledger's JSON: ``[["表三", "C6", "error"], …]`` in a stable order."""
    rows = sorted([c.sheet, c.address, s] for c, s in marks.items())
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":")) if rows else ""
    return EVERYTHING if len(text) > LEDGER_LIMIT else text


def read_ledger(text: str, every_cell: list[str] | None = None) -> dict[Cell, str]:
    """Parse a ledger; anything unreadable (a filer typed over it) reads as no marks.
    ``every_cell`` (the locations of all named cells) stands for :data:`EVERYTHING`."""
    if not text:
        return {}
    if text == EVERYTHING:
        return {c: ERROR for c in (parse_location(x) for x in every_cell or []) if c is not None}
    try:
        rows = json.loads(text)
        return {Cell(str(r[0]), str(r[1])): str(r[2]) for r in rows if len(r) == 3 and str(r[2]) in FILLS}
    except (ValueError, TypeError, IndexError):
        return {}


# -- the 校验结果 rows and the status line -------------------------------------


def _quote_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _formula_text(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def location_cell(locations: list[str]) -> str:
    """The 位置 cell: a ``HYPERLINK`` formula jumping to the first cell, showing where.

    A formula, not a hyperlink object, so the link works the same in Excel, Excel on
    the web, WPS and LibreOffice, and survives file mode.
    """
    cells = [c for c in (parse_location(x) for x in locations) if c is not None]
    shown = "、".join(locations[:3]) + (f" 等 {len(locations)} 处" if len(locations) > 3 else "")
    if not cells:
        return as_text(shown)
    target = f"#{_quote_sheet(cells[0].sheet)}!{cells[0].address}"
    return f"=HYPERLINK({_formula_text(target)},{_formula_text(shown)})"


def as_text(s: str) -> str:
    """Text that Excel must not take for a formula (a message quoting what a filer typed)."""
    return " " + s if s[:1] in ("=", "+", "-", "@") else s


def result_rows(findings: list[Finding]) -> list[list[str]]:
    """One row per finding: 级别, 消息, 位置, 规则, 说明 — in the validator's order (errors first)."""
    return [[SEVERITY_LABELS[f.severity], as_text(f.message), location_cell(f.locations), as_text(f.rule),
             as_text(f.hint or "")] for f in findings]


def status_line(findings: list[Finding], now: dt.datetime) -> str:
    """E.g. ``2 个错误，1 个警告，校验于 2026-01-20 10:31``."""
    s = summary(findings)
    when = now.strftime("%Y-%m-%d %H:%M")
    if not findings:
        return f"未发现问题，校验于 {when}"
    parts = [f"{s['errors']} 个错误", f"{s['warnings']} 个警告"]
    if s["infos"]:
        parts.append(f"{s['infos']} 条提示")
    return "，".join(parts) + f"，校验于 {when}"


@dataclass
class Plan:
    """Everything 校验 will write, decided before the first write."""

    rows: list[list[str]]
    severities: list[str]
    marks: dict[Cell, str]
    unmark: list[Cell]  # marked last time, not this time: restore
    status: str
    findings: list[Finding] = field(default_factory=list)


def plan(findings: list[Finding], previous: dict[Cell, str], now: dt.datetime) -> Plan:
    marks = cell_marks(findings)
    return Plan(
        rows=result_rows(findings),
        severities=[f.severity for f in findings],
        marks=marks,
        unmark=sorted((c for c in previous if c not in marks), key=lambda c: (c.sheet, c.address)),
        status=status_line(findings, now),
        findings=findings,
    )

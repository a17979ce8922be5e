"""What an import could not resolve, and how an exported document shows it.

A published report read by the importer may leave cells it could not read: a table
not found (I001), rows cut off (I002), a row whose values could not be placed (I004),
a value that cannot be a count (I011), or text where a number belongs (a page number,
half a label). Exporting such a report as a document must not look finished: the
cells are printed as :data:`PENDING`, never as empty, zero or the stray text.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Report
from ..ruleset import builtin_rules
from ..values import INVALID, NA, NUMBER, CellValue

#: What an exported document prints in a cell the import could not resolve.
PENDING = "【待核实】"


def import_findings(report: Report) -> list:
    """The findings the importer made (rules of ``rules/rulesets/import.json``)."""
    rules = builtin_rules()
    out = []
    for f in report.problems:
        rule = rules.get(f.rule)  # None for a rule id the built-in set does not know: not the importer's
        if rule is not None and rule.origin == "import.json":
            out.append(f)
    return out


def unresolved_cells(report: Report) -> list[str]:
    """Cell keys, in table order, that the import left unread or holding text: every cell
    named by an import finding (a row key names its row's cells; a finding naming only a
    table's sheet names the whole table) that has no number or “/”, and every cell that
    holds text where a number belongs."""
    findings = import_findings(report)
    if not findings:
        return []
    spec = report.spec
    named: set[str] = set()
    sheets = {t.sheet: t for t in spec.tables}
    for f in findings:
        for c in f.cells:
            named.update(k for k in spec.keys if k == c or k.startswith(c + "."))
        if not f.cells:
            for loc in f.locations:
                if loc in sheets:
                    named.update(sheets[loc].cell_keys())
    out = []
    for k in spec.keys:
        c = report.cells.get(k)
        state = c.state if c is not None else None
        if (k in named and state not in (NUMBER, NA)) or state == INVALID:
            out.append(k)
    return out


def mark_unresolved(report: Report, keys: list[str]) -> Report:
    """A copy of the report whose unresolved cells read :data:`PENDING`."""
    cells = dict(report.cells)
    for k in keys:
        cells[k] = CellValue(PENDING, INVALID, note="导入时未能确定")
    return replace(report, cells=cells)

"""Built-in checks: the rules that look at a report's shape rather than its arithmetic.

Each function takes the rule (for its severity and message template), the report and
last year's report (``None`` when not given), and yields findings. Which function serves which rule is data: the rule's ``check``
field in ``rules/rulesets/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .findings import Finding
from .formats import FORMATS, format_for_year, load_format
from .model import Report
from .ruleset import Rule
from .values import EMPTY, INVALID, NA, NUMBER, CellValue, format_number
from .document.prose_check import PROSE_CHECKS

#: The number of places a grouped message lists before “等”.
MAX_PLACES = 8


def _finding(rule: Rule, report: Report, cells: list[str], message: str, **kw) -> Finding:
    return Finding(
        rule=rule.id, severity=rule.severity, message=message, cells=cells,
        locations=[report.location(k) for k in cells], hint=rule.hint, name=rule.name, **kw,
    )


def _fill(rule: Rule, **params) -> str:
    return rule.message.format(**params)


def format_year(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    if report.year is None or report.format not in FORMATS:
        return
    expected = format_for_year(report.year)
    if report.format != expected:
        have, want = load_format(report.format), load_format(expected)
        msg = _fill(rule, year=report.year, format_name=have.name, expected_name=want.name,
                    expected_source=want.source.split("《")[0])
        yield _finding(rule, report, ["format"], msg, expected=expected, actual=report.format)


def unknown_key(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    spec = report.spec
    other = [f for f in FORMATS if f != spec.key]
    for key, raw in report.extra.items():
        note = ""
        for o in other:
            if key in load_format(o).cells:
                note = f"（它属于{load_format(o).name}）"
        yield _finding(rule, report, [key], _fill(rule, key=key, format_name=spec.name, other_format_note=note, raw=raw))


def missing_table(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    for table in report.spec.tables:
        keys = table.cell_keys()
        present = [k for k in keys if k in report.cells]
        if not present:
            f = _finding(rule, report, [], _fill(rule, table_number=table.number, table_title=table.title,
                                                 found="整张表都没有数据"))
            f.locations = [table.sheet]
            yield f


def section_missing(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    for section in report.spec.sections:
        if section.required and not (report.sections.get(section.key) or "").strip():
            yield _finding(rule, report, [section.key], _fill(rule, heading=section.heading))


def year_missing(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    if report.year is None:
        yield _finding(rule, report, ["year"], _fill(rule, what="未填写报告年度"))
    if not (report.agency or "").strip():
        yield _finding(rule, report, ["agency"], _fill(rule, what="未填写机关名称"))


def _where(report: Report, key: str) -> str:
    return f"{report.spec.cells[key].describe()}（{report.location(key)}）"


def _per_cell(report: Report, state: str) -> list[tuple[str, CellValue]]:
    """The report's cells of the format in ``state`` (findings are sorted later)."""
    spec = report.spec.cells
    return [(key, cell) for key, cell in report.cells.items() if cell.state == state and key in spec]


def value_invalid(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    for key, cell in _per_cell(report, INVALID):
        yield _finding(rule, report, [key], _fill(rule, where=_where(report, key), raw=cell.raw, note=cell.note),
                       actual=str(cell.raw))


def value_negative(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    for key, cell in _per_cell(report, NUMBER):
        if report.spec.cells[key].kind != "signed_count" and cell.value < 0:
            yield _finding(rule, report, [key], _fill(rule, where=_where(report, key), value=format_number(cell.value)),
                           actual=cell.value)


def value_fraction(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    for key, cell in _per_cell(report, NUMBER):
        kind = report.spec.cells[key].kind
        if kind in ("count", "signed_count") and isinstance(cell.value, Decimal):
            yield _finding(rule, report, [key], _fill(rule, where=_where(report, key), value=format_number(cell.value)),
                           actual=cell.value)


def _grouped(rule: Rule, report: Report, want) -> Iterator[Finding]:
    for table in report.spec.tables:
        keys = table.cell_keys()
        if not any(k in report.cells for k in keys):
            continue  # the whole table is missing: F003 says so once
        hit = [k for k in keys if want(report.cells.get(k))]
        if hit:
            places = "、".join(report.location(k).split("!")[-1] for k in hit[:MAX_PLACES])
            if len(hit) > MAX_PLACES:
                places += " 等"
            yield _finding(rule, report, hit, _fill(rule, table_number=table.number, count=len(hit), places=places))


def value_empty(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    yield from _grouped(rule, report, lambda c: c is None or c.state == EMPTY)


def value_na(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    yield from _grouped(rule, report, lambda c: c is not None and c.state == NA)


def value_noncanonical(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    for key, cell in _per_cell(report, NUMBER):
        if cell.note:
            yield _finding(rule, report, [key], _fill(rule, where=_where(report, key), raw=cell.raw, note=cell.note,
                                                      value=format_number(cell.value)), actual=str(cell.raw))


def reader(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """Findings the reader made while reading (``report.problems``); nothing to add here."""
    return iter(())


def prose_copied(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """X006: this year's prose mostly copied from last year's (see addin/review/crossyear.py)."""
    from .review.crossyear import prose_copied as check

    return check(rule, report, prev)


CHECKS = {
    "reader": reader,
    "prose_copied": prose_copied,
    "format_year": format_year,
    "unknown_key": unknown_key,
    "missing_table": missing_table,
    "section_missing": section_missing,
    "year_missing": year_missing,
    "value_invalid": value_invalid,
    "value_negative": value_negative,
    "value_fraction": value_fraction,
    "value_empty": value_empty,
    "value_na": value_na,
    "value_noncanonical": value_noncanonical,
    **PROSE_CHECKS,
}

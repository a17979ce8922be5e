"""Validation: run a rule set over a :class:`~addin.model.Report` and return findings.

Formula rules are evaluated with :mod:`addin.formula`. Empty and “/” cells are
counted as 0 in arithmetic (rules may say ``"empty": "skip"`` instead) and the
message then says so — never silently; a cell holding text makes the rules that use
it undecided, since V001 already reports the text. A rule about last year
(``prev.…``) is only evaluated when last year's report is given.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from .checks import CHECKS
from .findings import Finding, sort_findings
from .formula import FormulaError
from .model import Report
from .ruleset import Check, RuleSet, compile_rule, load_rules
from .values import INVALID, NUMBER, format_number

_FIELDS = ("year", "format", "agency")
_SECTIONS = frozenset(f"s{i}" for i in range(1, 7))
_VALUE = re.compile(r"\{([a-z_][a-z0-9_.\[\]]*)\}")
EMPTY_NOTE = "（其中空白或“/”单元格按 0 计）"


class _Undecided(Exception):
    pass


def _resolver(report: Report, prev: Report | None, empty_as_zero: bool, used_blank: list[str]):
    def resolve(ref: str) -> Any:
        source, key = report, ref
        if ref.startswith("prev."):
            if prev is None:
                raise _Undecided
            source, key = prev, ref[5:]
        if key in _FIELDS:
            return getattr(source, key)
        if key in _SECTIONS:
            return source.sections.get(key) or ""
        cell = source.cell(key)
        if cell.state == NUMBER:
            return cell.value
        if cell.state == INVALID:
            raise _Undecided
        if key not in source.spec.cells:
            raise _Undecided
        if not empty_as_zero:
            raise _Undecided
        used_blank.append(ref)
        return 0

    return resolve


def _show(v: Any) -> str:
    """A value as a message shows it: a number (or nothing) by ``format_number``, text as written."""
    return format_number(v) if v is None or isinstance(v, (int, Decimal, float)) else str(v)


def _sides(check: Check, resolve) -> tuple[Any, Any]:
    if check.run_sides is None:
        return None, None
    return check.run_sides[0](resolve), check.run_sides[1](resolve)


def run_check(check: Check, report: Report, prev: Report | None = None) -> Finding | None:
    """Evaluate one expanded rule; a finding if it fails, ``None`` if it holds or is undecided."""
    rule = check.rule
    blanks: list[str] = []
    resolve = _resolver(report, prev, rule.empty == "zero", blanks)
    try:
        if check.run_when is not None and check.run_when(resolve) is not True:
            return None
        ok = check.run_assert(resolve)
        if ok is None:
            return None
        if ok is False and rule.tolerance and check.assertion[0] == "cmp" and check.assertion[1] == "==":
            lhs, rhs = _sides(check, resolve)
            ok = abs(Decimal(str(lhs)) - Decimal(str(rhs))) <= Decimal(str(rule.tolerance))
        if ok:
            return None
        lhs, rhs = _sides(check, resolve)
    except (_Undecided, FormulaError):
        return None
    params = {"lhs": _show(lhs) if lhs is not None else "", "rhs": _show(rhs) if rhs is not None else ""}
    if isinstance(lhs, (int, Decimal)) and isinstance(rhs, (int, Decimal)):
        params["diff"] = format_number(abs(lhs - rhs))

    def fill(m: re.Match) -> str:
        name = m.group(1)
        if name in params:
            return params[name]
        try:
            v = resolve(name)
        except _Undecided:
            v = report.cell(name).raw
        return _show(v)

    message = _VALUE.sub(fill, check.message)
    if blanks:
        message += EMPTY_NOTE
    cells = [r for r in check.refs if r not in _FIELDS]
    return Finding(
        rule=rule.id, severity=rule.severity, message=message, cells=cells,
        locations=[(prev.location(c[5:]) if prev else c) if c.startswith("prev.") else report.location(c) for c in cells],
        expected=lhs, actual=rhs, hint=rule.hint, name=rule.name,
    )


def validate(report: Report, rules: RuleSet | None = None, prev: Report | None = None) -> list[Finding]:
    """Every finding for ``report``, errors first.

    ``rules`` defaults to the shipped rule set; ``prev`` is last year's report, for the
    cross-year rules.
    """
    rules = rules or load_rules()
    fmt = report.spec.key
    findings: list[Finding] = []
    for problem in report.problems:  # the reader's findings, subject to the overlay too
        rule = rules.get(problem.rule)
        if rule is not None:
            findings.append(replace(problem, severity=rule.severity))
    for rule in rules.for_format(fmt):
        if rule.kind == "builtin":
            check = CHECKS.get(rule.check)
            if check is None:
                raise KeyError(f"规则 {rule.id} 使用了未知的内置检查 {rule.check}")
            findings.extend(check(rule, report, prev))
            continue
        for c in compile_rule(rule, fmt):
            f = run_check(c, report, prev)
            if f is not None:
                findings.append(f)
    order = {k: i for i, k in enumerate(report.spec.keys)}
    return sort_findings(findings, order)


def exit_code(findings: list[Finding]) -> int:
    """0 no errors, 1 errors found (2, input unusable, is decided by the reader)."""
    return 1 if any(f.severity == "error" for f in findings) else 0

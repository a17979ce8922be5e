"""Findings: what validation reports, as data first and text second.

Like python-jsonschema's ``ValidationError``, a :class:`Finding` is a plain record —
which rule, how severe, which cells, what was expected and what was found — and
presentation (a text line, the findings JSON, a row on the 校验结果 sheet, a coloured
cell) is done by whoever shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass
class Finding:
    """One problem found in a report.

    ``cells`` are cell keys (``t3.new.natural``) or section keys (``s6``) or report
    fields (``year``); ``locations`` are the same places as ``sheet!cell`` in the
    workbook (or in the template, for sources that are not workbooks).
    """

    rule: str
    severity: str
    message: str
    cells: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    expected: Any = None
    actual: Any = None
    hint: str = ""
    name: str = ""

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "cells": list(self.cells),
            "locations": list(self.locations),
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
            "hint": self.hint,
        }

    def text_line(self, file: str = "") -> str:
        """``file:位置: 错误 T301 message`` — one line, like a compiler or ruff."""
        where = self.locations[0] if self.locations else (self.cells[0] if self.cells else "")
        prefix = f"{file}:" if file else ""
        return f"{prefix}{where}: {self.severity_label} {self.rule} {self.message}"


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def sort_findings(findings: Iterable[Finding], order: dict[str, int] | None = None) -> list[Finding]:
    """Errors first, then warnings, then infos; within a severity, in table order."""
    order = order or {}

    def key(f: Finding):
        first = min((order.get(c, 10**6) for c in f.cells), default=10**6)
        return (_RANK[f.severity], first, f.rule)

    return sorted(findings, key=key)


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {"errors": 0, "warnings": 0, "infos": 0}
    for f in findings:
        counts[f.severity + "s"] += 1
    return counts


def findings_document(file: str, report, findings: list[Finding]) -> dict:
    """The findings JSON of ``spec/data-model.md`` §3."""
    return {
        "file": file,
        "format": report.format if report is not None else None,
        "year": report.year if report is not None else None,
        "agency": report.agency if report is not None else None,
        "summary": summary(findings),
        "findings": [f.to_json() for f in findings],
    }

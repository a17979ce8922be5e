"""Randomised: thousands of consistent reports raise no error; breaking any one number
is found, and the finding names the broken cell."""

import random
from decimal import Decimal

import pytest

from addin.examples import random_report
from addin.formats import FORMATS
from addin.ruleset import load_rules
from addin.validate import validate

N = 1500  # per format: 3,000 reports, each also broken once


@pytest.mark.parametrize("fmt", FORMATS)
def test_consistent_reports_pass_and_every_break_is_found(fmt):
    rng = random.Random(20251127 + int(fmt))
    rules = load_rules()
    for i in range(N):
        report = random_report(fmt, rng)
        errors = [f for f in validate(report, rules) if f.severity == "error"]
        assert errors == [], f"report {i}: {[f.message for f in errors]}"

        key = rng.choice(report.spec.keys)
        cell = report.cells[key]
        kind = report.spec.cells[key].kind
        if key.startswith(("t3.", "t4.")):
            broken = cell.value + rng.choice([-3, -2, -1, 1, 2, 5])  # an arithmetic slip
            if broken < 0:
                broken = cell.value + 1
        elif kind == "signed_count":
            broken = Decimal("1.5")  # a fraction where a whole number belongs
        else:
            broken = -1  # a negative amount or count
        report.cells[key] = type(cell)(broken, "number", broken)
        errors = [f for f in validate(report, rules) if f.severity == "error"]
        assert errors, f"report {i}: breaking {key} ({cell.value} → {broken}) was not found"
        assert any(key in f.cells for f in errors), f"report {i}: no error names {key}: {[f.cells for f in errors]}"

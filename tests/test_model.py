"""The report model and its JSON: what goes out comes back in."""

import random

import pytest

from addin.examples import random_report
from addin.formats import FORMATS
from addin.model import Report
from addin.readers.report_json import report_from_json
from addin.values import EMPTY, NA


@pytest.mark.parametrize("fmt", FORMATS)
def test_json_round_trip(fmt):
    rng = random.Random(7)
    for _ in range(50):
        report = random_report(fmt, rng)
        again = report_from_json(report.to_json())
        assert again.format == report.format and again.year == report.year and again.agency == report.agency
        assert again.sections == report.sections and again.contact == report.contact
        assert {k: c.value for k, c in again.cells.items()} == {k: c.value for k, c in report.cells.items()}
        assert again.problems == []


def test_raw_value_kept_beside_the_number():
    r = Report.from_values("2019", {"t2.license.change": "减4", "t2.procurement.amount": "152790元",
                                    "t3.new.natural": "", "t3.new.other": "/"})
    assert r.cell("t2.license.change").raw == "减4" and r.number("t2.license.change") == -4
    assert str(r.number("t2.procurement.amount")) == "15.279"
    assert r.cell("t3.new.natural").state == EMPTY and r.number("t3.new.natural") is None
    assert r.cell("t3.new.other").state == NA
    assert r.cell("t3.new.legal").state == EMPTY  # absent = empty, never 0
    out = r.to_json()["values"]
    assert out["t3.new.natural"] == "" and out["t3.new.other"] == "/" and out["t2.license.change"] == -4


def test_unknown_keys_are_kept_not_dropped():
    r = Report.from_values("2021", {"t2.procurement.amount": 3, "nonsense": "x"})
    assert r.extra == {"t2.procurement.amount": 3, "nonsense": "x"}

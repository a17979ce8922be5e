"""The fast (calamine) and the full (openpyxl) workbook read give the same report.

The fast path exists for speed (see bench/); it must not change what is read, so
every case is read both ways and compared: filled and never calculated, recalculated
by LibreOffice with an error value, text and “/” in number cells, a deleted name.
"""

import random

import openpyxl
import pytest

from addin.examples import random_report
from addin.libreoffice import recalculate
from addin.readers import workbook as wbreader
from addin.validate import validate
from addin.writers.workbook import write_workbook


def both(path):
    wbreader.FAST = False
    try:
        slow = wbreader.read_workbook(path)
    finally:
        wbreader.FAST = True
    fast = wbreader.read_workbook(path)
    return fast, slow


def same(fast, slow):
    assert fast.format == slow.format and fast.year == slow.year and fast.agency == slow.agency
    assert fast.sections == slow.sections and fast.contact == slow.contact
    assert {k: (c.state, c.value) for k, c in fast.cells.items()} == {k: (c.state, c.value) for k, c in slow.cells.items()}
    assert fast.locations == slow.locations
    assert [f.to_json() for f in validate(fast)] == [f.to_json() for f in validate(slow)]


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_filled_workbooks_read_the_same(fmt, tmp_path):
    rng = random.Random(3)
    for i in range(5):
        path = tmp_path / f"r{i}.xlsx"
        write_workbook(random_report(fmt, rng), path)
        same(*both(path))


@pytest.mark.libreoffice
def test_recalculated_workbook_with_errors_text_and_deleted_name(tmp_path):
    path = tmp_path / "ugly.xlsx"
    write_workbook(random_report("2021", random.Random(5)), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["表三"]
    ws["D8"] = "=1/0"          # a formula that returns #DIV/0!
    ws["E9"] = "若干"           # text in a number cell
    ws["F10"] = "/"
    del wb.defined_names["NB.t3.new.legal"]
    wb.save(path)
    calc = recalculate(path, tmp_path / "calc")
    fast, slow = both(calc)
    same(fast, slow)
    assert fast.cell("t3.granted.natural").raw == "#DIV/0!"
    assert {"V001", "W001"} <= {f.rule for f in validate(fast)}

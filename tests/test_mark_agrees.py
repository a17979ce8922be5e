"""``mark`` and ``validate`` see the same workbook the same way.

``validate`` reads a workbook with the workbook reader; ``mark`` hands the workbook to
the 校验 macro as the book JSON Excel would send. Both go through one reading path —
the named cells as :func:`addin.readers.workbook.named_values` reads them, turned into
a report by :func:`addin.readers.cells.report_from_named_cells` — so on every workbook
below, including the ones that once split them (an error value such as ``#DIV/0!``, a
merged cell, totals never calculated, a date typed in a number cell), the findings
must be identical: same rules, same cells, same messages.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import openpyxl
import pytest

from addin.commands.demo import demo_report
from addin.errors import InputError
from addin.examples import example_report, random_report
from addin.excel.filemode import mark_file
from addin.readers.workbook import read_workbook
from addin.validate import validate
from addin.writers.workbook import write_workbook


def _edit(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def _error_value(wb) -> None:
    cell = wb["表三"]["E8"]
    cell.value = "#DIV/0!"
    cell.data_type = "e"  # a cached error value, as Excel saves a formula that fails


def _broken_name(wb) -> None:
    wb.defined_names["NB.t3.granted.legal"].attr_text = "#REF!"


def _format_cell(wb) -> None:
    sheet, coord = wb.defined_names["NB.format"].attr_text.replace("$", "").split("!")
    wb[sheet.strip("'")][coord] = "2019"


def _external_reference(path: Path) -> None:
    """Make 表三!D8 a formula into another workbook (``=[1]Sheet1!A1``) with its cached
    value, and add the external-link part, as Excel saves such a workbook."""
    import re
    import zipfile

    from addin.readers.workbook import _sheet_parts

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
        sheet = _sheet_parts(z)[1]["表三"]
    xml, n = re.subn(rb'(<c r="D8"[^>]*>)(<v>)', rb"\1<f>[1]Sheet1!A1</f>\2", parts[sheet])
    assert n == 1
    parts[sheet] = xml
    parts["xl/externalLinks/externalLink1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><externalBook><sheetNames><sheetName val="Sheet1"/></sheetNames>'
        b'</externalBook></externalLink>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _set(**cells):
    def change(wb):
        for where, value in cells.items():
            sheet, coord = where.split("_")
            wb[sheet][coord] = value
    return change


FIXTURES = {
    "example-2021": ("2021", None),
    "example-2019": ("2019", None),
    "random-2021": ("random", None),
    "error-value": ("2021", _error_value),
    "uncalculated-formula": ("2021", _set(表三_E8="=1/0")),
    "merged-D6-E6": ("2021", lambda wb: wb["表三"].merge_cells("D6:E6")),
    "text-in-number-cell": ("2021", _set(表三_D8="十二", 表三_E9="１２", 表二_D6=" 7 ")),
    "date-in-number-cell": ("2021", _set(表三_D8=dt.datetime(2025, 3, 1))),
    "huge-number": ("2021", _set(表三_D8=1e30)),
    "fraction": ("2021", _set(表三_D8=2.5)),
    "not-applicable": ("2021", _set(表三_D8="/", 表三_E8="无")),
    "broken-name": ("2021", _broken_name),
    "format-cell-says-2019": ("2021", _format_cell),
    "external-reference": ("2021", "zip", _external_reference),
    "demo": ("demo", None),
    "blank": ("blank", None),
}


def build(name: str, folder: Path) -> Path:
    kind, *change = FIXTURES[name]
    zip_change = change[1] if change[0] == "zip" else None
    change = None if zip_change else change[0]
    path = folder / f"{name}.xlsx"
    if kind == "demo":
        report, typed_over = demo_report("2021")
        write_workbook(report, path, typed_over=typed_over)
    elif kind == "blank":
        from addin.model import Report

        write_workbook(Report(format="2021", year=2025), path)
    elif kind == "random":
        write_workbook(random_report("2021", random.Random(5), year=2025), path)
    else:
        write_workbook(example_report(kind), path)
    if change is not None:
        _edit(path, change)
    if zip_change is not None:
        zip_change(path)
    return path


def key(findings) -> list[tuple]:
    return sorted((f.rule, f.severity, f.message, tuple(f.locations)) for f in findings)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_mark_finds_what_validate_finds(name, tmp_path):
    path = build(name, tmp_path)
    expected = key(validate(read_workbook(path)))
    result = mark_file(path, tmp_path / "out.xlsx", recalc=False)
    assert key(result.findings) == expected
    assert expected or name in ("example-2021", "example-2019", "random-2021"), "a fixture that finds nothing"


def test_the_fixtures_cover_what_once_split_them(tmp_path):
    """The cases of the issue give the findings they should (so the agreement above is
    about something): the error value is 公式出错, totals are computed, the merge is read."""
    def rules(name):
        folder = tmp_path / f"{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        return {(f.rule, *f.locations[:1]) for f in validate(read_workbook(build(name, folder)))}

    assert ("V001", "表三!E8") in rules("error-value")
    assert not any(r[0] in ("T301", "T302", "T303") for r in rules("example-2021"))
    assert any(r[0] == "V001" for r in rules("date-in-number-cell"))
    assert ("W004", "表三!D8") in rules("external-reference")
    assert not any(r[0] == "W004" for r in rules("example-2021"))


def test_a_workbook_with_every_table_deleted_is_refused_by_both(tmp_path):
    path = build("example-2021", tmp_path)

    def delete_tables(wb):
        for n in list(wb.defined_names):
            if n.startswith(("NB.t2.", "NB.t3.", "NB.t4.")):
                wb.defined_names[n].attr_text = "#REF!"

    _edit(path, delete_tables)
    with pytest.raises(InputError, match="都已被删除") as v:
        read_workbook(path)
    with pytest.raises(InputError, match="都已被删除") as m:
        mark_file(path, tmp_path / "out.xlsx", recalc=False)
    assert str(v.value) == str(m.value)
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["uncalculated-formula", "merged-D6-E6", "demo"])
def test_mark_with_recalculation_finds_what_validate_finds_after_it(name, tmp_path):
    """With LibreOffice recalculating first (as Excel would), mark agrees with validate
    run on the recalculated workbook."""
    from addin.libreoffice import recalculate

    path = build(name, tmp_path)
    copy = tmp_path / "calc" / path.name
    copy.parent.mkdir()
    shutil.copyfile(path, copy)
    recalculated = recalculate(copy, tmp_path / "calc" / "out")
    expected = key(validate(read_workbook(recalculated)))
    result = mark_file(path, tmp_path / "out.xlsx", recalc=True)
    assert result.recalculated
    assert key(result.findings) == expected

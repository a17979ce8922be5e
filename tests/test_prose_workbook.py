"""A prose finding shows in the workbook like a table finding: after 校验 the 正文 cell of
the section it quotes is coloured and the finding is listed, through the real xlwings
dispatch (file mode: recalculated book JSON in, actions out, applied, saved)."""

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import openpyxl  # noqa: E402
import pytest  # noqa: E402

from addin.examples import example_report  # noqa: E402
from addin.excel.bridge import apply_actions, book_json  # noqa: E402
from addin.excel.filemode import run_script, values_workbook  # noqa: E402
from addin.libreoffice import soffice  # noqa: E402
from addin.readers.workbook import read_workbook  # noqa: E402
from addin.validate import validate  # noqa: E402
from addin.writers.workbook import write_workbook  # noqa: E402

WARNING_FILL = "FFEB9C"
BAD_S1 = ("全年通过门户网站主动公开政府信息370条。其中机构职能24条，政策文件83条，规划计划10条，"
          "工作动态166条。")


def section_cell(wb, key):
    sheet, ref = next(iter(wb.defined_names[f"NB.{key}"].destinations))
    return wb[sheet][ref.replace("$", "")]


def workbook_with(tmp_path, s1):
    rep = example_report("2021")
    rep.sections = {**rep.sections, "s1": s1}
    path = tmp_path / "年报.xlsx"
    write_workbook(rep, path, force=True)
    return path


def test_prose_findings_name_the_section_cell():
    path_report = example_report("2021")
    path_report.sections = {**path_report.sections, "s1": BAD_S1}
    [f] = [f for f in validate(path_report) if f.rule == "P005"]
    assert f.cells == ["s1"] and f.locations == [path_report.location("s1")]


def test_read_workbook_locates_the_section_cell(tmp_path):
    path = workbook_with(tmp_path, BAD_S1)
    [f] = [f for f in validate(read_workbook(path)) if f.rule == "P005"]
    wb = openpyxl.load_workbook(path)
    cell = section_cell(wb, "s1")
    assert f.locations == [f"{cell.parent.title}!{cell.coordinate}"]


@pytest.mark.skipif(not soffice(), reason="LibreOffice not installed")
def test_validate_click_colours_the_section_cell(tmp_path):
    path = workbook_with(tmp_path, BAD_S1)
    values, recalculated = values_workbook(path, tmp_path / "calc", recalc=True)
    assert recalculated
    actions = run_script(book_json(values, name=path.name), "validate")
    wb = openpyxl.load_workbook(path)
    apply_actions(wb, actions)
    wb.save(path)
    wb = openpyxl.load_workbook(path)
    cell = section_cell(wb, "s1")
    assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb[-6:] == WARNING_FILL
    rows = [r for r in wb["校验结果"].iter_rows(min_row=2, values_only=True) if any(r[:5])]
    assert any("P005" in [str(x) for x in r[:5]] for r in rows)
    assert section_cell(wb, "s5").fill.fgColor.rgb[-6:] != WARNING_FILL  # only the section quoted

    # fixed prose: the mark is gone after the next click
    ws = cell.parent
    ws[cell.coordinate] = BAD_S1.replace("370", "283")
    wb.save(path)
    values, _ = values_workbook(path, tmp_path / "calc2", recalc=True)
    actions = run_script(book_json(values, name=path.name), "validate")
    wb = openpyxl.load_workbook(path)
    apply_actions(wb, actions)
    cell = section_cell(wb, "s1")
    assert not (cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb[-6:] == WARNING_FILL)

"""校验 end to end without Excel: the real template, recalculated by LibreOffice as Excel
would, sent as the book JSON Excel sends, run through xlwings' own script dispatch
(``xlwings.server.custom_scripts_call``), the returned actions applied back, saved and
re-read with openpyxl — on both formats, clean and with an error in every table, twice.
"""

import hashlib
import os
import re

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import openpyxl  # noqa: E402
import pytest  # noqa: E402

from addin.examples import example_report  # noqa: E402
from addin.excel import marks as mk  # noqa: E402
from addin.excel.bridge import apply_actions, book_json  # noqa: E402
from addin.excel.filemode import run_script, values_workbook  # noqa: E402
from addin.model import Report  # noqa: E402
from addin.writers.workbook import write_workbook  # noqa: E402

pytestmark = pytest.mark.libreoffice

ERROR_FILL, WARNING_FILL, TOTAL_FILL = "FFC7CE", "FFEB9C", "FFF2CC"
STATUS = re.compile(r"^(\d+ 个错误，\d+ 个警告(，\d+ 条提示)?|未发现问题)，校验于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def broken_values(fmt: str) -> dict:
    """The example with one mistake in each table and a “/” (a warning) in 表二."""
    v = example_report(fmt).to_json()["values"]
    t2 = [k for k in v if k.startswith("t2.")]
    v[t2[0]] = "十二件"          # 表二: text in a number cell → V001
    v[t2[1]] = "/"               # 表二: not applicable → V005 warning
    v["t3.new.natural"] += 1     # 表三: arithmetic → T301, T303
    v["t4.review.upheld"] = "abc"  # 表四: text → V001
    return v


def make_workbook(path, fmt: str, broken: bool):
    rep = example_report(fmt)
    if broken:
        rep = Report.from_values(fmt, broken_values(fmt), year=rep.year, agency=rep.agency,
                                 contact=rep.contact, sections=rep.sections)
    write_workbook(rep, path, force=True)
    return path


def click(path, tmp_path, script="validate"):
    """One click: recalc → book JSON → xlwings dispatch → actions applied → saved."""
    tmp_path.mkdir(exist_ok=True)
    values, recalculated = values_workbook(path, tmp_path, recalc=True)
    assert recalculated
    payload = book_json(values, name=path.name)
    actions = run_script(payload, script)
    wb = openpyxl.load_workbook(path)
    alerts = apply_actions(wb, actions)
    wb.save(path)
    return actions["actions"], alerts


def fill(ws, address):
    f = ws[address].fill
    return f.fgColor.rgb[-6:] if f is not None and f.fill_type == "solid" else None


def result_rows(wb):
    ws = wb["校验结果"]
    return [list(r[:5]) for r in ws.iter_rows(min_row=2, values_only=True) if any(r[:5])]


def state(path):
    """Everything 校验 writes: result rows, fills of every table cell, status, ledger."""
    wb = openpyxl.load_workbook(path)
    fills = {f"{ws.title}!{c.coordinate}": fill(ws, c.coordinate)
             for ws in wb.worksheets if ws.title != "校验结果" for row in ws.iter_rows() for c in row}
    return result_rows(wb), fills, wb["基本信息"]["B10"].value, wb["校验结果"]["H1"].value


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_errors_in_every_table_are_listed_coloured_and_stable(tmp_path, fmt):
    path = make_workbook(tmp_path / f"r{fmt}.xlsx", fmt, broken=True)
    actions, alerts = click(path, tmp_path / "a")
    assert not alerts  # findings: no message box, the sheet shows them
    wb = openpyxl.load_workbook(path)
    rows = result_rows(wb)
    labels = [r[0] for r in rows]
    assert labels == sorted(labels, key=["错误", "警告", "提示"].index)  # errors first
    rules = {r[3] for r in rows}
    assert {"V001", "T301", "V005"} <= rules
    by_place = {r[2]: r for r in rows}
    v001 = [r for r in rows if r[3] == "V001"]
    assert {r[2] for r in v001} == {'=HYPERLINK("#\'表二\'!B5","表二!B5")', '=HYPERLINK("#\'表四\'!A6","表四!A6")'}
    assert any("十二件" in r[1] for r in v001) and any("abc" in r[1] for r in v001)
    t301 = next(r for r in rows if r[3] == "T301" and "自然人" in r[1])
    assert "相差 1" in t301[1] and t301[2].startswith('=HYPERLINK("#\'表三\'!D6"')
    assert by_place  # every row has a place
    t2, t3, t4, info = wb["表二"], wb["表三"], wb["表四"], wb["基本信息"]
    assert fill(t2, "B5") == ERROR_FILL and fill(t2, "C5") == WARNING_FILL
    assert fill(t3, "D6") == ERROR_FILL and fill(t4, "A6") == ERROR_FILL
    assert fill(t3, "D5") != ERROR_FILL  # headers are not touched
    assert fill(wb["校验结果"], "A2") == ERROR_FILL
    status = info["B10"].value
    assert STATUS.match(status) and status.startswith(f"{labels.count('错误')} 个错误，{labels.count('警告')} 个警告")
    # The formulas of the template survive the round trip.
    total = wb.defined_names["NB.t3.total.total"].attr_text.split("!")[1].replace("$", "")
    assert str(t3[total].value).startswith("=")

    first = state(path)
    click(path, tmp_path / "b")  # the second click gives the same workbook
    second = state(path)
    assert second[0] == first[0] and second[1] == first[1] and second[3] == first[3]
    assert STATUS.match(second[2])


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_clean_report_says_so_and_fixing_removes_old_marks(tmp_path, fmt):
    path = make_workbook(tmp_path / f"c{fmt}.xlsx", fmt, broken=True)
    click(path, tmp_path / "a")
    assert fill(openpyxl.load_workbook(path)["表三"], "D6") == ERROR_FILL
    # The filer fixes every cell (here: writes the clean values into the same file).
    clean = openpyxl.load_workbook(make_workbook(tmp_path / "clean.xlsx", fmt, broken=False))
    wb = openpyxl.load_workbook(path)
    for name, dn in clean.defined_names.items():
        if name.startswith("NB.t"):
            sheet, addr = next(dn.destinations)
            wb[sheet][addr.replace("$", "")].value = clean[sheet][addr.replace("$", "")].value
    wb.save(path)
    actions, alerts = click(path, tmp_path / "b")
    assert [a["prompt"] for a in alerts] == ["校验通过：未发现错误或警告。"]
    rows, fills, status, ledger = state(path)
    assert rows == []
    assert status.startswith("未发现问题，校验于")
    assert ledger in (None, "")
    assert not [k for k, v in fills.items() if v in (ERROR_FILL, WARNING_FILL)]
    # A total cell that was marked gets the template's tint back, an input none.
    wb = openpyxl.load_workbook(path)
    total = wb.defined_names["NB.t3.total.natural"].attr_text.split("!")[1].replace("$", "")
    assert fill(wb["表三"], total) == TOTAL_FILL
    assert fill(wb["表三"], "D6") is None


def test_clear_marks_restores_everything(tmp_path):
    path = make_workbook(tmp_path / "m.xlsx", "2021", broken=True)
    template = state(make_workbook(tmp_path / "untouched.xlsx", "2021", broken=True))
    click(path, tmp_path / "a")
    click(path, tmp_path / "b", script="clear_marks")
    rows, fills, status, ledger = state(path)
    assert rows == [] and status is None and not ledger
    assert fills == template[1]


def test_ledger_lists_exactly_the_marked_cells(tmp_path):
    path = make_workbook(tmp_path / "l.xlsx", "2021", broken=True)
    click(path, tmp_path / "a")
    rows, fills, status, ledger = state(path)
    marked = {k for k, v in fills.items() if v in (ERROR_FILL, WARNING_FILL, "E4DFEC")}
    assert {c.location for c in mk.read_ledger(ledger)} == marked
    wb = openpyxl.load_workbook(path)
    assert wb["校验结果"].column_dimensions["H"].hidden


def test_input_file_is_never_touched_by_file_mode(tmp_path):
    from addin.cli import main

    path = make_workbook(tmp_path / "报告.xlsx", "2021", broken=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["mark", str(path)]) == 1  # errors found
    out = tmp_path / "报告-校验.xlsx"
    assert out.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert result_rows(openpyxl.load_workbook(out))
    assert main(["mark", str(path)]) == 2  # output exists, no --force
    assert main(["mark", str(path), "-o", str(path)]) == 2  # would overwrite the input
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert main(["mark", str(path), "-o", str(path), "--force"]) == 1
    assert result_rows(openpyxl.load_workbook(path))


def test_export_report_writes_the_document_next_to_the_workbook(tmp_path):
    import xlwings as xw

    from addin.excel import desktop

    path = make_workbook(tmp_path / "年报.xlsx", "2021", broken=False)
    (tmp_path / "calc").mkdir()
    values, _ = values_workbook(path, tmp_path / "calc", recalc=True)

    def press(name):
        # The desktop engine knows the workbook's full path; the payload's name carries it here.
        book = xw.Book(json=book_json(values, name=name))
        try:
            desktop.run_on(book, "export_report")  # what the add-in's 导出报告 button runs
            return book.json()["actions"]
        finally:
            book.close()

    actions = press(str(path))
    assert [a["func"] for a in actions] == ["alert"]
    assert actions[0]["args"][3] == "info" and "已导出" in actions[0]["args"][0]
    for suffix in ("年报.docx", "年报.html", "年报.json", "校验结果.json"):
        assert (tmp_path / f"年报-{suffix}").stat().st_size > 100
    # Without a saved file (a new workbook) the filer is told to save first.
    actions = press("工作簿1")
    assert [a["func"] for a in actions] == ["alert"] and "保存" in actions[0]["args"][0]


def test_mark_clear_in_file_mode(tmp_path):
    from addin.cli import main

    path = make_workbook(tmp_path / "年报.xlsx", "2019", broken=True)
    out = tmp_path / "年报-校验.xlsx"
    assert main(["mark", str(path)]) == 1
    assert result_rows(openpyxl.load_workbook(out))
    assert main(["mark", str(out), "--clear", "-o", str(out), "--force"]) == 0
    rows, fills, status, ledger = state(out)
    assert rows == [] and status is None and not ledger
    assert not [k for k, v in fills.items() if v in (ERROR_FILL, WARNING_FILL)]

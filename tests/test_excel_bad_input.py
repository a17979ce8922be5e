"""Bad input for the 校验 macro: a Chinese message in Excel, no traceback, and no
half-done writes — each case runs through xlwings' real dispatch on the remote engine
(values as Excel sends them, after a LibreOffice recalculation)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import openpyxl  # noqa: E402
import pytest  # noqa: E402
import xlwings as xw  # noqa: E402

from addin.examples import example_report  # noqa: E402
from addin.excel import desktop, macros  # noqa: E402
from addin.excel.bridge import apply_actions, book_json  # noqa: E402
from addin.excel.filemode import run_script, values_workbook  # noqa: E402
from addin.writers.workbook import write_workbook  # noqa: E402


pytestmark = pytest.mark.libreoffice


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "r.xlsx"
    write_workbook(example_report("2021"), path, force=True)
    return path


def values_of(wb):
    """What Excel sends: the workbook's values after recalculation (LibreOffice here)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.xlsx"
        wb.save(path)
        return values_workbook(path, Path(tmp), recalc=True)[0]


def run(wb, script="validate"):
    actions = run_script(book_json(values_of(wb), name="r.xlsx"), script)["actions"]
    alerts = apply_actions(wb, {"actions": actions})
    return actions, alerts


def rows(wb):
    return [r[:5] for r in wb["校验结果"].iter_rows(min_row=2, values_only=True) if any(r[:5])]


def only_alert(actions, alerts):
    assert [a["func"] for a in actions] == ["alert"]
    assert alerts[0]["mode"] == "critical" and "Traceback" not in alerts[0]["prompt"]
    return alerts[0]["prompt"]


def test_workbook_that_is_not_ours():
    wb = openpyxl.Workbook()
    wb.active["A1"] = "别的表格"
    prompt = only_alert(*run(wb))
    assert "不是年报助手模板生成的工作簿" in prompt


def test_not_ours_in_file_mode_writes_nothing(tmp_path):
    from addin.cli import main

    src = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(src)
    assert main(["mark", str(src), "--no-recalc"]) == 2
    assert not (tmp_path / "other-校验.xlsx").exists()


def test_renamed_sheet_is_followed_by_name(template):
    wb = openpyxl.load_workbook(template)
    wb["表三"].title = "表3（改名）"
    for dn in wb.defined_names.values():  # Excel rewrites the names when a sheet is renamed
        dn.attr_text = dn.attr_text.replace("'表三'!", "'表3（改名）'!")
    ws = wb["表3（改名）"]
    ws["D6"] = ws["D6"].value + 5
    actions, alerts = run(wb)
    assert not alerts
    assert any(r[3] == "T301" and "表3（改名）!D6" in r[2] for r in rows(wb))
    assert ws["D6"].fill.fgColor.rgb.endswith("FFC7CE")


def test_deleted_name_is_a_finding(template):
    wb = openpyxl.load_workbook(template)
    del wb.defined_names["NB.t3.new.natural"]
    run(wb)
    w001 = [r for r in rows(wb) if r[3] == "W001"]
    assert w001 and "NB.t3.new.natural" in w001[0][1] and w001[0][0] == "错误"


def test_name_pointing_to_a_deleted_row_is_a_finding(template):
    wb = openpyxl.load_workbook(template)
    wb.defined_names["NB.t4.review.upheld"].attr_text = "#REF!"
    run(wb)
    assert any(r[3] == "W002" and "NB.t4.review.upheld" in r[1] for r in rows(wb))


def test_text_in_number_cells(template):
    wb = openpyxl.load_workbook(template)
    wb["表二"]["B5"] = "约 12 件"
    run(wb)
    assert any(r[3] == "V001" and "约 12 件" in r[1] for r in rows(wb))


def test_deleted_findings_sheet_means_no_writes(template):
    wb = openpyxl.load_workbook(template)
    wb["表三"]["D6"] = 99
    del wb["校验结果"]
    prompt = only_alert(*run(wb))
    assert "校验结果" in prompt and "未作修改" in prompt
    assert wb["表三"]["D6"].fill.fill_type is None


def test_huge_pasted_range_on_the_findings_sheet_is_cleared(template):
    wb = openpyxl.load_workbook(template)
    ws = wb["校验结果"]
    for r in range(2, 5002):
        for c in range(1, 6):
            ws.cell(r, c, "粘贴")
    wb["表三"]["D6"] = 99
    run(wb)
    left = rows(wb)
    assert left and all(r[0] in ("错误", "警告", "提示") for r in left)
    assert not any("粘贴" in str(v) for r in left for v in r)


def test_unexpected_error_mid_write_sends_no_partial_writes(template, monkeypatch):
    wb = openpyxl.load_workbook(template)
    wb["表三"]["D6"] = 99

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(macros, "_clear_rows", broken)  # fails after the ledger was queued
    prompt = only_alert(*run(wb))
    assert "操作未完成，工作簿未作修改" in prompt and "磁盘已满" in prompt
    assert not rows(wb)


def test_broken_rule_overlay_is_reported(template, tmp_path, monkeypatch):
    bad = tmp_path / "overlay.json"
    bad.write_text("{ not json", encoding="utf-8")
    monkeypatch.setenv(macros.RULES_ENV, str(bad))
    prompt = only_alert(*run(openpyxl.load_workbook(template)))
    assert macros.RULES_ENV in prompt


def test_second_click_while_the_first_runs(template):
    wb = openpyxl.load_workbook(template)
    values = values_of(wb)
    book = xw.Book(json=book_json(values, name="r.xlsx"))
    try:
        with desktop.BookLock("r.xlsx") as first:
            assert first
            desktop.run_on(book, "validate")  # the second click
        actions = book.json()["actions"]
    finally:
        book.close()
    assert [a["func"] for a in actions] == ["alert"] and actions[0]["args"][0] == desktop.BUSY
    book = xw.Book(json=book_json(values, name="r.xlsx"))
    try:
        desktop.run_on(book, "validate")  # the lock is released afterwards
        assert len(book.json()["actions"]) > 3
    finally:
        book.close()


def test_typed_text_that_looks_like_a_formula_stays_text():
    from addin.excel.marks import as_text, location_cell

    assert as_text("=1+1") == " =1+1" and as_text("-3") == " -3" and as_text("表三") == "表三"
    assert location_cell(["t3.new.natural"]) == "t3.new.natural"
    assert location_cell(["'表 3'!D6"]) == '=HYPERLINK("#\'表 3\'!D6","\'表 3\'!D6")'


def test_long_messages_wrap(template):
    wb = openpyxl.load_workbook(template)
    wb["表三"]["D6"] = 99
    run(wb)
    assert wb["校验结果"]["B2"].alignment.wrap_text


def test_a_click_in_another_process_holds_the_workbook():
    """RunPython starts one Python process per click: the lock works across processes and
    is gone when the holding process ends."""
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom addin.excel.desktop import BookLock\n"
         "with BookLock('年报.xlsx') as ok:\n    print(ok, flush=True)\n    sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "True"
        with desktop.BookLock("年报.xlsx") as acquired:
            assert not acquired
    finally:
        child.communicate("\n", timeout=30)
    with desktop.BookLock("年报.xlsx") as acquired:
        assert acquired


def test_ledger_too_long_for_a_cell_restores_every_named_cell():
    from addin.excel import marks as mk

    many = {mk.Cell("表三", f"D{i}"): "error" for i in range(1, 3000)}
    assert mk.ledger_text(many) == mk.EVERYTHING
    restored = mk.read_ledger(mk.EVERYTHING, ["表三!D6", "正文!A5", "s1"])
    assert set(restored) == {mk.Cell("表三", "D6"), mk.Cell("正文", "A5")}
    assert mk.read_ledger("not json") == {} and mk.read_ledger('[["表三","D6","error"]]') == {mk.Cell("表三", "D6"): "error"}

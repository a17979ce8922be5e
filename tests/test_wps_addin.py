"""The WPS add-in (addin/wps/): its JavaScript under Node against the stand-in WPS
object model (addin/wps/tests/wps-model.js), checked against the Python side.

* Node's own unit tests of the add-in pass.
* The book JSON the add-in reads through the WPS object model gets the same actions
  from the macros as the book JSON :mod:`addin.excel.bridge` builds from the file.
* Those actions applied through the WPS object model leave the same 校验结果 rows,
  fills and names as :func:`addin.excel.bridge.apply_actions` on the file.
* End to end: the add-in clicks 校验 / 清除标记 / 填写说明 / 导出报告 against a real
  ``nianbao serve`` over loopback HTTP with an access key.
"""

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from addin.excel.bridge import _value_out, apply_actions, book_json
from addin.excel.filemode import run_script, values_workbook
from addin.excel import marks as mk

from test_excel_roundtrip import make_workbook

WPS = Path(__file__).parents[1] / "addin" / "wps"
node = shutil.which("node")
pytestmark = pytest.mark.skipif(node is None, reason="Node.js not installed")


def drive(mode: str, data: dict, tmp_path: Path) -> dict:
    src = tmp_path / f"{mode}-in.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run([node, str(WPS / "tests" / "drive.js"), mode, str(src)], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _fill(cell):
    f = cell.fill
    if f is None or f.fill_type != "solid" or not isinstance(f.fgColor.rgb, str):
        return None
    return "#" + f.fgColor.rgb[-6:].upper()


def describe(values_wb, styled_wb, name: str) -> dict:
    """The plain description wps-model.js builds its workbook from: the values WPS
    would hold (computed), the fills of the file, the defined names."""
    sheets = []
    for ws, styled in zip(values_wb.worksheets, styled_wb.worksheets):
        cells = {c.coordinate: _value_out(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
        fills = {c.coordinate: _fill(c) for row in styled.iter_rows() for c in row if _fill(c)}
        sheets.append({"name": ws.title, "cells": cells, "fills": fills})
    names = [{"name": dn.name, "refers_to": "=" + dn.attr_text} for dn in values_wb.defined_names.values()]
    return {"name": name, "sheets": sheets, "names": names}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wps")
    path = make_workbook(tmp / "年报.xlsx", "2021", broken=True)
    values = values_workbook(path, tmp, recalc=True)[0]
    return path, values, describe(values, openpyxl.load_workbook(path), path.name)


def test_node_unit_tests_pass():
    r = subprocess.run([node, "--test", str(WPS / "tests")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "# fail 0" in r.stdout and "# pass 9" in r.stdout


@pytest.mark.parametrize("script", ["main.js", "js/nianbao-wps.js", "js/ribbon.js", "js/config.js"])
def test_script_parses(script):
    r = subprocess.run([node, "--check", str(WPS / script)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr


def test_config_names_the_xlwings_version_of_the_server():
    import xlwings

    assert f'xlwingsVersion: "{xlwings.__version__}"' in (WPS / "js" / "config.js").read_text(encoding="utf-8")


@pytest.mark.libreoffice
@pytest.mark.parametrize("script", ["validate", "clear_marks", "show_help"])
def test_the_wps_book_json_gets_the_same_answer_as_the_file(broken, tmp_path, script):
    import xlwings

    path, values, desc = broken
    payload = drive("read", {"book": desc, "version": xlwings.__version__}, tmp_path)
    assert payload["client"] == "WPS" and [s["name"] for s in payload["sheets"]] == values.sheetnames
    ours = {n["name"]: (n["sheet_index"], n["address"]) for n in payload["names"]}
    theirs = {n["name"]: (n["sheet_index"], n["address"]) for n in book_json(values)["names"]}
    assert ours == theirs and len(ours) > 100
    expected = run_script(book_json(values, name=path.name), script)["actions"]
    got = run_script(payload, script)["actions"]
    assert got == expected and got


def _sheet_state(ws):
    cells = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    fills = {c.coordinate: _fill(c) for row in ws.iter_rows() for c in row if _fill(c)}
    return cells, fills


@pytest.mark.libreoffice
def test_actions_applied_through_wps_match_the_file(broken, tmp_path):
    path, values, desc = broken
    result = run_script(book_json(values, name=path.name), "validate")
    out = drive("apply", {"book": desc, "result": result}, tmp_path)
    state = {s["name"]: s for s in out["state"]["sheets"]}

    wb = openpyxl.load_workbook(path)
    apply_actions(wb, result)
    results_cells, _ = _sheet_state(wb["校验结果"])
    wps_results = state["校验结果"]
    for address, value in results_cells.items():
        assert wps_results["cells"].get(address) == value, address
    assert len(results_cells) > 20 and any(v == "错误" for v in results_cells.values())
    for ws in wb.worksheets:
        _, fills = _sheet_state(ws)
        assert state[ws.title]["fills"] == fills, ws.title
    assert mk.FILLS["error"].lstrip("#").upper() in "".join(state["表三"]["fills"].values()).replace("#", "")
    assert {"name": "NB.marks", "refers_to": "='校验结果'!$H$1", "scope": None} in out["state"]["names"]
    assert state["校验结果"]["hidden_columns"] == ["H"]
    assert out["state"]["active"] == wb.sheetnames.index("校验结果")


@pytest.mark.libreoffice
def test_clicks_against_a_real_server(broken, tmp_path, start_server):
    import xlwings

    path, values, desc = broken
    key = "k" * 40
    base, _ = start_server({"NIANBAO_API_KEY": key})
    common = {"book": desc, "server": base, "key": key, "version": xlwings.__version__}

    out = drive("click", {**common, "clicks": ["validate", "validate"]}, tmp_path)
    assert [r["headers"]["Authorization"] for r in out["requests"]] == [f"Bearer {key}"] * 2
    results = {s["name"]: s for s in out["state"]["sheets"]}["校验结果"]
    rows = sorted({int(a[1:]) for a in results["cells"] if a[0] == "A" and a[1:].isdigit()} - {1})
    levels = [results["cells"][f"A{r}"] for r in rows]
    assert "错误" in levels and "警告" in levels
    assert all(results["fills"][f"A{r}"] == mk.FILLS[{"错误": "error", "警告": "warning", "提示": "info"}[lv]].upper()
               for r, lv in zip(rows, levels))
    t3 = {s["name"]: s for s in out["state"]["sheets"]}["表三"]
    assert mk.FILLS["error"].upper() in t3["fills"].values()
    assert not [a for a in out["alerts"] if a.get("mode") == "critical"]

    cleared = drive("click", {**common, "book": out["state"], "clicks": ["clear_marks", "show_help"]}, tmp_path)
    after = {s["name"]: s for s in cleared["state"]["sheets"]}
    assert not [a for a in after["校验结果"]["cells"] if a[0] == "A" and a[1:].isdigit() and int(a[1:]) > 1]
    assert mk.FILLS["error"].upper() not in after["表三"]["fills"].values()
    assert cleared["state"]["active"] == [s["name"] for s in cleared["state"]["sheets"]].index("填写说明")

    exported = drive("click", {**common, "clicks": ["export"]}, tmp_path)
    url = next(a["open"] for a in exported["alerts"] if "open" in a)
    done = next(a["text"] for a in exported["alerts"] if "text" in a)
    # The download itself is the server's one-time link (tested in test_server_app.py).
    assert url.startswith(base + "/nianbao/download/") and ".docx" in done and "-年报.json" in done

    wrong = drive("click", {**common, "key": "wrong", "clicks": ["validate"]}, tmp_path)
    assert wrong["alerts"][0]["mode"] == "critical" and "访问密钥" in wrong["alerts"][0]["text"]
    # nothing applied:
    assert {s["name"]: s["fills"] for s in wrong["state"]["sheets"]} == {s["name"]: s.get("fills", {})
                                                                       for s in desc["sheets"]}
    old = drive("click", {**common, "version": "0.30.0", "clicks": ["validate"]}, tmp_path)
    assert old["alerts"][0]["mode"] == "critical" and "版本（0.30.0）与服务器" in old["alerts"][0]["text"]


def test_build_writes_the_layout_wps_loads(tmp_path):
    import py7zr
    from lxml import etree

    from addin.cli import main
    from addin.wps import FILES

    out = tmp_path / "wps"
    assert main(["addin", "build", "--wps", "-o", str(out), "--server", "https://nb.example.gov.cn:8443/",
                 "--key", "k-123", "--publish-url", "http://10.0.0.9/wps/"]) == 0
    folder = next(p for p in out.glob("nianbao_*") if p.is_dir())
    assert folder.is_dir() and sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == sorted(FILES)
    config = (folder / "js" / "config.js").read_text(encoding="utf-8")
    assert 'server: "https://nb.example.gov.cn:8443"' in config and 'key: "k-123"' in config
    with py7zr.SevenZipFile(out / f"{folder.name}.7z") as z:
        assert f"{folder.name}/ribbon.xml" in z.getnames() and f"{folder.name}/js/nianbao-wps.js" in z.getnames()
    plugin = etree.parse(str(out / "jsplugins.xml")).getroot()[0]
    assert plugin.get("url") == f"http://10.0.0.9/wps/{folder.name}.7z" and plugin.get("type") == "et"
    local = etree.parse(str(out / "publish.xml")).getroot()[0]
    assert local.get("url") == folder.name and local.get("name") == "nianbao"
    assert main(["addin", "build", "--wps", "-o", str(out)]) == 2  # exists: refused without --force
    assert main(["addin", "build", "--wps", "-o", str(out), "--server", "nb.example"]) == 2


def test_every_ribbon_button_is_wired():
    from lxml import etree

    ns = {"c": "http://schemas.microsoft.com/office/2006/01/customui"}
    root = etree.parse(str(WPS / "ribbon.xml")).getroot()
    assert root.get("onLoad") == "ribbon.OnAddinLoad"
    assert root.find(".//c:tab", ns).get("label") == "政务公开年报"
    buttons = {b.get("id"): b.get("label") for b in root.iterfind(".//c:button", ns)}
    assert {"校验", "清除标记", "导出报告", "填写说明"} <= set(buttons.values())
    for button_id in buttons:  # what each button does: addin/wps/tests/ribbon.test.js
        assert (WPS / "images" / f"{button_id}.svg").is_file()
    for b in root.iterfind(".//c:button", ns):
        assert b.get("onAction") == "ribbon.OnAction" and b.get("getImage") == "ribbon.GetImage"


def test_the_server_allows_the_offline_add_in_cross_origin(start_server):
    import urllib.request

    base, _ = start_server()
    req = urllib.request.Request(base + "/xlwings/custom-scripts-call/validate", method="OPTIONS", headers={
        "Origin": "null", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200 and r.headers["access-control-allow-origin"] == "null"


@pytest.mark.libreoffice
def test_every_action_of_every_button_matches_the_file(broken, tmp_path):
    """校验 twice (the second run restores the first's marks), 清除标记, 填写说明, and a
    workbook that is not ours (a message box): each step's actions applied through WPS and
    through openpyxl, the states compared after each step."""
    import xlwings

    path, values, desc = broken
    wb = openpyxl.load_workbook(path)
    state = desc
    emitted = set()
    for script in ("validate", "validate", "clear_marks", "show_help"):
        payload = drive("read", {"book": state, "version": xlwings.__version__}, tmp_path)
        result = run_script(payload, script)
        emitted |= {a["func"] for a in result["actions"]}
        out = drive("apply", {"book": state, "result": result}, tmp_path)
        apply_actions(wb, result)
        state = out["state"]
        wps = {s["name"]: s for s in state["sheets"]}
        for ws in wb.worksheets:
            cells, fills = _sheet_state(ws)
            assert wps[ws.title]["fills"] == fills, (script, ws.title)
            if ws.title == "校验结果":
                assert {a: v for a, v in wps[ws.title]["cells"].items()} == cells, script
    not_ours = run_script(book_json(openpyxl.Workbook(), name="x.xlsx"), "validate")
    out = drive("apply", {"book": {"name": "x.xlsx", "sheets": [{"name": "Sheet"}]}, "result": not_ours}, tmp_path)
    emitted |= {a["func"] for a in not_ours["actions"]}
    assert out["alerts"] and "年报助手" in out["alerts"][0]["text"] and out["alerts"][0]["mode"] == "critical"
    assert emitted >= {"setValues", "setRangeColor", "setWrapText", "setColumnHidden", "namesAdd",
                       "rangeClearContents", "activateSheet", "alert"}, emitted

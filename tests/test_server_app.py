"""The xlwings Server app of the Office.js add-in, in-process (FastAPI TestClient):
manifest, script calls applied back to the real template, custom functions, the task
pane's findings list and export, and the API key."""

import io
import os
import time
import zipfile
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import openpyxl  # noqa: E402
import pytest  # noqa: E402
from lxml import etree  # noqa: E402

from addin.server.app import configure  # noqa: E402

configure()

from fastapi.testclient import TestClient  # noqa: E402

from addin.examples import example_report  # noqa: E402
from addin.excel.bridge import apply_actions, book_json  # noqa: E402
from addin.excel.filemode import values_workbook  # noqa: E402
from addin.server.app import app  # noqa: E402

from test_excel_roundtrip import broken_values, make_workbook  # noqa: E402

RIBBON_JS = Path(__file__).parents[1] / "addin" / "server" / "static" / "js" / "ribbon.js"
NS = {"o": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
      "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0"}


@pytest.fixture(scope="module")
def client():
    return TestClient(app())


def recalculated(tmp, fmt, broken):
    path = make_workbook(tmp / "r.xlsx", fmt, broken=broken)
    return path, book_json(values_workbook(path, tmp, recalc=True)[0], name="r.xlsx")


@pytest.fixture(scope="module")
def broken_2021(tmp_path_factory):
    return recalculated(tmp_path_factory.mktemp("srv"), "2021", True)


def test_manifest_has_the_ribbon_and_every_button_is_wired(client):
    r = client.get("/manifest")
    assert r.status_code == 200
    root = etree.fromstring(r.content)
    strings = {s.get("id"): s.get("DefaultValue") for s in root.iterfind(".//bt:ShortStrings/bt:String", NS)}
    assert strings["Tab.Label"] == "政务公开年报"
    assert {strings[k] for k in ("ValidateButton.Label", "ClearButton.Label", "ExportButton.Label",
                                 "HelpButton.Label")} == {"校验", "清除标记", "导出报告", "填写说明"}
    assert strings["Functions.Namespace"] == "NIANBAO"
    functions = [f.text for f in root.iterfind(".//o:FunctionName", NS)]
    ribbon_js = RIBBON_JS.read_text(encoding="utf-8")
    assert functions and all(f'associate("{f}"' in ribbon_js for f in functions)
    assert client.get("/static/js/ribbon.js").text == ribbon_js  # ours, not xlwings' sample
    for script in ("auth.js", "nianbao-core.js", "taskpane.js"):
        assert client.get(f"/static/js/{script}").text == (RIBBON_JS.parent / script).read_text(encoding="utf-8")
    pane = client.get("/taskpane.html").text
    assert "nianbao-core.js" in pane and 'id="nb-findings"' in pane and "问题" in pane
    defined = {e.get("id") for e in root.iter() if e.get("id") and e.tag.startswith("{%s}" % NS["bt"])}
    used = {e.get("resid") for e in root.iter() if e.get("resid")}
    assert used and used <= defined, used - defined  # every resid points to a resource
    for s in root.iterfind(".//bt:ShortStrings/bt:String", NS):
        assert len(s.get("DefaultValue")) <= 125
    for s in root.iterfind(".//bt:LongStrings/bt:String", NS):
        assert len(s.get("DefaultValue")) <= 250
    d = client.get("/manifest/download")
    assert d.status_code == 200 and "attachment" in d.headers["content-disposition"]


def test_script_names_used_by_the_ribbon_exist(client):
    meta = {m["function_name"] for m in client.get("/xlwings/custom-scripts-meta.json").json()}
    ribbon_js = RIBBON_JS.read_text(encoding="utf-8")
    import re

    used = set(re.findall(r'runner\.run\("(\w+)"', ribbon_js))
    assert used and used <= meta


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_validate_through_the_server_marks_the_workbook(client, tmp_path, fmt):
    path, payload = recalculated(tmp_path, fmt, True)
    started = time.perf_counter()
    r = client.post("/xlwings/custom-scripts-call/validate", json=payload)
    elapsed = time.perf_counter() - started
    assert r.status_code == 200, r.text
    wb = openpyxl.load_workbook(path)
    alerts = apply_actions(wb, r.json())
    assert not alerts
    rows = [row[:4] for row in wb["校验结果"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert rows[0][0] == "错误" and {"V001", "T301"} <= {row[3] for row in rows}
    assert wb["表三"]["D6"].fill.fgColor.rgb.endswith("FFC7CE")
    assert wb["基本信息"]["B10"].value.startswith(f"{sum(1 for x in rows if x[0] == '错误')} 个错误")
    assert elapsed < 5, f"one 校验 call took {elapsed:.2f}s"
    print(f"validate via TestClient ({fmt}): {elapsed * 1000:.0f} ms, {len(r.json()['actions'])} actions")
    wb.save(path)  # second click on the saved result: same rows, same colours
    again = client.post("/xlwings/custom-scripts-call/validate",
                        json=book_json(values_workbook(path, tmp_path / "b", recalc=True)[0], name="r.xlsx"))
    wb2 = openpyxl.load_workbook(path)
    apply_actions(wb2, again.json())
    rows2 = [row[:4] for row in wb2["校验结果"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert rows2 == rows
    assert wb2["表三"]["D6"].fill.fgColor.rgb == wb["表三"]["D6"].fill.fgColor.rgb


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_clean_report_through_the_server(client, tmp_path, fmt):
    path, payload = recalculated(tmp_path, fmt, False)
    r = client.post("/xlwings/custom-scripts-call/validate", json=payload)
    wb = openpyxl.load_workbook(path)
    alerts = apply_actions(wb, r.json())
    assert [a["prompt"] for a in alerts] == ["校验通过：未发现错误或警告。"]
    assert wb["基本信息"]["B10"].value.startswith("未发现问题")
    assert not [row for row in wb["校验结果"].iter_rows(min_row=2, values_only=True) if row[0]]


@pytest.mark.libreoffice
def test_findings_list_and_export(client, broken_2021):
    _, payload = broken_2021
    r = client.post("/nianbao/findings", json=payload)
    assert r.status_code == 200
    data = r.json()
    assert data["summary"]["error"] >= 3
    first = data["findings"][0]
    assert first["severity"] == "error" and first["sheet"] and first["address"]
    assert payload["sheets"][first["sheet_index"]]["name"] == first["sheet"]
    e = client.post("/nianbao/export", json=payload)
    assert e.status_code == 200
    got = client.get(e.json()["url"])
    assert got.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(got.content)).namelist()
    assert {"r-年报.json", "r-校验结果.json", "r-年报.docx", "r-年报.html"} <= set(names)
    assert client.get(e.json()["url"]).status_code == 404  # one download only


def test_not_our_workbook_gives_a_chinese_message(client):
    payload = book_json(openpyxl.Workbook(), name="x.xlsx")
    r = client.post("/xlwings/custom-scripts-call/validate", json=payload)
    assert r.status_code == 200
    (action,) = r.json()["actions"]
    assert action["func"] == "alert" and "不是年报助手模板" in action["args"][0]
    assert client.post("/nianbao/findings", json=payload).status_code == 422


def _grids(fmt, values):
    """The three table sheets as A1-anchored grids, as Excel passes ranges to a function."""
    from addin.formats import load_format
    from addin.layout import template_locations
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    spec = load_format(fmt)
    grids = {t.sheet: [[""] * 16 for _ in range(40)] for t in spec.tables}
    for key, loc in template_locations(spec).items():
        sheet, addr = loc.split("!")
        col, row = coordinate_from_string(addr)
        v = values.get(key, "")
        grids[sheet][row - 1][column_index_from_string(col) - 1] = v
    return [grids[t.sheet] for t in spec.tables]


def _call(client, func, args):
    data = {"func_name": func, "args": args, "caller_address": "校验结果!G2", "formatted_args": [],
            "version": "0.37.8", "runtime": "1.4", "culture_info_name": "zh-CN", "date_format": "yyyy/m/d"}
    r = client.post("/xlwings/custom-functions-call", json=data)
    assert r.status_code == 200, r.text
    return r.json()["result"]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_custom_function_check(client, fmt):
    clean = _call(client, "check", _grids(fmt, example_report(fmt).to_json()["values"]) + [fmt])
    assert clean == [["未发现问题", "", "", ""]]
    rows = _call(client, "check", _grids(fmt, broken_values(fmt)) + [fmt])
    assert rows[0][0] == "错误" and {"V001", "T301"} <= {r[3] for r in rows}
    assert any("表三!D6" in r[2] for r in rows)


def test_custom_function_section_text(client):
    values = example_report("2021").to_json()["values"]
    text = _call(client, "section", ["s3"] + _grids("2021", values) + ["2021"])
    flat = text[0][0] if isinstance(text, list) else text
    assert str(values["t3.new.total"]) in flat and "申请" in flat


def test_api_key_is_enforced_when_set(client, monkeypatch):
    from xlwings_server.config import settings

    monkeypatch.setenv("NIANBAO_API_KEY", "s3cret-key")
    monkeypatch.setattr(settings, "auth_providers", ["custom"])
    payload = book_json(openpyxl.Workbook(), name="x.xlsx")
    assert client.post("/xlwings/custom-scripts-call/validate", json=payload).status_code == 401
    assert client.post("/nianbao/findings", json=payload,
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = client.post("/xlwings/custom-scripts-call/validate", json=payload,
                     headers={"Authorization": "Bearer s3cret-key"})
    assert ok.status_code == 200
    assert client.get("/manifest").status_code == 200  # Excel fetches the manifest without a key

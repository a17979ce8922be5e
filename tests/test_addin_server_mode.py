"""The desktop add-in's server mode, server side: exactly the request nianbao.xlam's VBA
sends (xlwings' ``RunServerPython`` in module Remote, serialised by VBA-Web's
``ConvertToJson``, with VBA-Web's headers and the access key as the Authorization
header), over real loopback HTTP to a real ``nianbao serve``; every action in the answer
must be a ``Sub <func>(wb As Workbook, action As Dictionary)`` of the add-in's own Remote
module (VBA runs them with ``Application.Run action("func"), wb, action``), and applied
they give the same 校验结果 as the other routes.

The request is built here by following Remote.bas statement by statement on a workbook
recalculated by LibreOffice (the values Excel holds), not by the project's Office.js
bridge, so a difference between the two clients shows up here.
"""

import datetime as dt
import json
import re
import urllib.error
import urllib.request

import openpyxl
import pytest
import xlwings

from addin.excel.addin_check import vba_modules
from addin.excel.bridge import apply_actions
from addin.excel.filemode import values_workbook
from addin.writers.workbook import write_workbook
from tests.test_excel_roundtrip import broken_values, result_rows

pytestmark = pytest.mark.libreoffice

KEY = "k" * 40
ROOT = __import__("pathlib").Path(__file__).parents[1]
XLAM = ROOT / "workbook_templates" / "nianbao.xlam"


# -- the VBA client, as Remote.bas + WebHelpers.ConvertToJson + WebRequest.Prepare do it ----


def vba_json(v) -> str:
    """VBA-Web's ConvertToJson: no whitespace, keys in insertion order, every character
    below 32 or above 126 as an upper-case \\uXXXX escape, numbers via CStr, Empty → null."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v)).upper()
    if isinstance(v, dt.datetime):  # WebHelpers.ConvertToIso: UTC, milliseconds
        return '"' + v.strftime("%Y-%m-%dT%H:%M:%S.000Z") + '"'
    if isinstance(v, str):
        out = []
        for ch in v:
            code = ord(ch)
            out.append({34: '\\"', 92: "\\\\", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t"}.get(code)
                       or (f"\\u{code:04X}" if code < 32 or code >= 127 else ch))
        return '"' + "".join(out) + '"'
    if isinstance(v, dict):
        return "{" + ",".join(vba_json(k) + ":" + vba_json(x) for k, x in v.items()) + "}"
    return "[" + ",".join(vba_json(x) for x in v) + "]"


def vba_payload(wb, name: str) -> dict:
    """RunServerPython's payload for an openpyxl workbook holding Excel's values."""
    names = []
    for dn in wb.defined_names.values():  # wb.Names: only names with a RefersToRange
        dests = list(dn.destinations)
        if len(dests) != 1 or dests[0][0] not in wb.sheetnames or "#REF" in (dn.attr_text or ""):
            continue
        title, address = dests[0]
        names.append({"name": dn.name, "sheet_index": wb.sheetnames.index(title),
                      "address": address.replace("$", ""), "book_scope": True,
                      "scope_sheet_name": None, "scope_sheet_index": None})
    sheets = []
    for ws in wb.worksheets:
        if ws.max_row == 1 and ws.max_column == 1 and ws["A1"].value is None:
            values = [[]]  # IsEmpty(UsedRange.Value)
        else:  # Range(Cells(1, 1), last cell of the UsedRange).Value
            values = [list(r) for r in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column,
                                                    values_only=True)]
        sheets.append({"name": ws.title, "pictures": [], "tables": [], "values": values})
    return {"client": "VBA", "version": xlwings.__version__,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
            "names": names, "sheets": sheets}


def vba_post(base: str, script: str, payload: dict, key: str | None):
    """WebClient.Execute of the request RunServerPython prepares."""
    body = vba_json(payload).encode("ascii")  # ConvertToJson escapes everything non-ASCII
    headers = {"User-Agent": "VBA-Web v4.1.6 (https://github.com/VBA-tools/VBA-Web)",
               "Accept": "application/json", "Content-Type": "application/json",
               "Content-Length": str(len(body))}
    if key:
        headers["Authorization"] = key  # RunServerPython: myRequest.AddHeader "Authorization", auth
    # the URL RibbonMyAddin builds: NIANBAO_SERVER & SCRIPTS_PATH & action
    req = urllib.request.Request(base + ribbon_scripts_path() + script, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


# -- what the add-in's VBA can run -----------------------------------------------------------


def remote_subs() -> dict[str, str]:
    """Subs VBA can run as actions — ``Sub name(wb As Workbook, action As Dictionary)`` in
    any standard module of the add-in (Remote, NianbaoActions) — name → body."""
    out = {}
    for module, source in vba_modules(XLAM).items():
        for name, body in re.findall(r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)\r?\n(.*?)^End Sub",
                                     source, re.M | re.S):
            assert name not in out, f"ambiguous action Sub {name}"
            out[name] = body
    return out


def assert_vba_can_run(actions):
    subs = remote_subs()
    missing = {a["func"] for a in actions} - set(subs)
    assert not missing, f"actions the VBA client cannot run: {missing}"
    for a in actions:
        for i, x in enumerate(a["args"] or [], start=1):  # JSON null arrives as VBA Null
            used = f'action("args")({i})'
            if x is None and used in subs[a["func"]]:
                assert f"IsNull({used})" in subs[a["func"]], f"{a['func']} does not handle a null argument {i}"


def ribbon_scripts_path() -> str:
    """The path RibbonMyAddin's server mode appends to NIANBAO_SERVER (read from the built
    add-in's VBA), after checking it calls RunServerPython with the key as ``auth``."""
    ribbon = vba_modules(XLAM)["RibbonMyAddin"]
    path = re.search(r'SCRIPTS_PATH As String = "([^"]+)"', ribbon).group(1)
    call = re.search(r"RunServerPython server & SCRIPTS_PATH & action, auth:=(\w+)", ribbon)
    assert call, "RibbonMyAddin no longer calls RunServerPython as this test models it"
    return path


@pytest.fixture(scope="module")
def workbook_values(tmp_path_factory):
    from addin.examples import example_report
    from addin.model import Report

    tmp = tmp_path_factory.mktemp("srv")
    rep = example_report("2021")
    rep = Report.from_values("2021", broken_values("2021"), year=rep.year, agency=rep.agency,
                             contact=rep.contact, sections=rep.sections)
    path = tmp / "年报.xlsx"
    write_workbook(rep, path, force=True)
    values, recalculated = values_workbook(path, tmp, recalc=True)
    assert recalculated
    saved = tmp / "values.xlsx"
    values.save(saved)
    return path, saved


@pytest.fixture(scope="module")
def server():
    """One real ``nianbao serve`` with an access key for the module."""
    from tests.conftest import serving

    with serving({"NIANBAO_API_KEY": KEY}) as (base, _):
        yield base


def test_vba_validate_request_gets_actions_the_vba_can_run(server, workbook_values):
    path, saved = workbook_values
    values = openpyxl.load_workbook(saved)
    status, answer = vba_post(server, "validate", vba_payload(values, path.name), KEY)
    assert status == 200, answer
    funcs = [a["func"] for a in answer["actions"]]
    assert "setValues" in funcs and "setRangeColor" in funcs
    assert_vba_can_run(answer["actions"])
    for a in answer["actions"]:  # what Remote.bas reads from each action
        assert {"func", "sheet_position", "start_row", "start_column", "row_count", "column_count", "args"} <= set(a)
    wb = openpyxl.load_workbook(path)
    apply_actions(wb, answer)
    rows = result_rows(wb)
    assert rows and any("表三" in str(r) for r in rows), rows


def test_vba_clear_and_help_requests(server, workbook_values):
    path, saved = workbook_values
    values = openpyxl.load_workbook(saved)
    status, answer = vba_post(server, "validate", vba_payload(values, path.name), KEY)
    apply_actions(values, answer)  # Excel now holds the marked workbook
    for script in ("clear_marks", "show_help"):
        status, answer = vba_post(server, script, vba_payload(values, path.name), KEY)
        assert status == 200, (script, answer)
        assert_vba_can_run(answer["actions"])
        if script == "clear_marks":
            assert ["setRangeColor", [None]] in [[a["func"], a["args"]] for a in answer["actions"]]
    assert [a["func"] for a in answer["actions"]] == ["activateSheet"]


@pytest.mark.parametrize("key", [None, "wrong-key", "Bearer " + "x" * 40])
def test_vba_request_without_the_right_key_is_refused(server, workbook_values, key):
    path, saved = workbook_values
    values = openpyxl.load_workbook(saved)
    status, answer = vba_post(server, "validate", vba_payload(values, path.name), key)
    assert status == 401
    assert "访问密钥" in json.dumps(answer, ensure_ascii=False)  # RunServerPython shows the content in a MsgBox


def test_vba_json_matches_vba_web_escaping():
    assert vba_json({"a": [None, 1.0, 2.5, True, "年/\""]}) == '{"a":[null,1,2.5,true,"\\u5E74/\\""]}'

"""Static checks of the desktop add-in workbook_templates/nianbao.xlam — everything that
can be verified without Excel: reproducible build, ribbon structure, every onAction
reaching a VBA Sub (read back with olevba), the VBA's xlwings version, and the MS-OVBA /
MS-CFB writers it is built with."""

import io
import random
import re
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings
from lxml import etree
from oletools.olevba import decompress_stream

from addin.excel import addin_build, cfb, ovba
from addin.excel.addin_check import _check_ui, check, vba_modules

ROOT = Path(__file__).parents[1]
XLAM = ROOT / "workbook_templates" / "nianbao.xlam"


def test_committed_addin_equals_a_fresh_build():
    assert XLAM.read_bytes() == addin_build.build_bytes(), "run: nianbao addin build --force"


def test_committed_addin_passes_every_static_check():
    assert check(XLAM) == []


def test_quickstart_addin_fails_the_checks():
    problems = check(addin_build.quickstart_addin())
    assert any("PROJECT_NAME" in p for p in problems) and any("addin.excel.desktop" in p for p in problems)


def test_ribbon_labels_and_actions():
    with zipfile.ZipFile(XLAM) as z:
        root = etree.fromstring(z.read("customUI/customUI.xml"))
        rels = z.read("_rels/.rels").decode()
    ns = {"c": "http://schemas.microsoft.com/office/2006/01/customui"}
    assert root.find(".//c:tab", ns).get("label") == "政务公开年报"
    buttons = {b.get("label"): b.get("onAction") for b in root.iterfind(".//c:button", ns)}
    assert set(buttons) == {"校验", "清除标记", "导出报告", "填写说明"}
    assert len(set(buttons.values())) == 4  # each button its own procedure
    assert "2006/relationships/ui/extensibility" in rels


def test_every_onaction_reaches_its_own_python_action():
    modules = vba_modules(XLAM)
    ribbon = modules["RibbonMyAddin"]
    with zipfile.ZipFile(XLAM) as z:
        root = etree.fromstring(z.read("customUI/customUI.xml"))
    from addin.excel.desktop import ACTIONS

    reached = set()
    for b in root.iter("{*}button"):
        proc = b.get("onAction").split(".")[1]
        body = re.search(rf"Sub {proc}\(control As IRibbonControl\)\s*\n(.*?)End Sub", ribbon, re.S)
        assert body, proc
        action = re.search(r'RunNianbao "(\w+)"', body.group(1)).group(1)
        assert action in ACTIONS
        reached.add(action)
    assert reached == set(ACTIONS)


def test_broken_ribbon_is_caught():
    bad = b'<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"><ribbon><tabs>' \
          b'<tab id="t" label="x"><group id="g" label="y"><button id="b" label="z" onAction="M.P" colour="red"/>' \
          b'<button id="b" label="w" onAction="M.Q"/></group></tab></tabs></ribbon></customUI>'
    problems, actions = _check_ui(bad, "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility")
    assert any("colour" in p for p in problems) and any("重复" in p for p in problems)
    assert _check_ui(b"<customUI", "")[0]


def test_vba_version_equals_the_pinned_xlwings():
    runtime = vba_modules(XLAM)["xlwings"]
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in runtime
    pin = re.search(r'"xlwings==([^"]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert pin == xlwings.__version__


def test_only_the_intended_vba_changed():
    before = ovba.module_sources(ovba.read_streams(_vba_of(addin_build.quickstart_addin())))
    after = ovba.module_sources(ovba.read_streams(_vba_of(XLAM)))
    added = set(after) - set(before)
    assert added == set(addin_build.REMOTE_MODULES) | {"NianbaoActions"}
    for name in ("ThisWorkbook", "Dictionary", "Sheet2"):
        assert after[name] == before[name]
    changed = [(a, b) for a, b in zip(before["xlwings"].splitlines(), after["xlwings"].splitlines()) if a != b]
    assert changed == [('Public Const PROJECT_NAME As String = "myaddin"',
                        'Public Const PROJECT_NAME As String = "nianbao"')]
    for name in ("RibbonMyAddin", "NianbaoActions"):
        source = (ROOT / "addin" / "vba" / f"{name}.bas").read_text(encoding="utf-8")
        assert after[name].replace("\r\n", "\n") == addin_build.vba_text(source).replace("\r\n", "\n")
    xl = Path(xlwings.__file__).parent / "addin"
    for name, kind in addin_build.REMOTE_MODULES.items():
        exported = (xl / (name + (".bas" if kind == ovba.PROCEDURAL else ".cls"))).read_text(encoding="ascii")
        body = exported if kind == ovba.PROCEDURAL else exported.split("\nEND\n", 1)[1]
        got = after[name].replace("\r\n", "\n")
        if name == "Remote":  # the one documented change
            got = got.replace(addin_build.REMOTE_PATCH[1], addin_build.REMOTE_PATCH[0])
        code = [line for line in body.splitlines() if not line.startswith("Attribute ")]
        assert [line for line in got.splitlines() if not line.startswith("Attribute ")] == code, name


def test_class_modules_are_stored_as_office_stores_them():
    before = ovba.module_sources(ovba.read_streams(_vba_of(addin_build.quickstart_addin())))
    dictionary = (Path(xlwings.__file__).parent / "addin" / "Dictionary.cls").read_text(encoding="ascii")
    stored = [line for line in before["Dictionary"].splitlines() if line.startswith("Attribute ")]
    ours = [line for line in addin_build.class_source(dictionary).splitlines() if line.startswith("Attribute ")]
    assert ours == stored


def test_chinese_literals_become_zh_calls():
    src = 'Function Zh(u)\nEnd Function\nSub A()\n    MsgBox "校验 OK" & x, 0, "年报"\nEnd Sub\n'
    out = addin_build.vba_text(src)
    assert 'MsgBox Zh("68219A8C") & " OK" & x, 0, Zh("5E7462A5")' in out and out.isascii()
    with pytest.raises(ValueError):
        addin_build.vba_text("' 中文注释\nFunction Zh(u)\nEnd Function\n")
    with pytest.raises(ValueError):  # no Zh function in the module
        addin_build.vba_text('Sub A()\n    MsgBox "中"\nEnd Sub\n')


def test_added_modules_are_in_dir_project_and_name_map():
    streams = ovba.read_streams(_vba_of(XLAM))
    records = ovba.parse_dir(ovba.decompress(streams[("VBA", "dir")]))
    names = [m.name for m in ovba.modules(records)]
    count = next(r for r in records if r.rid == 0x0F)
    assert len(names) == int.from_bytes(count.data, "little") == 12
    project = streams[("PROJECT",)].decode("cp1252")
    for name, kind in addin_build.REMOTE_MODULES.items():
        assert f"{'Module' if kind == ovba.PROCEDURAL else 'Class'}={name}\r\n" in project
        assert name.encode() + b"\x00" + name.encode("utf-16-le") + b"\x00\x00" in streams[("PROJECTwm",)]
    assert "Module=NianbaoActions\r\n" in project


def test_static_checks_fire_on_broken_vba(tmp_path, monkeypatch):
    from addin.excel import addin_check

    modules = vba_modules(XLAM)
    classes = addin_check.class_module_names(XLAM)
    assert addin_check.unresolved_calls(modules, classes) == []
    no_helpers = {k: v for k, v in modules.items() if k != "WebHelpers"}
    assert any("Base64Decode" in p for p in addin_check.unresolved_calls(no_helpers, classes))
    assert any("WebClient" in p for p in addin_check.unresolved_calls(modules, classes - {"WebClient"}))
    extra = "\r\nFunction GetRange(wb, action)\r\nEnd Function\r\n"
    twice = dict(modules, NianbaoActions=modules["NianbaoActions"] + extra)
    assert any("歧义" in p for p in addin_check.unresolved_calls(twice, classes))
    procs = {p for src in modules.values() for p in addin_check.procedures(src)}
    assert addin_check.own_module_problems(modules["RibbonMyAddin"], procs) == []
    typo = modules["RibbonMyAddin"].replace("RunServerPython server", "RunServerPyton server")
    assert addin_check.own_module_problems(typo, procs) == ["RunServerPyton"]


def test_unguarded_ribbon_is_caught(tmp_path, monkeypatch):
    """A ribbon module that calls RunPython without the no-workbook guard fails the check."""
    source = (ROOT / "addin" / "vba" / "RibbonMyAddin.bas").read_text(encoding="utf-8")
    unguarded = source.replace("    If NoWorkbook() Then Exit Sub\n", "")
    assert unguarded != source
    monkeypatch.setattr(addin_build, "vba_sources", lambda: {
        "RibbonMyAddin": addin_build.vba_text(unguarded),
        "NianbaoActions": (ROOT / "addin" / "vba" / "NianbaoActions.bas").read_text(encoding="utf-8")})
    out = tmp_path / "bad.xlam"
    out.write_bytes(addin_build.build_bytes())
    assert any("报错 91" in p for p in check(out))


def _vba_of(path):
    with zipfile.ZipFile(path) as z:
        return io.BytesIO(z.read("xl/vbaProject.bin"))


def test_vba_project_is_marked_for_recompilation():
    streams = ovba.read_streams(_vba_of(XLAM))
    assert streams[("VBA", "_VBA_PROJECT")][:4] == b"\xcc\x61\xff\xff"
    records = ovba.parse_dir(ovba.decompress(streams[("VBA", "dir")]))
    offsets = {m.name: m.offset for m in ovba.modules(records)}
    assert offsets["RibbonMyAddin"] == 0 and offsets["xlwings"] == 0
    assert ovba.project_name(records) == "Nianbao"


def test_config_sheet_holds_only_the_fixed_keys():
    from addin.excel.xlwings_config import read_addin_sheet

    with zipfile.ZipFile(XLAM) as z:
        book = z.read("xl/workbook.xml").decode()
    assert 'name="nianbao.conf"' in book
    assert read_addin_sheet(XLAM) == {k.upper(): v for k, v in addin_build.CONFIG.items()}


@pytest.mark.parametrize("seed", range(4))
def test_compression_round_trips_through_oletools(seed):
    rng = random.Random(seed)
    words = ["Sub ", "End Sub\r\n", "RunPython ", '"import x"', "Dim i As Long\r\n", "' comment\r\n"]
    text = "".join(rng.choice(words) for _ in range(rng.randint(0, 3000)))
    data = text.encode("ascii") + bytes(rng.randrange(256) for _ in range(rng.randint(0, 5000)))
    assert bytes(decompress_stream(bytearray(ovba.compress(data)))) == data


def test_compound_file_writer_round_trips_through_olefile():
    streams = {("A",): b"x" * 10, ("VBA", "dir"): b"y" * 5000, ("VBA", "Module1"): bytes(range(256)) * 40,
               ("VBA", "_VBA_PROJECT"): b"\xcc\x61\xff\xff\x00\x01\x00", ("PROJECTwm",): b"",
               **{("S", f"stream{i:02d}"): bytes([i]) * (i * 70) for i in range(30)}}
    data = cfb.build(streams)
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        got = {tuple(p): ole.openstream(p).read() for p in ole.listdir(streams=True, storages=False)}
    assert got == streams


@pytest.mark.libreoffice
def test_libreoffice_reads_the_vba_project(tmp_path):
    """A third, independent MS-CFB/MS-OVBA reader: LibreOffice imports the add-in's VBA
    modules as Basic when it converts the file (as .xlsm: it does not open add-ins)."""
    from addin.libreoffice import convert

    probe = tmp_path / "probe.xlsm"
    with zipfile.ZipFile(XLAM) as zi, zipfile.ZipFile(probe, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            data = zi.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"ms-excel.addin.macroEnabled.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
            zo.writestr(info, data)
    ods = convert(probe, "ods", tmp_path / "out")
    with zipfile.ZipFile(ods) as z:
        ribbon = z.read("Basic/Nianbao/RibbonMyAddin.xml").decode("utf-8")
        runtime = z.read("Basic/Nianbao/xlwings.xml").decode("utf-8")
    for proc in ("NianbaoValidate", "NianbaoClearMarks", "NianbaoExport", "NianbaoHelp"):
        assert f"Sub {proc}(control As IRibbonControl)" in ribbon
    assert "nianbao_desktop.run(" in ribbon and "RunServerPython" in ribbon
    for name in [*addin_build.REMOTE_MODULES, "NianbaoActions"]:  # the added modules too
        assert _lo_has(ods, name), name
    assert "PROJECT_NAME As String = &quot;nianbao&quot;" in runtime
    assert f"XLWINGS_VERSION As String = &quot;{xlwings.__version__}&quot;" in runtime


def _lo_has(ods, name):
    with zipfile.ZipFile(ods) as z:
        return f"Basic/Nianbao/{name}.xml" in z.namelist()


def test_the_python_each_button_runs_works_via_book_caller(tmp_path):
    """Execute the exact Python statement the VBA hands to RunPython, for every button,
    with ``xw.Book.caller()`` resolving to a workbook (mock caller on the remote engine)."""
    import os

    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    import openpyxl

    from addin.examples import example_report
    from addin.excel.bridge import book_json
    from addin.writers.workbook import write_workbook

    ribbon = vba_modules(XLAM)["RibbonMyAddin"]
    template = re.search(r'RunPython "(.*?)" & action & "(.*?)"', ribbon)
    path = tmp_path / "r.xlsx"
    write_workbook(example_report("2021"), path, force=True)
    payload = book_json(openpyxl.load_workbook(path), name=str(path))
    seen = {}
    for proc, action in re.findall(r"Sub (Nianbao\w+)\(control As IRibbonControl\)\s*\n\s*RunNianbao \"(\w+)\"", ribbon):
        statement = template.group(1) + action + template.group(2)
        book = xlwings.Book(json=payload)
        book.set_mock_caller()
        try:
            exec(statement, {})  # noqa: S102 — the statement is the add-in's own VBA text
            seen[proc] = [a["func"] for a in book.json()["actions"]]
        finally:
            book.close()
    assert set(seen) == {"NianbaoValidate", "NianbaoClearMarks", "NianbaoExport", "NianbaoHelp"}
    assert "setValues" in seen["NianbaoValidate"] and "setRangeColor" in seen["NianbaoValidate"]
    assert seen["NianbaoHelp"] == ["activateSheet"]
    assert seen["NianbaoExport"] == ["alert"] and (tmp_path / "r-年报.docx").exists()


def test_build_command_refuses_to_overwrite_and_rebuilds(tmp_path):
    from addin.cli import main

    out = tmp_path / "nianbao.xlam"
    assert main(["addin", "build", "-o", str(out)]) == 0
    assert out.read_bytes() == XLAM.read_bytes()
    assert main(["addin", "build", "-o", str(out)]) == 2  # exists, no --force
    assert main(["addin", "check", str(out)]) == 0

"""Build the desktop add-in ``nianbao.xlam`` from xlwings' own ribbon add-in, on any OS.

Start: ``xlwings/quickstart_addin_ribbon.xlam`` of the installed (pinned) xlwings — the
add-in ``xlwings quickstart --addin --ribbon`` copies, with the whole xlwings VBA
runtime of exactly this xlwings version. Changes, all from text in this repository:

* ``customUI/customUI.xml`` ← ``addin/excel/xlam/customUI.xml`` (the 政务公开年报 tab);
  its relationship type becomes the 2006 one that matches the customUI namespace;
* VBA module ``RibbonMyAddin`` ← ``addin/vba/RibbonMyAddin.bas`` (one Sub per button;
  local RunPython, or RunServerPython against ``nianbao serve`` when NIANBAO_SERVER is set);
* VBA modules added for the server mode, unchanged from ``xlwings/addin/`` of the same
  xlwings: ``Remote`` (``RunServerPython``), ``WebHelpers`` and the classes
  ``WebClient``, ``WebRequest``, ``WebResponse``, ``IWebAuthenticator`` (VBA-Web, MIT);
* VBA module ``xlwings``: ``PROJECT_NAME`` ``myaddin`` → ``nianbao`` (config sheet
  ``nianbao.conf``, user config ``%USERPROFILE%\\.nianbao\\nianbao.conf``); VBA project
  name ``MyAddin`` → ``Nianbao``;
* config sheet ``_myaddin.conf`` → ``nianbao.conf`` (active) holding only the settings
  that must be fixed (:data:`CONFIG`); everything a user or administrator may change
  is read from ``nianbao.conf`` files (:mod:`addin.excel.xlwings_config`).

The VBA is written per MS-OVBA by :mod:`addin.excel.ovba` (sources compressed, no
p-code, ``_VBA_PROJECT`` version 0xFFFF so Excel compiles the modules from source) into
a compound file written by :mod:`addin.excel.cfb`. Zip entries get a fixed timestamp,
so the build is reproducible: the committed add-in equals a fresh build byte for byte.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from . import cfb, ovba

HERE = Path(__file__).resolve().parent
CUSTOM_UI = HERE / "xlam" / "customUI.xml"
VBA_DIR = HERE.parent / "vba"
PROJECT_NAME = "nianbao"
VBA_PROJECT_NAME = "Nianbao"
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
#: The add-in's own config sheet: only what must be fixed. xlwings' GetConfig stops at
#: the first place that *has* a key, and the add-in's sheet comes before the user's and
#: the directory's files (:mod:`addin.excel.xlwings_config`), so every key listed here
#: can never be changed on a PC. Not listed, hence settable in a ``nianbao.conf`` file:
#: INTERPRETER_WIN / INTERPRETER_MAC, PYTHONPATH, CONDA PATH / CONDA ENV,
#: NIANBAO_SERVER / NIANBAO_KEY (server mode) and xlwings' TIMEOUT, PROXY_*, INSECURE.
CONFIG: dict[str, str | bool] = {
    # Legacy key, read by RunPython only when INTERPRETER_WIN/_MAC is blank everywhere:
    # the default interpreter of the standard installation that a file can still override.
    "INTERPRETER": r"%LOCALAPPDATA%\nianbao\venv\Scripts\pythonw.exe",
    # The filer's workbook folder is not put on sys.path: a stray addin.py or
    # openpyxl.py next to a workbook must not replace the installed package.
    "ADD_WORKBOOK_TO_PYTHONPATH": False,
    # One Python process per click, not xlwings' COM UDF server (docs/excel-addin.md).
    "USE UDF SERVER": False,
    "SHOW CONSOLE": False,
}
_UI_REL_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_UI_REL_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def quickstart_addin() -> Path:
    """The ribbon add-in shipped inside the installed xlwings package."""
    import xlwings

    return Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"


def vba_sources() -> dict[str, str]:
    """Module name → source of the VBA text files in ``addin/vba``."""
    return {p.stem: vba_text(p.read_text(encoding="utf-8")) for p in sorted(VBA_DIR.glob("*.bas"))}


#: xlwings' own VBA client of xlwings Server (``RunServerPython``, module Remote) and the
#: VBA-Web classes it sends the request with — from ``xlwings/addin/`` of the installed
#: xlwings, added unchanged: the server mode of the ribbon (addin/vba/RibbonMyAddin.bas).
REMOTE_MODULES = {
    "Remote": ovba.PROCEDURAL,
    "WebHelpers": ovba.PROCEDURAL,
    "IWebAuthenticator": ovba.CLASS,
    "WebClient": ovba.CLASS,
    "WebRequest": ovba.CLASS,
    "WebResponse": ovba.CLASS,
}
#: VB_Base of a class module: what Office stores for the quickstart add-in's Dictionary.
_CLASS_BASE = 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'


def xlwings_vba_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent / "addin"


def class_source(exported: str) -> str:
    """An exported ``.cls`` file as a class module is stored in the project: without the
    ``VERSION 1.0 CLASS`` / ``BEGIN … END`` header, with the ``VB_Base``,
    ``VB_TemplateDerived`` and ``VB_Customizable`` attributes Office stores (exactly as
    in the quickstart add-in's Dictionary module)."""
    lines = exported.replace("\r\n", "\n").split("\n")
    if lines[0].strip() != "VERSION 1.0 CLASS" or lines[1].strip() != "BEGIN":
        raise ValueError("not an exported VBA class module (VERSION 1.0 CLASS header missing)")
    end = lines.index("END")
    out = []
    for line in lines[end + 1:]:
        out.append(line)
        if line.startswith("Attribute VB_Name = "):
            out.append(_CLASS_BASE)
        elif line.startswith("Attribute VB_Exposed = "):
            out += ["Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False"]
    return "\n".join(out)


#: The one change to xlwings' Remote module: ``range.color = None`` (清除标记 removes a
#: fill) arrives as ``setRangeColor`` with a null colour, which Remote's ``HexToRgb``
#: cannot take (VBA error 94); Office.js clears the fill, and so does this.
REMOTE_PATCH = (
    'Sub setRangeColor(wb As Workbook, action As Dictionary)\n'
    '    GetRange(wb, action).Interior.Color = HexToRgb(action("args")(1))\n',
    'Sub setRangeColor(wb As Workbook, action As Dictionary)\n'
    '    If IsNull(action("args")(1)) Then\n'
    '        GetRange(wb, action).Interior.Pattern = xlNone\n'
    '        Exit Sub\n'
    '    End If\n'
    '    GetRange(wb, action).Interior.Color = HexToRgb(action("args")(1))\n',
)


def remote_sources() -> dict[str, str]:
    """Module name → stored source of :data:`REMOTE_MODULES` (Remote with :data:`REMOTE_PATCH`)."""
    out = {}
    for name, kind in REMOTE_MODULES.items():
        path = xlwings_vba_dir() / (name + (".bas" if kind == ovba.PROCEDURAL else ".cls"))
        text = path.read_text(encoding="ascii")
        out[name] = text if kind == ovba.PROCEDURAL else class_source(text)
        if name == "Remote":
            if out[name].count(REMOTE_PATCH[0]) != 1:
                raise ValueError("xlwings VBA: Remote.setRangeColor not found as expected (xlwings changed it?)")
            out[name] = out[name].replace(*REMOTE_PATCH)
        if f'Attribute VB_Name = "{name}"' not in out[name]:
            raise ValueError(f"{path}: VB_Name is not {name}")
    return out


def patch_vba(data: bytes) -> bytes:
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        root_clsid = uuid.UUID(ole.root.clsid).bytes_le if ole.root.clsid else b"\x00" * 16
    streams = ovba.read_streams(io.BytesIO(data))
    current = ovba.module_sources(streams)
    sources = dict(vba_sources())
    # Modules of addin/vba that the quickstart add-in lacks are added (procedural).
    new_modules = {name: ovba.PROCEDURAL for name in sources if name not in current}
    runtime = current["xlwings"]
    old = 'Public Const PROJECT_NAME As String = "myaddin"'
    if old not in runtime:
        raise ValueError("xlwings VBA: PROJECT_NAME line not found (xlwings changed its add-in?)")
    sources["xlwings"] = runtime.replace(old, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"')
    sources.update(remote_sources())
    new_modules.update(REMOTE_MODULES)
    new = ovba.patch_project(streams, sources, VBA_PROJECT_NAME, new_modules=new_modules)
    return cfb.build(new, root_clsid=root_clsid)


def _shared_strings() -> list[str]:
    return [k for k in CONFIG] + [v for v in CONFIG.values() if isinstance(v, str)]


def _shared_strings_xml() -> bytes:
    items = "".join(f"<si><t>{escape(t)}</t></si>" for t in _shared_strings())
    n = len(_shared_strings())
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{n}" uniqueCount="{n}">{items}</sst>').encode("utf-8")


def _config_sheet(xml: str) -> str:
    """The config sheet's rows: keys in A1, A2, … (contiguous: GetConfig stops at the
    first blank A cell), values in column B (strings shared, booleans as booleans)."""
    strings = _shared_strings()
    rows = []
    for r, (key, value) in enumerate(CONFIG.items(), start=1):
        b = (f'<c r="B{r}" s="1" t="b"><v>{int(value)}</v></c>' if isinstance(value, bool)
             else f'<c r="B{r}" s="1" t="s"><v>{strings.index(value)}</v></c>')
        a = f'<c r="A{r}" s="1" t="s"><v>{strings.index(key)}</v></c>'
        rows.append(f'<row r="{r}" spans="1:2" ht="15.75">{a}{b}</row>')
    xml, n = re.subn(r"<sheetData>.*</sheetData>", lambda m: "<sheetData>" + "".join(rows) + "</sheetData>", xml,
                     flags=re.S)
    if n != 1:
        raise ValueError("config sheet: sheetData not found")
    return re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:B{len(CONFIG)}"', xml, count=1)


_NON_ASCII_LITERAL = re.compile(r'"([^"\r\n]*[^\x00-\x7f][^"\r\n]*)"')


#: The module-level VBA function the build's literals call: hex UTF-16 code units → text.
ZH_FUNCTION = "Zh"


def vba_text(source: str) -> str:
    """A VBA source as the project stores it. Code page 1252 holds no Chinese, so every
    string literal with non-ASCII characters becomes a concatenation of its ASCII runs and
    calls of the module's own ``Zh`` function on the hex UTF-16 code units of the rest
    (``"校验 OK"`` → ``Zh("68219A8C") & " OK"``): four characters per Chinese character,
    so the lines stay far below VBA's 1023-character limit. Only string literals may hold
    non-ASCII characters (not comments or identifiers)."""

    def literal(m: re.Match) -> str:
        parts, run, zh = [], "", ""
        for ch in m[1]:
            if ord(ch) < 128:
                if zh:
                    parts.append(f'{ZH_FUNCTION}("{zh}")')
                    zh = ""
                run += ch
                continue
            if run:
                parts.append('"' + run + '"')
                run = ""
            if ord(ch) > 0xFFFF:
                raise ValueError(f"VBA: character outside the BMP in a string literal: {ch!r}")
            zh += f"{ord(ch):04X}"
        parts += [f'{ZH_FUNCTION}("{zh}")'] if zh else []
        parts += ['"' + run + '"'] if run else []
        return " & ".join(parts)

    out, n = _NON_ASCII_LITERAL.subn(literal, source)
    if n and not re.search(rf"^\s*(?:Private\s+|Public\s+)?Function\s+{ZH_FUNCTION}\(", out, re.M | re.I):
        raise ValueError(f"VBA: a module with Chinese string literals must define Function {ZH_FUNCTION}")
    for i, line in enumerate(out.splitlines(), 1):
        if not line.isascii():
            raise ValueError(f"VBA: non-ASCII characters outside string literals, line {i}: {line!r}")
        if len(line) > 1023:
            raise ValueError(f"VBA: line {i} longer than 1023 characters")
    return out


def build_bytes(source: Path | None = None) -> bytes:
    """The bytes of ``nianbao.xlam``."""
    source = source or quickstart_addin()
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            name = info.filename
            if name == "customUI/customUI.xml":
                data = CUSTOM_UI.read_bytes()
            elif name == "_rels/.rels":
                data = data.replace(_UI_REL_2007.encode(), _UI_REL_2006.encode())
            elif name == "xl/vbaProject.bin":
                data = patch_vba(data)
            elif name == "xl/workbook.xml":
                text = data.decode("utf-8")
                if 'name="_myaddin.conf"' not in text:
                    raise ValueError("xlwings add-in: config sheet _myaddin.conf not found")
                data = text.replace('name="_myaddin.conf"', f'name="{CONFIG_SHEET}"').encode("utf-8")
            elif name == "xl/worksheets/sheet1.xml":
                data = _config_sheet(data.decode("utf-8")).encode("utf-8")
            elif name == "xl/sharedStrings.xml":
                data = _shared_strings_xml()
            zi = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    return out.getvalue()


def build(target: Path, force: bool = False) -> Path:
    """Write the add-in to ``target`` atomically."""
    from ..writers.atomic import write_bytes_atomic

    return write_bytes_atomic(target, build_bytes(), force=force)

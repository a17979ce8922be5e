"""Build the desktop add-in ``nianbao.xlam`` from xlwings' own ribbon add-in, on any OS.

Start: ``xlwings/quickstart_addin_ribbon.xlam`` of the installed (pinned) xlwings — the
add-in ``xlwings quickstart --addin --ribbon`` copies, with the whole xlwings VBA
runtime of exactly this xlwings version. Changes, all from text in this repository:

* ``customUI/customUI.xml`` ← ``addin/excel/xlam/customUI.xml`` (the 政务公开年报 tab);
  its relationship type becomes the 2006 one that matches the customUI namespace;
* VBA module ``RibbonMyAddin`` ← ``addin/vba/RibbonMyAddin.bas`` (one Sub per button);
* VBA module ``xlwings``: ``PROJECT_NAME`` ``myaddin`` → ``nianbao`` (config sheet
  ``nianbao.conf``, user config ``%USERPROFILE%\\.nianbao\\nianbao.conf``); VBA project
  name ``MyAddin`` → ``Nianbao``;
* config sheet ``_myaddin.conf`` → ``nianbao.conf`` (active) with the interpreter paths
  of the standard installation (docs/excel-addin.md) pre-filled.

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
#: Pre-filled configuration (xlwings expands %VAR% and $HOME itself).
CONFIG = {
    "Interpreter_Win": r"%LOCALAPPDATA%\nianbao\venv\Scripts\pythonw.exe",
    "Interpreter_Mac": "$HOME/nianbao/venv/bin/python",
}
_CONFIG_ROWS = {"Interpreter_Win": 1, "Interpreter_Mac": 2}
_UI_REL_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_UI_REL_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def quickstart_addin() -> Path:
    """The ribbon add-in shipped inside the installed xlwings package."""
    import xlwings

    return Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"


def vba_sources() -> dict[str, str]:
    """Module name → source of the VBA text files in ``addin/vba``."""
    return {p.stem: p.read_text(encoding="ascii") for p in sorted(VBA_DIR.glob("*.bas"))}


def patch_vba(data: bytes) -> bytes:
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        root_clsid = uuid.UUID(ole.root.clsid).bytes_le if ole.root.clsid else b"\x00" * 16
    streams = ovba.read_streams(io.BytesIO(data))
    current = ovba.module_sources(streams)
    sources = dict(vba_sources())
    runtime = current["xlwings"]
    old = 'Public Const PROJECT_NAME As String = "myaddin"'
    if old not in runtime:
        raise ValueError("xlwings VBA: PROJECT_NAME line not found (xlwings changed its add-in?)")
    sources["xlwings"] = runtime.replace(old, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"')
    new = ovba.patch_project(streams, sources, VBA_PROJECT_NAME)
    return cfb.build(new, root_clsid=root_clsid)


def _config_sheet(xml: str) -> str:
    for key, value in CONFIG.items():
        r = _CONFIG_ROWS[key]
        cell = f'<c r="B{r}" s="1" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        xml, n = re.subn(rf'(<row r="{r}" )spans="1:1"([^>]*>)(<c r="A{r}"[^>]*>.*?</c>)(</row>)',
                         lambda m: f'{m[1]}spans="1:2"{m[2]}{m[3]}{cell}{m[4]}', xml, count=1)
        if n != 1:
            raise ValueError(f"config sheet: row {r} ({key}) not found")
    return xml


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
            zi = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    return out.getvalue()


def build(target: Path, force: bool = False) -> Path:
    """Write the add-in to ``target`` atomically."""
    from ..writers.atomic import write_bytes_atomic

    return write_bytes_atomic(target, build_bytes(), force=force)

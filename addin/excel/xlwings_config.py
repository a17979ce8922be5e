"""How the add-in's VBA finds a setting: xlwings' ``GetConfig``, ported from its VBA.

xlwings' VBA runtime (module ``xlwings`` in ``nianbao.xlam``; ``xlwings/addin/Config.bas``
in the xlwings sources) looks a key up in this order and stops at the first place
that *has the key* — even when the value there is blank:

1. a sheet ``nianbao.conf`` in the workbook the filer has open (``ActiveWorkbook``);
2. the sheet ``nianbao.conf`` of the add-in itself (``ThisWorkbook``);
3. the file ``nianbao.conf`` in the folder of the open workbook (skipped when that
   workbook has no local path, e.g. a new, unsaved one);
4. the user's file ``%USERPROFILE%\\.nianbao\\nianbao.conf`` (macOS:
   ``~/Library/Containers/com.microsoft.Excel/Data/nianbao.conf``);
5. the caller's default.

A sheet's keys are the cells A1, A2, … down to the first blank cell; its values are
column B. Keys are compared upper-cased. The files hold ``"KEY","value"`` pairs as
VBA's ``Input #`` reads them (comma-separated, optionally double-quoted fields, read
two at a time regardless of line breaks), keys compared case-insensitively, first match
wins. Every value found is passed through Windows' ``ExpandEnvironmentStrings``
(``%VAR%``; unknown variables stay as written).

So a key that the add-in's sheet lists can never be changed by a user's file: the
sheet keeps only what must be fixed (see :data:`addin.excel.addin_build.CONFIG`).
The tests use this module to show which value wins; ``nianbao addin config`` writes a
file with :func:`write_file`. It does not run inside Excel.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_VAR = re.compile(r"%([^%]+)%")


def expand(value: Any, env: dict[str, str]) -> Any:
    """``WScript.Shell.ExpandEnvironmentStrings``: ``%NAME%`` → its value (names are
    case-insensitive on Windows); unknown names are left as they are."""
    if isinstance(value, bool):  # GetConfig passes every value through a String parameter
        return "True" if value else "False"
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else repr(value)
    upper = {k.upper(): v for k, v in env.items()}
    return _VAR.sub(lambda m: upper.get(m[1].upper(), m[0]), value)


def sheet_config(cells: dict[str, Any]) -> dict[str, Any]:
    """``GetConfigFromSheet``: ``{"A1": key, "B1": value, ...}`` → ``{KEY: value}``.

    Reads A1 down to the last cell before the first blank one (``Range("A1").End(xlDown)``,
    or A1 alone when A2 is blank). A blank B cell gives ``""`` (VBA's Empty as a String).
    """
    out: dict[str, Any] = {}
    row = 1
    while True:
        key = cells.get(f"A{row}")
        if key in (None, "") and row > 1:
            break
        value = cells.get(f"B{row}")
        out[str(key if key is not None else "").upper()] = "" if value is None else value
        if cells.get(f"A{row + 1}") in (None, ""):
            break
        row += 1
    return out


def _input_fields(text: str) -> list[str]:
    """The fields VBA's ``Input #`` reads from a sequential file, in order.

    A field ends at a comma or a line end; spaces around it are dropped; a field that
    starts with a double quote runs to the next double quote (commas inside are kept)."""
    fields: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == '"':
            j = text.find('"', i + 1)
            j = n if j < 0 else j
            fields.append(text[i + 1:j])
            i = j + 1
            while i < n and text[i] not in ",\r\n":
                i += 1
        else:
            j = i
            while j < n and text[j] not in ",\r\n":
                j += 1
            fields.append(text[i:j].strip(" \t"))
            i = j
        if i < n and text[i] == ",":
            i += 1
        elif i < n and text[i] in "\r\n":
            if text[i] == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            i += 1
            while i < n and text[i] in "\r\n":  # blank lines yield no field
                i += 1
    return fields


def file_config(data: bytes, encoding: str = "mbcs") -> list[tuple[str, str]]:
    """``GetConfigFromFile``'s view of a file: its (name, value) pairs in order.

    VBA reads the file in the system's ANSI code page (``mbcs``; GBK on Chinese
    Windows). A UTF-8 byte-order mark is *not* skipped: it becomes part of the first key
    (so that key never matches) — exactly what Excel does."""
    try:
        text = data.decode(encoding)
    except LookupError:  # "mbcs" exists on Windows only; on other systems: Chinese Windows' code page
        text = data.decode("gbk", errors="replace")
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
    fields = _input_fields(text)
    return [(fields[k], fields[k + 1] if k + 1 < len(fields) else "") for k in range(0, len(fields), 2)]


def read_addin_sheet(xlam: Path, sheet_name: str = "nianbao.conf") -> dict[str, Any] | None:
    """The ``nianbao.conf`` sheet of a built add-in (or any .xlsx/.xlam), or None."""
    with zipfile.ZipFile(xlam) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        sheets = book.find("m:sheets", _NS)
        names = [s.get("name") for s in sheets]
        if sheet_name not in names:
            return None
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        rid = sheets[names.index(sheet_name)].get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        part = "xl/" + target.lstrip("/").removeprefix("xl/")
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            sst = etree.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(si.itertext()) for si in sst.iterfind("m:si", _NS)]
        cells: dict[str, Any] = {}
        for c in etree.fromstring(z.read(part)).iterfind(".//m:c", _NS):
            t, v = c.get("t"), c.find("m:v", _NS)
            if t == "inlineStr":
                cells[c.get("r")] = "".join(c.find("m:is", _NS).itertext())
            elif v is None:
                continue
            elif t == "s":
                cells[c.get("r")] = shared[int(v.text)]
            elif t == "b":
                cells[c.get("r")] = v.text == "1"
            elif t == "str":
                cells[c.get("r")] = v.text
            else:
                cells[c.get("r")] = float(v.text)
    return sheet_config(cells)


@dataclass
class Sources:
    """Everything ``GetConfig`` may look at, for one click."""

    addin_sheet: dict[str, Any] | None
    active_sheet: dict[str, Any] | None = None
    directory_file: bytes | None = None  # nianbao.conf next to the open workbook
    user_file: bytes | None = None  # %USERPROFILE%\.nianbao\nianbao.conf
    workbook_has_local_path: bool = True
    env: dict[str, str] = field(default_factory=dict)
    encoding: str = "mbcs"


def get_config(key: str, sources: Sources, default: Any = "") -> tuple[Any, str]:
    """``GetConfig(configKey, default)``: (value, where it came from).

    ``key`` is passed as the VBA passes it (xlwings upper-cases its own keys, e.g.
    ``INTERPRETER_WIN``, ``USE UDF SERVER``); the sheet lookup is case-sensitive against
    the upper-cased sheet keys, the file lookup case-insensitive."""
    for where, sheet in (("workbook sheet", sources.active_sheet), ("add-in sheet", sources.addin_sheet)):
        if sheet is not None and key in sheet:
            return expand(sheet[key], sources.env), where
    for where, data in (("directory file", sources.directory_file if sources.workbook_has_local_path else None),
                        ("user file", sources.user_file)):
        if data is None:
            continue
        for name, value in file_config(data, sources.encoding):
            if name.lower() == key.lower():
                return expand(value, sources.env), where
    return default, "default"


def interpreter_win(sources: Sources) -> tuple[Any, str]:
    """The interpreter ``RunPython`` starts on Windows: ``INTERPRETER_WIN``, and only
    when that is blank everywhere the legacy ``INTERPRETER`` (default ``python``)."""
    value, where = get_config("INTERPRETER_WIN", sources, "")
    if value == "":
        return get_config("INTERPRETER", sources, "python")
    return value, where


def write_file(settings: dict[str, str]) -> str:
    """The text of a ``nianbao.conf`` file in the format ``Input #`` reads (and VBA's
    ``Write #`` writes): one ``"KEY","value"`` line per setting. Values cannot contain a
    double quote (VBA has no escape for it)."""
    lines = []
    for k, v in settings.items():
        if '"' in k or '"' in v or "\n" in v or "\r" in v:
            raise ValueError(f"配置值不能包含双引号或换行：{k}")
        lines.append(f'"{k}","{v}"')
    return "\r\n".join(lines) + "\r\n"

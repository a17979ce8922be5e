"""Reading a filled template (.xlsx / .xlsm) in file mode, without Excel.

Cells are found by defined name (``NB.<cell key>`` and :data:`~addin.readers.cells.META_NAMES`),
never by fixed address, so inserted rows and renamed sheets do not matter. The file
is checked before openpyxl sees it: it must be a zip of sane size (no zip bombs) with
a workbook part. Macros in an .xlsm are never run; only values are read.

Values are the ones Excel last calculated (``data_only``). A workbook written by
openpyxl and never opened in Excel (the output of ``nianbao new --from``) has no
calculated values for its formulas; the template's own totals are then computed here
from their parts exactly as the ``=SUM(...)`` would show them.
"""

from __future__ import annotations

import html
import io
import re
import warnings
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

try:  # the fast path; optional: no wheel on some platforms (LoongArch), openpyxl reads instead
    import python_calamine
except ImportError:
    python_calamine = None

from ..errors import InputError, ZIP_ERRORS, os_error_message
from ..layout import defined_name, key_of_name
from ..model import Report
from ..ruleset import computed_cells
from . import check_file
from .cells import BROKEN, META_NAMES, _format, report_from_named_cells, template_format

#: At most this many parts in the zip; a filled template has about 20.
MAX_ZIP_MEMBERS = 1000
#: At most this many bytes once unzipped, all parts together; a filled template has well under 1 MB.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
#: A part larger than :data:`RATIO_CHECK_BYTES` may not expand more than this many times;
#: ordinary spreadsheet XML compresses 5–30 times, zip bombs hundreds to millions of times.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_BYTES = 1024 * 1024

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?[A-Za-z]{1,3}\$?\d+)?$")
_ERROR_VALUES = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA")


#: First bytes of an OLE compound file: an old .xls, or an .xlsx saved with an open password.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """Refuse what is not a zip with a workbook part, or would unpack to far too much;
    return the checked archive, open (the caller closes it)."""
    if data.startswith(_OLE_MAGIC):
        raise InputError(f"{name}：不是有效的 Excel 工作簿（.xlsx）：这是设置了打开密码的工作簿或旧版 .xls 文件。"
                         "请在 Excel 或 WPS 中取消打开密码，或另存为 .xlsx 后再试。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        raise InputError(f"{name}：不是有效的 Excel 工作簿（文件不是 .xlsx 格式，或已损坏、不完整）") from None
    try:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise InputError(f"{name}：工作簿内部文件过多（{len(members)} 个，上限 {MAX_ZIP_MEMBERS}），拒绝读取")
        total = sum(m.file_size for m in members)
        if total > MAX_UNZIPPED_BYTES:
            raise InputError(f"{name}：工作簿解压后过大（{total:,} 字节，上限 {MAX_UNZIPPED_BYTES:,} 字节，"
                             f"即 {MAX_UNZIPPED_BYTES // 1048576} MB），拒绝读取")
        for m in members:
            if m.file_size > RATIO_CHECK_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1):
                raise InputError(f"{name}：工作簿中的 {m.filename} 压缩比异常（疑似压缩炸弹），拒绝读取")
        if "xl/workbook.xml" not in {m.filename for m in members}:
            raise InputError(f"{name}：不是有效的 Excel 工作簿（缺少 xl/workbook.xml；可能是其他类型的 zip 文件）")
    except InputError:
        archive.close()
        raise
    return archive


@lru_cache(maxsize=4096)
def parse_reference(text: str) -> tuple[str, str] | None:
    """``'表三'!$C$6`` → ``("表三", "C6")``; ``None`` for #REF! and anything not one cell or range."""
    if "#REF!" in text.upper():
        return None
    m = _REF.match(text.strip())
    if not m:
        return None
    sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    return sheet, f"{m.group(3).upper()}{m.group(4)}"


def _our_names(wb) -> dict[str, str]:
    """``{name: reference text}`` of our names: book-scoped first, then sheet-scoped ones
    that have no book-scoped twin (the first sheet that has it wins)."""
    names = {n: d.attr_text or "" for n, d in wb.defined_names.items() if key_of_name(n) is not None}
    for ws in wb.worksheets:
        for n, d in ws.defined_names.items():
            if key_of_name(n) is not None and n not in names:
                names[n] = d.attr_text or ""
    return names


def _corrupt(name: str, e: Exception) -> InputError:
    detail = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
    return InputError(f"{name}：无法读取工作簿，文件可能已损坏（{detail}）")


def _load(data: bytes, name: str) -> Any:
    """Open with openpyxl for calculated values; its warnings about features it drops
    (extensions, slicers) mean nothing to a filer and are silenced."""
    from openpyxl.reader.excel import ExcelReader  # imported when used: not on the Excel click path

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = ExcelReader(io.BytesIO(data), read_only=False, keep_vba=False, data_only=True,
                                 keep_links=False, rich_text=False)
            reader.read()
    except Exception as e:  # noqa: BLE001 - any failure inside openpyxl means a corrupt file
        raise _corrupt(name, e) from None
    return reader.wb


def _uncached_formulas(data: bytes, wanted: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Which of the ``{sheet: {coords}}`` cells hold a formula with no calculated value."""
    from openpyxl.xml.functions import iterparse

    found: set[tuple[str, str]] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        _, parts, _ = _sheet_parts(z)
        for sheet, coords in wanted.items():
            part = parts.get(sheet)
            if part is None:
                continue
            with z.open(part) as fh:
                for _, el in iterparse(fh):
                    if el.tag != _NS + "c":
                        if el.tag == _NS + "row":
                            el.clear()
                        continue
                    coord = el.get("r")
                    if coord in coords and el.find(_NS + "f") is not None and not (el.findtext(_NS + "v") or ""):
                        found.add((sheet, coord))
    return found


def excel_sum(values: list[Any]) -> Any:
    """What ``=SUM(...)`` shows: numbers add up, text and blanks are skipped, an error wins."""
    total: Any = 0
    for v in values:
        if isinstance(v, str) and v in _ERROR_VALUES:
            return v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            total += v
    return total


def fill_uncalculated_totals(values: dict[str, Any], uncalculated: set[str], fmt_key: str) -> None:
    """Set each named total in ``uncalculated`` to the sum of its parts, as Excel would show it."""
    computed = computed_cells(fmt_key)
    done: dict[str, Any] = {}

    def value(key: str) -> Any:
        if key in uncalculated and key in computed:
            if key not in done:
                done[key] = excel_sum([value(p) for p in computed[key]])
            return done[key]
        v = values.get(defined_name(key))
        return None if v is BROKEN else v

    for key in uncalculated:
        values[defined_name(key)] = value(key)


def _calculate_totals(values: dict[str, Any], locations: dict[str, str], fmt_key: str, data: bytes,
                      name: str) -> None:
    """Give the template's totals that were never calculated (empty in ``data_only``
    but holding a formula) the value Excel would show."""
    computed = computed_cells(fmt_key)
    empty = {k: locations[defined_name(k)] for k in computed
             if defined_name(k) in values and values[defined_name(k)] is None}
    if not empty:
        return  # saved by Excel, WPS or LibreOffice: every total has its calculated value
    wanted: dict[str, set[str]] = {}
    for location in empty.values():
        sheet, coord = location.rsplit("!", 1)
        wanted.setdefault(sheet, set()).add(coord)
    try:
        uncached = _uncached_formulas(data, wanted)
    except Exception as e:  # noqa: BLE001 - a sheet openpyxl read but the scan cannot: corrupt
        raise _corrupt(name, e) from None
    uncalculated = {k for k, location in empty.items() if tuple(location.rsplit("!", 1)) in uncached}
    fill_uncalculated_totals(values, uncalculated, fmt_key)




class _NeedOpenpyxl(Exception):
    """The fast path met something it does not handle; openpyxl reads the file instead."""


_SHEET_EL = re.compile(rb'<(?:\w+:)?sheet\b([^>]*)/?>')
_REL_EL = re.compile(rb'<(?:\w+:)?Relationship\b([^>]*)/?>')
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')


def _attrs(text: bytes) -> dict[str, str]:
    """XML attributes as text; names keep their prefix (``r:id``)."""
    return {k.decode(): html.unescape(v.decode("utf-8")) for k, v in _ATTR.findall(text)}


def _sheet_parts(z: zipfile.ZipFile) -> tuple[list[str], dict[str, str], bytes]:
    """Sheet names in order, ``{sheet name: part path}``, and workbook.xml itself.

    workbook.xml and its relationships are scanned as text, not parsed as XML: only
    element and attribute text is read, so no entity or DTD is ever expanded.
    """
    book = z.read("xl/workbook.xml")
    targets = {}
    for m in _REL_EL.finditer(z.read("xl/_rels/workbook.xml.rels")):
        a = _attrs(m.group(1))
        targets[a.get("Id")] = a.get("Target", "")
    order, parts = [], {}
    for m in _SHEET_EL.finditer(book):
        a = _attrs(m.group(1))
        rid = next((v for k, v in a.items() if k.endswith(":id")), None)
        target = targets.get(rid, "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        order.append(a.get("name", ""))
        parts[a.get("name", "")] = target
    return order, parts, book


#: One of our names in workbook.xml, whatever the attribute order (Excel writes ``name``
#: first, LibreOffice last): attributes before, the name, attributes after, the reference.
_OUR_NAME_EL = re.compile(
    r'<(?:\w+:)?definedName\b([^>]*?)\sname="(NB\.[^"]*)"([^>]*)>([^<]*)</(?:\w+:)?definedName>')
_LOCAL_ATTR = re.compile(r'\blocalSheetId="(\d+)"')


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _defined_names(book: bytes, order: list[str]) -> dict[str, str]:
    """Our names from workbook.xml, book-scoped first (as :func:`_our_names` does for openpyxl)."""
    names: dict[str, str] = {}
    scoped: list[tuple[int, str, str]] = []
    for before, raw_name, after, ref in _OUR_NAME_EL.findall(book.decode("utf-8")):
        name, text = _unescape(raw_name), _unescape(ref)  # the pattern only matches our NB. names
        local = _LOCAL_ATTR.search(before + after) if "localSheetId" in before or "localSheetId" in after else None
        if local is None:
            names[name] = text
        else:
            scoped.append((int(local.group(1)), name, text))
    for _, name, text in sorted(scoped):
        names.setdefault(name, text)
    return names


def _error_cells(xml: bytes) -> dict[str, str]:
    """``{coord: "#DIV/0!"}`` for the error values in one sheet part (calamine drops them)."""
    from openpyxl.xml.functions import iterparse

    found = {}
    for _, el in iterparse(io.BytesIO(xml)):
        if el.tag == _NS + "c" and el.get("t") == "e":
            found[el.get("r")] = el.findtext(_NS + "v") or "#VALUE!"
        elif el.tag == _NS + "row":
            el.clear()
    return found


@lru_cache(maxsize=4096)
def cell_index(coord: str) -> tuple[int, int]:
    """``"D6"`` → ``(5, 3)``: 0-based row and column (of a coordinate :func:`parse_reference`
    returned: letters, then digits)."""
    letters = coord.rstrip("0123456789")
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(coord[len(letters):]) - 1, col - 1


def _cell(grid: list[list[Any]], coord: str) -> Any:
    r, c = cell_index(coord)
    if r < len(grid) and c < len(grid[r]):
        v = grid[r][c]
        return None if v == "" else v
    return None


def _named_values_fast(z: zipfile.ZipFile, data: bytes) -> tuple[dict[str, Any], dict[str, str]]:
    """Read our named cells with calamine: names from workbook.xml, values from the sheets.

    ``z`` is the archive :func:`check_zip` opened and checked. calamine reads an error
    value (#DIV/0!) as an empty string, so an error can only hide behind a named cell
    that read as empty; only the sheets holding such cells have their XML scanned for
    error values (none, in a fully filled table).
    """
    try:
        order, parts, book = _sheet_parts(z)
        targets = {dn: parse_reference(ref) for dn, ref in _defined_names(book, order).items()}
        wanted = {t[0] for t in targets.values() if t is not None} & set(parts)
        calamine = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = {sheet: calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False) for sheet in wanted}
        values: dict[str, Any] = {}
        locations: dict[str, str] = {}
        blank_sheets: set[str] = set()
        for dn, target in targets.items():
            if target is None or target[0] not in grids:
                values[dn] = BROKEN
                continue
            sheet, coord = target
            value = _cell(grids[sheet], coord)
            if value is None:
                blank_sheets.add(sheet)
            values[dn] = value
            locations[dn] = f"{sheet}!{coord}"
        names_at: dict[str, list[str]] = {}
        for sheet in blank_sheets:
            xml = z.read(parts[sheet])
            if b't="e"' in xml:
                if not names_at:
                    for dn, location in locations.items():
                        names_at.setdefault(location, []).append(dn)
                for coord, error in _error_cells(xml).items():
                    for dn in names_at.get(f"{sheet}!{coord}", ()):
                        values[dn] = error
    except Exception as e:  # noqa: BLE001 - anything unusual: let openpyxl read it and explain
        raise _NeedOpenpyxl from e
    return values, locations


def _named_values_openpyxl(data: bytes, name: str) -> tuple[dict[str, Any], dict[str, str]]:
    wb = _load(data, name)
    sheets = {ws.title: ws for ws in wb.worksheets}
    values: dict[str, Any] = {}
    locations: dict[str, str] = {}
    for dn, ref in _our_names(wb).items():
        target = parse_reference(ref)
        if target is None or target[0] not in sheets:
            values[dn] = BROKEN
            continue
        sheet, coord = target
        try:
            values[dn] = sheets[sheet][coord].value  # an error such as #DIV/0! reads as its text
        except (ValueError, KeyError):
            values[dn] = BROKEN
            continue
        locations[dn] = f"{sheet}!{coord}"
    return values, locations


#: Read values with calamine (fast); ``False`` reads everything with openpyxl (tests compare the two).
FAST = python_calamine is not None


def read_workbook(path: str | Path) -> Report:
    """Read a workbook made from the template into a :class:`Report`.

    Raises :class:`InputError` for a file that is not a usable workbook, is not one of
    ours (no ``NB.`` names), or whose tables are all gone; everything else (a deleted
    name, a deleted row, text in a number cell) becomes a finding.
    """
    path = Path(path)
    check_file(path)
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(os_error_message(e, "读取", path)) from None
    values, locations = named_values(data, name)
    report = report_from_named_cells(values, locations, str(path))
    report.problems.extend(external_reference_findings(data, locations, report.spec))
    return report


#: A reference to another workbook inside a formula: ``[1]Sheet1!A1`` as saved.
_EXTERNAL = re.compile(r"\[\d+\]")


def external_references(data: bytes, locations: dict[str, str]) -> dict[str, str]:
    """``{defined name: formula}`` of our named cells whose formula refers to another
    workbook. Such a cell is read from the value last calculated — silently stale once
    the other workbook changes — so it is reported (W004). Only workbooks that have
    external links at all have their sheets scanned."""
    from openpyxl.xml.functions import iterparse  # defused; imported here, off the click's path

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if not any(n.startswith("xl/externalLinks/") for n in z.namelist()):
            return {}
        _, parts, _ = _sheet_parts(z)
        at: dict[str, dict[str, list[str]]] = {}
        for dn, location in locations.items():
            sheet, coord = location.rsplit("!", 1)
            at.setdefault(sheet, {}).setdefault(coord, []).append(dn)
        found: dict[str, str] = {}
        for sheet, coords in at.items():
            if sheet not in parts or parts[sheet] not in z.namelist():
                continue
            with z.open(parts[sheet]) as fh:
                for _, el in iterparse(fh):
                    if el.tag == _NS + "c":
                        names = coords.get(el.get("r"))
                        formula = el.findtext(_NS + "f") if names else None
                        if formula and _EXTERNAL.search(formula):
                            for dn in names:
                                found[dn] = formula
                    elif el.tag == _NS + "row":
                        el.clear()
    return found


def external_reference_findings(data: bytes, locations: dict[str, str], spec) -> list:
    """W004 for each named cell whose value comes from another workbook."""
    from .cells import _problem

    try:
        refs = external_references(data, locations)
    except Exception:  # noqa: BLE001 - the values were read; a scan that fails only loses the note
        return []
    out = []
    for dn, formula in sorted(refs.items()):
        key = key_of_name(dn)
        where = spec.cells[key].describe() if key in spec.cells else locations[dn]
        out.append(_problem("W004", [key] if key in spec.cells else [], [locations[dn]], where=where,
                            formula="=" + formula))
    return out


def named_values(data: bytes, name: str) -> tuple[dict[str, Any], dict[str, str]]:
    """``({defined name: value}, {defined name: "sheet!A1"})`` of a workbook's bytes:
    the values Excel would show, totals never calculated included. This is what every
    command reads a workbook through — ``validate`` here, ``mark`` to build the book it
    hands to the 校验 macro — so they cannot see different values."""
    with check_zip(data, name) as archive:
        try:
            if not FAST:
                raise _NeedOpenpyxl
            values, locations = _named_values_fast(archive, data)
        except _NeedOpenpyxl:
            values, locations = _named_values_openpyxl(data, name)
    fmt_key = template_format(values) or _format(values.get(META_NAMES["format"])) or "2021"
    _calculate_totals(values, locations, fmt_key, data, name)
    return values, locations

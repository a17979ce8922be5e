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

import io
import re
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.xml.functions import iterparse

from ..errors import InputError
from ..findings import Finding
from ..formats import FORMATS, load_format
from ..layout import defined_name, key_of_name
from ..model import Report
from ..ruleset import computed_cells
from . import check_file
from .cells import BROKEN, META_NAMES, _format, _problem, _text, report_from_named_cells

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


def check_zip(data: bytes, name: str) -> None:
    """Refuse what is not a zip with a workbook part, or would unpack to far too much."""
    if data.startswith(_OLE_MAGIC):
        raise InputError(f"{name}：不是有效的 Excel 工作簿（.xlsx）：这是设置了打开密码的工作簿或旧版 .xls 文件。"
                         "请在 Excel 或 WPS 中取消打开密码，或另存为 .xlsx 后再试。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{name}：不是有效的 Excel 工作簿（文件不是 .xlsx 格式，或已损坏、不完整）") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise InputError(f"{name}：工作簿内部文件过多（{len(members)} 个，上限 {MAX_ZIP_MEMBERS}），拒绝读取")
        total = sum(m.file_size for m in members)
        if total > MAX_UNZIPPED_BYTES:
            raise InputError(f"{name}：工作簿解压后过大（{total // 1024 // 1024} MB，"
                             f"上限 {MAX_UNZIPPED_BYTES // 1024 // 1024} MB），拒绝读取")
        for m in members:
            if m.file_size > RATIO_CHECK_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1):
                raise InputError(f"{name}：工作簿中的 {m.filename} 压缩比异常（疑似压缩炸弹），拒绝读取")
        if "xl/workbook.xml" not in {m.filename for m in members}:
            raise InputError(f"{name}：不是有效的 Excel 工作簿（缺少 xl/workbook.xml；可能是其他类型的 zip 文件）")


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


def _load(data: bytes, name: str) -> tuple[Any, ExcelReader]:
    """Open with openpyxl for calculated values; its warnings about features it drops
    (extensions, slicers) mean nothing to a filer and are silenced."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = ExcelReader(io.BytesIO(data), read_only=False, keep_vba=False, data_only=True,
                                 keep_links=False, rich_text=False)
            reader.read()
    except Exception as e:  # noqa: BLE001 - any failure inside openpyxl means a corrupt file
        raise _corrupt(name, e) from None
    return reader.wb, reader


def _uncached_formulas(data: bytes, reader: ExcelReader, wanted: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Which of the ``{sheet: {coords}}`` cells hold a formula with no calculated value."""
    parts = {sheet.name: rel.target.lstrip("/") for sheet, rel in reader.parser.find_sheets()}
    found: set[tuple[str, str]] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
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


def template_format(names: Iterable[str]) -> str | None:
    """Which format's template the workbook was made from, told by its cell names: the
    format with the most names of cells that only it has (``None`` if neither)."""
    keys = {key_of_name(n) for n in names}
    scores = {}
    for fmt in FORMATS:
        others = set().union(*(load_format(f).keys for f in FORMATS if f != fmt))
        scores[fmt] = len(keys & (set(load_format(fmt).keys) - others))
    best = max(scores, key=scores.get)
    return best if scores[best] else None


def _check_format_cell(values: dict[str, Any], locations: dict[str, str]) -> Finding | None:
    """A 报告格式 cell that names the other format than the workbook's tables: read the
    tables as what they are, and say so (W003)."""
    name = META_NAMES["format"]
    stated, template = _format(values.get(name)), template_format(values)
    if stated is None or template is None or stated == template:
        return None
    raw = values[name]
    values[name] = template
    where = [locations[name]] if name in locations else ["format"]
    return _problem("W003", ["format"], where, stated=_text(raw), template=load_format(template).name)


def _check_tables_left(values: dict[str, Any], name: str) -> None:
    """Refuse a workbook of ours in which no table cell can be read any more."""
    table_keys = set().union(*(load_format(f).keys for f in FORMATS))
    ours = [n for n in values if key_of_name(n) in table_keys]
    if ours and all(values[n] is BROKEN for n in ours):
        sheets = "、".join(t.sheet for t in load_format(template_format(ours) or "2021").tables)
        raise InputError(f"{name}：工作簿中{sheets}的单元格都已被删除（名称指向 #REF!），无法读取。"
                         "请撤销删除，或用 `nianbao new` 新建模板后把数据复制过去。")


def _calculate_totals(values: dict[str, Any], locations: dict[str, str], fmt_key: str, data: bytes,
                      reader: ExcelReader, name: str) -> None:
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
        uncached = _uncached_formulas(data, reader, wanted)
    except Exception as e:  # noqa: BLE001 - a sheet openpyxl read but the scan cannot: corrupt
        raise _corrupt(name, e) from None
    uncalculated = {k for k, location in empty.items() if tuple(location.rsplit("!", 1)) in uncached}
    fill_uncalculated_totals(values, uncalculated, fmt_key)


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
        raise InputError(f"无法读取文件 {path}：{e.strerror or e}") from None
    check_zip(data, name)
    wb, reader = _load(data, name)

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

    _check_tables_left(values, name)
    mismatch = _check_format_cell(values, locations)
    fmt_key = _format(values.get(META_NAMES["format"])) or template_format(values) or "2021"
    _calculate_totals(values, locations, fmt_key, data, reader, name)

    report = report_from_named_cells(values, locations, str(path))
    if mismatch is not None:
        report.problems.insert(0, mismatch)
    return report

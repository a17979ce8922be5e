"""From named cells to a :class:`~addin.model.Report` — the part of reading a workbook
that does not depend on how the workbook is opened.

The template gives every input a defined name (see :mod:`addin.layout`): ``NB.<cell
key>`` for table cells, and :data:`META_NAMES` for 基本信息 and 正文. The openpyxl
reader (file mode) and the xlwings macros (Excel) both collect ``{defined name: raw
value}`` and ``{defined name: "sheet!A1"}`` and hand them here, so both read a
workbook the same way: by name, never by fixed address, so a filer who inserts a row
or renames a sheet does not break it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..findings import Finding
from ..formats import FORMATS, format_for_year, load_format
from ..layout import defined_name, key_of_name
from ..model import CLOSING_FIELDS, CONTACT_FIELDS, SECTION_KEYS, Report
from ..ruleset import builtin_rules

#: Defined names of the non-table inputs: report field → name.
META_NAMES: dict[str, str] = {
    "format": "NB.format",
    "year": "NB.year",
    "agency": "NB.agency",
    **{f"contact.{k}": f"NB.contact.{k}" for k in CONTACT_FIELDS},
    **{k: f"NB.{k}" for k in CLOSING_FIELDS},
    **{k: f"NB.{k}" for k in SECTION_KEYS},
}
#: Where 校验 writes its one-line status (on 基本信息).
STATUS_NAME = "NB.status"

#: What a name pointing nowhere reads as (a deleted sheet or row).
BROKEN = object()


def _problem(rule_id: str, cells: list[str], locations: list[str], **params) -> Finding:
    rule = builtin_rules().get(rule_id)
    return Finding(rule=rule.id, severity=rule.severity, name=rule.name, hint=rule.hint,
                   message=rule.message.format(**params), cells=cells, locations=locations)


def _text(v: Any) -> str:
    if v is None or v is BROKEN:
        return ""
    if isinstance(v, float) and v == int(v):
        v = int(v)
    return str(v).strip()


def _year(v: Any) -> int | None:
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v == int(v):
        return int(v)
    m = re.fullmatch(r"\s*(\d{4})\s*年?(度)?\s*", _text(v))
    return int(m.group(1)) if m else None


def _format(v: Any) -> str | None:
    m = re.search(r"(2019|2021)", _text(v))
    return m.group(1) if m else None


def _broken_findings(spec, broken: list[str], locations: dict[str, str]) -> list[Finding]:
    """W002 for cells whose names point nowhere: one finding per cell, or one for a whole
    table when all of its cells are gone (its sheet was deleted) instead of 175 lines."""
    out: list[Finding] = []
    gone = set(broken)
    for table in spec.tables:
        keys = [k for k in table.cell_keys() if k in gone]
        if not keys:
            continue
        if len(keys) == len(table.cell_keys()):
            out.append(_problem("W002", keys, [locations.get(k, k) for k in keys], name=f"NB.{table.key}.*",
                                where=f"表{table.number}的全部 {len(keys)} 个单元格"))
        else:
            out.extend(_problem("W002", [k], [locations.get(k, k)], name=defined_name(k),
                                where=spec.cells[k].describe()) for k in keys)
    return out


@cache
def _known_names(fmt_key: str) -> frozenset[str]:
    """Our names that a workbook of this format is expected to have."""
    return frozenset({defined_name(k) for k in load_format(fmt_key).keys} | set(META_NAMES.values()) | {STATUS_NAME})


@cache
def _own_names() -> dict[str, frozenset[str]]:
    """``{format: names of the cells only that format has}``."""
    out = {}
    for fmt in FORMATS:
        others = set().union(*(load_format(f).keys for f in FORMATS if f != fmt))
        out[fmt] = frozenset(defined_name(k) for k in set(load_format(fmt).keys) - others)
    return out


def template_format(names: Iterable[str]) -> str | None:
    """Which format's template the workbook was made from, told by its cell names: the
    format with the most names of cells that only it has (``None`` if neither)."""
    names = names if isinstance(names, (set, frozenset, dict)) else set(names)
    scores = {fmt: sum(1 for n in own if n in names) for fmt, own in _own_names().items()}
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


@cache
def _table_names() -> frozenset[str]:
    """The defined names of every table cell of either format."""
    return frozenset(defined_name(k) for f in FORMATS for k in load_format(f).keys)


def _check_tables_left(values: dict[str, Any], name: str) -> None:
    """Refuse a workbook of ours in which no table cell can be read any more."""
    table_names = _table_names()
    ours = [n for n in values if n in table_names]
    if ours and all(values[n] is BROKEN for n in ours):
        sheets = "、".join(t.sheet for t in load_format(template_format(ours) or "2021").tables)
        raise InputError(f"{name}：工作簿中{sheets}的单元格都已被删除（名称指向 #REF!），无法读取。"
                         "请撤销删除，或用 `nianbao new` 新建模板后把数据复制过去。")


def report_from_named_cells(values: dict[str, Any], locations: dict[str, str], source: str = "") -> Report:
    """Build a report from ``{defined name: raw value}``.

    ``values`` holds every defined name of the workbook that could be read (a name whose
    target is gone maps to :data:`BROKEN`); ``locations`` gives each name's
    ``sheet!A1``. Raises :class:`InputError` if the workbook has none of our names.
    """
    ours = {n for n in values if key_of_name(n) is not None}
    if not ours:
        raise InputError(f"{source}：不是年报助手模板生成的工作簿（没有找到任何“NB.”开头的名称）。"
                         "请用 `nianbao new` 新建模板，或用 `nianbao import` 导入其他来源的报告。")
    values = dict(values)
    _check_tables_left(values, Path(source).name if source else "工作簿")
    mismatch = _check_format_cell(values, locations)
    year = _year(values.get(META_NAMES["year"]))
    fmt = _format(values.get(META_NAMES["format"]))
    if fmt is None:  # tell the format from the names: 2019 has t3.other, 2021 has t3.other_misc
        has = {key_of_name(n) for n in ours}
        fmt = "2019" if "t3.other.total" in has else "2021" if "t3.other_misc.total" in has else None
    if fmt is None:
        fmt = format_for_year(year) if year else "2021"
    spec = load_format(fmt)

    problems: list[Finding] = []
    broken: list[str] = []
    raw: dict[str, Any] = {}
    key_locations: dict[str, str] = {}
    for key in spec.keys:
        name = defined_name(key)
        if name not in values:
            problems.append(_problem("W001", [key], [key], name=name, where=spec.cells[key].describe()))
            continue
        loc = locations.get(name, key)
        key_locations[key] = loc
        if values[name] is BROKEN:
            broken.append(key)
            continue
        raw[key] = values[name]
    problems.extend(_broken_findings(spec, broken, key_locations))
    for name in sorted(ours - _known_names(fmt)):
        key = key_of_name(name)
        if re.fullmatch(r"t[234]\.[a-z_]+\.[a-z_]+", key) and values[name] is not BROKEN and _text(values[name]):
            raw[key] = values[name]  # a cell of the other format: F002 reports it
    for field in ("year", "agency", "format", *SECTION_KEYS):
        name = META_NAMES[field]
        if name in locations:
            key_locations[field] = locations[name]

    report = Report.from_values(
        fmt, raw,
        year=year,
        agency=_text(values.get(META_NAMES["agency"])),
        contact={k: _text(values.get(META_NAMES[f"contact.{k}"])) for k in CONTACT_FIELDS},
        **{k: _text(values.get(META_NAMES[k])) for k in CLOSING_FIELDS},
        sections={k: _text(values.get(META_NAMES[k])) for k in SECTION_KEYS if _text(values.get(META_NAMES[k]))},
        locations=key_locations,
        source=source,
    )
    report.problems.extend(problems)
    if mismatch is not None:
        report.problems.insert(0, mismatch)
    return report

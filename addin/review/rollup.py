"""Compilation (汇总): a government's tables as the cell-by-cell sum of its units' tables.

The 政府信息公开工作主管部门 of a government compiles the government's own report
from its departments' (and lower levels') reports (format-spec §5). Only reports of
one format and one year can be added. Each unit is validated first; a unit with
errors is still added — its numbers are what it published — but it is named.
Empty and “/” cells add as 0 and are counted; a cell holding text is not added and
is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import InputError
from ..formats import load_format
from ..model import Report
from ..values import EMPTY, INVALID, NA, NUMBER


@dataclass
class Unit:
    file: str
    report: Report
    errors: int = 0
    warnings: int = 0

    @property
    def name(self) -> str:
        return self.report.agency or f"（未填机关：{Path(self.file).name}）"


@dataclass
class Rollup:
    report: Report
    units: list[Unit]
    blank: dict[str, list[str]] = field(default_factory=dict)  # unit name → cell keys empty or “/”
    absent: dict[str, list[str]] = field(default_factory=dict)  # unit name → cell keys the source lacks
    text: list[tuple[str, str, str]] = field(default_factory=list)  # (unit, key, raw) not added

    def lines(self) -> list[str]:
        """What a reviewer must know about the compilation, in Chinese."""
        spec = self.report.spec
        out = [f"汇总单位（{len(self.units)} 个）："]
        for u in self.units:
            flag = f"  ← 有 {u.errors} 个错误，数字仍已计入，请核实" if u.errors else ""
            out.append(f"  {u.name}（{u.file}）{flag}")
        for u in self.units:
            blank, absent = self.blank.get(u.name, []), self.absent.get(u.name, [])
            if blank and absent:
                out.append(f"{u.name}：{len(blank)} 个单元格为空或“/”、{len(absent)} 个单元格缺失（原文或文件中没有），均按 0 计入")
            elif blank:
                out.append(f"{u.name}：{len(blank)} 个单元格为空或“/”，按 0 计入")
            elif absent:
                out.append(f"{u.name}：{len(absent)} 个单元格缺失（原文或文件中没有），按 0 计入")
        for unit, key, raw in self.text:
            out.append(f"{unit}：{spec.cells[key].describe()}填写的“{raw}”不是数字，未计入")
        return out


def _plain(v):
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return int(v)
    return v


def check_compatible(units: list[Unit], year: int | None) -> tuple[str, int]:
    """The one format and year of all units; refuses a mix with a message naming the units."""
    by_format: dict[str, list[str]] = {}
    for u in units:
        by_format.setdefault(u.report.spec.key, []).append(u.name)
    if len(by_format) > 1:
        parts = "；".join(f"{load_format(f).name}：{'、'.join(n)}" for f, n in sorted(by_format.items()))
        raise InputError(f"各单位报告的表格格式不一致，不能汇总（{parts}）。请先把报告统一为同一格式。")
    years: dict[int, list[str]] = {}
    for u in units:
        if u.report.year is not None:
            years.setdefault(u.report.year, []).append(u.name)
    if year is not None:
        wrong = {y: n for y, n in years.items() if y != year}
        if wrong:
            parts = "；".join(f"{y} 年度：{'、'.join(n)}" for y, n in sorted(wrong.items()))
            raise InputError(f"以下单位的报告年度不是 {year} 年，不能汇总（{parts}）。")
    elif len(years) > 1:
        parts = "；".join(f"{y} 年度：{'、'.join(n)}" for y, n in sorted(years.items()))
        raise InputError(f"各单位报告的年度不一致，不能汇总（{parts}）。请用 --year 指定年度并剔除其他年度的报告。")
    elif not years:
        raise InputError("各单位报告都没有填写年度，请用 --year 指定汇总年度。")
    fmt = next(iter(by_format))
    return fmt, year if year is not None else next(iter(years))


def compile_units(units: list[Unit], agency: str = "", year: int | None = None) -> Rollup:
    """Add the units' tables cell by cell into a new report."""
    if not units:
        raise InputError("没有可汇总的报告")
    names: dict[str, list[str]] = {}
    from ..review.batch import agency_key

    for u in units:
        if u.report.agency:
            names.setdefault(agency_key(u.report.agency), []).append(u.file)
    dup = [files for files in names.values() if len(files) > 1]
    if dup:
        raise InputError("同一单位的报告出现了不止一次，汇总会重复计数：" + "；".join("、".join(f) for f in dup))
    fmt_key, year = check_compatible(units, year)
    spec = load_format(fmt_key)
    sums: dict[str, int | Decimal] = {k: 0 for k in spec.keys}
    result = Rollup(report=None, units=units)  # type: ignore[arg-type]
    for u in units:
        for key in spec.keys:
            c = u.report.cells.get(key)
            if c is None:
                result.absent.setdefault(u.name, []).append(key)
            elif c.state in (EMPTY, NA):
                result.blank.setdefault(u.name, []).append(key)
            elif c.state == NUMBER:
                sums[key] = sums[key] + c.value
            elif c.state == INVALID:
                result.text.append((u.name, key, str(c.raw)))
    listing = "、".join(u.name for u in units)
    s6 = f"本报告表格数据由以下 {len(units)} 个单位的年度报告逐项汇总：{listing}。"
    result.report = Report.from_values(fmt_key, {k: _plain(v) for k, v in sums.items()}, year=year,
                                       agency=agency or "", sections={"s6": s6}, source="汇总")
    return result

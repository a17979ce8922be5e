"""``nianbao new``: a new report workbook from the template — blank, or filled from a
report, with last year's carry-over brought forward."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..errors import InputError
from ..formats import FORMATS, format_for_year
from ..model import Report
from ..readers import read_report
from ..ruleset import builtin_rules, compile_rule, computed_cells
from ..values import NUMBER, format_number, parse_value
from ..writers.workbook import write_workbook

DESCRIPTION = (
    "由模板新建年报工作簿。\n"
    "  空白：nianbao new --year 2025 --agency 某某局 -o 2025年报.xlsx（格式按年度自动选择）\n"
    "  由报告 JSON 填好：nianbao new --from 报告.json -o 年报.xlsx\n"
    "  带上年结转：加 --prev 上年年报.xlsx，按跨年度规则（nianbao rule X001）由上年报告预填“上年结转”等应与上年相符的单元格。"
)


def add_arguments(p) -> None:
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="要生成的工作簿")
    p.add_argument("--format", dest="fmt", choices=FORMATS, help="报告格式（默认按年度：2021 年度及以后用 2021）")
    p.add_argument("--year", type=int, help="报告年度，例如 2025")
    p.add_argument("--agency", help="机关名称")
    p.add_argument("--from", dest="source", metavar="REPORT", help="由这份报告（报告 JSON 或工作簿）填写")
    p.add_argument("--prev", metavar="LAST", help="上一年度的报告（.xlsx 或 .json），用于填写表三“上年结转”")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")


def _base_report(args) -> Report:
    if args.source:
        report = read_report(args.source)
        if args.fmt and report.format and args.fmt != report.format:
            raise InputError(f"{args.source} 使用 {report.format} 格式，与 --format {args.fmt} 不一致")
    else:
        report = Report(format=None)
    if args.year is not None:
        report.year = args.year
    if args.agency:
        report.agency = args.agency.strip()
    fmt = args.fmt or report.format or (format_for_year(report.year) if report.year else "2021")
    if report.year is not None and fmt != format_for_year(report.year):
        raise InputError(f"{report.year} 年度的报告应使用 {format_for_year(report.year)} 格式，"
                         f"不能使用 {fmt} 格式（见 nianbao rule F001）")
    if report.format is None:
        report.format = fmt
    return report


def carry_over_pairs(fmt_key: str) -> list[tuple[str, str]]:
    """``[(this year's key, last year's key)]`` that a cross-year rule says must be equal,
    e.g. X001 ``t3.carried.{col} == prev.t3.forward.{col}``: what ``--prev`` can pre-fill.
    Totals are left out: the template computes them."""
    computed = computed_cells(fmt_key)
    pairs = []
    for rule in builtin_rules().for_format(fmt_key):
        for check in compile_rule(rule, fmt_key):
            node = check.assertion
            if node[0] != "cmp" or node[1] != "==" or node[2][0] != "ref" or node[3][0] != "ref":
                continue
            here, there = node[2][1], node[3][1]
            if here.startswith("prev."):
                here, there = there, here
            if there.startswith("prev.") and not here.startswith("prev.") and here not in computed:
                pairs.append((here, there[len("prev."):]))
    return pairs


def carry_over(report: Report, prev: Report) -> list[tuple[str, int | Decimal]]:
    """Fill this year's cells from last year's report where a cross-year rule says they
    are equal and last year's cell holds a number. Returns ``[(key, value)]`` filled."""
    filled = []
    for key, prev_key in carry_over_pairs(report.spec.key):
        cell = prev.cells.get(prev_key)
        if key not in report.spec.cells or cell is None or cell.state != NUMBER:
            continue
        report.cells[key] = parse_value(cell.value, report.spec.cells[key].kind)
        filled.append((key, cell.value))
    return filled


def describe_filled(report: Report, filled: list[tuple[str, int | Decimal]]) -> list[str]:
    """One line per table row: 表三“上年结转”行：自然人 2、商业企业 0…"""
    rows: dict[tuple[str, str], list[str]] = {}
    for key, value in filled:
        cs = report.spec.cells[key]
        rows.setdefault((cs.table.number, cs.row.short), []).append(f"{cs.column.short} {format_number(value)}")
    return [f"表{number}“{row}”行：{'、'.join(items)}" for (number, row), items in rows.items()]


def run(args) -> int:
    report = _base_report(args)
    if args.prev:
        prev = read_report(args.prev)
        if prev.year and report.year and prev.year != report.year - 1:
            print(f"注意：{args.prev} 是 {prev.year} 年度的报告，不是 {report.year - 1} 年度。")
        filled = carry_over(report, prev)
        if filled:
            print(f"已由上年报告 {args.prev} 预填：")
            for line in describe_filled(report, filled):
                print(f"  {line}")
        else:
            print(f"上年报告 {args.prev} 中没有可用于预填的数字（见 nianbao rule X001），未预填。")
    notes = write_workbook(report, Path(args.output), force=args.force)
    for note in notes:
        print(f"注意：{note}")
    what = f"{report.year} 年度" if report.year else "年度未填"
    print(f"已生成 {args.output}（{report.spec.name}，{what}，{report.agency or '机关名称未填'}）。")
    print(f"用 Excel 或 WPS 打开填写白色单元格；填好后运行：nianbao validate {args.output}")
    return 0

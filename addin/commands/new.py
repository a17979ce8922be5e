"""``nianbao new``: a new report workbook from the template — blank, or filled from a
report, with last year's carry-over brought forward."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..formats import FORMATS, format_for_year, load_format
from ..model import Report
from ..readers import read_report
from ..values import NUMBER, format_number
from ..writers.workbook import write_workbook

DESCRIPTION = (
    "由模板新建年报工作簿。\n"
    "  空白：nianbao new --year 2025 --agency 某某局 -o 2025年报.xlsx（格式按年度自动选择）\n"
    "  由报告 JSON 填好：nianbao new --from 报告.json -o 年报.xlsx\n"
    "  带上年结转：加 --prev 上年年报.xlsx，把上年表三“四、结转下年度继续办理”填入今年“二、上年结转”。"
)

#: 表三: this year's 二、上年结转 row comes from last year's 四、结转下年度继续办理 row.
CARRIED_ROW, FORWARD_ROW = "carried", "forward"


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


def carry_over(report: Report, prev: Report) -> list[tuple[str, object]]:
    """Copy last year's 表三 结转下年度 into this year's 上年结转, column by column.

    Only columns whose value last year was a number are copied; computed totals keep
    their formula. Returns ``[(column label, value)]`` of what was filled.
    """
    from ..ruleset import computed_cells
    from ..values import parse_value

    t3 = report.spec.table("t3")
    computed = computed_cells(report.spec.key)
    filled = []
    for column in t3.columns:
        src, dst = f"t3.{FORWARD_ROW}.{column.key}", f"t3.{CARRIED_ROW}.{column.key}"
        cell = prev.cells.get(src)
        if dst in computed or cell is None or cell.state != NUMBER or dst not in report.spec.cells:
            continue
        report.cells[dst] = parse_value(cell.value, column.kind)
        filled.append((column.short, cell.value))
    return filled


def run(args) -> int:
    report = _base_report(args)
    if args.prev:
        prev = read_report(args.prev)
        if prev.year and report.year and prev.year != report.year - 1:
            print(f"注意：{args.prev} 是 {prev.year} 年度的报告，不是 {report.year - 1} 年度。")
        filled = carry_over(report, prev)
        row = load_format(report.spec.key).table("t3").row(CARRIED_ROW).label
        if filled:
            parts = "、".join(f"{label} {format_number(v)}" for label, v in filled)
            print(f"已由上年报告 {args.prev} 填入表三“{row}”：{parts}")
        else:
            print(f"上年报告 {args.prev} 中没有可用的“结转下年度继续办理”数字，表三“{row}”未填写。")
    notes = write_workbook(report, Path(args.output), force=args.force)
    for note in notes:
        print(f"注意：{note}")
    what = f"{report.year} 年度" if report.year else "年度未填"
    print(f"已生成 {args.output}（{report.spec.name}，{what}，{report.agency or '机关名称未填'}）。")
    print(f"用 Excel 或 WPS 打开填写白色单元格；填好后运行：nianbao validate {args.output}")
    return 0

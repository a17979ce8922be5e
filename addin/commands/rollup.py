"""``nianbao rollup DEPT_FILES… -o GOV.xlsx``: compile a government's tables from its units'."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError

DESCRIPTION = (
    "汇总：把各部门（单位）报告的表二、表三、表四逐格相加，生成本级政府报告的工作簿。\n"
    "各单位报告须为同一格式、同一年度；每份先校验，有错误的单位照样计入但会列出。\n"
    "空白和“/”按 0 计入并统计，填写文字的单元格不计入并列出。汇总单位名单写入“六、其他需要报告的事项”。"
)


def add_arguments(p) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="各单位的报告（工作簿、报告 JSON 或已发布的报告），也可以是文件夹")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="汇总结果：.xlsx（填好的模板）或 .json")
    p.add_argument("--agency", default="", metavar="NAME", help="本级政府（汇总报告）的机关名称")
    p.add_argument("--year", type=int, default=None, metavar="Y", help="汇总年度（各单位报告都须为该年度）")
    p.add_argument("--rules", metavar="OVERLAY.json", help="规则覆盖文件")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")


def run(args) -> int:
    from ..commands.import_ import write_report
    from ..readers import read_report
    from ..review.batch import iter_paths
    from ..review.rollup import Unit, compile_units
    from ..ruleset import load_rules
    from ..validate import validate
    from ..writers.atomic import check_target

    out = Path(args.output)
    if out.suffix.lower() not in (".xlsx", ".xlsm", ".json"):
        raise InputError(f"无法识别的输出类型“{out.suffix or '无扩展名'}”：{out}。请用 .xlsx 或 .json。")
    check_target(out, args.force)
    rules = load_rules(args.rules)  # a bad overlay is a RuleSetError: exit 2
    units = []
    bad = []
    for path in iter_paths(args.files):
        try:
            report = read_report(path)
        except InputError as e:
            bad.append(str(e))
            continue
        findings = validate(report, rules)
        units.append(Unit(str(path), report, sum(f.severity == "error" for f in findings),
                          sum(f.severity == "warning" for f in findings)))
    if bad:
        raise InputError("以下文件无法读取，未进行汇总：\n  " + "\n  ".join(bad))
    result = compile_units(units, agency=args.agency, year=args.year)
    print("\n".join(result.lines()))
    for note in write_report(result.report, out, args.force):
        print(f"  注意：{note}")
    print(f"汇总结果（{result.report.spec.name}，{result.report.year} 年度）已写出：{out}")
    with_errors = [u for u in units if u.errors]
    if with_errors:
        print(f"注意：{len(with_errors)} 个单位的报告有错误，其数字已计入汇总。", file=sys.stderr)
    return 0

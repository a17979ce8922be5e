"""``nianbao demo``: write an example workbook with a few typical mistakes, then check it.

The example's numbers satisfy every rule; :func:`addin.examples.demo_mistakes` then
breaks a few, the way filers do. One of them is a 表四 总计 typed over its formula:
in the workbook that cell therefore holds a plain number instead of the template's
``=SUM(...)`` — exactly what the filer would have left — so the mistake shows.
"""

from __future__ import annotations


from ..examples import demo_mistakes, example_report, example_values
from .export import output_dir
from .validate import print_text
from ..formats import FORMATS
from ..model import Report
from ..readers.workbook import read_workbook
from ..ruleset import computed_cells
from ..validate import validate
from ..writers.workbook import write_workbook

DESCRIPTION = ("生成一份带有几处典型错误的示例工作簿（示例年报-<格式>.xlsx），读回并校验，显示校验结果。\n"
               "示例中的错误是故意的；打开工作簿对照结果看一看，就知道校验能发现什么。")


def add_arguments(p) -> None:
    p.add_argument("-o", "--output-dir", dest="outdir", default=".", metavar="DIR", help="输出文件夹（默认当前文件夹；不存在时自动创建）")
    p.add_argument("--format", dest="fmt", choices=FORMATS, default="2021", help="报告格式（默认 2021）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的示例工作簿")


def demo_report(fmt: str) -> tuple[Report, set[str]]:
    """The example report with the demo's mistakes, and the totals typed over their formula."""
    base = example_report(fmt)
    clean = example_values(fmt)
    values = demo_mistakes(clean)
    typed_over = {k for k in computed_cells(fmt) if values.get(k) != clean.get(k)}
    report = Report.from_values(fmt, values, year=base.year, agency=base.agency, contact=base.contact,
                                sections=base.sections, source="示例")
    return report, typed_over


def run(args) -> int:
    outdir = output_dir(args.outdir)
    path = outdir / f"示例年报-{args.fmt}.xlsx"
    report, typed_over = demo_report(args.fmt)
    write_workbook(report, path, force=args.force, typed_over=typed_over)
    print(f"已生成示例工作簿：{path}（其中有几处故意的错误）")
    print()
    back = read_workbook(path)
    findings = validate(back)
    print_text(str(path), back, findings)
    print()
    first = next((f.rule for f in findings if f.severity == "error"), "T301")
    print(f"接下来可以：用 Excel 或 WPS 打开 {path} 对照上面的位置查看；"
          f"运行 nianbao rule {first} 了解一条规则；改好后运行 nianbao export {path} 导出报告。")
    return 0

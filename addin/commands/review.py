"""``nianbao review PATHS… -o review.xlsx``: review many reports at once."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import InputError

DESCRIPTION = (
    "批量审核年度报告：工作簿（.xlsx）、报告 JSON、已发布的文本/网页/Word/PDF 可以混在一起，也可以给文件夹（含子文件夹）。\n"
    "每份报告一行（机关、年度、格式、错误、警告、主要问题），另附全部问题明细；无法读取的文件也占一行并说明原因。\n"
    "用 --prev-dir 给出上一年度报告所在的文件夹，按机关名称自动配对，核对结转衔接、数字跳变和正文雷同。\n"
    "退出码：0 无错误，1 有报告存在错误，2 有文件无法读取。"
)


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或文件夹")
    p.add_argument("-o", "--output", metavar="OUT", help="审核结果：.xlsx（可筛选排序）、.html 或 .json")
    p.add_argument("--format", dest="show", choices=["text", "json"], default="text", help="屏幕输出格式（默认 text）")
    p.add_argument("--prev", metavar="LAST", help="上一年度报告（审核单份报告时使用）")
    p.add_argument("--prev-dir", metavar="DIR", help="上一年度报告所在文件夹，按机关名称配对")
    p.add_argument("--rules", metavar="OVERLAY.json", help="规则覆盖文件")
    p.add_argument("--jobs", type=int, default=None, help="并行进程数（默认：全部 CPU 核）")
    p.add_argument("--progress", action="store_true", help="显示进度条（终端中默认显示）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")


def run(args) -> int:
    from ..review.batch import review
    from ..review.output import text_lines, to_json, write_html, write_json, write_xlsx
    from ..ruleset import load_rules
    from ..writers.atomic import check_target

    for p in args.paths:
        if not Path(p).exists():
            raise InputError(f"找不到：{p}")
    if args.prev_dir and not Path(args.prev_dir).is_dir():
        raise InputError(f"上一年度报告文件夹不存在：{args.prev_dir}")
    if args.prev and not Path(args.prev).is_file():
        raise InputError(f"找不到上一年度报告：{args.prev}")
    load_rules(args.rules)  # a bad overlay is a RuleSetError: exit 2
    writer = None
    if args.output:
        suffix = Path(args.output).suffix.lower()
        writer = {".xlsx": write_xlsx, ".html": write_html, ".htm": write_html, ".json": write_json}.get(suffix)
        if writer is None:
            raise InputError(f"无法识别的输出类型“{suffix or '无扩展名'}”：{args.output}。请用 .xlsx、.html 或 .json。")
        check_target(Path(args.output), args.force)
    progress = args.progress or sys.stderr.isatty()
    rows = review(args.paths, prev_file=args.prev, prev_dir=args.prev_dir, overlay=args.rules, jobs=args.jobs,
                  progress=progress, exclude=[args.output] if args.output else [])
    if not rows:
        raise InputError("没有找到可审核的报告文件（.xlsx、.json、.txt、.html、.docx、.pdf）")
    if writer is not None:
        writer(rows, args.output, args.force)
    if args.show == "json":
        json.dump(to_json(rows), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print("\n".join(text_lines(rows)))
        if args.output:
            print(f"审核结果已写出：{args.output}")
    if any(r.problem for r in rows):
        return 2
    return 1 if any(r.errors for r in rows) else 0

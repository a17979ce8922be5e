"""``nianbao mark FILE.xlsx``: file mode of the 校验 button (WPS, Linux desktops)."""

from __future__ import annotations

DESCRIPTION = ("校验工作簿，并把结果写进它的副本：填写“校验结果”表、给有问题的单元格标色、在“基本信息”写状态行——"
               "与 Excel 加载项的“校验”按钮完全相同。适用于 WPS 和 Linux 桌面。\n"
               "默认输出为同一文件夹下的“<文件名>-校验.xlsx”，不修改原文件。\n"
               "使用 xlwings 的远程引擎（PolyForm Noncommercial 许可，政府机关可免费使用）；"
               "未设置环境变量 XLWINGS_LICENSE_KEY 时自动设为 noncommercial。\n"
               "退出码：0 无错误，1 有错误，2 文件无法使用。")


def add_arguments(p) -> None:
    p.add_argument("file", metavar="FILE.xlsx", help="年报工作簿")
    p.add_argument("-o", "--output", metavar="OUT.xlsx", help="输出文件（默认 <文件名>-校验.xlsx）")
    p.add_argument("--force", action="store_true", help="允许覆盖已存在的输出文件（包括 -o 与输入相同时覆盖原文件）")
    p.add_argument("--clear", action="store_true", help="只清除上次的标记（“清除标记”按钮），不校验")
    p.add_argument("--no-recalc", action="store_true", help="不用 LibreOffice 重新计算公式，直接使用文件中保存的计算结果")


def run(args) -> int:
    from ..excel.filemode import ensure_license

    ensure_license()
    from ..excel.filemode import mark_file
    from ..findings import summary

    result = mark_file(args.file, args.output, force=args.force,
                       script="clear_marks" if args.clear else "validate",
                       recalc=False if args.no_recalc else None)
    for alert in result.alerts:
        print(alert["prompt"])
    if args.clear:
        print(f"已清除标记：{result.output}")
        return 0
    for f in result.findings:
        print(f.text_line(args.file))
    s = summary(result.findings)
    print(f"{s['errors']} 个错误，{s['warnings']} 个警告。已写入：{result.output}")
    return 1 if s["errors"] else 0

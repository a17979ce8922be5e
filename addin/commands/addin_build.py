"""``nianbao addin build``: build the desktop Excel add-in (.xlam) from xlwings' ribbon add-in."""

from __future__ import annotations

from pathlib import Path

DESCRIPTION = ("由 xlwings 自带的功能区加载项（quickstart_addin_ribbon.xlam）生成“年报助手”桌面加载项 nianbao.xlam："
               "“政务公开年报”选项卡（校验、清除标记、导出报告、填写说明），每个按钮调用各自的 Python 函数。\n"
               "在任何系统上都可构建（不需要 Excel）；结果可重现，与仓库中 workbook_templates/nianbao.xlam 逐字节相同。")
DEFAULT = Path("workbook_templates") / "nianbao.xlam"


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="addin_command", metavar="<子命令>", required=True)
    b = sub.add_parser("build", help="构建 nianbao.xlam", description=DESCRIPTION)
    b.add_argument("-o", "--output", default=str(DEFAULT), help=f"输出文件（默认 {DEFAULT}）")
    b.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    c = sub.add_parser("check", help="检查已构建的加载项：功能区、VBA 过程、xlwings 版本、服务器模式模块、调用解析、配置表")
    c.add_argument("file", nargs="?", help="加载项文件（默认为随年报助手安装的 nianbao.xlam）")


def run(args) -> int:
    import importlib.util

    from ..errors import InputError

    if importlib.util.find_spec("oletools") is None:
        raise InputError("构建和检查加载项需要 oletools（读取 VBA）：pip install 'nianbao[test]' 或 pip install oletools")
    if args.addin_command == "build":
        from ..excel.addin_build import build

        out = build(Path(args.output), force=args.force)
        print(f"已生成：{out}")
        return 0
    from ..excel.addin_check import check

    from ..resources import templates_dir

    problems = check(Path(args.file) if args.file else templates_dir() / "nianbao.xlam")
    for p in problems:
        print(p)
    print("检查通过。" if not problems else f"发现 {len(problems)} 个问题。")
    return 1 if problems else 0

"""The ``nianbao`` command line.

Each command lives in ``addin/commands/<name>.py`` with ``add_arguments(parser)`` and
``run(args) -> int``; this module only wires them up, so a command's import cost is
paid only when it runs. Exit codes of checking commands: 0 no errors, 1 errors found,
2 input unusable.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

from . import __version__
from .errors import InputError

#: name → (module, one-line Chinese help). Order is the order ``nianbao -h`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("addin.commands.demo", "生成一份带有几处错误的示例工作簿，校验并显示结果"),
    "new": ("addin.commands.new", "由模板新建年报工作簿（空白，或由报告 JSON 填好）"),
    "validate": ("addin.commands.validate", "校验工作簿或报告 JSON，逐条列出错误和警告"),
    "mark": ("addin.commands.mark", "校验工作簿并把结果写回工作簿（校验结果表、标色；文件模式，适用于 WPS 和 Linux 桌面）"),
    "export": ("addin.commands.export", "导出报告文档（Word、HTML、PDF、JSON）"),
    "import": ("addin.commands.import_", "导入已发布的报告（文本、网页、Word）"),
    "review": ("addin.commands.review", "批量审核多份报告，生成汇总表"),
    "rollup": ("addin.commands.rollup", "把各部门报告的表格逐格相加，汇总成本级政府报告"),
    "template": ("addin.commands.template", "由格式定义生成 Excel 模板"),
    "rule": ("addin.commands.rule", "解释一条校验规则：是什么、为什么、怎么改、依据"),
    "addin": ("addin.commands.addin_build", "构建 Excel 加载项（.xlam）"),
    "serve": ("addin.commands.serve", "启动 xlwings Server（Office.js 加载项、上传页面）"),
    "app": ("addin.commands.app", "在本机启动年报助手页面并打开浏览器（不需要加载项）"),
    "bundle": ("addin.commands.bundle", "生成离线安装包（wheel、加载项、模板、安装脚本），供内网电脑安装"),
}


def _available() -> dict[str, tuple[str, str]]:
    out = {}
    for name, (module, help_) in COMMANDS.items():
        if importlib.util.find_spec(module) is not None:
            out[name] = (module, help_)
    return out


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description="年报助手：政府信息公开工作年度报告的模板、校验与导出。",
        epilog="每个命令的用法：nianbao <命令> -h",
    )
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="<命令>")
    modules = {}
    for name, (module_name, help_) in _available().items():
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=help_, description=getattr(module, "DESCRIPTION", help_))
        module.add_arguments(p)
        modules[name] = module
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return int(modules[args.command].run(args) or 0)
    except InputError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

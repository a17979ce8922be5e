"""``nianbao template``: generate the Excel template of a format, or check the committed copy."""

from __future__ import annotations

from ..errors import InputError
from ..formats import FORMATS
from ..template import build_template, committed_template, save_workbook, template_parts, workbook_bytes

DESCRIPTION = ("由格式定义（rules/formats）生成空白 Excel 模板。\n"
               "--check 把新生成的模板与仓库中已提交的模板逐个部件比较：一致退出码 0，不一致 1，找不到文件 2。")


def add_arguments(p) -> None:
    p.add_argument("--format", dest="fmt", choices=FORMATS, help="报告格式（默认 2021；--check 时默认两种都检查）")
    p.add_argument("-o", "--output", metavar="PATH", help="输出文件（.xlsx）；--check 时为要比较的文件")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p.add_argument("--check", action="store_true", help="不写文件，只检查已提交的模板是否与生成器输出一致")


def run(args) -> int:
    if args.check:
        fmts = [args.fmt] if args.fmt else list(FORMATS)
        if args.output and len(fmts) != 1:
            raise InputError("--check 与 -o 同用时请用 --format 指定一种格式")
        return max(check(f, args.output) for f in fmts)
    if not args.output:
        raise InputError("请用 -o 指定输出文件，例如：nianbao template --format 2021 -o 模板.xlsx")
    fmt = args.fmt or "2021"
    path = save_workbook(build_template(fmt), args.output, args.force)
    print(f"已生成 {fmt} 格式模板：{path}")
    return 0


def check(fmt: str, path: str | None = None) -> int:
    """Compare the template file with fresh generator output, part by part."""
    from pathlib import Path

    target = Path(path) if path else committed_template(fmt)
    if not target.is_file():
        print(f"找不到模板文件：{target}。请运行 nianbao template --format {fmt} -o {target}")
        return 2
    fresh = template_parts(workbook_bytes(build_template(fmt)))
    try:
        old = template_parts(target.read_bytes())
    except Exception:  # noqa: BLE001 - a corrupt file simply differs
        old = {}
    differ = sorted(n for n in set(fresh) | set(old) if fresh.get(n) != old.get(n))
    if differ:
        print(f"{target}：与生成器输出不一致（{len(differ)} 个部件不同：{'、'.join(differ[:6])}）。"
              f"请运行 nianbao template --format {fmt} -o {target} --force 重新生成并提交。")
        return 1
    print(f"{target}：与生成器输出一致")
    return 0

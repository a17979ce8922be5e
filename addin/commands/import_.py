"""``nianbao import FILE -o report.xlsx|report.json``: read a published report.

Plain text (copied from a page or exported from Word), HTML pages, Word files and PDFs
are read into the report model by anchoring every table row on its label; what could not
be found is listed, never filled in with zeros.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import InputError
from ..readers import read_report
from ..writers.atomic import atomic_output

DESCRIPTION = (
    "导入已发布的年度报告（.txt 文本、.html 网页、.docx Word、.pdf），按行列标签识别表格，\n"
    "写出填好的模板（.xlsx）或报告 JSON（.json）。找不到或被截断的表格会列出，缺少的数字不会补 0。\n"
    "PDF 的表格按页面上的表格线读取；扫描件（图片）页无法读取，会列为导入问题。"
)


def add_arguments(p) -> None:
    p.add_argument("file", metavar="FILE", help="已发布的报告：.txt、.html、.htm、.docx 或 .pdf")
    p.add_argument("-o", "--output", metavar="OUT", help="输出文件：.xlsx（填好的模板）或 .json（报告 JSON）；省略则只显示识别结果")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.add_argument("--format", dest="show", choices=["text", "json"], default="text", help="识别结果的显示格式")


def numbers_as_numbers(report):
    """The report with every readable number stored as a number, not as the text it was
    published as — so that the template's totals (=SUM) count it. Text, “/” and blanks
    stay as they are."""
    from dataclasses import replace

    cells = {k: (replace(c, raw=c.value, note=None) if c.is_number and isinstance(c.raw, str) else c)
             for k, c in report.cells.items()}
    return replace(report, cells=cells)


def write_report(report, out: Path, force: bool) -> list[str]:
    """Write ``report`` as report JSON or as a filled workbook, atomically; returns the
    writer's Chinese notes (e.g. a published total that differs from its parts)."""
    suffix = out.suffix.lower()
    if suffix == ".json":
        with atomic_output(out, force) as tmp:
            tmp.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return []
    elif suffix in (".xlsx", ".xlsm"):
        try:
            from ..writers.workbook import write_workbook
        except ImportError:
            raise InputError("本安装尚不能写出工作簿（缺少 addin.writers.workbook），请改为输出 .json") from None
        return list(write_workbook(numbers_as_numbers(report), out, force=force) or [])
    else:
        raise InputError(f"无法识别的输出类型“{suffix or '无扩展名'}”：{out}。请用 .xlsx 或 .json。")


def summary_lines(report) -> list[str]:
    """What was found, in Chinese: format, year, agency, tables, sections."""
    spec = report.spec
    lines = [f"机关：{report.agency or '（未识别）'}；年度：{report.year or '（未识别）'}；"
             f"格式：{spec.name if report.format else '（未识别）'}"]
    for t in spec.tables:
        keys = t.cell_keys()
        rows = {k.split(".")[1] for k in keys if k in report.cells}
        nums = sum(1 for k in keys if k in report.cells and report.cells[k].is_number)
        lines.append(f"表{t.number}：有数值的行 {len(rows)}/{len(t.rows)}，数字 {nums}/{len(keys)} 个")
    names = {s.key: s.heading for s in spec.sections}
    found = [names[k] for k in ("s1", "s5", "s6") if report.sections.get(k)]
    lines.append("正文：" + ("、".join(found) if found else "（未找到一、五、六部分）"))
    for p in report.problems:
        lines.append(f"  {p.severity_label} {p.rule} {p.message}")
    return lines


def run(args) -> int:
    path = Path(args.file)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".json"):
        raise InputError(f"{path} 已是工作簿或报告 JSON，无需导入；请直接用 nianbao validate 校验。")
    if args.output:
        from ..writers.atomic import check_target

        check_target(Path(args.output), args.force)  # refuse before the work, not after
    from ..importers import refuse_old_word

    refuse_old_word(path)
    report = read_report(path)
    if args.show == "json":
        doc = report.to_json()
        doc["problems"] = [p.to_json() for p in report.problems]
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print("\n".join(summary_lines(report)))
    if args.output:
        notes = write_report(report, Path(args.output), args.force)
        if args.show == "text":
            for note in notes:
                print(f"  注意：{note}")
            print(f"已写出：{args.output}")
    return 0

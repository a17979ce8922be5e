"""``nianbao export FILE --to docx,html,pdf -o DIR``: write the report document.

Reads a workbook or a report JSON, checks it (the export goes ahead with a warning if
errors remain; ``--strict`` refuses), builds the document once and writes each
requested format atomically under a name made from the agency and year. Existing
files are not overwritten without ``--force``; if any target exists, nothing is
written at all. A published report read by the importer whose import left errors or
unread cells is refused unless ``--force``; then the unread cells print “【待核实】”.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from ..document.narrative import TITLE_SUFFIX, build_document, generated_sections
from ..errors import InputError, os_error_message
from ..findings import summary
from ..importers.unresolved import mark_unresolved
from ..readers import read_report
from ..ruleset import load_rules
from ..validate import validate
from ..writers.atomic import atomic_output, check_target

DESCRIPTION = (
    "导出年度报告文档：Word（.docx，按 GB/T 9704 公文格式排版）、网页（.html，可直接发布到政府网站）、"
    "PDF（由 Word 文件经 LibreOffice 转换）和报告 JSON。\n"
    "报告仍有错误时照常导出并给出警告；加 --strict 则拒绝导出（退出码 1）。"
)
FORMATS_OUT = ("docx", "html", "pdf", "json")
DEFAULT_TO = "docx,html,pdf"
#: Longest file name stem in UTF-8 bytes: file systems allow 255 bytes a name (85 Chinese
#: characters); this leaves room for the extension and a copy's “ (2)”.
MAX_STEM_BYTES = 240
#: How many findings the warning lists before “…”.
SHOW_FINDINGS = 10


def add_arguments(p) -> None:
    p.add_argument("file", metavar="FILE", help="工作簿（.xlsx）或报告 JSON 文件")
    p.add_argument("--to", default=DEFAULT_TO, metavar="格式",
                   help=f"要导出的格式，逗号分隔：{'、'.join(FORMATS_OUT)}（默认 {DEFAULT_TO}）")
    p.add_argument("-o", "--output", default=".", metavar="DIR", help="输出文件夹（默认当前文件夹；不存在时自动创建）")
    p.add_argument("--prev", metavar="LAST", help="上一年度的报告，用于生成“较上年增加/减少”的句子并做跨年度核对")
    p.add_argument("--generate", metavar="部分", default=None,
                   help="哪些部分加入由表格生成的文字：s1,s2,s3,s4 中的若干个，或 all、none"
                        "（默认：二、三、四部分的表格前加入；第一部分只在未填写时加入）")
    p.add_argument("--force", action="store_true",
                   help="覆盖已存在的同名文件；由已发布报告导入、仍有未能确定的单元格时也照常导出（这些单元格印为“【待核实】”）")
    p.add_argument("--strict", action="store_true", help="报告仍有错误时拒绝导出（退出码 1）")
    p.add_argument("--rules", metavar="OVERLAY.json", help="规则覆盖文件")


def safe_stem(agency: str, year: int | None) -> str:
    """``<机关><年度>年政府信息公开工作年度报告``, safe as a file name on every system:
    no path separators, no “..”, no control or reserved characters."""
    name = unicodedata.normalize("NFC", f"{agency or ''}{f'{year}年' if year else ''}{TITLE_SUFFIX}")
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[\\/:*?"<>|]+', "_", name)
    name = re.sub(r"\.{2,}", "_", name).strip(" ._")
    name = name or TITLE_SUFFIX
    while len(name.encode("utf-8")) > MAX_STEM_BYTES:  # a name is limited in bytes: 255, a Chinese character is 3
        name = name[:-1]
    return name


def _formats(text: str) -> list[str]:
    wanted = [t.strip().lower().lstrip(".") for t in text.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in FORMATS_OUT]
    if unknown or not wanted:
        raise InputError(f"无法导出为“{'、'.join(unknown) or text}”：--to 只能是 {'、'.join(FORMATS_OUT)}，以逗号分隔")
    return list(dict.fromkeys(wanted))


def output_dir(path: str) -> Path:
    """The output folder, created (with its parents) if missing."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise InputError(f"输出路径不是文件夹：{out}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(os_error_message(e, "创建输出文件夹", out)) from None
    return out


def _import_check(args, report) -> list[str] | None:
    """An imported report (a published .txt/.html/.docx/.pdf) whose import left errors or
    unread cells is not exported as if it were complete: refused (``None``) unless
    ``--force``, and then its unread cells are printed as “【待核实】” (the keys returned)."""
    from ..importers.unresolved import PENDING, import_findings, unresolved_cells

    errors = [f for f in import_findings(report) if f.severity == "error"]
    pending = unresolved_cells(report)
    if not errors and not pending:
        return []
    lines = [f.text_line(args.file) for f in errors[:SHOW_FINDINGS]]
    where = "、".join(pending[:8]) + ("等" if len(pending) > 8 else "")
    if pending:
        lines.append(f"{args.file}: 导入时有 {len(pending)} 个单元格未能确定：{where}")
    if not args.force:
        print("\n".join(lines), file=sys.stderr)
        print("拒绝导出：这份报告由已发布的文件导入，导入时有错误或未能确定的单元格，导出的文档会像是完整的。"
              "请先用 nianbao import 导出为工作簿核对补全后再导出；确需照原样导出，加 --force"
              f"（未能确定的单元格将印为“{PENDING}”）。", file=sys.stderr)
        return None
    print("\n".join(lines), file=sys.stderr)
    if pending:
        print(f"警告：{len(pending)} 个未能确定的单元格在文档中印为“{PENDING}”（--force）。", file=sys.stderr)
    return pending


def run(args) -> int:
    formats = _formats(args.to)
    rules = load_rules(args.rules)  # a bad overlay is a RuleSetError: exit 2
    report = read_report(args.file)
    prev = read_report(args.prev) if args.prev else None

    pending = _import_check(args, report)
    if pending is None:
        return 1
    findings = validate(report, rules, prev)
    s = summary(findings)
    if s["errors"]:
        errors = [f for f in findings if f.severity == "error"]
        lines = [f.text_line(args.file) for f in errors[:SHOW_FINDINGS]]
        if len(errors) > SHOW_FINDINGS:
            lines.append(f"……另有 {len(errors) - SHOW_FINDINGS} 个错误，请运行 nianbao validate 查看全部")
        if args.strict:
            print("\n".join(lines), file=sys.stderr)
            print(f"拒绝导出：报告仍有 {s['errors']} 个错误（--strict）。请先改正，或去掉 --strict。", file=sys.stderr)
            return 1
        print("\n".join(lines), file=sys.stderr)
        print(f"警告：报告仍有 {s['errors']} 个错误、{s['warnings']} 个警告，仍照常导出；发布前请改正。", file=sys.stderr)
    elif s["warnings"]:
        print(f"提示：报告有 {s['warnings']} 个警告（如正文数字与表格不符），请运行 nianbao validate 查看。", file=sys.stderr)

    out = output_dir(args.output)
    stem = safe_stem(report.agency, report.year)
    targets = {fmt: out / f"{stem}.{fmt}" for fmt in formats}
    for target in targets.values():  # refuse before writing anything
        check_target(target, args.force)

    generate = generated_sections(report, args.generate)
    document = build_document(mark_unresolved(report, pending) if pending else report, prev, generate)
    written: list[Path] = []
    failed = 0
    font_note = ""
    started = time.perf_counter()
    try:
        if "json" in targets:
            with atomic_output(targets["json"], args.force) as tmp:
                tmp.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            written.append(targets["json"])
        if "html" in targets:
            from ..document.html_writer import write_html

            written.append(write_html(document, targets["html"], args.force))
        if "docx" in targets or "pdf" in targets:
            from ..document.docx_writer import write_docx

            with tempfile.TemporaryDirectory(prefix="nianbao-export-") as tmpdir:
                docx = targets.get("docx") or Path(tmpdir) / f"{stem}.docx"
                write_docx(document, docx, args.force)
                if "docx" in targets:
                    written.append(docx)
                if "pdf" in targets:
                    from ..document.pdf import docx_to_pdf, substitution_note

                    try:
                        written.append(docx_to_pdf(docx, targets["pdf"], args.force))
                        font_note = substitution_note()
                    except InputError as e:
                        failed += 1
                        print(f"错误：无法生成 PDF：{e}", file=sys.stderr)
    except OSError as e:
        raise InputError(os_error_message(e, "写入输出文件夹", out)) from None
    for path in written:
        print(f"已导出：{path}")
    if font_note:
        print(font_note, file=sys.stderr)
    print(f"用时 {time.perf_counter() - started:.1f} 秒", file=sys.stderr)
    return 2 if failed else 0

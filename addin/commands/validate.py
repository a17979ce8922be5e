"""``nianbao validate FILE…``: check workbooks or report JSON files."""

from __future__ import annotations

import json
import sys

from ..errors import InputError
from ..findings import findings_document, summary
from ..readers import read_report
from ..ruleset import load_rules
from ..validate import exit_code, validate

DESCRIPTION = "校验一份或多份年报（.xlsx 工作簿或报告 JSON），逐条列出错误、警告和提示。\n退出码：0 无错误，1 有错误，2 文件无法使用。"


def add_arguments(p) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="工作簿（.xlsx）或报告 JSON 文件")
    p.add_argument("--format", dest="output", choices=["text", "json"], default="text", help="输出格式（默认 text）")
    p.add_argument("--rules", metavar="OVERLAY.json", help="规则覆盖文件：关闭规则、修改级别或新增规则")
    p.add_argument("--prev", metavar="LAST", help="上一年度的报告，用于跨年度核对")


def print_text(file: str, report, findings) -> None:
    """The text output: one line per finding, then a summary line for the file."""
    for f in findings:
        print(f.text_line(file))
    s = summary(findings)
    label = f"{report.agency or '（未填机关）'} {report.year or '（未填年度）'} 年度（{report.spec.name}）"
    if findings:
        print(f"{file}: {label}：{s['errors']} 个错误，{s['warnings']} 个警告，{s['infos']} 条提示")
    else:
        print(f"{file}: {label}：未发现问题")


def run(args) -> int:
    rules = load_rules(args.rules)  # a bad overlay is a RuleSetError: exit 2
    prev = read_report(args.prev) if getattr(args, "prev", None) else None
    worst = 0
    documents = []
    for file in args.files:
        try:
            report = read_report(file)
        except InputError as e:
            worst = 2
            if args.output == "json":
                documents.append({"file": file, "error": str(e), "summary": None, "findings": []})
            else:
                print(f"{file}: 错误：{e}", file=sys.stderr)
            continue
        findings = validate(report, rules, prev)
        worst = max(worst, exit_code(findings))
        if args.output == "json":
            documents.append(findings_document(file, report, findings))
        else:
            print_text(file, report, findings)
    if args.output == "json":
        out = documents[0] if len(documents) == 1 else documents
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
    return worst

"""``nianbao rule [ID]``: explain one rule, or list them all (like ``ruff rule``)."""

from __future__ import annotations

import json
import sys

from ..errors import InputError
from ..ruleset import explain, load_rules, rules_markdown

DESCRIPTION = "解释一条校验规则（编号如 T301，或名称如 t3-column-balance）；不带参数时列出全部规则。"


def add_arguments(p) -> None:
    p.add_argument("rule", nargs="?", help="规则编号或名称")
    p.add_argument("--rules", metavar="OVERLAY.json", help="规则覆盖文件")
    p.add_argument("--format", dest="output", choices=["text", "json"], default="text")
    p.add_argument("--markdown", action="store_true", help="以 Markdown 输出全部规则（生成 docs/rules.md）")


def run(args) -> int:
    rules = load_rules(args.rules)  # a bad overlay is a RuleSetError: exit 2
    if args.markdown:
        sys.stdout.write(rules_markdown(rules))
        return 0
    if not args.rule:
        for r in rules.rules:
            print(f"{r.id:6} {r.severity:8} {'/'.join(r.formats):10} {r.name:36} {r.title}")
        return 0
    rule = rules.get(args.rule)
    if rule is None:
        raise InputError(f"没有编号或名称为“{args.rule}”的规则。用 `nianbao rule` 列出全部规则。")
    if args.output == "json":
        json.dump({k: v for k, v in rule.__dict__.items() if k != "expand"}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(explain(rule))
    return 0

#!/usr/bin/env python3
"""Evaluate the prose checks (rules P001–P008).

1. **The labelled set** ``tests/fixtures/prose/cases.jsonl``: narrative cases written in
   the voices of real reports, each with the P rules it must fire (or ``[]``). A case is
   either one section's ``text`` checked against the built-in example report's tables
   (``values`` overrides cells; ``""`` is a blank cell), or a whole published
   ``document`` imported with the text importer (``sections`` lists the sections whose
   headings must be found). Printed: precision and recall per rule, the sections found,
   and every case that went wrong.
2. **Real reports** in ``../shared/corpus`` and ``../shared/seed`` (read at run time,
   skipped when absent; give other folders as arguments): every P finding, with the
   sentence it quotes, for a reader to judge.

Usage: python scripts/eval_prose.py [--strict] [DIR …]
``--strict`` exits 1 when a rule's precision or recall on the labelled set is below 95 %.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.errors import InputError  # noqa: E402
from addin.examples import example_report  # noqa: E402
from addin.importers import import_report  # noqa: E402
from addin.importers.assemble import assemble  # noqa: E402
from addin.importers.sections import locate  # noqa: E402
from addin.importers.text import tokenize_text  # noqa: E402
from addin.importers.tokens import merge_split_labels  # noqa: E402
from addin.ruleset import builtin_rules, load_rules  # noqa: E402
from addin.validate import validate  # noqa: E402
from addin.values import parse_value  # noqa: E402

CASES = ROOT / "tests" / "fixtures" / "prose" / "cases.jsonl"
DEFAULT_DIRS = [ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "seed"]
GOAL = 0.95


def load_cases(path: Path = CASES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def case_report(case: dict):
    """The report a case describes: the example with one section replaced, or an imported document."""
    if "document" in case:
        return assemble(tokenize_text(case["document"]), source=case["id"])
    report = example_report(case.get("format", "2021"))
    report.sections = {case.get("section", "s1"): case["text"]}
    for key, raw in case.get("values", {}).items():
        report.cells[key] = parse_value(raw, report.spec.cells[key].kind)
    return report


def sections_found(case: dict, report) -> list[str]:
    """The sections whose headings the importer found (and 一 when its text was read untitled)."""
    if "document" not in case:
        return sorted(report.sections)
    _, headings = locate(merge_split_labels(tokenize_text(case["document"])))
    return sorted({k for _, k in headings} | ({"s1"} if report.sections.get("s1") else set()))


def run_case(case: dict, rules=None) -> tuple[set[str], list, list[str]]:
    """(P rules fired, the P findings, sections found) for one case."""
    report = case_report(case)
    found = [f for f in validate(report, rules) if f.rule.startswith("P")]
    return {f.rule for f in found}, found, sections_found(case, report)


def score(cases: list[dict]) -> tuple[dict[str, dict[str, int]], list[tuple[dict, set, list]], list[tuple[dict, list]]]:
    """Per rule: true positives, false positives, false negatives; the cases that went
    wrong; the documents whose sections were not all found."""
    rules = load_rules()
    ids = sorted(r.id for r in builtin_rules().rules if r.origin == "prose.json")
    counts = {i: Counter(tp=0, fp=0, fn=0) for i in ids}
    wrong, sections_wrong = [], []
    for case in cases:
        fired, findings, sections = run_case(case, rules)
        want = set(case["expect"])
        for rid in ids:
            if rid in fired and rid in want:
                counts[rid]["tp"] += 1
            elif rid in fired:
                counts[rid]["fp"] += 1
            elif rid in want:
                counts[rid]["fn"] += 1
        if fired != want:
            wrong.append((case, fired, findings))
        if "sections" in case and not set(case["sections"]) <= set(sections):
            sections_wrong.append((case, sections))
    return counts, wrong, sections_wrong


def ratios(c: Counter) -> tuple[float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r


def corpus_findings(dirs: list[Path]) -> list[tuple[str, str]]:
    """(file, finding line) for every P finding on the real reports."""
    out = []
    for d in dirs:
        for path in sorted(d.glob("*.txt")):
            try:
                report = import_report(path)
            except InputError as e:
                out.append((path.name, f"无法导入：{e}"))
                continue
            for f in validate(report):
                if f.rule.startswith("P"):
                    out.append((path.name, f"{f.rule} {f.message}"))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--strict", action="store_true", help="exit 1 when a rule scores below 95 %")
    args = ap.parse_args(argv)
    cases = load_cases()
    counts, wrong, sections_wrong = score(cases)
    print(f"正文核对规则在标注集上的表现（{len(cases)} 个案例，{CASES.relative_to(ROOT)}）")
    print(f"{'规则':<6}{'应报且报':>8}{'误报':>6}{'漏报':>6}{'精确率':>9}{'召回率':>9}")
    below = []
    for rid, c in counts.items():
        p, r = ratios(c)
        print(f"{rid:<6}{c['tp']:>10}{c['fp']:>8}{c['fn']:>8}{p:>10.1%}{r:>10.1%}")
        if p < GOAL or r < GOAL:
            below.append(rid)
    docs = [c for c in cases if "sections" in c]
    print(f"已发布文本：{len(docs) - len(sections_wrong)}/{len(docs)} 份找到了全部应有的章节")
    for case, fired, findings in wrong:
        print(f"  ✗ {case['id']}：应报 {sorted(case['expect']) or '无'}，实报 {sorted(fired) or '无'}")
        for f in findings:
            print(f"      {f.rule} {f.message}")
    for case, found in sections_wrong:
        print(f"  ✗ {case['id']}：应找到章节 {case['sections']}，找到 {found}")

    dirs = args.dirs or [d for d in DEFAULT_DIRS if d.is_dir()]
    if dirs:
        lines = corpus_findings(dirs)
        print(f"\n真实报告中的正文核对结果（{'、'.join(str(d) for d in dirs)}）：{len(lines)} 条")
        for name, line in lines:
            print(f"  {name}: {line}")
    else:
        print("\n未找到 ../shared/corpus，跳过真实报告")
    if below:
        print(f"\n低于 {GOAL:.0%} 的规则：{'、'.join(below)}")
        return 1 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

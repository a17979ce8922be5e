#!/usr/bin/env python3
"""Benchmark: import + validate of 1,000 published-style HTML reports.

The reports come from ``addin.examples.random_report`` rendered by the project's own
HTML writer (``addin.document.html_writer``; our test renderer if that is absent),
written to a temporary folder. Four stages are timed on the same files, in this run:

* baseline — read the file and parse it with lxml's HTML parser (nothing else);
* tokens   — the importer's walk of the tree into cell and prose tokens;
* import   — the whole import: tokens, label anchoring, report model;
* import+validate — the import and every shipped rule;
* review   — ``nianbao review``'s parallel batch over the folder (all cores).

Each stage prints reports per second and its cost as a multiple of the baseline.
Usage: python bench/bench_import.py [N]   (not run by the tests)
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.examples import random_report  # noqa: E402


def render(report) -> str:
    try:
        from addin.document.html_writer import render_html
        from addin.document.narrative import build_document

        return render_html(build_document(report))
    except ImportError:
        sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "import"))
        from published import render_html as fallback

        return fallback(report)


def timed(label: str, func, paths, base: float | None) -> float:
    t0 = time.perf_counter()
    for p in paths:
        func(p)
    dt = time.perf_counter() - t0
    rate = len(paths) / dt
    ratio = "" if base is None else f"  {dt / base:6.1f}× 基线耗时"
    print(f"{label:<22} {dt:7.2f} s  {rate:8.1f} 份/秒{ratio}")
    return dt


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1000
    rng = random.Random(2024)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        paths = []
        for i in range(n):
            fmt = "2021" if i % 4 else "2019"
            r = random_report(fmt, rng)
            r.agency = f"示例市第{i}局"
            p = folder / f"r{i:05d}.html"
            p.write_text(render(r), encoding="utf-8")
            paths.append(p)
        size = sum(p.stat().st_size for p in paths) / n / 1024
        print(f"生成 {n} 份网页报告（平均 {size:.0f} KB）用时 {time.perf_counter() - t0:.1f} s；CPU 核数 {os.cpu_count()}")

        from addin.importers import import_report
        from addin.importers.html import parse_html, tokenize_html
        from addin.importers.text import decode
        from addin.ruleset import load_rules
        from addin.validate import validate

        rules = load_rules()
        import_report(paths[0])  # warm caches (label index, rules)
        validate(import_report(paths[0]), rules)

        base = timed("基线：读取并解析 HTML", lambda p: parse_html(decode(p.read_bytes(), str(p))), paths, None)
        timed("切分单元格", lambda p: tokenize_html(decode(p.read_bytes(), str(p))), paths, base)
        timed("导入", import_report, paths, base)
        timed("导入 + 校验", lambda p: validate(import_report(p), rules), paths, base)

        from addin.review.batch import review

        t0 = time.perf_counter()
        rows = review([folder])
        dt = time.perf_counter() - t0
        bad = sum(1 for r in rows if r.problem)
        print(f"{'批量审核（并行）':<22} {dt:7.2f} s  {n / dt:8.1f} 份/秒  {dt / base:6.1f}× 基线耗时"
              f"（{len(rows)} 行，无法读取 {bad} 份）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Benchmark: what a click on the desktop add-in costs before our code does any work.

Each click in desktop Excel starts a fresh Python (xlwings RunPython): ``python -B -c
"import xlwings.utils; …; import addin.excel.desktop as nianbao_desktop; …"``. The
baseline is the same process with only ``import xlwings.utils`` (what RunPython always
runs); the click adds our import. Both are started alternately, side by side, in this
run; the table gives the medians, the difference and the ratio (goal: ≤ 40 ms more,
≤ 1.5×). It also lists heavy libraries the click imports that it should not need.

Usage: python bench/bench_click.py [N]   (also part of bench/run.py; not run by the tests)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "import xlwings.utils"
CLICK = "import xlwings.utils; import addin.excel.desktop as nianbao_desktop"
#: Libraries the click path must not import (writers, schema checks): imported only when used.
HEAVY = ("openpyxl", "jsonschema", "docx", "jinja2", "bs4")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    return env


def _once(code: str, env) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-B", "-c", code], env=env, check=True)
    return (time.perf_counter() - t) * 1000


def click_modules() -> list[str]:
    """Top-level packages the click imports beyond what ``import xlwings.utils`` already did."""
    code = (BASE + "; import sys; before = set(sys.modules); import addin.excel.desktop; "
            "print(' '.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))")
    out = subprocess.run([sys.executable, "-B", "-c", code], env=_env(), capture_output=True, text=True, check=True)
    return out.stdout.split()


def heavy_imports() -> list[str]:
    return sorted(set(click_modules()) & set(HEAVY))


def measure(n: int) -> tuple[float, float]:
    env = _env()
    _once(CLICK, env), _once(BASE, env)  # warm the OS file cache
    base, click = [], []
    for _ in range(n):
        base.append(_once(BASE, env))
        click.append(_once(CLICK, env))
    return statistics.median(base), statistics.median(click)


def bench_click(tmp: Path | None = None, quick: bool = False, row=None) -> None:
    base, click = measure(7 if quick else 21)
    heavy = heavy_imports()
    if row is None:
        def row(measure, value, baseline="", ratio="", goal=""):
            print(f"{measure}: {value}" + (f"  (基线 {baseline}，{ratio})" if baseline else "")
                  + (f"  目标 {goal}" if goal else ""))
    row("基线：新 Python 进程 import xlwings.utils", f"{base:.0f} ms")
    row("点击：再 import addin.excel.desktop", f"{click:.0f} ms（多 {click - base:.0f} ms）", f"{base:.0f} ms",
        f"{click / base:.2f}×", "多 ≤ 40 ms，≤ 1.5×")
    row("点击路径导入的重型库", "、".join(heavy) or "无", goal="无")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    base, click = measure(n)
    print(f"import xlwings.utils: {base:.0f} ms; + addin.excel.desktop: {click:.0f} ms; "
          f"+{click - base:.0f} ms; {click / base:.2f}×; heavy: {heavy_imports() or 'none'}")

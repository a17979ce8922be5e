#!/usr/bin/env python3
"""Evaluate the importer on the real published reports in ../shared/corpus (and ../shared/seed).

For each file: the format found against the format in the corpus header, the year and
agency found, which tables were found and which rows are missing, how many numbers
are visible in the table part of the text, how many landed in cells, and whether
they landed in reading order on the right cell keys (the visible numbers, in order,
must equal the imported cells' values in the format's reading order).

The corpus texts are read at run time; nothing of them is stored in the project.
Usage: python scripts/eval_corpus.py [CORPUS_DIR …]   (exit 0 when it ran)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.errors import InputError  # noqa: E402
from addin.importers import import_report  # noqa: E402
from addin.values import NUMBER, parse_value  # noqa: E402

DEFAULT_DIRS = [ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "seed"]
_HEADING_2 = re.compile(r"^\s*二\s*[、.]")
_HEADING_5 = re.compile(r"^\s*五\s*[、.]")
_NUMERIC = re.compile(r"^[+\-]?\d[\d,.]*(万元|元)?$|^[增减]\d+$|^\+\(\d+\)-\(\d+\)$")


def header(text: str) -> tuple[dict, str]:
    """The corpus metadata block (``key: value`` lines up to ``---``) and the rest."""
    meta: dict[str, str] = {}
    lines = text.splitlines()
    for i, line in enumerate(lines[:20]):
        if line.strip() == "---":
            return meta, "\n".join(lines[i + 1:])
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip()
    return {}, text


def visible_numbers(body: str) -> list:
    """Standalone numeric cells between the 二、 heading and the 五、 heading, in order.

    Independent of the importer: cells are split on ``|``, tabs and line ends only.
    """
    out = []
    inside = False
    for line in body.splitlines():
        if not inside and _HEADING_2.match(line):
            inside = True
            continue
        if inside and _HEADING_5.match(line):
            break
        if not inside:
            continue
        for piece in re.split(r"[|\t]", line):
            p = re.sub(r"\s+", "", piece.replace("\u3000", " ").replace("\xa0", " "))
            if p and _NUMERIC.match(p):
                cv = parse_value(p, "signed_count")
                if cv.state == NUMBER:
                    out.append(cv.value)
    return out


def evaluate(path: Path) -> dict:
    text = path.read_text(encoding="utf-8", errors="replace")
    meta, body = header(text)
    if not meta:  # the seed has no header: its name carries the year
        m = re.search(r"(20\d{2})", path.name)
        if m:
            meta = {"year": m.group(1), "format": "2021" if int(m.group(1)) >= 2021 else "2019"}
    row = {"file": path.name, "want_format": meta.get("format", "?"), "want_year": meta.get("year", "?")}
    try:
        report = import_report(path)
    except InputError as e:
        row.update(error=str(e))
        return row
    except Exception as e:  # the evaluation reports crashes, it does not stop on them
        row.update(error=f"崩溃：{type(e).__name__}: {e}")
        return row
    fmt = report.spec
    tables = []
    missing_rows = 0
    for t in fmt.tables:
        keys = t.cell_keys()
        rows_found = {k.split(".")[1] for k in keys if k in report.cells}
        n_rows = len(t.rows)
        missing_rows += n_rows - len(rows_found)
        tables.append(f"表{t.number} {len(rows_found)}/{n_rows}")
    placed = [report.cells[k].value for k in fmt.keys if k in report.cells and report.cells[k].is_number]
    visible = visible_numbers(body)
    order_ok = placed == visible
    first_diff = ""
    if not order_ok:
        for i, (a, b) in enumerate(zip(visible, placed)):
            if a != b:
                first_diff = f"第 {i + 1} 个：原文 {a}，导入 {b}"
                break
        else:
            first_diff = f"原文 {len(visible)} 个，导入 {len(placed)} 个"
    row.update(
        format=report.format, year=report.year, agency=report.agency or "（未识别）",
        tables="，".join(tables), missing_rows=missing_rows, visible=len(visible), placed=len(placed),
        order_ok=order_ok, first_diff=first_diff,
        findings=sorted({p.rule for p in report.problems}),
    )
    return row


def main(argv: list[str]) -> int:
    dirs = [Path(a) for a in argv] or [d for d in DEFAULT_DIRS if d.is_dir()]
    files = sorted(p for d in dirs if d.is_dir() for p in d.glob("*.txt") if p.name != "README.md")
    if not files:
        print("未找到语料文件夹（../shared/corpus），跳过评估。")
        return 0
    rows = [evaluate(p) for p in files]
    print(f"{'文件':<42} {'格式(找到/标注)':<14} {'年度':<11} {'表格（有数值的行/应有行）':<28} {'缺行':<5} "
          f"{'数字(原文/导入)':<14} 位置  机关  [导入发现]")
    for r in rows:
        if "error" in r:
            print(f"{r['file']:<42} 无法导入：{r['error']}")
            continue
        fmt = f"{r['format']}/{r['want_format']}" + ("" if r["format"] == r["want_format"] else " ✗")
        yr = f"{r['year']}/{r['want_year']}" + ("" if str(r["year"]) == r["want_year"] else " ✗")
        nums = f"{r['visible']}/{r['placed']}"
        pos = "一致" if r["order_ok"] else f"不一致（{r['first_diff']}）"
        print(f"{r['file']:<42} {fmt:<14} {yr:<11} {r['tables']:<28} {r['missing_rows']:<5} {nums:<14} {pos}  {r['agency']}"
              f"  [{' '.join(r['findings'])}]")
    ok = [r for r in rows if "error" not in r]
    print()
    print(f"汇总：{len(rows)} 个文件，导入 {len(ok)} 个，无法导入 {len(rows) - len(ok)} 个；"
          f"格式判断正确 {sum(r['format'] == r['want_format'] for r in ok)}/{len(ok)}；"
          f"年度正确 {sum(str(r['year']) == r['want_year'] for r in ok)}/{len(ok)}；"
          f"原文数字 {sum(r['visible'] for r in ok)} 个，导入 {sum(r['placed'] for r in ok)} 个；"
          f"数字按位置落格一致 {sum(r['order_ok'] for r in ok)}/{len(ok)}；"
          f"识别出机关名称 {sum(r['agency'] != '（未识别）' for r in ok)}/{len(ok)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

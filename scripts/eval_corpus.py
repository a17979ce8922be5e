#!/usr/bin/env python3
"""Score the importer against ground truth: every cell, the agency, the year, the format.

Inputs scored:

* the real published reports in ``../shared/corpus`` and ``../shared/seed`` (read at run
  time, nothing of them is stored in the project; skipped when the folder is absent —
  ``NIANBAO_SHARED`` may point elsewhere), each against
  ``tests/fixtures/truth/<file stem>.truth.json``;
* every ``tests/fixtures/**/X.truth.json`` whose input ``X`` (the same name without
  ``.truth.json``) exists: the project's own fixtures (text copied from PDFs, OCR text,
  PDFs made by LibreOffice).

A truth file is ``{"format", "year", "agency" (null when the text never names it),
"values": {cell key: number, "/" or ""}, "unreadable": [cell keys the input cannot
show, e.g. cut off by truncation]}``. Per file the score counts the readable cells
(those in ``values``) as

* right — the imported value equals the truth (``""`` and an absent cell are the same);
* wrong — a different value was imported;
* missing — the truth has a value, the import left the cell empty;
* spurious — a value was imported where the truth has none (an empty cell, or a cell
  outside ``values`` and ``unreadable``: an invented number).

Cells in ``unreadable`` are not scored. A file the importer refuses counts all its
readable cells as missing. Usage: ``python scripts/eval_corpus.py [FILE_OR_DIR …]``
(exit 0 when it ran; ``--strict`` exits 1 below the goals: 99.5 % right, 0 spurious,
every named agency found, nothing refused).
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.errors import InputError  # noqa: E402
from addin.importers import import_report  # noqa: E402
from addin.values import NA_TOKENS  # noqa: E402

TRUTH_DIR = ROOT / "tests" / "fixtures" / "truth"
SUFFIX = ".truth.json"


def shared_dirs() -> list[Path]:
    base = Path(os.environ.get("NIANBAO_SHARED") or ROOT.parent / "shared")
    return [d for d in (base / "corpus", base / "seed") if d.is_dir()]


def cases(args: list[str]) -> list[tuple[Path, Path]]:
    """(input, truth) pairs: the shared corpus and seed, then the project's fixtures."""
    out: list[tuple[Path, Path]] = []
    if args:
        paths = [Path(a) for a in args]
        files = [f for p in paths for f in (sorted(p.iterdir()) if p.is_dir() else [p])]
    else:
        files = [f for d in shared_dirs() for f in sorted(d.glob("*.txt")) if f.name != "README.md"]
    for f in files:
        if f.name.endswith(SUFFIX):
            continue
        truth = TRUTH_DIR / f"{f.stem}{SUFFIX}"
        sibling = f.with_name(f.name + SUFFIX)
        if sibling.is_file():
            out.append((f, sibling))
        elif truth.is_file():
            out.append((f, truth))
    if not args:
        for truth in sorted((ROOT / "tests" / "fixtures").rglob(f"*{SUFFIX}")):
            src = truth.with_name(truth.name[: -len(SUFFIX)])
            if src.is_file():
                out.append((src, truth))
    return out


def canon(v) -> object:
    """A value as compared: numbers as Decimal, not-applicable marks as "/", blanks as ""."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return Decimal(str(v)).normalize()
    s = str(v).strip()
    if s in NA_TOKENS:
        return "/"
    return s


def agency_key(name: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def score(src: Path, truth_path: Path) -> dict:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    unreadable = set(truth.get("unreadable", []))
    want = {k: canon(v) for k, v in truth["values"].items() if k not in unreadable}  # never scored
    row = {"file": src.name, "readable": len(want), "want_agency": truth.get("agency"),
           "want_year": truth.get("year"), "want_format": truth.get("format")}
    try:
        report = import_report(src)
    except InputError as e:
        row.update(refused=str(e), right=0, wrong=0, missing=sum(v != "" for v in want.values()),
                   spurious=0, agency_ok=False, year_ok=False, format_ok=False)
        return row
    got = {k: canon(v) for k, v in report.to_json()["values"].items()}
    right = wrong = missing = spurious = 0
    bad: list[str] = []
    for k, w in want.items():
        g = got.get(k, "")
        if g == w:
            right += 1
            continue
        if w == "":
            spurious += 1
        elif g == "":
            missing += 1
        else:
            wrong += 1
        bad.append(f"{k}={g}≠{w}" if g != "" else f"{k}缺")
    for k, g in got.items():
        if k not in want and k not in unreadable and g != "":
            spurious += 1
            bad.append(f"{k}={g}(多)")
    agency_ok = agency_key(report.agency) == agency_key(truth.get("agency"))
    row.update(right=right, wrong=wrong, missing=missing, spurious=spurious, bad=bad,
               agency=report.agency or "", agency_ok=agency_ok,
               year=report.year, year_ok=report.year == truth.get("year"),
               format=report.format, format_ok=report.format == truth.get("format"),
               findings=sorted({p.rule for p in report.problems}))
    return row


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    args = [a for a in argv if a != "--strict"]
    pairs = cases(args)
    if not pairs:
        print("未找到可评估的文件（../shared/corpus 或带 .truth.json 的样例），跳过评估。")
        return 0
    rows = [score(s, t) for s, t in pairs]
    print(f"{'文件':<44} {'对':>4} {'错':>3} {'缺':>3} {'多':>3}  格式  年度  机关")
    for r in rows:
        if "refused" in r:
            print(f"{r['file']:<44} 拒绝导入：{r['refused']}")
            continue
        mark = lambda ok: "✓" if ok else "✗"  # noqa: E731
        agency = f"{mark(r['agency_ok'])} {r['agency'] or '（无）'}"
        if not r["agency_ok"]:
            agency += f"（应为 {r['want_agency'] or '（无）'}）"
        print(f"{r['file']:<44} {r['right']:>4} {r['wrong']:>3} {r['missing']:>3} {r['spurious']:>3}  "
              f"{mark(r['format_ok'])}{r['format']}  {mark(r['year_ok'])}{r['year']}  {agency}  "
              f"[{' '.join(r['findings'])}]")
        if r["bad"]:
            print(f"{'':<6}差异：{'，'.join(r['bad'][:12])}{' …' if len(r['bad']) > 12 else ''}")
    readable = sum(r["readable"] for r in rows)
    right = sum(r["right"] for r in rows)
    spurious = sum(r["spurious"] for r in rows)
    named = [r for r in rows if r["want_agency"]]
    agency_right = sum(r["agency_ok"] for r in named)
    unnamed_wrong = sum(not r["agency_ok"] for r in rows if not r["want_agency"])
    refused = sum("refused" in r for r in rows)
    pct = 100.0 * right / readable if readable else 100.0
    print()
    print(f"汇总：{len(rows)} 个文件，拒绝导入 {refused} 个；可读单元格 {readable} 个："
          f"对 {right}（{pct:.2f}%），错 {sum(r['wrong'] for r in rows)}，缺 {sum(r['missing'] for r in rows)}，"
          f"多 {spurious}；机关名称正确 {agency_right}/{len(named)}（原文未写明机关的 {len(rows) - len(named)} 个中"
          f"误填 {unnamed_wrong} 个）；年度正确 {sum(r['year_ok'] for r in rows)}/{len(rows)}；"
          f"格式正确 {sum(r['format_ok'] for r in rows)}/{len(rows)}")
    if strict and (pct < 99.5 or spurious or refused or agency_right < len(named) or unnamed_wrong):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

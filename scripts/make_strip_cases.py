"""Build the held-out set of text extracted from PDFs: random reports, laid out by the
project's own Word writer or by the hand-built layouts of ``make_pdf_fixtures.py``,
converted to PDF by LibreOffice, then ``pdftotext -layout`` and plain ``pdftotext``.

Plain ``pdftotext`` prints tables as interleaved strips of cells whose order depends on
where the page breaks fall, so each case pads 总体情况 with a few lines to move 表三
across the pages (one case leaves 表三's last row alone on a page).

Writes into ``tests/fixtures/strips/`` (or the folder given): ``NAME.txt``,
``NAME.layout.txt`` and a ``.truth.json`` beside each (the PDFs are not kept: this script
rebuilds them). ``--all`` builds the larger sweep used to measure the importer (not
committed; score it with ``scripts/eval_corpus.py FOLDER``). Needs LibreOffice and
poppler-utils. Run: ``python scripts/make_strip_cases.py [OUT] [--all]``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from addin.document.docx_writer import write_docx  # noqa: E402
from addin.document.narrative import build_document  # noqa: E402

_spec = importlib.util.spec_from_file_location("make_pdf_fixtures", ROOT / "scripts" / "make_pdf_fixtures.py")
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)

OUT = ROOT / "tests" / "fixtures" / "strips"
AGENCIES = ["青禾县商务局", "云溪县卫生健康委员会", "桐山市自然资源和规划局", "南岭县民政局"]
LONG = "为进一步做好政府信息公开工作，本机关对照年度工作要点逐项梳理落实情况，明确责任股室和完成时限，确保各项任务按期完成。" * 2
SHORT = "本年度工作有序推进。"

#: (name, format, seed, layout, padding): padding ``10 * a + b`` adds ``a`` long and ``b`` short
#: paragraphs to 总体情况. Kept: one case per shape the importer must handle.
CASES = [
    ("std-2021-last-row-alone", "2021", 313, "standard", 12),  # 表三's last row alone on a page
    ("std-2019", "2019", 207, "standard", 2),
    ("break-2021-t4-spill", "2021", 231, "t4_blocks", 0),  # 表四's last cells after 五、's heading
    ("break-2019-t4-total-spill", "2019", 219, "t3_break", 6),  # 表四's 总计 row after 五、's heading
    ("landscape-2019", "2019", 227, "landscape", 4),
    ("t3-break-2021", "2021", 213, "t3_break", 4),
    ("t3-block-spill-2021", "2021", 714, "t3_break", 5),  # a heading's block took in cells of the band below
    ("t3-header-apart-2021", "2021", 211, "t3_break", 0),  # 表三's header at a page foot; 表四 across pages: lost, said
    ("t4-headings-apart-2021", "2021", 466, "t4_blocks", 12),  # 表四's headings on one page, values on the next
    ("t2-across-pages-2021", "2021", 715, "t3_break", 8),  # 表二 across a page: its rows lost, said (was one wrong)
]


def sweep() -> list[tuple[str, str, int, str, int]]:
    out = []
    i = 0
    for layout in ("standard", "t3_break", "landscape", "t4_blocks"):
        for fmt in ("2021", "2019"):
            for pad in (0, 2, 4, 6, 9, 12, 15, 17, 21, 25):
                i += 1
                out.append((f"sweep{i:03d}-{layout}-{fmt}-p{pad}", fmt, 400 + i, layout, pad))
    return out


def build(name: str, fmt: str, seed: int, layout: str, pad: int, out: Path) -> None:
    rng = random.Random(seed)
    prose_key = rng.choice([k for k in fixtures.PROSE if "s5" in fixtures.PROSE[k]])
    agency = random.Random(seed + 1).choice(AGENCIES)
    report = fixtures.report_for(fmt, seed, 2023 if fmt == "2021" else 2020, agency, prose_key)
    s1 = report.sections["s1"].split("\n")
    s1 = s1[:1] + [LONG] * (pad // 10) + [SHORT] * (pad % 10) + s1[1:]
    report = dataclasses.replace(report, sections={**report.sections, "s1": "\n".join(s1)})
    with tempfile.TemporaryDirectory() as tmp:
        docx, pdf = Path(tmp) / f"{name}.docx", Path(tmp) / f"{name}.pdf"
        if layout == "standard":
            write_docx(build_document(report, generate=set()), docx, force=True)
        else:
            prose = dict(fixtures.PROSE)
            fixtures.PROSE[prose_key] = {**prose[prose_key], "s1": s1}
            try:
                fixtures.handbuilt(report, prose_key, layout).save(docx)
            finally:
                fixtures.PROSE.clear()
                fixtures.PROSE.update(prose)
        fixtures.to_pdf(docx, pdf)
        for txt in fixtures.extract_texts(pdf):
            target = out / txt.name
            target.write_bytes(txt.read_bytes())
            fixtures.write_json(out / f"{txt.name}.truth.json", fixtures.truth(report))


def main(argv: list[str]) -> int:
    """``make_strip_cases.py [OUT] [--all] [NAME…]``."""
    every = "--all" in argv
    argv = [a for a in argv if a != "--all"]
    out = Path(argv[0]) if argv else OUT
    out.mkdir(parents=True, exist_ok=True)
    only = set(argv[1:])
    for case in sweep() if every else CASES:
        if only and case[0] not in only:
            continue
        build(*case, out=out)
        print(f"built {case[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

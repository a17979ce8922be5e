"""The printed pages, read back: the report is exported to PDF through LibreOffice and
its layout is read with pdfplumber (word and character positions).

Over a series of reports whose text before 表二 grows line by line (so the tables start
at every height of a page): no body line is stretched (no gap between characters wider
than the font's normal spacing, CJK–Latin spacing included), 表三's header stands on one
page with its first three rows, each 表二 block (第二十条第（一）项 …) is on one page, and
the closing block (署名, 成文日期) ends the report. A justified rendering of the same
text shows the stretch check firing.
"""

import os
import re
from pathlib import Path

import pytest

from addin.document import docx_writer
from addin.document.docx_writer import render
from addin.document.narrative import build_document
from addin.document.pdf import FONTS_CONF
from addin.examples import example_report
from addin.formats import load_format
from addin.libreoffice import convert_many, soffice

pdfplumber = pytest.importorskip("pdfplumber")
pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")

BODY_PT = 16.0
#: Widest normal gap between two characters of a body line: CJK–Latin spacing is about
#: a quarter em; a justified line stretched before an unbreakable run shows an em or more.
MAX_GAP = 0.4 * BODY_PT
#: One line more each time: the tables meet every height of a page (2019: a sample of them).
PADDINGS = {"2021": range(0, 22), "2019": range(0, 22, 3)}
RUN = ("本年度依申请公开工作总体平稳，办理结果中予以公开、部分公开、不予公开、无法提供、不予处理和其他处理的申请"
       "分别占办理结果总数的30.8%、23.1%、7.7%、15.4%、7.7%、15.4%，与上年大体相当。")


def _report(padding: int, fmt: str = "2021"):
    r = example_report(fmt)
    r.sections = {**r.sections, "s2": "\n".join(f"第{i + 1}项主动公开工作按计划完成。" for i in range(padding)),
                  "s3": RUN}
    r.signing_date = "2026年1月20日"
    return r


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pages")
    docx = []
    for fmt, paddings in PADDINGS.items():
        for k in paddings:
            path = tmp / f"pad{fmt}-{k:02d}.docx"
            render(build_document(_report(k, fmt), generate={"s1", "s2", "s3", "s4"})).save(path)
            docx.append(path)
    justified = render(build_document(_report(0)))
    justified.styles["Normal"].paragraph_format.alignment = 3  # WD_ALIGN_PARAGRAPH.JUSTIFY
    justified.save(tmp / "justified.docx")
    docx.append(tmp / "justified.docx")
    with pytest.MonkeyPatch.context() as mp:  # rows not kept with the header: 表三's header ends page 2 alone
        mp.setattr(docx_writer, "kept_rows", lambda table, grid: set(range(grid.header_rows)))
        render(build_document(_report(0), generate={"s1", "s2", "s3", "s4"})).save(tmp / "unkept.docx")
    docx.append(tmp / "unkept.docx")
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(os.environ, "FONTCONFIG_FILE", str(FONTS_CONF))
        out = convert_many(docx, "pdf", tmp / "pdf")
    return dict(zip([p.stem for p in docx], out))


def pages(pdf: Path) -> list[list[dict]]:
    """Each page's text lines (pdfplumber), top to bottom."""
    with pdfplumber.open(pdf) as doc:
        return [page.extract_text_lines() for page in doc.pages]


def stretched_lines(pdf: Path) -> list[str]:
    """Body lines with a gap between two characters wider than :data:`MAX_GAP`."""
    bad = []
    for lines in pages(pdf):
        for line in lines:
            chars = [c for c in line["chars"] if abs(c["size"] - BODY_PT) < 0.6 and c["text"].strip()]
            gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:])]
            if gaps and max(gaps) > MAX_GAP:
                bad.append(f"{line['text']} (gap {max(gaps):.1f} pt)")
    return bad


def _where(all_pages, pattern: str) -> list[tuple[int, int]]:
    """(page, line) of every line starting with ``pattern`` (a regular expression)."""
    return [(p, i) for p, lines in enumerate(all_pages) for i, line in enumerate(lines)
            if re.match(pattern, line["text"].replace(" ", ""))]


def _ours(pdfs):
    return {name: pdf for name, pdf in pdfs.items() if name.startswith("pad")}


def test_no_line_is_stretched(pdfs):
    for name, pdf in _ours(pdfs).items():
        assert stretched_lines(pdf) == [], name


def test_the_stretch_check_fires_on_a_justified_rendering(pdfs):
    bad = stretched_lines(pdfs["justified"])
    assert any("分别占办理结果总数的" in line.replace(" ", "") for line in bad), bad


def header_with_three_rows(pdf: Path) -> bool:
    all_pages = pages(pdf)
    [(page, _)] = _where(all_pages, "申请人情况")[:1]
    rows = [_where(all_pages, p) for p in (r"一、本年新收政府信息公开申请数量", r"二、上年结转政府信息公开申请数量",
                                            r"(三、)?（一）予以公开\d")]
    return all(r and r[0][0] == page for r in rows)


def test_table_three_header_stays_with_its_first_three_rows(pdfs):
    for name, pdf in _ours(pdfs).items():
        assert header_with_three_rows(pdf), name


def test_the_header_check_fires_when_rows_are_not_kept(pdfs):
    assert not header_with_three_rows(pdfs["unkept"])


def test_each_table_two_block_is_on_one_page(pdfs):
    for name, pdf in _ours(pdfs).items():
        t2 = load_format(name[3:7]).table("t2")
        blocks = [(b.caption, re.escape(t2.row(b.rows[-1]).label) + r"[\d/]") for b in t2.blocks]
        all_pages = pages(pdf)
        for caption, last in blocks:
            [(page, line)] = _where(all_pages, caption)
            ends = [(p, i) for p, i in _where(all_pages, last) if (p, i) > (page, line)]
            assert ends and ends[0][0] == page, (name, caption, page, ends[:1])


def test_the_closing_block_ends_the_report(pdfs):
    for name, pdf in _ours(pdfs).items():
        lines = [line["text"].replace(" ", "") for line in pages(pdf)[-1]]
        assert lines[-3:-1] == ["示例市示例区数据资源管理局", "2026年1月20日"], (name, lines[-4:])  # then the page number

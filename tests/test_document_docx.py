"""The Word document: GB/T 9704 page and fonts, page numbers, official merged tables —
checked by reopening the file with python-docx — and the PDF made from it by
LibreOffice, rasterised and looked at (not blank, CJK fonts embedded)."""

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from addin.document.docx_writer import write_docx
from addin.document.narrative import build_document
from addin.examples import example_report
from addin.values import parse_value

W_T = qn("w:t")


def fonts_of(style_or_run):
    rfonts = style_or_run.element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia")), rfonts.get(qn("w:ascii"))


@pytest.fixture(scope="module", params=["2021", "2019"])
def example_docx(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "report.docx"
    document = build_document(example_report(request.param))
    write_docx(document, out)
    return out, document


def test_page_is_a4_with_official_margins(example_docx):
    doc = open_docx(example_docx[0])
    for s in doc.sections:
        assert abs(s.page_width.mm - 210) < 0.1 and abs(s.page_height.mm - 297) < 0.1
        assert [round(m.mm, 1) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == \
            [37.0, 35.0, 28.0, 26.0]


def test_fonts_sizes_and_line_spacing(example_docx):
    doc = open_docx(example_docx[0])
    normal = doc.styles["Normal"]
    assert fonts_of(normal) == ("仿宋_GB2312", "Times New Roman")
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert normal.paragraph_format.line_spacing_rule == 4  # EXACTLY
    ind = normal.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert fonts_of(doc.styles["Title"])[0] == "方正小标宋简体" and doc.styles["Title"].font.size.pt == 22
    assert fonts_of(doc.styles["Heading 1"])[0] == "黑体"
    assert fonts_of(doc.styles["Heading 2"])[0] == "楷体_GB2312"
    rfonts = doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:asciiTheme")) is None  # no theme font can override the East-Asian one
    lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_paragraphs_in_order_with_their_styles(example_docx):
    path, document = example_docx
    paras = open_docx(path).paragraphs
    assert paras[0].style.name == "Title"
    # two lines, broken after the agency and year (GB/T 9704: break where the meaning breaks)
    year = document.report.year
    assert paras[0].text == f"示例市示例区数据资源管理局{year}年\n政府信息公开工作年度报告"
    headings = [p.text for p in paras if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in document.sections]
    assert "（一）主动公开" in [p.text for p in paras if p.style.name == "Heading 2"]
    assert any(f"统计期限为{year}年1月1日至{year}年12月31日" in p.text for p in paras)
    assert any(p.text.startswith("本年新收政府信息公开申请13件") for p in paras)  # generated before 表三


def test_page_numbers_are_page_fields_between_dashes(example_docx):
    doc = open_docx(example_docx[0])
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((doc.sections[0].footer, 2), (doc.sections[0].even_page_footer, 0)):
        p = footer.paragraphs[0]
        assert p.text == "— 1 —" and p.alignment == align  # odd right, even left
        instr = [el.text for el in p._p.iter(qn("w:instrText"))]
        assert instr == [" PAGE "]


def grid_of(tbl):
    """(row, col) → the tc element, resolving merges the way Word lays them out."""
    out = {}
    for r, tr in enumerate(tbl._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            out[(r, c)] = tc
            c += tc.grid_span
    return out


def test_tables_have_the_official_merged_layout(example_docx):
    path, document = example_docx
    doc = open_docx(path)
    assert len(doc.tables) == 3
    spec = document.report.spec
    for tbl, key in zip(doc.tables, ("t2", "t3", "t4")):
        grid = spec.table(key).grid()
        cells = grid_of(tbl)
        assert len(tbl._tbl.tr_lst) == grid.rows
        for gc in grid.cells:
            tc = cells[(gc.row, gc.col)]
            assert tc.grid_span == gc.colspan, (key, gc)
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            if gc.rowspan > 1:
                assert vmerge is not None and vmerge.get(qn("w:val")) == "restart", (key, gc)
                below = cells[(gc.row + gc.rowspan - 1, gc.col)]
                assert below.tcPr.find(qn("w:vMerge")) is not None
            text = "".join(t.text for t in tc.iter(W_T))
            expected = document.cell_text(gc.key) if gc.role == "data" else gc.text
            assert text == expected, (key, gc)
        header_rows = [tr for tr in tbl._tbl.tr_lst
                       if tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None]
        assert len(header_rows) == grid.header_rows  # 表三, 表四: repeated on every page
        widths = [tbl.columns[i].width.mm for i in range(grid.cols)]
        assert sum(widths) == pytest.approx(156, abs=0.5)  # the type area: 210 − 28 − 26 mm
    assert spec.table("t2").grid().rows == (18 if spec.key == "2019" else 14)  # five blocks in 2019, four in 2021
    t3 = spec.table("t3").grid()
    assert t3.header_rows == 3 and grid_of(doc.tables[1])[(0, 0)].grid_span == 3
    assert grid_of(doc.tables[2])[(0, 0)].grid_span == 5 and grid_of(doc.tables[2])[(0, 5)].grid_span == 10


def hostile_report():
    r = example_report("2021")
    r.agency = "示例\x01局\x1f"
    r.sections = {**r.sections, "s1": "正文\x00含有\x0b控制字符\ufffe。", "s5": "",
                  "s6": '=HYPERLINK("http://x.invalid","点我")'}
    r.cells["t3.granted.legal"] = parse_value('=HYPERLINK("http://x.invalid","1")', "count")
    r.cells["t3.denied_law.research"] = parse_value("/", "count")
    return r


def test_control_characters_formulas_and_empty_sections(tmp_path):
    out = write_docx(build_document(hostile_report()), tmp_path / "r.docx")
    doc = open_docx(out)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "示例局2025年政府信息公开工作年度报告"
    assert "正文含有控制字符。" in texts
    assert '=HYPERLINK("http://x.invalid","点我")' in texts  # inert text, not a field
    xml = (doc.part.blob or b"").decode("utf-8")
    assert "fldSimple" not in xml and "instrText" not in xml and "w:hyperlink" not in xml
    t3 = grid_of(doc.tables[1])
    grid = example_report("2021").spec.table("t3").grid()
    cell = next(c for c in grid.cells if c.key == "t3.granted.legal")
    assert "".join(t.text for t in t3[(cell.row, cell.col)].iter(W_T)) == '=HYPERLINK("http://x.invalid","1")'
    heading5 = texts.index("五、存在的主要问题及改进情况")
    assert texts[heading5 + 1] == "六、其他需要报告的事项"  # an empty section is just its heading


def test_enormous_prose_and_refusing_to_overwrite(tmp_path):
    r = example_report("2021")
    r.sections = {**r.sections, "s5": ("存在的问题较多，需要持续改进。" * 40 + "\n") * 500}  # 300,000 characters
    t = time.perf_counter()
    out = write_docx(build_document(r), tmp_path / "big.docx")
    assert time.perf_counter() - t < 60
    assert len(open_docx(out).paragraphs) > 500
    from addin.errors import InputError

    before = out.read_bytes()
    with pytest.raises(InputError, match="文件已存在"):
        write_docx(build_document(example_report("2021")), out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["big.docx"]  # no temporary file left behind


def dark_pixels(pgm: Path) -> tuple[int, int]:
    """(dark pixels, all pixels) of a binary PGM written by pdftoppm -gray."""
    data = pgm.read_bytes()
    parts, pos = [], 0
    while len(parts) < 4:  # magic, width, height, maxval
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        parts.append(data[pos:end])
        pos = end
    pixels = data[pos + 1:]
    return sum(1 for b in pixels if b < 128), len(pixels)


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
def test_pdf_from_the_docx_renders_chinese(example_docx, tmp_path):
    from addin.document.pdf import docx_to_pdf

    pdf = docx_to_pdf(example_docx[0], tmp_path / "report.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    [page] = list(tmp_path.glob("p-*.pgm"))
    dark, total = dark_pixels(page)
    assert total > 10_000 and 0.01 < dark / total < 0.5, (dark, total)  # text, not a blank page
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts or "Song" in fonts or "Fang" in fonts, fonts  # Chinese glyphs come from a CJK font
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = text.replace("\n", "").replace(" ", "")
    assert "政府信息公开工作年度报告" in flat and "—1—" in flat


def test_font_substitutions_name_a_kai_face_for_楷体():
    """Where 楷体_GB2312 is missing, the PDF's （一） headings use a Kai face, not the body face."""
    import shutil as _shutil
    from addin.document.pdf import font_substitutions, substitution_note

    if _shutil.which("fc-match") is None:
        pytest.skip("fontconfig not installed")
    subs = font_substitutions()
    if "楷体_GB2312" not in subs:
        pytest.skip("楷体_GB2312 is installed here")
    assert "Kai" in subs["楷体_GB2312"], subs  # AR PL UKai / KaitiM (fonts-arphic-*), as scripts/setup.sh installs
    assert subs["楷体_GB2312"] != subs.get("仿宋_GB2312")
    assert "楷体_GB2312→" in substitution_note()


def test_closing_block_signer_centred_over_the_date_on_one_tab_stop(tmp_path):
    from addin.document.docx_writer import render

    r = example_report("2021")
    r.signing_date = "2026年1月20日"
    paras = render(build_document(r)).paragraphs
    signer, date = paras[-2], paras[-1]
    assert signer.text == "\t示例市示例区数据资源管理局" and date.text == "\t2026年1月20日"
    stops = [[(t.position, t.alignment) for t in p.paragraph_format.tab_stops] for p in (signer, date)]
    assert stops[0] == stops[1] and len(stops[0]) == 1 and stops[0][0][1] == 1  # WD_TAB_ALIGNMENT.CENTER
    assert paras[-3].text == ""  # one blank line after the text
    r.signing_date = ""
    assert render(build_document(r)).paragraphs[-1].text == "\t　　年　　月　　日"  # left for the pen

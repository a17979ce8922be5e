"""Build the PDF test set: reports laid out the ways agencies lay them out, as Word files
converted to PDF by LibreOffice, plus what people paste from them (pdftotext).

Writes into ``tests/fixtures/pdf/`` (or the folder given), for every fixture NAME:

* ``NAME.docx`` — the Word source (the project's own writer for the standard layout,
  python-docx by hand for the variants), only with ``--keep-docx``;
* ``NAME.pdf`` — LibreOffice's PDF of it (scans: page pictures put into a PDF);
* ``NAME.layout.txt`` / ``NAME.txt`` — ``pdftotext -layout`` and plain ``pdftotext``;
* ``<input file>.truth.json`` beside each input: format, year, agency, every cell's
  value as in report JSON, and the cells that input genuinely does not show.

The numbers come from :func:`addin.examples.random_report` with fixed seeds; the prose
is written here. Needs LibreOffice (soffice), poppler-utils (pdftotext, pdftoppm) and
Pillow (a pdfplumber dependency). Run: ``python scripts/make_pdf_fixtures.py``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx import Document as new_docx  # noqa: E402
from docx.enum.section import WD_ORIENT, WD_SECTION  # noqa: E402
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from addin.document.docx_writer import set_font, write_docx  # noqa: E402
from addin.document.narrative import build_document  # noqa: E402
from addin.document.pdf import FONTS_CONF  # noqa: E402
from addin.examples import random_report  # noqa: E402
from addin.libreoffice import convert  # noqa: E402
from addin.model import Report  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "pdf"
BODY = ("AR PL KaitiM GB", "Times New Roman")
#: One CJK font for the hand-built files keeps each PDF small (every embedded CJK font adds ~40 KB).
TITLE = HEAD = SUB = BODY

# --- the prose (our own wording) -------------------------------------------------------------

PROSE = {
    "roads": {
        "s1": [
            "2023年，我局以群众关注的交通建设和出行服务信息为重点，进一步规范政府信息公开工作流程，"
            "主动公开、依申请公开和平台建设各项工作平稳推进，全年未发生因公开不当引发的问题。",
            "（一）主动公开",
            "围绕农村公路建设、客运班线调整、超限超载治理等事项，通过县政府门户网站交通运输专栏发布信息"
            "214条，其中项目建设进度信息63条，行政执法公示信息88条，其余为工作动态和通知公告。",
            "（二）依申请公开",
            "严格执行申请登记、审核、答复、归档四个环节，所有申请均在法定期限内答复，答复文书统一加盖专用章。",
            "（三）政府信息管理",
            "对本局制发的规范性文件开展清理，公布现行有效文件目录，并对公开属性逐件标注。",
            "（四）平台建设",
            "完成信息公开专栏栏目调整，增设“重点项目”子栏目，提高检索的便利程度。",
            "（五）监督保障",
            "明确办公室为信息公开工作机构，将公开工作纳入股室年度考核，组织业务学习3次。",
        ],
        "s5": [
            "一是部分股室对公开属性的把握还不够准确；二是政策解读的形式以文字为主，图解和视频较少。",
            "下一步，我局将加强业务培训，建立公开属性复核机制，丰富政策解读形式，提升公开实效。",
        ],
        "s6": ["本年度我局未收取政府信息公开信息处理费。无其他需要报告的事项。"],
    },
    "town": {
        "s1": [
            "本年度，镇党委、政府高度重视政务公开工作，调整充实了政务公开工作领导小组，"
            "由党政办公室具体负责日常工作，形成主要领导负总责、分管领导具体抓、工作人员抓落实的工作格局。",
            "（一）主动公开情况",
            "通过镇政府网站、村务公开栏和微信公众号公开惠民补贴发放、集体资产管理、乡村振兴项目等信息"
            "共计157条，各村（社区）公开栏按季度更新。",
            "（二）依申请公开情况",
            "畅通申请渠道，在便民服务中心设置申请受理窗口，对申请人提出的申请逐件登记、按时办理。",
            "（三）政府信息管理情况",
            "建立信息发布审核制度，坚持先审后发，确保公开内容准确、规范。",
            "（四）政府信息公开平台建设情况",
            "进一步规范镇政府网站信息公开专栏，及时更新机构设置和领导分工信息。",
            "（五）监督保障情况",
            "将政务公开纳入各村（社区）年度目标考核，开展专项检查2次，督促整改问题5个。",
        ],
        "s5": [
            "存在的问题主要是公开内容的时效性有待加强，个别村公开栏更新不够及时。下一步将完善定期检查制度，"
            "实行村级公开栏月报告，确保信息及时准确公开。",
        ],
        "s6": ["本机关未收取信息处理费。无其他需要报告的事项。"],
    },
    "market": {
        "s1": [
            "2022年，区市场监督管理局认真贯彻落实《中华人民共和国政府信息公开条例》，"
            "坚持以公开为常态、不公开为例外，聚焦食品安全、特种设备、价格监管等社会关注事项，"
            "不断提升政府信息公开的质量和实效。",
            "（一）主动公开",
            "全年主动公开各类信息392条。公开行政处罚决定书126份，双随机抽查结果45批次，食品安全监督抽检信息38期。",
            "（二）依申请公开",
            "本年度依申请公开工作总体平稳，申请主要涉及企业登记档案和投诉举报处理结果。",
            "（三）政府信息管理",
            "动态调整主动公开基本目录，定期对已公开信息进行检查，及时更正和撤下不准确信息。",
            "（四）政府信息公开平台建设",
            "依托区政府门户网站集中发布信息，政务新媒体同步推送，扩大信息传播范围。",
            "（五）监督保障",
            "成立以局长为组长的政务公开工作领导小组，全年召开专题会议2次，开展培训1次。",
        ],
        "s5": [
            "一是基层所信息公开工作力量较为薄弱；二是部分信息发布不够及时。下一步，我局将加强人员配备和培训，"
            "完善信息发布时限要求，推动政务公开工作再上新台阶。",
        ],
        "s6": ["本年度未收取信息处理费。其他无需要报告的事项。"],
    },
    "water": {
        "s1": [
            "一年来，我局围绕水利工程建设、河湖长制、水资源管理等重点领域，认真做好政府信息公开各项工作，"
            "依法保障人民群众的知情权、参与权和监督权。",
            "（一）主动公开",
            "全年公开水利工程建设信息、取水许可审批结果、防汛抗旱预警信息等共计176条。",
            "（二）依申请公开",
            "按照依申请公开办理规程，规范受理、办理、答复各环节，全年无逾期答复情况。",
            "（三）政府信息管理",
            "落实公开前保密审查，严格执行信息发布三级审核。",
            "（四）平台建设",
            "在县政府门户网站开设水利专题，集中发布河湖长制工作信息。",
            "（五）监督保障",
            "将信息公开工作纳入年度目标责任考核，全年组织专题培训2次。",
        ],
        "s5": ["主要问题是主动公开的深度和广度还需拓展。下一步将细化公开目录，加强政策解读，提高公开质量。"],
        "s6": ["本年度未收取信息处理费。无其他需要报告的事项。"],
    },
    "school": {
        "s1": [
            "2020年，我局按照县政府信息公开工作的统一部署，结合教育工作实际，扎实做好政府信息公开工作。",
            "全年主动公开招生入学政策、教育收费、学生资助等信息208条，及时回应家长和社会关切。",
        ],
        "s5": ["存在的问题是信息公开的主动性还需增强。改进措施是完善信息公开工作制度，加强人员培训。"],
        "s6": ["无其他需要报告的事项。"],
    },
    "notice": {
        "s1": [
            "为做好本年度冬季安全生产工作，现将有关事项通知如下：各单位要认真开展隐患排查，"
            "落实值班值守制度，加强重点部位巡查，确保安全生产形势稳定。",
            "请各单位于12月20日前将排查情况报局办公室。",
        ],
    },
}

#: (fixture name, format, seed, year, agency, prose, variant)
FIXTURES = [
    ("standard-2021", "2021", 11, 2023, "梧桐县交通运输局", "roads", "standard"),
    ("standard-2019", "2019", 12, 2020, "南溪县教育局", "school", "standard"),
    ("t3-break-running-head", "2021", 13, 2023, "白石镇人民政府", "town", "t3_break"),
    ("landscape-tables", "2021", 14, 2022, "云岭市东湖区市场监督管理局", "market", "landscape"),
    ("t4-blocks", "2021", 15, 2024, "松江县水利局", "water", "t4_blocks"),
    ("picture-table", "2021", 16, 2023, "梧桐县交通运输局", "roads", "picture_table"),
    ("scanned", "2021", 17, 2022, "白石镇人民政府", "town", "scan"),
]


def report_for(fmt: str, seed: int, year: int, agency: str, prose: str):
    rng = random.Random(seed)
    r = random_report(fmt, rng, year=year)
    values = {k: c.raw for k, c in r.cells.items()}
    t4 = r.spec.table("t4")
    for row in t4.rows:  # random_report leaves 表四 mostly zero: give every part some cases
        parts = [rng.choice([0, rng.randint(1, 6)]) for _ in t4.columns[:-1]]
        for col, v in zip(t4.columns, parts + [sum(parts)]):
            values[f"t4.{row.key}.{col.key}"] = v
    r = dataclasses.replace(r, cells=Report.from_values(fmt, values).cells)
    sections = {k: "\n".join(v) for k, v in PROSE[prose].items()}
    return dataclasses.replace(r, agency=agency, sections=sections,
                               contact={"address": "县行政中心2号楼", "postcode": "000000", "phone": "0000-0000000"})


def value_json(report, key: str):
    c = report.cells.get(key)
    if c is None or c.raw in (None, ""):
        return ""
    raw = c.raw
    if isinstance(raw, Decimal):
        return float(raw)
    if isinstance(raw, str):
        try:
            return int(raw)
        except ValueError:
            return raw
    return raw


def cell_text(report, key: str) -> str:
    v = value_json(report, key)
    return "" if v == "" else str(v)


# --- Word building blocks (the hand-built variants) -----------------------------------------


def new_document(landscape: bool = False):
    doc = new_docx()
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    normal = doc.styles["Normal"]
    set_font(normal, BODY, Pt(15))
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(27)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(30), Mm(28), Mm(27), Mm(25)
    if landscape:
        set_landscape(sec)
    return doc


def set_landscape(sec) -> None:
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)


def paragraph(doc, text: str, size: float = 15, font=BODY, bold=False, align=None, indent=True):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    run = p.add_run(text)
    set_font(run, font, Pt(size), bold)
    return p


def field(paragraph, instruction: str) -> None:
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif kind == "text":
            run.text = text
            continue
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def page_numbers(section, before: str, after: str, head: str = "") -> None:
    """Page numbers in the footer as ``before N after``; a running head if given."""
    section.footer.is_linked_to_previous = False
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(before)
    field(p, "PAGE")
    p.add_run(after)
    for r in p.runs:
        set_font(r, BODY, Pt(12))
    if head:
        section.header.is_linked_to_previous = False
        h = section.header.paragraphs[0]
        h.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_font(h.add_run(head), BODY, Pt(10.5))


def grid_table(doc, nrows: int, ncols: int, cells, widths_mm, size=10, header_rows: int = 0, cant_split=True,
               ruled=True):
    """A table, bordered unless ``ruled`` is false; ``cells`` = (row, col, rowspan, colspan, text)."""
    tbl = doc.add_table(rows=nrows, cols=ncols)
    if ruled:
        tbl.style = doc.styles["Table Grid"]
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    for i, w in enumerate(widths_mm):
        tbl.columns[i].width = Mm(w)
    for r, row in enumerate(tbl.rows):
        trPr = row._tr.get_or_add_trPr()
        if cant_split:
            trPr.append(OxmlElement("w:cantSplit"))
        if r < header_rows:
            trPr.append(OxmlElement("w:tblHeader"))
        for c, tc in enumerate(row.cells):
            tc.width = Mm(widths_mm[c])
    for r, c, rs, cs, text in cells:
        cell = tbl.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(tbl.cell(r + rs - 1, c + cs - 1))
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(size * 1.3)
        p.paragraph_format.first_line_indent = Pt(0)
        set_font(p.add_run(text), BODY, Pt(size))
    return tbl


def official_cells(report, key: str):
    """The official layout of table ``key`` (Table.grid) with the report's values."""
    table = report.spec.table(key)
    grid = table.grid()
    cells = []
    for gc in grid.cells:
        text = cell_text(report, gc.key) if gc.role == "data" else (gc.text or "")
        cells.append((gc.row, gc.col, gc.rowspan, gc.colspan, text))
    return grid, cells


def add_official_table(doc, report, key: str, width_mm: float, size=10, repeat_header=True, label_shares=None):
    grid, cells = official_cells(report, key)
    table = report.spec.table(key)
    if table.layout == "blocks":
        shares = [0.34] + [0.66 / (grid.cols - 1)] * (grid.cols - 1)
    elif table.layout == "matrix":
        heads = label_shares or [0.07, 0.17, 0.21]
        shares = heads + [(1 - sum(heads)) / (grid.cols - 3)] * (grid.cols - 3)
    else:
        shares = [1 / grid.cols] * grid.cols
    grid_table(doc, grid.rows, grid.cols, cells, [width_mm * s for s in shares], size,
               header_rows=grid.header_rows if repeat_header else 0)


def t4_block_tables(doc, report, width_mm: float, one_table: bool, size=10.5):
    """表四 as three blocks of five columns: a title row naming the part, the column labels, the values."""
    t4 = report.spec.table("t4")
    titles = {"review": "行政复议", "suit_direct": "行政诉讼（未经复议直接起诉）", "suit_after_review": "行政诉讼（复议后起诉）"}
    cols = [c.label for c in t4.columns]
    blocks = []
    for row in t4.rows:
        blocks.append([(0, 0, 1, 5, titles[row.key])] + [(1, i, 1, 1, lab) for i, lab in enumerate(cols)]
                      + [(2, i, 1, 1, cell_text(report, f"t4.{row.key}.{c.key}")) for i, c in enumerate(t4.columns)])
    widths = [width_mm / 5] * 5
    if one_table:
        cells = [(r + 3 * b, c, rs, cs, t) for b, block in enumerate(blocks) for r, c, rs, cs, t in block]
        grid_table(doc, 9, 5, cells, widths, size)
    else:
        for block in blocks:
            grid_table(doc, 3, 5, block, widths, size)
            paragraph(doc, "", size=8, indent=False)


def title(doc, agency: str, year: int, two_paragraphs: bool) -> None:
    if two_paragraphs:
        paragraph(doc, agency, 20, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        paragraph(doc, f"{year}年政府信息公开工作年度报告", 20, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    else:
        paragraph(doc, f"{agency}{year}年政府信息公开工作年度报告", 20, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER,
                  indent=False)
    paragraph(doc, "", indent=False)


def preamble(doc, report) -> None:
    paragraph(doc, f"根据《中华人民共和国政府信息公开条例》规定，现公布{report.agency}{report.year}年度政府信息公开"
                   f"工作年度报告。报告中所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。"
                   "如对本报告有任何疑问，请与本机关办公室联系（电话：0000-0000000）。")


def heading(doc, text: str) -> None:
    paragraph(doc, text, 15, HEAD)


def prose(doc, lines) -> None:
    for ln in lines:
        if ln.startswith("（"):
            paragraph(doc, ln, 15, SUB)
        else:
            paragraph(doc, ln)


def handbuilt(report, prose_key: str, variant: str, picture: Path | None = None):
    """The report as agencies lay it out by hand; ``variant`` picks the layout."""
    spec = report.spec
    heads = {s.key: s.heading for s in spec.sections}
    text = PROSE[prose_key]
    doc = new_document()
    sec = doc.sections[0]
    width = 158
    if variant == "t3_break":
        page_numbers(sec, "-", "-", head=f"{report.agency}政府信息公开")
    elif variant == "landscape":
        page_numbers(sec, "第 ", " 页")
    else:
        page_numbers(sec, "— ", " —")
    title(doc, report.agency, report.year, two_paragraphs=variant in ("t3_break", "landscape", "t4_blocks"))
    preamble(doc, report)
    heading(doc, heads["s1"])
    prose(doc, text["s1"])
    if variant == "landscape":  # the tables on landscape pages, as many agencies print them
        new = doc.add_section(WD_SECTION.NEW_PAGE)
        set_landscape(new)
        width = 240
    heading(doc, heads["s2"])
    add_official_table(doc, report, "t2", width * 0.8, size=10.5)
    heading(doc, heads["s3"])
    if variant == "picture_table":  # a photographed table on a page of its own
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_paragraph().add_run().add_picture(str(picture), width=Mm(150))
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif variant == "picture_inline":  # a screenshot of the table pasted under the heading
        doc.add_paragraph().add_run().add_picture(str(picture), width=Mm(150))
    elif variant == "t3_break":
        paragraph(doc, "本年度收到和处理政府信息公开申请的情况如下表。")
        add_official_table(doc, report, "t3", width, size=9, repeat_header=False, label_shares=[0.06, 0.12, 0.22])
    else:
        add_official_table(doc, report, "t3", width, size=9 if variant != "landscape" else 10,
                           label_shares=[0.05, 0.12, 0.18] if variant == "landscape" else None)
    heading(doc, heads["s4"])
    if variant == "t4_blocks":
        t4_block_tables(doc, report, width, one_table=False)
    elif variant == "t3_break":
        t4_block_tables(doc, report, width, one_table=True)
    else:
        add_official_table(doc, report, "t4", width, size=9 if variant != "landscape" else 10.5)
    if variant == "landscape":
        new = doc.add_section(WD_SECTION.NEW_PAGE)
        new.orientation = WD_ORIENT.PORTRAIT
        new.page_width, new.page_height = Mm(210), Mm(297)
    for key in ("s5", "s6"):
        heading(doc, heads[key])
        prose(doc, text[key])
    if variant == "t4_blocks":
        shade(doc)
    return doc


def shade(doc) -> None:
    """Paint as WPS does: a white box behind every paragraph, grey behind the column labels."""
    def shd(parent, fill: str) -> None:
        el = OxmlElement("w:shd")
        el.set(qn("w:val"), "clear")
        el.set(qn("w:color"), "auto")
        el.set(qn("w:fill"), fill)
        parent.append(el)

    for p in doc.paragraphs:
        shd(p._p.get_or_add_pPr(), "FFFFFF")
    for tbl in doc.tables:
        for row in tbl.rows:
            for c in row.cells:
                if c.text and not any(ch.isdigit() for ch in c.text):
                    shd(c._tc.get_or_add_tcPr(), "D9D9D9")


# --- conversion and ground truth ----------------------------------------------------------------


def to_pdf(docx: Path, out: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (out.stem + ".docx")
        shutil.copyfile(docx, src)
        pdf = convert(src, "pdf", Path(tmp) / "out", env={"FONTCONFIG_FILE": str(FONTS_CONF)})
        shutil.copyfile(pdf, out)
    return out


def page_pictures(pdf: Path, dpi: int, first: int = 1, last: int | None = None, gray: bool = True):
    """The pages of ``pdf`` as PIL images (pdftoppm)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["pdftoppm", "-r", str(dpi), "-f", str(first), "-png"] + (["-l", str(last)] if last else [])
        subprocess.run(cmd + (["-gray"] if gray else []) + [str(pdf), f"{tmp}/p"], check=True)
        return [Image.open(p).copy() for p in sorted(Path(tmp).glob("p*.png"))]


def t3_page(pdf: Path) -> int:
    """The page on which 表三 starts."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, 1):
            if "本年新收政府信息公开申请数量" in (page.extract_text() or "").replace(" ", ""):
                return n
    raise RuntimeError("表三 not found")


def truth(report, unreadable=(), agency=True, year=True) -> dict:
    keys = list(report.spec.cells)
    return {"format": report.format, "year": report.year if year else None,
            "agency": report.agency if agency else None,
            "values": {k: value_json(report, k) for k in keys}, "unreadable": sorted(unreadable)}


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def extract_texts(pdf: Path) -> list[Path]:
    out = []
    for suffix, extra in ((".layout.txt", ["-layout"]), (".txt", [])):
        target = pdf.with_suffix(suffix)
        subprocess.run(["pdftotext", *extra, "-enc", "UTF-8", str(pdf), str(target)], check=True)
        out.append(target)
    return out


def build(name, fmt, seed, year, agency, prose_key, variant, out: Path, sources: Path) -> None:
    report = report_for(fmt, seed, year, agency, prose_key)
    docx = sources / f"{name}.docx"
    pdf = out / f"{name}.pdf"
    unreadable: list[str] = []
    if variant == "standard":
        write_docx(build_document(report, generate=set()), docx, force=True)
    elif variant == "picture_table":
        # The 表三 page of the standard layout, photographed (a picture page inside the report).
        with tempfile.TemporaryDirectory() as tmp:
            full = Path(tmp) / "full.pdf"
            handbuilt(report, prose_key, "standard").save(Path(tmp) / "full.docx")
            to_pdf(Path(tmp) / "full.docx", full)
            shot = page_pictures(full, 110, t3_page(full), t3_page(full))[0]
            png = Path(tmp) / "t3.png"
            shot.convert("L").save(png, optimize=True)
            handbuilt(report, prose_key, variant, picture=png).save(docx)
        unreadable = [k for k in report.spec.cells if k.startswith("t3.")]
    elif variant == "scan":
        # A scanned report: every page a picture, no text layer at all.
        with tempfile.TemporaryDirectory() as tmp:
            handbuilt(report, prose_key, "standard").save(docx)
            to_pdf(docx, Path(tmp) / "text.pdf")
            pages = [im.convert("1") for im in page_pictures(Path(tmp) / "text.pdf", 72)]
            buf = io.BytesIO()
            pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=72)
            pdf.write_bytes(buf.getvalue())
        scan = truth(report, report.spec.cells, agency=False, year=False)
        scan["format"] = None  # nothing in a picture says which format it is
        write_json(out / f"{pdf.name}.truth.json", scan)
        return
    else:
        handbuilt(report, prose_key, variant).save(docx)
    to_pdf(docx, pdf)
    write_json(out / f"{pdf.name}.truth.json", truth(report, unreadable))
    for txt in extract_texts(pdf):
        write_json(out / f"{txt.name}.truth.json", truth(report, unreadable))


#: LibreOffice's PDF export options (JSON form, LibreOffice ≥ 7.4) for a PDF that needs a password to open.
ENCRYPT = ('writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
           '"DocumentOpenPassword":{"type":"string","value":"nianbao"}}')


def not_a_report(out: Path, sources: Path) -> None:
    """A PDF that is not an annual report (a notice), and the same notice encrypted:
    importing either must be refused with a message."""
    doc = new_document()
    paragraph(doc, "关于做好冬季安全生产工作的通知", 20, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    for ln in PROSE["notice"]["s1"]:
        paragraph(doc, ln)
    doc.save(sources / "not-a-report.docx")
    to_pdf(sources / "not-a-report.docx", out / "not-a-report.pdf")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = convert(sources / "not-a-report.docx", "pdf", Path(tmp), filter_=ENCRYPT,
                      env={"FONTCONFIG_FILE": str(FONTS_CONF)})
        shutil.copyfile(pdf, out / "encrypted.pdf")


def no_unicode_map(path: Path, pages: int = 2) -> None:
    """A small PDF whose text is drawn in a CID font with no ToUnicode map (as some PDF
    tools write it): every character extracts as ``(cid:N)`` and copies as gibberish.
    Written by hand, object by object, since no office suite makes such a file on purpose."""
    objs: list[bytes] = []

    def add(data: bytes = b"") -> int:
        objs.append(data)
        return len(objs)

    font, cid_font, descriptor = add(), add(), add()
    contents = []
    for p in range(pages):
        glyphs = "".join(f"<{0x0100 + (i * 37 + p) % 3000:04X}>" for i in range(60))
        stream = f"BT /F1 16 Tf 72 720 Td [{glyphs}] TJ 0 -30 Td [{glyphs}] TJ ET".encode()
        contents.append(add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"))
    tree = add()
    kids = [add(f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 595 842] /Contents {c} 0 R "
                f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()) for c in contents]
    objs[tree - 1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    objs[font - 1] = (f"<< /Type /Font /Subtype /Type0 /BaseFont /Unmapped /Encoding /Identity-H "
                      f"/DescendantFonts [{cid_font} 0 R] >>").encode()
    objs[cid_font - 1] = (f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Unmapped /CIDSystemInfo << "
                          f"/Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R "
                          f"/DW 1000 >>").encode()
    objs[descriptor - 1] = (b"<< /Type /FontDescriptor /FontName /Unmapped /Flags 4 /FontBBox [0 -200 1000 900] "
                            b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    catalog = add(f"<< /Type /Catalog /Pages {tree} 0 R >>".encode())
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, data in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + data + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def main(argv: list[str]) -> int:
    """``make_pdf_fixtures.py [OUT [NAME…]]``; ``--keep-docx`` keeps the Word sources beside the PDFs
    (they are not committed: this script is their source, and each adds ~40 KB)."""
    keep = "--keep-docx" in argv
    argv = [a for a in argv if a != "--keep-docx"]
    out = Path(argv[0]) if argv else OUT
    out.mkdir(parents=True, exist_ok=True)
    only = set(argv[1:])
    with tempfile.TemporaryDirectory() as tmp:
        sources = out if keep else Path(tmp)
        for fx in FIXTURES:
            if not only or fx[0] in only:
                build(*fx, out=out, sources=sources)
                print(f"built {fx[0]}")
        if not only:
            not_a_report(out, sources)
            no_unicode_map(out / "no-unicode-map.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

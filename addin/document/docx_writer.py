"""The report as a Word document, laid out as an official document (GB/T 9704—2012).

What GB/T 9704 fixes, and where it is set here:

* A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (:func:`_page`);
* title in 2号 (22 pt) 方正小标宋简体, centred; body in 3号 (16 pt) 仿宋_GB2312 with a
  two-character first-line indent, about 22 lines a page (fixed line spacing 28.95 pt);
* first-level headings (一、) in 黑体, second-level (（一）) in 楷体_GB2312;
* page numbers in 4号 as “— 1 —”: odd pages on the right, even pages on the left, one
  character in from the edge (a PAGE field, :func:`_page_number`).

Chinese font names are written as East-Asian fonts (``w:rFonts/@w:eastAsia``) with Times
New Roman for Latin text. Where the official fonts are missing (Linux, LibreOffice),
the fonts fall back by name through fontconfig to any installed CJK font (Noto CJK),
so the PDF still shows every character.

The three tables are built from :meth:`addin.formats.Table.grid` — the official merged
layout — with their header rows repeated on each page. 表四's fifteen columns fit the
portrait page in small type.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from ..formats import Table
from ..writers.atomic import atomic_output
from .narrative import Document, clean_text
from .tables import column_shares, is_leaf_label, kept_rows

#: Fonts (East-Asian name, Latin fallback) of each part of the document.
TITLE_FONT = ("方正小标宋简体", "Times New Roman")
BODY_FONT = ("仿宋_GB2312", "Times New Roman")
HEADING1_FONT = ("黑体", "Times New Roman")
HEADING2_FONT = ("楷体_GB2312", "Times New Roman")
PAGE_NUMBER_FONT = ("宋体", "Times New Roman")
#: The official (East-Asian) fonts the document names.
OFFICIAL_FONTS = tuple(dict.fromkeys(f[0] for f in (BODY_FONT, HEADING1_FONT, HEADING2_FONT, TITLE_FONT, PAGE_NUMBER_FONT)))

#: Sizes: 2号 22 pt, 3号 16 pt, 4号 14 pt, 5号 10.5 pt.
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE, TABLE_SIZE, WIDE_TABLE_SIZE = Pt(22), Pt(16), Pt(14), Pt(10.5), Pt(9.5)
LINE = Pt(28.95)  # 22 lines in the 225 mm type area
TABLE_LINE = Pt(13.5)
#: The type area's width: 210 − 28 − 26 mm.
TEXT_WIDTH_MM = 156


def set_font(run_or_style, font: tuple[str, str], size=None, bold: bool | None = None) -> None:
    """Set a run's (or style's) font: ``font[0]`` as the East-Asian font, ``font[1]`` for
    Latin letters and digits. Theme fonts are removed so they cannot override."""
    f = run_or_style.font
    f.name = font[1]
    if size is not None:
        f.size = size
    if bold is not None:
        f.bold = bold
    fonts = run_or_style.element.rPr.find(qn("w:rFonts"))  # made by ``f.name`` above
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), font[1])
    fonts.set(qn("w:hAnsi"), font[1])
    fonts.set(qn("w:cs"), font[1])
    fonts.set(qn("w:eastAsia"), font[0])
    fonts.set(qn("w:hint"), "eastAsia")


def _first_line_chars(paragraph_format, chars: int = 2, size=BODY_SIZE) -> None:
    """Indent the first line by ``chars`` characters (Word: firstLineChars; others: points)."""
    paragraph_format.first_line_indent = Pt(size.pt * chars)
    ind = paragraph_format.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _style(doc, name: str, font, size, *, bold=False, align=None, indent=True, line=LINE, base="Normal"):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
    if base and style.name != base:
        style.base_style = styles[base]
    set_font(style, font, size, bold)
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = line
    pf.space_before = pf.space_after = Pt(0)
    if align is not None:
        pf.alignment = align
    if indent:
        _first_line_chars(pf, 2, size)
    else:
        pf.first_line_indent = Pt(0)
    border = style.element.get_or_add_pPr().find(qn("w:pBdr"))  # the template's Title has a rule below
    if border is not None:
        border.getparent().remove(border)
    return style


def _styles(doc) -> None:
    # Document defaults: Chinese as the East-Asian language (line breaking, punctuation).
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = _style(doc, "Normal", BODY_FONT, BODY_SIZE, base=None)
    # Left, not justified: a line before a long unbreakable run (“30.8%、23.1%…”) would be
    # stretched into “办　理　结　果”; CJK text is full-width, so the right edge stays even.
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    normal.paragraph_format.widow_control = False
    _style(doc, "Title", TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=Pt(36))
    h1 = _style(doc, "Heading 1", HEADING1_FONT, BODY_SIZE)
    h2 = _style(doc, "Heading 2", HEADING2_FONT, BODY_SIZE)
    for h in (h1, h2):
        h.paragraph_format.keep_with_next = True
        h.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _style(doc, "Table Text", BODY_FONT, TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=TABLE_LINE)
    _style(doc, "Footer", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, indent=False, line=Pt(18))


def _page(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (e.g. ``PAGE``) in ``paragraph``; ``placeholder`` is shown until updated."""
    def fld(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        return run

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def _page_number(footer, align) -> None:
    """“— N —”: odd pages right, even pages left, one character (4号) in from the edge."""
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.style = "Footer"
    p.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = PAGE_NUMBER_SIZE
    else:
        p.paragraph_format.left_indent = PAGE_NUMBER_SIZE
    p.add_run("— ")
    _field(p, "PAGE", "1")
    p.add_run(" —")  # the Footer style sets 4号 宋体


def _cell_margins(tbl, mm: float) -> None:
    tblPr = tbl._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Mm(mm if side in ("left", "right") else 0.4).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblPr.insert_element_before(mar, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _row_flags(row, header: bool) -> None:
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    trPr.append(el)
    if header:
        el = OxmlElement("w:tblHeader")
        trPr.append(el)


def _span(tcs: dict, gc, width) -> None:
    """Merge the cells ``gc`` covers, as Word does: ``gridSpan`` across, ``vMerge``
    (restart, then continue) down; the cells spanned across are removed."""
    for i in range(gc.rowspan):
        first = tcs[(gc.row + i, gc.col)]
        if gc.colspan > 1:
            first.grid_span = gc.colspan
            first.width = width
            for j in range(1, gc.colspan):
                tc = tcs[(gc.row + i, gc.col + j)]
                tc.getparent().remove(tc)
        if gc.rowspan > 1:
            first.vMerge = "restart" if i == 0 else "continue"


def add_table(doc, document: Document, table: Table):
    """Append ``table`` in its official layout (merged cells from ``Table.grid()``)."""
    grid = table.grid()
    tbl = doc.add_table(rows=grid.rows, cols=grid.cols)
    tbl.style = doc.styles["Table Grid"]
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False  # w:tblLayout fixed: the widths below are kept
    _cell_margins(tbl, 0.8 if table.layout != "flat" else 0.4)
    widths = [Mm(TEXT_WIDTH_MM * share) for share in column_shares(table, grid.cols)]
    for i, w in enumerate(widths):
        tbl.columns[i].width = w
    size = WIDE_TABLE_SIZE if grid.cols > 10 else TABLE_SIZE
    style_id = doc.styles["Table Text"].style_id
    # The fresh table has one <w:tc> per grid position; keep them by position, since
    # python-docx's Table.cell() re-walks the whole table on every call.
    tcs = {}
    keep = kept_rows(table, grid)  # keep-with-next: no page break after these rows
    for r, row in enumerate(tbl.rows):
        _row_flags(row, r < grid.header_rows)
        for c, tc in enumerate(row._tr.tc_lst):
            tcs[(r, c)] = tc
            tc.width = widths[c]
            tc.p_lst[0].style = style_id  # spanned-over cells too: their empty line sets no height
            if r in keep:
                tc.p_lst[0].get_or_add_pPr().keepNext_val = True
    for gc in grid.cells:
        cell = _Cell(tcs[(gc.row, gc.col)], tbl)
        text = document.cell_text(gc.key) if gc.role == "data" else clean_text(gc.text or "")
        p = cell.paragraphs[0]
        if gc.role == "label" and is_leaf_label(table, gc):
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        run = p.add_run(text)
        font = HEADING1_FONT if gc.role in ("header", "caption") else BODY_FONT
        set_font(run, font, size)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if gc.rowspan > 1 or gc.colspan > 1:
            _span(tcs, gc, sum(widths[gc.col:gc.col + gc.colspan]))
    return tbl


#: Characters of 2号 type in one line of the type area.
TITLE_LINE_CHARS = 20


def _title(doc, document: Document) -> None:
    """The title, broken where the meaning breaks (after the agency and year) when it
    needs two lines, as GB/T 9704 asks, instead of wherever the line runs out."""
    p = doc.add_paragraph(style="Title")
    parts = document.title_parts if len(document.title) > TITLE_LINE_CHARS else [document.title]
    for i, part in enumerate(parts):
        run = p.add_run(part)
        if i < len(parts) - 1:
            run.add_break()


def _width_pt(text: str, size: float) -> float:
    """About how wide ``text`` sets: CJK full-width, Latin/digits about half, plus the
    quarter-em LibreOffice and Word put between CJK and Latin (“2026 年”)."""
    wide = [ord(ch) > 0x2E7F for ch in text]
    gaps = sum(a != b for a, b in zip(wide, wide[1:]))
    return size * (sum(1.0 if w else 0.55 for w in wide) + 0.25 * gaps)


def _closing(add, document: Document) -> None:
    """署名 and 成文日期 (GB/T 9704 7.3.5.1): one blank line after the text; the date with
    about four characters to spare on the right, in Arabic numerals; the signer centred
    over the date (both on one centre tab stop). With no date typed, a space is left for
    it (“年　月　日”), to be filled in by hand."""
    if not document.closing:
        return
    signer, date = document.closing[0], (document.closing[1:] or ["　　年　　月　　日"])[0]
    size, width = BODY_SIZE.pt, Mm(TEXT_WIDTH_MM).pt
    centre = min(width - 4 * size - _width_pt(date, size) / 2, width - _width_pt(signer, size) / 2)
    add("", "Normal")
    for line in (signer, date):
        p = add("", "Normal")
        p.add_run("\t" + line)
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        p._p.get_or_add_pPr().get_or_add_ind().attrib.pop(qn("w:firstLineChars"), None)
        pf.tab_stops.add_tab_stop(Pt(max(centre, size)), WD_TAB_ALIGNMENT.CENTER)
        pf.keep_with_next = line == signer


def render(document: Document):
    """The python-docx ``Document`` for ``document``."""
    doc = new_docx()
    _styles(doc)
    section = doc.sections[0]
    _page(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    props = doc.core_properties
    props.title = document.title
    props.author = props.last_modified_by = clean_text(document.report.agency)[:250]
    props.language = "zh-CN"
    props.comments = "由年报助手（nianbao）生成"
    props.created = props.modified = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    props.revision = 1
    # python-docx's template carries its own thumbnail picture: drop it.
    package_rels = doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]

    # The body starts with the paragraph python-docx's template leaves empty: remove it.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)

    _title(doc, document)
    add = _appender(doc)
    add("", "Normal")
    for para in document.preamble:
        add(para.text, "Normal")
    for s in document.sections:
        add(s.heading, "Heading 1")
        for para in s.paragraphs:
            add(para.text, "Heading 2" if para.style == "subheading" else "Normal")
        if s.table is not None:
            add_table(doc, document, s.table)
            add("", "Normal").paragraph_format.line_spacing = Pt(12)
    _closing(add, document)
    return doc


def _appender(doc):
    """``add(text, style)``: append a paragraph at the end of the body in constant time.

    python-docx's ``add_paragraph`` looks the style up by name through every style and
    inserts by searching the body for its final ``w:sectPr``; both grow with the document,
    so a long section text (thousands of paragraphs) took quadratic time. Here the style
    ids are resolved once and each paragraph is placed right before the known ``sectPr``.
    """
    ids = {name: doc.styles[name].style_id for name in ("Normal", "Heading 1", "Heading 2")}
    body = doc.element.body
    sect_pr = body.find(qn("w:sectPr"))

    def add(text: str, style: str) -> Paragraph:
        p = OxmlElement("w:p")
        p.get_or_add_pPr().style = ids[style]
        if text:
            p.add_r().text = text  # python-docx's run text: tabs and breaks as Word's elements
        if sect_pr is not None:
            sect_pr.addprevious(p)
        else:
            body.append(p)
        return Paragraph(p, doc._body)

    return add


def write_docx(document: Document, path: str | Path, force: bool = False) -> Path:
    """Write the .docx atomically (refusing to overwrite unless ``force``)."""
    doc = render(document)
    with atomic_output(path, force) as tmp:
        doc.save(str(tmp))
    return Path(path)

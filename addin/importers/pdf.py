"""PDF reports: tables from the page geometry, prose from the page text (pdfplumber).

A published PDF is a set of pages with characters, lines and pictures at positions;
it has no tables and no paragraphs, only what they look like. This module turns the
pages into the same token stream as an HTML page (see :mod:`.tokens`):

* **Tables** come from the ruling lines (pdfplumber's ``lines`` strategy): each cell
  the lines enclose becomes one cell token, each row ends with a row break — exactly
  what an HTML ``<tr>`` gives. A cell merged across columns or rows (the 表三 header,
  the vertical 三、本年度办理结果) is one cell where it starts and nothing where it
  continues, like ``colspan``/``rowspan``. Text wrapped inside a cell is joined back
  (``三、\\n本年\\n度办…`` → ``三、本年度办理结果``). A table continued on the next page,
  with or without its header repeated, is just more rows: the rows are anchored on
  their labels by :mod:`.assemble`, as for every other source. 表四 printed as three
  blocks of five columns is put back into its official one-row shape.
* **Prose** is the text outside the tables: running heads and page numbers
  (``— 3 —``, ``-4-``, ``第 3 页``) are dropped, lines broken by the page width are
  joined back into paragraphs (a paragraph ends where a line stops short, the next
  one is indented, or a heading starts), and a title set over two lines is one line.
* **Pages without text** (a scanned page is a picture) are counted, so the import can
  say which pages could not be read (rule I020) instead of inventing anything.

An encrypted, damaged or non-PDF file raises :class:`~addin.errors.InputError`.

Text drawn in a font without a Unicode map (pdfminer shows ``(cid:123)``; copying it
gives gibberish) is as unreadable as a picture, and said so the same way.

A row split by a page break (``4.保护第三`` at the foot of one page, ``方合法权益`` at the
top of the next) is found by the first part of its label, a cut label as in pasted text.

Limits: a table drawn without ruling lines is read line by line as pasted text is
(label and values on one line); its labels must not wrap.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from statistics import median

from ..errors import InputError
from ..formats import load_format
from .anchors import norm, section_heading, value_state
from .tokens import BREAK, Token, cell

# pdfminer logs what it cannot render as English warnings on stderr; what matters to the
# user reaches them as findings or as a Chinese message instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

#: Most pages read from one PDF (real reports have 5–20).
MAX_PAGES = 200
#: A page with at most this many characters and a picture over this share of its area is a scan.
SCAN_CHARS, SCAN_AREA = 20, 0.3

_CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’—…"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \u3000]+|[ \u3000]+(?=[{_CJK}])")
#: Page numbers as printed: — 3 —, -4-, 第 3 页, 第3页 共12页, 3/12, a bare 3.
_PAGE_NUMBER = re.compile(r"^(?:[—–\-－─·•\s]*\d{1,3}[—–\-－─·•\s]*|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
                          r"|\d{1,3}\s*/\s*\d{1,3}|[Pp]age\s*\d{1,3}(?:\s*of\s*\d{1,3})?)$")
#: Headings of the second level and below: （一）…, 1. …
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
#: How a paragraph's last line ends: 。！？；： (perhaps followed by a closing quote or bracket).
_ENDS = re.compile(r"[。！？；：!?;:][”’）)」』]?$")
#: Share of the page height at its top and bottom where running heads and page numbers sit.
_MARGIN = 0.1


@dataclass
class _Line:
    text: str  # tidied: no spaces between CJK characters
    raw: str  # as laid out, spaces kept (they separate the cells of a table drawn without lines)
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int


@dataclass
class _Table:
    rows: list[list[str | None]]
    top: float
    page: int


@dataclass
class PdfContent:
    """What was read from one PDF: the token stream, and the pages that had no text."""

    tokens: list[Token]
    pages: int
    scanned: list[int] = field(default_factory=list)  # 1-based numbers of pages that are only pictures
    garbled: list[int] = field(default_factory=list)  # pages whose text has no Unicode map: (cid:…)
    pictures: list[int] = field(default_factory=list)  # pages with text and a large picture (a pasted table?)

    @property
    def unreadable(self) -> list[int]:
        """Pages nothing could be read from."""
        return sorted(self.scanned + self.garbled)


def _open(path: Path):
    """Open the PDF with pdfplumber, turning every way of failing into a Chinese message."""
    try:
        head = path.read_bytes()[:1024]
    except OSError as e:
        raise InputError(f"无法读取 {path}：{e.strerror}") from None
    if b"%PDF-" not in head:
        raise InputError(f"{path}：不是 PDF 文件（文件开头没有 %PDF 标记，可能是改了扩展名的其他文件）")
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - pdfplumber is a dependency
        raise InputError("读取 PDF 需要 pdfplumber（pip install pdfplumber）") from None
    try:
        pdf = pdfplumber.open(str(path))
        pdf.pages  # noqa: B018 - parses the page tree now, so damage shows here
    except Exception as e:  # pdfminer raises many kinds on a broken file; pdfplumber wraps them
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise InputError(f"{path}：PDF 已加密，需要密码才能打开，无法读取。请向发布机关索取未加密的版本，"
                             "或改用该报告的网页、Word 版本") from None
        raise InputError(f"{path}：PDF 文件已损坏，无法读取（{type(cause).__name__}）。"
                         "请重新下载，或改用该报告的网页、Word 版本") from None
    return pdf


def join_wrapped(lines: list[str]) -> str:
    """Lines of one cell or paragraph as one text: CJK lines join directly, Latin words with a space."""
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and ln[0].isascii() and ln[0].isalnum():
            out += " "
        out += ln
    return tidy(out)


def tidy(text: str) -> str:
    """Drop the spaces a PDF shows between CJK characters (justified lines, CJK–Latin gaps)."""
    return _CJK_SPACE.sub("", " ".join(text.split()))


def _cell_text(text: str | None) -> str | None:
    return None if text is None else join_wrapped(text.split("\n"))


def _ruling(obj) -> bool:
    """Whether a graphic may be a table's ruling: lines, stroked boxes and thin filled bars
    (how Word draws borders) are; a filled box without a border is shading behind a
    paragraph or a cell (WPS paints one behind every line of text), not a ruling."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return True
    return min(obj["width"], obj["height"]) <= 3


def _open_ends(page) -> list[dict]:
    """Horizontal rulings where a table is left open: at a page break WPS and Word draw
    the column lines down to the page's last row but no line under it (nor over the
    first row of the next page). Where three or more vertical rulings end at the same
    height, a horizontal ruling across them closes the table there; where one exists
    already, the extra one changes nothing."""
    ends: dict[int, list[tuple[float, float]]] = {}
    for e in page.edges:
        if e["orientation"] == "v" and e["height"] > 5:
            for y in (e["top"], e["bottom"]):
                ends.setdefault(round(y), []).append((e["x0"], y))
    out = []
    for key in sorted(ends):
        group = ends[key] + ends.get(key - 1, []) + ends.get(key + 1, [])
        if len(group) >= 3:
            xs = [x for x, _ in group]
            y = sum(y for _, y in group) / len(group)
            out.append({"object_type": "line", "x0": min(xs), "x1": max(xs), "top": y, "bottom": y,
                        "width": max(xs) - min(xs), "height": 0})
    return out


def _rows(table) -> list[list[str | None]]:
    """The cell texts of a pdfplumber table, row by row (``None`` where a merged cell
    continues). An empty cell left of the value columns is part of the row label (a
    label cell drawn with a line through it, e.g. （七）总计 over two label columns): it
    is dropped like a merged cell, so it cannot shift the row's values."""
    texts = [[_cell_text(c) for c in row] for row in table.extract()]
    starts = Counter()
    for row, cells in zip(table.rows, texts):
        first = next((box for box, text in zip(row.cells, cells) if box and text and value_state(text)), None)
        if first is not None:
            starts[round(first[0])] += 1
    if not starts:
        return texts
    values_x0 = starts.most_common(1)[0][0]
    for row, cells in zip(table.rows, texts):
        seen_label = False
        for k, (box, text) in enumerate(zip(row.cells, cells)):
            if box is None or text is None:
                continue
            if text and not value_state(text):
                seen_label = True
            elif text == "" and seen_label and box[2] <= values_x0 + 2:
                cells[k] = None
    return texts


def _page_content(page, n: int) -> tuple[list[_Line], list[_Table], str]:
    """Lines outside tables, tables, and what the page is: ``text``, ``scan`` (a picture),
    ``garbled`` (characters without a Unicode map) or ``picture`` (text and a large picture)."""
    chars = [c for c in page.chars if c["text"].strip()]
    area = float(page.width * page.height) or 1.0
    picture = sum(max(0.0, (im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images) / area
    if len(chars) <= SCAN_CHARS and picture >= SCAN_AREA:
        return [], [], "scan"  # a scanned page (perhaps with a stray character or two of OCR)
    if not chars:
        return [], [], "text"  # an empty page
    if sum(1 for c in chars if c["text"].startswith("(cid:")) * 2 > len(chars):
        return [], [], "garbled"
    ruled = page.filter(_ruling)
    settings = {"explicit_horizontal_lines": _open_ends(ruled)}
    found = [t for t in ruled.find_tables(settings) if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    tables = [_Table(_rows(t), t.bbox[1], n) for t in found]
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    lines = []
    for ln in text_page.extract_text_lines(return_chars=True, strip=True):
        raw = " ".join(ln["text"].split())
        if raw:
            size = median(c["size"] for c in ln["chars"]) if ln["chars"] else 0.0
            lines.append(_Line(tidy(raw), raw, ln["x0"], ln["x1"], ln["top"], ln["bottom"], size, n))
    return lines, tables, "picture" if picture >= SCAN_AREA else "text"


def _furniture(pages: list[list[_Line]], heights: list[float]) -> set[int]:
    """ids of the lines that are page furniture: page numbers and running heads or feet
    (the same line, digits aside, at the top or bottom of two or more pages)."""
    drop: set[int] = set()
    edge: dict[str, list[_Line]] = {}
    for lines, h in zip(pages, heights):
        for k, ln in enumerate(lines):
            at_edge = ln.top < h * _MARGIN or ln.bottom > h * (1 - _MARGIN) or k in (0, len(lines) - 1)
            if not at_edge:
                continue
            if _PAGE_NUMBER.match(ln.text):
                drop.add(id(ln))
            elif ln.top < h * _MARGIN or ln.bottom > h * (1 - _MARGIN):
                edge.setdefault(re.sub(r"\d+", "#", norm(ln.text)), []).append(ln)
    for same in edge.values():
        if len({ln.page for ln in same}) >= 2 and section_heading(same[0].text) is None:
            drop.update(id(ln) for ln in same)
    return drop


def _is_heading(text: str) -> bool:
    return section_heading(text) is not None or bool(_SUBHEADING.match(text))


def _paragraphs(lines: list[_Line], margins: dict[int, tuple[float, float]], widths: list[int],
                body: float) -> list[Token]:
    """Join lines broken by the page width back into paragraphs; headings, title lines and
    table rows set as text (label and numbers on one line) stay lines of their own."""
    from .text import split_line

    out: list[Token] = []
    para: list[_Line] = []

    def flush() -> None:
        if para:
            out.append(Token(join_wrapped([p.text for p in para])))
            para.clear()

    for ln in lines:
        parts = split_line(ln.raw)
        if len(parts) > 1:  # a table row without ruling lines: label and values
            flush()
            out.extend(parts)
            out.append(BREAK)
            continue
        prev = para[-1] if para else None
        left = margins.get(widths[ln.page - 1], (ln.x0, ln.x1))[0]
        right = margins.get(widths[prev.page - 1], (0, prev.x1))[1] if prev else 0.0
        big = ln.size > body * 1.15
        short = prev is not None and prev.x1 < right - 1.5 * max(prev.size, 1)  # the previous line stopped short
        starts = (
            prev is None
            or _is_heading(ln.text)
            or (short and (_is_heading(prev.text) or _ENDS.search(prev.text) is not None))  # it ended
            or ln.x0 > left + 0.8 * max(ln.size, 1)  # indented
            or abs(ln.size - prev.size) > 0.5  # a change of type size (title → body)
        )
        if big and prev is not None and abs(ln.size - prev.size) <= 0.5 and ln.page == prev.page \
                and ln.top - prev.bottom < ln.size * 1.2:
            starts = False  # the title set over two or three lines
        if starts:
            flush()
        para.append(ln)
    flush()
    return out


@cache
def _t4_parts() -> tuple[tuple[str, str], ...]:
    """(normalised short label, row key) of 表四's three parts, longest first (复议后起诉 before 行政复议)."""
    t4 = load_format("2021").table("t4")
    return tuple(sorted(((norm(r.short), r.key) for r in t4.rows), key=lambda x: -len(x[0])))


@cache
def _t4_columns() -> tuple[str, ...]:
    return tuple(norm(c.label) for c in load_format("2021").table("t4").columns)


def _t4_block(rows: list[list[str | None]], above: str = "") -> tuple[str, list[str]] | None:
    """A table that is one 表四 block — a title naming the part (in the table, or the
    line ``above`` it), the five column labels, one row of five values — as (row key,
    values); else ``None``."""
    cols = _t4_columns()
    title = []
    for k, row in enumerate(rows):
        cells = [c for c in row if c]
        if [norm(c) for c in cells] == list(cols):
            if k + 1 < len(rows):
                values = [c or "" for c in rows[k + 1] if c is not None]
                text = norm("".join(title) or (above if len(norm(above)) <= 20 else ""))
                part = next((key for label, key in _t4_parts() if label in text), None)
                if part and len(values) == len(cols) and len(rows) == k + 2:
                    return part, values
            return None
        title.extend(cells)
    return None


def _split_t4_blocks(rows: list[list[str | None]]) -> list[list[list[str | None]]]:
    """A table holding several 表四 blocks one under another, cut into one table per block
    (a block ends with its row of values)."""
    cols = _t4_columns()
    out, cur, seen_header = [], [], False
    for row in rows:
        cur.append(row)
        if [norm(c) for c in row if c] == list(cols):
            seen_header = True
        elif seen_header:
            out.append(cur)
            cur, seen_header = [], False
    if cur:
        out.append(cur)
    return out


def _t4_official(parts: dict[str, list[str]]) -> list[Token]:
    """表四 in its official shape (three header rows, one row of 15 values), from its blocks."""
    t4 = load_format("2021").table("t4")
    out: list[Token] = []
    for header_row in t4.header:
        out.extend(Token(spec["text"]) for spec in header_row)
        out.append(BREAK)
    for row in t4.rows:
        out.extend(cell(v) for v in parts[row.key])
    out.append(BREAK)
    return out


def _table_tokens(rows: list[list[str | None]]) -> list[Token]:
    out: list[Token] = []
    for row in rows:
        cells = [c for c in row if c is not None]
        if not cells:
            continue
        out.extend(cell(c) for c in cells)
        out.append(BREAK)
    return out


def read_pdf(path: Path) -> PdfContent:
    """The token stream of a PDF report, and which pages were pictures only."""
    pdf = _open(path)
    try:
        n_pages = len(pdf.pages)
        if n_pages > MAX_PAGES:
            raise InputError(f"{path}：PDF 有 {n_pages} 页，超过 {MAX_PAGES} 页的上限，不像是一份年度报告")
        pages, tables, heights, widths = [], [], [], []
        kinds: dict[str, list[int]] = {"scan": [], "garbled": [], "picture": [], "text": []}
        for n, page in enumerate(pdf.pages, 1):
            try:
                lines, tabs, kind = _page_content(page, n)
            except InputError:
                raise
            except Exception as e:  # a damaged content stream on one page
                raise InputError(f"{path}：PDF 第 {n} 页已损坏，无法读取（{type(e).__name__}）") from None
            finally:
                page.close()
            pages.append(lines)
            tables.append(tabs)
            heights.append(float(page.height))
            widths.append(round(page.width))
            kinds[kind].append(n)
    finally:
        pdf.close()
    return PdfContent(_tokens(pages, tables, heights, widths), n_pages, kinds["scan"], kinds["garbled"],
                      kinds["picture"])


def _tokens(pages: list[list[_Line]], tables: list[list[_Table]], heights: list[float],
            widths: list[int]) -> list[Token]:
    drop = _furniture(pages, heights)
    body_lines = [ln for lines in pages for ln in lines if id(ln) not in drop]
    body = Counter(round(ln.size) for ln in body_lines).most_common(1)[0][0] if body_lines else 0.0
    # The type area's left and right edges, for each page width (portrait and landscape pages differ).
    margins: dict[int, tuple[float, float]] = {}
    for w in set(widths):
        normal = [ln for ln in body_lines if round(ln.size) == body and widths[ln.page - 1] == w]
        if normal:
            margins[w] = (Counter(round(ln.x0) for ln in normal).most_common(1)[0][0],
                          sorted(ln.x1 for ln in normal)[int(len(normal) * 0.9)])

    # One stream in reading order: each page's lines and tables by their top edge;
    # ``None`` marks a table's place among the lines, so a paragraph never runs across it.
    stream: list[_Line | _Table] = []
    for lines, tabs in zip(pages, tables):
        items = [ln for ln in lines if id(ln) not in drop] + list(tabs)
        stream.extend(sorted(items, key=lambda x: x.top))

    # 表四 in blocks: split tables holding several blocks, then gather the blocks.
    expanded: list[_Line | _Table] = []
    for item in stream:
        if isinstance(item, _Table):
            expanded.extend(_Table(rows, item.top, item.page) for rows in _split_t4_blocks(item.rows))
        else:
            expanded.append(item)
    blocks, parts = {}, {}
    above = ""  # the line just above a table: a block's title may be printed there
    for item in expanded:
        if isinstance(item, _Line):
            above = item.text
            continue
        b = _t4_block(item.rows, above)
        if b and b[0] not in blocks:
            blocks[b[0]], parts[b[0]] = item, b[1]
        above = ""
    complete = len(blocks) == len(_t4_parts())
    first_block = min(blocks.values(), key=expanded.index) if complete else None

    out: list[Token] = []
    run: list[_Line | None] = []
    for item in expanded:
        if isinstance(item, _Line):
            run.append(item)
            continue
        out.extend(_paragraphs(run, margins, widths, body))
        run = []
        if complete and item is first_block:
            out.extend(_t4_official(parts))
        elif not (complete and any(item is t for t in blocks.values())):
            out.extend(_table_tokens(item.rows))
    out.extend(_paragraphs(run, margins, widths, body))
    return out


def _pages_text(pages: list[int]) -> str:
    return "、".join(str(p) for p in pages)


def scan_finding(content: PdfContent):
    """Rule I020: pages that are pictures (a scan, a pasted screenshot of a table) were not read."""
    from ..findings import Finding
    from ..ruleset import builtin_rules

    rule = builtin_rules().get("I020")
    parts = []
    if content.scanned and len(content.scanned) == content.pages:
        parts.append(f"PDF 全部 {content.pages} 页都是图片（扫描件），没有文字层，无法读取任何内容")
    elif content.scanned:
        parts.append(f"PDF 第 {_pages_text(content.scanned)} 页是图片（扫描件），没有文字层，这些页上的文字和表格未导入")
    if content.garbled:
        parts.append(f"PDF 第 {_pages_text(content.garbled)} 页的文字无法解码（字体没有附带字符对照表，复制出来是乱码），"
                     "这些页上的文字和表格未导入")
    what = "；".join(parts)
    if content.pictures:
        what += ("；" if what else "") + (f"PDF 第 {_pages_text(content.pictures)} 页有大幅图片（可能是表格截图），"
                                          "图片中的内容无法读取")
    message = what + "；未读到的单元格保持为空，没有补 0"
    return Finding(rule=rule.id, severity=rule.severity, name=rule.name, hint=rule.hint, message=message,
                   locations=[f"第{p}页" for p in sorted(content.unreadable + content.pictures)])


def import_pdf(path: Path):
    """A PDF report as a :class:`~addin.model.Report`; pages without text are finding I020,
    and so are large pictures on pages with text when a table was not found (a table
    pasted as a screenshot). A PDF that is all pictures gives an empty report with that
    finding, not a refusal: it is a report, only one nobody can read without OCR."""
    from ..model import Report
    from .assemble import assemble

    content = read_pdf(path)
    try:
        report = assemble(content.tokens, source=str(path))
    except InputError:
        if not content.unreadable:
            raise
        report = Report.from_values(None, {}, source=str(path))
    if content.pictures and not any(p.rule in ("I001", "I002") for p in report.problems):
        content.pictures = []  # every table was found: the pictures are a letterhead, a seal, a photo
    if content.unreadable or content.pictures:
        report.problems.append(scan_finding(content))
    return report

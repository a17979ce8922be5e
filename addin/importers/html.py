"""HTML pages from government portals: the report with the site's furniture around it.

Parsed with lxml's HTML parser with the network switched off; an HTML parser expands
no external entities. Scripts, styles and forms are skipped. Block elements become
lines; every ``<td>``/``<th>`` becomes one cell token (empty cells kept), every
``<tr>`` ends with a row break. The menus and footers of the site stay in the stream
as prose lines; the anchoring ignores what it does not recognise.
"""

from __future__ import annotations

import re

from lxml import etree

from .anchors import section_heading
from .tokens import BREAK, Token, cell

_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "select", "button",
                   "input", "textarea", "form", "canvas", "math"})
_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
                    "header", "footer", "nav", "title", "blockquote", "pre", "dd", "dt", "dl", "center",
                    "caption", "body", "html", "main", "aside", "address", "hr"})
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)


def parser() -> etree.HTMLParser:
    return etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, remove_blank_text=False)


def parse_html(text: str):
    """The document tree (``None`` for a page with no elements)."""
    text = _XML_DECL.sub("", text)
    if not text.strip():
        return None
    try:
        root = etree.fromstring(text, parser())
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None
    return root


class _Walker:
    def __init__(self) -> None:
        self.out: list[Token] = []
        self.owners: list = []  # the element each token came from
        self.buf: list[str] = []
        self.owner = None

    def emit(self, tok: Token, owner) -> None:
        self.out.append(tok)
        self.owners.append(owner)

    def flush(self) -> None:
        text = "".join(self.buf)
        self.buf = []
        for line in text.split("\n"):
            line = " ".join(line.split())
            if line:
                self.emit(Token(line), self.owner)

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP:
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        if tag == "br":
            self.buf.append("\n")
            return
        block = tag in _BLOCK
        if block:
            self.flush()
            outer, self.owner = self.owner, el
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buf.append(child.tail)
        if block:
            self.flush()
            self.owner = outer

    def table(self, el) -> None:
        for row in el.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            for c in row:
                if c.tag not in ("td", "th"):
                    continue
                if len(c) and (next(c.iterdescendants("table"), None) is not None or _is_layout_cell(c)):
                    self.walk(c)  # a layout cell holding the article, not a table cell
                    self.flush()
                else:
                    self.emit(cell("".join(c.itertext())), el)
            self.emit(BREAK, el)


def _is_layout_cell(c) -> bool:
    """A ``<td>`` that holds a page's article (old portals lay pages out in tables): long,
    with several paragraphs or line breaks inside."""
    blocks = sum(1 for el in c.iterdescendants("p", "div", "br", "li", "h1", "h2", "h3", "h4"))
    return blocks >= 3 and sum(len(t) for t in c.itertext()) > 200


def tokenize_html(text: str) -> list[Token]:
    root = parse_html(text)
    if root is None:
        return []
    w = _Walker()
    w.walk(root)
    w.flush()
    return _article(w.out, w.owners)


def _article(tokens: list[Token], owners: list) -> list[Token]:
    """Drop the site's furniture after the report: keep everything up to the end of the
    smallest element that holds all the section headings (menus before it stay, as the
    title is often there; the footer after it goes)."""
    heads = [owners[i] for i, t in enumerate(tokens) if t.text and owners[i] is not None and section_heading(t.text)]
    if len(heads) < 2:
        return tokens
    common = None
    for el in dict.fromkeys(heads):
        chain = [el, *el.iterancestors()]
        if common is None:
            common = chain
        else:
            keep = set(chain)
            common = [a for a in common if a in keep]
    if not common or common[0].tag in ("html", "body"):
        return tokens
    inside = set(common[0].iter())
    last = max(i for i, o in enumerate(owners) if o in inside)
    return tokens[: last + 1]

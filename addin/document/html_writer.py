"""The report as one self-contained HTML page for the government portal.

Portals publish the report as an article with real ``<table>`` elements, merged header
cells as ``rowspan``/``colspan`` — the same layout as the Word tables, from
:meth:`addin.formats.Table.grid`. The page has no external assets (styles inline, no
scripts, no web fonts), declares ``lang="zh-CN"``, and carries print CSS (A4, GB/T
9704 margins, header rows repeated). Every text is escaped by Jinja2's autoescape, so
a cell holding ``=HYPERLINK(…)`` or ``<script>`` stays inert text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..formats import Table
from ..writers.atomic import atomic_output
from .narrative import Document, clean_text
from .tables import column_shares, is_leaf_label, kept_rows

TEMPLATES = Path(__file__).with_name("templates")


@dataclass
class HtmlCell:
    role: str
    text: str
    span: Markup
    key: str = ""
    css: str = ""


@dataclass
class HtmlTable:
    key: str
    number: str
    title: str
    layout: str
    widths: list[float]
    head: list[list[HtmlCell]]
    body: list[list[HtmlCell]]
    #: body rows (0-based) after which printing must not break a page (:func:`kept_rows`)
    keep: frozenset[int] = frozenset()


def html_table(document: Document, table: Table) -> HtmlTable:
    """``table`` as rows of cells with spans, from the official grid."""
    grid = table.grid()
    rows: list[list[HtmlCell]] = [[] for _ in range(grid.rows)]
    for gc in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        span = ""
        if gc.rowspan > 1:
            span += f' rowspan="{gc.rowspan}"'
        if gc.colspan > 1:
            span += f' colspan="{gc.colspan}"'
        text = document.cell_text(gc.key) if gc.role == "data" else clean_text(gc.text or "")
        css = gc.role
        if gc.role == "label":
            css = "label" if is_leaf_label(table, gc) else "group"
        rows[gc.row].append(HtmlCell(gc.role, text, Markup(span), gc.key or "", css))
    widths = [round(100 * share, 3) for share in column_shares(table, grid.cols)]
    keep = frozenset(r - grid.header_rows for r in kept_rows(table, grid) if r >= grid.header_rows)
    return HtmlTable(table.key, table.number, table.title, table.layout, widths,
                     rows[: grid.header_rows], rows[grid.header_rows:], keep)


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                       trim_blocks=False, lstrip_blocks=False)


def render_html(document: Document) -> str:
    tables = {s.table.key: html_table(document, s.table) for s in document.sections if s.table is not None}
    return _environment().get_template("report.html.j2").render(doc=document, tables=tables)


def write_html(document: Document, path: str | Path, force: bool = False) -> Path:
    text = render_html(document)
    with atomic_output(path, force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)

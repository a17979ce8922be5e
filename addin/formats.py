"""The two official table formats, loaded from ``rules/formats/``.

A *format* is the set of statutory tables a report must use: the 2019 trial format
(国办公开办函〔2019〕60号, used for the 2019 and 2020 reports) or the 2021 format
(国办公开办函〔2021〕30号, used from the 2021 report on). Each table has rows and
columns; every data cell has a *cell key* ``<table>.<row>.<column>`` such as
``t3.new.natural`` (see ``spec/data-model.md``).

This module only reads the definitions and derives from them what every renderer
needs: the list of cell keys, each cell's value kind, and :meth:`Table.grid`, the
official merged-cell layout that the Excel template, the Word and HTML tables and
the importers all share.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property

from .resources import rules_dir

FORMATS = ("2019", "2021")

#: Value kinds of a data cell.
#: ``count`` non-negative integer; ``signed_count`` integer that may be negative
#: (2019 本年增/减); ``wan_yuan`` decimal amount in 万元 (2021 收费金额);
#: ``money`` amount with a unit, 万元 canonical (2019 采购总金额).
KINDS = ("count", "signed_count", "wan_yuan", "money")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str
    short: str

    @property
    def numeric_kind(self) -> str:
        return self.kind


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    short: str
    path: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One captioned block of 表二, e.g. 第二十条第（一）项 with its own column header."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[str, ...]


@dataclass(frozen=True)
class GridCell:
    """One cell of a table's official layout, in table coordinates (0-based).

    ``role`` is ``header`` (column heading), ``caption`` (a 表二 block caption such as
    第二十条第（一）项), ``label`` (row heading) or ``data`` (a value cell with ``key``).
    """

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    role: str = "data"
    text: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Grid:
    rows: int
    cols: int
    header_rows: int
    cells: tuple[GridCell, ...]

    def data_cells(self) -> list[GridCell]:
        return [c for c in self.cells if c.role == "data"]


@dataclass(frozen=True, eq=False)
class CellSpec:
    """What the format says about one data cell."""

    key: str
    table: "Table"
    row: Row
    column: Column

    @property
    def kind(self) -> str:
        return self.column.kind

    def describe(self) -> str:
        """Chinese description for messages, e.g. 表三“本年新收”行“自然人”列."""
        t = self.table
        if t.layout == "flat":
            return f"表{t.number}“{self.row.short}·{self.column.short}”"
        return f"表{t.number}“{self.row.short}”行“{self.column.short}”列"


@dataclass(frozen=True, eq=False)
class Table:
    key: str
    number: str
    title: str
    sheet: str
    layout: str  # "blocks" (表二), "matrix" (表三), "flat" (表四)
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    header: tuple[tuple[dict, ...], ...] = ()
    blocks: tuple[Block, ...] = ()
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    label_columns: int = 0
    value_columns: int = 0
    note: str = ""
    corner: str = ""

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def cell_keys(self) -> list[str]:
        """Every data-cell key of the table, in reading order of the official layout."""
        return [c.key for c in sorted(self.grid().data_cells(), key=lambda c: (c.row, c.col))]

    def cells(self) -> list[tuple[Row, Column]]:
        if self.layout == "blocks":
            return [(self.row(r), self.column(c)) for b in self.blocks for r in b.rows for c in b.columns]
        return [(r, c) for r in self.rows for c in self.columns]

    @cache  # noqa: B019 - tables are immutable and few
    def grid(self) -> Grid:
        """The official layout with merged cells, derived from the definition."""
        if self.layout == "blocks":
            return self._blocks_grid()
        return self._headed_grid()

    def _blocks_grid(self) -> Grid:
        width = 1 + self.value_columns
        cells: list[GridCell] = []
        r = 0
        for block in self.blocks:
            cells.append(GridCell(r, 0, 1, width, "caption", block.caption))
            r += 1
            spans = _spread(len(block.columns), self.value_columns)
            cells.append(GridCell(r, 0, 1, 1, "header", self.corner))
            col = 1
            for ckey, span in zip(block.columns, spans):
                cells.append(GridCell(r, col, 1, span, "header", self.column(ckey).label))
                col += span
            r += 1
            for rkey in block.rows:
                cells.append(GridCell(r, 0, 1, 1, "label", self.row(rkey).label))
                col = 1
                for ckey, span in zip(block.columns, spans):
                    cells.append(GridCell(r, col, 1, span, "data", key=f"{self.key}.{rkey}.{ckey}"))
                    col += span
                r += 1
        return Grid(r, width, 0, tuple(cells))

    def _headed_grid(self) -> Grid:
        cells: list[GridCell] = []
        occupied: set[tuple[int, int]] = set()
        for r, header_row in enumerate(self.header):
            c = 0
            for spec in header_row:
                while (r, c) in occupied:
                    c += 1
                rs, cs = spec.get("rowspan", 1), spec.get("colspan", 1)
                cells.append(GridCell(r, c, rs, cs, "header", spec["text"]))
                occupied.update((r + i, c + j) for i in range(rs) for j in range(cs))
                c += cs
        top = len(self.header)
        width = self.label_columns + (len(self.columns) if self.layout == "matrix" else 0)
        if self.layout == "flat":
            width = len(self.rows) * len(self.columns)
            for i, (row, column) in enumerate(self.cells()):
                cells.append(GridCell(top, i, key=f"{self.key}.{row.key}.{column.key}"))
            return Grid(top + 1, width, top, tuple(cells))
        # matrix: row headings are the row paths, merged where consecutive rows share a prefix
        L = self.label_columns
        open_cells: dict[int, list] = {}
        label_cells: list[list] = []
        for i, row in enumerate(self.rows):
            for d, text in enumerate(row.path):
                prev = open_cells.get(d)
                leaf = d == len(row.path) - 1
                if prev is not None and prev[5] == row.path[: d + 1] and not leaf and not prev[6]:
                    prev[2] += 1
                    continue
                cell = [top + i, d, 1, (L - d) if leaf else 1, text, row.path[: d + 1], leaf]
                open_cells[d] = cell
                label_cells.append(cell)
            for d in range(len(row.path), L):
                open_cells.pop(d, None)
            for j, column in enumerate(self.columns):
                cells.append(GridCell(top + i, L + j, key=f"{self.key}.{row.key}.{column.key}"))
        cells.extend(GridCell(r, c, rs, cs, "label", text) for r, c, rs, cs, text, _, _ in label_cells)
        return Grid(top + len(self.rows), width, top, tuple(cells))


def _spread(n: int, width: int) -> list[int]:
    """Column spans for ``n`` value columns in a block ``width`` wide: the last one fills."""
    return [1] * (n - 1) + [width - n + 1]


@dataclass(frozen=True)
class Section:
    key: str
    number: str
    heading: str
    kind: str  # "prose" or "table"
    required: bool = False
    table: str | None = None
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Format:
    """One official format: its sections and tables, and every data cell."""

    key: str
    name: str
    source: str
    first_year: int
    last_year: int | None
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    @cached_property
    def cells(self) -> dict[str, CellSpec]:
        return _cells(self)

    @cached_property
    def keys(self) -> list[str]:
        return list(self.cells)

    def covers_year(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


@cache
def _cells(fmt: Format) -> dict[str, CellSpec]:
    out: dict[str, CellSpec] = {}
    for t in fmt.tables:
        by_key = {f"{t.key}.{r.key}.{c.key}": (r, c) for r, c in t.cells()}
        for key in t.cell_keys():
            r, c = by_key[key]
            out[key] = CellSpec(key, t, r, c)
    return out


def _read(name: str) -> dict:
    return json.loads((rules_dir() / "formats" / name).read_text(encoding="utf-8"))


def _table(data: dict, fmt: str) -> Table:
    def keep(item: dict) -> bool:
        return fmt in item.get("formats", FORMATS)

    rows = tuple(
        Row(r["key"], r["label"], r.get("short", r["label"]), tuple(r.get("path", ())), tuple(r.get("variants", ())))
        for r in data["rows"]
        if keep(r)
    )
    row_keys = {r.key for r in rows}
    columns = tuple(
        Column(c["key"], c["label"], c["kind"], c.get("short", c["label"])) for c in data["columns"] if keep(c)
    )
    col_keys = {c.key for c in columns}
    groups = {name: tuple(k for k in members if k in row_keys) for name, members in data.get("row_groups", {}).items()}
    groups.update(
        {name: tuple(k for k in members if k in col_keys) for name, members in data.get("column_groups", {}).items()}
    )
    return Table(
        key=data["key"],
        number=data["number"],
        title=data["title"],
        sheet=data["sheet"],
        layout=data["layout"],
        columns=columns,
        rows=rows,
        header=tuple(tuple(r) for r in data.get("header", ())),
        blocks=tuple(Block(b["caption"], tuple(b["columns"]), tuple(b["rows"])) for b in data.get("blocks", ())),
        groups=groups,
        label_columns=data.get("label_columns", 0),
        value_columns=data.get("value_columns", 0),
        note=data.get("note", ""),
        corner=data.get("corner", ""),
    )


@cache
def load_format(key: str) -> Format:
    """The format ``"2019"`` or ``"2021"``."""
    if key not in FORMATS:
        raise KeyError(f"未知的报告格式“{key}”，应为 {' 或 '.join(FORMATS)}")
    data = _read(f"{key}.json")
    sections = tuple(
        Section(s["key"], s["number"], s["heading"], s["kind"], s.get("required", False), s.get("table"),
                tuple(s.get("variants", ())))
        for s in _read(data["sections"])["sections"]
    )
    tables = tuple(_table(_read(name), key) for name in data["tables"])
    return Format(key, data["name"], data["source"], data["first_year"], data["last_year"], sections, tables)


def format_for_year(year: int) -> str:
    """The format a report for ``year`` must use: 2021 and later use the 2021 format."""
    return "2021" if year >= 2021 else "2019"

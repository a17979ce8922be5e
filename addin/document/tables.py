"""Layout choices shared by the Word and HTML tables (the cells themselves come from
:meth:`addin.formats.Table.grid`)."""

from __future__ import annotations

from ..formats import GridCell, Table


def column_shares(table: Table, cols: int) -> list[float]:
    """Each column's share of the table width: row headings wide, value columns even.

    表二 (blocks): one heading column, a third of the width; 表三 (matrix): the three
    heading levels, then seven value columns; 表四 (flat): fifteen even columns.
    """
    if table.layout == "blocks":
        heads = [1 / 3]
    elif table.layout == "matrix":
        heads = [12 / 156, 28 / 156, 34 / 156][: table.label_columns]
    else:
        heads = []
    rest = (1 - sum(heads)) / (cols - len(heads))
    return heads + [rest] * (cols - len(heads))


def is_leaf_label(table: Table, cell: GridCell) -> bool:
    """A row heading that names one row (left-aligned), as opposed to a merged group
    heading such as 三、本年度办理结果 or （三）不予公开 (centred)."""
    return table.layout != "matrix" or cell.col + cell.colspan == table.label_columns


#: Data rows kept on the page of a table's header (the header never ends a page alone).
KEEP_ROWS_WITH_HEADER = 3


def kept_rows(table: Table, grid) -> set[int]:
    """Grid rows after which a page must not break: the header and its first rows
    (:data:`KEEP_ROWS_WITH_HEADER`), so a header never ends a page with one row under it;
    in 表二 every row of a block (第二十条第（一）项 …) but its last, so each block stays
    on one page."""
    if table.layout == "blocks":
        starts = sorted({c.row for c in grid.cells if c.role == "caption"}) + [grid.rows]
        return {r for a, b in zip(starts, starts[1:]) for r in range(a, b - 1)}
    return set(range(min(grid.header_rows + KEEP_ROWS_WITH_HEADER - 1, grid.rows - 1)))

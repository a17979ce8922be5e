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

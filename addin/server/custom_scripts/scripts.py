"""The 政务公开年报 ribbon's buttons as xlwings scripts.

Each script hands the workbook Excel sent to the shared macro in
:mod:`addin.excel.macros`; xlwings Server sends the macro's writes back as actions.
The script names are the ``scriptName`` the ribbon JavaScript and the task pane use.
导出报告 is not a script here: in Office.js the task pane downloads the report from
``POST /nianbao/export`` (``routers/custom.py``), as the server has no folder next to
the workbook to write into.
"""

import xlwings as xw
from xlwings.server import script

from addin.excel import macros

__all__ = ["validate", "clear_marks", "show_help"]


@script
def validate(book: xw.Book):
    """校验: 校验结果 rows, coloured cells, status line."""
    macros.validate(book)


@script
def clear_marks(book: xw.Book):
    """清除标记."""
    macros.clear_marks(book)


@script
def show_help(book: xw.Book):
    """填写说明: go to the instructions sheet."""
    macros.show_help(book)

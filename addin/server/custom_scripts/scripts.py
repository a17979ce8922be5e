"""The 政务公开年报 ribbon's buttons as xlwings scripts.

Each script hands the workbook Excel sent to the shared macro in
:mod:`addin.excel.macros`; xlwings Server sends the macro's writes back as actions.
The script names are the ``scriptName`` the ribbon JavaScript and the task pane use.
The macros run in a worker thread within the server's time limit (:mod:`addin.server.limits`).
导出报告 is not a script here: in Office.js the task pane downloads the report from
``POST /nianbao/export`` (``routers/custom.py``), as the server has no folder next to
the workbook to write into.
"""

import xlwings as xw
from xlwings.server import script

from addin.excel import macros
from addin.server.limits import run_in_worker

__all__ = ["validate", "clear_marks", "show_help"]


@script
async def validate(book: xw.Book):
    """校验: 校验结果 rows, coloured cells, status line."""
    await run_in_worker(macros.validate, book)


@script
async def clear_marks(book: xw.Book):
    """清除标记."""
    await run_in_worker(macros.clear_marks, book)


@script
async def show_help(book: xw.Book):
    """填写说明: go to the instructions sheet."""
    await run_in_worker(macros.show_help, book)

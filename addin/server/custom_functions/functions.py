"""Python custom functions: live findings and generated text while the filer types.

A custom function sees only its arguments, not the workbook, so the tables are passed
as ranges that start at cell A1 of their sheets, in the order of the format (表二,
表三, 表四); the cells are found by the template's layout (:mod:`addin.layout`)::

    =NIANBAO.CHECK(表二!A1:L20, 表三!A1:K40, 表四!A1:O10)
    =NIANBAO.SECTION("s3", 表二!A1:L20, 表三!A1:K40, 表四!A1:O10)

The logic is in :mod:`addin.excel.functions`; this module only registers it. The
calls run in a worker thread within the server's time limit (:mod:`addin.server.limits`),
so a huge range never holds up other requests.
"""

from xlwings.server import arg, func

from addin.excel import functions as impl
from addin.server.limits import run_in_worker

__all__ = ["check", "section"]


@func
@arg("t2", doc="表二所在工作表从 A1 开始的区域")
@arg("t3", doc="表三所在工作表从 A1 开始的区域")
@arg("t4", doc="表四所在工作表从 A1 开始的区域")
@arg("fmt", doc="格式：\"2021\"（默认）或 \"2019\"")
async def check(t2, t3, t4, fmt="2021"):
    """校验表二、表三、表四，返回发现的问题（级别、消息、位置、规则），随填写实时更新。"""
    return await run_in_worker(impl.check_tables, [t2, t3, t4], fmt)


@func
@arg("key", doc="部分：\"s1\" 总体情况，\"s2\"–\"s4\" 表格前的说明")
@arg("t2", doc="表二所在工作表从 A1 开始的区域")
@arg("t3", doc="表三所在工作表从 A1 开始的区域")
@arg("t4", doc="表四所在工作表从 A1 开始的区域")
@arg("fmt", doc="格式：\"2021\"（默认）或 \"2019\"")
async def section(key, t2, t3, t4, fmt="2021"):
    """由表格数据生成的某一部分文字（与导出的报告一致）。"""
    return await run_in_worker(impl.section_text, str(key), [t2, t3, t4], fmt)

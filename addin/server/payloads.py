"""What a request body must look like before any macro sees it.

Excel's xlwings client sends the workbook as JSON (``xlwings.getBookData()``):
``book`` (name, active sheet), ``sheets`` (name and cell values of each) and
``names`` (defined names). A body of another shape used to reach xlwings and fail
there — with a message about Windows and macOS for ``{}``, a server error for sheets
of the wrong type. :func:`book_problem` checks the shape with pydantic (strict types,
no coercion) and answers in Chinese naming the place; :func:`function_problem` does
the same for a custom-function call.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Scalar = Union[str, int, float, bool, None]


class _Loose(BaseModel):
    """Extra keys are allowed (xlwings adds fields between versions); known keys are strict."""

    model_config = ConfigDict(extra="allow", strict=True)


class BookInfo(_Loose):
    name: str = ""
    active_sheet_index: int = Field(ge=0)
    selection: Optional[str] = None


class SheetData(_Loose):
    name: str
    values: list[list[Scalar]]
    pictures: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    notes: Optional[list[dict[str, Any]]] = None
    shapes: list[dict[str, Any]] = []
    charts: list[dict[str, Any]] = []
    pivot_tables: Optional[list[dict[str, Any]]] = None
    visibility: str = "Visible"

    @model_validator(mode="after")
    def _rectangular(self):
        if self.values and len({len(row) for row in self.values}) > 1:
            raise ValueError("rows of different lengths")
        return self


class NameData(_Loose):
    name: str
    refers_to: Optional[str] = None
    sheet_index: Optional[int] = Field(default=None, ge=0)
    address: Optional[str] = None
    scope_sheet_index: Optional[int] = Field(default=None, ge=0)
    scope_sheet_name: Optional[str] = None
    book_scope: bool = True


class BookPayload(_Loose):
    client: str
    version: str
    book: BookInfo
    sheets: list[SheetData] = Field(min_length=1)
    names: list[NameData]

    @model_validator(mode="after")
    def _indexes(self):
        n = len(self.sheets)
        if self.book.active_sheet_index >= n:
            raise ValueError("book.active_sheet_index out of range")
        return self


class CellValue(_Loose):
    """A cell of a range argument that is not a plain value (an error, a data type)."""

    type: str
    basicValue: Scalar = None


#: One argument of a custom function: a value, or a range as rows of cells.
Argument = Union[Scalar, list[list[Union[Scalar, CellValue]]]]


class FunctionCall(_Loose):
    func_name: str
    args: list[Argument]
    caller_address: Optional[str] = None
    version: str
    runtime: str
    date_format: Optional[str] = None
    culture_info_name: Optional[str] = None
    client: Optional[str] = None


def _place(error: ValidationError) -> str:
    first = error.errors()[0]
    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first.get("loc", ()))
    return loc.lstrip(".") or "整个请求"


def book_problem(data: Any) -> str | None:
    """A Chinese message when ``data`` is not a workbook as xlwings sends it, else ``None``."""
    if not isinstance(data, dict):
        return "请求内容不是 xlwings 发送的工作簿数据。"
    if data.get("sheets") is None or data.get("book") is None:
        return "请求中缺少工作簿数据（sheets/book）。请在 Excel 中打开年报工作簿后再点击按钮。"
    try:
        BookPayload.model_validate(data)
    except ValidationError as e:
        return f"工作簿数据格式不正确（位置：{_place(e)}）。请更新加载项后重试；如仍出错，请联系管理员。"
    return None


def function_problem(data: Any, known: dict[str, tuple[int, int]]) -> tuple[int, str] | None:
    """``(status, Chinese message)`` when ``data`` is not a call of one of the ``known``
    custom functions (name → fewest and most arguments), else ``None``."""
    if not isinstance(data, dict):
        return 400, "请求内容不是 xlwings 发送的函数调用。"
    try:
        call = FunctionCall.model_validate(data)
    except ValidationError as e:
        return 400, f"函数调用的格式不正确（位置：{_place(e)}）。请更新加载项后重试。"
    if call.func_name not in known:
        return 404, f"没有名为“{call.func_name[:80]}”的函数。请更新加载项后重试。"
    least, most = known[call.func_name]
    if not least <= len(call.args) <= most:
        return 400, f"函数 {call.func_name.upper()} 需要 {least}–{most} 个参数，收到 {len(call.args)} 个。"
    return None

"""Reading one cell value as a filer typed it or a portal published it.

Published reports hold far more than canonical numbers: full-width digits (１２),
thousands separators (1,234), padding spaces, explicit signs (+2), Chinese deltas
(增15 / 减4), units (152790元, 240万元), blanks and “/”. A cell keeps what was typed
(``raw``) and what it means (``value``), and says why the two differ (``note``).

Empty is not zero, and “/” (not applicable) is neither: they have their own states
and are never silently turned into 0.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

#: What a cell holds: a number, nothing, a “not applicable” mark, or unreadable text.
NUMBER, EMPTY, NA, INVALID = "number", "empty", "na", "invalid"

#: The note of a plain number that was typed as text ("5" rather than 5): the only oddity.
TEXT_NUMBER_NOTE = "以文本形式填写的数字"

NA_TOKENS = frozenset({"/", "／", "—", "——", "-", "－", "–", "无", "不适用", "\\"})

_NUM = r"\d+(?:\.\d+)?"
_PLAIN = re.compile(rf"^[+-]?{_NUM}$")
_DELTA_WORD = re.compile(rf"^(增加?|减少?)({_NUM})$")
_DELTA_PAREN = re.compile(rf"^\+\(?({_NUM})\)?-\(?({_NUM})\)?$")  # +(0) -(0)
_UNIT = re.compile(rf"^([+-]?{_NUM})(万元|元)$")


#: A date or time in a number cell: Excel turns “3-1”, “3/1”, “1:2” into dates and times as typed.
_DATE_NOTE = {
    "datetime": "是日期，不是数字（Excel 会把“3-1”“3/1”这样的输入自动变成日期；请把单元格格式设为“常规”后重新填写）",
    "date": "是日期，不是数字（Excel 会把“3-1”“3/1”这样的输入自动变成日期；请把单元格格式设为“常规”后重新填写）",
    "time": "是时间，不是数字（Excel 会把“1:2”这样的输入自动变成时间；请把单元格格式设为“常规”后重新填写）",
    "timedelta": "是时长，不是数字（请把单元格格式设为“常规”后重新填写）",
}
#: Numbers from this size on are shown in scientific notation (1e+30), not as 31 digits.
LARGE = 10**15


@dataclass(frozen=True)
class CellValue:
    """A normalised cell: ``value`` is an ``int`` or ``Decimal`` when ``state`` is number."""

    raw: Any
    state: str
    value: int | Decimal | None = None
    note: str | None = None  # why raw is not canonical, in Chinese

    @property
    def is_number(self) -> bool:
        return self.state == NUMBER


def _number(text: str) -> int | Decimal:
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() and "." not in text else d


def _tidy(n: int | Decimal) -> int | Decimal:
    if isinstance(n, Decimal) and n == n.to_integral_value():
        return int(n)
    return n


def _date_text(v: datetime.date | datetime.time | datetime.timedelta) -> str:
    """A date as the filer saw it: ``2025-03-01`` (a time only when there is one)."""
    if isinstance(v, datetime.datetime):
        return v.date().isoformat() if v.time() == datetime.time(0) else v.isoformat(sep=" ", timespec="minutes")
    if isinstance(v, datetime.timedelta):
        return str(v)
    return v.isoformat()


def parse_value(raw: Any, kind: str = "count") -> CellValue:
    """Normalise ``raw`` for a cell of value ``kind`` (see :data:`addin.formats.KINDS`)."""
    if raw is None:
        return CellValue(raw, EMPTY)
    if isinstance(raw, bool):
        return CellValue(raw, INVALID, note="逻辑值不是数字")
    if isinstance(raw, int):
        return CellValue(raw, NUMBER, raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return CellValue(raw, INVALID, note="不是有限的数字")
        exact = Decimal(repr(raw))  # 1e30 is 10**30, not int(1e30) = 1000000000000000019884624838656
        if exact == exact.to_integral_value():
            return CellValue(raw, NUMBER, int(exact))
        return CellValue(raw, NUMBER, exact)
    if isinstance(raw, Decimal):
        return CellValue(raw, NUMBER, _tidy(raw)) if raw.is_finite() else CellValue(raw, INVALID, note="不是数字")
    if isinstance(raw, (datetime.date, datetime.time, datetime.timedelta)):
        return CellValue(_date_text(raw), INVALID, note=_DATE_NOTE[type(raw).__name__])
    if not isinstance(raw, str):
        return CellValue(raw, INVALID, note=f"无法识别的值类型 {type(raw).__name__}")

    text = unicodedata.normalize("NFKC", raw).strip()
    text = re.sub(r"\s+", "", text)
    if text == "":
        return CellValue(raw, EMPTY, note="只有空格" if raw else None)
    if text in NA_TOKENS or raw.strip() in NA_TOKENS:
        return CellValue(raw, NA)
    if text.startswith("#") and text.endswith(("!", "?", "A")):  # #DIV/0! #VALUE! #N/A #NAME?
        return CellValue(raw, INVALID, note=f"公式出错（{text}）")

    notes = []
    if text != raw:
        if unicodedata.normalize("NFKC", raw) != raw:
            notes.append("含全角字符")
        if raw != raw.strip() or re.search(r"\s", raw.strip()):
            notes.append("含多余空格")
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?(万元|元)?", text):
        text = text.replace(",", "")
        notes.append("含千位分隔符")

    value: int | Decimal
    try:
        if _PLAIN.match(text):
            value = _number(text)
            if text.startswith("+"):
                notes.append("带正号")
        elif m := _DELTA_WORD.match(text):
            value = _number(m.group(2)) * (1 if m.group(1).startswith("增") else -1)
            notes.append(f"“{m.group(1)}”写法")
        elif m := _DELTA_PAREN.match(text):
            value = _number(m.group(1)) - _number(m.group(2))
            notes.append("“+( ) -( )”写法")
        elif m := _UNIT.match(text):
            amount, unit = _number(m.group(1)), m.group(2)
            if unit == "元":
                value = _tidy(Decimal(amount) / Decimal(10000))
                notes.append(f"单位为元，已换算为 {value} 万元")
            else:
                value = amount
                notes.append("单元格内带单位“万元”")
        else:
            return CellValue(raw, INVALID, note="不是数字")
    except InvalidOperation:
        return CellValue(raw, INVALID, note="不是数字")
    if isinstance(value, Decimal) and kind in ("count", "signed_count") and value == value.to_integral_value():
        value = int(value)
    return CellValue(raw, NUMBER, value, "、".join(notes) or TEXT_NUMBER_NOTE)


def is_canonical(cell: CellValue) -> bool:
    """Whether the value was written as the format expects (a plain number, or empty)."""
    return cell.note is None


def format_number(value: int | Decimal | float | None) -> str:
    """A number as a message shows it: 12, 0.35, never 12.0 or 3.5E+1."""
    if value is None:
        return "空"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if abs(value) >= LARGE:  # no count or amount is this large: show its size, not 31 digits
        return format(Decimal(value).normalize(), ".6g")  # Decimal writes a small e: 1e+30
    if isinstance(value, Decimal):
        value = _tidy(value)
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
    return str(value)

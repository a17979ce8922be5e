"""Numbers as Chinese prose writes them: 12, 1,234, 十二, 一百零五, 两, 0.35, 30.8%.

Used by the prose check (reading) and the narrative (writing shares).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}

#: One number as prose writes it: Arabic (thousands separators allowed) or Chinese numerals.
NUMBER = r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"


def chinese_to_int(text: str) -> int | None:
    """十二 → 12, 一百零五 → 105, 两千 → 2000, 三万五千 → 35000; ``None`` if not a numeral."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS and ch != "万" for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_number(text: str) -> int | Decimal | None:
    """A number token matched by :data:`NUMBER` → ``int`` or ``Decimal``."""
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", text):
        d = Decimal(text.replace(",", ""))
        return int(d) if "." not in text else d
    return chinese_to_int(text)


def percent(part: int | Decimal, whole: int | Decimal) -> str:
    """``part`` as a share of ``whole``, one decimal place: 4 / 13 → ``30.8%``."""
    share = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{share.normalize():f}%" if share == share.to_integral_value() else f"{share}%"

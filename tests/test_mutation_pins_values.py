"""Cell values pinned where mutation testing found them unpinned (issue 16).

What a value means *and* the note that tells the filer why it was reinterpreted: the
note is shown on the 校验结果 sheet (V006), so its text is behaviour, not decoration.
"""

import datetime as dt
from decimal import Decimal

import pytest

from addin.values import EMPTY, INVALID, NA, NUMBER, TEXT_NUMBER_NOTE, format_number, is_canonical, parse_value


@pytest.mark.parametrize("raw, kind, value, note", [
    # the 2019 format's signed change (item 1): +(increase) -(decrease)
    ("+(5) -(3)", "signed_count", 2, "含多余空格、“+( ) -( )”写法"),
    ("+(3) -(5)", "signed_count", -2, "含多余空格、“+( ) -( )”写法"),
    ("+5-3", "signed_count", 2, "“+( ) -( )”写法"),
    ("+(0)-(7)", "signed_count", -7, "“+( ) -( )”写法"),
    # a count typed as text with a decimal point (item 2): still the whole number
    ("12.0", "count", 12, TEXT_NUMBER_NOTE),
    ("12.0", "signed_count", 12, TEXT_NUMBER_NOTE),
    ("12.0", "wan_yuan", Decimal("12.0"), TEXT_NUMBER_NOTE),
    ("12.5", "count", Decimal("12.5"), TEXT_NUMBER_NOTE),  # V003 reports it
    ("5", "count", 5, TEXT_NUMBER_NOTE),
    ("0012", "count", 12, TEXT_NUMBER_NOTE),
    ("-0.5", "count", Decimal("-0.5"), TEXT_NUMBER_NOTE),
    # typing oddities, each named
    ("１２", "count", 12, "含全角字符"),
    (" 12", "count", 12, "含多余空格"),
    ("1 234", "count", 1234, "含多余空格"),
    ("12\u3000", "count", 12, "含全角字符、含多余空格"),
    ("+2", "count", 2, "带正号"),
    ("1,234", "count", 1234, "含千位分隔符"),
    ("12,345,678", "count", 12345678, "含千位分隔符"),
    ("-1,234", "signed_count", -1234, "含千位分隔符"),
    ("增15", "count", 15, "“增”写法"),
    ("增加15", "signed_count", 15, "“增加”写法"),
    ("减4", "signed_count", -4, "“减”写法"),
    ("减少4", "signed_count", -4, "“减少”写法"),
    # units of money
    ("240万元", "wan_yuan", 240, "单元格内带单位“万元”"),
    ("152790元", "wan_yuan", Decimal("15.279"), "单位为元，已换算为 15.279 万元"),
    ("10000元", "wan_yuan", 1, "单位为元，已换算为 1 万元"),
    ("1,234.5元", "wan_yuan", Decimal("0.12345"), "含千位分隔符、单位为元，已换算为 0.12345 万元"),
])
def test_text_numbers_mean_and_say(raw, kind, value, note):
    c = parse_value(raw, kind)
    assert (c.state, c.value, c.note, c.raw) == (NUMBER, value, note, raw)
    assert type(c.value) is type(value)
    assert not is_canonical(c)


@pytest.mark.parametrize("raw, value", [
    (5, 5), (0, 0), (-3, -3), (5.0, 5), (0.1, Decimal("0.1")), (Decimal("5.00"), 5), (Decimal("5.50"), Decimal("5.50")),
])
def test_real_numbers_are_canonical(raw, value):
    c = parse_value(raw)
    assert (c.state, c.value, c.note, c.raw) == (NUMBER, value, None, raw)
    assert type(c.value) is type(value)
    assert is_canonical(c)


def test_comma_not_in_thousands_is_not_a_separator():
    assert parse_value("1,23").state == INVALID
    assert parse_value("1,2345").state == INVALID


@pytest.mark.parametrize("raw, note", [
    ("abc", "不是数字"), ("1.2.3", "不是数字"), ("#abc", "不是数字"), ("十二", "不是数字"),
    ("#DIV/0!", "公式出错（#DIV/0!）"), ("#N/A", "公式出错（#N/A）"), ("#NAME?", "公式出错（#NAME?）"),
    ("＃VALUE!", "公式出错（#VALUE!）"),
    (True, "逻辑值不是数字"), (False, "逻辑值不是数字"), (float("nan"), "不是有限的数字"),
    (float("inf"), "不是有限的数字"), (Decimal("NaN"), "不是数字"), ([1], "无法识别的值类型 list"),
])
def test_unreadable_keeps_raw_and_says_why(raw, note):
    c = parse_value(raw)
    assert (c.state, c.value, c.note) == (INVALID, None, note)
    assert c.raw is raw


@pytest.mark.parametrize("raw, note", [(None, None), ("", None), ("   ", "只有空格"), ("\u3000", "只有空格")])
def test_empty(raw, note):
    c = parse_value(raw)
    assert (c.state, c.value, c.note, c.raw) == (EMPTY, None, note, raw)


@pytest.mark.parametrize("raw", ["/", "／", " / ", "—", "——", "-", "－", "–", "无", "不适用", "\\", "＼", " － "])
def test_not_applicable(raw):
    c = parse_value(raw)
    assert (c.state, c.value, c.note, c.raw) == (NA, None, None, raw)


def test_format_number():
    assert [format_number(v) for v in (12, 0, -3, Decimal("0.350"), Decimal("35.0"), Decimal("1E+2"), 1.5, 0.1, None)] \
        == ["12", "0", "-3", "0.35", "35", "100", "1.5", "0.1", "空"]
    assert format_number(Decimal("0.0000001")) == "0.0000001"  # never 1E-7


def test_a_cell_is_a_count_unless_said_otherwise():
    assert parse_value("12.0").value == 12 and type(parse_value("12.0").value) is int


@pytest.mark.parametrize("raw, shown, note_start", [
    (dt.datetime(2025, 3, 1), "2025-03-01", "是日期，不是数字"),
    (dt.datetime(2025, 3, 1, 9, 30, 15), "2025-03-01 09:30", "是日期，不是数字"),
    (dt.date(2025, 3, 1), "2025-03-01", "是日期，不是数字"),
    (dt.time(1, 2), "01:02:00", "是时间，不是数字"),
    (dt.timedelta(hours=26), "1 day, 2:00:00", "是时长，不是数字"),
])
def test_dates_and_times_are_shown_as_typed_and_named(raw, shown, note_start):
    c = parse_value(raw)
    assert (c.state, c.value, c.raw) == (INVALID, None, shown)
    assert c.note.startswith(note_start) and c.note.endswith("后重新填写）")


@pytest.mark.parametrize("value, shown", [
    (10**15, "1e+15"), (10**15 - 1, "999999999999999"), (-(10**15), "-1e+15"), (1.5e16, "1.5e+16"),
    (Decimal("1234567890123456.7"), "1.23457e+15"), (Decimal("999999999999999.5"), "999999999999999.5"),
])
def test_huge_numbers_by_their_size(value, shown):
    assert format_number(value) == shown


def test_a_whole_float_is_an_exact_int():
    c = parse_value(1e20)
    assert c.value == 10**20 and type(c.value) is int
    assert parse_value(2.5).value == Decimal("2.5")

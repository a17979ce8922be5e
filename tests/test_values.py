"""Normalising values as real reports write them."""

from decimal import Decimal

import pytest

from addin.values import EMPTY, INVALID, NA, NUMBER, format_number, parse_value


@pytest.mark.parametrize("raw,value,note", [
    (5, 5, None), (5.0, 5, None), (0, 0, None),
    (" 0", 0, "含多余空格"), ("１２", 12, "含全角字符"), ("1,234", 1234, "含千位分隔符"), ("+2", 2, "带正号"),
    ("增15", 15, "“增”写法"), ("减4", -4, "“减”写法"), ("+(0) -(0)", 0, "含多余空格、“+( ) -( )”写法"),
    ("+(5) -(3)", 2, "含多余空格、“+( ) -( )”写法"), ("-1", -1, "以文本形式填写的数字"),
    ("152790元", Decimal("15.279"), "单位为元，已换算为 15.279 万元"), ("240万元", 240, "单元格内带单位“万元”"),
    ("79000.1元", Decimal("7.90001"), "单位为元，已换算为 7.90001 万元"),
    ("12\u3000", 12, "含全角字符、含多余空格"), ("\u00a07", 7, "含全角字符、含多余空格"),
])
def test_numbers_as_published(raw, value, note):
    c = parse_value(raw)
    assert c.state == NUMBER and c.value == value and type(c.value) is type(value)
    assert c.note == note
    assert c.raw == raw


@pytest.mark.parametrize("raw", ["/", "／", "—", "-", "无", " / "])
def test_not_applicable_is_neither_empty_nor_zero(raw):
    c = parse_value(raw)
    assert c.state == NA and c.value is None


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_is_not_zero(raw):
    c = parse_value(raw)
    assert c.state == EMPTY and c.value is None


@pytest.mark.parametrize("raw", ["abc", "十二", "#DIV/0!", "#VALUE!", True, float("nan"), "1.2.3", [1]])
def test_unreadable(raw):
    c = parse_value(raw)
    assert c.state == INVALID and c.note and c.value is None
    assert c.raw is raw  # what was typed is kept, to be shown back to the filer


def test_decimal_amount_kept_exactly():
    assert parse_value(0.35, "wan_yuan").value == Decimal("0.35")
    assert parse_value("0.3500", "wan_yuan").value == Decimal("0.3500")


def test_format_number():
    assert format_number(12) == "12" and format_number(Decimal("0.350")) == "0.35"
    assert format_number(Decimal("35")) == "35" and format_number(None) == "空" and format_number(1.5) == "1.5"


def test_a_date_in_a_number_cell_says_it_is_a_date():
    import datetime as dt

    c = parse_value(dt.datetime(2025, 3, 1))
    assert c.state == INVALID and c.raw == "2025-03-01" and c.note.startswith("是日期")
    assert parse_value(dt.datetime(2025, 3, 1, 9, 30)).raw == "2025-03-01 09:30"
    assert parse_value(dt.time(1, 2)).note.startswith("是时间")
    assert "无法识别的值类型" not in parse_value(dt.date(2025, 3, 1)).note


def test_huge_numbers_are_exact_and_shown_by_size():
    c = parse_value(1e30)
    assert c.state == NUMBER and c.value == 10**30  # not int(1e30) = 1000000000000000019884624838656
    assert format_number(c.value) == "1e+30"
    assert format_number(parse_value(3.5e16).value) == "3.5e+16"
    assert format_number(999_999_999_999_999) == "999999999999999"  # below the threshold: every digit
    assert format_number(12) == "12" and format_number(Decimal("0.35")) == "0.35"

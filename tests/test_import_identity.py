"""The agency's name in shapes met on real published reports (addin/importers/identity.py),
each with a look-alike that must not change: a place's own report titled
``某某市政府信息公开工作年度报告``, a contact office with its section (``……办公室信息科``),
and 总体情况 opening ``2024年，某某乡根据……``. The sentences are our own."""

import pytest

from addin.importers.assemble import assemble
from addin.importers.text import tokenize_text

BODY = "\n一、总体情况\n本年度主动公开信息12条。"

CASES = {
    # the title names a place and its government: 某某市政府 + 信息公开工作年度报告
    "year, place, 政府信息公开": ("2023年青禾市政府信息公开工作年度报告" + BODY, "青禾市人民政府"),
    "place, year, 政府信息公开": ("青禾市临川区2024年政府信息公开工作年度报告" + BODY, "青禾市临川区人民政府"),
    "place, 年度, 政府信息公开": ("青禾县2022年度政府信息公开工作年度报告" + BODY, "青禾县人民政府"),
    # look-alikes: a department's title keeps its department; 政务公开 of a place names no agency
    "a department after the place": ("2023年青禾市水务局政府信息公开工作年度报告" + BODY, "青禾市水务局"),
    "a 街道's title": ("2021年临川街道政府信息公开工作年度报告" + BODY, "临川街道"),
    "我区 names nobody": ("我区2023年政府信息公开工作年度报告" + BODY, ""),
    # the contact office with its own section
    "contact office with its 信息科": ("如对本报告有疑问，请联系：临川区政府办公室信息科，电话：0000-1234567。" + BODY,
                                     "临川区政府办公室"),
    "contact office with its 综合股": ("如有疑问，请与青禾县林业局综合股联系。" + BODY, "青禾县林业局"),
    "a contact section with no office named is no agency": ("如有疑问，请与政务公开科联系。" + BODY, ""),
    # 总体情况 opening with the agency and 根据
    "subject, then 根据": ("一、总体情况\n2024年，石门乡根据《条例》的要求，结合本乡实际公开政务信息。", "石门乡"),
    "我乡 then 根据 names nobody": ("一、总体情况\n2024年，我乡根据《条例》的要求公开政务信息。", ""),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_agency(case):
    text, want = CASES[case]
    assert assemble(tokenize_text(text)).agency == want

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
    "a development zone gets no 人民政府": ("2023年青禾经济开发区政府信息公开工作年度报告" + BODY, "青禾经济开发区"),
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


def test_a_page_viewers_label_before_the_title_is_dropped():
    """A report read from an online page viewer: ``Page 8 - <title>`` on each page."""
    text = "Page 3 - 青禾县信访局2022年政府信息公开工作年度报告\nP. 3\n一、总体情况\n本年度主动公开信息12条。"
    assert assemble(tokenize_text(text)).agency == "青禾县信访局"
    text = "第3页 - 青禾县信访局2022年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开信息12条。"
    assert assemble(tokenize_text(text)).agency == "青禾县信访局"


@pytest.mark.parametrize("text, want", [
    # 政府 of 政府信息公开 after an authorship verb is not a name
    ("根据《条例》要求，结合青禾市卫生健康委员会工作实际，现编制2023年政府信息公开工作年度报告。"
     "如有疑问，请与青禾市卫生健康委员会办公室联系。" + BODY, "青禾市卫生健康委员会"),
    ("现将2021年度政府信息公开工作情况报告如下：" + BODY, ""),
    # the contact sentence with the address in brackets and no 联系 after the name
    ("如有疑问请与青禾县政务服务和大数据管理局(地址:青禾县政务服务中心3楼,联系电话:0000-1234567)。" + BODY,
     "青禾县政务服务和大数据管理局"),
    # a site's header line repeating the start of a title broken over two lines
    ("青禾县人民政府\n青禾县人民政府2021年度\n信息公开年度报告\n(2022年1月)" + BODY, "青禾县人民政府"),
])
def test_agency_in_the_preamble(text, want):
    assert assemble(tokenize_text(text)).agency == want


@pytest.mark.parametrize("text, want", [
    # two authorship verbs in a row: 编制发布 is not part of the name
    ("结合工作实际，编制发布青禾省市场监管局2024年度政府信息公开报告。" + BODY, "青禾省市场监管局"),
    # the report's own title quoted after 公布 / 编制了
    ("信息来源:青禾区人民政府\n根据《条例》相关规定，现向社会公布《青禾市临川区发展和改革局2025年度政府信息公开工作年度报告》，"
     "本报告由六个部分组成。" + BODY, "青禾市临川区发展和改革局"),
    ("我镇认真编制了《石门镇2020年政府信息公开工作年度报告》。" + BODY, "石门镇"),
    # look-alike: a notice about the reports, in 《》, still names nobody
    ("根据《青禾县人民政府办公室关于2021年度政府信息公开工作年度报告编制工作的通知》要求，现将情况报告如下。" + BODY, ""),
])
def test_agency_from_the_reports_own_title_and_verbs(text, want):
    assert assemble(tokenize_text(text)).agency == want


def test_agency_as_the_subject_of_the_preamble():
    """The preamble, not 总体情况, opens with the agency doing something."""
    text = ("2022年，青禾市住房城乡建设局认真贯彻《条例》，积极做好信息公开工作。现编制发布本报告。\n"
            "一、总体情况\n（一）主动公开情况\n2022年，我局主动公开信息275条。")
    assert assemble(tokenize_text(text)).agency == "青禾市住房城乡建设局"
    text = ("2023年，区人民政府办公室坚持依法公开。现公开本年度报告。\n"
            "一、总体情况\n（一）主动公开情况\n2023年，本办主动公开信息12条。")
    assert assemble(tokenize_text(text)).agency == ""


@pytest.mark.parametrize("text, want", [
    # a 街道's own 党政办公室 (and a section of it) compiles the report for the 街道
    ("本报告由青禾市临川区人民政府石门街道党政办公室综合科编制，数据统计期限为2023年全年。" + BODY,
     "青禾市临川区人民政府石门街道"),
    ("如对本报告有疑问，请联系青禾县石门镇党政办，电话：0000-1234567。" + BODY, "青禾县石门镇"),
    # look-alike: a 乡's 综合行政执法队 is a unit of its own, not the 乡's office
    ("本报告由青禾县石门乡综合行政执法队编制。" + BODY, "青禾县石门乡综合行政执法队"),
    # the agency's second name in brackets
    ("青禾市临川区司法局(区行政复议局)根据《条例》规定编制本报告。" + BODY, "青禾市临川区司法局"),
    # an alias bracket left unclosed does not swallow the sentence after it
    ("根据《中华人民共和国政府信息公开条例》(以下简称《条例》有关要求，现将石门县人民政府2024年政府信息公开工作年度报告予以公开。"
     + BODY, "石门县人民政府"),
    # the preamble's purpose clause names the agency
    ("为认真做好青禾市卫生健康局政府信息公开工作，我局按照《条例》要求精心组织。现公布本年度报告。" + BODY, "青禾市卫生健康局"),
    # look-alikes: a purpose clause about the whole county, or about 街道 in general, names nobody
    ("为切实做好全县政府信息公开工作，现将本年度情况报告如下。" + BODY, ""),
    ("为做好街道政府信息公开工作，现将本年度情况报告如下。" + BODY, ""),
])
def test_agency_compiled_by_its_own_office_or_named_in_passing(text, want):
    assert assemble(tokenize_text(text)).agency == want

"""Prose checks pinned where mutation testing found them unpinned (issue 16).

A quiet check proves nothing unless the figure was read: every agreeing sentence here is
also checked one unit off, where the same rule must fire. Long sentences are quoted
around the figure, thousands separators are read, and a sentence stating several
figures of one kind is checked for each of them.
"""

import pytest

from addin.document.prose_check import QUOTE_CHARS, parts_lists, stated_figures
from addin.examples import example_report
from addin.validate import validate
from addin.values import parse_value


def with_prose(text, section="s1", fmt="2021", **cells):
    r = example_report(fmt)
    r.sections = {**r.sections, section: text}
    for key, value in cells.items():
        r.cells[key.replace("_", ".", 2) if "." not in key else key] = parse_value(value)
    return r


def found(report, rule_id):
    return [f for f in validate(report) if f.rule == rule_id]


# rule → (section, agreeing sentence, the same sentence one unit off)
AGREES_AND_OFF = {
    "P001": ("s1", "本年新收政府信息公开申请13件。", "本年新收政府信息公开申请14件。"),
    "P002": ("s1", "本年度因政府信息公开工作被申请行政复议2件。", "本年度因政府信息公开工作被申请行政复议3件。"),
    "P003": ("s1", "本年制发行政规范性文件3件。", "本年制发行政规范性文件4件。"),
    "P004": ("s6", "本年行政事业性收费金额3500元。", "本年行政事业性收费金额3600元。"),
    "P005": ("s1", "全年新增主动公开政府信息283条，包括：机构职能24条、政策文件83条、规划计划10条、工作动态166条。",
             "全年新增主动公开政府信息284条，包括：机构职能24条、政策文件83条、规划计划10条、工作动态166条。"),
    "P006": ("s1", "依申请公开办理结果中，予以公开5件，占35.7%。", "依申请公开办理结果中，予以公开5件，占36.7%。"),
    "P007": ("s1", "全年发布信息200条，其中通知公告50条（25%），工作动态150条（75%）。",
             "全年发布信息200条，其中通知公告50条（27%），工作动态150条（75%）。"),
    "P008": ("s1", "本年度发布政策解读12篇。在加强解读回应方面，发布政策解读12篇，回应关切3次。",
             "本年度发布政策解读12篇。在加强解读回应方面，发布政策解读11篇，回应关切3次。"),
}


@pytest.mark.parametrize("rule_id", sorted(AGREES_AND_OFF))
def test_agreeing_figure_is_read_not_missed(rule_id):
    section, agrees, off = AGREES_AND_OFF[rule_id]
    assert found(with_prose(agrees, section), rule_id) == []
    assert len(found(with_prose(off, section), rule_id)) == 1


def test_the_figures_read_from_an_agreeing_sentence():
    r = with_prose("本年新收政府信息公开申请13件，上年结转2件，已办结14件，结转下年度继续办理1件。")
    read = [(st.keys, st.value) for _, st in stated_figures(r, "applications")]
    assert read == [(("t3.new.total",), 13), (("t3.carried.total",), 2), (("t3.total.total",), 14),
                    (("t3.forward.total",), 1)]
    (pl,) = parts_lists(AGREES_AND_OFF["P005"][1])
    assert (pl.total, pl.unit, pl.parts, pl.partial) == (283, "条", [24, 83, 10, 166], False)


def test_every_figure_of_a_sentence_is_checked():
    r = with_prose("本年新收政府信息公开申请13件，上年结转3件，已办结15件，结转下年度继续办理1件。")
    got = sorted((f.cells[0], f.actual, f.expected) for f in found(r, "P001"))
    assert got == [("t3.carried.total", 3, 2), ("t3.total.total", 15, 14)]


def test_thousands_separators_in_prose():
    r = with_prose("本年新收政府信息公开申请1,013件。", **{"t3.new.total": 1013, "t3.total.total": 1014})
    assert found(r, "P001") == []
    r = with_prose("本年新收政府信息公开申请1,012件。", **{"t3.new.total": 1013, "t3.total.total": 1014})
    (f,) = found(r, "P001")
    assert (f.actual, f.expected) == (1012, 1013)
    assert "1012 件" in f.message and "1013 件" in f.message


def test_a_long_sentence_is_quoted_around_its_figure():
    lead = "本年度我单位认真贯彻落实政府信息公开条例，持续完善依申请公开办理流程，规范登记、审核、答复各环节，" * 2
    tail = "并按季度对办理情况进行梳理和通报，确保依法依规、及时准确地办理，切实保障群众的知情权，"
    sentence = lead + "本年新收政府信息公开申请15件" + tail * 2 + "成效明显。"
    assert len(sentence) > QUOTE_CHARS + 60
    (f,) = found(with_prose(sentence), "P001")
    quote = f.message.split("中写道“", 1)[1].split("”：", 1)[0]
    assert quote.startswith("…") and quote.endswith("…")
    assert len(quote) == QUOTE_CHARS + 2
    assert "申请15件" in quote
    # the figure stands about a third into the quote
    assert QUOTE_CHARS // 3 - 15 <= quote.index("15件") <= QUOTE_CHARS // 3 + 5


def test_a_long_sentence_ending_in_its_figure_is_quoted_to_its_end():
    sentence = "本年度我单位认真贯彻落实政府信息公开条例，持续完善依申请公开办理流程，" * 3 + "本年新收政府信息公开申请15件。"
    (f,) = found(with_prose(sentence), "P001")
    quote = f.message.split("中写道“", 1)[1].split("”：", 1)[0]
    assert quote.startswith("…") and not quote.endswith("…") and quote.endswith("申请15件。")
    assert len(quote) == QUOTE_CHARS + 1


def test_thousands_separators_in_a_list_split_by_commas():
    text = "全年新增主动公开政府信息1,283条，其中，机构职能1,024条，政策文件83条，规划计划10条，工作动态166条。"
    (pl,) = parts_lists(text)
    assert (pl.total, pl.parts) == (1283, [1024, 83, 10, 166])
    assert found(with_prose(text), "P005") == []
    (f,) = found(with_prose(text.replace("1,283", "1,293")), "P005")
    assert (f.expected, f.actual) == (1293, 1283)

"""How P008 (one figure, two values) reads its “label N unit” statements, and how the table
figures stated in the prose are collected: pinned where mutation testing found them unpinned
(issue 16).

A statement is a clause of its own — “发布政策解读 12 篇” — read with the label just before
the number (at most 16 characters, lead words such as 全年/通过 stripped). It is not a
statement when it is approximate (10 余篇, 逾 100 篇), a comparison or running total
(较上年, 累计), a part of a list (其中, 分别), when its label is generic (发布信息 120 条:
what information depends on the clause before) or when the count is not whole (人均 1.5 次).
Two statements are the same figure only within the same scope words (网站 / 微信 / 乡 / 镇 …),
so a website's and a WeChat account's counts are never compared. Every skip must leave the
next statement of the sentence read.

The table figures stated in the prose (P001–P004) are read one per place: where two figures'
patterns meet the same number (“受理并办结申请 13 件”), the first reading stands, and an
approximate or already read number does not stop the next number of the sentence being read.
Sentences are cut at 。！？ and at a blank line, also after a line without an end mark.
"""

import pytest

from addin.document.prose_check import sentences, stated_figures
from test_mutation_pins_prose import found, with_prose


def p008(text):
    """(first value, second value, what) of every P008 finding in a section holding ``text``."""
    return [(f.expected, f.actual, f.message) for f in found(with_prose(text), "P008")]


def fires(text, first, second):
    (got,) = p008(text)
    assert got[:2] == (first, second)
    return got[2]


# Each case: two paragraphs whose second statement must be read (P008 fires 12 → 15)
# although something before it in its sentence is skipped.
READ_AFTER_A_SKIP = [
    ("an approximate figure (10 余篇) before it",
     "全年发布政策解读12篇。\n围绕优化营商环境，召开新闻发布会10余场，发布政策解读15篇。"),
    ("a running total (累计) before it",
     "全年发布政策解读12篇。\n自2019年以来累计发布政策解读86篇，本年发布政策解读15篇。"),
    ("a generic label (发布信息) before it",
     "全年发布政策解读12篇。\n围绕疫情防控，发布信息42条，发布政策解读15篇。"),
    ("a count that is not whole (人均 1.5 次) before it",
     "全年发布政策解读12篇。\n组织业务培训4期，干部人均参训1.5次，发布政策解读15篇。"),
]


@pytest.mark.parametrize("why, text", READ_AFTER_A_SKIP, ids=["approx", "running-total", "generic", "decimal"])
def test_a_skipped_statement_does_not_stop_the_next_one(why, text):
    message = fires(text, 12, 15)
    assert "政策解读" in message


def test_an_approximate_figure_is_no_statement():
    # 10 余篇 in the summary and 12 篇 in the detail do not disagree
    assert p008("全年发布政策解读10余篇。\n在加强解读回应方面，发布政策解读12篇。") == []
    # …but 12 and 15 do
    fires("全年发布政策解读12篇。\n在加强解读回应方面，发布政策解读15篇。", 12, 15)


def test_a_later_statement_after_an_approximate_one():
    text = "全年发布政策解读10余篇，回应社会关切15次。\n在加强解读回应方面，回应社会关切12次。"
    assert fires(text, 15, 12)


def test_a_running_total_is_not_this_year_s_figure():
    assert p008("全年发布政策解读12篇。\n截至目前，累计发布政策解读86篇。") == []
    fires("全年发布政策解读12篇。\n在加强解读回应方面，发布政策解读86篇。", 12, 86)


def test_a_generic_label_is_no_statement():
    # what 发布信息 counts depends on the clause before it: 疫情防控 or the whole year
    assert p008("全年发布信息356条。\n围绕疫情防控，发布信息42条。") == []
    fires("全年发布通知公告356条。\n围绕疫情防控，发布通知公告42条。", 356, 42)


def test_a_short_label_is_no_statement():
    # 受理 what? two short labels are never compared
    assert p008("全年共受理12件，均已按期答复。\n此外，还受理15件。") == []
    fires("全年共受理咨询12件，均已按期答复。\n此外，还受理咨询15件。", 12, 15)


def test_the_scope_words_keep_two_channels_apart():
    # the channel is named in the clause before the statement, so the labels are the same
    assert p008("门户网站方面，全年发布政策解读12篇。\n微信公众号方面，全年发布政策解读15篇。") == []
    assert p008("县本级方面，全年发布政策解读12篇。\n各乡镇方面，全年发布政策解读15篇。") == []
    fires("门户网站方面，全年发布政策解读12篇。\n在门户网站集中解读方面，全年发布政策解读15篇。", 12, 15)
    # the same channels named in another order are the same scope
    fires("依托门户网站和微信公众号，发布政策解读12篇。\n依托微信公众号、门户网站，发布政策解读15篇。", 12, 15)


@pytest.mark.parametrize("second", [
    "在解读回应方面，发布政策解读15篇，依法办理网民留言20件。",  # 办理 is a verb, not an office
    "围绕一网通办改革，发布政策解读15篇。",
    "围绕乡村振兴，发布政策解读15篇。",  # a topic, not a township or a village
    "在推进农村公路建设方面，发布政策解读15篇。",
], ids=["banli", "yiwangtongban", "xiangcun", "nongcun"])
def test_a_verb_or_a_topic_is_no_scope(second):
    fires(f"全年发布政策解读12篇。\n{second}", 12, 15)


@pytest.mark.parametrize("first, second", [
    ("县政府办方面，全年发布政策解读12篇。", "各乡镇方面，全年发布政策解读15篇。"),
    ("县政府办公室方面，全年发布政策解读12篇。", "其他部门方面，全年发布政策解读15篇。"),
    ("各村（社区）公开栏方面，全年张贴公告12期。", "县本级方面，全年张贴公告15期。"),
], ids=["office-townships", "office-departments", "villages-county"])
def test_offices_townships_and_villages_are_scopes(first, second):
    assert p008(f"{first}\n{second}") == []


def test_the_label_is_the_16_characters_before_the_number():
    # one figure (the 专栏 of the website) however long the lead before it
    text = "本年度通过门户网站政府信息公开专栏发布政策解读12篇。\n在县政府网站政府信息公开专栏发布政策解读15篇。"
    assert "网站政府信息公开专栏发布政策解读" in fires(text, 12, 15)


# 表三 of the example report: 新收 13, 上年结转 2, 办结 14, 结转下年度 1.
BOTH_WAYS = "本年度受理并办结政府信息公开申请13件，上年结转申请2件，全年办结{}件，结转下年度继续办理1件。"


def test_one_figure_per_place_and_the_next_number_still_read():
    r = with_prose(BOTH_WAYS.format(14))
    read = [(st.keys, st.value) for _, st in stated_figures(r, "applications")]
    # 受理并办结…13 件 is read once, as newly received (not also as 办结 against 14)
    assert read == [(("t3.new.total",), 13), (("t3.carried.total",), 2), (("t3.total.total",), 14),
                    (("t3.forward.total",), 1)]
    assert found(r, "P001") == []
    (f,) = found(with_prose(BOTH_WAYS.format(15)), "P001")
    assert (f.cells[0], f.actual, f.expected) == ("t3.total.total", 15, 14)


def test_an_approximate_table_figure_does_not_stop_the_next_one():
    r = with_prose("本年新收政府信息公开申请约13件，上年结转3件。")
    assert [(st.keys, st.value) for _, st in stated_figures(r)] == [(("t3.carried.total",), 3)]
    (f,) = found(r, "P001")
    assert (f.actual, f.expected) == (3, 2)


@pytest.mark.parametrize("first", [
    "依申请公开办理情况及结果统计分析",      # a subheading of its own, no end mark
    "全年通过门户网站主动公开各类政府信息356条",  # a paragraph whose 。 was left out
], ids=["subheading", "no-full-stop"])
def test_a_blank_line_ends_a_sentence(first):
    second = "本年新收政府信息公开申请14件，全部按期答复。"
    assert sentences(f"{first}\n\n{second}") == [first, second]
    (f,) = found(with_prose(f"{first}\n\n{second}"), "P001")
    assert f"“{second}”" in f.message


@pytest.mark.parametrize("self_name", ["我局", "本单位", "我委"])
def test_the_reporting_agency_naming_itself_is_no_other_scope(self_name):
    # “我局发布政策解读12篇” and “发布政策解读15篇” are the same figure of the same agency
    text = f"{self_name}全年发布政策解读12篇。在回应关切方面，全年发布政策解读15篇。"
    (f,) = found(with_prose(text), "P008")
    assert (f.expected, f.actual) == (12, 15)
    assert found(with_prose(text.replace("15篇", "12篇")), "P008") == []
    # other departments are another scope
    assert found(with_prose(text.replace("在回应关切方面，", "各部门")), "P008") == []


def test_a_figure_over_a_number_is_not_stated_twice():
    # 逾20篇 is “more than 20”: no second value to contradict (the clause has no 约/近 to block it)
    text = "全年发布政策解读逾20篇。在回应关切方面，全年发布政策解读25篇。"
    assert found(with_prose(text), "P008") == []
    assert len(found(with_prose(text.replace("逾20篇", "20篇")), "P008")) == 1

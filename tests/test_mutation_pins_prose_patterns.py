"""Which words each table figure of the prose is recognised by, pinned (issue 16).

Every figure the prose can state (表三 新收/上年结转/办结/结转下年度, the 表三 outcomes and
their answer wording 同意公开, 表四 行政复议/行政诉讼, 表二 规章/规范性文件 in both formats,
the 2021 收费 amount) is read from a sentence in the voice of a report and, one unit off the
table, fires its rule with a message naming the figure the way the filer wrote it. The
sentences where a neighbouring word makes the number another figure's (上年结转申请中本年已
答复, 办结的申请中予以公开, 复议后又提起行政诉讼, 保密审查 of documents) stay quiet.
"""

import pytest

from addin.document.prose_check import stated_figures

from test_mutation_pins_prose import found, with_prose

# id → (format, section, sentence one unit off the example report's table, rule, cell, named as)
ONE_OFF = {
    "new": ("2021", "s1", "本年度收到政府信息公开申请14件。", "P001", "t3.new.total", "本年新收申请 14 件"),
    "carried": ("2021", "s1", "上年结转政府信息公开申请3件。", "P001", "t3.carried.total", "上年结转申请 3 件"),
    "carried-year": ("2021", "s1", "本年度新收申请13件，上年度结转3件。", "P001", "t3.carried.total",
                     "上年结转申请 3 件"),
    "answered": ("2021", "s1", "全年共办结政府信息公开申请15件。", "P001", "t3.total.total",
                 "办结（办理结果总计） 15 件"),
    "answered-reply": ("2021", "s1", "对收到的政府信息公开申请，均已按期答复，共答复15件。", "P001",
                       "t3.total.total", "办结（办理结果总计） 15 件"),
    "forward": ("2021", "s1", "结转下年度继续办理的申请2件。", "P001", "t3.forward.total",
                "结转下年度继续办理 2 件"),
    "forward-long": ("2021", "s1", "结转下一年度继续办理的政府信息公开申请2件。", "P001", "t3.forward.total",
                     "结转下年度继续办理 2 件"),
    "forward-defer": ("2021", "s1", "因需征求第三方意见，顺延至下一年度答复的申请2件。", "P001",
                      "t3.forward.total", "结转下年度继续办理 2 件"),
    "granted": ("2021", "s1", "办理结果中，予以公开6件，部分公开3件。", "P001", "t3.granted.total", "予以公开 6 件"),
    "granted-agreed": ("2021", "s1", "本年度依申请公开办理结果中，同意公开6件。", "P001", "t3.granted.total",
                       "予以公开 6 件"),
    "granted-agreed-reply": ("2021", "s1", "经审查，对申请人同意公开答复6件，部分公开3件。", "P001",
                             "t3.granted.total", "予以公开 6 件"),
    "review": ("2021", "s1", "本年度因政府信息公开工作被申请行政复议3件。", "P002", "t4.review.total",
               "行政复议 3 件"),
    "suit": ("2021", "s1", "全年因政府信息公开被提起行政诉讼2件。", "P002", "t4.suit_direct.total",
             "行政诉讼 2 件"),
    "suit-after-review": ("2021", "s1", "因政府信息公开被申请行政复议后又提起行政诉讼2件。", "P002",
                          "t4.suit_direct.total", "行政诉讼 2 件"),
    "issued": ("2021", "s1", "本年印发行政规范性文件4件。", "P003", "t2.normative.issued",
               "行政规范性文件本年制发件数 4 件"),
    "issued-after": ("2021", "s1", "我局规范性文件本年出台4件。", "P003", "t2.normative.issued",
                     "行政规范性文件本年制发件数 4 件"),
    "repealed": ("2021", "s1", "本年废止行政规范性文件2件。", "P003", "t2.normative.repealed",
                 "行政规范性文件本年废止件数 2 件"),
    "in-force": ("2021", "s1", "截至年底，现行有效行政规范性文件18件。", "P003", "t2.normative.in_force",
                 "行政规范性文件现行有效件数 18 件"),
    "in-force-after": ("2021", "s1", "截至年底，我局行政规范性文件现行有效18件。", "P003", "t2.normative.in_force",
                       "行政规范性文件现行有效件数 18 件"),
    "made-2019": ("2019", "s1", "本年新制作规范性文件4件。", "P003", "t2.normative.made",
                  "规范性文件本年新制作数量 4 件"),
    "made-2019-after": ("2019", "s1", "我局规范性文件本年新制作4件。", "P003", "t2.normative.made",
                        "规范性文件本年新制作数量 4 件"),
    "made-2019-drawn-up": ("2019", "s1", "本年制定规范性文件4件。", "P003", "t2.normative.made",
                           "规范性文件本年新制作数量 4 件"),
    "published-2019": ("2019", "s1", "本年新公开规范性文件4件。", "P003", "t2.normative.published",
                       "规范性文件本年新公开数量 4 件"),
    "fees-wan": ("2021", "s6", "本年度行政事业性收费金额0.5万元。", "P004", "t2.fees.amount",
                 "行政事业性收费金额 0.5 万元"),
    "fees-yuan": ("2021", "s6", "全年行政事业性收费收入5000元。", "P004", "t2.fees.amount",
                  "行政事业性收费金额 0.5 万元"),
}


@pytest.mark.parametrize("case", sorted(ONE_OFF))
def test_each_figure_is_read_and_named_in_its_message(case):
    fmt, section, text, rule_id, cell, named = ONE_OFF[case]
    (f,) = found(with_prose(text, section, fmt), rule_id)
    assert f.cells[0] == cell
    assert named in f.message


# id → (format, section, sentence, table cells): the number belongs to another figure (or to
# documents) and agrees with it, so no figure rule fires — though the number is off the named one.
QUIET = {
    "answered-carried": ("2021", "s1", "本年已办结上年结转申请2件。", {}),
    "answered-then-granted": ("2021", "s1", "办结的申请中予以公开5件。", {}),
    "answered-not-applications": ("2021", "s1", "全年办结行政许可事项245件。", {}),
    "review-then-suit": ("2021", "s1", "因政府信息公开被申请行政复议后又提起行政诉讼1件。", {}),
    "documents-cleared": ("2021", "s2", "经保密审查，同意公开文件126件，不予公开文件3件。", {}),
}


@pytest.mark.parametrize("case", sorted(QUIET))
def test_another_figures_number_is_not_misread(case):
    fmt, section, text, cells = QUIET[case]
    r = with_prose(text, section, fmt, **cells)
    assert [f.message for rid in ("P001", "P002", "P003") for f in found(r, rid)] == []


@pytest.mark.parametrize("verb", ["答复", "办结"])
def test_carried_over_then_answered_is_not_the_carried_count(verb):
    """Of the 2 carried over, 1 was answered this year: the 1 is not the carried count."""
    r = with_prose(f"上年结转申请中本年已{verb}1件。")
    assert [st for _, st in stated_figures(r) if st.keys == ("t3.carried.total",) and st.section == "s1"] == []
    assert [f for f in found(r, "P001") if "t3.carried.total" in f.cells] == []


def test_agreeing_answer_wording_is_read_as_granted():
    r = with_prose("本年度依申请公开办理结果中，同意公开5件。")
    read = [(st.keys, st.value, st.what) for _, st in stated_figures(r, "applications") if st.section == "s1"]
    assert read == [(("t3.granted.total",), 5, "予以公开")]
    assert found(r, "P001") == []


# --- how far a number may stand from its keyword -------------------------------------------
#
# A figure is its keyword, a short gap of words and the number (新收 …… 13 件). The gap's
# limit is part of how a figure is recognised: within it the number is the figure's, one
# character further it belongs to something else the sentence goes on to say. Each limit is
# pinned at its boundary with neutral words (数量合计为 …) filling the gap.
_FILL = "的数量合计为共有总计数量合计为共有"

# id → (format, section, text before the gap, gap limit, text after the number, cell read)
GAP_LIMITS = {
    "new": ("2021", "s1", "本年度政府信息公开申请收到", 14, "件。", "t3.new.total"),
    "carried": ("2021", "s1", "上年结转", 12, "件政府信息公开申请。", "t3.carried.total"),
    "answered": ("2021", "s1", "对政府信息公开申请已办结", 10, "件。", "t3.total.total"),
    "forward": ("2021", "s1", "结转下年度", 14, "件政府信息公开申请。", "t3.forward.total"),
    "agreed": ("2021", "s1", "对政府信息公开申请同意公开", 4, "件。", "t3.granted.total"),
    "combined": ("2021", "s1", "对政府信息公开申请予以公开及部分公开", 4, "件。", "t3.partial.total"),
    "review": ("2021", "s4", "被申请行政复议", 8, "件。", "t4.review.total"),
    "normative-after": ("2021", "s1", "行政规范性文件本年制发", 4, "件。", "t2.normative.issued"),
    "fees": ("2021", "s6", "行政事业性收费金额", 6, "元。", "t2.fees.amount"),
}


def _cells_read(fmt, section, text):
    return {k for _, st in stated_figures(with_prose(text, section, fmt)) for k in st.keys}


@pytest.mark.parametrize("case", sorted(GAP_LIMITS))
def test_a_number_within_the_gap_limit_is_the_figure_and_one_further_is_not(case):
    fmt, section, before, limit, after, cell = GAP_LIMITS[case]
    at_limit = before + _FILL[:limit] + "3" + after
    beyond = before + _FILL[:limit + 1] + "3" + after
    assert cell in _cells_read(fmt, section, at_limit)
    assert cell not in _cells_read(fmt, section, beyond)


@pytest.mark.parametrize("text", [
    "本年新收政府信息公开申请13件，上年结转申请2件，上年结转申请中本年已答复1件。",
    "本年新收政府信息公开申请13件，其中已答复10件，其余正在办理。",
    "本年新收政府信息公开申请13件，其中按期办结11件。",
])
def test_the_answered_part_of_another_figure_is_not_the_answered_total(text):
    # (the example table answers 14 in all: 13 new and 2 carried, 1 carried forward)
    assert "t3.total.total" not in _cells_read("2021", "s1", text)
    assert found(with_prose(text), "P001") == []
    # the same words about all the applications are the total, and are checked
    whole = "本年新收政府信息公开申请13件，全年已答复15件。"
    assert "t3.total.total" in _cells_read("2021", "s1", whole)
    assert len(found(with_prose(whole), "P001")) == 1

"""Where a listed breakdown's total is read, and how the finding quotes it (P005; issue 16).

A list (其中/包括 …) breaks down the figure that ends the clause before it, across a ；; when
其中 opens a sentence (or a paragraph) the figure ends the sentence before, and the finding
quotes that clause with the list; a list headed by its subject alone (“新增主动公开政府信息
中包括：”) takes the figure stated with that subject in the sentence before. A long sentence
is quoted around its list. A list that breaks the same total down twice (by applicant, then
by outcome) is complete, not wrong.

Which lists are read: after a total and a colon (共发布信息418条：……), 含 only in brackets, a
bracketed list breaking down one item of the outer list on its own, a list under two list
words (其中包括) once, and a later list of a sentence whatever the first list word led to.
主要/部分/重点 at the list word make a list partial (flagged only when its parts exceed the
total); the same word inside an item's name (省重点项目) does not.
"""

import pytest

from addin.document.prose_check import QUOTE_CHARS

from tests.test_mutation_pins_prose import found, with_prose

PARTS = "机构职能24条、政策文件83条、规划计划10条、工作动态166条。"  # 283


def p005(text):
    return [(f.expected, f.actual) for f in found(with_prose(text), "P005")]


def quote_of(text):
    (f,) = found(with_prose(text), "P005")
    head = "“一、总体情况”中写道“"
    assert f.message.startswith(head)
    return f.message[len(head):f.message.index("”：总数")]


# --- the total ends the paragraph before a 其中 paragraph ---------------------------------------

@pytest.mark.parametrize("text, finding", [
    # a paragraph ending in ：or ；(no 。): the figure before the punctuation is the total
    ("本年度共收到政府信息公开申请52件：\n其中，自然人申请30件、法人或其他组织申请12件。", (52, 42)),
    ("本年度共收到政府信息公开申请52件；\n其中，自然人申请30件、法人或其他组织申请22件。", None),
    ("全年新增主动公开政府信息370条；\n其中" + PARTS, (370, 283)),
    # the paragraph before ends in words, not a figure: no total
    ("全年新增主动公开政府信息370条，具体如下：\n其中" + PARTS, None),
])
def test_total_at_the_end_of_the_paragraph_before(text, finding):
    assert p005(text) == ([finding] if finding else [])


def test_total_of_the_sentence_before_is_quoted_with_the_list():
    quote = quote_of("截至12月31日，全年新增主动公开政府信息370条。其中" + PARTS)
    assert quote == "全年新增主动公开政府信息370条。其中" + PARTS


def test_total_before_a_line_break_after_a_semicolon_is_one_sentence_with_its_list():
    # a line ending in ；is a wrap (text from a PDF), not a sentence end: the list and its
    # total are one sentence, quoted whole
    quote = quote_of("截至12月31日，全年新增主动公开政府信息370条；\n其中" + PARTS)
    assert quote == "截至12月31日，全年新增主动公开政府信息370条；其中" + PARTS


# --- the subject named again: “新增主动公开政府信息中包括：” -----------------------------------

@pytest.mark.parametrize("text, finding", [
    ("本年度新增主动公开政府信息370条。新增主动公开政府信息：包括" + PARTS, (370, 283)),
    ("本年度新增主动公开政府信息370条。新增主动公开政府信息当中包括：" + PARTS, (370, 283)),
    ("本年度新增主动公开政府信息283条。新增主动公开政府信息：包括" + PARTS, None),
])
def test_the_subject_before_a_colon_or_zhong(text, finding):
    assert p005(text) == ([finding] if finding else [])


def test_the_subjects_figure_is_quoted_before_the_list():
    quote = quote_of("本年度新增主动公开政府信息370条，累计公开2000条。新增主动公开政府信息中包括：" + PARTS)
    assert quote == "本年度新增主动公开政府信息370条……新增主动公开政府信息中包括：" + PARTS


def test_a_long_subject_is_quoted_from_its_figure():
    """The subject takes 30+ characters: the quote still opens with the figure's clause."""
    subject = "通过政府门户网站、政务新媒体平台和政务公开专栏新增主动公开政府信息"
    text = f"本年度{subject}370条。{subject}中包括：{PARTS}"
    quote = quote_of(text)
    assert quote.startswith(f"本年度{subject}370条……")
    assert quote.endswith("…") and len(quote) == QUOTE_CHARS + 1


# --- a long sentence is quoted around its list ----------------------------------------------------

def test_a_long_sentence_is_quoted_around_its_list():
    lead = "本年度我局坚持以公开为常态、不公开为例外，持续加大主动公开力度，围绕财政预决算、重大建设项目等重点领域及时发布信息，"
    text = lead + "全年新增主动公开政府信息370条，包括：" + PARTS
    assert len(text) > QUOTE_CHARS + 10
    quote = quote_of(text)
    assert quote.startswith("…") and "工作动态166条" in quote  # the list's end is shown
    assert "370条，包括：机构职能24条" in quote and not quote.startswith("…本年度")


# --- one list, two complete breakdowns -----------------------------------------------------------

@pytest.mark.parametrize("text, finding", [
    # by applicant (6+1) and by outcome (5+2): both add up to 7
    ("本年度共收到政府信息公开申请7件，其中自然人6件，法人或其他组织1件，予以公开5件，不予公开2件。", None),
    ("本年度共收到政府信息公开申请7件，其中自然人6件，法人或其他组织1件，予以公开5件，不予公开1件。", (7, 13)),
    ("本年度共收到政府信息公开申请1件，其中自然人1件，予以公开1件。", None),
])
def test_a_list_breaking_its_total_down_twice(text, finding):
    assert p005(text) == ([finding] if finding else [])


# --- which lists are read, and each once ------------------------------------------------------------

@pytest.mark.parametrize("text, finding", [
    # a total and a colon, no list word: 共发布信息418条：通知公告390条、……
    ("全年共发布各类信息418条：通知公告390条、人事信息6条、财政信息12条、其他信息10条。", None),
    ("全年共发布各类信息418条：通知公告380条、人事信息6条、财政信息12条、其他信息10条。", (418, 408)),
    # 含 lists parts only in brackets
    ("本年度制发规范性文件9件（含新制定5件，修订4件），均按程序公开。", None),
    ("本年度制发规范性文件9件（含新制定5件，修订3件），均按程序公开。", (9, 8)),
    ("全年共发布各类信息418条，含通知公告390条、人事信息6条。", None),
    # 其中包括: one list under two list words, read once
    ("全年新增主动公开政府信息300条，其中包括：" + PARTS, (300, 283)),
    # a bracketed list breaks down one item of the outer list, each checked once
    ("全年新增主动公开政府信息283条，其中：机构职能24条（含领导信息4条、机构设置20条），政策文件83条，"
     "规划计划10条，工作动态166条。", None),
    ("全年新增主动公开政府信息283条，其中：机构职能24条（含领导信息4条、机构设置21条），政策文件83条，"
     "规划计划10条，工作动态166条。", (24, 25)),
    ("全年新增主动公开政府信息284条，其中：机构职能24条（含领导信息4条、机构设置20条），政策文件83条，"
     "规划计划10条，工作动态166条。", (284, 283)),
    # a colon list whose item has a bracket: the list goes on past the bracket
    ("全年共发布各类信息418条：通知公告380条（含转载50条）、人事信息6条、财政信息12条、其他信息10条。", (418, 408)),
    # a bracket left open (a PDF line lost its “）”): the list runs to the sentence end
    ("本年度制发规范性文件9件（含新制定5件，修订3件。", (9, 8)),
])
def test_which_lists_are_read(text, finding):
    assert p005(text) == ([finding] if finding else [])


@pytest.mark.parametrize("text, finding", [
    # two figures in the unit before a sentence opening with 其中: which one it breaks down is unclear
    ("本年度主动公开政府信息275条，更新政务服务事项52条。其中机构职能24条、政策文件30条。", None),
    ("本年度受理依申请公开3件，主动公开政府信息275条。其中机构职能24条、政策文件30条。", (275, 54)),
    # the first sentence of a section has no sentence before it (not the section's last)
    ("其中，自然人申请30件、法人或其他组织申请12件。全年共办理政府信息公开申请52件。", None),
    ("全年共办理政府信息公开申请52件。其中，自然人申请30件、法人或其他组织申请12件。", (52, 42)),
])
def test_the_sentence_before(text, finding):
    assert p005(text) == ([finding] if finding else [])


@pytest.mark.parametrize("word", ["其中重点有", "其中部分为", "其中主要是"])
def test_a_list_said_to_be_partial(word):
    """Named as partial: quiet while the parts stay under the total, flagged when they exceed it."""
    assert p005(f"全年发布信息300条，{word}：机构职能24条、政策文件83条。") == []
    (f,) = found(with_prose(f"全年发布信息100条，{word}：机构职能24条、政策文件83条。"), "P005")
    assert (f.expected, f.actual) == (100, 107) and "写明“主要”或“部分”" in f.message


def test_a_partial_word_read_only_at_the_list_word():
    """主要/部分/重点 at the list word make a list partial; 主要包括 opening a sentence too; the
    same word inside an item's name (省重点项目) does not."""
    (f,) = found(with_prose("全年新增主动公开政府信息100条。主要包括：机构职能24条、政策文件83条。"), "P005")
    assert (f.expected, f.actual) == (100, 107) and "写明“主要”或“部分”" in f.message
    assert p005("全年新增主动公开政府信息300条。主要包括：机构职能24条、政策文件83条。") == []
    (f,) = found(with_prose("全年发布信息300条，其中：省重点项目信息24条、政策文件83条。"), "P005")
    assert (f.expected, f.actual) == (300, 107) and "请在最后一项后加“等”" in f.message
    (f,) = found(with_prose("全年发布信息100条，其中：省重点项目信息24条、政策文件83条。"), "P005")
    assert f.message.endswith("相差 7 条；分项之和超过总数")


@pytest.mark.parametrize("first", [
    "公开内容含机构职能、政策文件等",  # 含 outside brackets: no list, the scan goes on
    "公开内容包括机构职能24条、政策文件83条",  # a list with no total
    "全年新增主动公开政府信息300条，其中政策文件24条",  # one item is no list
    # two figures before a sentence opening with 其中: unclear which one the list breaks down
    "本年度主动公开政府信息275条，更新政务服务事项52条。其中机构职能24条、政策文件30条",
    "全年新增主动公开政府信息283条，其中包括：机构职能24条、政策文件83条、规划计划10条、工作动态166条",  # 包括 inside the 其中 list
    "全年新增主动公开政府信息300条，其中：政策文件24件、图解83个",  # parts in other units than the total
])
def test_a_second_list_in_the_sentence_is_still_read(first):
    """Whatever the first list word of a sentence led to, a later list of the sentence is checked."""
    text = first + "；全年共受理政府信息公开申请52件，其中自然人30件、法人或其他组织12件。"
    assert p005(text) == [(52, 42)]

"""How the prose is read before any figure is: pinned where mutation testing found it unpinned
(issue 16).

Text taken from a PDF (pdftotext) comes as short lines: a sentence is cut wherever the line
ends — mid-clause, just after a ；or ：, between a label and its number — numbers stand apart
from their units (“发布信息 214 条”), a number may stand on a line of its own, and a list
may be set out one item a line after “其中：”. The lines are joined back into sentences; a
heading (（一）主动公开, 三、收到和处理…, a short unnumbered line), a blank line or a sentence
end keeps them apart. Then each figure is read within its clause (between ，；), so that
“较上年增加 3 件” next to it does not make it a comparison, and the finding quotes the
sentence it was read from.
"""

import pytest

from addin.document.prose_check import QUOTE_CHARS, _quote, parts_lists, sentences
from test_mutation_pins_prose import found, with_prose

# The example report's 表三: 本年新收 13, 办结 14 — so “14 件” newly received is one off.
WRONG = "本年新收政府信息公开申请 14 件，全部按期答复。"
WRONG_READ = "本年新收政府信息公开申请14件，全部按期答复。"


def lines(*parts):
    return "\n".join(parts)


def p001_quotes(text):
    """The sentence each P001 finding quotes (the figure read: 14 against 13)."""
    out = []
    for f in found(with_prose(text), "P001"):
        assert (f.actual, f.expected) == (14, 13)
        out.append(f.message.split("中写道“", 1)[1].split("”：", 1)[0])
    return out


# (why, PDF lines, the sentences read). A full PDF line here is 26 characters; a heading
# (a point, no ，。；) is at most 25; a line of at least 12 characters not ending a sentence
# is taken as wrapped.
READ = [
    ("a hard wrap mid-clause and between a label and its number; spaces around numbers",
     lines("2023 年，我局围绕农村公路建设、客运班线调整等群众关注事",
           "项，通过县政府门户网站发布政府信息 214 条，其中项目建设",
           "进度信息 63 条。"),
     ["2023年，我局围绕农村公路建设、客运班线调整等群众关注事项，通过县政府门户网站发布政府信息214条，"
      "其中项目建设进度信息63条。"]),
    ("a full line (25 characters) without a comma is a wrapped line, not a heading",
     lines("围绕农村公路建设、客运班线调整、超限超载治理等事项",
           "通过门户网站发布信息 214 条。"),
     ["围绕农村公路建设、客运班线调整、超限超载治理等事项通过门户网站发布信息214条。"]),
    ("a full line (26 characters) opening with 一是 is wrapped, not a heading",
     lines("一是围绕农村公路建设和客运班线调整等重点领域持续加大",
           "公开力度，全年发布信息 214 条。"),
     ["一是围绕农村公路建设和客运班线调整等重点领域持续加大公开力度，全年发布信息214条。"]),
    ("a wrap just after ；or ： is mid-sentence",
     lines("对本报告有疑问的，请与本局办公室联系（地址：县行政中心",
           "2 号楼；邮编：000000；电话：",
           "0000-0000000）。"),
     ["对本报告有疑问的，请与本局办公室联系（地址：县行政中心2号楼；邮编：000000；电话：0000-0000000）。"]),
    ("a section heading stays apart from its first paragraph",
     lines("三、收到和处理政府信息公开申请情况", WRONG),
     ["三、收到和处理政府信息公开申请情况", WRONG_READ]),
    ("a heading of 25 characters is still a heading",
     lines("（三）进一步规范依申请公开的登记审核答复和归档流程", WRONG),
     ["（三）进一步规范依申请公开的登记审核答复和归档流程", WRONG_READ]),
    ("a short heading, then a blank line, then its paragraph",
     lines("（一）主动公开", "", WRONG),
     ["（一）主动公开", WRONG_READ]),
    ("a paragraph, a blank line, a heading and the next paragraph",
     lines("全年未发生因公开不当引发的问题。", "", "（二）依申请公开", WRONG),
     ["全年未发生因公开不当引发的问题。", "（二）依申请公开", WRONG_READ]),
    ("a short unnumbered subheading after a paragraph",
     lines("严格执行申请登记、审核、答复、归档四个环节制度。", "依申请公开情况", WRONG),
     ["严格执行申请登记、审核、答复、归档四个环节制度。", "依申请公开情况", WRONG_READ]),
    ("a numbered list after 其中： is one sentence up to its 。; the next heading is not in it",
     lines("全年新增主动公开政府信息 283 条，其中：", "1.机构职能 24 条；", "2.政策文件 83 条；",
           "3.规划计划 10 条；", "4.工作动态 166 条。", "（二）依申请公开", WRONG),
     ["全年新增主动公开政府信息283条，其中：1.机构职能24条；2.政策文件83条；3.规划计划10条；4.工作动态166条。",
      "（二）依申请公开", WRONG_READ]),
    ("a list after a short 其中： line, one unnumbered item a line",
     lines("其中：", "机构职能 24 条；", "政策文件 83 条。", "（二）依申请公开"),
     ["其中：机构职能24条；政策文件83条。", "（二）依申请公开"]),
    ("a number alone on its line is joined to the label (12 characters) and the unit",
     lines("本年新收政府信息公开申请", "14", "件，全部按期答复。"),
     [WRONG_READ]),
]


@pytest.mark.parametrize("why, text, read", READ, ids=[f"case{i}" for i in range(len(READ))])
def test_pdf_lines_are_read_as_sentences(why, text, read):
    assert sentences(text) == read


@pytest.mark.parametrize("text", [
    lines("三、收到和处理政府信息公开申请情况", WRONG),
    lines("（一）主动公开", "", WRONG),
    lines("全年未发生因公开不当引发的问题。", "", "（二）依申请公开", WRONG),
    lines("严格执行申请登记、审核、答复、归档四个环节制度。", "依申请公开情况", WRONG),
    lines("全年新增主动公开政府信息 283 条，其中：", "1.机构职能 24 条；", "2.政策文件 83 条；",
          "3.规划计划 10 条；", "4.工作动态 166 条。", "（二）依申请公开", WRONG),
], ids=["section-heading", "blank-line", "blank-then-heading", "unnumbered-subheading", "after-a-list"])
def test_a_figure_after_a_heading_is_read_and_quoted_without_it(text):
    assert p001_quotes(text) == [WRONG_READ]


def test_a_label_cut_from_its_number_by_the_line_end_is_still_read():
    assert p001_quotes(lines("本年新收政府信息公开申请", "14 件，全部按期答复。")) == [WRONG_READ]
    assert p001_quotes(lines("本年新收政府信息公开申请", "14", "件，全部按期答复。")) == [WRONG_READ]


def test_spaces_around_a_number_do_not_hide_it():
    assert p001_quotes("本年新收政府信息公开申请 14 件 ，全部按期答复。") == [WRONG_READ]
    assert found(with_prose("本年新收政府信息公开申请 13 件，全部按期答复。"), "P001") == []


def test_a_total_alone_on_its_line_with_the_unit_on_the_next():
    text = lines("全年共受理", "14", "件，其中予以公开 5 件、部分公开 3 件、不予公开 2 件。")
    (f,) = found(with_prose(text), "P005")
    assert (f.expected, f.actual) == (14, 10)
    assert "5+3+2" in f.message


@pytest.mark.parametrize("tail, total", [
    ("4.工作动态 166 条。", 283),  # complete: quiet
    ("4.工作动态 160 条。", 277),  # 6 short of 283
], ids=["complete", "short"])
def test_a_numbered_list_set_out_one_item_a_line(tail, total):
    text = lines("全年新增主动公开政府信息 283 条，其中：", "1.机构职能 24 条；", "2.政策文件 83 条；",
                 "3.规划计划 10 条；", tail)
    (pl,) = parts_lists(text)
    assert (pl.total, pl.unit, sum(pl.parts), len(pl.parts)) == (283, "条", total, 4)
    assert len(found(with_prose(text), "P005")) == (total != 283)


def test_an_unnumbered_list_set_out_one_item_a_line():
    text = lines("全年新增主动公开政府信息 283 条，其中：", "机构职能 24 条；", "政策文件 83 条；",
                 "规划计划 10 条；", "工作动态 160 条。")
    (f,) = found(with_prose(text), "P005")
    assert (f.expected, f.actual) == (283, 277)


@pytest.mark.parametrize("why, text", [
    ("a comparison in the clause before", "2023 年，我局依申请公开工作量较上年有所增加，" + WRONG),
    ("a comparison in the clause after", "本年新收政府信息公开申请 14 件，较上年增加 3 件，已全部按期答复。"),
    ("同比 in the next sentence part", "本年新收政府信息公开申请 14 件；同比增长 16.7%，均已办结。"),
], ids=["before", "after", "after-semicolon"])
def test_a_figure_is_read_within_its_own_clause(why, text):
    (quote,) = p001_quotes(text)
    assert "14件" in quote


def test_a_comparison_in_the_figures_own_clause_still_blocks_it():
    assert found(with_prose("本年新收政府信息公开申请较上年增加 14 件，已全部按期答复。"), "P001") == []


def test_the_total_a_list_refers_back_to_is_quoted_by_its_own_clause():
    text = lines("2023 年，全年新增主动公开政府信息 283 条。",
                 "新增主动公开政府信息中包括：机构职能 24 条、政策文件 83 条、规划计划 10 条、工作动态 160 条。")
    (f,) = found(with_prose(text), "P005")
    assert "写道“全年新增主动公开政府信息283条……新增主动公开政府信息中包括：" in f.message


def test_a_sentence_of_the_quote_length_or_shorter_is_quoted_whole():
    s = "本年新收政府信息公开申请14件，" + "均在法定期限内答复" * 10
    for n in (QUOTE_CHARS - 1, QUOTE_CHARS):
        assert _quote(s[:n], 20) == s[:n]
    assert _quote(s[:QUOTE_CHARS + 1], 60) == "…" + s[1:QUOTE_CHARS + 1]


def test_missing_and_blank_sections_are_skipped():
    r = with_prose(WRONG, section="s5")
    r.sections = {"s1": "", "s2": "  \n", "s5": WRONG}
    (f,) = found(r, "P001")
    assert f.cells[-1] == "s5"


def test_a_clause_is_read_at_most_a_window_after_its_figure():
    # a run of text with no punctuation (a table flattened into one line) does not carry a
    # comparison word from far away into the figure's clause: 同比 more than _WINDOW
    # characters after 14 件 does not make it last year's figure
    from addin.document.prose_check import _WINDOW

    filler = "表格内容" * (_WINDOW // 4 + 1)
    text = f"本年新收政府信息公开申请14件{filler}同比增长，详见下表。"
    (f,) = found(with_prose(text), "P001")
    assert (f.expected, f.actual) == (13, 14)
    # within the window the same word does block it
    assert found(with_prose(f"本年新收政府信息公开申请14件{filler[:40]}同比增长，详见下表。"), "P001") == []

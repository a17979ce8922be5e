"""Prose figures pinned where mutation testing found them unpinned (issue 16, figures).

* **One figure, two values** (P008): the finding names both places (sections and quotes,
  each long sentence quoted around its figure), reports the first value as expected and
  the second as actual, once per figure however often it is restated, and a restatement
  that agrees does not end the search in its section.
* **Table figures** (P001/P002): what a figure's words decide — an outcome word after
  行政复议 (结果维持 2 件) is no count of reviews; 文件/信息 right after an outcome count
  makes it a count of documents unless the clause speaks of 申请; a blank 总计 replaced by
  its row's sum is said in the message.
* **Shares** (P006): the message, cells and values of a share finding, a long sentence
  quoted around the share, and a blank 总计 noted.
"""

from decimal import Decimal

import pytest

from addin.document.prose_check import QUOTE_CHARS, stated_figures
from test_mutation_pins_prose import found, with_prose


def _quotes(message):
    """The quoted sentences of a message, in order."""
    return [part.split("”", 1)[0] for part in message.split("写道“")[1:]]


def _read(report, section):
    return [(st.keys, st.value) for _, st in stated_figures(report) if st.section == section]


# --- P008: the same figure stated twice with different numbers ---------------------------------

def _two_sections(first, second, first_key="s1", second_key="s2"):
    r = with_prose(first, first_key)
    r.sections = {**r.sections, second_key: second}
    return r


def test_two_values_name_both_places_and_both_numbers():
    r = _two_sections("全年发布政策解读12篇，回应关切3次。",
                      "在加强解读回应方面，发布政策解读9篇，解读形式更加多样。")
    (f,) = found(r, "P008")
    assert f.message == ("“一、总体情况”中写道“全年发布政策解读12篇，回应关切3次。”，"
                         "“二、主动公开政府信息情况”中又写道“在加强解读回应方面，发布政策解读9篇，解读形式更加多样。”："
                         "发布政策解读一处为 12 篇，一处为 9 篇")
    assert (f.cells, f.expected, f.actual) == (["s1", "s2"], 12, 9)


def test_two_values_in_one_section_name_it_once():
    r = with_prose("全年发布政策解读12篇，回应关切3次。在加强解读回应方面，发布政策解读9篇。")
    (f,) = found(r, "P008")
    assert f.cells == ["s1"] and f.locations == [r.location("s1")]
    assert f.message.startswith("“一、总体情况”中写道“全年发布政策解读12篇，回应关切3次。”，“一、总体情况”中又写道")


def test_a_figure_restated_three_times_is_reported_once():
    r = _two_sections("全年发布政策解读12篇，回应关切3次。",
                      "在加强解读回应方面，发布政策解读9篇。全年发布政策解读8篇，形式多样。")
    (f,) = found(r, "P008")
    assert (f.expected, f.actual) == (12, 9)


def test_a_restatement_that_agrees_does_not_end_its_section():
    # s2 restates 政策解读 with the same number first; its 回应关切 still differs from s1's
    r = _two_sections("全年发布政策解读12篇，回应关切3次。",
                      "在加强解读回应方面，发布政策解读12篇，回应关切4次。")
    (f,) = found(r, "P008")
    assert (f.cells, f.expected, f.actual) == (["s1", "s2"], 3, 4)
    assert "回应关切一处为 3 次，一处为 4 次" in f.message


LONG_LEAD = "坚持以公开为常态、不公开为例外，围绕群众关注关切，持续深化重点领域信息公开，不断提升政策解读的质量和实效，"


def test_long_sentences_of_two_values_are_quoted_around_their_figures():
    first = LONG_LEAD + "采取图文解读、视频解读、专家访谈、新闻发布会等多种形式开展解读，全年发布政策解读12篇，回应关切3次。"
    second = "在加强解读回应方面，发布政策解读9篇，" + LONG_LEAD + "解读形式更加多样，群众满意度进一步提升。"
    assert len(first) > QUOTE_CHARS and first.index("12篇") > QUOTE_CHARS  # quoted from its start, 12 would be cut
    assert len(second) > QUOTE_CHARS
    (f,) = found(_two_sections(first, second), "P008")
    q1, q2 = _quotes(f.message)
    assert q1.startswith("…") and q1.endswith("回应关切3次。") and "政策解读12篇" in q1
    assert q2 == second[:QUOTE_CHARS] + "…" and "政策解读9篇" in q2


# --- table figures: what the words around a figure decide ---------------------------------------

def test_an_outcome_of_reviews_is_no_count_of_reviews():
    text = "本年度被申请行政复议5件，行政复议结果维持2件、纠正1件。"
    r = with_prose(text, "s4", **{"t4.review.total": 5})
    assert _read(r, "s4") == [(("t4.review.total",), 5)]
    assert found(r, "P002") == []
    (f,) = found(with_prose(text, "s4", **{"t4.review.total": 6}), "P002")
    assert (f.expected, f.actual) == (6, 5)


@pytest.mark.parametrize("why, text, read", [
    ("文件 right after the count: documents", "经公开属性审查，予以公开26件文件。", []),
    ("信息 one character after the count is the next clause", "办理结果中，予以公开5件，部分公开4件，信息不存在无法提供3件。",
     [(("t3.granted.total",), 5), (("t3.partial.total",), 4),
      (("t3.unable_none.total", "t3.unable_create.total", "t3.unable_unclear.total"), 3)]),
    ("信息 in the gap but 申请 in the clause: applications", "全年依申请予以公开政府信息6件。", [(("t3.granted.total",), 6)]),
])
def test_documents_or_applications_by_the_words_around_an_outcome(why, text, read):
    assert _read(with_prose(text), "s1") == read, why


def test_a_documents_outcome_never_fires_and_an_application_one_does():
    assert found(with_prose("经公开属性审查，予以公开26件文件。"), "P001") == []
    (f,) = found(with_prose("办理结果中，予以公开5件，部分公开4件，信息不存在无法提供3件。"), "P001")
    assert (f.cells, f.expected, f.actual) == (["t3.partial.total", "s1"], 3, 4)


def test_a_blank_total_is_noted_in_a_figure_message():
    (f,) = found(with_prose("本年新收政府信息公开申请15件。", **{"t3.new.total": None}), "P001")
    assert f.message == ("“一、总体情况”中写道“本年新收政府信息公开申请15件。”：本年新收申请 15 件，表三中为 13 件"
                         "（表三“本年新收”行“总计”列），相差 2 件（表三“本年新收”行“总计”列为空，按该行各栏之和 13 计）")


# --- P006: shares ------------------------------------------------------------------------------------

def test_a_share_finding_names_its_cells_and_values():
    (f,) = found(with_prose("依申请公开办理结果中，予以公开5件，占30%。"), "P006")
    assert f.cells == ["t3.granted.total", "t3.total.total", "s1"]
    assert (f.expected, f.actual) == (Decimal("35.7"), Decimal(30))


def test_a_blank_total_is_noted_in_a_share_message():
    (f,) = found(with_prose("依申请公开办理结果中，予以公开5件，占30%。", **{"t3.granted.total": None}), "P006")
    assert f.message == ("“一、总体情况”中写道“依申请公开办理结果中，予以公开5件，占30%。”：予以公开占 30%，按表三计算为 35.7%（5/14）"
                         "（表三“予以公开”行“总计”列为空，按该行各栏之和 5 计）")


def test_a_long_sentence_is_quoted_around_its_share():
    sentence = LONG_LEAD * 2 + "依申请公开办理结果中，予以公开5件，占30%，部分公开3件。"
    (f,) = found(with_prose(sentence), "P006")
    (quote,) = _quotes(f.message)
    assert quote.startswith("…") and quote.endswith("部分公开3件。") and "占30%" in quote

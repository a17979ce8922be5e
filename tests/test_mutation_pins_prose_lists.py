"""Where a list of parts after 其中/包括 ends, pinned where mutation testing found it unpinned
(issue 16, ``prose_check._list_items`` and its helpers).

A list's items are read up to its separator level (、 inside ，, ， inside ；), past a share
written after a comma, and only while each clause is an item: a count with a short label.
What is read decides P005 (the parts against the stated total) and P007 (the shares): an
approximate item leaves the list unchecked, a list word right after another (其中包括) is
one list, a list that breaks down the last item of the list before it is checked on its
own, and a clause that is not an item (a long one, a date, an average) ends the list.

Three gaps found on the way are fixed here: 1.2万条 was read as the item 万 (= 0), an item
with a bracketed note over 60 characters ended the list, and 主要有/具体是 after an item
were read as more parts of the outer total instead of a breakdown of that item.
"""

import pytest

from addin.document.prose_check import parts_lists

from test_mutation_pins_prose import found, with_prose


def _parts(sentence):
    return [(pl.total, pl.parts, pl.partial) for pl in parts_lists(sentence)]


def test_an_approximate_item_leaves_the_list_unchecked():
    exact = "全年共受理政府信息公开申请50件，其中自然人申请40件、法人或其他组织申请8件。"
    assert _parts(exact) == [(50, [40, 8], False)]
    assert len(found(with_prose(exact), "P005")) == 1
    about = "全年共受理政府信息公开申请50件，其中自然人申请40余件、法人或其他组织申请8件。"
    assert parts_lists(about) == []
    assert found(with_prose(about), "P005") == []


def test_two_list_words_in_a_row_open_one_list():
    (f,) = found(with_prose("全年新增主动公开政府信息300条，其中包括政策文件120条、工作动态170条。"), "P005")
    assert "120+170" in f.message


def test_a_breakdown_of_the_last_item_after_a_list_is_checked_on_its_own():
    sentence = "全年主动公开政府信息300条，其中政策文件类120条，工作动态类180条，其中图片新闻60条、通知公告110条。"
    assert _parts(sentence) == [(300, [120, 180], False), (180, [60, 110], False)]
    (f,) = found(with_prose(sentence), "P005")
    assert "60+110" in f.message and "180" in f.message


def test_a_share_after_a_comma_stays_with_its_item_in_a_comma_list():
    sentence = "本年度办结申请20件，其中予以公开10件，占比50%，部分公开6件，占比{}%，不予公开4件，占比20%。"
    (pl,) = parts_lists(sentence.format(30))
    assert [(it.value, it.share) for it in pl.items] == [(10, 50), (6, 30), (4, 20)]
    assert found(with_prose(sentence.format(30)), "P007") == []
    (f,) = found(with_prose(sentence.format(35)), "P007")
    assert "35" in f.message


@pytest.mark.parametrize("total, fires", [(20, False), (21, True)])
def test_two_items_joined_by_a_dunhao_inside_a_comma_list(total, fires):
    sentence = f"本年度办结申请{total}件，其中予以公开12件，部分公开3件，无法提供3件、不予处理2件。"
    assert _parts(sentence) == [(total, [12, 3, 3, 2], False)]
    assert len(found(with_prose(sentence), "P005")) == fires


def test_figures_after_the_first_clause_are_not_the_list():
    # the outcomes after 其中大部分……， are not introduced by 其中, and leave out the rest
    sentence = "本年共收到政府信息公开申请25件，其中大部分通过网上提交，予以公开15件、部分公开3件。"
    assert parts_lists(sentence) == []
    assert found(with_prose(sentence), "P005") == []


@pytest.mark.parametrize("total, fires", [(25, False), (26, True)])
def test_items_that_all_name_their_verb(total, fires):
    sentence = f"全年共办理政府信息公开申请{total}件，其中本年新收20件，上年结转5件。"
    assert _parts(sentence) == [(total, [20, 5], False)]
    assert len(found(with_prose(sentence), "P005")) == fires


def test_a_first_item_with_a_total_word_is_still_an_item():
    sentence = "全年主动公开政府信息500条，其中共发布政策文件200条、工作动态290条。"
    assert _parts(sentence) == [(500, [200, 290], False)]
    assert len(found(with_prose(sentence), "P005")) == 1


def test_a_short_clause_with_a_date_ends_a_complete_list():
    sentence = "全年主动公开政府信息60条，其中政策文件30条，工作动态20条，数据截至12月底。"
    assert _parts(sentence) == [(60, [30, 20], False)]
    assert len(found(with_prose(sentence), "P005")) == 1


def test_a_long_clause_after_the_list_is_not_an_item():
    sentence = ("全年受理申请35件，其中自然人申请30件，法人或其他组织申请5件，"
                "对于申请人提出的涉及商业秘密和个人隐私的信息依法不予公开2件。")
    assert _parts(sentence) == [(35, [30, 5], False)]
    assert found(with_prose(sentence), "P005") == []


# an item's label is at most 25 characters long (a longer one is a clause, not an item)
LABEL_25 = "依托区政府门户网站政府信息公开专栏发布的政策解读稿"
LABEL_26 = "依托区政府门户网站政府信息公开专栏发布的政策解读材料"


@pytest.mark.parametrize("label, total, parts", [(LABEL_25, 100, [40, 30, 30]), (LABEL_26, 70, [40, 30])])
def test_the_longest_label_of_an_item(label, total, parts):
    assert (len(LABEL_25), len(LABEL_26)) == (25, 26)
    sentence = f"全年主动公开政府信息{total}条，其中通知公告40条，工作动态30条，{label}30条。"
    assert _parts(sentence) == [(total, parts, False)]
    assert found(with_prose(sentence), "P005") == []


# a note in brackets after an item, however long, is part of the item
NOTE = "（含以市政府及市政府办公室名义制发的政府规章2件、行政规范性文件12件、部门其他各类政策性文件10件）"


@pytest.mark.parametrize("total, fires", [(100, False), (101, True)])
def test_an_item_with_a_long_note_in_brackets(total, fires):
    item = f"政策文件类信息24条{NOTE}"
    assert len(item) > 60
    sentence = f"全年主动公开政府信息{total}条，其中{item}，工作动态类信息76条。"
    assert _parts(sentence) == [(total, [24, 76], False)]
    assert len(found(with_prose(sentence), "P005")) == fires


def test_counts_of_bodies_before_their_figures_are_not_read_as_the_list():
    # 10 and 5 are what each body published, not the parts of 40: the list is left alone
    sentence = "全年共发布信息40条，其中3个街道各发布10条、2个部门各发布5条。"
    assert parts_lists(sentence) == []
    assert found(with_prose(sentence), "P005") == []


@pytest.mark.parametrize("big", ["1.2万条", "1万2千条", "12千条"])
def test_a_count_in_ten_thousands_is_not_read_as_its_last_character(big):
    # 1.2万条 was read as the item 万 = 0 (and 12千条 as 1000): a false 500+0 = 500 against 12500
    sentence = f"全年通过各平台发布信息12500条，其中政府网站发布500条、政务微博发布{big}。"
    assert parts_lists(sentence) == []
    assert found(with_prose(sentence), "P005") == []
    assert _parts("全年通过各平台发布信息2500条，其中政府网站发布500条、政务微博发布2000条。") == [
        (2500, [500, 2000], False)]


def test_an_average_with_a_decimal_point_ends_the_list():
    sentence = "全年受理申请25件，其中自然人申请20件，法人或其他组织申请5件，月均2.1件。"
    assert _parts(sentence) == [(25, [20, 5], False)]
    assert found(with_prose(sentence), "P005") == []


@pytest.mark.parametrize("total, fires", [(100, False), (101, True)])
def test_a_comma_inside_the_bracket_of_an_item_does_not_end_a_dunhao_list(total, fires):
    sentence = f"全年主动公开政府信息{total}条，其中政策文件24条（含规章2件，规范性文件22件）、工作动态76条。"
    assert _parts(sentence) == [(total, [24, 76], False)]
    assert len(found(with_prose(sentence), "P005")) == fires


@pytest.mark.parametrize("word", ["包括", "主要有", "具体是"])
def test_a_list_word_after_an_item_breaks_that_item_down(word):
    # 20 and 100 are parts of 政策文件类 120, not further parts of 300 (was a false 120+20+100 = 240)
    sentence = (f"全年主动公开政府信息300条，其中政策文件类120条，{word}规范性文件20条、其他政策文件100条；"
                "工作动态类180条。")
    assert [(pl.total, pl.parts) for pl in parts_lists(sentence)] == [(120, [20, 100])]
    assert found(with_prose(sentence), "P005") == []
    off = sentence.replace("100条", "110条")
    (f,) = found(with_prose(off), "P005")
    assert "20+110" in f.message


def test_a_short_list_with_an_unnumbered_item_is_read_once():
    # a list that may leave items out is flagged when its parts exceed the total, and only once
    (f,) = found(with_prose("全年发布信息4条，其中包括通知3条、公告2条、其他工作信息若干。"), "P005")
    assert "3+2" in f.message and "有未写数字的分项" in f.message


@pytest.mark.parametrize("total, fires", [(273, False), (300, True)])
@pytest.mark.parametrize("sep", ["、", "，"])
def test_an_items_bracketed_breakdown_keeps_the_outer_list(total, fires, sep):
    # the bracket's own 、/， separate its sub-items, not the outer list's (which was never
    # read at all: the outer 300 against 24+83+166 went unchecked)
    sentence = (f"全年新增主动公开政府信息{total}条，其中工作动态166条{sep}机构职能24条（含领导信息4条{sep}"
                f"机构设置20条）{sep}政策文件83条。")
    assert [(pl.total, pl.parts) for pl in parts_lists(sentence)] == [(total, [166, 24, 83]), (24, [4, 20])]
    assert len(found(with_prose(sentence), "P005")) == fires


@pytest.mark.parametrize("total, fires", [(200, False), (210, True)])
def test_a_dunhao_list_whose_items_carry_comma_shares_is_read_whole(total, fires):
    # the ，of the first item's share (，占比25%) is not where a 、-list ends
    sentence = f"全年发布信息{total}条，其中通知公告50条，占比25%、工作动态150条，占比75%。"
    assert [(pl.total, pl.parts) for pl in parts_lists(sentence)] == [(total, [50, 150])]
    assert len(found(with_prose(sentence), "P005")) == fires

"""The six section headings found wherever published text puts them (addin/importers/sections.py):
run into their text, stuck to the paragraph before, a whole page on one line, title
variants, a merged report's 五、其他需要报告的事项, a report's own numbering, no 一、 at all;
and the import says which were found (I009)."""

import pytest

from addin.errors import InputError
from addin.importers.assemble import assemble
from addin.importers.sections import locate, titles
from addin.importers.text import tokenize_text
from addin.importers.tokens import merge_split_labels

TITLE = "示例县农业农村局2023年政府信息公开工作年度报告\n"
S5 = "存在的问题：一是公开内容不够丰富。改进措施：一是加强培训。"


def found(text):
    tokens, headings = locate(merge_split_labels(tokenize_text(text)))
    return [k for _, k in headings], tokens


def imported(text):
    return assemble(tokenize_text(text))


def test_heading_run_into_its_text():
    text = TITLE + "一、总体情况2023年，本局坚持公开为常态。\n五、存在的主要问题及改进情况存在的问题：一是内容单一。\n六、其他需要报告的事项无。"
    keys, _ = found(text)
    assert keys == ["s1", "s5", "s6"]
    r = imported(text)
    assert r.sections["s1"] == "2023年，本局坚持公开为常态。"
    assert r.sections["s5"] == "存在的问题：一是内容单一。" and r.sections["s6"] == "无。"


def test_heading_stuck_to_the_paragraph_before():
    text = TITLE + "一、总体情况\n本局坚持公开为常态，落实到位。二、主动公开政府信息情况\n五、存在的主要问题及改进情况\n" + S5 + "六、其他需要报告的事项\n无。"
    keys, _ = found(text)
    assert keys == ["s1", "s2", "s5", "s6"]
    r = imported(text)
    assert r.sections["s1"] == "本局坚持公开为常态，落实到位。" and r.sections["s5"] == S5 and r.sections["s6"] == "无。"


def test_whole_page_on_one_line():
    text = (TITLE.strip() + " 一、总体情况 本局坚持公开为常态。 二、主动公开政府信息情况 略。 三、收到和处理政府信息公开申请情况 略。"
            " 四、政府信息公开行政复议、行政诉讼情况 略。 五、存在的主要问题及改进情况 " + S5 + " 六、其他需要报告的事项 无。")
    keys, _ = found(text)
    assert keys == ["s1", "s2", "s3", "s4", "s5", "s6"]
    r = imported(text)
    assert r.sections["s1"] == "本局坚持公开为常态。" and r.sections["s6"] == "无。"


@pytest.mark.parametrize("heading", ["五、存在的主要问题及整改措施", "五、存在的问题及改进措施", "五、存在的主要问题和改进情况",
                                     "五、政府信息公开工作存在的主要问题及改进情况"])
def test_title_variants(heading):
    keys, _ = found(TITLE + "一、总体情况\n正文。\n" + heading + "\n" + S5 + "\n六、其他需要报告的事项\n无。")
    assert keys == ["s1", "s5", "s6"]


def test_merged_report_numbers_other_matters_five():
    """A report that merged two sections: its 五 is 其他需要报告的事项 — the title decides."""
    text = TITLE + "一、总体情况\n正文。\n四、存在的主要问题及改进情况\n" + S5 + "\n五、其他需要报告的事项\n本年度未收取信息处理费。"
    keys, _ = found(text)
    assert keys == ["s1", "s5", "s6"]
    assert imported(text).sections["s6"] == "本年度未收取信息处理费。"


@pytest.mark.parametrize("number", ["第{}部分 ", "（{}）", "{}."])
def test_own_numbering(number):
    cn = "一二三四五六"
    n = (lambda i: str(i + 1)) if number == "{}." else (lambda i: cn[i])
    text = (TITLE + number.format(n(0)) + "总体情况\n正文一。\n" + number.format(n(1)) + "主动公开政府信息情况\n略。\n"
            + number.format(n(4)) + "存在的主要问题及改进情况\n" + S5 + "\n" + number.format(n(5)) + "其他需要报告的事项\n无。")
    keys, _ = found(text)
    assert keys == ["s1", "s2", "s5", "s6"]
    assert imported(text).sections["s1"] == "正文一。"


def test_points_inside_the_overview_are_not_headings():
    """（一）主动公开政府信息情况 inside 一、总体情况 is a point of it, not section 二."""
    text = (TITLE + "一、总体情况\n（一）主动公开政府信息情况\n全年公开信息12条。\n（二）依申请公开情况\n未收到申请。\n"
            "二、主动公开政府信息情况\n略。\n五、存在的主要问题及改进情况\n" + S5 + "\n六、其他需要报告的事项\n无。")
    keys, tokens = found(text)
    assert keys == ["s1", "s2", "s5", "s6"]
    assert "全年公开信息12条。" in imported(text).sections["s1"]


def test_a_heading_known_by_its_number_only_fits_between_the_others():
    text = (TITLE + "一、总体情况\n正文。\n二、主动公开政府信息情况\n略。\n三、本机关依申请公开工作\n略。\n"
            "四、政府信息公开行政复议、行政诉讼情况\n略。\n五、存在的主要问题及改进情况\n" + S5)
    keys, _ = found(text)
    assert keys == ["s1", "s2", "s3", "s4", "s5"]
    # a numbered point inside the overview is not taken for a later section
    keys, _ = found(TITLE + "一、总体情况\n五、加强监督\n正文。\n二、主动公开政府信息情况\n略。")
    assert keys == ["s1", "s2"]


def test_table_of_contents_is_skipped():
    text = (TITLE + "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
            "一、总体情况\n正文。\n二、主动公开政府信息情况\n略。\n五、存在的主要问题及改进情况\n" + S5)
    assert imported(text).sections["s1"] == "正文。"


def test_words_of_a_title_inside_prose_are_not_a_heading():
    text = (TITLE + "一、总体情况\n全文由总体情况、主动公开政府信息情况、存在的主要问题及改进情况、其他需要报告的事项组成。\n"
            "二、主动公开政府信息情况\n略。")
    keys, _ = found(text)
    assert keys == ["s1", "s2"]


def test_no_heading_one_the_overview_follows_the_title():
    text = TITLE + "2023年，本局坚持公开为常态，全年公开政府信息126条。\n二、主动公开政府信息情况\n略。\n五、存在的主要问题及改进情况\n" + S5
    r = imported(text)
    assert r.sections["s1"] == "2023年，本局坚持公开为常态，全年公开政府信息126条。"
    [i009] = [p for p in r.problems if p.rule == "I009"]
    assert "没有“一、”标题" in i009.message and "没有找到第一、三、四、六部分的标题" in i009.message


def test_a_report_with_no_heading_at_all_is_read_not_refused():
    r = imported(TITLE + "2023年，本局坚持公开为常态，全年公开政府信息126条，其中政策文件26条，工作动态100条。")
    assert r.sections == {"s1": "2023年，本局坚持公开为常态，全年公开政府信息126条，其中政策文件26条，工作动态100条。"}
    [i009] = [p for p in r.problems if p.rule == "I009"]
    assert "没有找到任何一部分的标题" in i009.message


def test_text_that_is_not_a_report_is_still_refused():
    with pytest.raises(InputError, match="不像是"):
        imported("今天天气晴。\n明天有雨。")


def test_all_six_found_says_nothing():
    text = (TITLE + "一、总体情况\n正文。\n二、主动公开政府信息情况\n略。\n三、收到和处理政府信息公开申请情况\n略。\n"
            "四、政府信息公开行政复议、行政诉讼情况\n略。\n五、存在的主要问题及改进情况\n" + S5 + "\n六、其他需要报告的事项\n无。")
    assert [p for p in imported(text).problems if p.rule == "I009"] == []


def test_titles_come_from_the_format_data():
    t = titles()
    assert "存在的主要问题及整改措施" in t["s5"] and "其他需要报告的事项" in t["s6"] and "总体情况" in t["s1"]


@pytest.mark.parametrize("text", [
    TITLE + "一、总体情况正文。" * 20_000,  # a heading again and again on one line
    TITLE + "一、总体情况\n" + "全年公开信息12条。二、主动公开政府信息情况" * 10_000,
    TITLE + "一、总体情况 " + "二、" * 100_000,
], ids=["repeated-heading", "repeated-stuck-heading", "numbers-only"])
def test_pathological_headings_are_read_in_linear_time(text):
    """Shapes that made the heading search quadratic once; finishing at all is the test."""
    assert "s1" in imported(text).sections


def test_points_of_the_overview_are_not_headings_when_no_other_heading_follows():
    """A page cut after 总体情况 (or a short report): its （一）主动公开情况 and
    （二）依申请公开政府信息情况 are points of 总体情况 — their number disagrees with the
    section their title names — so the overview keeps all its text."""
    text = (TITLE + "一、总体情况\n（一）主动公开情况\n2023年本局公开政策文件8条，工作动态40条。\n"
            "（二）依申请公开政府信息情况\n本年度未收到申请。\n（三）政府信息管理情况\n落实三审制度。")
    keys, _ = found(text)
    assert keys == ["s1"]
    s1 = imported(text).sections["s1"]
    assert "工作动态40条" in s1 and "未收到申请" in s1
    # after an official 一、 heading, a point numbered (二) whose title is section 二's is
    # still a point: the report numbers its points (一)(二), its sections 一、二、
    text = (TITLE + "一、总体情况\n本局坚持公开为常态。\n（一）完善制度建设。落实三审制度。\n"
            "（二）主动公开情况。全年在网站公开信息85条。\n（三）依申请公开情况。未收到申请。")
    keys, _ = found(text)
    assert keys == ["s1"]
    assert "公开信息85条" in imported(text).sections["s1"]
    # a report numbered with its own (二) whose title is section 二 still has that heading
    keys, _ = found(TITLE + "（一）总体情况\n正文。\n（二）主动公开政府信息情况\n略。")
    assert keys == ["s1", "s2"]

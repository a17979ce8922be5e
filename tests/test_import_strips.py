"""Plain ``pdftotext`` strips (addin/importers/strips.py): a table's cells printed as flows
in poppler's reading order are placed only where the table's identities verify one
layout; anything else stays unplaced and is said."""

import pytest

from addin.formats import load_format
from addin.importers.strips import _derive_last, flows, place_t4, solve, t3_identities
from addin.importers.text import tokenize_text
from addin.importers.tokens import Token

#: A 3×3 toy table: the last column is the sum of the others, and in every column
#: row 0 + row 1 = row 2 (like 本年新收 + 上年结转 = 总计 + 结转).
IDS = [[1, 1, -1]]
TRUTH = [["1", "2", "3"], ["4", "0", "4"], ["5", "2", "7"]]


def run(values, headed=False, after=False, page=0):
    return (list(values), headed, after, page)


def test_flows_down_the_columns_in_a_staircase_are_put_back():
    # poppler: rows 0-1 of column 0, of column 1, then row 2's cells, then column 2's first two
    runs = [run(["1", "4"], after=True), run(["2", "0"]), run(["5"]), run(["2"]), run(["3", "4"], after=True),
            run(["7"])]
    assert solve(runs, 3, 3, IDS) == TRUTH


def test_a_heading_block_printed_before_the_cells_to_its_left_is_held():
    runs = [run(["2", "0"], headed=True, after=True), run(["1", "4"]), run(["3", "4"]), run(["5"]), run(["2"]),
            run(["7"])]
    assert solve(runs, 3, 3, IDS) == TRUTH


def test_a_heading_block_that_took_in_the_cell_below_it():
    # the block under a heading holds columns 1-2 of rows 0-1, then column 1 of row 2
    runs = [run(["1", "4"], after=True), run(["5"]), run(["2", "3", "0", "4", "2"], headed=True, after=True),
            run(["7"])]
    assert solve(runs, 3, 3, IDS) == TRUTH


def test_cells_two_layouts_disagree_on_are_not_placed():
    # rows [0 0 0] [1 1 2] [1 1 2], printed down the columns: read across the rows instead,
    # another layout verifies too, so only the cells both agree on are placed
    values = ["0", "1", "1", "0", "1", "1", "0", "2", "2"]
    after = [True, False, True, True, True, False, True, False, False]
    got = solve([run([v], after=a) for v, a in zip(values, after)], 3, 3, IDS)
    assert got == [["0", None, None], [None, "1", None], [None, None, "2"]]


def test_no_layout_that_adds_up_places_nothing():
    runs = [run(["1", "4"], after=True), run(["2", "0"]), run(["5"]), run(["2"]), run(["3", "4"], after=True),
            run(["8"])]
    assert solve(runs, 3, 3, IDS) is None
    assert solve(runs[:-1], 3, 3, IDS) is None  # a cell lost (a blank cell prints nothing)


def test_a_page_is_read_whole_before_the_next():
    # the same flows, but the page turns before row 2 is complete: not a poppler order
    runs = [run(["1", "4"], after=True), run(["2", "0"]), run(["5"]), run(["2"], page=1),
            run(["3", "4"], after=True, page=1), run(["7"], page=1)]
    assert solve(runs, 3, 3, IDS) is None


def test_the_last_row_alone_on_a_page_is_what_the_identities_leave():
    t3 = load_format("2021").table("t3")
    keys = [r.key for r in t3.rows]
    rows = {k: ["0"] * 7 for k in keys[:-1]}  # every row but the last (结转下年度)
    rows["new"] = ["2", "1", "0", "0", "0", "0", "3"]
    rows["carried"] = ["1", "0", "0", "1", "0", "0", "2"]
    rows["granted"] = rows["total"] = ["2", "1", "0", "1", "0", "0", "4"]
    rows = [rows[k] for k in keys[:-1]]
    ids = t3_identities(t3)
    # 结转下年度 = 本年新收 + 上年结转 − 总计 = [1 0 0 0 0 0 1]; printed in another order
    assert _derive_last(rows, ids, ["0", "1", "0", "0", "1", "0", "0"]) == ["1", "0", "0", "0", "0", "0", "1"]
    assert _derive_last(rows, ids, ["0", "2", "0", "0", "0", "0", "0"]) is None  # not the printed values


def test_t4_by_heading_k_th_value_under_a_heading_is_part_k():
    text = ("四、政府信息公开行政复议、行政诉讼情况\n结果维持\n3\n结果维持\n0\n结果维持\n1\n\n行政复议\n结果纠正\n其他结果\n尚未审结\n4\n0\n0\n"
            "行政诉讼（未经复议直接起诉）\n结果纠正\n其他结果\n尚未审结\n4\n1\n0\n行政诉讼（复议后起诉）\n结果纠正\n其他结果\n尚未审结\n"
            "0\n0\n0\n\n总计\n7\n总计\n5\n总计\n1\n")
    toks = tokenize_text(text)
    got = place_t4(toks, 0, len(toks), load_format("2021").table("t4"))
    assert got == ([["3", "4", "0", "0", "7"], ["0", "4", "1", "0", "5"], ["1", "0", "0", "0", "1"]], "heading")


def test_t4_part_with_its_headings_on_one_page_and_cells_on_the_next():
    text = ("行政复议\n其他结果\n0\n\n结果维持\n3\n\n结果纠正\n0\n\n尚未审结\n0\n\n总计\n3\n\n结果维持\n0\n"
            "行政诉讼（未经复议直接起诉）\n结果纠正\n其他结果\n尚未审结\n0\n0\n6\n\n总计\n6\n\n结果维持\n\n"
            "行政诉讼（复议后起诉）\n其他结果\n\n总计\n\n结果纠正\n\f尚未审结\n\n1\n\n5\n\n0\n\n0\n\n6\n")
    toks = tokenize_text(text)
    got = place_t4(toks, 0, len(toks), load_format("2021").table("t4"))
    assert got == ([["3", "0", "0", "0", "3"], ["0", "0", "0", "6", "6"], ["1", "5", "0", "0", "6"]], "heading")
    # the same without the page break: the cells are given to the headings in their printed order
    toks = tokenize_text(text.replace("\f", ""))
    assert place_t4(toks, 0, len(toks), load_format("2021").table("t4")) is None


def test_t4_values_that_do_not_add_up_are_not_placed():
    text = "结果维持\n3\n结果维持\n0\n结果维持\n1\n结果纠正\n4\n4\n0\n其他结果\n0\n1\n0\n尚未审结\n0\n0\n0\n总计\n7\n5\n2\n"
    toks = tokenize_text(text)
    assert place_t4(toks, 0, len(toks), load_format("2021").table("t4")) is None


@pytest.mark.parametrize("text,gaps", [("规章\n0\n\n0\n", [0, 0, 1]), ("0\n\f0\n", [0, 2])])
def test_blank_lines_and_page_breaks_are_marked(text, gaps):
    assert [t.gap for t in tokenize_text(text)] == gaps


def test_flows_end_at_blank_lines_and_text_and_carry_their_marks():
    toks = [Token("申请人情况"), Token("1"), Token("2"), Token("3", gap=1), Token("自然人"), Token("4", gap=1),
            Token("5", gap=2)]
    assert flows(toks, 0, len(toks)) == [(["1", "2"], True, True, 0), (["3"], False, False, 0),
                                          (["4"], False, True, 0), (["5"], False, False, 1)]


def test_a_number_under_another_blocks_heading_is_not_the_rows():
    from addin.importers.assemble import assemble

    text = ("青禾县水利局2023年政府信息公开工作年度报告\n一、总体情况\n略。\n二、主动公开政府信息情况\n信息内容\n行政许可\n"
            "行政事业性收费\n本年处理决定数量\n0\n第二十条第（八）项\n本年收费金额（单位：万元）\n58.774\n"
            "三、收到和处理政府信息公开申请情况\n")
    rep = assemble(tokenize_text(text))
    assert "t2.fees.amount" not in rep.cells or rep.cells["t2.fees.amount"].raw != "0"

"""The format definitions: every cell key of the data model, the official layouts."""

import pytest

from addin.formats import FORMATS, format_for_year, load_format
from addin.layout import template_locations


@pytest.mark.parametrize("fmt,counts", [("2019", (22, 161, 15)), ("2021", (10, 175, 15))])
def test_cell_counts_match_the_official_tables(fmt, counts):
    f = load_format(fmt)
    assert tuple(len(t.cell_keys()) for t in f.tables) == counts


def test_data_model_keys_exist():
    f21, f19 = load_format("2021"), load_format("2019")
    for key in ["t3.new.natural", "t3.total.total", "t3.forward.legal", "t4.review.total", "t4.suit_direct.upheld",
                "t2.fees.amount", "t2.normative.in_force", "t3.other_misc.other"]:
        assert key in f21.cells
    for key in ["t2.license.change", "t2.procurement.amount", "t2.other_services.prev_items", "t3.other.total"]:
        assert key in f19.cells
        assert key not in f21.cells
    assert "t3.other_misc.total" not in f19.cells


def test_value_kinds():
    assert load_format("2019").cells["t2.license.change"].kind == "signed_count"
    assert load_format("2019").cells["t2.procurement.amount"].kind == "money"
    assert load_format("2021").cells["t2.fees.amount"].kind == "wan_yuan"
    assert load_format("2021").cells["t3.new.natural"].kind == "count"


@pytest.mark.parametrize("fmt,span", [("2019", 20), ("2021", 22)])
def test_t3_layout_merges_like_the_official_table(fmt, span):
    grid = load_format(fmt).table("t3").grid()
    labels = {c.text: c for c in grid.cells if c.role == "label"}
    assert labels["三、本年度办理结果"].rowspan == span
    assert labels["（三）不予公开"].rowspan == 8
    assert labels["（四）无法提供"].rowspan == 3
    assert labels["（五）不予处理"].rowspan == 5
    assert labels["一、本年新收政府信息公开申请数量"].colspan == 3
    assert labels["（七）总计"].colspan == 2
    header = [c for c in grid.cells if c.role == "header"]
    assert header[0].rowspan == 3 and header[0].colspan == 3 and "勾稽关系" in header[0].text
    assert {c.text: c.colspan for c in header}["法人或其他组织"] == 5
    assert grid.cols == 10


def test_t3_2021_splits_other_into_three_rows():
    labels = [c for c in load_format("2021").table("t3").grid().cells if c.role == "label"]
    other = next(c for c in labels if c.text == "（六）其他处理")
    assert other.rowspan == 3 and other.colspan == 1
    labels19 = [c for c in load_format("2019").table("t3").grid().cells if c.role == "label"]
    assert next(c for c in labels19 if c.text == "（六）其他处理").colspan == 2


def test_t4_is_one_row_of_fifteen():
    grid = load_format("2021").table("t4").grid()
    data = grid.data_cells()
    assert len(data) == 15 and {c.row for c in data} == {3}
    assert [c.key for c in data][:5] == ["t4.review.upheld", "t4.review.corrected", "t4.review.other",
                                         "t4.review.pending", "t4.review.total"]
    assert {c.text: c.colspan for c in grid.cells if c.role == "header"}["行政诉讼"] == 10


def test_t2_blocks_have_captions_and_fill_the_width():
    grid = load_format("2021").table("t2").grid()
    captions = [c.text for c in grid.cells if c.role == "caption"]
    assert captions == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    fee = next(c for c in grid.data_cells() if c.key == "t2.fees.amount")
    assert fee.colspan == 3
    assert "第二十条第（九）项" in [c.text for c in load_format("2019").table("t2").grid().cells]


@pytest.mark.parametrize("fmt", FORMATS)
def test_template_locations_are_unique(fmt):
    locs = template_locations(load_format(fmt))
    assert len(set(locs.values())) == len(locs) == len(load_format(fmt).keys)


def test_format_for_year():
    assert format_for_year(2020) == "2019" and format_for_year(2021) == "2021" and format_for_year(2030) == "2021"


def test_unknown_format_is_a_chinese_error():
    with pytest.raises(KeyError, match="未知的报告格式"):
        load_format("2018")

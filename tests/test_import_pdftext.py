"""Text taken from PDFs and OCR: every fixture with a truth file imports exactly, and the
shapes behind them (wrapped labels, page furniture, rows out of line with their labels,
lost cells, glued digits, 表四 in blocks, the agency's name) each have a focused test."""

import importlib.util
import sys
from pathlib import Path

import pytest

from addin.importers.assemble import assemble
from addin.importers.text import drop_page_furniture, tokenize_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def _eval():
    spec = importlib.util.spec_from_file_location("eval_corpus", ROOT / "scripts" / "eval_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["eval_corpus"] = mod
    spec.loader.exec_module(mod)
    return mod


def _fixture_cases():
    out = []
    for truth in sorted(FIXTURES.rglob("*.truth.json")):
        src = truth.with_name(truth.name[: -len(".truth.json")])
        if src.is_file():
            out.append(pytest.param(src, truth, id=src.name))
    return out


#: Plain ``pdftotext`` (no ``-layout``) of tables drawn by LibreOffice: the cells come out
#: in interleaved column strips, blanks dropped, that cannot be put back with certainty.
#: Their tables are known to be lost: nothing may be wrong or invented, and the import
#: findings must say which rows were not read. (The same PDFs, and their ``-layout``
#: text, are read whole.)
COLUMN_STRIPS = {"landscape-tables.txt", "picture-table.txt", "t3-break-running-head.txt", "t4-blocks.txt"}


@pytest.mark.parametrize("src,truth", _fixture_cases())
def test_fixture_imports_every_readable_cell(src, truth):
    row = _eval().score(src, truth)
    assert "refused" not in row, row.get("refused")
    if src.name in COLUMN_STRIPS:
        assert (row["wrong"], row["spurious"]) == (0, 0), row["bad"]
        assert row["missing"] > 0 and {"I004", "I007"} & set(row["findings"]), row  # lost, and said so
    else:
        assert (row["wrong"], row["missing"], row["spurious"]) == (0, 0, 0), row["bad"]
    assert row["agency_ok"] and row["year_ok"] and row["format_ok"], row


def test_score_counts_wrong_missing_and_spurious(tmp_path):
    src = tmp_path / "r.txt"
    src.write_text(TITLE + "二、主动公开政府信息情况\n规章 | 1 | 2 | 3 |\n行政规范性文件 | 4 | 5 | 6 |\n", encoding="utf-8")
    truth = tmp_path / "r.txt.truth.json"
    truth.write_text('{"format": "2021", "year": 2023, "agency": "青禾县水利局", "values": '
                     '{"t2.rules.issued": 1, "t2.rules.repealed": 9, "t2.rules.in_force": "", '
                     '"t2.normative.issued": 4, "t2.license.decisions": 7}, '
                     '"unreadable": ["t2.normative.repealed"]}', encoding="utf-8")
    row = _eval().score(src, truth)
    # issued right; repealed wrong; in_force published empty but 3 imported: spurious;
    # license missing; normative.in_force not in the truth at all: spurious; repealed unreadable: not scored
    assert (row["right"], row["wrong"], row["missing"], row["spurious"]) == (2, 1, 1, 2)


TITLE = "青禾县水利局2023年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开信息52条。\n"


def imported(text: str):
    return assemble(tokenize_text(text))


# --- the agency's name -----------------------------------------------------------------

AGENCIES = {
    "title over two lines": ("青禾市临川区住房和城乡建设局 2024 年\n政府信息公开工作年度报告\n一、总体情况\n略。",
                             "青禾市临川区住房和城乡建设局"),
    "title over three lines": ("青禾市临川区\n住房和城乡建设局2024年政府信息\n公开工作年度报告\n一、总体情况\n略。",
                               "青禾市临川区住房和城乡建设局"),
    "title runs into the paragraph": (
        "桐山市水务局2020年政府信息公开工作年度报告根据《条例》规定,特编制本报告。\n一、总体情况\n略。", "桐山市水务局"),
    "title ending 年报": ("石门乡人民政府2022年度政务公开年报\n一、总体情况\n略。", "石门乡人民政府"),
    "特编制": ("根据《中华人民共和国政府信息公开条例》规定,特编制青禾县统计局2023年政府信息公开工作年度报告。\n"
              "一、总体情况\n略。", "青禾县统计局"),
    "由……编制, 以下简称 dropped": (
        "本报告由青禾县人力资源和社会保障局(以下简称“县人社局”)编制。\n一、总体情况\n略。", "青禾县人力资源和社会保障局"),
    "现将……公布如下": ("现将青禾县医疗保障局2023年政府信息公开工作年度报告公布如下。\n一、总体情况\n略。", "青禾县医疗保障局"),
    "由……根据《条例》编制": ("本报告由青禾县审计局根据《条例》要求编制。\n一、总体情况\n略。", "青禾县审计局"),
    "联系单位": ("联系单位：青禾县档案馆办公室；联系电话：0000-1234567。\n一、总体情况\n略。", "青禾县档案馆"),
    "title with the site's name after it": ("青禾县粮食和物资储备局2023年政府信息公开工作年度报告_青禾县人民政府\n一、总体情况\n略。",
                                            "青禾县粮食和物资储备局"),
    "……关于……的报告": ("青禾县人民政府办公室关于2023年度政府信息公开工作的报告\n一、总体情况\n略。", "青禾县人民政府办公室"),
    "site menu lines before the title": ("首页\n信息公开\n政府信息公开年报\n青禾县司法局2023年政府信息公开工作年度报告\n"
                                         "一、总体情况\n略。", "青禾县司法局"),
    "letter-spaced title": ("青 禾 县 科 学 技 术 局\n2 0 2 3 年 政 府 信 息 公 开 工 作 年 度 报 告\n一、总体情况\n略。",
                            "青禾县科学技术局"),
    "portal catalogue fields": ("索引号：11410100/2024-00012\n发布机构：青禾县教育体育局\n生成日期：2024-01-18\n"
                                "标题：2023年政府信息公开工作年度报告\n一、总体情况\n略。", "青禾县教育体育局"),
    "标题： label on the title": ("标题：青禾县水务局2023年政府信息公开工作年度报告\n一、总体情况\n略。", "青禾县水务局"),
    "来源 when nothing else names it": ("发布时间:2024-01-20 来源:青禾县统计局 浏览次数:\n一、总体情况\n本年度主动公开信息9条。",
                                      "青禾县统计局"),
    "来源 原创 names nobody": ("来源:原创 发布时间:2024-01-20\n一、总体情况\n本年度主动公开信息9条。", ""),
    "subject of 总体情况": ("一、总体情况\n2023年,在区委、区政府的领导下,临川街道办事处认真贯彻落实《条例》。", "临川街道办事处"),
    "contact office is the last resort": ("如有疑问,请与青禾县林业局办公室联系。\n一、总体情况\n略。", "青禾县林业局"),
    "政府办公室 keeps its 办公室": ("如有疑问,请与青禾县人民政府办公室联系。\n一、总体情况\n略。", "青禾县人民政府办公室"),
    "a name inside 《》 is never the agency": (
        "根据《青禾县人民政府关于做好2023年政府信息公开工作年度报告的通知》要求编制本报告。\n一、总体情况\n我局全年公开信息9条。",
        ""),
    "我局 names nobody": ("一、总体情况\n2023年,我局认真贯彻《条例》。", ""),
    "区政府办公室 names no district": ("一、总体情况\n2022年,区政府办公室认真贯彻执行《条例》。", ""),
}


@pytest.mark.parametrize("case", sorted(AGENCIES))
def test_agency(case):
    text, want = AGENCIES[case]
    assert imported(text).agency == want


def test_title_beats_the_contact_office():
    text = "青禾县农业农村局\n2023年政府信息公开工作年度报告\n如有疑问,请与县政务公开办公室联系。\n一、总体情况\n略。"
    assert imported(text).agency == "青禾县农业农村局"


def test_report_with_a_title_but_no_numbered_heading_is_accepted():
    rep = imported("青禾县气象局2023年政府信息公开工作年度报告\n本年度我局主动公开信息30条,未收到政府信息公开申请。")
    assert rep.agency == "青禾县气象局" and rep.year == 2023
    # the tables were not found (I001) and no heading either (I009): said, not invented
    assert {p.rule for p in rep.problems} == {"I001", "I009"}
    assert "主动公开信息30条" in rep.sections["s1"]  # the text after the title is read as 总体情况
    assert not rep.cells


def test_text_that_is_not_a_report_is_still_refused():
    from addin.errors import InputError

    with pytest.raises(InputError):
        imported("会议纪要\n关于做好防汛工作的通知,请各单位认真落实。")


# --- page furniture ----------------------------------------------------------------------

def test_decorated_page_numbers_are_dropped():
    text = "规章\n0\n- 3 -\n0\n—4—\n第 5 页\n0\n第2页 共9页\n"
    assert [ln for ln in drop_page_furniture(text).split("\n") if ln] == ["规章", "0", "0", "0"]


def test_bare_numbers_at_page_ends_are_dropped_only_when_they_count_pages():
    counting = "甲\n1\f乙\n2\f丙\n3"
    assert [ln for ln in drop_page_furniture(counting).split("\n") if ln] == ["甲", "乙", "丙"]
    values = "规章\n0\f0\n0\f"  # a table value at the foot of a page is kept
    assert drop_page_furniture(values).split() == ["规章", "0", "0", "0"]


def test_signed_value_on_its_own_line_is_not_a_page_number():
    assert drop_page_furniture("本年增/减\n-35\n").split() == ["本年增/减", "-35"]


# --- rows, cells, columns -----------------------------------------------------------------

T2_2019 = ("南岭县白沙镇人民政府2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
           "信息内容\n上一年项目数量\n本年增/减\n处理决定数量\n")


def test_row_missing_a_middle_cell_is_not_shifted():
    rep = imported(T2_2019 + "行政许可\n6\n18\n其他对外管理服务事项\n3\n0\n41\n")
    assert not any(k.startswith("t2.license.") for k in rep.cells)  # 6 and 18: which two columns? unknown
    assert rep.cells["t2.other_services.decisions"].value == 41
    finding = next(p for p in rep.problems if p.rule == "I004")
    assert "行政许可" in finding.message and "无法确定" in finding.message and "t2.license" in finding.cells


def test_row_missing_a_cell_is_placed_when_the_values_decide():
    rep = imported(T2_2019 + "行政许可\n-1\n0\n其他对外管理服务事项\n3\n0\n41\n")
    assert "t2.license.prev_items" not in rep.cells
    assert rep.cells["t2.license.change"].value == -1 and rep.cells["t2.license.decisions"].value == 0


def test_row_cut_off_at_the_end_keeps_its_first_cells():
    rep = imported(T2_2019 + "行政许可\n6\n18")
    assert rep.cells["t2.license.prev_items"].value == 6 and rep.cells["t2.license.change"].value == 18


@pytest.mark.parametrize("value", ["0012", "000", "152790元", "2.5"])
def test_value_that_cannot_be_one_count_is_a_finding(value):
    rep = imported(T2_2019 + f"行政许可\n{value}\n0\n3\n其他对外管理服务事项\n3\n0\n41\n")
    assert not any(k.startswith("t2.license.") for k in rep.cells)
    finding = next(p for p in rep.problems if p.rule == "I011")
    assert value in finding.message and finding.severity == "error"


def test_cells_whose_separators_were_lost_are_split():
    rep = imported(TITLE + "二、主动公开政府信息情况\n| 规章 | 0 0 2 |\n| 行政规范性文件 | 1 | 0 | 4 |\n| 行政许可 | 5 |\n")
    assert [rep.cells[f"t2.rules.{c}"].value for c in ("issued", "repealed", "in_force")] == [0, 0, 2]


def test_token_without_a_digit_is_never_a_value():
    rep = imported(T2_2019 + "行政许可\n本年\n度办\n3\n")
    assert not any(c.raw in ("本年", "度办") for c in rep.cells.values())


def test_repeated_label_the_copy_with_numbers_wins():
    rep = imported(TITLE + "二、主动公开政府信息情况\n| 行政许可 |\n| 行政许可 | 36 |\n| 行政处罚 | 4 |\n")
    assert rep.cells["t2.license.decisions"].value == 36
    assert not [p for p in rep.problems if p.rule == "I004"]


def test_pipe_rows_end_at_the_line_end_and_plain_lines_are_read():
    text = (TITLE + "二、主动公开政府信息情况\n| 规章 | 0 | 0 |\n| 行政规范性文件 | 1 | 0 | 4 |\n"
            "第二十条第(五)项\n行政许可 12\n| 行政处罚 | 3 |\n")
    rep = imported(text)
    assert "t2.rules.in_force" not in rep.cells  # the line end is not an empty third cell
    assert rep.cells["t2.license.decisions"].value == 12 and rep.cells["t2.penalty.decisions"].value == 3


def test_t4_in_three_blocks_with_glued_header_words():
    text = (TITLE + "四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼\n行政复议\n结果维持 结果纠正 其他结果 尚未审结 总计\n"
            "1 0 0 0 1\n行政诉讼(未经复议直接起诉)\n结果维持 结果纠正 其他结果 尚未审结 总计\n0 2 0 0 2\n"
            "行政诉讼(复议后起诉)\n类别 数据1 数据2 数据3 数据4\n0 0 0 1 1\n")
    rep = imported(text)
    got = [rep.cells[f"t4.{r}.total"].value for r in ("review", "suit_direct", "suit_after_review")]
    assert got == [1, 2, 1]
    assert rep.cells["t4.suit_direct.corrected"].value == 2


def test_rows_placed_by_order_are_a_finding_naming_them():
    text = (TITLE + "二、主动公开政府信息情况\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n"
            "0\n0\n0\n规章\n2\n0\n9\n行政规范性文件\n5\n行政许可\n1\n行政处罚\n0\n行政强制\n0.5\n行政事业性收费\n")
    rep = imported(text)
    assert rep.cells["t2.normative.in_force"].value == 9 and str(rep.cells["t2.fees.amount"].value) == "0.5"
    finding = next(p for p in rep.problems if p.rule == "I010")
    assert "t2.rules" in finding.cells and finding.severity == "warning"


def test_rows_are_not_placed_by_order_when_the_count_does_not_fit():
    text = (TITLE + "二、主动公开政府信息情况\n0\n0\n规章\n2\n0\n9\n行政规范性文件\n5\n行政许可\n")
    rep = imported(text)
    assert not [p for p in rep.problems if p.rule == "I010"]
    assert rep.cells["t2.rules.issued"].value == 2  # the labels decide; the two orphan zeros are not placed
    assert "t2.normative.repealed" not in rep.cells


def test_t3_read_column_by_column_is_put_back_in_rows():
    import random

    from addin.examples import random_report
    from addin.formats import load_format

    rep = random_report("2021", random.Random(5))
    t3 = load_format("2021").table("t3")
    rows = [r.key for r in t3.rows]
    cols = [c.key for c in t3.columns]
    labels = "\n".join(r.label for r in t3.rows)
    numbers = "\n".join(str(rep.cells[f"t3.{r}.{c}"].value) for c in cols for r in rows)
    text = TITLE + "三、收到和处理政府信息公开申请情况\n申请人情况\n" + labels + "\n" + numbers + "\n四、政府信息公开行政复议、行政诉讼情况\n"
    got = imported(text)
    assert all(got.cells[f"t3.{r}.{c}"].value == rep.cells[f"t3.{r}.{c}"].value for r in rows for c in cols)
    assert any(p.rule == "I010" for p in got.problems)


@pytest.mark.parametrize("label,row", [("（三）不予公开1.属于国家秘密", "denied_secret"),
                                       ("三、本年度办理结果（一）予以公开", "granted"),
                                       ("（四）无法提供 1.本机关不掌握相关政府信息", "unable_none")])
def test_spanning_heading_glued_to_a_row_label(label, row):
    from addin.importers.anchors import label_index

    hit = label_index("2021").match(label)
    assert hit is not None and (hit.table, hit.row) == ("t3", row)


def test_t4_values_out_of_order_with_its_header_are_not_placed():
    text = (TITLE + "四、政府信息公开行政复议、行政诉讼情况\n结果维持\n3\n结果维持\n0\n行政复议\n结果纠正\n其他结果\n4\n0\n"
            "行政诉讼(未经复议直接起诉)\n总计\n7\n五、存在的主要问题及改进情况\n无。\n")
    rep = imported(text)
    assert not any(k.startswith("t4.") for k in rep.cells)
    finding = next(p for p in rep.problems if p.rule == "I004" and "表四" in p.message)
    assert "无法确定" in finding.message


def test_row_with_more_values_than_columns_is_not_imported():
    rep = imported(T2_2019 + "行政许可\n1\n0\n1\n0\n0\n其他对外管理服务事项\n3\n0\n41\n")
    assert not any(k.startswith("t2.license.") for k in rep.cells)
    assert any(p.rule == "I007" and "t2.license" in p.cells for p in rep.problems)


def test_t2_block_printed_column_by_column():
    text = (TITLE + "二、主动公开政府信息情况\n第二十条第（一）项\n本年制发件数\n3\n8\n信息内容\n规章\n行政规范性文件\n"
            "本年废止件数\n22\n0\n现行有效件数\n0\n5\n本年处理决定数量\n7\n信息内容\n行政许可\n本年处理决定数量\n0\n1\n"
            "信息内容\n行政处罚\n行政强制\n本年收费金额（单位：万元）\n41.2939\n行政事业性收费\n三、收到和处理政府信息公开申请情况\n")
    rep = imported(text)
    got = {k: c.value for k, c in rep.cells.items() if k.startswith("t2.")}
    assert [got[f"t2.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [3, 22, 0]
    assert [got[f"t2.normative.{c}"] for c in ("issued", "repealed", "in_force")] == [8, 0, 5]
    assert (got["t2.license.decisions"], got["t2.penalty.decisions"], got["t2.coercion.decisions"]) == (7, 0, 1)
    assert str(got["t2.fees.amount"]) == "41.2939"
    assert any(p.rule == "I010" for p in rep.problems)


def test_block_search_gives_up_quickly_when_nothing_fits():
    from addin.importers.order import place_in_blocks

    widths = [7] * 25
    assert place_in_blocks([["0"] * 7] * 24 + [["0"] * 6], widths, lambda r: True) is None  # one value short
    ones = [["1"] * 35] * 5  # the right count, but no row adds up
    assert place_in_blocks(ones, widths, lambda r: sum(map(int, r[:-1])) == int(r[-1])) is None
    zeros = [["0"] * 25 for _ in range(7)]  # one block of 25 rows, column by column
    assert place_in_blocks(zeros, widths, lambda r: True) == [["0"] * 7] * 25

"""The real variations of published tables, each on our own synthetic fixture: the
importer anchors rows and columns on their labels however the labels are written, and
says what it could not read instead of inventing numbers."""

import random
import sys
import unicodedata
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "import"))
from published import render_html, render_text  # noqa: E402

from addin.examples import random_report  # noqa: E402
from addin.importers import import_report  # noqa: E402
from addin.importers.anchors import label_index, norm, section_heading  # noqa: E402
from addin.validate import validate  # noqa: E402


def src(fmt="2021", seed=3):
    return random_report(fmt, random.Random(seed))


def imp(tmp_path, text, name="r.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return import_report(p)


def lost(a, b):
    return [k for k in a.cells if b.cells.get(k) is None or b.cells[k].value != a.cells[k].value]


def rules(report):
    return [p.rule for p in report.problems]


@pytest.mark.parametrize("shape", ["rows", "lines", "html"])
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_ascii_punctuation(tmp_path, shape, fmt):
    r = src(fmt)
    ascii_ = lambda t: unicodedata.normalize("NFKC", t).replace("“", '"').replace("”", '"').replace("、", ",", 0)  # noqa: E731
    text = render_html(r, relabel=ascii_) if shape == "html" else render_text(r, shape, relabel=ascii_)
    got = imp(tmp_path, text, "r.html" if shape == "html" else "r.txt")
    assert lost(r, got) == [] and rules(got) == []


@pytest.mark.parametrize("shape", ["rows", "cells", "lines"])
def test_spaces_inside_labels(tmp_path, shape):
    r = src("2019")
    spaced = lambda t: " ".join(t) if len(t) <= 5 else t.replace("政府信息", "政府 信息")  # noqa: E731
    got = imp(tmp_path, render_text(r, shape, relabel=spaced))
    assert lost(r, got) == [] and rules(got) == []


@pytest.mark.parametrize("fmt,cuts", [("2019", {"本年新制作数量": "本年新", "本年新公开数量": "本年新", "本年增/减": "本年增/"}),
                                      ("2021", {"现行有效件数": "现行有效件", "商业企业": "商业", "本年收费金额（单位：万元）": "本年收费金额"})])
def test_cut_header_cells(tmp_path, fmt, cuts):
    r = src(fmt)
    got = imp(tmp_path, render_text(r, "lines", relabel=lambda t: cuts.get(t, t)))
    assert got.format == fmt and lost(r, got) == []


def test_header_split_over_two_lines(tmp_path):
    r = src("2019")
    text = render_text(r, "tabs").replace("\t本年新制作数量", "\t本年新\n制作数量").replace("\t商业企业", "\t商业\n企业")
    got = imp(tmp_path, text)
    assert got.format == "2019" and lost(r, got) == []


def test_long_definition_glued_to_row_label(tmp_path):
    r = src("2019")
    defs = {"规章": "规章：本表所称规章，指有权机关依照法定程序制定、名称多为规定或办法的文件。",
            "规范性文件": "规范性文件（指本机关制发、对不特定对象普遍适用、可反复适用的文件）"}
    got = imp(tmp_path, render_text(r, "cells", relabel=lambda t: defs.get(t, t)))
    assert lost(r, got) == [] and rules(got) == []


def test_2019_row_wording_inside_a_2021_table(tmp_path):
    r = src("2021")
    got = imp(tmp_path, render_text(r, "rows", relabel=lambda t: "规范性文件" if t == "行政规范性文件" else t))
    assert got.format == "2021" and lost(r, got) == []
    assert "t2.normative.in_force" in got.cells


@pytest.mark.parametrize("headings", [
    {"s1": "一、概述", "s4": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"},
    {"s1": "一、2023年政府信息公开工作的总体情况", "s5": "五、政府信息公开工作存在的主要问题及改进情况",
     "s2": "二、行政机关主动公开政府信息情况", "s6": "六、其它需要报告的事项"},
])
def test_heading_variants(tmp_path, headings):
    r = src("2021")
    got = imp(tmp_path, render_text(r, "rows", headings=headings))
    assert lost(r, got) == []
    for key in ("s1", "s5", "s6"):
        assert got.sections[key].split() == r.sections[key].split()


def test_numbered_point_inside_prose_is_not_a_heading():
    assert section_heading("三、加强考核。我局将公开工作纳入年度考核。") is None
    assert section_heading("三、 收到和处理政府信息公开申请情况") == "s3"
    assert section_heading("四、结转下年度继续办理") is None


def test_published_value_forms(tmp_path):
    r = src("2019")
    text = render_text(r, "rows")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("行政许可 |"):
            lines[i] = "行政许可 | 40 | 增15 | 245 |"
        elif line.startswith("行政处罚 |"):
            lines[i] = "行政处罚 | 60 | 减4 | １２ |"
        elif line.startswith("行政强制 |"):
            lines[i] = "行政强制 | \u3000\u30005 | +(0) -(0) | / |"
        elif line.startswith("政府集中采购 |"):
            lines[i] = "政府集中采购 | 4 | 240万元 |"
        elif line.startswith("行政事业性收费 |"):
            lines[i] = "行政事业性收费 | 2 |  |"
    got = imp(tmp_path, "\n".join(lines))
    c = got.cells
    assert c["t2.license.change"].value == 15 and c["t2.penalty.change"].value == -4
    assert c["t2.penalty.decisions"].value == 12 and c["t2.coercion.prev_items"].value == 5
    assert c["t2.coercion.change"].value == 0 and c["t2.coercion.decisions"].state == "na"
    assert str(c["t2.procurement.amount"].value) == "240"
    assert c["t2.fees.change"].state == "empty"  # an empty published cell stays empty, not 0
    assert c["t2.license.change"].raw == "增15"


def test_missing_table_is_reported_not_padded(tmp_path):
    r = src("2021")
    got = imp(tmp_path, render_text(r, "rows", tables=("t2", "t3")))
    assert not any(k.startswith("t4.") for k in got.cells)
    assert rules(got) == ["I001"] and "表四" in got.problems[0].message
    assert "F003" in [f.rule for f in validate(got)]


@pytest.mark.parametrize("shape", ["rows", "cells", "lines", "tabs"])
def test_cut_off_table_lists_the_rows_found(tmp_path, shape):
    r = src("2021")
    text = render_text(r, shape)
    cut = text.index("4.保护第三方合法权益")
    got = imp(tmp_path, text[:cut + len("4.保护第三方合法权益") + 3])
    found = [p for p in got.problems if p.rule == "I002"]
    assert len(found) == 1 and "表三" in found[0].message
    assert "本年新收" in found[0].message and "不予公开·国家秘密" in found[0].message
    assert "t3.forward.total" in " ".join(found[0].cells) or "t3.forward" in found[0].cells
    assert "t3.unable_none.natural" not in got.cells and not any(k.startswith("t4.") for k in got.cells)
    assert [p.rule for p in got.problems].count("I001") == 1  # 表四 not found at all


def test_row_cut_mid_way_keeps_what_is_there(tmp_path):
    r = src("2021")
    text = render_text(r, "cells")
    start = text.index("二、上年结转政府信息公开申请数量 |")
    cut = start + len("二、上年结转政府信息公开申请数量 |")
    for _ in range(3):
        cut = text.index("|", cut + 1)
    got = imp(tmp_path, text[:cut + 1])
    assert [k for k in got.cells if k.startswith("t3.carried")] == ["t3.carried.natural", "t3.carried.commercial",
                                                                    "t3.carried.research"]
    assert "I004" in rules(got)


def test_extra_row_is_reported_and_does_not_shift_others(tmp_path):
    r = src("2019")
    text = render_text(r, "rows", extra_rows={"t2": (4, ["其他主动公开文件", "3", "5", "9"])})
    got = imp(tmp_path, text)
    assert lost(r, got) == []
    assert rules(got) == ["I003"] and "其他主动公开文件" in got.problems[0].message


def test_blank_row_label_is_inferred_by_position(tmp_path):
    r = src("2021")
    text = render_text(r, "lines").replace("\n规章\n", "\n  \n", 1)
    got = imp(tmp_path, text)
    assert lost(r, got) == []
    assert rules(got) == ["I006"]


def test_2019_tables_in_a_2022_report(tmp_path):
    r = src("2019")
    r.year = 2022
    got = imp(tmp_path, render_text(r, "rows"))
    assert got.format == "2019" and got.year == 2022
    assert "F001" in [f.rule for f in validate(got)]


def test_format_is_told_by_labels():
    idx = label_index("2021")
    assert idx.match("本年制发件数").kind == "header"
    assert idx.match("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请").row == "other_no_correction"
    assert idx.match("3.补正后申请内容").row == "unable_unclear"  # a cut cell
    assert label_index("2019").match("(六)其他处理").row == "other"
    assert label_index("2021").match("(六)其他处理").kind == "group"
    assert norm("（一）予以 公开") == norm("(一)予以公开")


def test_nbsp_and_ideographic_spaces(tmp_path):
    r = src("2021")
    text = render_text(r, "rows").replace("规章 |", "规\u3000章\xa0|").replace("行政处罚 |", "行政\xa0处罚 |")
    got = imp(tmp_path, text)
    assert lost(r, got) == []


def test_2019_single_other_row_inside_a_2021_table_is_reported(tmp_path):
    r = src("2021")
    text = render_text(r, "rows", extra_rows={"t3": (26, ["", "（六）其他处理", "1", "0", "0", "0", "0", "0", "1"])})
    got = imp(tmp_path, text)
    assert lost(r, got) == []
    assert "I003" in rules(got) and "其他处理" in got.problems[0].message


def test_label_worded_a_little_differently(tmp_path):
    r = src("2021")
    reword = {"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请":
              "1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请":
              "2.申请人逾期未按收费通知缴纳费用，行政机关不再处理其政府信息公开申请",
              "5.要求行政机关确认或重新出具已获取信息": "5.要求行政机关确认或者重新出具已获取信息"}
    got = imp(tmp_path, render_text(r, "rows", relabel=lambda t: reword.get(t, t)))
    assert lost(r, got) == [] and rules(got) == []


FIXTURES = Path(__file__).parent / "fixtures" / "import"


def test_handwritten_cut_page():
    """Our own page text: breadcrumbs, spaces in labels, a glued definition, a cut header
    cell, “/”, a 4-decimal 万元 amount, and a table cut off mid-row."""
    got = import_report(FIXTURES / "handwritten_2021_cut.txt")
    assert (got.format, got.year, got.agency) == ("2021", 2024, "示例县农机服务中心")
    assert got.contact == {"address": "示例县城关镇农机路8号", "postcode": "999999", "phone": "0000-1234567"}
    n = got.number
    assert (n("t2.rules.in_force"), n("t2.normative.issued"), n("t2.normative.in_force")) == (0, 1, 4)
    assert n("t2.license.decisions") == 12 and n("t2.penalty.decisions") == 3
    assert got.cell("t2.coercion.decisions").state == "na"
    assert str(n("t2.fees.amount")) == "0.0350"
    assert [n(f"t3.new.{c}") for c in ("natural", "commercial", "total")] == [2, 1, 3]
    assert n("t3.granted.total") == 2 and n("t3.partial.natural") == 1
    assert [k for k in got.cells if k.startswith("t3.denied_secret")] == [
        "t3.denied_secret.natural", "t3.denied_secret.commercial", "t3.denied_secret.research",
        "t3.denied_secret.nonprofit"]
    assert not any(k.startswith(("t3.unable", "t4.")) for k in got.cells)
    assert sorted(rules(got)) == ["I001", "I002", "I004", "I009"]
    assert got.sections["s1"].startswith("全年围绕")


def test_added_subtotal_column_is_skipped_by_its_header(tmp_path):
    import test_import_rules as tr  # the same fixture as the I008 rule test

    r = tr.report("2021")
    got = imp(tmp_path, tr._subtotal_column())
    assert lost(r, got) == []
    assert rules(got) == ["I008"] and "小计" in got.problems[0].message

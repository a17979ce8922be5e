"""Generated narrative: every sentence kind, its numbers read from the cells, the per-section
choice, and the guarantee that generated text never contradicts the tables."""

import random
import re
from decimal import Decimal

import pytest

from addin.document.narrative import (
    build_document, clean_text, generated_sections, generated_sentences, preamble, prose_paragraphs,
)
from addin.errors import InputError
from addin.examples import example_report, example_values, random_report
from addin.model import Report
from addin.validate import validate


def report(fmt="2021", changes=None, **kw):
    base = example_report(fmt)
    values = {**example_values(fmt), **(changes or {})}
    return Report.from_values(fmt, values, year=kw.get("year", base.year), agency=kw.get("agency", base.agency),
                              contact=kw.get("contact", base.contact), sections=kw.get("sections", base.sections))


def text(r, section, prev=None):
    return "".join(generated_sentences(r, section, prev))


def test_preamble_states_period_basis_and_contact():
    [p] = preamble(report())
    assert "统计期限为2025年1月1日至2025年12月31日" in p.text
    assert "国办公开办函〔2021〕30号" in p.text
    assert "地址：示例市示例区政务服务中心北楼三层" in p.text and "邮编：100000" in p.text and "电话：010-00000000" in p.text
    assert "“存在的主要问题及改进情况”" in p.text  # the six parts, from the format's section headings
    [p19] = preamble(report("2019"))
    assert "国办公开办函〔2019〕60号" in p19.text and "2020年1月1日至2020年12月31日" in p19.text


def test_preamble_without_contact_or_year():
    [p] = preamble(report(year=None, contact={}))
    assert "统计期限" not in p.text and "地址" not in p.text and "请与示例市示例区数据资源管理局联系" in p.text


def test_t2_sentences_2021():
    t = text(report(), "s2")
    assert "规章本年制发0件、废止0件、现行有效0件" in t
    assert "行政规范性文件本年制发3件、废止1件、现行有效17件" in t
    assert "行政许可处理决定245件" in t and "行政处罚处理决定12件" in t and "行政强制处理决定0件" in t
    assert "本年行政事业性收费金额0.35万元" in t


def test_t2_sentences_2019():
    t = text(report("2019"), "s2")
    assert "规范性文件本年新制作3件、新公开3件、对外公开总数17件" in t
    assert "其他对外管理服务事项上一年12项，本年减少1项" in t and "行政许可事项上一年40项，本年增加2项" in t
    assert "本年政府集中采购项目4个，总金额36.5万元" in t


def test_t3_sentences_received_carried_answered_forward_and_shares():
    t = text(report(), "s3")
    assert "本年新收政府信息公开申请13件" in t and "上年结转2件" in t
    assert "本年度办理完结14件" in t and "结转下年度继续办理1件" in t
    assert "自然人提出9件，法人或其他组织提出4件" in t
    # shares of 办理结果总计 14: 予以公开 5 → 35.7%; 不予公开 group sums its eight rows
    assert ("在办理结果中，予以公开5件、部分公开3件、不予公开1件、无法提供3件、不予处理1件、其他处理1件，"
            "分别占办理结果总数的35.7%、21.4%、7.1%、21.4%、7.1%、7.1%。") in t
    assert "总计" not in t.split("在办理结果中")[1]  # （七）总计 is the base, not an outcome


def test_t3_single_outcome_share():
    only = {k: 0 for k in example_values("2021") if k.startswith("t3.")}
    only.update({"t3.new.natural": 4, "t3.new.total": 4, "t3.granted.natural": 4, "t3.granted.total": 4,
                 "t3.total.natural": 4, "t3.total.total": 4})
    assert "在办理结果中，予以公开4件，占办理结果总数的100%。" in text(report(changes=only), "s3")


def test_t3_no_applications():
    zero = {k: 0 for k in example_values("2021") if k.startswith("t3.")}
    assert text(report(changes=zero), "s3") == "本年度未收到政府信息公开申请，也没有上年结转的申请。"


def test_t4_sentences():
    t = text(report(), "s4")
    assert "被申请行政复议2件，其中结果维持1件、尚未审结1件" in t
    assert "被提起行政诉讼1件（未经复议直接起诉1件），其中结果纠正1件" in t
    zero = {k: 0 for k in example_values("2021") if k.startswith("t4.")}
    assert text(report(changes=zero), "s4") == "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"


def test_overview_sentence_for_section_one():
    t = text(report(), "s1")
    assert t.startswith("2025年，示例市示例区数据资源管理局")
    assert "新收政府信息公开申请13件" in t and "被申请行政复议2件" in t and "被提起行政诉讼1件" in t


def test_change_against_last_year():
    prev = report(changes={"t3.new.natural": 5, "t3.new.total": 9, "t4.review.upheld": 3, "t4.review.total": 4,
                           "t2.fees.amount": Decimal("0.35")}, year=2024)
    now = report()
    assert "本年新收政府信息公开申请13件（较上年的9件增加4件）" in text(now, "s3", prev)
    assert "被申请行政复议2件（较上年的4件减少2件）" in text(now, "s4", prev)
    assert "收费金额0.35万元（与上年的0.35万元持平）" in text(now, "s2", prev)
    assert "较上年" not in text(now, "s3")  # no last year, no comparison


def test_change_against_a_2019_format_year_uses_only_shared_cells():
    prev = report("2019", year=2020)
    t = text(report(), "s2", prev)
    assert "收费金额0.35万元。" in t  # 2019 has no 收费金额: not compared
    assert "行政许可处理决定245件（与上年的245件持平）" in t


def test_empty_or_na_cell_is_left_out_never_written_as_zero():
    r = report(changes={"t2.normative.repealed": "", "t2.penalty.decisions": "/", "t3.carried.total": ""})
    t2, t3 = text(r, "s2"), text(r, "s3")
    assert "行政规范性文件本年制发3件、现行有效17件" in t2
    assert "行政处罚" not in t2
    assert "上年结转" not in t3 and "本年新收政府信息公开申请13件" in t3


def test_default_sections_and_the_clerks_choice():
    r = report()
    assert generated_sections(r) == {"s2", "s3", "s4"}
    assert generated_sections(report(sections={"s1": " ", "s5": "无", "s6": "无"})) == {"s1", "s2", "s3", "s4"}
    assert generated_sections(r, "all") == {"s1", "s2", "s3", "s4"}
    assert generated_sections(r, "none") == set()
    assert generated_sections(r, "s1, s3") == {"s1", "s3"}
    with pytest.raises(InputError, match="无法识别的部分"):
        generated_sections(r, "s5")
    doc = build_document(r, generate={"s3"})
    gen = {s.key: [p.text for p in s.paragraphs if p.generated] for s in doc.sections}
    assert gen["s3"] and not gen["s2"] and not gen["s4"] and not gen["s1"]


def test_clerks_text_before_a_table_comes_before_the_generated_sentences():
    r = report(sections={**example_report("2021").sections, "s3": "本年度依申请公开工作平稳有序。"})
    s3 = build_document(r).sections[2]
    assert s3.paragraphs[0].text == "本年度依申请公开工作平稳有序。" and not s3.paragraphs[0].generated
    assert s3.paragraphs[1].generated and s3.table.key == "t3"


def test_clerks_prose_subheadings_and_repeated_heading():
    paras = prose_paragraphs("一、总体情况\n（一）主动公开\n全年公开信息。\n\n（二）依申请公开情况较好，全年无投诉。",
                             "一、总体情况")
    assert [(p.style, p.text) for p in paras] == [
        ("subheading", "（一）主动公开"), ("body", "全年公开信息。"), ("body", "（二）依申请公开情况较好，全年无投诉。")]


def test_control_characters_are_stripped():
    assert clean_text("本年\x00度\x07报告\x1b\r\n第二行\ufffe") == "本年度报告\n第二行"
    doc = build_document(report(agency="示例\x01局", sections={"s1": "正文\x0b内容", "s5": "无", "s6": "无"}))
    assert doc.title == "示例局2025年政府信息公开工作年度报告"
    assert doc.sections[0].paragraphs[-1].text == "正文内容"


def test_title_and_its_two_natural_lines():
    doc = build_document(report())
    assert doc.title == "示例市示例区数据资源管理局2025年政府信息公开工作年度报告"
    assert doc.title_parts == ["示例市示例区数据资源管理局2025年", "政府信息公开工作年度报告"]
    untitled = build_document(report(agency="", year=None))
    assert untitled.title == "政府信息公开工作年度报告" and untitled.title_parts == ["政府信息公开工作年度报告"]


def test_document_has_six_sections_and_three_tables_in_order():
    doc = build_document(report())
    assert [s.heading[:2] for s in doc.sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert [s.table.key if s.table else None for s in doc.sections] == [None, "t2", "t3", "t4", None, None]
    assert doc.cell_text("t2.fees.amount") == "0.35"
    r = report(changes={"t3.denied_law.research": "/", "t3.granted.legal": ""})
    doc = build_document(r)
    assert doc.cell_text("t3.denied_law.research") == "/" and doc.cell_text("t3.granted.legal") == ""


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_generated_sentences_never_contradict_the_tables(fmt):
    """Put every generated sentence into the prose and run the prose checks: no finding."""
    rng = random.Random(7 + int(fmt))
    for _ in range(60):
        r = random_report(fmt, rng)
        prev = random_report(fmt, rng)
        r.sections = {k: "".join(generated_sentences(r, k, prev)) for k in ("s1", "s2", "s3", "s4")}
        r.sections.update({"s5": "无。", "s6": "无。"})
        prose = [f for f in validate(r, prev=prev) if f.rule.startswith("P")]
        assert prose == [], [f.message for f in prose]
        numbers = re.findall(r"\d+(?:\.\d+)?", "".join(r.sections.values()))
        assert numbers  # the sentences do carry figures

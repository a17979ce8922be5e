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
    assert "统计期限" not in p.text and "地址：" not in p.text
    assert "本年度报告由示例市示例区数据资源管理局依据" in p.text and "请与我局联系。" in p.text  # as the clerk writes
    [p] = preamble(report(year=None, contact={}, sections={}))
    assert "请与本机关联系。" in p.text


def test_t2_sentences_2021_fold_zeros_and_name_decisions_as_clerks_do():
    t = text(report(), "s2")
    assert "行政规范性文件制发3件、废止1件，现行有效17件" in t
    assert "未制发、废止规章，亦无现行有效的规章" in t  # the all-zero row, folded
    assert "作出行政许可决定245件、行政处罚决定12件；未作出行政强制决定。" in t
    assert "处理决定" not in t and "0件" not in t
    assert "收取行政事业性收费0.35万元" in t
    zero = {k: 0 for k in example_values("2021") if k.startswith("t2.")}
    assert text(report(changes=zero), "s2") == (
        "本年未制发、废止规章和行政规范性文件，亦无现行有效的规章和行政规范性文件。"
        "未作出行政许可、行政处罚和行政强制决定。未收取行政事业性收费。")


def test_t2_sentences_2019_in_its_own_wording():
    t = text(report("2019"), "s2")
    assert "规范性文件新制作3件、新公开3件，对外公开总数17件" in t
    assert "行政许可事项上年40项，本年新增2项，作出处理决定245件" in t
    assert "其他对外管理服务事项上年12项，本年减少1项" in t
    assert "行政处罚事项上年60项，本年无增减，作出处理决定12件" in t
    assert "行政强制事项上年5项，本年无增减，未作出处理决定" in t
    assert "政府集中采购项目4个，总金额36.5万元" in t
    zero = {k: 0 for k in example_values("2019") if k.startswith("t2.")}
    z = text(report("2019", changes=zero), "s2")
    assert "无行政许可、其他对外管理服务、行政处罚、行政强制和行政事业性收费事项" in z
    assert "上年0项" not in z and "本年无增减" not in z and "未开展政府集中采购" in z


def test_t3_sentences_received_carried_answered_forward_and_shares():
    t = text(report(), "s3")
    assert "本年新收政府信息公开申请13件，上年结转2件；办理完结14件，结转下年度继续办理1件。" in t
    assert "自然人提出9件，法人或其他组织提出4件" in t
    # each share beside its item, of 办理结果总计 14; 不予公开 sums its eight rows
    assert ("从办理结果看，予以公开5件，占35.7%；部分公开3件，占21.4%；不予公开1件，占7.1%；"
            "无法提供3件，占21.4%；不予处理1件，占7.1%；其他处理1件，占7.1%。") in t
    assert "分别占" not in t and "总计" not in t.split("从办理结果看")[1]


def test_t3_single_outcome_share_and_single_kind_of_applicant():
    only = {k: 0 for k in example_values("2021") if k.startswith("t3.")}
    only.update({"t3.new.natural": 4, "t3.new.total": 4, "t3.granted.natural": 4, "t3.granted.total": 4,
                 "t3.total.natural": 4, "t3.total.total": 4})
    t = text(report(changes=only), "s3")
    assert "从办理结果看，予以公开4件，占100%。" in t
    assert "新收申请均由自然人提出。" in t
    assert "无上年结转的申请" in t and "无结转下年度办理的申请" in t and "0件" not in t


def test_t3_no_applications():
    zero = {k: 0 for k in example_values("2021") if k.startswith("t3.")}
    assert text(report(changes=zero), "s3") == "本年度未收到政府信息公开申请，也没有上年结转的申请。"


def test_t4_sentences():
    t = text(report(), "s4")
    assert "本年度因政府信息公开工作被申请行政复议2件，其中结果维持1件、尚未审结1件。" in t
    assert "被提起行政诉讼1件，为未经复议直接起诉；其中结果纠正1件。" in t
    both = report(changes={"t4.suit_after_review.pending": 2, "t4.suit_after_review.total": 2})
    assert "被提起行政诉讼3件（未经复议直接起诉1件、复议后起诉2件）；其中结果纠正1件、尚未审结2件。" in text(both, "s4")
    zero = {k: 0 for k in example_values("2021") if k.startswith("t4.")}
    assert text(report(changes=zero), "s4") == "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"


def test_overview_sentence_for_section_one_names_the_agency_as_本机关():
    t = text(report(sections={}), "s1")
    assert t == ("2025年，本机关依法做好政府信息公开工作，全年新收政府信息公开申请13件、办理完结14件，"
                 "被申请行政复议2件、被提起行政诉讼1件。")
    zero = {k: 0 for k in example_values("2021") if k.startswith(("t3.", "t4."))}
    assert text(report(changes=zero, sections={}), "s1") == (
        "2025年，本机关依法做好政府信息公开工作，全年未收到政府信息公开申请，未发生政府信息公开行政复议、行政诉讼。")


def test_change_against_last_year():
    prev = report(changes={"t3.new.natural": 5, "t3.new.total": 9, "t4.review.upheld": 3, "t4.review.total": 4,
                           "t2.fees.amount": Decimal("0.35")}, year=2024)
    now = report()
    assert "本年新收政府信息公开申请13件，较上年增加4件；上年结转2件；" in text(now, "s3", prev)
    assert "被申请行政复议2件，较上年减少2件；其中" in text(now, "s4", prev)
    assert "收取行政事业性收费0.35万元，与上年持平。" in text(now, "s2", prev)
    assert "较上年" not in text(now, "s3")  # no last year, no comparison
    assert "（" not in text(now, "s3", prev)  # a change is a clause, never a second bracket


def test_change_from_zero_and_of_amounts_in_sensible_precision():
    prev = report(changes={"t2.fees.amount": Decimal("12.621333"), "t2.penalty.decisions": 0}, year=2024)
    t = text(report(), "s2", prev)
    assert "收取行政事业性收费0.35万元，较上年减少12.27万元" in t
    assert "行政处罚决定12件，较上年增加12件" in t and "上年的0件" not in t


def test_change_against_a_2019_format_year_uses_only_shared_cells():
    prev = report("2019", year=2020)
    t = text(report(), "s2", prev)
    assert "收取行政事业性收费0.35万元。" in t  # 2019 has no 收费金额: not compared
    assert "行政许可决定245件，与上年持平" in t


def test_empty_or_na_cell_is_left_out_never_written_as_zero():
    r = report(changes={"t2.normative.repealed": "", "t2.penalty.decisions": "/", "t3.carried.total": ""})
    t2, t3 = text(r, "s2"), text(r, "s3")
    assert "行政规范性文件制发3件，现行有效17件" in t2
    assert "行政处罚" not in t2
    assert "上年结转" not in t3 and "本年新收政府信息公开申请13件" in t3


def test_closing_block_from_基本信息():
    r = report()
    assert build_document(r).closing == ["示例市示例区数据资源管理局"]  # no date typed: the signer alone
    r.signer, r.signing_date = "示例市示例区人民政府办公室", "2026-01-20 00:00:00"
    assert build_document(r).closing == ["示例市示例区人民政府办公室", "2026年1月20日"]
    r.signing_date = "2026年1月20日"
    assert build_document(r).closing[1] == "2026年1月20日"


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


def test_with_the_clerks_own_overview_the_year_is_said_once_and_the_agency_as_the_clerk_calls_it():
    r = report()  # the example's 总体情况 opens “本年度，我局坚持……”
    s1 = build_document(r, generate={"s1"}).sections[0].paragraphs
    assert s1[0].generated and s1[0].text.startswith("我局依法做好政府信息公开工作，全年新收")
    assert s1[1].text.startswith("本年度，我局")
    assert "请与我局联系" in preamble(r)[0].text
    r.sections = {**r.sections, "s1": "一年来，本委持续推进政务公开。本委……"}
    assert build_document(r, generate={"s1"}).sections[0].paragraphs[0].text.startswith("本委依法做好")
    r.sections = {**r.sections, "s1": "我县政务公开工作有序推进。"}  # a 局's report: 我县 is the county
    assert build_document(r, generate={"s1"}).sections[0].paragraphs[0].text.startswith("2025年，本机关")
    r.agency = "示例县人民政府"  # the county government's own report: 我县 is the agency
    assert build_document(r, generate={"s1"}).sections[0].paragraphs[0].text.startswith("2025年，我县")

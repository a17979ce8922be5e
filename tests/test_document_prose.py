"""Prose checked against the tables (rules P001–P006): each fires on a contradicting
sentence, quotes it, names the cells, and stays quiet on agreeing, approximate or
unrelated sentences. The example report's 表三: 新收 13, 上年结转 2, 办结 14, 结转 1,
予以公开 5 of 14; 表四: 复议 2, 诉讼 1; 表二 (2021): 行政规范性文件 制发 3 废止 1 现行有效 17,
收费 0.35 万元."""

import pytest

from addin.checks import CHECKS
from addin.document.prose_check import PROSE_CHECKS, parts_lists, sentences
from addin.examples import example_report
from addin.ruleset import builtin_rules, load_rules
from addin.validate import validate


def with_prose(text, fmt="2021", section="s1"):
    r = example_report(fmt)
    r.sections = {**r.sections, section: text}
    return r


def prose(text, fmt="2021", section="s1", prev=None):
    return [f for f in validate(with_prose(text, fmt, section), prev=prev) if f.rule.startswith("P")]


def rules_of(findings):
    return sorted(f.rule for f in findings)


# rule id → (format, section, sentence that contradicts the tables, cells the finding names)
FIRES = {
    "P001": ("2021", "s1", "本年新收政府信息公开申请15件，上年结转2件，已办结14件，结转下年度继续办理1件。",
             ["t3.new.total", "s1"]),
    "P002": ("2021", "s1", "本年度因政府信息公开工作被申请行政复议3件。", ["t4.review.total", "s1"]),
    "P003": ("2021", "s1", "本年制发行政规范性文件5件。", ["t2.normative.issued", "s1"]),
    "P004": ("2021", "s6", "本年行政事业性收费金额4000元。", ["t2.fees.amount", "s6"]),
    "P005": ("2021", "s1", "全年新增主动公开政府信息370条，包括：机构职能24条、政策文件83条、规划计划10条、工作动态166条。",
             ["s1"]),
    "P006": ("2021", "s1", "依申请公开办理结果中，予以公开占 30%。", ["t3.granted.total", "s1"]),
    "P007": ("2021", "s1", "全年发布信息200条，其中通知公告50条（25%），工作动态150条（70%）。", ["s1"]),
    "P008": ("2021", "s1", "本年度发布政策解读12篇。在加强解读回应方面，发布政策解读9篇，回应关切3次。", ["s1"]),
}
QUIET = {
    "P001": "本年新收政府信息公开申请13件，上年结转2件，已办结14件，结转下年度继续办理1件。",
    "P002": "本年度因政府信息公开工作被申请行政复议2件，被提起行政诉讼1件。",
    "P003": "本年制发行政规范性文件3件，废止行政规范性文件1件，现行有效行政规范性文件17件。",
    "P004": "本年行政事业性收费金额3500元。",
    "P005": "全年新增主动公开政府信息283条，包括：机构职能24条、政策文件83条、规划计划10条、工作动态166条。",
    "P006": "依申请公开办理结果中，予以公开5件，占35.7%。",
    "P007": "全年发布信息200条，其中通知公告50条（25%），工作动态150条（75%）。",
    "P008": "本年度发布政策解读12篇。在加强解读回应方面，发布政策解读12篇，回应关切3次。",
}


def test_every_prose_rule_has_cases_and_is_registered():
    ids = {r.id for r in builtin_rules().rules if r.origin == "prose.json"}
    assert ids == set(FIRES) == set(QUIET)
    for r in builtin_rules().rules:
        if r.origin == "prose.json":
            assert CHECKS[r.check] is PROSE_CHECKS[r.check]


@pytest.mark.parametrize("rule_id", sorted(FIRES))
def test_rule_fires_quoting_the_sentence(rule_id):
    fmt, section, sentence, cells = FIRES[rule_id]
    found = [f for f in prose(sentence, fmt, section) if f.rule == rule_id]
    assert found, f"{rule_id} did not fire"
    f = found[0]
    assert set(cells) <= set(f.cells)
    assert sentence[:12] in f.message.replace(" ", "") and "{" not in f.message
    assert f.severity == builtin_rules().get(rule_id).severity and len(f.locations) == len(f.cells)


@pytest.mark.parametrize("rule_id", sorted(QUIET))
def test_rule_quiet_when_the_prose_agrees(rule_id):
    assert prose(QUIET[rule_id]) == []


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_quiet_on_the_example(fmt):
    assert [f for f in validate(example_report(fmt)) if f.rule.startswith("P")] == []


def test_370_against_283():
    """The mistake this project started from: the parts add up to 283, the text says 370."""
    [f] = prose("本年度我局新增主动公开政府信息370条，包括：机构职能24条、政策文件83条、规划计划10条、工作动态166条。")
    assert f.rule == "P005"
    assert "总数 370 条" in f.message and "24+83+10+166 = 283 条" in f.message and "相差 87 条" in f.message
    assert f.expected == 370 and f.actual == 283


def test_total_stated_in_the_previous_sentence_with_the_same_subject():
    text = ("本年度新增主动公开政府信息370条，累计公开2000条。"
            "新增主动公开政府信息中包括：机构职能24条，政策文件83条，规划计划10条，工作动态166条。")
    [f] = prose(text)
    assert f.rule == "P005" and f.expected == 370 and f.actual == 283
    assert "新增主动公开政府信息中包括" in f.message  # quotes the list's sentence


def test_parts_lists_partial_and_other_units():
    assert prose("全年新增主动公开政府信息370条，主要包括：机构职能24条、政策文件83条等。") == []
    assert prose("全年新增主动公开政府信息370条，包括：机构职能24条、政策文件83条等。") == []
    assert prose("本年新收申请13件，其中自然人9件、法人或其他组织4件。") == []
    # a partial list may not exceed the total
    [f] = prose("全年新增主动公开政府信息30条，其中机构职能24条、政策文件83条。")
    assert f.rule == "P005" and f.actual == 107
    # mixed units or approximate figures: not summed
    assert prose("全年发布信息370条，包括：政策文件24件、图解83条。") == []
    assert prose("全年发布信息370余条，包括：政策文件24条、图解83条。") == []
    [pl] = list(parts_lists("全年公开信息十二条，包括：文件五条、动态七条。"))
    assert pl.total == 12 and pl.parts == [5, 7]


def test_received_named_before_the_verb():
    [f] = prose("依申请公开受理15件。")
    assert f.rule == "P001" and f.actual == 15 and f.expected == 13


def test_chinese_numerals_and_full_width_digits():
    [f] = prose("本年新收政府信息公开申请十二件。")
    assert f.rule == "P001" and f.actual == 12 and f.expected == 13
    assert prose("本年新收政府信息公开申请十三件，上年结转两件。") == []
    [f] = prose("本年新收政府信息公开申请１５件。")
    assert f.actual == 15
    assert prose("本年新收政府信息公开申请 13 件。") == []


def test_outcome_counts():
    [f] = prose("其中予以公开4件，部分公开3件。")
    assert f.rule == "P001" and "予以公开 4 件" in f.message and f.cells[0] == "t3.granted.total"
    [g] = prose("不予公开2件。")
    assert g.cells[:8] == [f"t3.{r}.total" for r in ("denied_secret", "denied_law", "denied_safety",
                                                     "denied_third_party", "denied_internal", "denied_process",
                                                     "denied_enforcement", "denied_query")]
    assert prose("予以公开5件，部分公开3件，不予公开1件，无法提供3件，不予处理1件，其他处理1件。") == []


def test_percentages():
    [f] = prose("予以公开5件，占30.8%。")
    assert f.rule == "P006" and str(f.actual) == "30.8"
    assert "按表三计算为 35.7%（5/14）" in f.message
    assert prose("予以公开占比为35.7%，部分公开占21.4%。") == []
    assert prose("予以公开5件（占35.7%）。") == []
    assert [x.rule for x in prose("予以公开5件（占40%），部分公开3件（占21.4%）。")] == ["P006"]
    assert prose("予以公开占36%。") == []  # rounded to whole per cent: within one unit
    assert prose("予以公开5件，占新收申请的38.5%。") == []  # share of 本年新收 13 is accepted too
    assert prose("部分公开占 50%。")[0].rule == "P006"


def test_quiet_on_approximate_other_year_and_channel_figures():
    for sentence in [
        "全年共收到依申请公开20余件。",
        "本年新收政府信息公开申请约20件。",
        "较上年新收申请增加3件。",
        "去年收到政府信息公开申请20件。",
        "通过网上收到申请5件，当面申请3件。",
        "累计收到政府信息公开申请200件。",
        "全年开展业务培训2次，制定内部规章制度3件。",
        "本年新收政府信息公开申请13件（较上年的9件增加4件）。",
        "本年度办结上年结转申请2件。",  # 2 of the 14 answered: not the 办结 total
        "收到上年结转的申请2件。",
        "全年公开各类建议提案答复12件，依申请公开受理13件。",  # proposals answered: not applications
        "受理群众咨询20件。",
    ]:
        assert prose(sentence) == [], sentence


def test_reviews_only_when_the_sentence_is_about_disclosure_or_in_section_four():
    assert prose("全年办理行政复议案件45件，行政诉讼应诉30件。") == []  # a 司法局's other cases
    [f] = prose("全年因政府信息公开被提起行政诉讼3件。")
    assert f.rule == "P002" and f.expected == 1
    assert [x.rule for x in prose("本年度被申请行政复议5件。", section="s4")] == ["P002"]
    assert prose("本年度因政府信息公开被申请行政复议2件，其中结果维持1件。") == []


def test_documents_both_formats():
    assert rules_of(prose("本年废止规范性文件2件，现行有效行政规范性文件17件。")) == ["P003"]
    assert prose("本年新制作规范性文件3件，新公开规范性文件3件。", fmt="2019") == []
    assert rules_of(prose("本年新制作规范性文件4件。", fmt="2019")) == ["P003"]
    assert rules_of(prose("本年制定规章1件。")) == ["P003"]


def test_fees_in_yuan_and_wan_yuan():
    assert prose("本年行政事业性收费金额0.35万元。", section="s6") == []
    assert rules_of(prose("本年行政事业性收费金额0.5万元。", section="s6")) == ["P004"]
    assert prose("本年行政事业性收费金额3500元。", fmt="2019") == []  # 2019 has no amount cell


def test_cells_that_are_not_numbers_are_not_compared():
    r = with_prose("本年新收政府信息公开申请15件。")
    r.cells["t3.new.total"] = type(r.cells["t3.new.total"])("/", "na")
    assert [f for f in validate(r) if f.rule == "P001"] == []


def test_overlay_switches_prose_rules_off(tmp_path):
    overlay = tmp_path / "o.json"
    overlay.write_text('{"disable": ["P005", "prose-applications-mismatch"]}', encoding="utf-8")
    r = with_prose(FIRES["P005"][2] + FIRES["P001"][2])
    assert {f.rule for f in validate(r, load_rules(overlay))} & {"P001", "P005"} == set()


def test_sentences_split_and_keep_chinese_punctuation():
    assert sentences("第一句，有逗号。第二句！\n第三句") == ["第一句，有逗号。", "第二句！", "第三句"]


def test_enormous_prose_is_checked_in_reasonable_time():
    import time

    text = ("本年度我局依法推进政务公开，全年开展培训2次，公开信息126条。" * 20000)  # ~700,000 characters
    t = time.perf_counter()
    assert prose(text) == []
    assert time.perf_counter() - t < 20


@pytest.mark.parametrize("text", [
    "一" * 200_000,  # a run of numerals: scans start only where a number starts
    "1" * 200_000,
    ("其中" + "通知公告1条、" * 50) * 500,  # many lists in one sentence: each read in a window
    "全年发布信息9条，其中" + "通知公告1条，" * 30_000,  # one endless list
    "政策解读12篇，" * 30_000,  # the same statement again and again
    "（" * 100_000 + "其中" + "）" * 100_000,
], ids=["numerals", "digits", "many-lists", "endless-list", "repeated", "brackets"])
def test_pathological_prose_is_read_in_linear_time(text):
    """Shapes that made the scans quadratic once; finishing at all is the test (no timing)."""
    findings = prose(text)
    assert all(f.rule.startswith("P") for f in findings)


def test_blank_total_is_compared_with_its_row_and_the_message_says_so():
    r = with_prose("本年新收政府信息公开申请15件。")
    r.cells["t3.new.total"] = type(r.cells["t3.new.total"])("", "empty")
    [f] = [f for f in validate(r) if f.rule == "P001"]
    assert f.expected == 13 and "为空，按该行各栏之和 13 计" in f.message


def test_parts_messages_say_what_to_do():
    [short] = prose("全年发布信息418条，其中通知公告380条，人事信息6条，财政信息12条，其他信息10条。")
    assert "相差 10 条" in short.message and "请在最后一项后加“等”" in short.message
    [over] = prose("全年新增主动公开政府信息30条，其中机构职能24条、政策文件83条等。")
    assert "以“等”结尾" in over.message and "超过总数" in over.message
    [before] = prose("全年共发布各类信息418条。其中通知公告380条，人事信息6条，财政信息12条，其他信息10条。")
    assert "全年共发布各类信息418条。其中通知公告380条" in before.message  # the total's sentence is quoted too


def test_list_closes_at_its_separator_level():
    """105 vs 97 + 8: the list ends at ；, before 共办结 96 件，结转 9 件."""
    [pl] = parts_lists("共受理申请105件，其中自然人97件，法人8件；共办结96件，结转9件。")
    assert (pl.total, pl.parts) == (105, [97, 8])
    [pl] = parts_lists("共受理申请105件，其中自然人97件，法人8件，共办结96件，结转9件。")
    assert (pl.total, pl.parts) == (105, [97, 8])
    [pl] = parts_lists("全年发布信息370条，包括政策文件24条、工作动态83条，同时在微信公众号推送信息166条。")
    assert pl.parts == [24, 83]

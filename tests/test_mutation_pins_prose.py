"""Prose checks pinned where mutation testing found them unpinned (issue 16).

A quiet check proves nothing unless the figure was read: every agreeing sentence here is
also checked one unit off, where the same rule must fire. Long sentences are quoted
around the figure, thousands separators are read, and a sentence stating several
figures of one kind is checked for each of them.
"""

import pytest

from addin.document.prose_check import QUOTE_CHARS, parts_lists, stated_figures
from addin.examples import example_report
from addin.validate import validate
from addin.values import parse_value


def with_prose(text, section="s1", fmt="2021", **cells):
    r = example_report(fmt)
    r.sections = {**r.sections, section: text}
    for key, value in cells.items():
        r.cells[key.replace("_", ".", 2) if "." not in key else key] = parse_value(value)
    return r


def found(report, rule_id):
    return [f for f in validate(report) if f.rule == rule_id]


# rule → (section, agreeing sentence, the same sentence one unit off)
AGREES_AND_OFF = {
    "P001": ("s1", "本年新收政府信息公开申请13件。", "本年新收政府信息公开申请14件。"),
    "P002": ("s1", "本年度因政府信息公开工作被申请行政复议2件。", "本年度因政府信息公开工作被申请行政复议3件。"),
    "P003": ("s1", "本年制发行政规范性文件3件。", "本年制发行政规范性文件4件。"),
    "P004": ("s6", "本年行政事业性收费金额3500元。", "本年行政事业性收费金额3600元。"),
    "P005": ("s1", "全年新增主动公开政府信息283条，包括：机构职能24条、政策文件83条、规划计划10条、工作动态166条。",
             "全年新增主动公开政府信息284条，包括：机构职能24条、政策文件83条、规划计划10条、工作动态166条。"),
    "P006": ("s1", "依申请公开办理结果中，予以公开5件，占35.7%。", "依申请公开办理结果中，予以公开5件，占36.7%。"),
    "P007": ("s1", "全年发布信息200条，其中通知公告50条（25%），工作动态150条（75%）。",
             "全年发布信息200条，其中通知公告50条（27%），工作动态150条（75%）。"),
    "P008": ("s1", "本年度发布政策解读12篇。在加强解读回应方面，发布政策解读12篇，回应关切3次。",
             "本年度发布政策解读12篇。在加强解读回应方面，发布政策解读11篇，回应关切3次。"),
}


@pytest.mark.parametrize("rule_id", sorted(AGREES_AND_OFF))
def test_agreeing_figure_is_read_not_missed(rule_id):
    section, agrees, off = AGREES_AND_OFF[rule_id]
    assert found(with_prose(agrees, section), rule_id) == []
    assert len(found(with_prose(off, section), rule_id)) == 1


def test_the_figures_read_from_an_agreeing_sentence():
    r = with_prose("本年新收政府信息公开申请13件，上年结转2件，已办结14件，结转下年度继续办理1件。")
    read = [(st.keys, st.value) for _, st in stated_figures(r, "applications")]
    assert read == [(("t3.new.total",), 13), (("t3.carried.total",), 2), (("t3.total.total",), 14),
                    (("t3.forward.total",), 1)]
    (pl,) = parts_lists(AGREES_AND_OFF["P005"][1])
    assert (pl.total, pl.unit, pl.parts, pl.partial) == (283, "条", [24, 83, 10, 166], False)


def test_every_figure_of_a_sentence_is_checked():
    r = with_prose("本年新收政府信息公开申请13件，上年结转3件，已办结15件，结转下年度继续办理1件。")
    got = sorted((f.cells[0], f.actual, f.expected) for f in found(r, "P001"))
    assert got == [("t3.carried.total", 3, 2), ("t3.total.total", 15, 14)]


def test_thousands_separators_in_prose():
    r = with_prose("本年新收政府信息公开申请1,013件。", **{"t3.new.total": 1013, "t3.total.total": 1014})
    assert found(r, "P001") == []
    r = with_prose("本年新收政府信息公开申请1,012件。", **{"t3.new.total": 1013, "t3.total.total": 1014})
    (f,) = found(r, "P001")
    assert (f.actual, f.expected) == (1012, 1013)
    assert "1012 件" in f.message and "1013 件" in f.message


def test_a_long_sentence_is_quoted_around_its_figure():
    lead = "本年度我单位认真贯彻落实政府信息公开条例，持续完善依申请公开办理流程，规范登记、审核、答复各环节，" * 2
    tail = "并按季度对办理情况进行梳理和通报，确保依法依规、及时准确地办理，切实保障群众的知情权，"
    sentence = lead + "本年新收政府信息公开申请15件" + tail * 2 + "成效明显。"
    assert len(sentence) > QUOTE_CHARS + 60
    (f,) = found(with_prose(sentence), "P001")
    quote = f.message.split("中写道“", 1)[1].split("”：", 1)[0]
    assert quote.startswith("…") and quote.endswith("…")
    assert len(quote) == QUOTE_CHARS + 2
    assert "申请15件" in quote
    # the quote starts a third of its length before the figure
    assert quote.index("15件") == 1 + QUOTE_CHARS // 3


def test_a_long_sentence_ending_in_its_figure_is_quoted_to_its_end():
    sentence = "本年度我单位认真贯彻落实政府信息公开条例，持续完善依申请公开办理流程，" * 3 + "本年新收政府信息公开申请15件。"
    (f,) = found(with_prose(sentence), "P001")
    quote = f.message.split("中写道“", 1)[1].split("”：", 1)[0]
    assert quote.startswith("…") and not quote.endswith("…") and quote.endswith("申请15件。")
    assert len(quote) == QUOTE_CHARS + 1


def test_thousands_separators_in_a_list_split_by_commas():
    text = "全年新增主动公开政府信息1,283条，其中，机构职能1,024条，政策文件83条，规划计划10条，工作动态166条。"
    (pl,) = parts_lists(text)
    assert (pl.total, pl.parts) == (1283, [1024, 83, 10, 166])
    assert found(with_prose(text), "P005") == []
    (f,) = found(with_prose(text.replace("1,283", "1,293")), "P005")
    assert (f.expected, f.actual) == (1293, 1283)


# --- a figure passed over does not end the search in its sentence ---------------------------

@pytest.mark.parametrize("why, section, text, rule_id, cells, stated", [
    ("no 申请 in the clause", "s1", "本年新收群众意见15件，新收政府信息公开申请15件。", "P001", ["t3.new.total"], 15),
    ("another year", "s1", "较上年新收政府信息公开申请增加15件，本年新收政府信息公开申请15件。", "P001", ["t3.new.total"], 15),
    ("another matter", "s1", "收到群众来信5件，收到政府信息公开申请15件。", "P001", ["t3.new.total"], 15),
    ("a review's outcome", "s4", "行政复议结果维持2件，被申请行政复议3件。", "P002", ["t4.review.total"], 3),
    ("another figure's word", "s1", "办结上年结转申请2件，办结政府信息公开申请15件。", "P001", ["t3.total.total"], 15),
    ("an outcome before 答复", "s1", "同意公开答复5件，办结政府信息公开申请15件。", "P001", ["t3.total.total"], 15),
    ("two outcomes together", "s1", "予以公开及部分公开8件，部分公开4件。", "P001", ["t3.partial.total"], 4),
    ("documents, not applications", "s1", "予以公开文件6件，予以公开申请6件。", "P001", ["t3.granted.total"], 6),
    ("repealed early", "s1", "提前废止行政规范性文件2件，废止行政规范性文件3件。", "P003", ["t2.normative.repealed"], 3),
])
def test_a_figure_passed_over_does_not_stop_the_next(why, section, text, rule_id, cells, stated):
    got = [(f.cells[:-1], f.actual) for f in found(with_prose(text, section), rule_id)]
    assert got == [(cells, stated)], why


def test_two_outcomes_named_together_are_compared_with_their_sum():
    (f,) = found(with_prose("予以公开及部分公开6件。"), "P001")
    assert f.cells == ["t3.granted.total", "t3.partial.total", "s1"] and (f.expected, f.actual) == (8, 6)
    assert "：予以公开与部分公开 6 件，表三中为 8 件（表三“予以公开”行“总计”列+表三“部分公开”行“总计”列），相差 2 件" \
        in f.message
    (f,) = found(with_prose("部分公开和予以公开6件。"), "P001")
    assert f.cells == ["t3.partial.total", "t3.granted.total", "s1"]
    assert "：部分公开与予以公开 6 件" in f.message


@pytest.mark.parametrize("text, fires", [
    ("0.36万元", True), ("0.4万元", False), ("0.3万元", False), ("0.2万元", True),  # half a unit of the last digit
    ("3549元", True), ("3500元", False), ("3,500元", False),
])
def test_fee_amounts_within_half_a_unit_of_the_last_digit(text, fires):
    assert bool(found(with_prose(f"本年行政事业性收费金额{text}。", "s6"), "P004")) is fires


# --- the finding and the table value -------------------------------------------------------

def test_prose_finding_carries_rule_fields_and_locations():
    from addin.ruleset import builtin_rules

    r = with_prose("本年新收政府信息公开申请15件。")
    (f,) = found(r, "P001")
    rule = builtin_rules().get("P001")
    assert (f.hint, f.name, f.severity) == (rule.hint, rule.name, rule.severity)
    assert f.locations == [r.location("t3.new.total"), r.location("s1")]
    assert f.message.startswith("“一、总体情况”中写道“本年新收政府信息公开申请15件。”：本年新收申请 15 件，表三中为 13 件")


def test_table_value_adds_blank_totals_from_their_rows_and_says_so():
    from addin.document.prose_check import table_value

    r = with_prose("")
    r.cells["t3.carried.total"] = parse_value(None)
    assert table_value(r, ("t3.new.total", "t3.carried.total")) == (
        15, "表三“上年结转”行“总计”列为空，按该行各栏之和 2 计")
    r.cells["t3.new.total"] = parse_value(None)
    assert table_value(r, ("t3.new.total", "t3.carried.total")) == (
        15, "表三“本年新收”行“总计”列为空，按该行各栏之和 13 计；表三“上年结转”行“总计”列为空，按该行各栏之和 2 计")
    r.cells["t3.new.natural"] = parse_value("若干")
    r.cells["t3.carried.total"] = parse_value("若干")
    assert table_value(r, ("t3.carried.total",)) == (None, "")
    for k in [k for k in r.cells if k.startswith("t3.carried.")]:
        r.cells[k] = parse_value(None)
    assert table_value(r, ("t3.carried.total",)) == (None, "")


def _quote_of(sentence):
    (f,) = found(with_prose(sentence), "P001")
    return f.message.split("中写道“", 1)[1].split("”：", 1)[0]


def test_a_long_sentence_starting_with_its_figure_is_quoted_from_its_start():
    sentence = "本年新收政府信息公开申请15件，" + "我单位持续完善依申请公开办理流程，规范登记审核答复各环节，" * 4 + "成效明显。"
    quote = _quote_of(sentence)
    assert quote == sentence[:QUOTE_CHARS] + "…"


def test_a_sentence_of_exactly_the_quote_length_is_quoted_whole():
    head = "本年新收政府信息公开申请15件，"
    sentence = head + "我" * (QUOTE_CHARS - len(head) - 1) + "。"
    assert len(sentence) == QUOTE_CHARS
    assert _quote_of(sentence) == sentence
    longer = head + "我" * (QUOTE_CHARS - len(head)) + "。"
    assert _quote_of(longer) == longer[:QUOTE_CHARS] + "…"


# --- lists of parts: where they end and when they may be partial -----------------------------

LEAD = "全年新增主动公开政府信息{total}条，其中：机构职能24条、政策文件83条"


@pytest.mark.parametrize("total, tail, message_end", [
    (300, "、其他信息。", None),  # an item with no number: the list may be partial
    (100, "、其他信息。", "所列分项（有未写数字的分项）之和已超过总数"),
    (300, "等。", None),
    (100, "等。", "所列分项（以“等”结尾）之和已超过总数"),
    (300, "、人事任免机构设置关联资料。", None),  # 12 characters: still a name
    (300, "、人事任免机构设置关联资料汇。", "如果只列举了其中一部分，请在最后一项后加“等”"),  # 13: a clause, not an item
    (107, "、合计107条。", None),  # a sum ends the list
    (100, "。", "分项之和超过总数"),
])
def test_partial_lists(total, tail, message_end):
    text = LEAD.format(total=total) + tail
    got = found(with_prose(text), "P005")
    if message_end is None:
        assert got == [] and parts_lists(text)[0].parts == [24, 83]
    else:
        (f,) = got
        assert f.message.endswith(message_end)
        assert (f.expected, f.actual) == (total, 107)


def test_a_list_item_with_a_verb_ends_a_list_of_names():
    text = "全年新增主动公开政府信息30条，其中：机构职能24条、收到来信3条。"
    assert parts_lists(text) == [] and found(with_prose(text), "P005") == []


# --- where a list's total is read ---------------------------------------------------------------

PARTS = "机构职能24条、政策文件83条、规划计划10条、工作动态166条。"  # 283


@pytest.mark.parametrize("why, text, finding", [
    ("the total opens the sentence", "293条，其中：" + PARTS, (293, 283)),
    ("only the total's own clause", "较上年增加5条，全年新增主动公开政府信息293条，其中：" + PARTS, (293, 283)),
    ("only the last clause of the sentence before",
     "较上年增加5条，全年新增主动公开政府信息293条。其中：" + PARTS, (293, 283)),
    ("an approximate total is no total", "全年新增主动公开政府信息约300条，其中：" + PARTS, None),
    ("a fractional total is no count", "全年新增主动公开政府信息283.5条，其中：" + PARTS, None),
    ("a subject with a number is no subject",
     "2023年新增主动公开政府信息300条。2023年新增主动公开政府信息中包括：" + PARTS, None),
    ("a two-character subject", "全年发布信息300条。信息中包括：" + PARTS, (300, 283)),
    ("the subject's total is approximate", "新增主动公开政府信息300余条。新增主动公开政府信息中包括：" + PARTS, None),
    ("the sentence before does not name the subject", "全年工作有序推进。新增主动公开政府信息中包括：" + PARTS, None),
    ("the subject named before", "新增主动公开政府信息300条。新增主动公开政府信息中包括：" + PARTS, (300, 283)),
])
def test_where_the_total_of_a_list_is_read(why, text, finding):
    got = [(f.expected, f.actual) for f in found(with_prose(text), "P005")]
    assert got == ([finding] if finding else []), why


# --- shares of outcomes ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, cells, message", [
    ("予以公开占30%。", {}, "“一、总体情况”中写道“予以公开占30%。”：予以公开占 30%，按表三计算为 35.7%（5/14）"),
    ("予以公开占27%。", {"t3.total.total": 20}, "“一、总体情况”中写道“予以公开占27%。”：予以公开占 27%，按表三计算为 25%（5/20）"),
    # no 办理结果总计: the share of 本年新收
    ("予以公开占30%。", {"t3.total.total": 0}, "“一、总体情况”中写道“予以公开占30%。”：予以公开占 30%，按表三计算为 38.5%（5/13）"),
    ("予以公开和部分公开占50%。", {},
     "“一、总体情况”中写道“予以公开和部分公开占50%。”：予以公开与部分公开占 50%，按表三计算为 57.1%（8/14）"),
    ("较上年予以公开占40%，予以公开占30%。", {},  # the first is about last year: passed over, not the end
     "“一、总体情况”中写道“较上年予以公开占40%，予以公开占30%。”：予以公开占 30%，按表三计算为 35.7%（5/14）"),
    ("予以公开占35.7%，部分公开占30%。", {},  # the first agrees: the second is still checked
     "“一、总体情况”中写道“予以公开占35.7%，部分公开占30%。”：部分公开占 30%，按表三计算为 21.4%（3/14）"),
])
def test_share_findings(text, cells, message):
    (f,) = found(with_prose(text, **cells), "P006")
    assert f.message == message


@pytest.mark.parametrize("text, cells", [
    ("予以公开占33.3%。", {}),  # 5 of 新收 13 + 结转 2
    ("予以公开占38.5%。", {}),  # 5 of 新收 13
    ("予以公开占26%。", {"t3.total.total": 20}),  # 25 %, one unit of the last digit written
])
def test_shares_accepted(text, cells):
    assert found(with_prose(text, **cells), "P006") == []


# --- shares written beside a list's items (P007) ---------------------------------------------------

@pytest.mark.parametrize("text, problems, total_share", [
    ("全年发布信息200条，其中通知公告50条（27%），工作动态150条（75%）。", "通知公告50条写作 27%，按 50/200 计算为 25%", 102),
    ("全年发布信息200条，其中通知公告50条（27%），工作动态150条（80%）。",
     "通知公告50条写作 27%，按 50/200 计算为 25%；工作动态150条写作 80%，按 150/200 计算为 75%", 107),
    ("全年发布信息3条，其中通知公告1条（34%），工作动态1条（34%），政策文件1条（34%）。", "各项占比之和为 102%，不等于 100%", 102),
])
def test_list_share_findings(text, problems, total_share):
    (f,) = found(with_prose(text), "P007")
    assert f.message == f"“一、总体情况”中写道“{text}”：{problems}"
    assert (f.cells, f.expected, f.actual) == (["s1"], 100, total_share)


@pytest.mark.parametrize("text", [
    "全年发布信息200条，其中通知公告50条（26%），工作动态150条（75%）。",  # one unit of the last digit; sum 101
    "全年发布信息3条，其中通知公告1条（33%），工作动态1条（33%），政策文件1条（33%）。",  # rounding: 99
    "全年发布信息3条，其中通知公告1条（34%），工作动态1条（34%），政策文件1条（34%）等。",  # partial: no sum
    "全年发布信息200条，其中通知公告50条（27%），工作动态150条。",  # one share alone is not checked
])
def test_list_shares_accepted(text):
    assert found(with_prose(text), "P007") == []


# --- parts in several units (P005) -----------------------------------------------------------------

MIXED = "全年发布信息{total}条，其中：通知公告100条、工作动态200条、视频5个。"


@pytest.mark.parametrize("text, advice", [
    (MIXED.format(total=300), None),  # the parts in 条 add up
    (MIXED.format(total=350), None),  # fewer: the other unit may hold the rest
    (MIXED.format(total=250), "总数 250 条，所列各项 100+200 = 300 条，相差 50 条；所列分项（分项单位不一）之和已超过总数"),
    ("全年发布信息100条，主要包括：机构职能24条、政策文件83条。",
     "总数 100 条，所列各项 24+83 = 107 条，相差 7 条；所列分项（写明“主要”或“部分”）之和已超过总数"),
    ("全年发布信息107条，主要包括：机构职能24条、政策文件83条。", None),
])
def test_parts_in_several_units_or_partial(text, advice):
    got = found(with_prose(text), "P005")
    if advice is None:
        assert got == []
    else:
        (f,) = got
        assert f.message == f"“一、总体情况”中写道“{text}”：{advice}"


# --- something passed over does not end the section -------------------------------------------------

@pytest.mark.parametrize("rule_id, text, cells", [
    ("P006", "本年度工作有序推进。予以公开占30%。", {}),  # a sentence with no share first
    ("P006", "不予公开占10%，予以公开占30%。", {"t3.denied_secret.total": "若干"}),  # a share of a text cell first
    ("P005", "全年发布信息107条，其中：机构职能24条、政策文件83条。全年发布信息100条，其中：通知公告24条、工作动态83条。", {}),
    ("P005", "全年发布信息300条，主要包括：机构职能24条、政策文件83条。全年发布信息100条，其中：通知公告24条、工作动态83条。", {}),
    ("P007", "全年发布信息107条，其中：机构职能24条、政策文件83条。全年发布信息200条，其中通知公告50条（27%），工作动态150条（75%）。", {}),
    ("P007", "全年发布信息200条，其中通知公告50条（25%），工作动态150条（75%）。全年发布信息200条，其中通知公告50条（27%），工作动态150条（75%）。", {}),
    ("P001", "本年新收政府信息公开申请13件，上年结转政府信息公开申请3件。", {"t3.new.total": "若干"}),  # a figure of a text cell first
])
def test_the_scan_goes_on_after_what_it_passes_over(rule_id, text, cells):
    assert len(found(with_prose(text, **cells), rule_id)) == 1

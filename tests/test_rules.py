"""Every shipped rule fires on a report that breaks it, naming the right cells, and
stays quiet on a consistent report — for both formats."""

import json
from decimal import Decimal

import pytest

from addin.examples import example_report, example_values
from addin.formats import FORMATS
from addin.model import Report
from addin.readers.report_json import report_from_json
from addin.ruleset import builtin_rules
from addin.validate import validate


def report_with(fmt, changes=None, *, year=None, sections=None, drop=(), extra=None, agency=None):
    base = example_report(fmt)
    values = {**example_values(fmt), **(changes or {})}
    for key in drop:
        values.pop(key, None)
    values.update(extra or {})
    return Report.from_values(
        fmt, values, year=year or base.year, agency=base.agency if agency is None else agency,
        contact=base.contact, sections={**base.sections, **(sections or {})},
    )


def fired(report, rule_id):
    return [f for f in validate(report) if f.rule == rule_id]


# rule id → list of (format, report builder, cells the finding must name)
CASES = {
    "F001": [("2019", lambda f: report_with(f, year=2022), ["format"]),
             ("2021", lambda f: report_with(f, year=2020), ["format"])],
    "F002": [("2021", lambda f: report_with(f, extra={"t2.procurement.amount": 5}), ["t2.procurement.amount"]),
             ("2019", lambda f: report_with(f, extra={"t3.other_misc.total": 1}), ["t3.other_misc.total"])],
    "F003": [(f, lambda f: report_with(f, drop=[k for k in example_values(f) if k.startswith("t4.")]), [])
             for f in FORMATS],
    "F004": [(f, lambda f: report_with(f, sections={"s5": "  "}), ["s5"]) for f in FORMATS],
    "F005": [(f, lambda f: report_with(f, agency=""), ["agency"]) for f in FORMATS],
    "V001": [(f, lambda f: report_with(f, {"t3.granted.legal": "若干"}), ["t3.granted.legal"]) for f in FORMATS],
    "V002": [(f, lambda f: report_with(f, {"t2.penalty.decisions": -3}), ["t2.penalty.decisions"]) for f in FORMATS],
    "V003": [(f, lambda f: report_with(f, {"t2.penalty.decisions": Decimal("2.5")}), ["t2.penalty.decisions"])
             for f in FORMATS],
    "V004": [(f, lambda f: report_with(f, {"t4.suit_after_review.other": ""}), ["t4.suit_after_review.other"])
             for f in FORMATS],
    "V005": [(f, lambda f: report_with(f, {"t3.denied_law.research": "/"}), ["t3.denied_law.research"])
             for f in FORMATS],
    "V006": [(f, lambda f: report_with(f, {"t3.carried.natural": "２"}), ["t3.carried.natural"]) for f in FORMATS],
    "T301": [(f, lambda f: report_with(f, {"t3.forward.natural": 2}),
              ["t3.new.natural", "t3.carried.natural", "t3.total.natural", "t3.forward.natural"]) for f in FORMATS],
    "T302": [(f, lambda f: report_with(f, {"t3.total.commercial": 5}), ["t3.total.commercial", "t3.granted.commercial"])
             for f in FORMATS],
    "T303": [(f, lambda f: report_with(f, {"t3.partial.total": 9}), ["t3.partial.total", "t3.partial.natural"])
             for f in FORMATS],
    "T304": [("2019", lambda f: report_with(f, {"t3.other.total": 20, "t3.other.natural": 19, "t3.total.total": 34,
                                                "t3.total.natural": 32, "t3.new.natural": 49, "t3.new.total": 52}),
              ["t3.other.total", "t3.total.total"])],
    "T305": [("2021", lambda f: report_with(f, {"t3.other_misc.total": 20, "t3.other_misc.natural": 19,
                                                "t3.total.total": 34, "t3.total.natural": 32, "t3.new.natural": 49,
                                                "t3.new.total": 52}),
              ["t3.other_misc.total", "t3.total.total"])],
    "T401": [(f, lambda f: report_with(f, {"t4.suit_direct.total": 3}),
              ["t4.suit_direct.upheld", "t4.suit_direct.total"]) for f in FORMATS],
    "T402": [(f, lambda f: report_with(f, {k: 0 for k in example_values(f) if k.startswith("t3.")}),
              ["t3.new.total", "t4.review.total"]) for f in FORMATS],
    "S601": [("2021", lambda f: report_with(f, sections={"s6": "无。"}), ["s6"])],
    "S602": [("2021", lambda f: report_with(f, {"t3.other_no_fee.natural": 1, "t3.other_no_fee.total": 1,
                                                "t3.total.natural": 11, "t3.total.total": 15, "t3.new.natural": 10,
                                                "t3.new.total": 14}, sections={"s6": "无。"}),
              ["t3.other_no_fee.total", "s6"])],
    "J001": [(f, lambda f: report_from_json({"format": f, "year": "二〇二三", "agency": "某局", "values": {}}), ["year"])
             for f in FORMATS],
}


def test_every_core_rule_has_a_case():
    core = {r.id for r in builtin_rules().rules if r.origin in ("core.json", "readers.json")}
    assert core <= set(CASES), f"rules without a firing test: {sorted(core - set(CASES))}"


@pytest.mark.parametrize("rule_id,fmt,build,cells",
                         [(r, f, b, c) for r, cases in CASES.items() for f, b, c in cases],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_rule_fires(rule_id, fmt, build, cells):
    findings = fired(build(fmt), rule_id)
    assert findings, f"{rule_id} did not fire"
    named = {c for f in findings for c in f.cells}
    assert set(cells) <= named, f"{rule_id} named {named}, expected {cells}"
    rule = builtin_rules().get(rule_id)
    for f in findings:
        assert f.severity == rule.severity and f.message and f.locations is not None
        assert "{" not in f.message, f"unfilled placeholder in {f.message}"


@pytest.mark.parametrize("rule_id", sorted(CASES))
@pytest.mark.parametrize("fmt", FORMATS)
def test_rule_quiet_on_the_consistent_example(rule_id, fmt):
    assert fired(example_report(fmt), rule_id) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_example_has_no_findings_at_all(fmt):
    assert validate(example_report(fmt)) == []


def test_message_states_the_numbers_like_the_data_model():
    values = {"t3.new.natural": 12, "t3.carried.natural": 3, "t3.total.natural": 13, "t3.forward.natural": 1}
    r = report_with("2021", values)
    f = next(f for f in fired(r, "T301") if "t3.new.natural" in f.cells)
    assert f.message == "表三“自然人”列：本年新收 12 + 上年结转 3 = 15，应等于 办理结果总计 13 + 结转下年度 1 = 14，相差 1"
    assert f.expected == 15 and f.actual == 14
    assert f.to_json()["cells"] == ["t3.new.natural", "t3.carried.natural", "t3.total.natural", "t3.forward.natural"]
    assert f.to_json()["locations"] == ["表三!D6", "表三!D7", "表三!D29", "表三!D30"]


def test_blank_cells_count_as_zero_and_the_message_says_so():
    r = report_with("2021", {"t3.forward.natural": ""})
    f = next(f for f in fired(r, "T301") if "t3.forward.natural" in f.cells)
    assert "按 0 计" in f.message
    assert fired(r, "V004")


def test_text_cell_makes_arithmetic_undecided_not_a_cascade():
    r = report_with("2021", {"t3.granted.natural": "若干"})
    assert fired(r, "V001")
    assert not [f for f in fired(r, "T302") if "t3.granted.natural" in f.cells]


def test_findings_are_sorted_errors_first():
    r = report_with("2021", {"t3.carried.natural": "２", "t3.forward.natural": 5})
    sev = [f.severity for f in validate(r)]
    assert sev == sorted(sev, key=["error", "warning", "info"].index)


def test_findings_json_shape():
    from addin.findings import findings_document

    r = report_with("2021", {"t3.forward.natural": 5})
    doc = findings_document("x.json", r, validate(r))
    assert set(doc) == {"file", "format", "year", "agency", "summary", "findings"}
    assert set(doc["summary"]) == {"errors", "warnings", "infos"}
    assert set(doc["findings"][0]) == {"rule", "severity", "message", "cells", "locations", "expected", "actual", "hint"}
    json.dumps(doc, ensure_ascii=False)

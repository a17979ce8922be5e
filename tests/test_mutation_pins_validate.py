"""Validation pinned where mutation testing found it unpinned (issue 16).

Tolerance, the blank-as-zero note, undecided references, message placeholders, the
reader's findings under an overlay, last year's cell locations, ``hint``/``name`` and the
order of findings: each test here fails when the corresponding line of
``addin/validate.py`` is broken (scripts/mutation.sh validate).
"""

from decimal import Decimal

import pytest

from addin.examples import example_report, example_values
from addin.findings import Finding
from addin.model import Report
from addin.ruleset import Rule, RuleSet, builtin_rules, load_rules
from addin.validate import EMPTY_NOTE, exit_code, run_check, validate

FMT = "2021"


def report(changes=None, *, sections=None, locations=None, fmt=FMT, year=None):
    base = example_report(fmt)
    return Report.from_values(fmt, {**example_values(fmt), **(changes or {})}, year=year or base.year,
                              agency=base.agency, sections={**base.sections, **(sections or {})},
                              locations=locations)


def rule(assert_, message="{lhs}|{rhs}|{diff}", *, id="PR001", severity="error", **kw):
    return Rule(id=id, name=kw.pop("name", f"rule-{id.lower()}"), severity=severity, title="测试规则",
                message=message, why="", fix="", source="", formats=(FMT,), assert_=assert_, **kw)


def run(rules, r, prev=None):
    return validate(r, RuleSet(list(rules)), prev=prev)


A, B = "t2.penalty.decisions", "t2.coercion.decisions"  # two whole-number cells of 表二


# --- tolerance (item 4) -----------------------------------------------------------------

@pytest.mark.parametrize("a, b, fires", [(10, 10, False), (10, 11, False), (11, 10, False), (10, 12, True),
                                         (13, 10, True)])
def test_tolerance_allows_a_difference_up_to_and_including_it(a, b, fires):
    r = report({A: a, B: b})
    found = run([rule(f"{A} == {B}", tolerance=1)], r)
    assert bool(found) is fires
    if fires:
        assert (found[0].expected, found[0].actual) == (a, b)
        assert found[0].message == f"{a}|{b}|{abs(a - b)}"


def test_tolerance_in_fractions():
    r = report({"t2.fees.amount": Decimal("10.4"), "t2.penalty.decisions": 10})
    assert not run([rule(f"t2.fees.amount == {A}", tolerance=0.5)], r)
    r = report({"t2.fees.amount": Decimal("10.6"), "t2.penalty.decisions": 10})
    assert run([rule(f"t2.fees.amount == {A}", tolerance=0.5)], r)


def test_without_tolerance_any_difference_fires():
    assert run([rule(f"{A} == {B}")], report({A: 10, B: 11}))
    assert not run([rule(f"{A} == {B}")], report({A: 11, B: 11}))


def test_tolerance_only_widens_equality():
    # a comparison other than == is exact whatever the tolerance
    assert run([rule(f"{A} < {B}", tolerance=5)], report({A: 11, B: 11}))
    assert run([rule(f"{A} != {B}", tolerance=5)], report({A: 11, B: 11}))
    # an equality inside a larger formula is not a single comparison: no tolerance either
    assert run([rule(f"{A} == {B} and 1 == 1", tolerance=5)], report({A: 10, B: 11}))


# --- blank cells as zero, and skipped (item 7) ------------------------------------------

def test_blank_as_zero_keeps_the_message_and_adds_the_note():
    r = report({"t3.forward.natural": ""})
    f = next(f for f in validate(r) if f.rule == "T301" and "t3.forward.natural" in f.cells)
    new, carried, total = (example_values(FMT)[k] for k in ("t3.new.natural", "t3.carried.natural",
                                                            "t3.total.natural"))
    assert f.message == (f"表三“自然人”列：本年新收 {new} + 上年结转 {carried} = {new + carried}，应等于 办理结果总计 "
                         f"{total} + 结转下年度 0 = {total}，相差 {new + carried - total}" + EMPTY_NOTE)
    assert EMPTY_NOTE == "（其中空白或“/”单元格按 0 计）"


def test_blank_as_zero_note_for_a_slash_and_only_when_a_blank_was_used():
    r = report({A: "/", B: 3})
    assert run([rule(f"{A} == {B}", "差 {diff}")], r)[0].message == "差 3" + EMPTY_NOTE
    r = report({A: 0, B: 3})
    assert run([rule(f"{A} == {B}", "差 {diff}")], r)[0].message == "差 3"


def test_blank_is_undecided_when_the_rule_says_skip():
    r = report({A: "", B: 3})
    assert not run([rule(f"{A} == {B}", empty="skip")], r)
    assert run([rule(f"{A} == {B}", empty="zero")], r)


def test_a_missing_cell_is_zero_like_a_blank_one():
    base = example_report(FMT)
    values = {k: v for k, v in example_values(FMT).items() if k != A}
    r = Report.from_values(FMT, {**values, B: 3}, year=base.year, agency=base.agency, sections=base.sections)
    found = run([rule(f"{A} == {B}", "{lhs} 与 {rhs}")], r)
    assert found[0].message == "0 与 3" + EMPTY_NOTE and found[0].expected == 0


# --- undecided references ---------------------------------------------------------------

def test_text_in_a_cell_leaves_the_rule_undecided():
    assert not run([rule(f"{A} == {B}")], report({A: "若干", B: 3}))


def test_a_key_the_format_does_not_know_leaves_the_rule_undecided():
    assert not run([rule("t9.bogus.natural == 1")], report())


def test_last_year_rules_wait_for_last_year():
    r = report({A: 5})
    prev = report({A: 4})
    assert not run([rule(f"{A} == prev.{A}")], r)
    found = run([rule(f"{A} == prev.{A}")], r, prev)
    assert (found[0].expected, found[0].actual) == (5, 4)
    assert not run([rule(f"{A} == prev.{A}")], r, report({A: 5}))


def test_fields_and_sections_resolve():
    r = report(sections={"s5": "无"})
    assert not run([rule(f'year == {r.year} and format == "2021" and agency == "{r.agency}"')], r)
    assert run([rule(f"year == {r.year + 1}")], r)
    assert run([rule('len(s5) > 1', "{s5}")], r)[0].message == "无"
    r = report()
    r.sections.pop("s5", None)
    assert run([rule("len(s5) > 0", "[{s5}]")], r)[0].message == "[]"


def test_when_must_be_true():
    r = report({A: 5, B: 4})
    assert run([rule(f"{A} == {B}", when=f"{A} > 0")], r)
    assert not run([rule(f"{A} == {B}", when=f"{A} > 5")], r)
    assert not run([rule(f"{A} == {B}", when="t9.bogus.x > 0")], r)  # undecided when: quiet
    assert not run([rule(f"{A} == {B}", when="t9.bogus.x")], report({A: 5, B: 4}))


def test_an_undecided_or_broken_assertion_is_quiet():
    assert not run([rule(f"{A} == {B} + t9.bogus.x")], report({A: 5, B: 4}))
    assert not run([rule('s6 + 1 == 2')], report())  # text in arithmetic: FormulaError, not a crash


# --- the finding itself (item 7) ----------------------------------------------------------

def test_message_placeholders():
    r = report({A: 5, B: 3, "t2.fees.amount": "若干"})
    found = run([rule(f"{A} == {B}", "{lhs}/{rhs}/{diff}/" + "{t2.penalty.decisions}/{t2.fees.amount}/{t2.license.decisions}")], r)
    assert found[0].message == f"5/3/2/5/若干/{example_values(FMT)['t2.license.decisions']}"


def test_no_diff_between_text_sides_and_no_sides_without_a_comparison():
    r = report(sections={"s6": "甲"})
    found = run([rule('s6 == "乙"', "{lhs}|{rhs}|{diff}")], r)
    assert found[0].message == "甲|乙|空"  # no difference between texts: {diff} is no cell
    found = run([rule(f"not {A} == {A}", "{lhs}|{rhs}")], report())
    assert found[0].message == "|" and found[0].expected is None and found[0].actual is None


def test_finding_carries_rule_hint_name_severity_and_cells():
    r = report({A: 5, B: 3})
    found = run([rule(f"year > 0 and {A} == {B}", id="PR009", name="my-rule", severity="warning", hint="提示语")], r)
    f = found[0]
    assert (f.rule, f.name, f.hint, f.severity) == ("PR009", "my-rule", "提示语", "warning")
    assert f.cells == [A, B]  # report fields are no cells
    assert f.locations == [r.location(A), r.location(B)]
    assert f.locations[0].startswith("表二!")


def test_locations_of_last_years_cells_are_last_years():
    r = report({A: 5}, locations={A: "今年!B2"})
    prev = report({A: 4}, locations={A: "上年!C3"})
    f = run([rule(f"{A} == prev.{A}")], r, prev)[0]
    assert f.cells == [A, f"prev.{A}"]
    assert f.locations == ["今年!B2", "上年!C3"]


def test_run_check_directly_returns_none_when_the_rule_holds():
    from addin.ruleset import compile_rule

    (check,) = compile_rule(rule(f"{A} == {B}"), FMT)
    assert run_check(check, report({A: 3, B: 3})) is None
    assert isinstance(run_check(check, report({A: 3, B: 4})), Finding)


# --- order, reader findings, builtin checks, exit code ----------------------------------

def test_findings_in_table_order_within_a_severity_errors_first():
    rules = [rule("t4.review.total == 999", id="AA1"), rule(f"{A} == 999", id="ZZ1"),
             rule("t3.new.total == 999", id="MM1", severity="warning"), rule("t2.rules.issued == 999", id="ZZ0")]
    assert [f.rule for f in run(rules, report())] == ["ZZ0", "ZZ1", "AA1", "MM1"]


def _with_problem(rule_id, severity="error"):
    r = report()
    r.problems.append(Finding(rule=rule_id, severity=severity, message="读入时发现的问题", cells=[A]))
    return r


def test_reader_findings_follow_the_overlays_severity(tmp_path):
    overlay = tmp_path / "o.json"
    overlay.write_text('{"severity": {"J001": "warning"}}', encoding="utf-8")
    found = validate(_with_problem("J001"), load_rules(overlay))
    assert [(f.rule, f.severity, f.message) for f in found] == [("J001", "warning", "读入时发现的问题")]
    assert [(f.rule, f.severity) for f in validate(_with_problem("J001", "info"))] == [("J001", "error")]


def test_reader_findings_of_disabled_or_unknown_rules_are_dropped(tmp_path):
    overlay = tmp_path / "o.json"
    overlay.write_text('{"disable": ["J001"]}', encoding="utf-8")
    assert validate(_with_problem("J001"), load_rules(overlay)) == []
    assert validate(_with_problem("NOPE")) == []


def test_unknown_builtin_check_is_a_key_error_naming_the_rule():
    bad = Rule(id="PR777", name="bad", severity="error", title="t", message="m", why="", fix="", source="",
               kind="builtin", check="no_such_check", formats=(FMT,))
    with pytest.raises(KeyError, match="PR777.*no_such_check"):
        validate(report(), RuleSet([bad]))


def test_builtin_rules_run_through_validate():
    found = validate(report({A: -3}), RuleSet([builtin_rules().get("V002")]))
    assert [f.rule for f in found] == ["V002"]


def test_default_rules_are_the_shipped_ones():
    r = report({"t3.forward.natural": 99})
    assert validate(r) == validate(r, builtin_rules())
    assert any(f.rule == "T301" for f in validate(r))


def test_exit_code():
    assert exit_code([]) == 0
    assert exit_code([Finding("X", "warning", "m"), Finding("Y", "info", "m")]) == 0
    assert exit_code([Finding("X", "warning", "m"), Finding("Y", "error", "m")]) == 1


# --- shipped rules exactly on their boundaries (item 3) ------------------------------------

def _ids(r, prev=None):
    return {f.rule for f in validate(r, prev=prev)}


@pytest.mark.parametrize("fmt, rule_id, row", [("2019", "T304", "other"), ("2021", "T305", "other_misc")])
@pytest.mark.parametrize("other, total, fires", [(5, 25, False), (5, 24, True), (6, 30, False), (6, 29, True),
                                                 (4, 10, False)])
def test_other_share_rules_on_the_one_fifth_boundary(fmt, rule_id, row, other, total, fires):
    r = report({f"t3.{row}.total": other, "t3.total.total": total}, fmt=fmt, year=2020 if fmt == "2019" else 2023)
    assert (rule_id in _ids(r)) is fires


@pytest.mark.parametrize("last, this, fires", [
    (10, 50, False), (10, 51, True), (50, 10, False), (51, 10, True),  # five times, either way
    (1, 10, True), (1, 9, False),  # only from 10 cases on
])
def test_jump_rule_on_its_boundaries(last, this, fires):
    r, prev = report({"t3.new.total": this}), report({"t3.new.total": last}, year=2024)
    assert ("X003" in _ids(r, prev)) is fires


def test_text_against_a_number_has_no_difference():
    found = run([rule("s6 == 5", "{lhs}|{rhs}|{diff}")], report(sections={"s6": "甲"}))
    assert found[0].message == "甲|5|空"


def test_last_years_cell_without_last_years_report_keeps_its_key_as_location():
    # `false and …` is decided without last year's cell, so the finding is made without it
    found = run([rule(f"{A} == 999 and prev.{A} == 1", "x")], report())
    assert found[0].cells == [A, f"prev.{A}"]
    assert found[0].locations == [report().location(A), f"prev.{A}"]

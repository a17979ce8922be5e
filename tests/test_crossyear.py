"""Cross-year rules (rules/rulesets/crossyear.json): each fires on a pair of reports that
breaks it and stays quiet on a consistent pair, and none fires without last year's report."""


import pytest

from addin.cli import main
from addin.examples import example_report, example_values
from addin.model import Report
from addin.review.crossyear import copied_share
from addin.ruleset import builtin_rules
from addin.validate import validate

PROSE_A = {
    "s1": "本年度我办围绕重点领域信息公开，新建了政策文件库，完善了依申请公开登记、审核、答复的全流程台账，"
          "组织了两次业务培训，并对门户网站专栏进行了栏目梳理和内容校核，全年未发生泄密事件。",
    "s5": "问题是解读材料形式单一、基层公开标准目录更新不及时。下一步将推出图表解读并按季度更新目录。",
    "s6": "本年度未收取信息处理费。",
}
PROSE_B = {
    "s1": "今年的工作重心放在政务新媒体矩阵整合上：关停了三个长期不更新的账号，统一了发布审核流程，"
          "同时在乡镇便民服务中心设置了查阅点，方便群众现场查询各类公开事项和办事指南。",
    "s5": "依申请公开答复文书仍有格式不统一的情况；计划制定答复模板，并请法律顾问逐件审核。",
    "s6": "无。",
}


def pair(fmt="2021", this=None, last=None, this_prose=PROSE_A, last_prose=PROSE_B, last_fmt=None):
    """Last year's report and this year's, consistent unless changed: this year's 上年结转
    equals last year's 结转, and this year's 现行有效 = last year's + 制发 − 废止."""
    last_fmt = last_fmt or fmt
    year = 2023 if fmt == "2021" else 2020
    lv = {**example_values(last_fmt), **(last or {})}
    tv = example_values(fmt)
    for col in ("natural", "commercial", "research", "nonprofit", "legal", "other", "total"):
        lv[f"t3.forward.{col}"] = tv[f"t3.carried.{col}"]
    if fmt == "2021" and last_fmt == "2021":
        for row in ("rules", "normative"):
            lv[f"t2.{row}.in_force"] = tv[f"t2.{row}.in_force"] - tv[f"t2.{row}.issued"] + tv[f"t2.{row}.repealed"]
    lv.update(last or {})
    tv.update(this or {})
    base = example_report(fmt)
    prev = Report.from_values(last_fmt, lv, year=year - 1, agency=base.agency, sections=last_prose)
    cur = Report.from_values(fmt, tv, year=year, agency=base.agency, sections=this_prose)
    return cur, prev


def fired(cur, prev, rule_id):
    return [f for f in validate(cur, prev=prev) if f.rule == rule_id]


CROSSYEAR = sorted(r.id for r in builtin_rules().rules if r.origin == "crossyear.json")

FIRES = {
    "X001": dict(last={"t3.forward.legal": 3, "t3.forward.total": 4}),
    "X002": dict(last={"t2.normative.in_force": 40}),
    "X003": dict(last={"t3.new.total": 120}),
    "X004": dict(last={"t2.license.decisions": 12}),
    "X005": dict(this={"t4.review.upheld": 30, "t4.review.total": 31}),
    "X006": dict(this_prose=PROSE_B),
}


def test_every_crossyear_rule_has_a_case():
    assert set(CROSSYEAR) == set(FIRES)


@pytest.mark.parametrize("rule_id", sorted(FIRES))
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_fires(rule_id, fmt):
    if rule_id == "X002" and fmt == "2019":
        pytest.skip("X002 is for the 2021 format only")
    cur, prev = pair(fmt, **FIRES[rule_id])
    found = fired(cur, prev, rule_id)
    assert found, f"{rule_id} did not fire"
    rule = builtin_rules().get(rule_id)
    for f in found:
        assert f.severity == rule.severity and "{" not in f.message


@pytest.mark.parametrize("rule_id", sorted(FIRES))
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_quiet_on_consistent_pair(rule_id, fmt):
    cur, prev = pair(fmt)
    assert fired(cur, prev, rule_id) == []


@pytest.mark.parametrize("rule_id", sorted(FIRES))
def test_quiet_without_last_year(rule_id):
    cur, _ = pair("2021", **FIRES[rule_id])
    assert [f for f in validate(cur) if f.rule == rule_id] == []


def test_x001_names_the_column_and_both_numbers():
    cur, prev = pair("2021", last={"t3.forward.legal": 3, "t3.forward.total": 4})
    msgs = {f.cells[0]: f.message for f in fired(cur, prev, "X001")}
    assert "t3.carried.legal" in msgs
    assert "法律服务机构" in msgs["t3.carried.legal"] and "3" in msgs["t3.carried.legal"]
    assert any(c == "prev.t3.forward.legal" for f in fired(cur, prev, "X001") for c in f.cells)


def test_x002_only_when_both_years_use_the_2021_format():
    cur, prev = pair("2021", last_fmt="2019", last={"t2.normative.total": 90})
    assert fired(cur, prev, "X002") == []


def test_jumps_ignore_small_numbers():
    cur, prev = pair("2021", this={"t2.penalty.decisions": 8}, last={"t2.penalty.decisions": 1})
    assert fired(cur, prev, "X004") == []
    cur, prev = pair("2021", this={"t2.penalty.decisions": 60}, last={"t2.penalty.decisions": 6})
    assert [f.cells[0] for f in fired(cur, prev, "X004")] == ["t2.penalty.decisions"]


def test_copied_share_masks_digits_and_reports_the_share():
    cur, prev = pair("2021", this_prose=PROSE_A, last_prose={k: v.replace("两次", "3次") for k, v in PROSE_A.items()})
    assert copied_share(cur, prev) > 0.9
    f = fired(cur, prev, "X006")[0]
    assert "%" in f.message
    cur, prev = pair("2021")
    assert copied_share(cur, prev) < 0.2


def test_short_prose_is_not_compared():
    short = {"s1": "无。", "s5": "无。", "s6": "无。"}
    cur, prev = pair("2021", this_prose=short, last_prose=short)
    assert fired(cur, prev, "X006") == []


def test_validate_cli_with_prev(tmp_path, capsys):
    import json

    cur, prev = pair("2021", last={"t3.forward.legal": 3, "t3.forward.total": 4})
    (tmp_path / "this.json").write_text(json.dumps(cur.to_json(), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "last.json").write_text(json.dumps(prev.to_json(), ensure_ascii=False), encoding="utf-8")
    code = main(["validate", str(tmp_path / "this.json"), "--prev", str(tmp_path / "last.json")])
    out = capsys.readouterr().out
    assert code == 1 and "X001" in out
    code = main(["validate", str(tmp_path / "this.json")])
    assert "X001" not in capsys.readouterr().out

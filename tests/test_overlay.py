"""User overlays: switch rules off, change severity, add rules; bad overlays explained."""

import json

import pytest

from addin.examples import example_report, example_values
from addin.model import Report
from addin.ruleset import RuleSetError, load_rules
from addin.validate import validate


def write(tmp_path, data):
    p = tmp_path / "overlay.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def broken():
    base = example_report("2021")
    values = {**example_values("2021"), "t3.forward.natural": 4}
    return Report.from_values("2021", values, year=base.year, agency=base.agency, sections=base.sections)


def test_disable(tmp_path):
    rules = load_rules(write(tmp_path, {"disable": ["T301"]}))
    assert not [f for f in validate(broken(), rules) if f.rule == "T301"]
    assert [f for f in validate(broken()) if f.rule == "T301"]


def test_severity_by_name(tmp_path):
    rules = load_rules(write(tmp_path, {"severity": {"t3-column-balance": "warning"}}))
    assert {f.severity for f in validate(broken(), rules) if f.rule == "T301"} == {"warning"}


def test_add_a_provincial_rule(tmp_path):
    rule = {
        "id": "PR001", "name": "license-decisions-reported", "severity": "warning", "formats": ["2021"],
        "title": "本省要求：行政许可处理决定数量不得为 0",
        "assert": "t2.license.decisions > 0",
        "message": "表二 行政许可处理决定数量为 {t2.license.decisions}，本省要求如实填报",
        "why": "本省通知要求。", "fix": "核实后填报。", "source": "某省政务公开办通知",
    }
    rules = load_rules(write(tmp_path, {"rules": [rule]}))
    base = example_report("2021")
    r = Report.from_values("2021", {**example_values("2021"), "t2.license.decisions": 0}, year=2025,
                           agency=base.agency, sections=base.sections)
    hits = [f for f in validate(r, rules) if f.rule == "PR001"]
    assert hits and hits[0].message == "表二 行政许可处理决定数量为 0，本省要求如实填报"
    assert not [f for f in validate(example_report("2021"), rules) if f.rule == "PR001"]


@pytest.mark.parametrize("data,match", [
    ({"disable": ["NOPE"]}, "没有编号或名称为“NOPE”"),
    ({"severity": {"T301": "fatal"}}, "不符合规则文件格式"),
    ({"rules": [{"id": "T301", "name": "dup", "severity": "error", "title": "x", "assert": "1 == 1",
                 "message": "m", "why": "", "fix": "", "source": ""}]}, "重复"),
    ({"rules": [{"id": "PR002", "name": "broken", "severity": "error", "title": "x", "assert": "t3.new.natural ==",
                 "message": "m", "why": "", "fix": "", "source": ""}]}, "公式有误"),
    ({"unknown": 1}, "不符合规则文件格式"),
])
def test_bad_overlays_are_explained(tmp_path, data, match):
    with pytest.raises(RuleSetError, match=match):
        load_rules(write(tmp_path, data))


def test_overlay_not_json(tmp_path):
    p = tmp_path / "o.json"
    p.write_text("{oops", encoding="utf-8")
    with pytest.raises(RuleSetError, match="第 1 行"):
        load_rules(p)

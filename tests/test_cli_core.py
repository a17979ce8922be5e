"""The `validate` and `rule` commands as a user runs them: output, JSON, exit codes."""

import json
import subprocess
import sys

import pytest

from addin.examples import example_report


def nianbao(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def clean_json(tmp_path):
    p = tmp_path / "clean.json"
    p.write_text(json.dumps(example_report("2021").to_json(), ensure_ascii=False), encoding="utf-8")
    return p


@pytest.fixture
def broken_json(tmp_path):
    doc = example_report("2021").to_json()
    doc["values"]["t3.forward.natural"] += 2  # breaks 一 + 二 = 三（七）+ 四 in two columns (T301 only)
    doc["values"]["t3.forward.total"] += 2
    p = tmp_path / "broken.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return p


def test_clean_report_exit_0(clean_json):
    r = nianbao("validate", str(clean_json))
    assert r.returncode == 0, r.stderr
    assert "未发现问题" in r.stdout


def test_errors_exit_1_one_line_each(broken_json):
    r = nianbao("validate", str(broken_json))
    assert r.returncode == 1
    line = next(l for l in r.stdout.splitlines() if " T301 " in l)
    assert line.startswith(f"{broken_json}:表三!D6: 错误 T301 表三“自然人”列：")


def test_json_output_is_the_findings_document(broken_json):
    r = nianbao("validate", "--format", "json", str(broken_json))
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["file"] == str(broken_json) and doc["format"] == "2021" and doc["summary"]["errors"] >= 1
    assert doc["findings"][0]["rule"] == "T301"


@pytest.mark.parametrize("content,match", [
    (b"{not json", "不是合法的 JSON"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b"[1, 2]", "顶层应为对象"),
])
def test_unusable_json_exit_2_in_chinese(tmp_path, content, match):
    p = tmp_path / "bad.json"
    p.write_bytes(content)
    r = nianbao("validate", str(p))
    assert r.returncode == 2
    assert match in r.stderr and "Traceback" not in r.stderr


def test_missing_file_and_pdf(tmp_path):
    r = nianbao("validate", str(tmp_path / "nope.json"))
    assert r.returncode == 2 and "找不到文件" in r.stderr
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    r = nianbao("validate", str(pdf))
    assert r.returncode == 2 and "PDF 文件已损坏" in r.stderr and "Traceback" not in r.stderr


def test_wrong_types_are_findings_not_crashes(tmp_path):
    p = tmp_path / "w.json"
    p.write_text(json.dumps({"format": "2021", "year": "二〇二三年", "agency": 7, "values": {"t3.new.natural": [1]},
                             "sections": "oops", "zzz": 1}), encoding="utf-8")
    r = nianbao("validate", "--format", "json", str(p))
    assert r.returncode == 1, r.stderr
    rules = {f["rule"] for f in json.loads(r.stdout)["findings"]}
    assert {"J001", "V001"} <= rules


def test_overlay_option(tmp_path, broken_json):
    o = tmp_path / "o.json"
    o.write_text(json.dumps({"severity": {"T301": "warning"}}), encoding="utf-8")
    assert nianbao("validate", "--rules", str(o), str(broken_json)).returncode == 0
    o.write_text("[]", encoding="utf-8")
    r = nianbao("validate", "--rules", str(o), str(broken_json))
    assert r.returncode == 2 and "规则覆盖文件" in r.stderr


def test_rule_explains(tmp_path):
    r = nianbao("rule", "T301")
    assert r.returncode == 0
    for part in ("T301 t3-column-balance", "为什么", "怎么改", "依据", "勾稽关系"):
        assert part in r.stdout
    assert nianbao("rule", "t3-column-balance").stdout == r.stdout
    r = nianbao("rule", "NOPE")
    assert r.returncode == 2 and "没有编号或名称" in r.stderr
    listing = nianbao("rule").stdout
    assert "T301" in listing and "V004" in listing


def test_rules_reference_page_is_current():
    from pathlib import Path

    from addin.ruleset import builtin_rules, rules_markdown

    page = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == rules_markdown(builtin_rules()), \
        "regenerate: nianbao rule --markdown > docs/rules.md"

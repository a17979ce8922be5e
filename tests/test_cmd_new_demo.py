"""``nianbao new`` and ``nianbao demo`` as a user runs them."""

import json
import subprocess
import sys

import openpyxl
import pytest

from addin.cli import main
from addin.examples import example_report
from addin.layout import template_locations
from addin.readers.workbook import read_workbook
from addin.ruleset import computed_cells
from addin.values import EMPTY


def nianbao(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "addin", *args], check=False, capture_output=True, text=True, cwd=cwd)


def write_json(path, report_json):
    path.write_text(json.dumps(report_json, ensure_ascii=False), encoding="utf-8")
    return path


def test_new_blank_format_from_year(tmp_path, capsys):
    out = tmp_path / "blank.xlsx"
    assert main(["new", "--year", "2020", "--agency", "某某县某某局", "-o", str(out)]) == 0
    report = read_workbook(out)
    assert (report.format, report.year, report.agency) == ("2019", 2020, "某某县某某局")
    computed = computed_cells("2019")
    assert all(c.state == EMPTY for k, c in report.cells.items() if k not in computed)
    assert all(report.number(k) == 0 for k in computed)  # live totals of nothing show 0, as in Excel
    assert "已生成" in capsys.readouterr().out
    out21 = tmp_path / "blank21.xlsx"
    assert main(["new", "--year", "2025", "-o", str(out21)]) == 0
    assert read_workbook(out21).format == "2021"


def test_new_refuses_wrong_format_and_overwrite(tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    assert main(["new", "--year", "2025", "--format", "2019", "-o", str(out)]) == 2
    assert not out.exists()
    assert "2021" in capsys.readouterr().err
    out.write_bytes(b"user data")
    assert main(["new", "--year", "2025", "-o", str(out)]) == 2
    assert out.read_bytes() == b"user data"
    assert "--force" in capsys.readouterr().err
    assert main(["new", "--year", "2025", "-o", str(out), "--force"]) == 0
    assert read_workbook(out).year == 2025


def test_new_from_report_json(tmp_path, capsys):
    report = example_report("2021")
    src = write_json(tmp_path / "r.json", report.to_json())
    out = tmp_path / "from.xlsx"
    assert main(["new", "--from", str(src), "-o", str(out)]) == 0
    assert read_workbook(out).to_json() == report.to_json()


def test_new_from_json_with_wrong_total_keeps_formula_and_says_so(tmp_path, capsys):
    doc = example_report("2021").to_json()
    doc["values"]["t4.review.total"] += 5
    src = write_json(tmp_path / "r.json", doc)
    out = tmp_path / "from.xlsx"
    assert main(["new", "--from", str(src), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "注意" in printed and "表四" in printed and "不符" in printed
    cell = openpyxl.load_workbook(out)["表四"]["E6"]
    assert cell.value == "=SUM(A6:D6)"
    assert read_workbook(out).number("t4.review.total") == doc["values"]["t4.review.total"] - 5


def test_new_from_missing_file(tmp_path, capsys):
    assert main(["new", "--from", str(tmp_path / "nope.json"), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", ["xlsx", "json"])
def test_new_prev_fills_carried_row(tmp_path, capsys, suffix):
    last = example_report("2021", year=2024)
    last.cells["t3.forward.legal"] = last.cells["t3.forward.natural"]  # a second non-zero column
    if suffix == "json":
        prev = write_json(tmp_path / "last.json", last.to_json())
    else:
        prev = tmp_path / "last.xlsx"
        from addin.writers.workbook import write_workbook

        write_workbook(last, prev)
    out = tmp_path / "new.xlsx"
    assert main(["new", "--year", "2025", "--agency", "示例局", "--prev", str(prev), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "上年结转" in printed and "自然人 1" in printed and "法律服务机构 1" in printed
    report = read_workbook(out)
    t3 = report.spec.table("t3")
    computed = computed_cells("2021")
    for column in t3.columns:
        key = f"t3.carried.{column.key}"
        if key in computed:
            continue
        assert report.number(key) == last.number(f"t3.forward.{column.key}")
    assert report.number("t3.carried.total") == 2  # the formula adds the carried row up
    assert report.cell("t3.new.natural").state == EMPTY


def test_demo_shows_the_deliberate_mistakes(tmp_path):
    r = nianbao("demo", "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    path = tmp_path / "示例年报-2021.xlsx"
    lines = r.stdout.splitlines()
    assert any("表三!D6: 错误 T301" in line and "自然人" in line for line in lines)
    assert any("表四!A6: 错误 T401" in line and "行政复议" in line for line in lines)
    assert any(" V005 " in line for line in lines) and any(" V006 " in line for line in lines)
    assert "nianbao rule T301" in r.stdout and "nianbao export" in r.stdout
    # the findings are printed exactly as `nianbao validate` prints them
    v = nianbao("validate", str(path))
    assert v.returncode == 1
    findings = [line for line in lines if line.startswith(str(path) + ":")]
    assert findings == v.stdout.splitlines()
    # the typed-over total is a plain number; every other total is still a live formula
    wb = openpyxl.load_workbook(path)
    locations = template_locations(read_workbook(path).spec)
    for key in computed_cells("2021"):
        sheet, coord = locations[key].split("!")
        value = wb[sheet][coord].value
        if key == "t4.review.total":
            assert isinstance(value, int)
        else:
            assert str(value).startswith("=SUM("), key


def test_demo_refuses_overwrite_and_bad_folder(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path), "--format", "2019"]) == 0
    path = tmp_path / "示例年报-2019.xlsx"
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["demo", "-o", str(tmp_path), "--format", "2019"]) == 2
    assert path.read_bytes() == before
    assert "--force" in capsys.readouterr().err
    assert main(["demo", "-o", str(tmp_path), "--format", "2019", "--force"]) == 0
    (tmp_path / "a-file").write_text("x")
    assert main(["demo", "-o", str(tmp_path / "a-file")]) == 2
    assert "不是文件夹" in capsys.readouterr().err


def test_demo_creates_its_output_folder_like_export(tmp_path):
    assert main(["demo", "-o", str(tmp_path / "new" / "sub")]) == 0
    assert (tmp_path / "new" / "sub" / "示例年报-2021.xlsx").is_file()


def test_demo_default_folder_is_current(tmp_path):
    r = nianbao("demo", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "示例年报-2021.xlsx").is_file()


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_prev_prefills_what_the_cross_year_rule_requires(fmt):
    from addin.commands.new import carry_over_pairs
    from addin.formats import load_format

    columns = [c.key for c in load_format(fmt).table("t3").columns if c.key != "total"]
    assert carry_over_pairs(fmt) == [(f"t3.carried.{c}", f"t3.forward.{c}") for c in columns]


def test_prefilled_workbook_passes_the_cross_year_check(tmp_path):
    prev = write_json(tmp_path / "last.json", example_report("2021", year=2024).to_json())
    out = tmp_path / "new.xlsx"
    assert main(["new", "--year", "2025", "--prev", str(prev), "-o", str(out)]) == 0
    r = nianbao("validate", "--prev", str(prev), "--format", "json", str(out))
    rules = {f["rule"] for f in json.loads(r.stdout)["findings"]}
    assert "X001" not in rules and "V004" in rules

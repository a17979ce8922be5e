"""``nianbao rollup``: the departments' tables added cell by cell; mixed formats or years
refused; units with errors named; blanks counted, text not added."""

import json
import random
from decimal import Decimal

import pytest

from addin.cli import main
from addin.examples import example_values, random_report
from addin.model import Report
from addin.readers import read_report


def unit(tmp_path, name, agency, fmt="2021", year=2023, seed=0, changes=None):
    r = random_report(fmt, random.Random(seed), year=year)
    values = {**r.to_json()["values"], **(changes or {})}
    rep = Report.from_values(fmt, values, year=year, agency=agency, sections=r.sections)
    p = tmp_path / name
    p.write_text(json.dumps(rep.to_json(), ensure_ascii=False), encoding="utf-8")
    return p, rep


def test_cells_add_up_and_units_are_listed(tmp_path, capsys):
    files = [unit(tmp_path, f"u{i}.json", f"示例区第{i}局", seed=i) for i in range(3)]
    out = tmp_path / "gov.json"
    assert main(["rollup", *[str(p) for p, _ in files], "-o", str(out), "--agency", "示例区人民政府"]) == 0
    gov = read_report(out)
    for key in ("t3.new.natural", "t3.total.total", "t2.license.decisions", "t4.review.total", "t2.fees.amount"):
        assert gov.number(key) == sum(r.number(key) for _, r in files)
    assert gov.agency == "示例区人民政府" and gov.year == 2023
    assert all(f"示例区第{i}局" in gov.sections["s6"] for i in range(3))
    text = capsys.readouterr().out
    assert "汇总单位（3 个）" in text and "示例区第2局" in text


def test_workbook_output(tmp_path):
    pytest.importorskip("addin.writers.workbook")
    files = [unit(tmp_path, f"u{i}.json", f"示例区第{i}局", seed=i) for i in range(2)]
    out = tmp_path / "gov.xlsx"
    assert main(["rollup", *[str(p) for p, _ in files], "-o", str(out)]) == 0
    gov = read_report(out)
    assert gov.number("t3.new.natural") == sum(r.number("t3.new.natural") for _, r in files)


def test_mixed_formats_are_refused(tmp_path, capsys):
    a, _ = unit(tmp_path, "a.json", "甲局", "2021", 2021)
    b, _ = unit(tmp_path, "b.json", "乙局", "2019", 2021)
    assert main(["rollup", str(a), str(b), "-o", str(tmp_path / "g.json")]) == 2
    err = capsys.readouterr().err
    assert "格式不一致" in err and "甲局" in err and "乙局" in err
    assert not (tmp_path / "g.json").exists()


def test_mixed_years_are_refused(tmp_path, capsys):
    a, _ = unit(tmp_path, "a.json", "甲局", year=2023)
    b, _ = unit(tmp_path, "b.json", "乙局", year=2024)
    assert main(["rollup", str(a), str(b), "-o", str(tmp_path / "g.json")]) == 2
    assert "年度不一致" in capsys.readouterr().err
    assert main(["rollup", str(a), str(b), "-o", str(tmp_path / "g.json"), "--year", "2023"]) == 2
    assert "不是 2023 年" in capsys.readouterr().err


def test_quiet_when_one_format_and_year(tmp_path):
    a, _ = unit(tmp_path, "a.json", "甲局", "2019", 2020)
    b, _ = unit(tmp_path, "b.json", "乙局", "2019", 2020, seed=5)
    assert main(["rollup", str(a), str(b), "-o", str(tmp_path / "g.json")]) == 0


def test_unit_with_errors_is_named_and_still_added(tmp_path, capsys):
    a, ra = unit(tmp_path, "a.json", "甲局")
    b, rb = unit(tmp_path, "b.json", "乙局", seed=3, changes={"t3.new.natural": 999})
    assert main(["rollup", str(a), str(b), "-o", str(tmp_path / "g.json")]) == 0
    out = capsys.readouterr()
    assert "乙局" in out.out and "个错误，数字仍已计入" in out.out
    assert "甲局（" in out.out and "甲局（" + str(a) + "）  ←" not in out.out
    gov = read_report(tmp_path / "g.json")
    assert gov.number("t3.new.natural") == ra.number("t3.new.natural") + 999


def test_blank_and_na_add_as_zero_and_text_is_not_added(tmp_path, capsys):
    a, ra = unit(tmp_path, "a.json", "甲局", changes={"t2.penalty.decisions": "", "t2.coercion.decisions": "/"})
    b, rb = unit(tmp_path, "b.json", "乙局", seed=2, changes={"t2.license.decisions": "若干"})
    assert main(["rollup", str(a), str(b), "-o", str(tmp_path / "g.json")]) == 0
    text = capsys.readouterr().out
    assert "甲局：2 个单元格为空或“/”，按 0 计入" in text
    assert "若干" in text and "未计入" in text
    gov = read_report(tmp_path / "g.json")
    assert gov.number("t2.penalty.decisions") == rb.number("t2.penalty.decisions")
    assert gov.number("t2.license.decisions") == ra.number("t2.license.decisions")


def test_duplicate_unit_and_unreadable_file_are_refused(tmp_path, capsys):
    a, _ = unit(tmp_path, "a.json", "甲局")
    b, _ = unit(tmp_path, "b.json", "甲 局", seed=4)
    assert main(["rollup", str(a), str(b), "-o", str(tmp_path / "g.json")]) == 2
    assert "不止一次" in capsys.readouterr().err
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF")
    assert main(["rollup", str(a), str(bad), "-o", str(tmp_path / "g.json")]) == 2
    assert "PDF" in capsys.readouterr().err


def test_decimal_amounts_add_exactly(tmp_path):
    v = example_values("2021")
    for name, amount in (("a.json", "0.1"), ("b.json", "0.2")):
        rep = Report.from_values("2021", {**v, "t2.fees.amount": amount}, year=2023, agency=name)
        (tmp_path / name).write_text(json.dumps(rep.to_json(), ensure_ascii=False), encoding="utf-8")
    assert main(["rollup", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "-o", str(tmp_path / "g.json")]) == 0
    assert read_report(tmp_path / "g.json").number("t2.fees.amount") == Decimal("0.3")


def test_cells_missing_from_a_unit_are_counted_apart_from_blanks(tmp_path, capsys):
    v = example_values("2021")
    part = {k: x for k, x in v.items() if not k.startswith("t4.")}
    for name, values in (("a.json", v), ("b.json", part)):
        rep = Report.from_values("2021", values, year=2023, agency=name[0] + "局")
        (tmp_path / name).write_text(json.dumps(rep.to_json(), ensure_ascii=False), encoding="utf-8")
    assert main(["rollup", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "-o", str(tmp_path / "g.json")]) == 0
    out = capsys.readouterr().out
    assert "b局：15 个单元格缺失" in out and "a局：" not in out.split("汇总结果")[0].split("\n", 3)[-1]
    assert read_report(tmp_path / "g.json").number("t4.review.total") == v["t4.review.total"]

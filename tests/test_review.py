"""``nianbao review``: a mixed batch gives one row per file, bad files included; xlsx,
html and json outputs; last year's reports matched by agency; duplicates flagged."""

import json
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "import"))
from published import render_docx, render_html, render_text  # noqa: E402

from addin.cli import main  # noqa: E402
from addin.examples import example_values, random_report  # noqa: E402
from addin.model import Report  # noqa: E402
from addin.review.batch import agency_key, iter_paths, review  # noqa: E402


def named(fmt, seed, agency, year=None):
    r = random_report(fmt, random.Random(seed), year=year)
    r.agency = agency
    return r


def dump(report, path):
    path.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def batch(tmp_path):
    d = tmp_path / "batch"
    (d / "sub").mkdir(parents=True)
    dump(named("2021", 1, "示例县甲局", 2023), d / "a.json")
    (d / "b.html").write_text(render_html(named("2021", 2, "示例县乙局", 2023)), encoding="utf-8")
    (d / "sub" / "c.txt").write_text(render_text(named("2019", 3, "示例县丙局", 2020), "tabs"), encoding="utf-8")
    render_docx(named("2021", 4, "示例县丁局", 2023), d / "sub" / "d.docx")
    (d / "junk.html").write_text("<html><body><p>招聘启事</p></body></html>", encoding="utf-8")
    (d / "scan.pdf").write_bytes(b"%PDF-1.5")
    (d / "logo.png").write_bytes(b"\x89PNG")
    (d / "broken.docx").write_bytes(b"not a zip")
    (d / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    from addin.writers.workbook import write_workbook

    write_workbook(named("2021", 5, "示例县戊局", 2023), d / "sub" / "e.xlsx")
    dump(named("2019", 6, "示例县己局", 2023), d / "sub" / "f.json")  # 2019 tables in a 2023 report
    return d


def test_one_row_per_file_bad_files_included(batch):
    rows = review([batch], jobs=1)
    names = [Path(r.file).name for r in rows]
    assert names == ["a.json", "b.html", "broken.docx", "junk.html", "old.doc", "scan.pdf", "c.txt", "d.docx",
                     "e.xlsx", "f.json"]
    by = {Path(r.file).name: r for r in rows}
    assert by["junk.html"].problem and "不像是" in by["junk.html"].problem
    assert "PDF 文件已损坏" in by["scan.pdf"].problem and "Word" in by["scan.pdf"].problem
    assert "Word" in by["broken.docx"].problem
    assert ".docx" in by["old.doc"].problem
    assert by["c.txt"].format == "2019" and by["c.txt"].agency == "示例县丙局"
    assert by["d.docx"].year == 2023 and not by["d.docx"].problem
    assert by["e.xlsx"].agency == "示例县戊局" and not by["e.xlsx"].problem
    assert any(f["rule"] == "F001" for f in by["f.json"].findings) and by["f.json"].status == "有错误"


def test_parallel_gives_the_same_rows(batch):
    for i in range(12):
        dump(named("2021", 10 + i, f"示例县第{i}所", 2023), batch / f"x{i}.json")
    one = [(r.file, r.errors, r.warnings, r.problem) for r in review([batch], jobs=1)]
    two = [(r.file, r.errors, r.warnings, r.problem) for r in review([batch], jobs=2)]
    assert one == two and len(one) == 22


def test_xlsx_output_has_autofilter_and_details(batch, tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "review.xlsx"
    code = main(["review", str(batch), "-o", str(out), "--jobs", "1"])
    assert code == 2  # some files could not be read
    wb = load_workbook(out)
    ws = wb["审核汇总"]
    assert ws.auto_filter.ref.startswith("A1:") and ws.max_row == 11
    assert [c.value for c in ws[1]][:5] == ["文件", "机关", "年度", "格式", "状态"]
    details = wb["问题明细"]
    assert details.max_row > 9
    assert any(row[4].value == "无法读取" for row in details.iter_rows(min_row=2))
    assert "审核结果已写出" in capsys.readouterr().out


def test_html_and_json_outputs(batch, tmp_path, capsys):
    out = tmp_path / "review.html"
    main(["review", str(batch), "-o", str(out), "--jobs", "1"])
    page = out.read_text(encoding="utf-8")
    assert "class='sortable'" in page and "<section id='r0'>" in page and "无法读取" in page
    capsys.readouterr()
    main(["review", str(batch), "--format", "json", "--jobs", "1"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["reports"] == 10 and doc["summary"]["unreadable"] == 4
    assert {r["status"] for r in doc["reports"]} >= {"无法读取"}


def test_refuses_to_overwrite_the_output(batch, tmp_path):
    out = tmp_path / "review.xlsx"
    out.write_bytes(b"keep")
    assert main(["review", str(batch), "-o", str(out)]) == 2
    assert out.read_bytes() == b"keep"


def test_progress_bar_on_request(batch, capsys):
    main(["review", str(batch / "a.json"), "--progress", "--jobs", "1"])
    assert "审核 [" in capsys.readouterr().err
    main(["review", str(batch / "a.json"), "--jobs", "1"])
    assert "审核 [" not in capsys.readouterr().err


def test_duplicates_are_flagged(tmp_path):
    r = named("2021", 1, "示例县甲局", 2023)
    dump(r, tmp_path / "one.json")
    (tmp_path / "two.html").write_text(render_html(r), encoding="utf-8")
    dump(named("2021", 2, "示例县乙局", 2023), tmp_path / "other.json")
    rows = {Path(x.file).name: x for x in review([tmp_path], jobs=1)}
    assert "重复" in rows["one.json"].notes[0] and "two.html" in rows["one.json"].notes[0]
    assert rows["other.json"].notes == []


def test_a_file_named_twice_is_reviewed_once(tmp_path):
    r = named("2021", 1, "示例县甲局", 2023)
    dump(r, tmp_path / "one.json")
    rows = review([tmp_path / "one.json", tmp_path / "one.json", tmp_path], jobs=1)
    assert [Path(x.file).name for x in rows] == ["one.json"] and rows[0].notes == []


def test_many_duplicates_name_a_few_and_count_the_rest(tmp_path):
    """2,000 copies of one report must not print every other name on every row."""
    r = named("2021", 1, "示例县甲局", 2023)
    for n in range(12):
        dump(r, tmp_path / f"copy{n:02}.json")
    rows = review([tmp_path], jobs=1)
    assert len(rows) == 12
    for row in rows:
        (note,) = row.notes
        assert note.count(".json") == 3 and "另外 11 份" in note and "本批共 12 份" in note
        assert Path(row.file).name not in note


@pytest.mark.parametrize("jobs", [1, 2])
def test_prev_dir_matches_by_agency_name(tmp_path, jobs):
    last, this = tmp_path / "2022", tmp_path / "2023"
    last.mkdir()
    this.mkdir()
    v = example_values("2021")
    good_prev = {**v, **{f"t3.forward.{c}": v[f"t3.carried.{c}"] for c in
                         ("natural", "commercial", "research", "nonprofit", "legal", "other", "total")}}
    bad_prev = {**good_prev, "t3.forward.natural": 7, "t3.forward.total": 7}
    dump(Report.from_values("2021", good_prev, year=2022, agency="示例县 甲局"), last / "jia.json")
    dump(Report.from_values("2021", bad_prev, year=2022, agency="示例县乙局（本级）"), last / "yi.json")
    dump(Report.from_values("2021", v, year=2023, agency="示例县甲局"), this / "jia.json")
    dump(Report.from_values("2021", v, year=2023, agency="示例县乙局"), this / "yi.json")
    dump(Report.from_values("2021", v, year=2023, agency="示例县丙局"), this / "bing.json")
    rows = {Path(x.file).name: x for x in review([this], prev_dir=str(last), jobs=jobs)}
    x001 = lambda r: [f for f in r.findings if f["rule"] == "X001"]  # noqa: E731
    assert rows["yi.json"].prev.endswith("yi.json") and x001(rows["yi.json"])
    assert rows["jia.json"].prev.endswith("jia.json") and not x001(rows["jia.json"])
    assert rows["bing.json"].prev == "" and not x001(rows["bing.json"])


def test_single_prev(tmp_path, capsys):
    v = example_values("2021")
    dump(Report.from_values("2021", {**v, "t3.forward.legal": 4, "t3.forward.total": 5}, year=2022, agency="甲"),
         tmp_path / "last.json")
    dump(Report.from_values("2021", v, year=2023, agency="甲"), tmp_path / "this.json")
    main(["review", str(tmp_path / "this.json"), "--prev", str(tmp_path / "last.json"), "--jobs", "1"])
    assert "X001" in capsys.readouterr().out


def test_agency_key():
    assert agency_key("示例市 示例区（本级）司法局") == agency_key("示例市示例区司法局")
    assert agency_key("") == ""


def test_iter_paths_is_lazy_and_recursive(batch):
    it = iter_paths([batch])
    assert next(it).name == "a.json"  # a generator: folders are walked as they are read
    assert "logo.png" not in {p.name for p in iter_paths([batch])}


def test_output_inside_the_reviewed_folder_is_not_reviewed(batch):
    out = batch / "review.json"
    main(["review", str(batch), "-o", str(out), "--jobs", "1"])
    main(["review", str(batch), "-o", str(out), "--jobs", "1", "--force"])
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "review.json" not in {Path(r["file"]).name for r in doc["reports"]}


from addin.review.batch import _review_chunk as _real_review_chunk  # noqa: E402


def _die_on_bomb(paths, *args):
    import os as _os

    if any(p.endswith("bomb.json") for p in paths):
        _os._exit(1)  # a worker killed mid-chunk (out of memory, a crash in a C library)
    return _real_review_chunk(paths, *args)


def test_a_dying_worker_costs_only_its_files(tmp_path, monkeypatch):
    from addin.review import batch as batch_mod

    for i in range(79):
        dump(named("2021", i, f"示例{i}所", 2023), tmp_path / f"r{i:02d}.json")
    dump(named("2021", 99, "炸弹", 2023), tmp_path / "r15bomb.json")
    monkeypatch.setattr(batch_mod, "_review_chunk", _die_on_bomb)
    rows = review([tmp_path], jobs=2)
    assert len(rows) == 80
    dead = [r for r in rows if "工作进程异常退出" in r.problem]
    assert any(r.file.endswith("bomb.json") for r in dead)
    in_flight = 2 * 2 * batch_mod.chunk_size(80, 2)  # two chunks per worker at most
    assert len(dead) <= in_flight  # the in-flight chunks only
    assert sum(1 for r in rows if not r.problem) == 80 - len(dead) >= 80 - in_flight
    assert all(r.agency for r in rows if not r.problem)


FINDING_KEYS = {"rule", "severity", "message", "cells", "locations", "expected", "actual", "hint"}


def test_json_findings_are_in_the_public_findings_format(batch, capsys):
    main(["review", str(batch), "--format", "json", "--jobs", "1"])
    doc = json.loads(capsys.readouterr().out)
    findings = [f for r in doc["reports"] for f in r["findings"]]
    assert findings and all(set(f) == FINDING_KEYS for f in findings)
    arithmetic = [f for f in findings if f["expected"] is not None]
    assert arithmetic, "some finding carries an expected value"
    assert any(c.startswith("t3.") for f in findings for c in f["cells"])  # cell keys a script can use


def test_workbook_details_carry_cells_expected_actual_and_hint(batch, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "review.xlsx"
    main(["review", str(batch), "-o", str(out), "--jobs", "1"])
    details = load_workbook(out)["问题明细"]
    header = [c.value for c in details[1]]
    assert header == ["文件", "机关", "年度", "规则", "级别", "位置", "说明", "单元格", "应为", "实为", "提示"]
    rows = [[c.value for c in row] for row in details.iter_rows(min_row=2)]
    with_cells = [r for r in rows if r[7]]
    assert with_cells and all(k.count(".") == 2 for r in with_cells for k in r[7].split("、") if k.startswith("t"))
    assert any(isinstance(r[8], (int, float)) and isinstance(r[9], (int, float)) for r in rows)

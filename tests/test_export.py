"""``nianbao export``: formats, names, refusing to overwrite, --strict, --prev, --generate,
bad input, a missing LibreOffice and an unusable output folder."""

import json
import os
import stat
from pathlib import Path

import pytest
from docx import Document as open_docx

from addin.cli import main
from addin.commands.export import safe_stem
from addin.examples import example_report, example_values
from addin.model import Report

STEM = "示例市示例区数据资源管理局2025年政府信息公开工作年度报告"


def write_json(path: Path, report: Report) -> Path:
    path.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def report_json(tmp_path):
    return write_json(tmp_path / "in.json", example_report("2021"))


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.libreoffice
def test_exports_every_format(report_json, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", str(report_json), "--to", "docx,html,pdf,json", "-o", str(out)]) == 0
    assert files(out) == [f"{STEM}.{ext}" for ext in ("docx", "html", "json", "pdf")]
    assert (out / f"{STEM}.pdf").read_bytes()[:5] == b"%PDF-"
    again = json.loads((out / f"{STEM}.json").read_text(encoding="utf-8"))
    assert again == example_report("2021").to_json()
    captured = capsys.readouterr()
    assert "已导出" in captured.out
    from addin.document.pdf import font_substitutions

    subs = font_substitutions()  # which official fonts this machine lacks: the user is told
    assert all(f"{name}→{used}" in captured.err for name, used in subs.items())
    assert ("提示：本机未安装公文字体" in captured.err) == bool(subs)


def test_refuses_to_overwrite_without_force_and_writes_nothing(report_json, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{STEM}.html").write_text("用户自己的文件", encoding="utf-8")
    assert main(["export", str(report_json), "--to", "docx,html", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "文件已存在" in err and "--force" in err
    assert files(out) == [f"{STEM}.html"]  # the .docx was not written either
    assert (out / f"{STEM}.html").read_text(encoding="utf-8") == "用户自己的文件"
    assert main(["export", str(report_json), "--to", "docx,html", "-o", str(out), "--force"]) == 0
    assert files(out) == [f"{STEM}.docx", f"{STEM}.html"]
    assert (out / f"{STEM}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def broken_report(tmp_path):
    values = {**example_values("2021"), "t3.new.natural": 10}  # breaks 一 + 二 = 三（七）+ 四
    base = example_report("2021")
    r = Report.from_values("2021", values, year=2025, agency=base.agency, contact=base.contact, sections=base.sections)
    return write_json(tmp_path / "broken.json", r)


def test_warns_on_errors_but_exports(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", str(broken_report(tmp_path)), "--to", "html", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "T301" in err and "警告：报告仍有 2 个错误" in err
    assert files(out) == [f"{STEM}.html"]


def test_strict_refuses_on_errors(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", str(broken_report(tmp_path)), "--to", "html", "-o", str(out), "--strict"]) == 1
    assert "拒绝导出" in capsys.readouterr().err
    assert not out.exists() or files(out) == []


def test_strict_exports_a_clean_report(report_json, tmp_path):
    assert main(["export", str(report_json), "--to", "html", "-o", str(tmp_path / "o"), "--strict"]) == 0


def test_prose_mismatch_is_a_warning_with_a_hint(tmp_path, capsys):
    r = example_report("2021")
    r.sections = {**r.sections, "s1": "全年新增主动公开政府信息370条，包括：机构职能24条、政策文件83条、规划计划10条、工作动态166条。"}
    src = write_json(tmp_path / "p.json", r)
    assert main(["export", str(src), "--to", "html", "-o", str(tmp_path / "o"), "--strict"]) == 0
    assert "1 个警告" in capsys.readouterr().err


def test_prev_adds_change_sentences_and_generate_chooses_sections(report_json, tmp_path):
    prev = example_report("2021", year=2024)
    prev.cells["t3.new.total"] = type(prev.cells["t3.new.total"])(9, "number", 9)
    prev_path = write_json(tmp_path / "prev.json", prev)
    out = tmp_path / "o"
    assert main(["export", str(report_json), "--to", "docx", "-o", str(out), "--prev", str(prev_path),
                 "--generate", "s1,s3"]) == 0
    texts = [p.text for p in open_docx(out / f"{STEM}.docx").paragraphs]
    assert any("本年新收政府信息公开申请13件，较上年增加4件；" in t for t in texts)
    assert any(t.startswith("我局依法做好") for t in texts)  # s1 chosen; the clerk's 总体情况 says the year
    assert not any(t.startswith("作出行政许可决定") or "行政许可决定" in t for t in texts)  # s2 not chosen


def test_workbook_input(tmp_path):
    writer = pytest.importorskip("addin.writers.workbook")
    book = tmp_path / "报告.xlsx"
    writer.write_workbook(example_report("2021"), book)
    out = tmp_path / "o"
    assert main(["export", str(book), "--to", "html,json", "-o", str(out)]) == 0
    data = json.loads((out / f"{STEM}.json").read_text(encoding="utf-8"))
    assert data["values"]["t3.new.total"] == 13 and data["agency"] == "示例市示例区数据资源管理局"


def test_file_names_are_sanitised():
    assert safe_stem("示例局", 2025) == "示例局2025年政府信息公开工作年度报告"
    assert safe_stem("../../etc/示例\x00局", 2025) == "etc_示例局2025年政府信息公开工作年度报告"
    assert safe_stem("a\\b:c*?\"<>|", None) == "a_b_c_政府信息公开工作年度报告"
    assert safe_stem("", None) == "政府信息公开工作年度报告"
    assert safe_stem("..", 2025) == "2025年政府信息公开工作年度报告"
    assert len(safe_stem("局" * 500, 2025)) <= 120


def test_path_tricks_in_the_agency_stay_inside_the_output_folder(tmp_path):
    r = example_report("2021")
    r.agency = "../../逃逸/示例局\x07"
    src = write_json(tmp_path / "in.json", r)
    out = tmp_path / "o"
    assert main(["export", str(src), "--to", "html", "-o", str(out)]) == 0
    [name] = files(out)
    assert name.endswith("2025年政府信息公开工作年度报告.html") and "/" not in name and ".." not in name
    assert files(tmp_path) == ["in.json", "o"]


def test_without_libreoffice_docx_and_html_still_work(report_json, tmp_path, monkeypatch, capsys):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no soffice on PATH
    out = tmp_path / "o"
    assert main(["export", str(report_json), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "无法生成 PDF" in err and "未安装 LibreOffice" in err
    assert files(out) == [f"{STEM}.docx", f"{STEM}.html"]


def test_bad_input_and_bad_output_folder(report_json, tmp_path, capsys):
    assert main(["export", str(tmp_path / "missing.json"), "-o", str(tmp_path)]) == 2
    assert "找不到文件" in capsys.readouterr().err
    a_file = tmp_path / "a.txt"
    a_file.write_text("x")
    assert main(["export", str(report_json), "--to", "html", "-o", str(a_file)]) == 2
    assert "输出路径不是文件夹" in capsys.readouterr().err
    assert main(["export", str(report_json), "--to", "rtf", "-o", str(tmp_path)]) == 2
    assert "--to 只能是" in capsys.readouterr().err
    assert main(["export", str(report_json), "--to", "html", "-o", str(a_file / "sub")]) == 2
    assert "无法创建输出文件夹" in capsys.readouterr().err
    if Path("/proc/self").is_dir():  # a folder nobody may create, even root
        assert main(["export", str(report_json), "--to", "html", "-o", "/proc/nianbao-export-test"]) == 2
        assert "无法创建输出文件夹" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_folder(report_json, tmp_path, capsys):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        assert main(["export", str(report_json), "--to", "html", "-o", str(out)]) == 2
        assert "没有写入权限" in capsys.readouterr().err
        assert files(out) == []
    finally:
        out.chmod(0o700)


def test_failed_write_leaves_nothing_half_written(report_json, tmp_path, monkeypatch, capsys):
    """The .docx is fully written to a temporary file, then putting it in place fails (disk
    full, a crash): no file under the final name, no temporary file left, a Chinese message."""
    real_link = os.link

    def link(src, dst, *a, **kw):
        if str(dst).endswith(".docx"):
            raise OSError(28, "No space left on device")
        return real_link(src, dst, *a, **kw)

    monkeypatch.setattr(os, "link", link)
    out = tmp_path / "o"
    assert main(["export", str(report_json), "--to", "html,docx", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "无法写入" in err and "磁盘空间不足" in err and f"{STEM}.docx" in err
    assert files(out) == [f"{STEM}.html"]  # html was complete; no .docx, no .part file


def test_empty_sections_and_hostile_text_export(tmp_path):
    r = example_report("2021")
    r.sections = {"s1": "", "s5": "\x00", "s6": '=HYPERLINK("http://x.invalid","点我")'}
    src = write_json(tmp_path / "in.json", r)
    out = tmp_path / "o"
    assert main(["export", str(src), "--to", "docx,html", "-o", str(out)]) == 0
    texts = [p.text for p in open_docx(out / f"{STEM}.docx").paragraphs]
    assert '=HYPERLINK("http://x.invalid","点我")' in texts
    assert any(t.startswith("2025年，本机关依法做好") for t in texts)  # s1 empty → generated


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_follow_the_users_umask_and_a_replaced_file_keeps_its_mode(tmp_path, umask):
    src = write_json(tmp_path / "in.json", example_report("2021"))
    out = tmp_path / "o"
    old = os.umask(umask)
    try:
        assert main(["export", str(src), "--to", "docx,html,json", "-o", str(out)]) == 0
        for fmt in ("docx", "html", "json"):
            assert stat.S_IMODE((out / f"{STEM}.{fmt}").stat().st_mode) == 0o666 & ~umask, fmt
        (out / f"{STEM}.html").chmod(0o640)
        assert main(["export", str(src), "--to", "html", "-o", str(out), "--force"]) == 0
        assert stat.S_IMODE((out / f"{STEM}.html").stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_signer_and_date_travel_through_json_and_workbook_into_the_closing_block(tmp_path):
    from addin.readers import read_report
    from addin.writers.workbook import write_workbook

    r = example_report("2021")
    assert "signer" not in r.to_json() and "signing_date" not in r.to_json()  # optional: absent when not given
    r.signer, r.signing_date = "示例市示例区人民政府办公室", "2026年1月20日"
    src = write_json(tmp_path / "in.json", r)
    back = read_report(src)
    assert (back.signer, back.signing_date) == (r.signer, r.signing_date) and not back.problems
    book = tmp_path / "r.xlsx"
    write_workbook(back, book)
    again = read_report(book)
    assert (again.signer, again.signing_date) == (r.signer, r.signing_date)
    out = tmp_path / "o"
    assert main(["export", str(book), "--to", "html", "-o", str(out)]) == 0
    html = (out / f"{STEM}.html").read_text(encoding="utf-8")
    assert '<div class="closing"><div><p>示例市示例区人民政府办公室</p><p>2026年1月20日</p></div></div>' in html


CUT = Path(__file__).parent / "fixtures" / "import" / "handwritten_2021_cut.txt"


def test_imported_report_with_unread_cells_is_refused_without_force(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["export", str(CUT), "--to", "html", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "拒绝导出" in err and "未能确定" in err and "t3." in err
    assert not out.exists() or not any(out.iterdir())


def test_imported_report_forced_prints_pending_cells_never_stray_text(tmp_path, capsys):
    text = CUT.read_text(encoding="utf-8").replace("行政许可 | 12 |", "行政许可 | 12件 |")
    src = tmp_path / "cut.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "o"
    assert main(["export", str(src), "--to", "html,json", "-o", str(out), "--force"]) == 0
    assert "【待核实】" in capsys.readouterr().err
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert page.count("【待核实】") > 20  # the rows cut off, each cell
    assert "12件" not in page  # text where a number belongs is not printed as if it were the value
    assert "示例县农机服务中心" in page
    values = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))["values"]
    assert "【待核实】" not in json.dumps(values, ensure_ascii=False)  # the data stay as read


def test_complete_imported_report_exports_without_force(tmp_path):
    src = Path(__file__).parent / "fixtures" / "import" / "ocr" / "ocr-township-2021.txt"
    assert main(["export", str(src), "--to", "html", "-o", str(tmp_path / "o")]) == 0
    assert "【待核实】" not in next((tmp_path / "o").glob("*.html")).read_text(encoding="utf-8")

"""Hostile input, across every reader and writer (issue: fast and unbreakable).

* formula injection — text that starts with ``=``, ``+``, ``-`` or ``@`` stays inert
  text in every workbook and document we write;
* XML entity attacks — a billion-laughs DTD inside a workbook, a Word file or an HTML
  page is never expanded: the file is refused or read without it, quickly;
* a macro-bearing workbook where a plain one is expected is read for its values only;
* path tricks in the agency name never leave the chosen output folder.
"""

import io
import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document as open_docx

from addin.commands.export import safe_stem
from addin.errors import InputError
from addin.examples import example_report
from addin.readers import read_report
from addin.writers.workbook import write_workbook

INJECTIONS = ['=HYPERLINK("http://evil.invalid/","点我")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
              "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1"]


def nianbao(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture
def evil_report(tmp_path):
    r = example_report("2021")
    r.agency = INJECTIONS[0]
    r.sections["s5"], r.sections["s6"] = INJECTIONS[1], INJECTIONS[3]
    r.contact["phone"] = INJECTIONS[2]
    doc = r.to_json()
    doc["values"]["t3.new.legal"] = INJECTIONS[4]
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def live_injections(path: Path) -> list:
    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.coordinate, c.value) for ws in wb for row in ws.iter_rows() for c in row
            if c.data_type == "f" and isinstance(c.value, str)
            and any(bad in c.value for bad in ("evil.invalid", "cmd|", "1+1", "2+3"))]


def test_formula_injection_stays_text_in_every_workbook_we_write(evil_report, tmp_path):
    assert nianbao("new", "--from", str(evil_report), "-o", str(tmp_path / "new.xlsx")).returncode in (0, 1)
    nianbao("mark", str(tmp_path / "new.xlsx"), "-o", str(tmp_path / "marked.xlsx"), "--no-recalc")
    nianbao("review", str(evil_report), "-o", str(tmp_path / "review.xlsx"))
    other = json.loads(evil_report.read_text(encoding="utf-8"))
    other["agency"] = "+另一个单位"
    (tmp_path / "other.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    r = nianbao("rollup", str(evil_report), str(tmp_path / "other.json"), "-o", str(tmp_path / "gov.xlsx"),
                "--agency", "=示例区人民政府")
    outputs = ["new.xlsx", "marked.xlsx", "review.xlsx", "gov.xlsx"]
    for name in outputs:
        assert (tmp_path / name).exists(), f"{name} not written ({r.stderr[-300:]})"
        assert live_injections(tmp_path / name) == [], name
    # the text itself is kept, as text
    wb = openpyxl.load_workbook(tmp_path / "new.xlsx")
    assert any(c.value == INJECTIONS[0] and c.data_type == "s" for row in wb["基本信息"].iter_rows() for c in row)


def test_formula_injection_stays_text_in_documents(evil_report, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    r = nianbao("export", str(evil_report), "--to", "docx,html", "-o", str(out))
    assert r.returncode in (0, 1), r.stderr
    docx = next(out.glob("*.docx"))
    with zipfile.ZipFile(docx) as z:
        parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}
    xml = "".join(parts.values())
    assert "evil.invalid" in parts["word/document.xml"]  # kept as text …
    fields = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml) + re.findall(r'w:instr="([^"]*)"', xml)
    assert fields and not [f for f in fields if "HYPERLINK" in f or "evil" in f]  # … never a field (only PAGE)
    assert "<w:hyperlink" not in xml
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "evil.invalid" in html and 'href="http://evil.invalid' not in html
    assert all(p.suffix in (".docx", ".html") for p in out.iterdir() if not p.name.startswith("."))


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>")


def test_billion_laughs_in_a_workbook_is_not_expanded(tmp_path):
    good = tmp_path / "good.xlsx"
    write_workbook(example_report("2021"), good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in ("xl/workbook.xml", "xl/worksheets/sheet4.xml", "xl/sharedStrings.xml"):
                text = data.decode("utf-8")
                body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
                data = (LAUGHS + body.replace("示例", "&lol9;", 1)).encode("utf-8")
            zout.writestr(item, data)
    start = time.monotonic()
    try:
        report = read_report(bad)
        assert not any("lollol" in str(v.raw) for v in report.cells.values())
        assert "lollol" not in report.agency + "".join(report.sections.values())
    except InputError as e:
        assert str(e)
    assert time.monotonic() - start < 5


def test_billion_laughs_in_a_docx_and_html_is_not_expanded(tmp_path):
    html = tmp_path / "r.html"
    html.write_text(LAUGHS + "<html><body><p>一、总体情况</p><p>&lol9;</p></body></html>", encoding="utf-8")
    docx_path = tmp_path / "r.docx"
    d = open_docx()
    d.add_paragraph("一、总体情况")
    d.add_paragraph("正文")
    buf = io.BytesIO()
    d.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(docx_path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                data = (LAUGHS + text.split("?>", 1)[1]).replace("正文", "&lol9;").encode("utf-8")
            zout.writestr(item, data)
    for path in (html, docx_path):
        start = time.monotonic()
        try:
            report = read_report(path)
            assert "lollol" not in "".join(report.sections.values())
        except InputError as e:
            assert str(e)
        assert time.monotonic() - start < 5, path.suffix


def test_macro_bearing_workbook_read_for_values_only(tmp_path):
    src = tmp_path / "plain.xlsx"
    write_workbook(example_report("2021"), src)
    xlsm = tmp_path / "with-macros.xlsm"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(xlsm, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    report = read_report(xlsm)
    assert report.agency == example_report("2021").agency
    r = nianbao("validate", str(xlsm))
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("agency", ["../../etc/passwd", "..\\..\\x", "a/b\\c", "\x00\x1f名", "...", "CON", ""])
def test_path_tricks_in_export_names(agency):
    stem = safe_stem(agency, 2025)
    assert "/" not in stem and "\\" not in stem and ".." not in stem and "\x00" not in stem
    assert stem and not stem.startswith(".")

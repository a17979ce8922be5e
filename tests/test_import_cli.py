"""``nianbao import``: writes the report JSON (or a filled workbook), refuses to overwrite."""

import json
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "import"))
from published import render_html  # noqa: E402

from addin.cli import main  # noqa: E402
from addin.examples import random_report  # noqa: E402


@pytest.fixture
def page(tmp_path):
    r = random_report("2021", random.Random(9))
    p = tmp_path / "report.html"
    p.write_text(render_html(r), encoding="utf-8")
    return p, r


def test_import_to_json(tmp_path, page, capsys):
    p, r = page
    out = tmp_path / "out.json"
    assert main(["import", str(p), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "表三：有数值的行 25/25" in text and "已写出" in text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "2021" and data["year"] == r.year and data["values"]["t3.new.total"] == r.number("t3.new.total")


def test_import_refuses_to_overwrite(tmp_path, page, capsys):
    p, _ = page
    out = tmp_path / "out.json"
    out.write_text("keep", encoding="utf-8")
    assert main(["import", str(p), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "keep"
    assert "--force" in capsys.readouterr().err
    assert main(["import", str(p), "-o", str(out), "--force"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "2021"


def test_import_json_listing(page, capsys):
    p, _ = page
    assert main(["import", str(p), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["problems"] == [] and len(doc["values"]) == 200


def test_import_pdf_says_why(tmp_path, capsys):
    p = tmp_path / "r.pdf"
    p.write_bytes(b"%PDF-1.7")
    assert main(["import", str(p)]) == 2
    assert "PDF" in capsys.readouterr().err


def test_import_to_workbook(tmp_path, page):
    pytest.importorskip("addin.writers.workbook")
    p, r = page
    out = tmp_path / "out.xlsx"
    assert main(["import", str(p), "-o", str(out)]) == 0
    from addin.readers import read_report

    back = read_report(out)
    assert back.number("t3.new.natural") == r.number("t3.new.natural")
    assert back.number("t2.license.decisions") == r.number("t2.license.decisions")

"""Import round trip: a synthetic report rendered in every published shape (HTML page
with site furniture, Word tables, four shapes of copied text) imports back with every
number on its own cell key, the format, year, agency and prose intact."""

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "import"))
from published import render_docx, render_html, render_text  # noqa: E402

from addin.examples import random_report  # noqa: E402
from addin.importers import import_report  # noqa: E402
from addin.validate import validate  # noqa: E402

SHAPES = ["html", "docx", "rows", "cells", "tabs", "tabrows", "spaces", "lines"]


def write(tmp_path, report, shape, **kw) -> Path:
    if shape == "html":
        p = tmp_path / "r.html"
        p.write_text(render_html(report, **kw), encoding="utf-8")
    elif shape == "docx":
        p = tmp_path / "r.docx"
        render_docx(report, p, **kw)
    else:
        p = tmp_path / "r.txt"
        p.write_text(render_text(report, shape, **kw), encoding="utf-8")
    return p


def same_numbers(a, b):
    return [k for k in a.cells if b.cells.get(k) is None or b.cells[k].value != a.cells[k].value]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("fmt,seed", [("2019", 1), ("2021", 2), ("2021", 7)])
def test_every_number_lands_on_its_key(tmp_path, shape, fmt, seed):
    src = random_report(fmt, random.Random(seed))
    got = import_report(write(tmp_path, src, shape))
    assert got.format == fmt and got.year == src.year and got.agency == src.agency
    assert same_numbers(src, got) == []
    assert set(got.cells) == set(src.cells)
    assert got.problems == []
    for key in ("s1", "s5", "s6"):
        assert got.sections[key].split() == src.sections[key].split()


@pytest.mark.parametrize("shape", ["html", "rows"])
def test_imported_report_validates_like_the_source(tmp_path, shape):
    src = random_report("2021", random.Random(11))
    got = import_report(write(tmp_path, src, shape))
    assert [f.rule for f in validate(got)] == [f.rule for f in validate(src)]


def test_corpus_header_block_is_skipped(tmp_path):
    src = random_report("2021", random.Random(5))
    got = import_report(write(tmp_path, src, "rows", header_block=True))
    assert same_numbers(src, got) == [] and got.agency == src.agency


def test_raw_text_is_kept_and_normalised_by_the_model(tmp_path):
    src = random_report("2019", random.Random(4))
    text = render_text(src, "rows").replace(f"| {src.cells['t2.procurement.amount'].raw} |", "| 152790元 |", 1)
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    got = import_report(p)
    cell = got.cells["t2.procurement.amount"]
    assert cell.raw == "152790元" and str(cell.value) == "15.279"


@pytest.mark.parametrize("kind", ["html", "docx"])
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_the_projects_own_documents_import_back(tmp_path, kind, fmt):
    """What ``nianbao export`` publishes, ``nianbao import`` reads back, number for number."""
    narrative = pytest.importorskip("addin.document.narrative")
    src = random_report(fmt, random.Random(21))
    doc = narrative.build_document(src)
    if kind == "html":
        from addin.document.html_writer import write_html

        path = write_html(doc, tmp_path / "r.html")
    else:
        from addin.document.docx_writer import write_docx

        path = write_docx(doc, tmp_path / "r.docx")
    got = import_report(path)
    assert got.format == fmt and got.year == src.year and got.agency == src.agency
    assert same_numbers(src, got) == [] and got.problems == []

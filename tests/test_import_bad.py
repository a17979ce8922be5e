"""Bad input to the importer: every case gets a clear Chinese message or a report with
findings — never a crash, never invented numbers."""

import random
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "import"))
from published import render_docx, render_html, render_text  # noqa: E402

from addin.errors import InputError  # noqa: E402
from addin.examples import random_report  # noqa: E402
from addin.importers import docx as docx_mod  # noqa: E402
from addin.importers import import_report  # noqa: E402
from addin.importers.html import tokenize_html  # noqa: E402
from addin.readers import read_report  # noqa: E402


def test_random_html_page_is_not_a_report(tmp_path):
    p = tmp_path / "news.html"
    p.write_text("<html><body><h1>示例新闻</h1><p>今天天气晴。</p><table><tr><td>甲</td><td>1</td></tr></table>"
                 "</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="不像是政府信息公开工作年度报告"):
        read_report(p)


def test_broken_pdf_is_refused_with_a_suggestion(tmp_path):
    p = tmp_path / "r.pdf"
    p.write_bytes(b"%PDF-1.4\n%...")
    with pytest.raises(InputError, match="PDF 文件已损坏.*Word"):
        read_report(p)


def test_docx_without_tables(tmp_path):
    r = random_report("2021", random.Random(1))
    p = tmp_path / "r.docx"
    render_docx(r, p, with_tables=False)
    got = import_report(p)
    assert got.cells == {} and [x.rule for x in got.problems] == ["I001", "I001", "I001"]
    assert got.sections["s1"]


def test_broken_docx(tmp_path):
    p = tmp_path / "r.docx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="不是有效的 Word"):
        import_report(p)
    z = tmp_path / "other.docx"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("hello.txt", "x")
    with pytest.raises(InputError, match="word/document.xml"):
        import_report(z)


def test_zip_bomb_guard(tmp_path, monkeypatch):
    r = random_report("2021", random.Random(1))
    p = tmp_path / "r.docx"
    render_docx(r, p)
    monkeypatch.setattr(docx_mod, "MAX_UNPACKED", 1000)
    with pytest.raises(InputError, match="压缩炸弹"):
        import_report(p)


def test_empty_and_binary_text(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(InputError):
        import_report(p)
    q = tmp_path / "bin.txt"
    q.write_bytes(bytes(random.Random(0).randrange(256) for _ in range(4000)))
    with pytest.raises(InputError):
        import_report(q)


def test_gb18030_text(tmp_path):
    r = random_report("2019", random.Random(2))
    p = tmp_path / "gbk.txt"
    p.write_bytes(render_text(r, "rows").encode("gb18030"))
    got = import_report(p)
    assert got.format == "2019" and len(got.cells) == len(r.cells)


def test_scripts_and_entities_are_not_content():
    page = ("<!DOCTYPE html [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><html><head><script>"
            "document.write('一、总体情况')</script></head><body><p>&x;</p><p>一、总体情况</p></body></html>")
    texts = [t.text for t in tokenize_html(page)]
    assert "root:" not in " ".join(texts)
    assert texts.count("一、总体情况") == 1


def test_deeply_nested_html_does_not_crash(tmp_path):
    r = random_report("2021", random.Random(1))
    page = "<div>" * 5000 + render_html(r) + "</div>" * 5000
    p = tmp_path / "deep.html"
    p.write_text(page, encoding="utf-8")
    try:  # lxml caps the depth: either the report survives or a clear message says it is not one
        import_report(p)
    except InputError as e:
        assert "年度报告" in str(e)
    q = tmp_path / "nested.html"
    q.write_text("<div>" * 100 + render_html(r) + "</div>" * 100, encoding="utf-8")
    assert len(import_report(q).cells) == len(r.cells)


def test_html_footer_is_not_section_six(tmp_path):
    r = random_report("2021", random.Random(1))
    p = tmp_path / "r.html"
    p.write_text(render_html(r), encoding="utf-8")
    got = import_report(p)
    assert "网站标识码" not in got.sections["s6"]


def test_unsupported_suffix(tmp_path):
    p = tmp_path / "r.rtf"
    p.write_text("{\\rtf1}", encoding="utf-8")
    with pytest.raises(InputError):
        read_report(p)


def test_page_laid_out_in_a_table(tmp_path):
    """Old portals put the whole article inside a layout <td>."""
    r = random_report("2019", random.Random(6))
    page = render_html(r, furniture=False)
    body = page[page.index("<body>") + 6: page.index("</body>")]
    layout = (page[: page.index("<body>") + 6] + "<table width='100%'><tr><td>导航</td></tr><tr><td>"
              + body + "</td></tr><tr><td>版权所有</td></tr></table></body></html>")
    p = tmp_path / "layout.html"
    p.write_text(layout, encoding="utf-8")
    got = import_report(p)
    assert len(got.cells) == len(r.cells) and got.sections["s5"] and got.problems == []


def test_layout_cell_with_prose_only_is_walked_as_an_article(tmp_path):
    r = random_report("2021", random.Random(6))
    page = render_html(r, tables=(), furniture=False)
    body = page[page.index("<body>") + 6: page.index("</body>")]
    p = tmp_path / "layout.html"
    p.write_text("<html><body><table><tr><td>" + body + "</td></tr></table></body></html>", encoding="utf-8")
    got = import_report(p)
    assert {"s1", "s5", "s6"} <= set(got.sections) and got.agency == r.agency
    assert [x.rule for x in got.problems] == ["I001", "I001", "I001"]


def test_table_of_contents_is_not_the_report(tmp_path):
    r = random_report("2021", random.Random(7))
    page = render_html(r)
    toc = "<ul class='toc'>" + "".join(f"<li>{h}</li>" for h in (
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")) + "</ul>"
    page = page.replace("<div class='article'>", toc + "<div class='article'>")
    p = tmp_path / "toc.html"
    p.write_text(page, encoding="utf-8")
    got = import_report(p)
    assert got.sections["s1"].split() == r.sections["s1"].split()
    assert len(got.cells) == len(r.cells) and got.problems == []

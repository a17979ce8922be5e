"""The HTML page for the portal: self-contained, real tables with the official spans,
escaped text — and rendered in headless Chromium at 1280 and 768 px without horizontal
overflow, with the right number in every cell."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from addin.document.html_writer import render_html, write_html
from addin.document.narrative import build_document
from addin.examples import example_report
from addin.values import parse_value

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def page(report=None):
    document = build_document(report or example_report("2021"))
    return document, lxml_html.document_fromstring(render_html(document))


def test_self_contained_chinese_page_with_print_css():
    document, tree = page()
    text = render_html(document)
    assert tree.get("lang") == "zh-CN"
    assert tree.find(".//meta[@charset]").get("charset") == "utf-8"
    assert tree.findtext(".//title") == document.title == tree.find(".//h1").text_content()
    # the title wraps only between agency+year and 政府信息公开工作年度报告 (inline blocks)
    assert [s.text for s in tree.xpath("//h1/span")] == ["示例市示例区数据资源管理局2025年", "政府信息公开工作年度报告"]
    assert not tree.xpath("//script|//link|//img|//iframe|//object|//*[@src]")
    assert not re.search(r"url\(|@import|https?://", text)
    assert "@media print" in text and "@page" in text and "size: A4" in text
    assert [h.text for h in tree.xpath("//h2")] == [s.heading for s in document.sections]


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_tables_carry_the_official_spans_and_numbers(fmt):
    document, tree = page(example_report(fmt))
    spec = document.report.spec
    for key in ("t2", "t3", "t4"):
        grid = spec.table(key).grid()
        rows = tree.xpath(f"//table[@id='table-{key}']//tr")
        assert len(rows) == grid.rows
        for r, tr in enumerate(rows):
            want = [(c.text if c.role != "data" else document.cell_text(c.key), c.rowspan, c.colspan)
                    for c in sorted(grid.cells, key=lambda c: c.col) if c.row == r]
            got = [(cell.text_content(), int(cell.get("rowspan", 1)), int(cell.get("colspan", 1)))
                   for cell in tr.xpath("th|td")]
            assert got == want, (key, r)
        assert len(tree.xpath(f"//table[@id='table-{key}']/thead/tr")) == grid.header_rows
    for td in tree.xpath("//td[@data-key]"):
        assert td.text_content() == document.cell_text(td.get("data-key"))
    assert len(tree.xpath("//td[@data-key]")) == len(spec.keys)


def test_hostile_text_stays_inert():
    r = example_report("2021")
    r.agency = "示例局<script>alert(1)</script>"
    r.sections = {**r.sections, "s1": "正文<b>加粗</b>\x00\x1b。", "s6": '=HYPERLINK("http://x.invalid","点我")'}
    r.cells["t3.granted.legal"] = parse_value('=HYPERLINK("http://x.invalid","1")', "count")
    document, tree = page(r)
    assert not tree.xpath("//script|//b|//a")
    assert "示例局<script>alert(1)</script>2025年" in tree.find(".//h1").text_content()
    assert "正文<b>加粗</b>。" in [p.text_content() for p in tree.xpath("//p")]
    assert tree.xpath("//td[@data-key='t3.granted.legal']")[0].text_content() == '=HYPERLINK("http://x.invalid","1")'


def test_written_atomically(tmp_path):
    out = write_html(build_document(example_report("2021")), tmp_path / "r.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


MEASURE = """<script>
(function () {
  var root = document.documentElement, out = {sw: root.scrollWidth, cw: root.clientWidth, tables: []};
  document.querySelectorAll("table").forEach(function (t) {
    var b = t.getBoundingClientRect(); out.tables.push({id: t.id, right: b.right, width: b.width, height: b.height});
  });
  var d = document.createElement("pre"); d.id = "nb-measure"; d.textContent = JSON.stringify(out);
  document.body.appendChild(d);
})();
</script></body>"""


def chromium_dom(html_file: Path, width: int, profile: Path) -> str:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
           f"--window-size={width},900", "--dump-dom", html_file.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_renders_in_chromium_without_horizontal_overflow(tmp_path):
    document = build_document(example_report("2021"))
    probe = tmp_path / "probe.html"
    probe.write_text(render_html(document).replace("</body>", MEASURE), encoding="utf-8")
    for width in (1280, 768):
        dom = chromium_dom(probe, width, tmp_path / f"profile-{width}")
        tree = lxml_html.document_fromstring(dom)
        m = json.loads(tree.xpath("//pre[@id='nb-measure']")[0].text_content())
        assert m["sw"] <= m["cw"], f"horizontal overflow at {width}px: {m}"
        assert [t["id"] for t in m["tables"]] == ["table-t2", "table-t3", "table-t4"]
        for t in m["tables"]:
            assert t["height"] > 50 and 0 < t["right"] <= m["cw"], (width, t)
        cells = {td.get("data-key"): td.text_content() for td in tree.xpath("//td[@data-key]")}
        assert cells["t3.new.total"] == "13" and cells["t3.total.total"] == "14" and cells["t2.fees.amount"] == "0.35"
        assert all(v == document.cell_text(k) for k, v in cells.items())


PHONE = """<script>
(function () {
  var root = document.documentElement, out = {sw: root.scrollWidth, cw: root.clientWidth, iw: window.innerWidth, wraps: []};
  document.querySelectorAll(".table-wrap").forEach(function (w) {
    var hint = w.previousElementSibling, shown = hint && hint.classList.contains("scroll-hint")
      && getComputedStyle(hint).display !== "none" && hint.getBoundingClientRect().height > 0;
    out.wraps.push({table: w.querySelector("table").id, scrolls: w.scrollWidth > w.clientWidth + 1,
                    hint: !!shown, shade: getComputedStyle(w).backgroundImage.indexOf("radial-gradient") >= 0});
  });
  var d = document.createElement("pre"); d.id = "nb-measure"; d.textContent = JSON.stringify(out);
  document.body.appendChild(d);
})();
</script></body>"""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_on_a_phone_table_four_scrolls_inside_its_box_with_a_visible_cue(tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text(render_html(build_document(example_report("2021"))).replace("</body>", PHONE), encoding="utf-8")
    seen = {}
    for width in (390, 1280):
        dom = chromium_dom(probe, width, tmp_path / f"profile-{width}")
        m = json.loads(lxml_html.document_fromstring(dom).xpath("//pre[@id='nb-measure']")[0].text_content())
        assert m["sw"] <= m["cw"], m  # the page itself never scrolls sideways
        seen[width] = {w["table"]: w for w in m["wraps"]}
    phone, desk = seen[390]["table-t4"], seen[1280]["table-t4"]
    assert phone["scrolls"] and phone["hint"] and phone["shade"], phone  # more to the right, and it says so
    assert not desk["scrolls"] and not desk["hint"], desk
    assert not seen[390]["table-t2"]["hint"]  # the cue only where a table is wide


def test_printing_keeps_a_table_two_block_and_a_header_with_its_first_rows():
    tree = lxml_html.document_fromstring(render_html(build_document(example_report("2021"))))
    t2 = [(tr[0].text_content(), tr.get("class")) for tr in tree.xpath("//table[@id='table-t2']/tbody/tr")]
    ends = {i for i, (_, css) in enumerate(t2) if css != "keep"}
    assert [t2[i][0] for i in sorted(ends)] == ["行政规范性文件", "行政许可", "行政强制", "行政事业性收费"]  # each block's last row
    t3 = [tr.get("class") for tr in tree.xpath("//table[@id='table-t3']/tbody/tr")]
    assert t3[:2] == ["keep", "keep"] and t3[2] is None and "tr.keep { break-after: avoid; }" in render_html(
        build_document(example_report("2021")))

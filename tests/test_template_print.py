"""The template as a filer prints it, read back from LibreOffice's PDF with pdfplumber:
表三 on one landscape A4 page with no text under 8 pt; each 正文 box prints all of a
2,000-character 总体情况, on the page of its heading."""

import pytest

from addin.examples import example_report
from addin.formats import FORMATS
from addin.libreoffice import convert, soffice
from addin.writers.workbook import write_workbook

pdfplumber = pytest.importorskip("pdfplumber")
pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")

MIN_PT = 8.0
PARAGRAPH = "本机关坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开，持续深化政务公开标准化规范化建设。"
S1 = "\n".join([PARAGRAPH * 3] * 12)[:2000]  # a real 总体情况: about 2,000 characters in paragraphs


@pytest.fixture(scope="module", params=FORMATS)
def printed(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"print{request.param}")
    report = example_report(request.param)
    report.sections = {**report.sections, "s1": S1}
    book = tmp / "filled.xlsx"
    write_workbook(report, book)
    pdf = convert(book, "pdf", tmp / "pdf")
    with pdfplumber.open(pdf) as doc:
        return [(page.width, page.height, page.chars, page.extract_text() or "") for page in doc.pages]


def _pages_with(printed, text: str) -> list[int]:
    return [i for i, (_, _, _, t) in enumerate(printed) if text in t.replace("\n", "").replace(" ", "")]


def test_table_three_prints_on_one_landscape_page_at_8pt(printed):
    pages = _pages_with(printed, "三、收到和处理政府信息公开申请情况单位")
    assert len(pages) == 1, pages
    width, height, chars, text = printed[pages[0]]
    assert width > height  # landscape
    flat = text.replace("\n", "").replace(" ", "")
    assert "四、结转下年度继续办理" in flat and "（七）总计" in flat  # the last rows too: all on this page
    assert min(c["size"] for c in chars) >= MIN_PT


def test_section_boxes_print_all_their_text_beside_their_heading(printed):
    [page] = _pages_with(printed, "一、总体情况")
    flat = printed[page][3].replace("\n", "").replace(" ", "")
    assert S1.replace("\n", "") in flat
    for heading in ("五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        pages = _pages_with(printed, heading)
        assert pages, heading
        assert pages[0] != page


def test_table_four_prints_landscape_at_8pt(printed):
    [page] = _pages_with(printed, "四、政府信息公开行政复议、行政诉讼情况单位")
    width, height, chars, _ = printed[page]
    assert width > height and min(c["size"] for c in chars) >= MIN_PT

#!/usr/bin/env python3
"""Regenerate the page images in docs/images from the built-in example report, so a
reader of docs/export.md sees what a filer sees:

* export-page1.png, export-table3.png, export-closing.png — the exported PDF (Word file
  converted by LibreOffice): first page, the page where 表三 starts, the last page;
* export-html-768.png, export-html-phone.png — the HTML page in headless Chromium at
  768 px and at a phone's 390 px (表四 scrolls in its box, with the cue above it);
* template-table3.png, template-text.png — the filled Excel template printed by
  LibreOffice: 表三 on its landscape page and the 正文 page.

    .venv/bin/python scripts/render_docs_images.py [--out docs/images]

Needs LibreOffice, poppler-utils (pdftoppm) and Chromium, as the tests do.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DPI = 90


def _page_of(pdf: Path, text: str) -> int:
    """The 1-based number of the first page whose text contains ``text``."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        for i, page in enumerate(doc.pages, start=1):
            if text in (page.extract_text() or "").replace("\n", "").replace(" ", ""):
                return i
    raise SystemExit(f"“{text}” not found in {pdf}")


def _page_count(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return len(doc.pages)


def _png(pdf: Path, page: int, target: Path) -> None:
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                    str(pdf), str(target.with_suffix(""))], check=True)
    print(f"wrote {target}")


def _screenshot(html: Path, width: int, height: int, target: Path, profile: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium not installed: HTML images skipped")
        return
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--no-first-run", f"--user-data-dir={profile}", f"--window-size={width},{height}",
                    f"--screenshot={target}", html.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"wrote {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "images"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from addin.document.docx_writer import write_docx
    from addin.document.html_writer import write_html
    from addin.document.narrative import build_document
    from addin.document.pdf import docx_to_pdf
    from addin.examples import example_report
    from addin.libreoffice import convert
    from addin.writers.workbook import write_workbook

    report = example_report("2021")
    report.signing_date = "2026年1月20日"
    with tempfile.TemporaryDirectory(prefix="nianbao-images-") as tmp:
        tmp = Path(tmp)
        document = build_document(report)
        docx = write_docx(document, tmp / "report.docx")
        pdf = docx_to_pdf(docx, tmp / "report.pdf")
        _png(pdf, 1, out / "export-page1.png")
        _png(pdf, _page_of(pdf, "申请人情况"), out / "export-table3.png")
        _png(pdf, _page_count(pdf), out / "export-closing.png")

        html = write_html(document, tmp / "report.html")
        # the part of the page around 表四 on a phone: cut the page there
        phone = tmp / "phone.html"
        text = html.read_text(encoding="utf-8")
        phone.write_text(text.replace('<section id="s1">', '<section id="s1" style="display:none">')
                         .replace('<section id="s2">', '<section id="s2" style="display:none">')
                         .replace('<section id="s3">', '<section id="s3" style="display:none">'), encoding="utf-8")
        _screenshot(html, 768, 1400, out / "export-html-768.png", tmp / "p768")
        _screenshot(phone, 390, 844, out / "export-html-phone.png", tmp / "p390")

        book = tmp / "示例年报.xlsx"
        write_workbook(report, book)
        os.environ.setdefault("HOME", str(tmp))
        tpdf = convert(book, "pdf", tmp / "template")
        _png(tpdf, _page_of(tpdf, "三、收到和处理政府信息公开申请情况单位"), out / "template-table3.png")
        _png(tpdf, _page_of(tpdf, "一、总体情况"), out / "template-text.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())

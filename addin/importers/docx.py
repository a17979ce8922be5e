"""Word (.docx) reports: paragraphs and real tables, read through python-docx.

A .docx is a zip archive; before python-docx opens it the member sizes are checked,
so a small file that unpacks to gigabytes (a zip bomb) is refused. Every table cell
(``w:tc``) becomes one cell token — a cell merged across columns is one cell, a
continuation of a vertically merged cell is an empty one — and every row ends with a
row break, exactly like an HTML table.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError, ZIP_ERRORS
from .tokens import BREAK, Token, cell

#: Limits on the unpacked archive.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200


def check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
    except ZIP_ERRORS:
        raise InputError(f"{path}：不是有效的 Word（.docx）文件（文件已损坏，或是改了扩展名的其他文件）") from None
    if "word/document.xml" not in names:
        raise InputError(f"{path}：不是 Word 文档（压缩包中没有 word/document.xml）")
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNPACKED or total / packed > MAX_RATIO and total > 10 * 1024 * 1024:
        raise InputError(f"{path}：解压后过大（{total // 1024 // 1024} MB），疑似压缩炸弹，已拒绝读取")


def tokenize_docx(path: Path) -> list[Token]:
    check_archive(path)
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise InputError("读取 Word 文件需要 python-docx") from None
    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx raises many kinds on a broken package
        raise InputError(f"{path}：无法打开 Word 文件（{type(e).__name__}）") from None
    W_P, W_TBL, W_TR, W_TC, W_T, W_SDT, W_SDTC = (qn(x) for x in ("w:p", "w:tbl", "w:tr", "w:tc", "w:t", "w:sdt",
                                                                   "w:sdtContent"))
    out: list[Token] = []

    def text_of(el) -> str:
        return "".join(t.text or "" for t in el.iter(W_T))

    def block(el) -> None:
        if el.tag == W_P:
            t = " ".join(text_of(el).split())
            if t:
                out.append(Token(t))
        elif el.tag == W_TBL:
            for tr in el.iterchildren(W_TR):
                for tc in tr.iterchildren(W_TC):
                    out.append(cell(text_of(tc)))
                out.append(BREAK)
        elif el.tag == W_SDT:
            for content in el.iterchildren(W_SDTC):
                for child in content:
                    block(child)

    for child in document.element.body.iterchildren():
        block(child)
    return out

"""Importing published reports (plain text, HTML pages, Word files, PDFs) into the report model.

``import_report(path)`` reads the file, reduces it to a token stream (:mod:`.text`,
:mod:`.html`, :mod:`.docx`, :mod:`.pdf`) and anchors the tables on their labels
(:mod:`.assemble`, :mod:`.anchors`). A file that is not a report at all raises
:class:`~addin.errors.InputError`; a report with missing or cut-off tables is read as
far as it goes, and the gaps are findings (rules I001–I006).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, os_error_message
from ..model import Report
from ..readers import check_file
from .assemble import assemble

SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


def refuse_old_word(path: Path) -> None:
    """The old binary Word format cannot be read; say how to convert it."""
    if path.suffix.lower() == ".doc":
        raise InputError(f"不支持旧版 Word（.doc）文件：{path}。请在 Word 或 WPS 中另存为 .docx，或改用该报告的网页版本。")


def tokens_of(path: Path):
    """The token stream of one published file."""
    return _tokens(path)[0]


def _tokens(path: Path):
    """The token stream, and what was cut off the end of a text file (or ``None``)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from .docx import tokenize_docx

        return tokenize_docx(path), None
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(os_error_message(e, "读取", path)) from None
    from .text import decode_text

    if suffix in (".html", ".htm"):
        from .html import tokenize_html

        text, cut = decode_text(data, str(path))
        return tokenize_html(text), cut
    if suffix == ".txt":
        from .text import tokenize_text

        text, cut = decode_text(data, str(path))
        return tokenize_text(text), cut
    raise InputError(f"无法导入“{suffix}”文件：{path}。支持 .txt、.html、.docx、.pdf。")


def import_report(path: str | Path) -> Report:
    """Read a published report into a :class:`~addin.model.Report` (findings in ``report.problems``)."""
    from ..readers.cells import _problem

    path = Path(path)
    check_file(path)
    if path.suffix.lower() == ".pdf":
        from .pdf import import_pdf

        return import_pdf(path)
    tokens, cut = _tokens(path)
    report = assemble(tokens, source=str(path))
    if cut:
        report.problems.append(_problem("I012", [], [path.name], detail=cut))
    return report

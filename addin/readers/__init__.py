"""Readers: every source of a report becomes a :class:`~addin.model.Report`.

``read_report(path)`` picks the reader by file type. A reader raises
:class:`~addin.errors.InputError` (exit code 2) when the file cannot be used at all,
and records everything else as ``report.problems`` (findings).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import MAX_INPUT_BYTES, InputError, ZIP_ERRORS
from ..model import Report

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
PUBLISHED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


def check_file(path: Path) -> int:
    """Refuse what is not a readable regular file of a sane size; return its size."""
    if not path.exists():
        raise InputError(f"找不到文件：{path}")
    if not path.is_file():
        raise InputError(f"不是文件：{path}")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError(f"文件过大（{size // 1024 // 1024} MB，上限 {MAX_INPUT_BYTES // 1024 // 1024} MB）：{path}")
    return size


def read_report(path: str | Path) -> Report:
    """Read any supported report file."""
    path = Path(path)
    check_file(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        from .report_json import read_report_json

        return read_report_json(path)
    if suffix in WORKBOOK_SUFFIXES or (suffix not in PUBLISHED_SUFFIXES and zipfile.is_zipfile(path) and _is_xlsx(path)):
        from .workbook import read_workbook

        return read_workbook(path)
    if suffix in PUBLISHED_SUFFIXES:
        try:
            from ..importers import import_report
        except ImportError:
            raise InputError(f"暂不支持导入已发布的报告：{path}") from None
        return import_report(path)
    if suffix in (".xls", ".et", ".wps"):
        raise InputError(f"不支持旧版 {suffix} 文件：{path}。请在 Excel 或 WPS 中另存为 .xlsx 后再试。")
    raise InputError(f"无法识别的文件类型“{suffix or '无扩展名'}”：{path}。支持 .xlsx、.json、.txt、.html、.docx、.pdf。")


def _is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return "xl/workbook.xml" in z.namelist()
    except ZIP_ERRORS:
        return False

"""Readers: every source of a report becomes a :class:`~addin.model.Report`.

``read_report(path)`` picks the reader by file type. A reader raises
:class:`~addin.errors.InputError` (exit code 2) when the file cannot be used at all,
and records everything else as ``report.problems`` (findings).
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from ..errors import MAX_INPUT_BYTES, InputError, ZIP_ERRORS, os_error_message
from ..model import Report

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
PUBLISHED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


def check_file(path: Path) -> int:
    """Refuse what is not a readable regular file of a sane size; return its size."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"找不到文件：{path}") from None
    except OSError as e:  # a name too long, a folder without permission on the way
        raise InputError(os_error_message(e, "读取", path)) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"不是文件：{path}" + ("（这是一个文件夹）" if stat.S_ISDIR(st.st_mode) else ""))
    if st.st_size > MAX_INPUT_BYTES:
        raise InputError(f"{too_big(st.st_size)}：{path}")
    try:
        with open(path, "rb"):
            pass
    except OSError as e:  # no read permission
        raise InputError(os_error_message(e, "读取", path)) from None
    return st.st_size


def too_big(size: int, limit: int = MAX_INPUT_BYTES) -> str:
    """``文件过大（52,428,801 字节，约 50.0 MB；上限 52,428,800 字节，即 50 MB）``: the real size,
    never rounded down to look like the limit."""
    return (f"文件过大（{size:,} 字节，约 {size / 1048576:.1f} MB；"
            f"上限 {limit:,} 字节，即 {limit / 1048576:g} MB）")


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

"""The browser page of ``nianbao serve`` (and ``nianbao app``): 校验 without an add-in.

``GET /`` is a plain Chinese page: choose or drop a workbook (.xlsx as Excel, WPS or
LibreOffice save it) → the findings listed by table with their cells, exactly what the
ribbon's 校验 finds (the same :func:`addin.excel.macros.check` on the same book JSON)
→ download the marked workbook (the 校验 macro applied to the file, as ``nianbao mark``
does), the report (.docx / .pdf / .html, as ``nianbao export``), or a blank template.

Design for an intranet server shared by many filers:

* every asset is served from this package, by an explicit allowlist of file names
  (no path is ever joined from the request), so the page works offline and nothing
  else of the disk is reachable;
* nothing is kept between requests: the browser keeps the chosen file and sends it
  again with each download, and each response carries its file. Uploads live in a
  private temporary folder for the length of one request, so any worker can answer
  any request and nothing is left behind;
* the routes are under ``/nianbao/``, so :class:`addin.server.limits.LimitsMiddleware`
  applies the same size and time limits as to the add-in's calls; the work runs in
  :func:`addin.server.limits.run_in_worker`;
* with ``NIANBAO_API_KEY`` set, every call needs the key (the page asks for it once).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from ..errors import InputError
from .limits import run_in_worker

HERE = Path(__file__).parent
#: The page's own assets: URL name → (file, media type). Nothing else is served.
ASSETS = {
    "page.js": (HERE / "static" / "page" / "page.js", "text/javascript; charset=utf-8"),
    "page.css": (HERE / "static" / "page" / "page.css", "text/css; charset=utf-8"),
}
PAGE = HERE / "templates" / "page.html"
PREFIX = "/nianbao/web"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

page = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status, headers=SECURITY_HEADERS)


@page.exception_handler(InputError)
async def _input_error(request, exc: InputError):
    return _error(422, str(exc))


@page.exception_handler(HTTPException)
async def _http_error(request, exc: HTTPException):
    return _error(exc.status_code, str(exc.detail))


@page.exception_handler(Exception)
async def _unexpected(request, exc: Exception):
    import logging

    logging.getLogger(__name__).exception("page request failed")
    return _error(500, f"处理失败：{type(exc).__name__}。请重试；如仍出错，请联系管理员。")


def _authorize(request: Request) -> None:
    from .auth.custom import API_KEY_ENV, token_ok

    expected = os.environ.get(API_KEY_ENV)
    if expected and not token_ok(request.headers.get("authorization", ""), expected):
        raise HTTPException(401, "访问密钥不正确：请在页面上方填写管理员提供的访问密钥。")


def _display_name(name: str | None) -> str:
    """The uploaded file's name, for messages and download names only (never a path)."""
    text = unicodedata.normalize("NFC", Path(str(name or "")).name)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = re.sub(r'[\\/:*?"<>|]+', "_", text).strip(" .")
    return text[:120] or "年报.xlsx"


def _attachment(data: bytes, filename: str, media_type: str) -> Response:
    headers = {**SECURITY_HEADERS, "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    return Response(data, media_type=media_type, headers=headers)


async def _upload(request: Request, tmp: Path, name: str) -> Path:
    body = await request.body()
    if not body:
        raise InputError("没有收到文件：请先选择一个 .xlsx 工作簿。")
    if Path(name).suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"只能校验 .xlsx 工作簿：{name}。WPS 表格请先“另存为 Excel 工作簿（*.xlsx）”。")
    if not zipfile.is_zipfile(io.BytesIO(body)):
        raise InputError(f"无法打开工作簿 {name}：文件已损坏或不是 Excel 工作簿（.xlsx）格式。")
    path = tmp / ("upload" + Path(name).suffix.lower())
    path.write_bytes(body)
    return path


def _private_dir():
    return tempfile.TemporaryDirectory(prefix="nianbao-page-")  # mode 0700, removed after the request


# ---------------------------------------------------------------------------
# The work (synchronous; run in a worker thread)


def check_workbook(path: Path, name: str) -> dict:
    """The findings of 校验 on ``path``, grouped by the table (sheet) of their first cell."""
    from ..excel.bridge import book_json
    from ..excel.filemode import findings_of, values_workbook
    from ..excel.marks import parse_location

    values_wb, recalculated = values_workbook(path, path.parent / "work")
    findings = findings_of(book_json(values_wb, name=name))
    order = values_wb.sheetnames
    groups: dict[str, list[dict]] = {}
    for f in findings:
        first = next((c for c in (parse_location(x) for x in f.locations) if c is not None), None)
        table = first.sheet if first is not None else "其他"
        groups.setdefault(table, []).append({
            "severity": f.severity, "label": f.severity_label, "rule": f.rule, "message": f.message,
            "cells": list(f.locations), "hint": f.hint,
        })
    tables = sorted(groups, key=lambda t: (order.index(t) if t in order else len(order), t))
    return {
        "name": name,
        "recalculated": recalculated,
        "summary": {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")},
        "tables": [{"table": t, "findings": groups[t]} for t in tables],
    }


def marked_file(path: Path) -> bytes:
    from ..excel.filemode import mark_file

    out = path.parent / "marked.xlsx"
    mark_file(path, out)
    return out.read_bytes()


def report_file(path: Path, to: str) -> tuple[bytes, str]:
    from ..commands.export import safe_stem
    from ..document.docx_writer import write_docx
    from ..document.html_writer import write_html
    from ..document.narrative import build_document, generated_sections
    from ..readers import read_report

    report = read_report(path)
    document = build_document(report, None, generated_sections(report, None))
    stem = safe_stem(report.agency, report.year)
    out = path.parent / f"report.{to}"
    if to == "html":
        write_html(document, out, True)
    else:
        docx = write_docx(document, path.parent / "report.docx", True)
        if to == "pdf":
            from ..document.pdf import docx_to_pdf

            docx_to_pdf(docx, out, True)
    return out.read_bytes(), f"{stem}.{to}"


def template_file(fmt: str | None, year: int | None, agency: str, tmp: Path) -> tuple[bytes, str]:
    from ..formats import FORMATS, format_for_year
    from ..model import Report
    from ..writers.workbook import write_workbook

    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"没有“{fmt}”格式：可选 {'、'.join(FORMATS)}。")
    if year is not None and not 2008 <= year <= 2100:
        raise InputError(f"年度应为四位数字，例如 2025：{year}")
    fmt = fmt or (format_for_year(year) if year else "2021")
    if year is not None and fmt != format_for_year(year):
        raise InputError(f"{year} 年度的报告应使用 {format_for_year(year)} 格式，不能使用 {fmt} 格式。")
    report = Report(format=fmt)
    report.year = year
    report.agency = agency.strip()
    out = tmp / "template.xlsx"
    write_workbook(report, out, force=True)
    from ..commands.export import safe_stem

    return out.read_bytes(), f"{safe_stem(report.agency, year)}.xlsx"


# ---------------------------------------------------------------------------
# Routes


@page.api_route("/", methods=["GET", "HEAD"])  # HEAD: health checks, as xlwings Server's own "/"
async def index():
    return Response(PAGE.read_bytes(), media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)


@page.get(PREFIX + "/static/{name}")
async def asset(name: str):
    item = ASSETS.get(name)
    if item is None:
        raise HTTPException(404, "没有这个文件。")
    return Response(item[0].read_bytes(), media_type=item[1], headers=SECURITY_HEADERS)


@page.post(PREFIX + "/check")
async def check(request: Request, name: str = Query("年报.xlsx")):
    _authorize(request)
    name = _display_name(name)
    with _private_dir() as tmp:
        path = await _upload(request, Path(tmp), name)
        result = await run_in_worker(check_workbook, path, name)
    return JSONResponse(result, headers=SECURITY_HEADERS)


@page.post(PREFIX + "/marked")
async def marked(request: Request, name: str = Query("年报.xlsx")):
    _authorize(request)
    name = _display_name(name)
    with _private_dir() as tmp:
        path = await _upload(request, Path(tmp), name)
        data = await run_in_worker(marked_file, path)
    return _attachment(data, f"{Path(name).stem}-校验.xlsx", XLSX)


@page.post(PREFIX + "/report")
async def report(request: Request, name: str = Query("年报.xlsx"), to: str = Query("docx")):
    _authorize(request)
    if to not in REPORT_TYPES:
        raise InputError(f"报告格式只能是 {'、'.join(REPORT_TYPES)}：{to}")
    name = _display_name(name)
    with _private_dir() as tmp:
        path = await _upload(request, Path(tmp), name)
        data, filename = await run_in_worker(report_file, path, to)
    return _attachment(data, filename, REPORT_TYPES[to])


@page.get(PREFIX + "/template")
async def template(request: Request, format: str | None = Query(None), year: int | None = Query(None),
                   agency: str = Query("", max_length=100)):
    _authorize(request)
    with _private_dir() as tmp:
        data, filename = await run_in_worker(template_file, format or None, year, agency, Path(tmp))
    return _attachment(data, filename, XLSX)


def with_page(app):
    """ASGI: ``/`` and ``/nianbao/web/...`` go to the page, everything else to ``app``."""

    async def dispatch(scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path == "/" or path.startswith(PREFIX + "/"):
            return await page(scope, receive, send)
        return await app(scope, receive, send)

    return dispatch

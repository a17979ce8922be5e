"""Routes the task pane uses besides xlwings' own: the findings list and the download.

``POST /nianbao/findings`` takes the book JSON (as ``xlwings.getBookData()`` builds it)
and returns the findings with the sheet position and address of each finding's first
cell, so a click in the list can select it. ``POST /nianbao/export`` builds the report
files (report JSON, findings JSON, Word document, web page) into a zip and returns a
one-time download address, since Excel's task pane cannot save files itself.

Both run entirely in a worker thread (:func:`addin.server.limits.run_in_worker`) —
parsing the body included — behind the same size and time limits as the macros, so a
large or slow request never holds up the others. The zip waits in the spool every
worker process reads (:mod:`addin.server.downloads`), so the download works whichever
worker answers it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

import xlwings as xw
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask
from xlwings_server import dependencies as dep
from xlwings_server.config import settings

from addin.errors import InputError
from addin.excel import macros
from addin.excel.marks import parse_location
from addin.server import downloads, limits
from addin.server.limits import run_in_worker, version_problem
from addin.server.payloads import book_problem

router = APIRouter(prefix=f"{settings.app_path}/nianbao")


def _book_data(body: bytes) -> dict:
    """The request's workbook JSON, or a Chinese 400."""
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise HTTPException(status_code=400, detail="请求不是合法的 JSON，无法处理。请重新点击按钮；如仍出错，请联系管理员。") from None
    problem = book_problem(data)
    if problem is not None:
        raise HTTPException(status_code=400, detail=problem)
    mismatch = version_problem(data)
    if mismatch is not None:
        raise HTTPException(status_code=mismatch[0], detail=mismatch[1])
    return data


def _check(data: dict):
    book = xw.Book(json=data)
    try:
        return macros.check(book)
    except InputError as e:
        raise HTTPException(status_code=422, detail=str(e)) from None
    finally:
        book.close()


def _give_up_after(deadline: float) -> None:
    """Stop a worker whose client was already answered 504 (a thread cannot be killed,
    but it can stop between steps)."""
    if time.monotonic() > deadline:
        raise TimeoutError("export abandoned after the time limit")


def _findings(body: bytes) -> dict:
    snap, report, found = _check(_book_data(body))
    out = []
    for f in found:
        first = next((c for c in (parse_location(x) for x in f.locations) if c is not None), None)
        sheet_index = snap.sheets.index(first.sheet) if first and first.sheet in snap.sheets else None
        out.append({**f.to_json(), "severity_label": f.severity_label,
                    "sheet_index": sheet_index, "sheet": first.sheet if first else None,
                    "address": first.address if first else None})
    return {"summary": {s: sum(1 for f in found if f.severity == s) for s in ("error", "warning", "info")},
            "findings": out}


def _export(body: bytes, deadline: float) -> dict:
    data = _book_data(body)
    snap, report, found = _check(data)
    _give_up_after(deadline)
    stem = downloads.download_stem(data["book"].get("name"))
    with tempfile.TemporaryDirectory(prefix="nianbao-export-") as tmp:
        paths = macros.export_files(report, found, Path(tmp), stem)
        _give_up_after(deadline)  # the client has had its 504: keep nothing in the spool
        zip_path = Path(tmp) / "export.zip"
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
            for p in paths:
                z.write(p, p.name)
        name = f"{stem}-导出.zip"
        token = downloads.put(zip_path, name)
    return {"url": f"{settings.app_path}/nianbao/download/{token}", "name": name,
            "files": [p.name for p in paths]}


@router.post("/findings")
async def findings(current_user: dep.User, request: Request):
    return await run_in_worker(_findings, await request.body())


@router.post("/export")
async def export(current_user: dep.User, request: Request):
    deadline = time.monotonic() + limits.REQUEST_SECONDS
    return await run_in_worker(_export, await request.body(), deadline)


@router.get("/download/{token}")
async def download(token: str):
    item = await run_in_worker(downloads.claim, token)
    if item is None:
        raise HTTPException(status_code=404, detail=downloads.EXPIRED)
    path, name, folder = item
    return FileResponse(path, media_type="application/zip", filename=name,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))

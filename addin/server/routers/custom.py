"""Routes the task pane uses besides xlwings' own: the findings list and the download.

``POST /nianbao/findings`` takes the book JSON (as ``xlwings.getBookData()`` builds it)
and returns the findings with the sheet position and address of each finding's first
cell, so a click in the list can select it. ``POST /nianbao/export`` builds the report
files (report JSON, findings JSON, Word document when available) into a zip and returns
a one-time download address, since Excel's task pane cannot save files itself.
"""

from __future__ import annotations

import io
import secrets
import tempfile
import time
import zipfile
from pathlib import Path

import xlwings as xw
from fastapi import APIRouter, Body, HTTPException
from fastapi.responses import Response
from xlwings_server import dependencies as dep
from xlwings_server.config import settings

from addin.errors import InputError
from addin.excel import macros
from addin.excel.marks import parse_location

router = APIRouter(prefix=f"{settings.app_path}/nianbao")

#: token → (expiry, file name, bytes); downloads live five minutes and are taken once.
_DOWNLOADS: dict[str, tuple[float, str, bytes]] = {}
DOWNLOAD_SECONDS = 300


def _check(data: dict):
    book = xw.Book(json=data)
    try:
        return macros.check(book)
    except InputError as e:
        raise HTTPException(status_code=422, detail=str(e)) from None
    finally:
        book.close()


@router.post("/findings")
async def findings(current_user: dep.User, data: dict = Body(...)):
    snap, report, found = _check(data)
    out = []
    for f in found:
        first = next((c for c in (parse_location(x) for x in f.locations) if c is not None), None)
        sheet_index = snap.sheets.index(first.sheet) if first and first.sheet in snap.sheets else None
        out.append({**f.to_json(), "severity_label": f.severity_label,
                    "sheet_index": sheet_index, "sheet": first.sheet if first else None,
                    "address": first.address if first else None})
    return {"summary": {s: sum(1 for f in found if f.severity == s) for s in ("error", "warning", "info")},
            "findings": out}


@router.post("/export")
async def export(current_user: dep.User, data: dict = Body(...)):
    snap, report, found = _check(data)
    stem = Path(str(data.get("book", {}).get("name") or "年报")).stem
    with tempfile.TemporaryDirectory(prefix="nianbao-export-") as tmp:
        paths = macros.export_files(report, found, Path(tmp), stem)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for p in paths:
                z.write(p, p.name)
    now = time.monotonic()
    for k in [k for k, v in _DOWNLOADS.items() if v[0] < now]:
        del _DOWNLOADS[k]
    token = secrets.token_urlsafe(24)
    name = f"{stem}-导出.zip"
    _DOWNLOADS[token] = (now + DOWNLOAD_SECONDS, name, buf.getvalue())
    return {"url": f"{settings.app_path}/nianbao/download/{token}", "name": name,
            "files": [p.name for p in paths]}


@router.get("/download/{token}")
async def download(token: str):
    item = _DOWNLOADS.pop(token, None)
    if item is None or item[0] < time.monotonic():
        raise HTTPException(status_code=404, detail="下载链接已失效，请重新导出。")
    from urllib.parse import quote

    return Response(item[2], media_type="application/zip",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(item[1])}"})

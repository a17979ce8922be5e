"""One-time downloads of exported reports, shared by every worker process.

Excel's task pane cannot save a file itself: ``POST /nianbao/export`` builds the zip
and answers with an address, and the browser fetches it with a GET that may land on any
of the server's worker processes. So the file does not live in one worker's memory but
in a *spool*: a private folder (mode 0700) that every worker reads, named by
``NIANBAO_SPOOL_DIR``. ``nianbao serve`` creates it before the workers start
(:func:`spool_dir`, called by :func:`addin.server.app.configure`) and removes it on exit.

Each download is ``<spool>/<token>/`` holding the zip and a small ``meta.json`` (file
name, creation time). The token is 256 random bits — the address is the capability, as the
one-time link of a file-sharing service — and is checked against its exact shape before
it touches the file system. A download is claimed by renaming its folder, which only one
worker can do, then sent and removed; unclaimed downloads are removed after
:data:`DOWNLOAD_SECONDS`.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
from pathlib import Path

SPOOL_ENV = "NIANBAO_SPOOL_DIR"
#: How long an export can be downloaded (seconds).
DOWNLOAD_SECONDS = 300
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
_ZIP, _META = "download.zip", "meta.json"
#: Longest download file stem, in characters and in UTF-8 bytes (file systems allow 255 bytes).
STEM_CHARS, STEM_BYTES = 60, 150
DEFAULT_STEM = "年报"

EXPIRED = "下载链接已失效，请重新导出。"


def _private_dir(path: Path) -> Path:
    """``path`` as a folder only this user can enter (created 0700 if missing)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = os.lstat(path)
    if not os.path.isdir(path) or os.path.islink(path) or st.st_uid != os.getuid():
        raise RuntimeError(f"{SPOOL_ENV}={path} is not a folder owned by this user")
    if st.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def _remove_at_exit(path: Path, owner: int) -> None:
    if os.getpid() == owner:
        shutil.rmtree(path, ignore_errors=True)


def spool_dir() -> Path:
    """The spool folder: ``$NIANBAO_SPOOL_DIR`` if set, else a new private temporary
    folder, recorded in the environment so worker processes started later share it, and
    removed when this process exits."""
    given = os.environ.get(SPOOL_ENV)
    if given:
        return _private_dir(Path(given))
    path = Path(tempfile.mkdtemp(prefix="nianbao-spool-"))  # mkdtemp creates it 0700
    os.environ[SPOOL_ENV] = str(path)
    atexit.register(_remove_at_exit, path, os.getpid())
    return path


def download_stem(book_name) -> str:
    """A short file-name stem from the workbook name Excel sent: no folders, no
    extension, no control or reserved characters, at most :data:`STEM_CHARS`
    characters and :data:`STEM_BYTES` bytes."""
    name = unicodedata.normalize("NFC", str(book_name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"\.(xlsx|xlsm|xls|xltx|et|ods|csv)$", "", name, flags=re.IGNORECASE)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[\\/:*?"<>|]+', "_", name)
    name = re.sub(r"\.{2,}", "_", name).strip(" ._")
    name = name[:STEM_CHARS]
    while len(name.encode("utf-8")) > STEM_BYTES:
        name = name[:-1]
    name = name.strip(" ._")
    if re.fullmatch(r"(?i)(con|prn|aux|nul|com\d|lpt\d)", name):
        name = f"_{name}"
    return name or DEFAULT_STEM


def _sweep(spool: Path, now: float) -> None:
    """Remove expired downloads and the leftovers of interrupted ones."""
    for entry in spool.iterdir():
        try:
            if _TOKEN.fullmatch(entry.name):
                meta = json.loads((entry / _META).read_text(encoding="utf-8"))
                if meta["created"] + DOWNLOAD_SECONDS >= now:
                    continue
            elif entry.stat().st_mtime + DOWNLOAD_SECONDS >= now:  # .new-* / .taken-*: give them time
                continue
        except (OSError, ValueError, KeyError, TypeError):
            pass
        shutil.rmtree(entry, ignore_errors=True)


def put(zip_path: Path, name: str, spool: Path | None = None) -> str:
    """Move ``zip_path`` into the spool as a download named ``name``; its token."""
    spool = spool or spool_dir()
    now = time.time()
    _sweep(spool, now)
    token = secrets.token_urlsafe(32)
    staging = Path(tempfile.mkdtemp(prefix=".new-", dir=spool))
    shutil.move(str(zip_path), staging / _ZIP)
    (staging / _META).write_text(json.dumps({"name": name, "created": now},
                                            ensure_ascii=False), encoding="utf-8")
    os.rename(staging, spool / token)  # published whole, never half-written
    return token


def claim(token: str, spool: Path | None = None) -> tuple[Path, str, Path] | None:
    """Take the download ``token`` names: ``(zip file, file name, folder to remove after
    sending)``, or ``None`` when the token is malformed, unknown, taken or expired."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    spool = spool or spool_dir()
    taken = spool / f".taken-{secrets.token_hex(8)}"
    try:
        os.rename(spool / token, taken)  # atomic: one worker wins
    except OSError:
        return None
    try:
        meta = json.loads((taken / _META).read_text(encoding="utf-8"))
        if meta["created"] + DOWNLOAD_SECONDS < time.time():
            raise ValueError("expired")
        return taken / _ZIP, str(meta["name"]), taken
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(taken, ignore_errors=True)
        return None

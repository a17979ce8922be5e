"""Entry points of the desktop add-in (``nianbao.xlam``): one per ribbon button.

The add-in's VBA (``addin/vba/RibbonMyAddin.bas``) calls, through xlwings' RunPython::

    import addin.excel.desktop as nianbao_desktop; nianbao_desktop.run('validate')

``run`` finds the workbook the filer is looking at (``xw.Book.caller()``) and runs the
macro. A second click while the first run is still working (RunPython starts a new
Python process per click) gets a message instead of a second run on the same workbook.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from . import macros

ACTIONS = {
    "validate": macros.validate,
    "clear_marks": macros.clear_marks,
    "export_report": macros.export_report,
    "show_help": macros.show_help,
}
BUSY = "上一次操作仍在进行，请稍候再试。"


def _lock_path(book_name: str) -> Path:
    digest = hashlib.sha1(book_name.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"nianbao-{digest}.lock"


class BookLock:
    """An exclusive lock file per workbook; held while a macro runs."""

    def __init__(self, book_name: str):
        self.path = _lock_path(book_name)
        self.fd: int | None = None

    def __enter__(self) -> bool:
        try:
            self.fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            os.write(self.fd, str(os.getpid()).encode())
            return True
        except FileExistsError:
            if self._stale():
                self.path.unlink(missing_ok=True)
                return self.__enter__()
            return False

    def _stale(self) -> bool:
        try:
            pid = int(self.path.read_text() or 0)
            os.kill(pid, 0)
            return False
        except (ValueError, OSError):
            return True

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.path.unlink(missing_ok=True)


def run_on(book, action: str):
    """Run one ribbon action on ``book`` unless another run holds the workbook."""
    func = ACTIONS.get(action)
    if func is None:
        macros._alert(book, f"未知的操作：{action}", "critical")
        return None
    with BookLock(str(book.fullname or book.name)) as acquired:
        if not acquired:
            macros._alert(book, BUSY, "critical")
            return None
        return func(book)


def run(action: str):
    """Called by the add-in's VBA for a ribbon button."""
    import xlwings as xw

    return run_on(xw.Book.caller(), action)

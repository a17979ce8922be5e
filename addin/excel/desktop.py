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
    """An exclusive, non-blocking OS file lock per workbook, held while a macro runs.

    The operating system drops the lock when the process ends, so a crashed run never
    leaves the workbook locked.
    """

    def __init__(self, book_name: str):
        self.path = _lock_path(book_name)
        self.file = None

    def __enter__(self) -> bool:
        self.file = open(self.path, "a+b")
        try:
            if os.name == "nt":
                import msvcrt

                self.file.seek(0)
                msvcrt.locking(self.file.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self.file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            self.file.close()
            self.file = None
            return False

    def __exit__(self, *exc) -> None:
        if self.file is not None:
            if os.name == "nt":
                import msvcrt

                self.file.seek(0)
                msvcrt.locking(self.file.fileno(), msvcrt.LK_UNLCK, 1)
            self.file.close()
            self.file = None


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

    try:
        book = xw.Book.caller()
    except Exception:  # no workbook is open, or Excel refused: a message, not a traceback dialog
        try:
            xw.apps.active.alert("请先打开年报工作簿，再点击“政务公开年报”选项卡上的按钮。", title=macros.TITLE)
        except Exception:
            pass
        return None
    return run_on(book, action)

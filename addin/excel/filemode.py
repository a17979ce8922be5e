"""File mode: 校验 on a saved workbook, for WPS and Linux desktops (``nianbao mark``).

xlwings drives only Microsoft Excel, so for everyone else the *same* ``validate``
macro runs on the file: the workbook becomes the book JSON Excel would send
(:mod:`addin.excel.bridge`), xlwings' own script dispatch runs the macro on its remote
engine, and the returned actions are applied to a copy of the file. Formulas are
recalculated by LibreOffice first when it is installed, as Excel would have done.

The remote engine is xlwings PRO code under the PolyForm Noncommercial licence, which
permits use by government institutions; its key is the literal ``noncommercial``
(``XLWINGS_LICENSE_KEY``), set here if the environment has none.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

LICENSE_ENV = "XLWINGS_LICENSE_KEY"


def ensure_license() -> None:
    """Set ``XLWINGS_LICENSE_KEY=noncommercial`` unless set (must precede ``import xlwings``)."""
    os.environ.setdefault(LICENSE_ENV, "noncommercial")


@dataclass
class MarkResult:
    """What one run of a macro on a file did."""

    output: Path
    actions: list = field(default_factory=list)
    alerts: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    recalculated: bool = False


def default_output(src: Path) -> Path:
    """``报告.xlsx`` → ``报告-校验.xlsx`` next to it."""
    return src.with_name(f"{src.stem}-校验{src.suffix}")


def _load(path: Path, **kw):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", **kw)
    except (InvalidFileException, OSError, KeyError, ValueError) as e:
        raise InputError(f"无法打开工作簿 {path.name}：{e}。请确认文件是 .xlsx 格式且未损坏。") from None
    except Exception as e:  # zipfile.BadZipFile and friends
        raise InputError(f"无法打开工作簿 {path.name}：{type(e).__name__}。请确认文件是 .xlsx 格式且未损坏。") from None


def _put_named_values(wb, path: Path) -> None:
    """Give the named cells of ``wb`` (loaded ``data_only`` from ``path``) the values the
    workbook reader reads — the one reading path of ``validate`` — so the macro sees
    exactly what ``validate`` sees: error values such as ``#DIV/0!``, and totals that were
    never calculated (a workbook saved by openpyxl) as Excel would show them."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.utils.cell import coordinate_to_tuple

    from ..readers.cells import BROKEN
    from ..readers.workbook import named_values

    values, locations = named_values(path.read_bytes(), path.name)
    for name, location in locations.items():
        value = values.get(name)
        sheet, coord = location.rsplit("!", 1)
        if value is BROKEN or sheet not in wb.sheetnames:
            continue
        cell = wb[sheet].cell(*coordinate_to_tuple(coord))
        if not isinstance(cell, MergedCell):
            cell.value = value


def values_workbook(src: Path, workdir: Path, recalc: bool | None = None):
    """The workbook as Excel would send it: recalculated by LibreOffice when available,
    its named cells read as ``validate`` reads them."""
    from ..libreoffice import recalculate, soffice

    if recalc is None:
        recalc = soffice() is not None
    path = src
    if recalc:
        workdir.mkdir(parents=True, exist_ok=True)
        copy = workdir / f"in{src.suffix.lower()}"
        shutil.copyfile(src, copy)
        path = recalculate(copy, workdir / "calc")
    wb = _load(path, data_only=True)
    _put_named_values(wb, path)
    return wb, recalc


def run_script(payload: dict, script: str = "validate"):
    """Run one of the add-in's scripts on a book JSON through xlwings' own dispatch;
    return the actions (``{"actions": [...]}``)."""
    ensure_license()
    import xlwings as xw
    from xlwings.server import custom_scripts_call

    from ..server import custom_scripts

    book = xw.Book(json=payload)
    try:
        book = asyncio.run(custom_scripts_call(custom_scripts, script, None, {xw.Book: book}))
        return book.json()
    finally:
        book.close()


def findings_of(payload: dict) -> list:
    """The findings ``validate`` would show for this book JSON (no writes)."""
    ensure_license()
    import xlwings as xw

    from .macros import check

    book = xw.Book(json=payload)
    try:
        return check(book)[2]
    finally:
        book.close()


def _file_findings(report) -> list:
    """What only the file shows, not the values Excel sends: a cell whose formula refers
    to another workbook (W004), from the reader's findings, under the macros' rule set."""
    from dataclasses import replace

    from .macros import _rules

    rules = _rules()
    return [replace(p, severity=rules.get(p.rule).severity) for p in report.problems
            if p.rule == "W004" and rules.get(p.rule) is not None]


def mark_file(src: str | Path, output: str | Path | None = None, force: bool = False,
              script: str = "validate", recalc: bool | None = None) -> MarkResult:
    """Validate ``src`` and write the marked copy to ``output`` (default ``<name>-校验.xlsx``).

    Never overwrites ``src`` unless ``output`` is ``src`` and ``force`` is given.
    """
    from ..readers import check_file
    from ..readers.workbook import read_workbook
    from ..writers.atomic import atomic_output, check_target
    from .bridge import apply_actions, book_json

    src = Path(src)
    check_file(src)
    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"只能标记 .xlsx 或 .xlsm 工作簿：{src.name}。WPS 表格请先“另存为 Excel 工作簿（*.xlsx）”。")
    out = Path(output) if output else default_output(src)
    if out.resolve() == src.resolve() and not force:
        raise InputError(f"输出文件与输入文件相同：{out}。如确实要覆盖原文件，请加 --force。")
    check_target(out, force)
    # Check the file exactly as `validate` does, before LibreOffice sees it: a text file
    # renamed .xlsx, an encrypted or empty workbook, one not made from the template.
    checked = read_workbook(src)
    with tempfile.TemporaryDirectory(prefix="nianbao-mark-") as tmp:
        values_wb, recalculated = values_workbook(src, Path(tmp), recalc)
        payload = book_json(values_wb, name=src.name)
        findings = findings_of(payload) + _file_findings(checked) if script == "validate" else []
        actions = run_script(payload, script)
        target = _load(src)
        alerts = apply_actions(target, actions)
        failed = [a["prompt"] for a in alerts if a.get("mode") == "critical"]
        if failed:
            raise InputError("；".join(failed))
        data = io.BytesIO()  # built in memory: a full disk then fails one plain write, not inside openpyxl
        target.save(data)
        with atomic_output(out, force=force) as part:
            part.write_bytes(data.getvalue())
    return MarkResult(out, actions["actions"], alerts, findings, recalculated)

"""The ribbon's macros: plain functions over an ``xw.Book``.

The same functions run behind every route — the desktop add-in (RunPython), xlwings
Server (Office.js ribbon and task pane) and file mode (``nianbao mark``) — and use
only the part of the xlwings API that works on every engine: they read all names and
values first (:func:`~addin.excel.snapshot.read_snapshot`), decide everything
(:mod:`addin.excel.marks`), then write values, fill colours and names. Nothing about
tables, labels or rules lives here: the workbook is read through
:func:`addin.readers.cells.report_from_named_cells` and checked by
:func:`addin.validate.validate`.

A problem the filer can fix (not our workbook, a deleted name) is shown as a Chinese
message in Excel; an unexpected error too, without a traceback, and with every write
of the failed run withdrawn where the engine allows it (remote engines: nothing is
sent back; desktop: the ledger is written first, so the next run clears everything).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
from pathlib import Path
from typing import Callable


from ..errors import InputError
from ..findings import findings_document
from ..formats import FORMATS
from ..layout import TOTAL_COLOR, get_column_letter, key_of_name
from ..readers.cells import report_from_named_cells
from ..ruleset import RuleSetError, computed_cells, load_rules
from ..validate import validate as run_rules
from . import marks as mk
from .snapshot import LEDGER_NAME, Place, Snapshot, read_snapshot, report_names

log = logging.getLogger(__name__)
TITLE = "年报助手"
#: Optional rule overlay for the Excel routes (provinces' own rules), like ``--rules``.
RULES_ENV = "NIANBAO_RULES"
#: How many columns the 校验结果 rows have (级别, 消息, 位置, 规则, 说明).
RESULT_COLUMNS = 5


class MacroError(Exception):
    """A problem the filer can fix; the message is Chinese and shown as is."""


def _alert(book, text: str, mode: str = "info") -> None:
    """A message box in Excel; ``mode="critical"`` marks a run that changed nothing."""
    try:
        book.app.alert(text, title=TITLE, mode=mode)
    except Exception:  # an engine without message boxes: at least log it
        log.warning("alert: %s", text)


def _queued(book) -> list | None:
    """The action list of a remote-engine book (``None`` on desktop engines)."""
    try:
        return book.impl.json()["actions"]
    except Exception:
        return None


def macro(func: Callable) -> Callable:
    """Turn every failure of a macro into a Chinese message box, never a traceback."""

    @functools.wraps(func)
    def run(book, *args, **kwargs):
        queued = _queued(book)
        start = len(queued) if queued is not None else 0
        try:
            return func(book, *args, **kwargs)
        except (InputError, MacroError) as e:
            if queued is not None:
                del queued[start:]
            _alert(book, str(e), "critical")
        except Exception as e:  # noqa: BLE001 — the filer must see a message, not a dialog
            log.exception("macro %s failed", func.__name__)
            if queued is not None:
                del queued[start:]
            if queued is not None:  # remote engines: the queued writes are simply not sent
                done = "操作未完成，工作簿未作修改"
            else:  # desktop: writes happen at once; the ledger was written first
                done = "操作未完成，请再点一次“校验”或“清除标记”使标记恢复一致"
            _alert(book, f"{done}：{type(e).__name__}: {e}。如仍出错，请把此消息发给技术支持。", "critical")
        return None

    return run


def _rules():
    try:
        return load_rules(os.environ.get(RULES_ENV) or None)
    except RuleSetError as e:
        raise MacroError(f"规则覆盖文件有误（环境变量 {RULES_ENV}）：{e}") from None


def _read_report(book, snap: Snapshot):
    values, locations = report_names(snap)
    return report_from_named_cells(values, locations, source=snap.book_name)


def _require_results(snap: Snapshot) -> Place:
    if snap.results is None:
        raise MacroError("找不到“校验结果”表的位置（名称 NB.results 已被删除，或“校验结果”工作表已被删除）。"
                         "请用 `nianbao new` 新建模板并把数据复制过去。工作簿未作修改。")
    return snap.results


def _sheet_index(snap: Snapshot, cell: mk.Cell) -> int | None:
    try:
        return snap.sheets.index(cell.sheet)
    except ValueError:
        return None


def _paint(book, snap: Snapshot, cells, color_of: Callable[[mk.Cell], str | None]) -> None:
    for cell in cells:
        ix = _sheet_index(snap, cell)
        if ix is not None:
            book.sheets[ix].range(cell.address).color = color_of(cell)


def _restore_color(snap: Snapshot) -> Callable[[mk.Cell], str | None]:
    """The template's own fill of a cell: totals are tinted, inputs have none."""
    totals = set()
    for fmt in FORMATS:
        totals.update(computed_cells(fmt))
    tinted = {loc for name, loc in snap.locations.items() if key_of_name(name) in totals}
    total_fill = "#" + TOTAL_COLOR
    return lambda cell: total_fill if cell.location in tinted else None


def _ledger_place(book, snap: Snapshot, results: Place) -> Place:
    """The ledger cell; created right of the 校验结果 header if the template has none."""
    if snap.ledger is not None:
        return snap.ledger
    place = Place(results.sheet_index, results.sheet, results.row, results.col + RESULT_COLUMNS + 2)
    ref = f"${get_column_letter(place.col)}${place.row}"
    book.names.add(LEDGER_NAME, f"='{place.sheet.replace(chr(39), chr(39) * 2)}'!{ref}")
    book.sheets[place.sheet_index].range((place.row, place.col)).columns.hidden = True
    snap.ledger = place
    return place


def _write_ledger(book, place: Place, text: str) -> None:
    book.sheets[place.sheet_index].range((place.row, place.col)).value = text


def _clear_rows(book, snap: Snapshot, results: Place) -> None:
    first = results.row + 1
    if snap.results_last_row >= first:
        rng = book.sheets[results.sheet_index].range(
            (first, results.col), (snap.results_last_row, results.col + RESULT_COLUMNS - 1))
        rng.clear_contents()
        rng.color = None


def apply_plan(book, snap: Snapshot, plan: mk.Plan) -> None:
    """Write a plan: ledger (old ∪ new) → restore old marks → rows → new marks → status → ledger (new)."""
    results = _require_results(snap)
    previous = mk.read_ledger(snap.ledger_text, list(snap.locations.values()))
    ledger = _ledger_place(book, snap, results)
    _write_ledger(book, ledger, mk.ledger_text({**previous, **plan.marks}))
    _paint(book, snap, plan.unmark, _restore_color(snap))
    _clear_rows(book, snap, results)
    sheet = book.sheets[results.sheet_index]
    if plan.rows:
        top = results.row + 1
        sheet.range((top, results.col)).value = plan.rows
        sheet.range((top, results.col + 1), (top + len(plan.rows) - 1, results.col + 1)).wrap_text = True
        for i, severity in enumerate(plan.severities):
            sheet.range((top + i, results.col)).color = mk.FILLS[severity]
    _paint(book, snap, sorted(plan.marks, key=lambda c: (c.sheet, c.address)), lambda c: mk.FILLS[plan.marks[c]])
    if snap.status is not None:
        book.sheets[snap.status.sheet_index].range((snap.status.row, snap.status.col)).value = plan.status
    _write_ledger(book, ledger, mk.ledger_text(plan.marks))


def check(book):
    """Read and validate ``book`` without writing: ``(snapshot, report, findings)``."""
    snap = read_snapshot(book)
    report = _read_report(book, snap)
    return snap, report, run_rules(report, _rules())


@macro
def validate(book, now: dt.datetime | None = None) -> list:
    """校验: fill 校验结果, colour the cells findings name, write the status line.

    Clears the previous run's marks first, so running it twice gives the same workbook.
    Returns the findings (for the task pane and tests).
    """
    snap, report, findings = check(book)
    _require_results(snap)
    plan = mk.plan(findings, mk.read_ledger(snap.ledger_text, list(snap.locations.values())), now or dt.datetime.now())
    apply_plan(book, snap, plan)
    if not findings:
        _alert(book, "校验通过：未发现错误或警告。")
    else:
        book.sheets[snap.results.sheet_index].activate()
    return findings


@macro
def clear_marks(book) -> None:
    """清除标记: restore the coloured cells and empty the 校验结果 rows and the status line."""
    snap = read_snapshot(book)
    results = _require_results(snap)
    previous = mk.read_ledger(snap.ledger_text, list(snap.locations.values()))
    _paint(book, snap, sorted(previous, key=lambda c: (c.sheet, c.address)), _restore_color(snap))
    _clear_rows(book, snap, results)
    if snap.status is not None:
        book.sheets[snap.status.sheet_index].range((snap.status.row, snap.status.col)).value = None
    if snap.ledger is not None:
        _write_ledger(book, snap.ledger, "")


def export_folder(book) -> Path:
    """The folder of the workbook's file (desktop engines only)."""
    full = str(book.fullname or "")
    folder = Path(full).parent if full and os.path.isabs(full) else None
    if folder is None or not folder.is_dir():
        raise MacroError("请先把工作簿保存到磁盘，再导出报告（报告写在工作簿所在的文件夹）。")
    return folder


def export_files(report, findings, folder: Path, stem: str) -> list[Path]:
    """Write the report next to the workbook: the document (.docx, .html), the report
    JSON and the findings JSON. Returns the paths."""
    from ..writers.atomic import write_bytes_atomic

    out = []
    doc = folder / f"{stem}-年报.json"
    write_bytes_atomic(doc, json.dumps(report.to_json(), ensure_ascii=False, indent=2).encode("utf-8"), force=True)
    out.append(doc)
    fnd = folder / f"{stem}-校验结果.json"
    write_bytes_atomic(fnd, json.dumps(findings_document(stem, report, findings), ensure_ascii=False,
                                       indent=2).encode("utf-8"), force=True)
    out.append(fnd)
    out.extend(_export_document(report, folder, stem))
    return out


def _export_document(report, folder: Path, stem: str) -> list[Path]:
    """The report document (Word and web page), as ``nianbao export`` writes it."""
    from ..document.docx_writer import write_docx
    from ..document.html_writer import write_html
    from ..document.narrative import build_document, generated_sections

    document = build_document(report, None, generated_sections(report, None))
    return [write_docx(document, folder / f"{stem}-年报.docx", force=True),
            write_html(document, folder / f"{stem}-年报.html", force=True)]


@macro
def export_report(book) -> list[Path]:
    """导出报告: write the report (and its findings) next to the workbook."""
    snap, report, findings = check(book)
    folder = export_folder(book)
    stem = Path(str(book.name)).stem
    paths = export_files(report, findings, folder, stem)
    errors = sum(1 for f in findings if f.severity == "error")
    note = f"注意：报告中还有 {errors} 个错误，请先点“校验”查看。\n" if errors else ""
    _alert(book, note + "已导出：\n" + "\n".join(p.name for p in paths) + f"\n位置：{folder}")
    return paths


@macro
def show_help(book) -> None:
    """填写说明: go to the 填写说明 sheet (defined name ``NB.help``, else the sheet of that name)."""
    snap = read_snapshot(book)
    if snap.help is None:
        raise MacroError("找不到“填写说明”工作表（可能已被删除或改名）。可用 `nianbao new` 新建模板查看。")
    book.sheets[snap.help.sheet_index].activate()

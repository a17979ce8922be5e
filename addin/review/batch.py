"""Batch review: many reports — workbooks, report JSON, published pages — one row each.

A reviewer (the 政务公开办 of a government, an evaluator) checks dozens to thousands
of reports at once. Each file is read and validated on its own, in worker processes,
a few files per task; a file that cannot be read becomes a row that says why. Only the
small per-report result (counts, the worst findings, the finding list) travels back,
so a folder of 10,000 files is never in memory at once.

Last year's reports (``--prev-dir``) are matched by the agency's name, normalised, so
that 上年结转 and the other cross-year rules (X001–X006) can be checked.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import unicodedata
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import InputError

#: File types a folder is searched for. Types we cannot read are listed too, so that the
#: review says so instead of silently skipping them.
REPORT_SUFFIXES = (".xlsx", ".xlsm", ".json", ".txt", ".html", ".htm", ".docx", ".pdf")
LISTED_SUFFIXES = REPORT_SUFFIXES + (".doc", ".xls", ".wps", ".et")
#: How many of the worst findings a summary row shows.
WORST = 3
#: Most files per worker task: big enough that passing results back costs little,
#: small enough that a batch is spread over all workers (see :func:`chunk_size`).
CHUNK = 32


def chunk_size(n: int, jobs: int) -> int:
    """Files per task for ``n`` files on ``jobs`` workers: at least four tasks per worker."""
    return max(1, min(CHUNK, n // (jobs * 4) or 1))


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every file named, and every report-like file under the folders named (recursive, sorted)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.lower().endswith(LISTED_SUFFIXES) and not name.startswith((".", "~$")):
                        yield Path(root) / name
        else:
            yield p


_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_PARENS = re.compile(r"[(（][^)）]*[)）]")


def agency_key(name: str) -> str:
    """An agency name normalised for matching: 某市 某局（本级） and 某市某局 are one agency."""
    t = unicodedata.normalize("NFKC", name or "")
    t = _PARENS.sub("", t)
    t = t.replace("中华人民共和国", "")
    return _PUNCT.sub("", t)


@dataclass
class Row:
    """One report's line in the review."""

    file: str
    agency: str = ""
    year: int | None = None
    format: str | None = None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    worst: list[str] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    problem: str = ""  # why the file could not be read at all
    prev: str = ""  # last year's report used
    notes: list[str] = field(default_factory=list)  # batch-level remarks (duplicates)

    @property
    def status(self) -> str:
        if self.problem:
            return "无法读取"
        if self.errors:
            return "有错误"
        return "有警告" if self.warnings else "通过"

    def to_json(self) -> dict:
        return {
            "file": self.file, "agency": self.agency, "year": self.year, "format": self.format,
            "status": self.status, "summary": {"errors": self.errors, "warnings": self.warnings, "infos": self.infos},
            "problem": self.problem or None, "prev": self.prev or None, "notes": self.notes,
            "findings": self.findings,
        }


def review_one(path: str, prev_index: dict | None = None, prev_file: str | None = None,
               overlay: str | None = None) -> Row:
    """Read and validate one file; never raises for a bad file."""
    from ..findings import summary
    from ..readers import read_report
    from ..ruleset import load_rules
    from ..validate import validate

    from ..importers import refuse_old_word

    row = Row(file=path)
    try:
        refuse_old_word(Path(path))
        report = read_report(path)
    except InputError as e:
        row.problem = str(e)
        return row
    except Exception as e:  # a reader bug must not end a batch of thousands
        row.problem = f"读取时出现意外错误（{type(e).__name__}: {str(e)[:200]}）"
        return row
    row.agency, row.year, row.format = report.agency, report.year, report.format
    prev = None
    prev_path = prev_file or (match_prev(prev_index, report.agency, report.year) if prev_index else None)
    if prev_path:
        try:
            prev = read_report(prev_path)
            row.prev = str(prev_path)
        except InputError as e:
            row.notes.append(f"上一年度报告无法读取：{e}")
        except Exception as e:
            row.notes.append(f"上一年度报告读取出错（{type(e).__name__}）")
    try:
        findings = validate(report, load_rules(overlay), prev)
    except Exception as e:
        row.problem = f"校验时出现意外错误（{type(e).__name__}: {str(e)[:200]}）"
        return row
    s = summary(findings)
    row.errors, row.warnings, row.infos = s["errors"], s["warnings"], s["infos"]
    row.worst = [f"{f.rule} {f.message}" for f in findings[:WORST]]
    row.findings = [f.to_json() for f in findings]  # the public findings format (data-model.md §3)
    return row


#: Last year's index in a worker process, set once per worker by :func:`_set_shared`.
_SHARED: dict = {}


def _set_shared(prev_index) -> None:
    _SHARED["prev_index"] = prev_index


def _init_worker(prev_index) -> None:
    """A worker process: Ctrl-C is the parent's to handle (it stops the pool and cleans
    up); workers ignore it, instead of each printing a traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _set_shared(prev_index)


def _review_chunk(paths: list[str], prev_file, overlay) -> list[Row]:
    index = _SHARED.get("prev_index")
    return [review_one(p, index, prev_file, overlay) for p in paths]


def _identify(path: str) -> tuple[str, str, int | None]:
    from ..readers import read_report

    try:
        r = read_report(path)
        return path, agency_key(r.agency), r.year
    except Exception:
        return path, "", None


def _identify_chunk(paths: list[str]) -> list[tuple[str, str, int | None]]:
    return [_identify(p) for p in paths]


def match_prev(index: dict, agency: str, year: int | None) -> str | None:
    """Last year's report of ``agency``: the one for ``year - 1``, else the latest earlier one."""
    cands = index.get(agency_key(agency)) if agency else None
    if not cands:
        return None
    if year is None:
        return max(cands, key=lambda c: c[0] or 0)[1]
    exact = [p for y, p in cands if y == year - 1]
    if exact:
        return exact[0]
    earlier = [(y, p) for y, p in cands if y is not None and y < year]
    return max(earlier)[1] if earlier else None


def _chunks(items: Iterable, n: int) -> Iterator[list]:
    buf = []
    for it in items:
        buf.append(it)
        if len(buf) == n:
            yield buf
            buf = []
    if buf:
        yield buf


def run_parallel(func: Callable, items: list, args: tuple = (), jobs: int | None = None,
                 progress: Callable[[int], None] | None = None, shared=None,
                 on_error: Callable[[list, BaseException], list] | None = None) -> list:
    """``func(chunk, *args)`` over chunks of ``items`` on all cores, a bounded number of
    chunks in flight; results flattened in the order of ``items``. ``shared`` is handed
    to every worker once (:func:`_set_shared`), not with every chunk. If a worker dies
    (out of memory, a crash in a C library), ``on_error(chunk, exc)`` stands in for the
    chunks it had, and the rest goes on in a fresh pool."""
    jobs = jobs or os.cpu_count() or 1
    chunks = list(_chunks(items, chunk_size(len(items), jobs)))
    results: dict[int, list] = {}
    _set_shared(shared)
    if jobs <= 1 or len(items) <= 2:
        for i, chunk in enumerate(chunks):
            results[i] = func(chunk, *args)
            if progress:
                progress(len(chunk))
        return [r for i in range(len(chunks)) for r in results[i]]
    todo = list(range(len(chunks)))
    while todo:
        broken = False
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(shared,)) as pool, \
                _stop_on_interrupt(pool):
            pending: dict = {}
            queue = iter(list(todo))

            def submit() -> None:
                i = next(queue, None)
                if i is not None:
                    pending[pool.submit(func, chunks[i], *args)] = i

            for _ in range(jobs * 2):
                submit()
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = pending.pop(fut)
                    try:
                        results[i] = fut.result()
                    except BrokenProcessPool as e:
                        broken = True
                        results[i] = on_error(chunks[i], e) if on_error else []
                    except Exception as e:  # noqa: BLE001 - one chunk's failure is reported, not fatal
                        results[i] = on_error(chunks[i], e) if on_error else []
                    if progress:
                        progress(len(chunks[i]))
                    if not broken:
                        submit()
        todo = [i for i in todo if i not in results]
    return [r for i in range(len(chunks)) for r in results[i]]


@contextlib.contextmanager
def _stop_on_interrupt(pool: ProcessPoolExecutor) -> Iterator[None]:
    """On Ctrl-C (or any error) stop at once: drop the queued chunks and end the workers,
    instead of waiting for every chunk in flight."""
    try:
        yield
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                proc.kill()
        raise


def _error_rows(chunk: list[str], exc: BaseException) -> list[Row]:
    return [Row(file=p, problem=f"处理该文件的工作进程异常退出（{type(exc).__name__}），可能是文件过于复杂或内存不足；"
                                f"请单独审核该文件") for p in chunk]


def _error_ids(chunk: list[str], exc: BaseException) -> list[tuple[str, str, None]]:
    return [(p, "", None) for p in chunk]


def prev_index(folder: str | Path, jobs: int | None = None) -> dict[str, list[tuple[int | None, str]]]:
    """``{normalised agency: [(year, path), …]}`` for every report under ``folder``."""
    paths = [str(p) for p in iter_paths([folder]) if p.suffix.lower() in REPORT_SUFFIXES]
    index: dict[str, list[tuple[int | None, str]]] = {}
    for path, key, year in run_parallel(_identify_chunk, paths, jobs=jobs, on_error=_error_ids):
        if key:
            index.setdefault(key, []).append((year, path))
    return index


#: How many of the other files a duplicate row names (the rest are counted).
SHOW_DUPLICATES = 3


def flag_duplicates(rows: list[Row]) -> None:
    """Two reports of one agency for one year in one batch: say so on each of them,
    naming at most :data:`SHOW_DUPLICATES` of the others (a folder where 2,000 files are
    one agency's must not print every name 2,000 times)."""
    seen: dict[tuple[str, int | None], list[Row]] = {}
    for r in rows:
        key = agency_key(r.agency)
        if key and not r.problem:
            seen.setdefault((key, r.year), []).append(r)
    for group in seen.values():
        if len(group) > 1:
            names = [Path(o.file).name for o in group[:SHOW_DUPLICATES + 1]]
            for r in group:
                others = [n for o, n in zip(group, names) if o is not r][:SHOW_DUPLICATES]
                more = len(group) - 1 - len(others)
                r.notes.append(f"重复：与 {'、'.join(others)}{f' 等另外 {len(group) - 1} 份' if more else ''}"
                               f"为同一机关同一年度的报告（本批共 {len(group)} 份）")


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, enabled: bool, label: str = "审核") -> None:
        self.total, self.done, self.enabled, self.label = total, 0, enabled, label

    def __call__(self, n: int) -> None:
        self.done += n
        if self.enabled and self.total:
            width = 30
            filled = width * self.done // self.total
            sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.total:
            sys.stderr.write("\n")
            sys.stderr.flush()


def warm_up(overlay: str | None = None) -> None:
    """Load the formats, label indexes and compiled rules once, before the worker
    processes are forked, so that each worker starts with them instead of rebuilding."""
    from ..formats import FORMATS
    from ..importers.anchors import exclusive_labels, label_index
    from ..ruleset import compile_rule, load_rules

    rules = load_rules(overlay)
    for f in FORMATS:
        label_index(f)
        for rule in rules.for_format(f):
            compile_rule(rule, f)
    exclusive_labels()
    import addin.importers.docx  # noqa: F401
    import addin.importers.html  # noqa: F401
    import addin.importers.text  # noqa: F401
    import addin.validate  # noqa: F401


def review(paths: Iterable[str | Path], *, prev_file: str | None = None, prev_dir: str | None = None,
           overlay: str | None = None, jobs: int | None = None, progress: bool = False,
           exclude: Iterable[str | Path] = ()) -> list[Row]:
    """Review every report under ``paths``; one :class:`Row` per file, in path order.
    ``exclude``: files not to review (the review's own output, when it lies in the folder)."""
    skip = {Path(p).resolve() for p in exclude}
    files, taken = [], set()
    for p in iter_paths(paths):  # a file named twice, or also inside a folder named, is reviewed once
        real = p.resolve()
        if real not in skip and real not in taken:
            taken.add(real)
            files.append(str(p))
    warm_up(overlay)
    index = prev_index(prev_dir, jobs) if prev_dir else None
    bar = Progress(len(files), progress)
    try:
        rows = run_parallel(_review_chunk, files, (prev_file, overlay), jobs, bar, shared=index, on_error=_error_rows)
    finally:
        bar.close()
    flag_duplicates(rows)
    return rows

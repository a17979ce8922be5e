#!/usr/bin/env python3
"""年报助手 benchmarks: one command, one table, every figure against a baseline measured
in the same run (so a slower or busier machine moves both).

    .venv/bin/python bench/run.py            # full run (several minutes)
    .venv/bin/python bench/run.py --quick    # smaller sizes, for a smoke run
    .venv/bin/python bench/run.py --only validate,server

1. validate — read + rules of a filled 2021 workbook (saved with calculated values, as
   Excel saves it), median of many runs, against the floor of reading the same file's
   cell values with python-calamine.                                goal ≤ 3× floor
2. server — the 校验 button's round trip through a running ``nianbao serve`` over HTTP
   on loopback (book JSON in, actions out), 1 and 16 concurrent keep-alive clients;
   baseline: the 填写说明 button (same request, trivial macro).  goal 16 clients: p50 ≤ 50 ms, p99 ≤ 150 ms
3. export — .docx + .html per report (goal ≤ 300 ms); .pdf through LibreOffice, one file
   per run vs. a batch converted in one LibreOffice run; baseline: writing the report JSON.
4. review — import + validate of published-style HTML reports and of workbooks, reports
   per second on all cores, and how it scales from 100 to 10,000 (must stay linear);
   baseline: only parsing the same files (lxml / calamine) in one process.
5. pdf — PDF import time per page against pdfplumber's own parse of the same pages
   (extract_tables + extract_text), measured in this run.               goal ≤ 1.5×
   Then ``review`` over a folder of 1,000 PDFs (copies of tests/fixtures/pdf) on all cores;
   baseline: pdfplumber's parse alone of the same files on the same cores.
6. prose — the prose checks (P001–P008) on shapes that once made a scan quadratic, at n
   and 4n repeats; baseline: the n-size text.                    goal ≤ 6× (linear is 4×)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

ROWS: list[tuple[str, str, str, str, str]] = []  # (measure, value, baseline, ratio, goal)


def row(measure: str, value: str, baseline: str = "", ratio: str = "", goal: str = "") -> None:
    ROWS.append((measure, value, baseline, ratio, goal))
    print(f"  {measure}: {value}" + (f"  (基线 {baseline}，{ratio})" if baseline else "") + (f"  目标 {goal}" if goal else ""),
          flush=True)


def median_ms(func, n: int) -> float:
    func()
    xs = []
    for _ in range(n):
        t = time.perf_counter()
        func()
        xs.append(time.perf_counter() - t)
    return statistics.median(xs) * 1000


def filled_workbook(tmp: Path) -> Path:
    """The built-in example as a workbook saved with calculated values (LibreOffice, like Excel)."""
    from addin.examples import example_report
    from addin.libreoffice import recalculate, soffice
    from addin.writers.workbook import write_workbook

    path = tmp / "filled.xlsx"
    write_workbook(example_report("2021"), path)
    return recalculate(path, tmp / "calc") if soffice() else path


def bench_validate(tmp: Path, quick: bool) -> None:
    import openpyxl
    import python_calamine

    from addin.readers.workbook import read_workbook
    from addin.ruleset import load_rules
    from addin.validate import validate

    print("1. 校验延迟（2021 年格式工作簿，约 250 个输入单元格）")
    path = filled_workbook(tmp)
    rules = load_rules()
    n = 50 if quick else 300

    def floor():
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    def openpyxl_values():
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()

    base = median_ms(floor, n)
    row("python-calamine 读取全部单元格值（下限）", f"{base:.2f} ms")
    op = median_ms(openpyxl_values, max(20, n // 10))
    row("openpyxl 只读模式读取全部单元格值（参考）", f"{op:.2f} ms", f"{base:.2f} ms", f"{op / base:.1f}×")
    rd = median_ms(lambda: read_workbook(path), n)
    row("read_workbook（按名称读取为 Report）", f"{rd:.2f} ms", f"{base:.2f} ms", f"{rd / base:.1f}×")
    report = read_workbook(path)
    vd = median_ms(lambda: validate(report, rules), n)
    row("validate（全部规则）", f"{vd:.2f} ms", f"{base:.2f} ms", f"{vd / base:.1f}×")
    total = median_ms(lambda: validate(read_workbook(path), rules), n)
    row("读取 + 校验 合计", f"{total:.2f} ms", f"{base:.2f} ms", f"{total / base:.1f}×", "≤ 3× 下限")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_server(tmp: Path, quick: bool) -> None:
    import openpyxl

    from addin.excel.bridge import book_json
    from addin.server.loadgen import run_load

    workers = os.cpu_count() or 1
    print(f"2. 校验按钮往返（nianbao serve，{workers} 个工作进程，本机回环 HTTP）")
    path = filled_workbook(tmp)
    payload = book_json(openpyxl.load_workbook(path, data_only=True), name="filled.xlsx")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "NIANBAO_"))}
    log = open(tmp / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "addin", "serve", "--port", str(port)], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/manifest", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        seconds = 5 if quick else 20

        def check(data: bytes):
            return None if b"setValues" in data else "no actions"

        for clients in (1, 16):
            for script, label in (("show_help", "基线：填写说明按钮"), ("validate", "校验按钮")):
                url = f"{base}/xlwings/custom-scripts-call/{script}"
                run_load(url, payload, clients, requests=clients * 5)  # warm up
                res = run_load(url, payload, clients, seconds=seconds, check=check if script == "validate" else None)
                if script == "show_help":
                    b50, b99 = res.p50 * 1000, res.p99 * 1000
                    row(f"{label}，{clients} 个客户端", f"p50 {b50:.1f} ms，p99 {b99:.1f} ms，错误 {len(res.errors)}")
                else:
                    goal = "p50 ≤ 50 ms，p99 ≤ 150 ms，0 错误" if clients == 16 else ""
                    row(f"{label}，{clients} 个客户端",
                        f"p50 {res.p50 * 1000:.1f} ms，p99 {res.p99 * 1000:.1f} ms，{res.throughput:.0f} 次/秒，错误 {len(res.errors)}",
                        f"p50 {b50:.1f} ms", f"{res.p50 * 1000 / b50:.1f}×", goal)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def bench_export(tmp: Path, quick: bool) -> None:
    from addin.document.docx_writer import write_docx
    from addin.document.html_writer import write_html
    from addin.document.narrative import build_document
    from addin.examples import example_report
    from addin.libreoffice import convert, convert_many, soffice

    print("3. 导出")
    report = example_report("2021")
    n = 10 if quick else 30
    out = tmp / "export"
    out.mkdir()

    def as_json():
        (out / "r.json").write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")

    def docx_html():
        document = build_document(report)
        write_docx(document, out / "r.docx", force=True)
        write_html(document, out / "r.html", force=True)

    base = median_ms(as_json, n)
    row("基线：写报告 JSON", f"{base:.1f} ms")
    t = median_ms(docx_html, n)
    row(".docx + .html（每份）", f"{t:.0f} ms", f"{base:.1f} ms", f"{t / base:.0f}×", "≤ 300 ms")
    _export_scaling(report, out, quick)
    if soffice() is None:
        row(".pdf", "未安装 LibreOffice，跳过")
        return
    k = 3 if quick else 10
    docs = []
    for i in range(k):
        d = out / f"r{i}.docx"
        shutil.copyfile(out / "r.docx", d)
        docs.append(d)
    t0 = time.perf_counter()
    convert(docs[0], "pdf", out / "one")
    single = (time.perf_counter() - t0) * 1000
    row(".pdf，每份单独启动 LibreOffice", f"{single:.0f} ms")
    t0 = time.perf_counter()
    convert_many(docs, "pdf", out / "many")
    batch = (time.perf_counter() - t0) * 1000 / k
    row(f".pdf，{k} 份在一次 LibreOffice 运行中转换（每份）", f"{batch:.0f} ms", f"{single:.0f} ms",
        f"{batch / single:.2f}×")


def _export_scaling(report, out: Path, quick: bool) -> None:
    """.docx + .html of a report whose 总体情况 holds 1 MB and then 8 MB of text (UTF-8):
    time per MB must stay flat (was 3.3 s → 40 s, quadratic, before paragraphs were
    appended in constant time)."""
    from dataclasses import replace

    from addin.document.docx_writer import write_docx
    from addin.document.html_writer import write_html
    from addin.document.narrative import build_document

    para = "本机关坚持以公开为常态、不公开为例外，全面推进政府信息公开工作，主动回应社会关切。" * 8 + "\n"
    per_mb = {}
    for mb in (1, 2) if quick else (1, 8):
        text = para * (mb * 2**20 // len(para.encode("utf-8")))
        big = replace(report, sections={**report.sections, "s1": text})
        t0 = time.perf_counter()
        document = build_document(big)
        write_docx(document, out / "big.docx", force=True)
        write_html(document, out / "big.html", force=True)
        per_mb[mb] = (time.perf_counter() - t0) / mb
        row(f".docx + .html，正文 {mb} MB", f"{per_mb[mb] * mb:.2f} s")
    small, large = per_mb.values()
    row("每 MB 用时之比（大 / 小）", f"{large / small:.2f}×", f"{small:.2f} s/MB", "", "≤ 1.5×（线性）")


def _population(folder: Path, n: int, distinct: int, suffix: str, write) -> list[Path]:
    """``n`` report files in ``folder``: ``distinct`` random reports written by
    ``write(report, path)``, copied round-robin up to ``n`` (reading cost does not
    depend on which numbers a file holds)."""
    from addin.examples import random_report

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2025)
    paths = []
    for i in range(n):
        path = folder / f"r{i:05d}{suffix}"
        if i < distinct:
            report = random_report("2021", rng, year=2025)
            report.agency = f"示例区第{i}局"
            write(report, path)
        else:
            shutil.copyfile(paths[i % distinct], path)
        paths.append(path)
    return paths


def _html_reports(folder: Path, n: int) -> list[Path]:
    from addin.document.html_writer import render_html
    from addin.document.narrative import build_document

    return _population(folder, n, 200, ".html",
                       lambda r, p: p.write_text(render_html(build_document(r)), encoding="utf-8"))


def _workbooks(folder: Path, n: int) -> list[Path]:
    from addin.writers.workbook import write_workbook

    return _population(folder, n, 20, ".xlsx", write_workbook)


def bench_review(tmp: Path, quick: bool) -> None:
    from addin.review.batch import review

    cores = os.cpu_count() or 1
    print(f"4. 批量审核（导入 + 校验，{cores} 核并行）")

    def parse_only(f: Path) -> None:
        """Baseline: only parse the file (lxml for HTML, calamine for workbooks), one process."""
        if f.suffix == ".html":
            import lxml.html

            lxml.html.fromstring(f.read_bytes())
        else:
            import python_calamine

            book = python_calamine.CalamineWorkbook.from_path(str(f))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()

    def rate(folder: Path, n: int) -> tuple[float, float]:
        files = sorted(folder.iterdir())
        t0 = time.perf_counter()
        for f in files:
            parse_only(f)
        parsed = time.perf_counter() - t0
        t0 = time.perf_counter()
        rows = review([folder])
        dt = time.perf_counter() - t0
        assert len(rows) == n, (len(rows), n)
        return n / dt, parsed

    sizes = [100, 1000] if quick else [100, 1000, 10000]
    for kind, make in (("已发布网页（HTML）", _html_reports), ("工作簿（.xlsx）", _workbooks)):
        for n in sizes if kind.startswith("已发布") else sizes[:2]:
            folder = tmp / f"{make.__name__}-{n}"
            make(folder, n)
            per_s, parsed = rate(folder, n)
            row(f"{kind} {n} 份", f"{per_s:.0f} 份/秒（共 {n / per_s:.1f} 秒）",
                f"单进程仅解析 {n / parsed:.0f} 份/秒", f"{(n / per_s) / parsed:.1f}×",
                "随数量线性增长" if n == sizes[-1] else "")
            shutil.rmtree(folder)


def bench_click_path(tmp: Path, quick: bool) -> None:
    """A desktop Excel click's import cost against a bare ``import xlwings.utils`` (bench_click.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_click import bench_click

    bench_click(tmp, quick, row)


def _pdf_parse(path: Path) -> int:
    """Baseline: pdfplumber's own parse of every page — its tables (found and their cells'
    text extracted) and its text, what reading a PDF's tables and text with pdfplumber
    alone costs."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()
            page.close()
        return len(pdf.pages)


def bench_pdf(tmp: Path, quick: bool) -> None:
    """PDF import per page against pdfplumber's own page parse (goal ≤ 1.5×), on the
    LibreOffice-made test set; then ``review`` over a folder
    of 1,000 PDFs (copies of that set) on all cores."""
    from addin.importers import import_report
    from addin.review.batch import review

    fixtures = ROOT / "tests" / "fixtures" / "pdf"
    pdfs = sorted(p for p in fixtures.rglob("*.pdf") if p.with_name(p.name + ".truth.json").exists())
    text_pdfs = [p for p in pdfs if p.stem != "scanned"]
    print(f"5. PDF 导入（{len(text_pdfs)} 份有文字层的 PDF）")
    pages = sum(_pdf_parse(p) for p in text_pdfs)
    # Baseline and import alternate, file by file, so that a change in the machine's load
    # (it is shared) moves both alike; the ratio is the median of the per-round ratios.
    bases, ours, ratios = [], [], []
    for _ in range(3 if quick else 9):
        b = o = 0.0
        for p in text_pdfs:
            t0 = time.perf_counter()
            _pdf_parse(p)
            t1 = time.perf_counter()
            import_report(p)
            t2 = time.perf_counter()
            b, o = b + t1 - t0, o + t2 - t1
        bases.append(b * 1000 / pages)
        ours.append(o * 1000 / pages)
        ratios.append(o / b)
    base, mine = statistics.median(bases), statistics.median(ours)
    row(f"基线：pdfplumber 解析一页（extract_tables + extract_text），共 {pages} 页", f"{base:.1f} ms/页")
    row("nianbao import（PDF），每页", f"{mine:.1f} ms/页", f"{base:.1f} ms/页", f"{statistics.median(ratios):.2f}×",
        "≤ 1.5×")

    cores = os.cpu_count() or 1
    n = 200 if quick else 1000
    folder = tmp / "pdfs"
    folder.mkdir()
    for i in range(n):
        src = pdfs[i % len(pdfs)]
        shutil.copyfile(src, folder / f"r{i:05d}-{src.name}")
    from concurrent.futures import ProcessPoolExecutor

    files = sorted(folder.iterdir())
    t0 = time.perf_counter()
    with ProcessPoolExecutor(cores) as pool:  # baseline: the same files, parsed only, on the same cores
        list(pool.map(_pdf_parse, files, chunksize=max(1, n // (cores * 8))))
    parsed = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = review([folder])
    dt = time.perf_counter() - t0
    assert len(rows) == n and not any(r.problem for r in rows), [r.problem for r in rows if r.problem][:3]
    row(f"审核 {n} 份 PDF（{cores} 核，导入 + 校验）", f"{n / dt:.1f} 份/秒（共 {dt:.0f} 秒）",
        f"{cores} 核仅 pdfplumber 解析 {n / parsed:.1f} 份/秒", f"{dt / parsed:.2f}×")
    shutil.rmtree(folder)


#: Prose shapes that once made a scan quadratic (tests/test_document_prose.py reads them
#: too, untimed): one unit of each, repeated n and 4n times.
_PROSE_SHAPES = {
    "重复的同一说法": ("政策解读12篇，", ""),
    "一句中的许多分项列表": ("其中" + "通知公告1条、" * 10, ""),
    "没有尽头的分项列表": ("通知公告1条，", "全年发布信息9条，其中"),
    "正常的总体情况段落": ("本年度我局依法推进政务公开，全年开展培训2次，公开信息126条。", ""),
}


def bench_prose(tmp: Path, quick: bool) -> None:
    """The prose checks (P001–P008) on one section of n and of 4n repeats of a shape: a
    linear scan takes 4× as long (goal ≤ 6×), a quadratic one 16×. Baseline: the n-size text."""
    from addin.document.prose_check import PROSE_CHECKS
    from addin.examples import example_report
    from addin.ruleset import builtin_rules

    rules = {r.check: r for r in builtin_rules().rules if r.check in PROSE_CHECKS}
    report = example_report("2021")

    from addin.document import prose_check

    caches = [f for f in vars(prose_check).values() if hasattr(f, "cache_clear")]

    def check(text: str) -> None:
        for c in caches:  # each run reads the text afresh (the checks cache what they read)
            c.cache_clear()
        report.sections = {**report.sections, "s1": text}
        for name, fn in PROSE_CHECKS.items():
            list(fn(rules[name], report))

    n = 500 if quick else 2000
    print("正文核对（P001–P008）的规模扩展：")
    for label, (unit, head) in _PROSE_SHAPES.items():
        small, large = head + unit * n, head + unit * (4 * n)
        t1 = median_ms(lambda: check(small), 3)
        t4 = median_ms(lambda: check(large), 3)
        row(f"正文核对，{label}，{4 * n} 次（{len(large):,} 字）", f"{t4:.0f} ms", f"{n} 次 {t1:.0f} ms",
            f"{t4 / t1:.1f}×", "≤ 6×（线性为 4×）")


BENCHES = {"validate": bench_validate, "prose": bench_prose, "server": bench_server, "export": bench_export, "review": bench_review,
           "click": bench_click_path, "pdf": bench_pdf}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="年报助手性能基准")
    parser.add_argument("--quick", action="store_true", help="较小的规模，快速运行")
    parser.add_argument("--only", default=",".join(BENCHES), help="只运行这些（逗号分隔）")
    args = parser.parse_args(argv)
    import platform

    print(f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}，{platform.platform()}")
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        for name in args.only.split(","):
            sub = Path(tmp) / name
            sub.mkdir()
            BENCHES[name](sub, args.quick)
    print("\n| 测量 | 结果 | 基线 | 比值 | 目标 |\n|---|---|---|---|---|")
    for r in ROWS:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

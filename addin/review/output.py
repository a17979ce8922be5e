"""The review's outputs: an Excel summary (sortable, filterable), an HTML page, JSON, text.

Excel: sheet 审核汇总 has one row per report with an autofilter (sort and filter in
Excel or WPS); sheet 问题明细 lists every finding of every report. HTML: one
self-contained page, the summary table sortable by clicking a column heading, then a
section per report with all its findings.
"""

from __future__ import annotations

import io

import html
import json
from pathlib import Path

from ..writers.atomic import atomic_output
from .batch import Row

SUMMARY_HEADERS = ("文件", "机关", "年度", "格式", "状态", "错误", "警告", "提示", "主要问题", "上年报告", "备注")
#: One row per finding, with every field of the findings JSON (data-model.md §3): the
#: cell keys let a reviewer's own scripts join the workbook to report JSON.
DETAIL_HEADERS = ("文件", "机关", "年度", "规则", "级别", "位置", "说明", "单元格", "应为", "实为", "提示")
_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
_FORMAT = {"2019": "2019 试行格式", "2021": "2021 格式"}


def summary_values(r: Row) -> list:
    worst = r.problem or "；".join(r.worst)
    return [r.file, r.agency, r.year, _FORMAT.get(r.format or "", r.format or ""), r.status, r.errors, r.warnings,
            r.infos, worst, r.prev, "；".join(r.notes)]


def write_xlsx(rows: list[Row], path: str | Path, force: bool = False) -> None:
    """The review workbook, written in openpyxl's streaming mode (thousands of reports)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fills = {"有错误": PatternFill("solid", fgColor="F8CBAD"), "无法读取": PatternFill("solid", fgColor="D9D9D9"),
             "有警告": PatternFill("solid", fgColor="FFE699")}
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(ws, names):
        out = []
        for n in names:
            c = WriteOnlyCell(ws, value=n)
            c.font = bold
            out.append(c)
        ws.append(out)

    def sheet(title, names, widths, n_rows):
        ws = wb.create_sheet(title)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{max(n_rows + 1, 2)}"
        header(ws, names)
        return ws

    ws = sheet("审核汇总", SUMMARY_HEADERS, (40, 28, 8, 14, 10, 7, 7, 7, 80, 30, 40), len(rows))
    for r in rows:
        values = [_safe(v) for v in summary_values(r)]
        status = WriteOnlyCell(ws, value=values[4])
        if r.status in fills:
            status.fill = fills[r.status]
        ws.append(values[:4] + [status] + values[5:])

    n_details = sum(len(r.findings) + len(r.notes) + (1 if r.problem else 0) for r in rows)
    ds = sheet("问题明细", DETAIL_HEADERS, (40, 28, 8, 8, 8, 16, 100, 30, 10, 10, 40), n_details)

    def detail(*values):
        vals = [_safe(v) for v in values]
        msg = WriteOnlyCell(ds, value=vals[6])
        msg.alignment = wrap
        ds.append(vals[:6] + [msg] + vals[7:])

    for r in rows:
        if r.problem:
            detail(r.file, r.agency, r.year, "—", "无法读取", "", r.problem)
        for f in r.findings:
            detail(r.file, r.agency, r.year, f["rule"], _SEVERITY.get(f["severity"], f["severity"]),
                   "、".join(f["locations"]), f["message"], "、".join(f["cells"]), _cell_value(f["expected"]),
                   _cell_value(f["actual"]), f["hint"])
        for note in r.notes:
            detail(r.file, r.agency, r.year, "—", "备注", "", note)
    data = io.BytesIO()  # built in memory: a full disk fails one plain write, not inside openpyxl's zip
    wb.save(data)
    with atomic_output(path, force) as tmp:
        tmp.write_bytes(data.getvalue())


def location(f: dict) -> str:
    """Where a finding is, for one column of a table: its first location, else its first cell."""
    return (f["locations"] or f["cells"] or [""])[0]


def _cell_value(v):
    """An expected/actual value for a workbook cell: numbers stay numbers, anything else is text."""
    if v is None or isinstance(v, (int, float)):
        return v
    return json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v)


def _safe(v):
    """Text as text: a message starting with “=” must never become a formula."""
    if isinstance(v, str):
        v = "".join(ch for ch in v if ch in "\t\n" or ord(ch) >= 32)
        if v.startswith(("=", "+", "-", "@")):
            return "'" + v
    return v


_SCRIPT = """
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0];
    var asc = th.dataset.dir !== 'asc'; th.dataset.dir = asc ? 'asc' : 'desc';
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.v || a.cells[col].textContent, y = b.cells[col].dataset.v || b.cells[col].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, 'zh');
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

_STYLE = """
body{font-family:"Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#eee;cursor:pointer;user-select:none}
tr.有错误 td.status{background:#f8cbad}tr.有警告 td.status{background:#ffe699}tr.无法读取 td.status{background:#d9d9d9}
section{margin-top:1.5em}h2{font-size:16px}
@media print{th{cursor:auto}}
"""


def render_html(rows: list[Row], title: str = "政府信息公开工作年度报告审核汇总") -> str:
    e = html.escape
    n_err = sum(1 for r in rows if r.errors)
    n_bad = sum(1 for r in rows if r.problem)
    out = [f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{e(title)}</title>",
           f"<style>{_STYLE}</style></head><body>", f"<h1>{e(title)}</h1>",
           f"<p>共 {len(rows)} 份；有错误 {n_err} 份；无法读取 {n_bad} 份。点击表头可排序。</p>",
           "<table class='sortable'><thead><tr>"
           + "".join(f"<th>{e(h)}</th>" for h in SUMMARY_HEADERS) + "</tr></thead><tbody>"]
    for i, r in enumerate(rows):
        vals = summary_values(r)
        cells = []
        for j, v in enumerate(vals):
            text = "" if v is None else str(v)
            if j == 0:
                cells.append(f"<td data-v='{e(text)}'><a href='#r{i}'>{e(text)}</a></td>")
            elif j == 4:
                cells.append(f"<td class='status'>{e(text)}</td>")
            else:
                cells.append(f"<td>{e(text)}</td>")
        out.append(f"<tr class='{e(r.status)}'>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    for i, r in enumerate(rows):
        out.append(f"<section id='r{i}'><h2>{e(r.file)}　{e(r.agency or '')} {e(str(r.year or ''))}</h2>")
        if r.problem:
            out.append(f"<p>无法读取：{e(r.problem)}</p>")
        for note in r.notes:
            out.append(f"<p>备注：{e(note)}</p>")
        if r.findings:
            out.append("<table><thead><tr><th>规则</th><th>级别</th><th>位置</th><th>说明</th></tr></thead><tbody>")
            for f in r.findings:
                out.append(f"<tr><td>{e(f['rule'])}</td><td>{e(_SEVERITY.get(f['severity'], f['severity']))}</td>"
                           f"<td>{e(location(f))}</td><td>{e(f['message'])}</td></tr>")
            out.append("</tbody></table>")
        elif not r.problem:
            out.append("<p>未发现问题。</p>")
        out.append("</section>")
    out.append(f"<script>{_SCRIPT}</script></body></html>")
    return "\n".join(out)


def write_html(rows: list[Row], path: str | Path, force: bool = False) -> None:
    with atomic_output(path, force) as tmp:
        tmp.write_text(render_html(rows), encoding="utf-8")


def to_json(rows: list[Row]) -> dict:
    return {
        "summary": {"reports": len(rows), "with_errors": sum(1 for r in rows if r.errors),
                    "unreadable": sum(1 for r in rows if r.problem)},
        "reports": [r.to_json() for r in rows],
    }


def write_json(rows: list[Row], path: str | Path, force: bool = False) -> None:
    with atomic_output(path, force) as tmp:
        tmp.write_text(json.dumps(to_json(rows), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def text_lines(rows: list[Row]) -> list[str]:
    lines = []
    for r in rows:
        who = f"{r.agency or '（未识别机关）'} {r.year or '（未识别年度）'}"
        if r.problem:
            lines.append(f"{r.file}: 无法读取：{r.problem}")
        else:
            lines.append(f"{r.file}: {who}：{r.errors} 个错误，{r.warnings} 个警告，{r.infos} 条提示")
            lines.extend(f"    {w}" for w in r.worst)
        lines.extend(f"    备注：{n}" for n in r.notes)
    n_err = sum(1 for r in rows if r.errors)
    n_bad = sum(1 for r in rows if r.problem)
    lines.append(f"共 {len(rows)} 份报告：有错误 {n_err} 份，无法读取 {n_bad} 份。")
    return lines

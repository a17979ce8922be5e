"""Placing a table's rows by their order, when their labels cannot be used.

Text extracted from a PDF keeps the numbers of a table in reading order, but not always
next to their row labels: a wrapped label prints its row's numbers on its middle line,
a vertically centred label comes *after* its numbers, a page break puts the running
header between a label and its values. The rows of 表二 and 表三 have a fixed order and
a fixed number of cells, so when the runs of values found in a table's region split
exactly into the table's rows, in order, every value has its place without a label.
Anything else (a row missing, a cell lost, an extra row) does not split exactly, and the
labels decide as before.
"""

from __future__ import annotations

import re

from .anchors import value_state
from .tokens import Token

#: ``0012``: cells glued together (a count has no leading zero). Never a value.
GLUED = re.compile(r"^\s*[+\-]?0\d+\s*$")


def value_runs(tokens: list[Token], start: int, end: int) -> list[list[str]]:
    """The runs of consecutive values (numbers, ``/``, explicit empty cells) in
    ``tokens[start:end]``; any other token or a row break ends a run. Empty cells at a
    run's ends are dropped (a pipe row's trailing ``| |``)."""
    runs: list[list[str]] = []
    cur: list[str] = []
    for t in tokens[start:end]:
        if t.empty:
            cur.append("")
            continue
        words = t.text.split()
        if not t.brk and len(words) > 1 and all(value_state(w) and not GLUED.match(w) for w in words):
            cur.extend(words)  # cells whose separators were lost: ``| 0 0 12 |``
            continue
        if not t.brk and value_state(t.text) and not GLUED.match(t.text):
            cur.append(t.text)
            continue
        runs.append(cur)
        cur = []
    runs.append(cur)
    out = []
    for run in runs:
        while run and run[0] == "":
            run = run[1:]
        while run and run[-1] == "":
            run = run[:-1]
        if run:
            out.append(run)
    return out


def place_by_order(runs: list[list[str]], widths: list[int]) -> list[list[str]] | None:
    """The runs split into rows of ``widths`` cells, in order, or ``None`` if they do not
    split exactly (every run a whole number of consecutive rows, every row filled)."""
    rows: list[list[str]] = []
    k = 0
    for run in runs:
        p = 0
        while p < len(run):
            if k >= len(widths) or p + widths[k] > len(run):
                return None
            rows.append(run[p:p + widths[k]])
            p += widths[k]
            k += 1
    return rows if k == len(widths) else None


def place_across_runs(runs: list[list[str]], widths: list[int]) -> list[list[str]] | None:
    """All values in order split into rows, a row allowed to continue in the next run
    (``pdftotext`` sometimes prints a row's last cell after the page's footer): only when
    the count is exact. The caller must check the rows (表三's 总计 column) before using them."""
    flat = [v for run in runs for v in run]
    if len(flat) != sum(widths):
        return None
    rows, p = [], 0
    for w in widths:
        rows.append(flat[p:p + w])
        p += w
    return rows


def place_by_columns(runs: list[list[str]], widths: list[int]) -> list[list[str]] | None:
    """All values in column order (a PDF whose text comes out column by column: the first
    column of every row, then the second …) split back into rows: only for a table whose
    rows all have the same width and when the count is exact. The caller must check the rows."""
    flat = [v for run in runs for v in run]
    if not widths or len(set(widths)) != 1 or len(flat) != sum(widths):
        return None
    n_rows, width = len(widths), widths[0]
    return [[flat[c * n_rows + r] for c in range(width)] for r in range(n_rows)]


def place_in_blocks(runs: list[list[str]], widths: list[int], ok) -> list[list[str]] | None:
    """Rows from runs that mix the reading orders a PDF's text comes in: one row (row by
    row), or a block of ``k`` rows of the same width read column by column (``k`` values
    of the first column, then ``k`` of the second …), as one run or as one run per column
    — WPS- and LibreOffice-made PDFs print a table so, a block per page or per merged
    heading. Every row must pass ``ok`` (表三: 总计 is the sum of the other columns); the
    first split that uses every value and yields exactly the table's rows, row by row
    preferred, is returned, else ``None``."""
    n = len(widths)
    if sum(len(run) for run in runs) != sum(widths):
        return None
    failed: set[tuple[int, int, int]] = set()  # (run, offset, rows so far) known to lead nowhere

    def same_width(r: int, k: int) -> bool:
        return r + k <= n and len(set(widths[r:r + k])) == 1

    def solve(p: int, o: int, rows: list[list[str]]) -> list[list[str]] | None:
        if p < len(runs) and o == len(runs[p]):
            return solve(p + 1, 0, rows)
        if p == len(runs):
            return rows if len(rows) == n else None
        r = len(rows)
        if r >= n or (p, o, r) in failed:
            return None
        found = _step(p, o, rows)
        if found is None:
            failed.add((p, o, r))
        return found

    def _step(p: int, o: int, rows: list[list[str]]) -> list[list[str]] | None:
        r = len(rows)
        w, run = widths[r], runs[p]
        for k in range(1, n - r + 1):
            if o + w * k > len(run) or not same_width(r, k):
                break
            seg = run[o:o + w * k]
            new = [seg[:w]] if k == 1 else [[seg[c * k + i] for c in range(w)] for i in range(k)]
            if all(ok(x) for x in new):
                found = solve(p, o + w * k, rows + new)
                if found is not None:
                    return found
        k = len(run)
        if o == 0 and 1 < k and w > 1 and same_width(r, k) and p + w <= len(runs) \
                and all(len(runs[q]) == k for q in range(p, p + w)):
            new = [[runs[p + c][i] for c in range(w)] for i in range(k)]
            if all(ok(x) for x in new):
                return solve(p + w, 0, rows + new)
        return None

    return solve(0, 0, [])

"""Tables that plain ``pdftotext`` printed as interleaved strips of cells.

Without ``-layout``, poppler prints a page as *flows* of text blocks, a blank line after
each flow. In a table drawn with ruling lines (LibreOffice, WPS, Word), the values come
out as flows like these (seen in every PDF the project's writers and LibreOffice make):

* a flow holds the cells of one column in one *band* of rows — consecutive rows whose
  labels fit on one line are close enough to be one block; a row with a wrapped label
  stands alone. A block that begins with a column heading (*headed*: 申请人情况 /
  法人或其他组织 over three columns) may span several columns, read row by row;
* the flows sweep down the page: each goes on in the band of the flow before, or to the
  next band down, or — after some text (a heading, labels) — back up to the top band not
  yet full; a cell never comes before the cell above it or to its left, so the cells
  read so far form a staircase, except that headed blocks may come first; a page is read
  whole before the next.

Every way of laying the flows out so is a candidate, and a candidate is kept only if
every identity of the table holds (表三: 总计 is the sum of the applicant columns in every
row; in every column 本年新收 + 上年结转 = 办理结果总计 + 结转下年度, and the outcomes add
up to 总计). A cell is placed only where every candidate kept agrees on it; anything else
is not placed (the caller says so in an import finding). A blank cell prints nothing and
breaks the shapes: such a table has no candidate, and is not placed. 表四 (no column
identities) is placed by its column headings or, under the official one-row header, by
order — only when each part's 总计 adds up (:func:`place_t4`).
"""

from __future__ import annotations

from ..values import parse_value
from .anchors import norm, section_heading, value_state
from .order import GLUED
from .tokens import Token

#: How many search steps a table may take before it is given up as not placeable.
BUDGET = 60_000
#: How many headed flows may be printed before the cells to their left, at once.
MAX_HELD = 4


def flows(tokens: list[Token], start: int, end: int) -> list[tuple[list[str], bool, bool, int]]:
    """The runs of values in ``tokens[start:end]`` as poppler printed them: a blank line
    (``Token.gap``) or any other token (a label, a header cell) ends a flow. Each comes
    with three marks: *headed*, its values follow header text in the same flow (no blank
    line before them: poppler made one block of a column heading and the cells under it);
    *after text*, some text (a heading, labels, a page's furniture) stands between it and
    the flow before; and the page it is on (counted from the region's first page)."""
    out: list[tuple[list[str], bool, bool, int]] = []
    cur: list[str] = []
    headed = after = False
    prev_text = False  # the previous token was text
    text_since = True  # text since the last value
    page = first = 0
    for t in tokens[start:end]:
        page += t.gap == 2
        words = t.text.split() if t.text and not t.empty and not t.brk else []
        is_value = bool(words) and all(value_state(w) and not GLUED.match(w) for w in words)
        if cur and (t.gap or not is_value):
            out.append((cur, headed, after, first))
            cur = []
        if is_value:
            if not cur:
                headed, after, first = prev_text and not t.gap, text_since, page
            cur.extend(words)
            text_since = False
        elif words:
            text_since = True
        prev_text = bool(words) and not is_value
    if cur:
        out.append((cur, headed, after, first))
    return out


def _number(raw: str) -> int | None:
    v = parse_value(raw, "count")
    return int(v.value) if v.is_number and v.value == int(v.value) else None


def t3_identities(table):
    """The column identities of 表三 as coefficient vectors over its rows, each of which
    must sum to 0 down every column: 本年新收 + 上年结转 − 总计 − 结转下年度, and the
    outcomes − 总计. (Every row: 总计 is the sum of the applicant columns.)"""
    rows = [r.key for r in table.rows]
    a = [0] * len(rows)
    for k, s in (("new", 1), ("carried", 1), ("total", -1), ("forward", -1)):
        a[rows.index(k)] += s
    b = [0] * len(rows)
    for k in table.groups.get("outcomes", ()):
        b[rows.index(k)] += 1
    b[rows.index("total")] -= 1
    return [a, b]


def solve(runs: list[tuple[list[str], bool, bool, int]], n_rows: int, n_cols: int, identities: list[list[int]],
          budget: int = BUDGET, last_row: list[str] | None = None) -> list[list[str | None]] | None:
    """The table's rows from ``runs`` (flows and their marks, see :func:`flows`).

    The layouts tried follow poppler's order as observed: each flow fills one band of rows
    and one or more neighbouring columns, read row by row (or column by column); the
    cells read so far always form a staircase; the flows sweep down the page, each going
    on in the band of the one before, or to the next band down that is not yet full, or
    back up to the top band not yet full; headed flows may come before the cells to their
    left (poppler put the column heading's block first: up to ``MAX_HELD`` at once) and
    are placed later, on in the band of the flow before; a headed block may also hold,
    after its rectangle, its first column's cells of the band below. A layout is a
    candidate when every row's last cell is the sum of the others and every column
    satisfies each of ``identities`` (coefficients by row, summing to 0).

    A cell holds a value where every candidate agrees, ``None`` where they differ; the
    result is ``None`` when there is no candidate or the search took more than ``budget``
    states. The search remembers a state by what the rest depends on — the flows left,
    the shape read so far, the rows not yet complete, each identity's running sum per
    column — and records the values every step on the way to a complete candidate puts
    in its cells: a cell is certain when all such steps put the same value there.

    ``last_row``: the last row's values in an order that says nothing (the row alone on a
    page under a repeated header, its cells printed out of order): ``runs`` then hold the
    other rows, the last row is the one the identities leave (结转下年度 = 本年新收 +
    上年结转 − 总计, column by column), and it counts only if its 总计 adds up and its
    values are exactly the printed ones."""
    placed_rows = n_rows - (last_row is not None)
    if not runs or sum(len(r[0]) for r in runs) != placed_rows * n_cols:
        return None
    if last_row is not None and (len(last_row) != n_cols or not any(c[-1] for c in identities)):
        return None
    vals_of = [r[0] for r in runs]
    nums = [[_number(v) for v in run] for run in vals_of]
    raw: list[list[str | None]] = [[None] * n_cols for _ in range(n_rows)]
    grid: list[list[int | None]] = [[None] * n_cols for _ in range(n_rows)]
    bands: list[tuple[int, int]] = []  # (first row, height)
    lens: list[int] = []  # columns filled in each band
    sums = [[0] * n_cols for _ in identities]  # running sum of each identity down each column; None: not a number
    memo: dict[tuple, bool] = {}
    seen: dict[tuple[int, int], set[str]] = {}
    # whether a flow after text (a chance to go back up) is still to come on the page of flow k - 1
    can_return = [any(runs[j][2] and runs[j][3] == runs[k - 1][3] for j in range(k, len(runs))) if k else True
                  for k in range(len(runs) + 1)]

    class _Stop(Exception):
        pass

    def rows_filled() -> int:
        return sum(h for _, h in bands)

    def place(f: int, b: int, c: int, h: int, w: int, by_rows: bool, nxt_k: int, pending: tuple[int, ...],
              spill: int = 0) -> bool:
        """Flow ``f`` as ``h`` × ``w`` cells of band ``b`` from column ``c``, then (``spill``)
        the cells of column ``c`` in the band below."""
        r0 = bands[b][0]
        vals, nv = vals_of[f], nums[f]
        cells = [(r0 + i // w, c + i % w) if by_rows else (r0 + i % h, c + i // h) for i in range(h * w)]
        cells += [(bands[b + 1][0] + i, c) for i in range(spill)] if spill else []
        saved = [row[:] for row in sums]
        for (r, cc), v, n in zip(cells, vals, nv):
            raw[r][cc], grid[r][cc] = v, n
            for s, coef in zip(sums, identities):
                if coef[r] and s[cc] is not None:
                    s[cc] = None if n is None else s[cc] + coef[r] * n
        lens[b] += w
        if spill:
            lens[b + 1] += 1
        ok = all(lens[x] < n_cols or all(None not in grid[r] and sum(grid[r][:-1]) == grid[r][-1]
                                         for r in range(bands[x][0], bands[x][0] + bands[x][1]))
                 for x in ((b, b + 1) if spill else (b,)))
        if ok and rows_filled() == n_rows:  # never with last_row: its identities are checked at the end
            ok = all(s[cc] == 0 for cc in range(c, c + w) if all(n > cc for n in lens) for s in sums)
        found = ok and search(nxt_k, b, pending)
        if found:
            for (r, cc), v in zip(cells, vals):
                seen.setdefault((r, cc), set()).add(v)
        lens[b] -= w
        if spill:
            lens[b + 1] -= 1
        for r, cc in cells:
            raw[r][cc] = grid[r][cc] = None
        sums[:] = saved
        return found

    def targets(cur: int, after_text: bool) -> list[int]:
        """Bands the next flow may go to (``len(bands)``: a new band at the bottom): on in
        the current band, the next band down not yet full, or — only after some text (a
        heading, labels) — back to the top band not yet full."""
        out = []
        if 0 <= cur < len(bands) and lens[cur] < n_cols:
            out.append(cur)
        below = next((b for b in range(cur + 1, len(bands)) if lens[b] < n_cols), len(bands))
        top = next((b for b in range(len(bands)) if lens[b] < n_cols), len(bands))
        for b in (below, top) if after_text else (below,):
            if b not in out:
                out.append(b)
        return out

    def put(f: int, cur: int, nxt_k: int, pending: tuple[int, ...], where: list[int] | None = None) -> bool:
        """Flow ``f`` placed in each band it may go to; ``nxt_k`` and ``pending`` for after."""
        found = False
        size = len(vals_of[f])
        for b in targets(cur, runs[f][2]) if where is None else where:
            if b < len(bands):
                h, c = bands[b][1], lens[b]
                if runs[f][1] and b + 1 < len(bands) and lens[b + 1] == c:
                    # a heading's block that took in its first column's cells of the band below
                    e = bands[b + 1][1]
                    w = (size - e) // h
                    if size > e and (size - e) % h == 0 and c + w <= n_cols and (b == 0 or lens[b - 1] >= c + w):
                        found = place(f, b, c, h, w, True, nxt_k, pending, spill=e) or found
                if size % h or (size != h and not runs[f][1]):
                    continue
                w = size // h
                if c + w > n_cols or (b > 0 and lens[b - 1] < c + w):
                    continue
                for by_rows in ((True, False) if h > 1 and w > 1 else (True,)):
                    found = place(f, b, c, h, w, by_rows, nxt_k, pending) or found
                continue
            top = rows_filled()
            for h in range(1, min(size, placed_rows - top) + 1):
                if h != size and not runs[f][1]:
                    continue  # only a flow under a heading spans columns
                w = size // h
                if size % h or w > n_cols or (bands and lens[-1] < w):
                    continue
                bands.append((top, h))
                lens.append(0)
                for by_rows in ((True, False) if h > 1 and w > 1 else (True,)):
                    found = place(f, len(bands) - 1, 0, h, w, by_rows, nxt_k, pending) or found
                bands.pop()
                lens.pop()
        return found

    def derive_last() -> bool:
        """The last row the identities leave, if it is the printed one (see ``last_row``)."""
        row: list[int] | None = None
        for coef, sm in zip(identities, sums):
            if None in sm:
                return False
            if not coef[-1]:
                if any(sm):
                    return False
                continue
            if any(v % coef[-1] for v in sm):
                return False
            this = [-v // coef[-1] for v in sm]
            if row is not None and this != row:
                return False
            row = this
        printed = [_number(v) for v in last_row]
        if row is None or min(row) < 0 or sum(row[:-1]) != row[-1] or None in printed \
                or sorted(printed) != sorted(row):
            return False
        for c, v in enumerate(row):
            seen.setdefault((n_rows - 1, c), set()).add(last_row[printed.index(v)])
        return True

    def search(k: int, cur: int, pending: tuple[int, ...]) -> bool:
        if k == len(runs) and not pending:
            if rows_filled() != placed_rows or any(n < n_cols for n in lens):
                return False
            return last_row is None or derive_last()
        if not can_return[k] and any(n < n_cols for n in lens[:max(cur, 0)]):
            return False  # a band left behind that nothing can go back to
        open_rows = tuple(tuple(raw[r]) for (r0, h), n in zip(bands, lens) if n < n_cols for r in range(r0, r0 + h))
        key = (k, cur, pending, tuple(bands), tuple(lens), open_rows, tuple(tuple(s) for s in sums))
        if key in memo:
            return memo[key]
        if len(memo) > budget:
            raise _Stop
        memo[key] = False
        found = False
        for p in pending:  # a held flow, on in the current band
            if 0 <= cur < len(bands):
                found = put(p, cur, k, tuple(q for q in pending if q != p), [cur]) or found
        # a page is read whole before the next: its bands are full when the next page begins
        turn = 0 < k < len(runs) and runs[k][3] != runs[k - 1][3]
        if k < len(runs) and not (turn and (pending or any(n < n_cols for n in lens))):
            found = put(k, cur, k + 1, pending) or found
            if runs[k][1] and len(pending) < MAX_HELD:  # a headed flow printed before the cells to its left
                found = search(k + 1, cur, pending + (k,)) or found
        memo[key] = found
        return found

    try:
        if not search(0, -1, ()):
            return None
    except _Stop:
        return None
    return [[next(iter(seen[r, c])) if len(seen.get((r, c), ())) == 1 else None for c in range(n_cols)]
            for r in range(n_rows)]


def columns_ok(rows: list[list[str]], identities: list[list[int]]) -> bool:
    """Whether every column of ``rows`` satisfies each identity (all cells numbers)."""
    nums = [[_number(v) for v in row] for row in rows]
    if any(n is None for row in nums for n in row):
        return False
    return all(sum(a * nums[r][c] for r, a in enumerate(coef)) == 0
               for coef in identities for c in range(len(nums[0]) if nums else 0))


def place_t3(tokens: list[Token], start: int, end: int, table) -> list[list[str | None]] | None:
    """表三's rows from plain ``pdftotext`` strips in ``tokens[start:end]`` (see :func:`solve`);
    when the last row stands alone on the last page, also with its cells in any order."""
    runs = flows(tokens, start, end)
    n_rows, n_cols, ids = len(table.rows), len(table.columns), t3_identities(table)
    last: list[str] | None = None
    first = len(runs)
    if runs and runs[-1][3] > runs[0][3]:
        first = next(i for i, r in enumerate(runs) if r[3] == runs[-1][3])
        last = [v for r in runs[first:] for v in r[0]]
        if len(last) != n_cols:
            last = None
    # the plainest order first: every value row by row (the rows' labels in between)
    flat = [v for r in runs for v in r[0]]
    if len(flat) == n_rows * n_cols:
        rows = [flat[i:i + n_cols] for i in range(0, len(flat), n_cols)]
        if all(_adds_up(r) for r in rows) and columns_ok(rows, ids):
            return rows
    if last is not None:
        flat = [v for r in runs[:first] for v in r[0]]
        if len(flat) == (n_rows - 1) * n_cols:
            rows = [flat[i:i + n_cols] for i in range(0, len(flat), n_cols)]
            if all(_adds_up(r) for r in rows):
                row = _derive_last(rows, ids, last)
                if row is not None:
                    return rows + [row]
    got = solve(runs, n_rows, n_cols, ids)
    if got is None and last is not None:
        got = solve(runs[:first], n_rows, n_cols, ids, last_row=last)
    return got


def _adds_up(row: list[str]) -> bool:
    nums = [_number(v) for v in row]
    return None not in nums and sum(nums[:-1]) == nums[-1]


def _derive_last(rows: list[list[str]], identities: list[list[int]], printed: list[str]) -> list[str] | None:
    """The last row that the identities leave after ``rows`` (all the others), as printed
    (``printed``: the same values in any order), or ``None`` if it is not the printed one."""
    nums = [[_number(v) for v in row] for row in rows]
    if any(None in row for row in nums):
        return None
    row: list[int] | None = None
    for coef in identities:
        sums = [sum(coef[r] * nums[r][c] for r in range(len(nums))) for c in range(len(printed))]
        if not coef[-1]:
            if any(sums):
                return None
            continue
        if any(v % coef[-1] for v in sums):
            return None
        this = [-v // coef[-1] for v in sums]
        if row is not None and this != row:
            return None
        row = this
    got = [_number(v) for v in printed]
    if row is None or min(row) < 0 or sum(row[:-1]) != row[-1] or None in got or sorted(got) != sorted(row):
        return None
    return [printed[got.index(v)] for v in row]


def place_t4(tokens: list[Token], start: int, end: int, table) -> tuple[list[list[str]], str] | None:
    """表四's three parts from text whose cells came out of line with its header.

    * *by heading*: every value follows the column heading it stands under, before any
      later heading (``结果维持`` / ``3``; ``结果纠正 其他结果 尚未审结`` / ``4 0 0``), as plain
      ``pdftotext`` prints a 表四 drawn as three stacked 5-column parts. Each heading is
      printed once per part, top part first (a cell is never read before the cell above
      it), so the k-th value under a heading is part k's. A part whose five headings end
      one page and whose cells begin the next has its cells read left to right.
    * *by order*: 表四 as one row of 15 cells under the official header (``行政诉讼`` on its
      own above 未经复议直接起诉 and 复议后起诉), exactly 15 values, read left to right.

    A heading with its values that poppler printed after the next section's heading (the
    part's last cells at the foot of a page) still counts. Either way is used only when
    each part's 总计 is the sum of its four results. Returns the rows and which way
    (``"heading"`` or ``"order"``), or ``None``."""
    width = len(table.columns)
    heads = {norm(c.label): n for n, c in enumerate(table.columns)}
    under: list[list[str]] = [[] for _ in heads]
    names: list[int] = []  # headings waiting for their values, in order
    values: list[str] = []  # every value, in order
    by_heading = True
    serving = False  # values are being given to the headings read last
    one_row = False  # the official header: 行政诉讼 over 未经复议直接起诉 and 复议后起诉
    turned = False  # a page began after the first heading waiting for its value
    for n, t in enumerate(tokens[start:_tail(tokens, end, heads)], start):
        turned = turned or (t.gap == 2 and bool(names))
        if not t.text or t.empty or t.brk or (n >= end and section_heading(t.text)):
            continue
        one_row = one_row or norm(t.text) == "行政诉讼"
        words = t.text.split()
        if all(value_state(w) and not GLUED.match(w) for w in words):
            values.extend(words)
            if turned and not serving and sorted(names) == list(range(width)):
                names.sort()  # a part's headings on one page, its cells on the next: read left to right
            turned = False
            for w in words:
                if not names:
                    by_heading = False
                    break
                under[names.pop(0)].append(w)
                serving = True
            continue
        found = [heads[norm(w)] for w in words if norm(w) in heads]
        if found and len(found) == len(words):
            if names and serving:  # new headings before the last ones got all their values: whose is whose?
                by_heading = False
            names.extend(found)
            serving = False
    rows_h = None
    if by_heading and not names and all(len(u) == len(table.rows) for u in under):
        rows_h = [[under[c][r] for c in range(width)] for r in range(len(table.rows))]
    rows_o = [values[r * width:(r + 1) * width] for r in range(len(table.rows))] \
        if len(values) == width * len(table.rows) else None

    def adds_up(rows):
        nums = [[_number(v) for v in row] for row in rows]
        return all(None not in row and sum(row[:-1]) == row[-1] for row in nums)

    if rows_h is not None and adds_up(rows_h):
        return rows_h, "heading"
    if rows_h is None and one_row and rows_o is not None and adds_up(rows_o):
        return rows_o, "order"
    return None


def _tail(tokens: list[Token], end: int, heads: dict[str, int]) -> int:
    """The end of 表四's cells: ``end`` (the next section's heading), or past the column
    headings and values that directly follow that heading."""
    j = end
    if j < len(tokens) and tokens[j].text and section_heading(tokens[j].text):
        j += 1
    last = end
    while j < len(tokens):
        t = tokens[j]
        words = t.text.split() if t.text and not t.empty and not t.brk else []
        if not words:
            j += 1
            continue
        if all(norm(w) in heads for w in words) or all(value_state(w) and not GLUED.match(w) for w in words):
            j += 1
            last = j
            continue
        break
    return last

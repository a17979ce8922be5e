"""From a token stream to a :class:`~addin.model.Report`: the one anchoring core.

1. The six section headings split the stream, wherever they stand (see
   :mod:`.sections`); 一、五、六 become the prose sections, and I009 says which were found.
2. The format is told from the labels only one format has (2021: 本年制发件数,
   （六）1.…; 2019: 本年新制作数量, 政府集中采购 …); the year decides only when the
   labels do not.
3. Every row label of 表二 and 表三 is anchored by its text, and the cells after it are
   read positionally as that row's values; 表四, which has no row labels, is read
   after its header. Values are kept exactly as published (``raw``); the model
   normalises them.
4. What could not be read is said, never filled in: a table not found, a table cut
   off (which rows were found), a row the format does not have, a row with fewer
   values than columns. Those are the I rules of ``rules/rulesets/import.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..errors import InputError
from ..findings import Finding
from ..formats import FORMATS, format_for_year, load_format
from ..model import Report
from ..values import TEXT_NUMBER_NOTE
from ..ruleset import builtin_rules
from .anchors import Label, format_votes, fuzzy_row, label_index, norm, section_heading, value_state
from .identity import identity
from .order import GLUED, place_across_runs, place_by_columns, place_by_order, place_in_blocks, value_runs
from .sections import found_line, locate, untitled_overview
from .tokens import Token, merge_split_labels

#: Longest cell text still taken as an (unreadable) value rather than as prose.
SHORT_VALUE = 8
#: Longest text taken as an unrecognised row label.
SHORT_LABEL = 30


@dataclass
class TableRead:
    """What was found of one table."""

    key: str
    rows: dict[str, list[str]] = field(default_factory=dict)  # row key → raw values in column order
    short: list[str] = field(default_factory=list)
    long: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)
    by_order: list[str] = field(default_factory=list)  # rows placed by their order, not their labels
    unplaced: list[str] = field(default_factory=list)  # short rows whose values could not be placed
    not_counts: list[tuple[str, str]] = field(default_factory=list)  # (row, value) that cannot be one count


def _columns(fmt, table: str, row: str) -> list[str]:
    t = fmt.table(table)
    if t.layout == "blocks":
        return next(list(b.columns) for b in t.blocks if row in b.rows)
    return [c.key for c in t.columns]


class _Reader:
    def __init__(self, tokens: list[Token], fmt_key: str) -> None:
        self.tokens = tokens
        self.fmt = load_format(fmt_key)
        self.index = label_index(fmt_key)
        self.tables = {t.key: TableRead(t.key) for t in self.fmt.tables}
        self.t4_headers = {norm(spec["text"]) for row in self.fmt.table("t4").header for spec in row}
        self.t4_words = "|".join(self.t4_headers)  # a header cell broken over lines: 结果 / 维持
        self.orphans: list[tuple[int, list[str]]] = []  # (token index, values) with no row label before them
        t3 = self.fmt.table("t3")
        self.t3_cols = {norm(c.label): c.key for c in t3.columns}
        self.t3_groups = {norm(spec["text"]) for row in t3.header for spec in row} - set(self.t3_cols)
        self.t3_layout: list[str | None] | None = None  # the published column order, if it differs

    def is_label(self, text: str) -> bool:
        return self.index.match(text) is not None or section_heading(text) is not None

    def values(self, i: int, end: int, n: int) -> tuple[list[str], int]:
        """Up to ``n`` values starting at token ``i``; stops at a label, prose or a row break."""
        vals: list[str] = []
        j = i
        while j < end and len(vals) < n:
            t = self.tokens[j]
            if t.brk:
                break
            if t.empty:
                vals.append("")
            elif _SPACED.match(t.text) and all(value_state(w) for w in t.text.split()):
                vals.extend(t.text.split())  # cells whose separators were lost: ``| 0 0 12 |``
            elif value_state(t.text) and not GLUED.match(t.text):
                vals.append(t.text)
            elif self.is_label(t.text):
                break
            elif len(norm(t.text)) <= SHORT_VALUE and "。" not in t.text and _digit_share(t.text) >= 0.5:
                vals.append(t.text)  # unreadable, kept as typed: V001 reports it (a token without a digit never is)
            else:
                break
            j += 1
        return vals, j

    def read(self, start: int, end: int) -> None:
        i = start
        toks = self.tokens
        while i < end:
            t = toks[i]
            if t.brk or t.empty:
                i += 1
                continue
            label = self.index.match(t.text)
            if label is not None and label.kind == "row":
                i = self.row(label, i + 1, end)
                continue
            if label is not None and label.kind == "header" and label.table == "t3" and self.t3_layout is None \
                    and norm(t.text) in (norm(self.fmt.table("t3").note), norm("申请人情况")):
                self.t3_header(i + 1, end)
            if "review" not in self.tables["t4"].rows and self.opens_t4(t.text):
                i = self.t4(i + 1, end)
                continue
            if label is None and value_state(t.text):
                vals, j = self.values(i, end, 7)
                self.orphans.append((i, vals))
                i = max(j, i + 1)
                continue
            if label is None or label.kind == "group":
                nxt = toks[i + 1] if i + 1 < end else None
                numbers_follow = (nxt is not None and not nxt.brk and not nxt.empty
                                  and value_state(nxt.text) == "number")
                if numbers_follow and label is None and len(norm(t.text)) <= 80:
                    near = fuzzy_row(self.fmt.key, t.text)
                    if near is not None and near.row not in self.tables[near.table].rows:
                        i = self.row(near, i + 1, end)
                        continue
                if numbers_follow and len(norm(t.text)) <= SHORT_LABEL and not section_heading(t.text) \
                        and not _PROSE_COUNT.search(t.text):
                    other = self._other_format_row(t.text)
                    vals, j = self.values(i + 1, end, 7)
                    table = other.table if other is not None else (label.table if label is not None else "t2")
                    self.tables[table].unknown.append(t.text.strip())
                    i = j
                    continue
            i += 1

    def _other_format_row(self, text: str) -> Label | None:
        for f in FORMATS:
            if f != self.fmt.key:
                lab = label_index(f).match(text)
                if lab is not None and lab.kind == "row":
                    return lab
        return None

    def t3_header(self, i: int, end: int) -> None:
        """Anchor 表三's columns on its header: the published leaf columns, left to right,
        are 自然人, the 法人或其他组织 group's columns, 总计. A column the format does
        not have (e.g. a 小计 added to the group) is remembered, so its values are skipped
        instead of shifting every column after it."""
        seen: list[str | None] = []
        extra: list[str] = []
        for j in range(i, min(end, i + 40)):
            t = self.tokens[j]
            if t.brk or t.empty:
                continue
            n = norm(t.text)
            lab = self.index.match(t.text)
            if (lab is not None and lab.kind == "row") or value_state(t.text):
                break
            if n in self.t3_groups or n == norm(self.fmt.table("t3").note):
                continue
            if n in self.t3_cols:
                seen.append(self.t3_cols[n])
            elif lab is None and len(n) <= 6:
                seen.append(None)
                extra.append(t.text.strip())
            else:
                return
        known = [c for c in seen if c]
        if extra and sorted(known) == sorted(self.t3_cols.values()) and seen[0] == "natural" and "total" in seen:
            leaves = [c for c in seen if c not in ("natural", "total")]
            self.t3_layout = ["natural", *leaves, "total"]
            self.tables["t3"].extra_columns.extend(extra)

    def row(self, label: Label, i: int, end: int) -> int:
        cols = _columns(self.fmt, label.table, label.row)
        read = self.tables[label.table]
        if label.table == "t3" and self.t3_layout:
            vals, j = self.values(i, end, len(self.t3_layout))
            mapped = {c: v for c, v in zip(self.t3_layout, vals) if c}
            vals = []
            for c in cols:  # back to the format's order; a cut row stops at its first gap
                if c not in mapped:
                    break
                vals.append(mapped[c])
        else:
            if not self._value_at(i, end):  # a page break between the label and its values: skip the repeated header
                k = self._skip_header(i, end, label.table)
                if k > i and self._value_at(k, end):
                    i = k
            vals, j = self.values(i, end, len(cols))
        if label.row in read.rows and any(v for v in read.rows[label.row]):
            return j  # a second copy of a row: the first one with values counts
        if label.row in read.rows:  # the first copy had no values (OCR repeats a label): this one counts
            read.short = [k for k in read.short if k != label.row]
            read.unplaced = [k for k in read.unplaced if k != label.row]
        glued = [v for v in vals if v and GLUED.match(v)]
        if glued:  # several cells glued into one string (0012)
            read.rows[label.row] = []
            read.not_counts.append((label.row, glued[0]))
            return j
        if len(vals) < len(cols) and vals and not self._at_end(j, end):
            placed = self.place_short(label.table, label.row, cols, vals)
            if sum(v is not None for v in placed) < len(vals):
                read.unplaced.append(label.row)
            vals = placed
        bad = [v for c, v in zip(cols, vals)
               if v and not _fits(self.fmt.cells[f"{label.table}.{label.row}.{c}"].kind, v)]
        if bad:  # an amount in 元 in a count column, a sign on a count
            read.rows[label.row] = []
            read.not_counts.append((label.row, bad[0]))
            return j
        if label.table == "t3" and len(vals) == len(cols) and self._value_at(j, end):
            vals, j = self._drop_stray(vals, j)
        read.rows[label.row] = vals
        if len(vals) < len(cols) or None in vals:
            read.short.append(label.row)
        elif self._value_at(j, end) and value_state(self.tokens[j].text) == "number":
            read.long.append(label.row)  # more numbers than columns: an added column, or text out of order
            read.rows[label.row] = []  # which of them are this row's cannot be told: none is imported
            _, j = self.values(j, end, 16)
        return j

    def _value_at(self, j: int, end: int) -> bool:
        return j < end and not self.tokens[j].brk and (self.tokens[j].empty or bool(value_state(self.tokens[j].text)))

    def _skip_header(self, i: int, end: int, table: str) -> int:
        """Past the header cells a page break repeats (申请人情况, 自然人 …, or OCR's 类别 | 数据1 …)."""
        j = i
        while j < min(end, i + 30):
            t = self.tokens[j]
            if t.brk or t.empty:
                j += 1
                continue
            lab = self.index.match(t.text)
            if (lab is not None and lab.kind == "header" and lab.table in (table, "")) \
                    or _GENERIC_HEADER.match(norm(t.text)):
                j += 1
                continue
            break
        return j

    def _drop_stray(self, vals: list[str], j: int) -> tuple[list[str], int]:
        """A 表三 row read with one more number right after it: if exactly one of the eight
        is a stray (a bare page number) — dropping it, and only it, makes 总计 the sum of the
        other columns — the row is those seven."""
        window = vals + [self.tokens[j].text]
        if _adds_up(vals) and (j + 1 < len(self.tokens) and self._value_at(j + 1, len(self.tokens))):
            return vals, j  # more numbers follow: an added column, not a stray
        fits = {tuple(window[:k] + window[k + 1:]) for k in range(len(window))}
        fits = {f for f in fits if _adds_up(list(f))}
        if len(fits) == 1:
            return list(fits.pop()), j + 1
        return vals, j

    def _at_end(self, j: int, end: int) -> bool:
        """Whether nothing follows ``j`` in the whole text (``end``, the table region's end,
        is not enough: a table that stops before 五、 was not cut off): the text was cut there."""
        return all(not t.text or t.empty for t in self.tokens[j:])

    def place_short(self, table: str, row: str, cols: list[str], vals: list[str]) -> list[str | None]:
        """A row with fewer values than columns, not at the end of the text: copied text lost
        an empty cell somewhere in it, so position cannot say which value is which column.
        A value is placed only where its form decides: a signed change (``+2``, ``减4``) goes
        to 本年增/减, an amount (``240万元``, ``0.35``) to an amount column. When exactly one
        placement fits, it is used; otherwise nothing of the row is (``None`` = not read)."""
        from itertools import combinations

        kinds = [self.fmt.cells[f"{table}.{row}.{c}"].kind for c in cols]
        fits = [combo for combo in combinations(range(len(cols)), len(vals))
                if all(_fits(kinds[c], v) for c, v in zip(combo, vals))]
        out: list[str | None] = [None] * len(cols)
        if len(fits) == 1:
            for c, v in zip(fits[0], vals):
                out[c] = v
        while out and out[-1] is None:
            out.pop()
        return out

    def t4_header(self, text: str) -> bool:
        """Whether ``text`` is 表四 header text: one header cell, a piece of one broken over
        lines (``结果`` / ``维持``), several glued together by OCR (``行政复议行政诉讼``,
        ``行政诉讼（未经复议直接起诉）``), or a generic OCR header (``类别``, ``数据3``)."""
        if value_state(text):
            return False
        words = text.split()
        if len(words) > 1:
            return all(self.t4_header(w) for w in words)
        n = re.sub(r"[()]", "", norm(text))
        if n in self.t4_headers or (len(n) <= 4 and n in self.t4_words) or _GENERIC_HEADER.match(n):
            return True
        return _segments(n, self.t4_headers)

    def opens_t4(self, text: str) -> bool:
        n = norm(text)
        return n == "行政复议" or (n.startswith("行政复议") and self.t4_header(text))

    def _skip_t4_header(self, j: int, end: int) -> tuple[int, int]:
        """The first token at or after ``j`` that is not 表四 header text, and the last header token."""
        last_header = j - 1
        limit = min(end, j + 80)
        while j < limit:
            t = self.tokens[j]
            if t.brk or t.empty:
                j += 1
                continue
            if self.t4_header(t.text):
                last_header = j
                j += 1
                continue
            break
        return j, last_header

    def t4(self, i: int, end: int) -> int:
        """表四: skip its header cells, then read its 15 values — one row, or three blocks
        of five each under its own header (行政复议 / 未经复议直接起诉 / 复议后起诉)."""
        j, last_header = self._skip_t4_header(i, end)
        if j >= end or not value_state(self.tokens[j].text):
            return j
        start = j
        brks = [k for k in range(last_header + 1, j) if self.tokens[k].brk]
        if brks:
            start = brks[-1] + 1  # a row-structured source: the value row starts after the break
        t4 = self.fmt.table("t4")
        width, want = len(t4.columns), len(t4.rows) * len(t4.columns)
        vals, j = self.values(start, end, want)
        while vals and len(vals) < want and len(vals) % width == 0:  # the next block, after its header
            k, _ = self._skip_t4_header(j, end)
            if k == j or k >= end or not value_state(self.tokens[k].text):
                break
            more, j = self.values(k, end, want - len(vals))
            vals += more
        if len(vals) < want and not self._at_end(j, end):
            # fewer than 15 values and the text goes on: its values are out of order with
            # its header (text extracted from a PDF): none can be placed
            self.tables["t4"].unplaced.extend(r.key for r in t4.rows)
            vals = []
        for n, row in enumerate(t4.rows):
            part = vals[n * width:(n + 1) * width]
            self.tables["t4"].rows[row.key] = part
            if len(part) < width:
                self.tables["t4"].short.append(row.key)
        return j

    def _t3_mark(self, i: int) -> bool:
        """Whether token ``i`` opens 表三: its heading, header or a row label."""
        t = self.tokens[i]
        if not t.text or t.empty:
            return False
        if section_heading(t.text) == "s3":
            return True
        lab = self.index.match(t.text)
        return lab is not None and lab.table == "t3" and lab.kind in ("row", "group", "header")

    def place_by_order(self, start: int, end: int) -> None:
        """表二 and 表三 placed by the order of their value runs (see :mod:`.order`) where
        that splits exactly and the labels left a row missing, short or different."""
        t3_start = next((i for i in range(start, end) if self._t3_mark(i)), end)
        review = norm("行政复议")
        t4_start = next((i for i in range(t3_start, end) if self.tokens[i].text and (
            norm(self.tokens[i].text) == review or section_heading(self.tokens[i].text) == "s4")), end)
        for key, a, b in (("t2", start, t3_start), ("t3", t3_start, t4_start)):
            rows = [r.key for r in self.fmt.table(key).rows]
            widths = [len(_columns(self.fmt, key, r)) for r in rows]
            read = self.tables[key]
            if not (read.short or read.long or read.unknown or read.not_counts) and all(
                    len(read.rows.get(r) or ()) == w for r, w in zip(rows, widths)):
                continue  # every row read whole by its label: nothing for the order to add
            runs = value_runs(self.tokens, a, b)
            placed = place_by_order(runs, widths)
            if key == "t2" and placed is None:  # a block printed column by column (本年制发件数 3 8 / …)
                placed = place_in_blocks(runs, widths, lambda row: True)
            if key == "t3" and (placed is None or not all(_adds_up(v) for v in placed)):
                # a row continued past a page foot, or the text read column by column: only
                # where every row's 总计 is then the sum of its columns
                placed = next((p for p in (place_across_runs(runs, widths), place_by_columns(runs, widths),
                                           place_in_blocks(runs, widths, _adds_up))
                               if p is not None and all(_adds_up(v) for v in p)), placed)
            if placed is None or all(read.rows.get(r) == v for r, v in zip(rows, placed)):
                continue
            read.by_order = [r for r, v in zip(rows, placed) if read.rows.get(r) != v]
            read.rows = dict(zip(rows, placed))
            read.short, read.long, read.unknown, read.inferred = [], [], [], []
            read.unplaced, read.not_counts = [], []

    def infer_orphans(self) -> None:
        """Values whose row label is blank or lost (``  | 0 | 0 | 0``): if the next labelled
        row of 表二 follows a row of the same block that was not found, and the count
        fits, the values are that row's — and a finding says the label was inferred."""
        t2 = self.fmt.table("t2")
        read = self.tables["t2"]
        for i, vals in self.orphans:
            nxt = None
            for k in range(i + len(vals), min(len(self.tokens), i + len(vals) + 4)):
                tok = self.tokens[k]
                lab = self.index.match(tok.text) if tok.text else None
                if lab is not None and lab.kind == "row" and lab.table == "t2":
                    nxt = lab.row
                    break
            if nxt is None:
                continue
            block = next(b for b in t2.blocks if nxt in b.rows)
            pos = block.rows.index(nxt)
            if pos == 0:
                continue
            cand = block.rows[pos - 1]
            if cand not in read.rows and len(vals) == len(block.columns):
                read.rows[cand] = vals
                read.inferred.append(cand)


_PROSE_COUNT = re.compile(r"\d\s*[件条个项次人]")  # “366 件”: a sentence, never a row label
_GENERIC_HEADER = re.compile(r"^(?:类别|项目|内容|序号|数据\d{1,2}|列\d{1,2}|第\d{1,2}列)$")


def _segments(text: str, words: set[str]) -> bool:
    """Whether ``text`` is two or more of ``words`` glued together."""
    ok = [True] + [False] * len(text)
    for i in range(len(text)):
        if ok[i]:
            for w in words:
                if w and text.startswith(w, i):
                    ok[i + len(w)] = True
    return ok[-1] and text not in words


_SPACED = re.compile(r"^\S+(?:\s+\S+)+$")
_SIGNED = re.compile(r"^\s*(?:[+\-]|[增减])")
_AMOUNT = re.compile(r"[.元]")


def _digit_share(text: str) -> float:
    """How much of a token is digits: ``5件``, ``1O`` are unreadable values, ``数据1`` is a header."""
    n = "".join(text.split())
    return sum(c.isdigit() for c in n) / len(n) if n else 0.0


def _fits(kind: str, raw: str) -> bool:
    """Whether a published value can stand in a column of ``kind``: a count has no unit,
    no sign, no decimal point and no leading zero; a change (本年增/减) has no unit; an
    amount has no sign. A plain whole number fits every column."""
    if not raw or not value_state(raw) or value_state(raw) != "number":
        return True
    text = "".join(raw.split())
    if GLUED.match(text):
        return False
    if kind == "count":
        return not _SIGNED.match(text) and not _AMOUNT.search(text)
    if kind == "signed_count":
        return not _AMOUNT.search(text)
    return not _SIGNED.match(text)


def _adds_up(row: list[str]) -> bool:
    """Whether a 表三 row's last cell (总计) is the sum of the others."""
    from ..values import parse_value

    nums = [parse_value(v, "count") for v in row]
    if not all(c.is_number for c in nums):
        return False
    return sum(c.value for c in nums[:-1]) == nums[-1].value


def _finding(rule_id: str, message: str, cells: list[str] | None = None, where: list[str] | None = None) -> Finding:
    rule = builtin_rules().get(rule_id)
    return Finding(rule=rule.id, severity=rule.severity, name=rule.name, hint=rule.hint, message=message,
                   cells=cells or [], locations=where or [])


def _row_names(fmt, table: str, keys) -> str:
    t = fmt.table(table)
    return "、".join(t.row(k).short for k in keys)


def _problems(reader: _Reader, fmt_guessed: bool) -> list[Finding]:
    fmt = reader.fmt
    out: list[Finding] = []
    if fmt_guessed:
        out.append(_finding("I005", f"无法从表格标签判断报告格式，已按年度采用{fmt.name}"))
    for table in fmt.tables:
        read = reader.tables[table.key]
        expected = [r.key for r in table.rows]
        found = [k for k in expected if k in read.rows]
        title = f"表{table.number}“{table.title}”"
        if not found:
            out.append(_finding("I001", f"原文中没有找到{title}（可能未发布、是图片或附件），其数据未导入，也未补 0",
                                where=[table.sheet]))
            continue
        missing = [k for k in expected if k not in read.rows]
        if missing:
            out.append(_finding(
                "I002",
                f"{title}不完整：找到 {len(found)} 行（{_row_names(fmt, table.key, found)}），"
                f"缺少 {len(missing)} 行（{_row_names(fmt, table.key, missing)}）；原文可能被截断，缺少的单元格未补 0",
                cells=[f"{table.key}.{k}" for k in missing], where=[table.sheet]))
        if read.short:
            parts = []
            for k in read.short:
                n_cols = len(_columns(fmt, table.key, k)) if table.layout != "flat" else len(table.columns)
                got = read.rows.get(k, [])
                n_read = sum(v is not None for v in got)
                unplaced = "，无法确定缺的是哪一格，未按位置导入" if k in read.unplaced else ""
                parts.append(f"{table.row(k).short}（{n_read}/{n_cols}{unplaced}）")
            out.append(_finding(
                "I004", f"{title}有 {len(parts)} 行读到的数值少于列数：{'、'.join(parts)}；缺少的单元格未导入，也未补 0",
                cells=[f"{table.key}.{k}" for k in read.short], where=[table.sheet]))
        if read.long:
            names = "、".join(table.row(k).short for k in read.long)
            out.append(_finding(
                "I007", f"{title}有 {len(read.long)} 行的数值多于列数：{names}；原表可能增加了列、套用了其他格式的表头，"
                        "或原文（如从 PDF 提取的文字）的数值次序已乱，无法确定哪些数值属于该行，这些行的数值未导入，也未补 0",
                cells=[f"{table.key}.{k}" for k in read.long], where=[table.sheet]))
        for text in read.extra_columns:
            out.append(_finding("I008", f"{title}中有规定格式以外的列“{text}”，该列的数据未导入，其他列按表头对应",
                                where=[table.sheet]))
        for text in read.unknown:
            out.append(_finding("I003", f"{title}中有规定格式以外的行“{text[:SHORT_LABEL]}”，其数据未导入",
                                where=[table.sheet]))
        for k, v in read.not_counts:
            out.append(_finding(
                "I011", f"{title}“{table.row(k).short}”行的“{v}”不可能是一个件数（几格数字粘连，或把金额填进了件数列），"
                        "该行的数值未导入，也未补 0",
                cells=[f"{table.key}.{k}.{c}" for c in _columns(fmt, table.key, k)], where=[table.sheet]))
        if read.by_order:
            out.append(_finding(
                "I010", f"{title}的行标签与数值在原文中没有对齐（常见于从 PDF 复制或提取的文字），已按表格的行序"
                        f"把 {len(table.rows)} 行数值依次对应各行，其中 {len(read.by_order)} 行由此确定："
                        f"{_row_names(fmt, table.key, read.by_order)}；请与原文核对",
                cells=[f"{table.key}.{k}" for k in read.by_order], where=[table.sheet]))
        for k in read.inferred:
            out.append(_finding("I006", f"{title}有一行没有行标签，按位置推断为“{table.row(k).short}”行，请核对",
                                cells=[f"{table.key}.{k}"], where=[table.sheet]))
    return out


def _sections_found(headings: list[tuple[int, str]], untitled_s1: bool) -> Finding:
    """Which of the six section headings were found, when one is missing (I009): text under
    a heading not found is neither imported nor checked."""
    found = {k for _, k in headings}
    missing = [(k, n) for k, n in zip(("s1", "s2", "s3", "s4", "s5", "s6"), "一二三四五六") if k not in found]
    msg = f"找到第{found_line(headings)}部分的标题" if headings else "没有找到任何一部分的标题"
    if missing:
        msg += f"；没有找到第{'、'.join(n for _, n in missing)}部分的标题，这些部分的文字未导入，也未核对"
    if untitled_s1:
        msg += "；没有“一、”标题，标题后、第一个标题前的文字按第一部分（总体情况）读取"
    return _finding("I009", msg, where=["正文"])


def _sections(tokens: list[Token], headings: list[tuple[int, str]]) -> dict[str, str]:
    """The prose under each heading; under 二、三、四 only the sentences, not the table."""
    sections: dict[str, str] = {}
    for n, (i, key) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else len(tokens)
        lines = [t.text for t in tokens[i + 1:end] if t.text]
        if key in ("s2", "s3", "s4"):
            lines = [x for x in lines if len(norm(x)) >= 15 and not value_state(x) and
                     label_index("2021").match(x) is None and label_index("2019").match(x) is None]
        if lines:
            sections[key] = "\n".join(lines)
    return sections


def _format(tokens: list[Token], year: int | None) -> tuple[str, bool]:
    """The format told by the labels only one format has; else by the year (guessed)."""
    votes = format_votes(t.text for t in tokens if t.text and len(t.text) <= 80)
    best = max(votes.values())
    winners = [f for f, v in votes.items() if v == best]
    if best > 0 and len(winners) == 1:
        return winners[0], False
    return (format_for_year(year) if year else "2021"), True


def assemble(tokens: list[Token], source: str = "") -> Report:
    """The report in ``tokens`` (see :mod:`.tokens`)."""
    tokens, headings = locate(merge_split_labels(tokens))
    bounds = {k: i for i, k in headings}
    sections = _sections(tokens, headings)
    if "s1" not in sections:  # no 一、 heading: the overview follows the title
        overview = untitled_overview(tokens, headings[0][0] if headings else len(tokens))
        if overview:
            sections["s1"] = overview
    title, year, agency, contact = identity(tokens, headings[0][0] if headings else len(tokens), sections.get("s1", ""))
    fmt_key, guessed = _format(tokens, year)

    start = bounds.get("s2", bounds.get("s3", bounds.get("s4", 0)))
    end = min([i for i, k in headings if k in ("s5", "s6") and i > start] or [len(tokens)])
    reader = _Reader(tokens, fmt_key)
    reader.read(start, end)
    reader.infer_orphans()
    reader.place_by_order(start, end)

    found_any = any(r.rows for r in reader.tables.values())
    if not headings and not found_any and not title and "s1" not in sections:
        raise InputError(f"{source or '该文件'}：没有找到年度报告的章节标题（一、总体情况 …）或统计表，"
                         "不像是政府信息公开工作年度报告")

    values: dict[str, str] = {}
    for read in reader.tables.values():
        for row, vals in read.rows.items():
            cols = _columns(reader.fmt, read.key, row)
            for col, v in zip(cols, vals):
                if v is not None:
                    values[f"{read.key}.{row}.{col}"] = v
    report = Report.from_values(fmt_key, values, year=year, agency=agency, contact=contact, sections=sections,
                                source=source)
    for key, c in report.cells.items():
        if c.note == TEXT_NUMBER_NOTE:  # published text is always text: only a real oddity is worth a note
            report.cells[key] = replace(c, note=None)
    report.problems.extend(_problems(reader, guessed and found_any))
    untitled_s1 = "s1" in sections and "s1" not in bounds
    if len(bounds) < 6 or untitled_s1:
        report.problems.append(_sections_found(headings, untitled_s1))
    return report

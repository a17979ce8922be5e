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
from .sections import found_line, locate, untitled_overview
from .tokens import Token, merge_split_labels

_ORDER = {f"s{i}": i for i in range(1, 7)}
_YEAR = re.compile(r"(20\d{2})\s*年")
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
_AGENCY_BY = (
    re.compile(r"由(.{2,40}?)(?:负责)?(?:编制|制作|编写)"),
    re.compile(r"公布(?:20\d{2}年度?)?([^，,。；;《》]{2,40}?)(?:20\d{2}年度?)?政府信息公开"),
    re.compile(r"请与(.{2,40}?)(?:办公室)?联系"),
)
_CONTACT = {
    "address": re.compile(r"地址[:：]\s*([^，,；;。)）]{4,60})"),
    "postcode": re.compile(r"邮编[:：]\s*(\d{6})"),
    "phone": re.compile(r"电话[:：]\s*([0-9\-－— ]{7,20}\d)"),
}
_JUNK = re.compile(r"^\[[^\]]*\]")  # [bookmark: _GoBack] left by Word's text export
_NOT_TITLE = re.compile(r"[，,。>:：;；]|根据|现将")
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
            elif value_state(t.text):
                vals.append(t.text)
            elif self.is_label(t.text):
                break
            elif len(norm(t.text)) <= SHORT_VALUE and "。" not in t.text:
                vals.append(t.text)  # unreadable, kept as typed: V001 reports it
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
            if label is not None and norm(t.text) == "行政复议" and "review" not in self.tables["t4"].rows:
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
                if numbers_follow and len(norm(t.text)) <= SHORT_LABEL and not section_heading(t.text):
                    other = self._other_format_row(t.text)
                    vals, j = self.values(i + 1, end, 7)
                    self.tables["t2" if other is None else other.table].unknown.append(t.text.strip())
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
            vals, j = self.values(i, end, len(cols))
        if label.row in read.rows and any(v for v in read.rows[label.row]):
            return j  # a second copy of a row: the first one counts
        read.rows[label.row] = vals
        if len(vals) < len(cols):
            read.short.append(label.row)
        elif j < end and not self.tokens[j].brk and not self.tokens[j].empty \
                and value_state(self.tokens[j].text) == "number":
            read.long.append(label.row)  # more numbers than columns: an added column?
            more, j = self.values(j, end, 16)
        return j

    def t4(self, i: int, end: int) -> int:
        """表四: skip its header cells, then read its one row of 15 values."""
        last_header, j = i - 1, i
        limit = min(end, i + 80)
        while j < limit:
            t = self.tokens[j]
            if t.brk or t.empty:
                j += 1
                continue
            if norm(t.text) in self.t4_headers:
                last_header = j
                j += 1
                continue
            break
        if j >= limit or not value_state(self.tokens[j].text):
            return j
        start = j
        brks = [k for k in range(last_header + 1, j) if self.tokens[k].brk]
        if brks:
            start = brks[-1] + 1  # a row-structured source: the value row starts after the break
        t4 = self.fmt.table("t4")
        vals, j = self.values(start, end, len(t4.rows) * len(t4.columns))
        for n, row in enumerate(t4.rows):
            part = vals[n * len(t4.columns):(n + 1) * len(t4.columns)]
            if part:
                self.tables["t4"].rows[row.key] = part
                if len(part) < len(t4.columns):
                    self.tables["t4"].short.append(row.key)
        return j

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
                parts.append(f"{table.row(k).short}（{len(read.rows.get(k, []))}/{n_cols}）")
            out.append(_finding(
                "I004", f"{title}有 {len(parts)} 行读到的数值少于列数：{'、'.join(parts)}；缺少的单元格未导入，也未补 0",
                cells=[f"{table.key}.{k}" for k in read.short], where=[table.sheet]))
        if read.long:
            names = "、".join(table.row(k).short for k in read.long)
            out.append(_finding(
                "I007", f"{title}有 {len(read.long)} 行的数值多于列数：{names}；原表可能增加了列或套用了其他格式的表头，"
                        "按位置读取的数值可能错位，多出的数值未导入",
                cells=[f"{table.key}.{k}" for k in read.long], where=[table.sheet]))
        for text in read.extra_columns:
            out.append(_finding("I008", f"{title}中有规定格式以外的列“{text}”，该列的数据未导入，其他列按表头对应",
                                where=[table.sheet]))
        for text in read.unknown:
            out.append(_finding("I003", f"{title}中有规定格式以外的行“{text[:SHORT_LABEL]}”，其数据未导入",
                                where=[table.sheet]))
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


def _title(tokens: list[Token], stop: int) -> tuple[str, str]:
    """The title line (…年度报告) and the line before it, from the start of the document."""
    texts = [t.text for t in tokens[:max(stop, 1)][:60] if t.text]
    for n, text in enumerate(texts):
        text = _JUNK.sub("", text).strip()
        if "报告" in text and len(text) <= 70 and ("公开" in text or "年" in text) and not _NOT_TITLE.search(text):
            return text, _JUNK.sub("", texts[n - 1]).strip() if n else ""
    return "", ""


def _agency_from_title(title: str, before: str) -> str:
    t = " ".join(_PARENS.sub("", title).split())
    m = _YEAR.search(t)
    head = t[:m.start()].strip() if m else ""
    if m and not head:
        t = t[m.end():].lstrip("度 ")
    elif head:
        t = head
    for cut in ("政府信息公开", "信息公开", "政务公开", "年度报告", "工作报告"):
        if cut in t:
            t = t[:t.index(cut)]
            break
    t = t.strip(" :：,，、").removeprefix("关于")
    if not t and before and len(before) <= 30 and not re.search(r"[。，,:：]|\d", before):
        t = before.strip()
    if len(t) > 40 or "。" in t:
        return ""
    return t


def _year(title: str, preamble: str, s1: str) -> int | None:
    m = _YEAR.search(title)
    if m:
        return int(m.group(1))
    m = re.search(r"(?:统计期限|统计时限|期限为|期限自)[^。]{0,8}?(20\d{2})\s*年", preamble + s1)
    if m:
        return int(m.group(1))
    m = _YEAR.search(preamble) or _YEAR.search(s1[:400])
    return int(m.group(1)) if m else None


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


def _identity(tokens: list[Token], first: int, s1: str) -> tuple[int | None, str, dict[str, str]]:
    """Year, agency and contact details, from the title and the preamble before 一、."""
    preamble = "\n".join(t.text for t in tokens[:first] if t.text)
    title, before = _title(tokens, first)
    year = _year(title, preamble, s1)
    agency = _agency_from_title(title, before) if title else ""
    if not agency:
        for rx in _AGENCY_BY:
            m = rx.search(preamble) or rx.search(s1[:300])
            if m and not re.search(r"[。，,]|^我|^本", m.group(1)):
                agency = m.group(1).strip()
                break
    contact = {}
    for k, rx in _CONTACT.items():
        m = rx.search(preamble)
        if m:
            contact[k] = m.group(1).strip()
    return year, agency, contact


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
    year, agency, contact = _identity(tokens, headings[0][0] if headings else len(tokens), sections.get("s1", ""))
    fmt_key, guessed = _format(tokens, year)

    start = bounds.get("s2", bounds.get("s3", bounds.get("s4", 0)))
    end = min([i for i, k in headings if k in ("s5", "s6") and i > start] or [len(tokens)])
    reader = _Reader(tokens, fmt_key)
    reader.read(start, end)
    reader.infer_orphans()

    found_any = any(r.rows for r in reader.tables.values())
    if not headings and not found_any and "s1" not in sections:
        raise InputError(f"{source or '该文件'}：没有找到年度报告的章节标题（一、总体情况 …）或统计表，"
                         "不像是政府信息公开工作年度报告")

    values: dict[str, str] = {}
    for read in reader.tables.values():
        for row, vals in read.rows.items():
            cols = _columns(reader.fmt, read.key, row)
            for col, v in zip(cols, vals):
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

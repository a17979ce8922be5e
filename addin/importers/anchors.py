"""Label anchoring: finding the statutory tables' rows and columns by their labels.

Published reports reach us as text copied from a page, as HTML, or as Word tables.
Their cells are rarely where a template would put them: header cells are cut
(``本年新``), labels carry spaces (``规 章``) or ASCII punctuation (``(一)``), a row
label may have a legal definition glued to it (``规章:地方行政规章指…``), and a 2021
table may still say ``规范性文件``. What they keep is the *labels*. This module
normalises labels and matches them against the format definitions in ``rules/formats``
— every label here comes from :mod:`addin.formats`, none is written in code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from ..formats import FORMATS, Format, load_format
from ..values import NA, NUMBER, parse_value

_QUOTES = str.maketrans({**{c: "" for c in "\"'“”‘’「」『』〝〞"}, "、": ",", "，": ","})
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "﹙": "(", "﹚": ")"})
_SPACE = re.compile(r"\s+")
_ENUM = re.compile(r"^(\d+)[,.]")
_TRAILING_PAREN = re.compile(r"\([^()]*\)?$")
#: Punctuation that may follow a row label when a definition is glued to it.
_GLUE = ":(,;，。"


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Normalise a label for matching: NFKC, no whitespace, no quotes, one kind of bracket,
    one kind of comma (、，, all become ``,``).

    ``（一）予以公开`` and ``(一) 予以公开`` become the same; ``1、属于国家秘密`` becomes
    ``1.属于国家秘密``.
    """
    t = unicodedata.normalize("NFKC", text)
    t = _SPACE.sub("", t).translate(_QUOTES).translate(_BRACKETS)
    t = t.strip("|")
    return _ENUM.sub(r"\1.", t)


def strip_paren(n: str) -> str:
    """A normalised label without its trailing parenthesis: ``现行有效件数(历史累计)`` → ``现行有效件数``."""
    out = _TRAILING_PAREN.sub("", n)
    return out or n


@dataclass(frozen=True)
class Label:
    """What a normalised label means in one format.

    ``kind`` is ``row`` (a row that carries numbers: table and row key given), ``group``
    (a row heading that spans sub-rows, e.g. 三、本年度办理结果), ``header`` (a column
    heading, a 表二 caption, the 表三 note) or ``t4`` (a 表四 heading).
    """

    kind: str
    table: str = ""
    row: str = ""
    text: str = ""


@dataclass(frozen=True)
class LabelIndex:
    fmt: Format
    exact: dict[str, Label]
    rows: tuple[tuple[str, Label], ...]  # (normalised label, row) longest first, for glued definitions
    all_labels: tuple[tuple[str, Label], ...]  # every label, for cut cells (prefix match)
    exclusive: frozenset[str]  # labels found only in this format
    groups: tuple[str, ...] = ()  # spanning row headings (（三）不予公开 …), longest first

    def match(self, text: str) -> Label | None:
        """The label ``text`` stands for, or ``None``."""
        return _match(self.fmt.key, norm(text))

    def _match(self, n: str) -> Label | None:
        if not n:
            return None
        hit = self.exact.get(n) or self.exact.get(strip_paren(n))
        if hit is not None:
            return hit
        for g in self.groups:  # （三）不予公开1.属于国家秘密: a spanning heading glued to the row's label (OCR)
            if n.startswith(g) and len(n) > len(g):
                hit = self._match(n[len(g):])
                if hit is not None and hit.kind == "row":
                    return hit
        for label, row in self.rows:  # 规章:地方行政规章指… (a definition glued on)
            if n.startswith(label) and len(n) > len(label) and n[len(label)] in _GLUE:
                return row
        if len(n) >= 3:  # a cut cell: 本年新 / 现行有效件 / 3.补正后申请内容
            hits = {lab for full, lab in self.all_labels if full.startswith(n)}
            if len(hits) == 1:
                return hits.pop()
            kinds = {h.kind for h in hits}
            if hits and kinds <= {"header", "t4"}:
                return Label("header", text=n)
        return None


@lru_cache(maxsize=4096)
def fuzzy_row(fmt_key: str, text: str) -> Label | None:
    """A row whose label is worded a little differently (a word changed or dropped in a
    long 表三 label): the closest row label, if it is close enough (similarity ≥ 0.85)."""
    import difflib

    n = norm(text)
    if len(n) < 8:
        return None
    best, score = None, 0.0
    for label, row in label_index(fmt_key).rows:
        if abs(len(label) - len(n)) > max(4, len(label) // 4):
            continue
        sm = difflib.SequenceMatcher(None, n, label, autojunk=False)
        if sm.quick_ratio() < 0.85:
            continue
        r = sm.ratio()
        if r > score:
            best, score = row, r
    return best if score >= 0.85 else None


@lru_cache(maxsize=1 << 16)
def _match(fmt_key: str, n: str) -> Label | None:
    return label_index(fmt_key)._match(n)


def _add(exact: dict[str, Label], text: str, label: Label) -> None:
    n = norm(text)
    if n and n not in exact:
        exact[n] = label
    s = strip_paren(n)
    if s and s not in exact:
        exact[s] = label


@cache
def label_index(fmt_key: str) -> LabelIndex:
    """All labels of one format, normalised, with what each means."""
    fmt = load_format(fmt_key)
    exact: dict[str, Label] = {}
    rows: list[tuple[str, Label]] = []
    t2, t3, t4 = fmt.table("t2"), fmt.table("t3"), fmt.table("t4")
    for table in (t2, t3):
        for row in table.rows:
            lab = Label("row", table.key, row.key, row.label)
            texts = [row.path[-1]] if row.path else [row.label]
            texts += list(row.variants)
            for t in texts:
                _add(exact, t, lab)
                rows.append((norm(t), lab))
    for row in t3.rows:  # the spanning headings of 表三: 三、本年度办理结果, （三）不予公开 …
        for part in row.path[:-1]:
            if norm(part) not in exact:
                _add(exact, part, Label("group", "t3", text=part))
    for table in (t2, t3):
        for col in table.columns:
            _add(exact, col.label, Label("header", table.key, text=col.label))
        for block in table.blocks:
            _add(exact, block.caption, Label("header", table.key, text=block.caption))
        for header_row in table.header:
            for spec in header_row:
                _add(exact, spec["text"], Label("header", table.key, text=spec["text"]))
        if table.corner:
            _add(exact, table.corner, Label("header", table.key, text=table.corner))
        if table.note:
            _add(exact, table.note, Label("header", table.key, text=table.note))
    for header_row in t4.header:
        for spec in header_row:
            if norm(spec["text"]) not in exact:
                _add(exact, spec["text"], Label("t4", "t4", text=spec["text"]))
    rows.sort(key=lambda x: -len(x[0]))
    all_labels = tuple((k, v) for k, v in exact.items())
    groups = sorted({norm(p) for row in t3.rows for p in row.path[:-1]}, key=len, reverse=True)
    return LabelIndex(fmt, exact, tuple(rows), all_labels, frozenset(), tuple(g for g in groups if g))


@cache
def exclusive_labels() -> dict[str, frozenset[str]]:
    """Per format, the normalised labels that only that format uses (本年制发件数 → 2021)."""
    sets = {f: set(label_index(f).exact) for f in FORMATS}
    return {f: frozenset(s - set().union(*(sets[o] for o in FORMATS if o != f))) for f, s in sets.items()}


def format_votes(texts) -> dict[str, int]:
    """How many distinct format-specific labels of each format occur among ``texts``."""
    seen: dict[str, set[str]] = {f: set() for f in FORMATS}
    for text in texts:
        for f, lab in _votes(norm(text)):
            seen[f].add(lab)
    return {f: len(s) for f, s in seen.items()}


@lru_cache(maxsize=1 << 16)
def _votes(n: str) -> tuple[tuple[str, str], ...]:
    """The format-specific labels one normalised text stands for (exactly, or as a cut cell)."""
    if not n or len(n) > 80:
        return ()
    excl = exclusive_labels()
    out = []
    for f in FORMATS:
        for c in {n, strip_paren(n)}:
            if c in excl[f]:
                out.append((f, c))
            elif 3 <= len(c) <= 30:
                pre = [lab for lab in excl[f] if lab.startswith(c)]
                others = [lab for o in FORMATS if o != f for lab in label_index(o).exact if lab.startswith(c)]
                if pre and not others:
                    out.append((f, pre[0]))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def value_state(text: str) -> str | None:
    """``number`` / ``na`` if ``text`` reads as a table value (12, +2, 增15, 240万元, /), else ``None``."""
    cv = parse_value(text, "signed_count")
    if cv.state in (NUMBER, NA):
        return cv.state
    return None


# --- section headings ---------------------------------------------------------------------

_HEADING = re.compile(r"^([一二三四五六])[,.](.*)$")
_YEARISH = re.compile(r"\d{4}年度?|[。.:,]+$")


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


@cache
def _section_titles(fmt_key: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    out = {}
    for s in load_format(fmt_key).sections:
        titles = []
        for h in (s.heading, *s.variants):
            m = _HEADING.match(norm(h))
            titles.append(m.group(2) if m else norm(h))
        out[s.number] = (s.key, tuple(dict.fromkeys(titles)))
    return out


@lru_cache(maxsize=1 << 16)
def section_heading(text: str) -> str | None:
    """The section key (``s1``…``s6``) if ``text`` is one of the six headings or a variant.

    Headings are told by their number (一、…六、) and their title, which may carry a
    year (``一、2019年政府信息公开工作的总体情况``) or follow a variant in
    ``rules/formats/sections.json``. A prose line that merely starts with ``三、``
    (a numbered point inside 总体情况) is not a heading.
    """
    n = norm(text)
    if len(n) > 60:
        return None
    m = _HEADING.match(n)
    if not m:
        return None
    rest = _YEARISH.sub("", m.group(2))
    key, titles = _section_titles("2021")[m.group(1)]
    for t in titles:
        if rest == t or (_subsequence(t, rest) and len(rest) <= 2 * len(t) + 12):
            return key
    return None

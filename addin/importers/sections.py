"""Finding the six section headings of a published report, wherever they stand.

A report is six sections (一、总体情况 … 六、其他需要报告的事项), but published text
rarely keeps each heading on a line of its own:

* a heading runs into its text: ``一、总体情况2022年，本局坚持……``;
* a heading is stuck to the end of the paragraph before it (``……落实到位。二、主动公开政府信息情况``),
  or a whole page was crawled onto one line;
* titles vary (``存在的主要问题及整改措施``), a report that merged two sections numbers
  ``其他需要报告的事项`` 五, and some reports use their own numbering (``（一）总体情况``,
  ``1.总体情况``, ``第一部分 总体情况``) or none;
* some have no ``一、`` heading at all: the overview follows the title directly.

Headings are found by number **and** by title. The titles are the headings and their
variants in ``rules/formats/sections.json`` (none is written here); a title decides the
section even when the number disagrees (a merged report's ``五、其他需要报告的事项`` is
section 六). A heading found inside a line is split out of it, so the text before and
after it lands in the right section. :func:`locate` returns the tokens so split and the
headings in order; :func:`untitled_overview` gives the overview of a report with no
``一、`` heading.
"""

from __future__ import annotations

import re
from functools import cache

from ..formats import load_format
from .anchors import norm, section_heading
from .tokens import Token

ORDER = {f"s{i}": i for i in range(1, 7)}
_CN = "一二三四五六"
#: The official numbering of the six headings: 一、 一. 一，
_CN_PREFIX = rf"(?P<cn>[{_CN}])\s*[、.．,，]\s*"
#: A report's own numbering: （一） 1. 1、 第一部分
_OWN_PREFIX = rf"(?:[（(][{_CN}][)）]|[1-6]\s*[、.．](?!\d)|第[{_CN}]部分[、.．,，:：]?)\s*"
_YEAR = r"(?:20\d{2}\s*年度?\s*(?:的)?)?"
_TITLE_END = r"\s*[:：。]?"
#: Text after a title that is the section's own text run on, not the rest of a long title.
_RUN_ON = re.compile(r"[，,。；;！？!?]|\d{4}|.{12}")
#: Longest line taken as a bare title with no number (``总体情况``).
_BARE_SLACK = 4
#: Longest heading line the number alone is trusted for (``一、本年度工作开展情况``).
_NUMBERED_LINE = 30


@cache
def titles() -> dict[str, tuple[str, ...]]:
    """Section key → its titles without the number, longest first (from sections.json)."""
    out: dict[str, tuple[str, ...]] = {}
    for s in load_format("2021").sections:
        ts = []
        for h in (s.heading, *s.variants):
            t = re.sub(rf"^[{_CN}]、", "", h)
            ts.append(t)
        out[s.key] = tuple(sorted(dict.fromkeys(ts), key=len, reverse=True))
    return out


def _spaced(title: str) -> str:
    return r"\s*".join(re.escape(c) for c in title)


@cache
def _title_by_text() -> dict[str, str]:
    return {norm(t): key for key, ts in titles().items() for t in ts}


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    alts = sorted(((t, k) for k, ts in titles().items() for t in ts), key=lambda x: -len(x[0]))
    group = "|".join(f"(?P<{k}_{n}>{_spaced(t)})" for n, (t, k) in enumerate(alts))
    start_cn = re.compile(rf"^\s*{_CN_PREFIX}{_YEAR}(?:{group}){_TITLE_END}")
    start_own = re.compile(rf"^\s*{_OWN_PREFIX}{_YEAR}(?:{group}){_TITLE_END}")
    inside_cn = re.compile(rf"(?<![{_CN}])[{_CN}]\s*[、.．]\s*{_YEAR}(?:{group}){_TITLE_END}")
    return start_cn, start_own, inside_cn


def _key(m: re.Match) -> str:
    name = next(n for n, v in m.groupdict().items() if v is not None and n != "cn")
    return name.split("_")[0]


def _own_number_fits(m: re.Match) -> bool:
    """Whether a report's own number (（二）, 2., 第二部分) is the number of the section its
    title names. Points inside 总体情况 are numbered from （一） again (``（一）主动公开情况``,
    ``（二）依申请公开政府信息情况``), so a number that disagrees with the title is a point,
    never a heading; a merged report may number its last sections one lower."""
    digits = re.search(rf"[{_CN}1-6]", m.group(0))
    if digits is None:
        return False
    c = digits.group(0)
    n = int(c) if c.isdigit() else _CN.index(c) + 1
    want = ORDER[_key(m)]
    return n == want or (want >= 5 and n == want - 1)


def _bare(text: str) -> str | None:
    """The section a line is if it holds nothing but a title (``总体情况``, ``2019年总体情况：``)."""
    n = re.sub(r"^20\d{2}年度?的?|[:：。.]$", "", norm(text))
    key = _title_by_text().get(n)
    return key if key and len(n) <= max(len(t) for t in titles()[key]) + _BARE_SLACK else None


def _split(tokens: list[Token]) -> tuple[list[Token], list[tuple[int, str, str]]]:
    """Tokens with every heading found inside a line split out onto its own token, and the
    candidates: (index, key, style) with style ``cn`` (一、), ``own`` (（一）/1./第一部分),
    ``bare`` (a title alone) or ``number`` (一、 with a title we do not know)."""
    start_cn, start_own, inside_cn = _patterns()
    out: list[Token] = []
    cands: list[tuple[int, str, str]] = []
    for tok in tokens:
        text = tok.text
        if not text or tok.empty or tok.brk:
            out.append(tok)
            continue
        m, style = start_cn.match(text), "cn"
        key = section_heading(text)
        if key and (m is None or not _RUN_ON.search(text[m.end():])):
            # the whole line is a heading (一、2019年政府信息公开工作的总体情况); a title decides
            # over the number (a merged report's 五、其他需要报告的事项 is 六)
            key = (_key(m) if m else None) or _bare(re.sub(rf"^\s*[{_CN}]\s*[、.．,，]", "", text)) or key
            cands.append((len(out), key, "cn"))
            out.append(tok)
            continue
        pieces: list[tuple[str, str | None, str]] = []  # (text, key, style)
        pos = 0
        if m is None:
            m, style = start_own.match(text), "own"
            if m is not None and not _own_number_fits(m):
                m = None  # （一）主动公开情况 under 总体情况: a point, not section 二
        if m is not None:
            pieces.append((text[:m.end()].strip(), _key(m), style))
            pos = m.end()
        for mi in inside_cn.finditer(text, pos):
            before = text[pos:mi.start()].strip()
            if before:
                pieces.append((before, None, ""))
            pieces.append((text[mi.start():mi.end()].strip(), _key(mi), "cn"))
            pos = mi.end()
        if not pieces:
            bare = _bare(text)
            if bare:
                cands.append((len(out), bare, "bare"))
            elif re.match(rf"^\s*[{_CN}]\s*[、.．]", text) and len(norm(text)) <= _NUMBERED_LINE \
                    and not re.search(r"[，,。；;]", text):
                cands.append((len(out), f"s{_CN.index(text.strip()[0]) + 1}", "number"))
            out.append(tok)
            continue
        rest = text[pos:].strip()
        if rest:
            pieces.append((rest, None, ""))
        for piece, key, style in pieces:
            if key:
                cands.append((len(out), key, style))
            out.append(Token(piece))
    return out, cands


def _in_order(cands: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    headings: list[tuple[int, str]] = []
    current = 0
    for i, key, _ in cands:
        if ORDER[key] > current:
            headings.append((i, key))
            current = ORDER[key]
    return headings


def _skip_contents(cands: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Drop a table of contents: three or more headings on consecutive lines, in order, at
    least two of which come again after them."""
    drop: set[int] = set()
    last = {key: i for i, key, _ in cands}  # where each key is last found
    run: list[tuple[int, str, str]] = []
    for c in [*cands, (-10, "s1", "")]:
        if run and c[0] - run[-1][0] <= 1 and ORDER[c[1]] > ORDER[run[-1][1]]:
            run.append(c)
            continue
        again = {x[1] for x in run if last[x[1]] > run[-1][0]}
        if len(run) >= 3 and len(again) >= 2:
            drop.update(x[0] for x in run)
        run = [c]
    return [c for c in cands if c[0] not in drop]


def _fill_numbered(headings: list[tuple[int, str]], numbered: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """A heading told by its number only (``三、依申请公开工作``), where it fits between the
    headings found by title."""
    found = {k for _, k in headings}
    out = list(headings)
    for i, key, _ in numbered:
        if key in found:
            continue
        before = [k for j, k in out if j < i]
        after = [k for j, k in out if j > i]
        fits_before = not before or ORDER[before[-1]] < ORDER[key]
        fits_after = (after and ORDER[after[0]] > ORDER[key]) or (not after and ORDER[key] >= 5 and before
                                                                   and ORDER[before[-1]] >= 4)
        if fits_before and fits_after:
            out.append((i, key))
            found.add(key)
            out.sort()
    return out


def locate(tokens: list[Token]) -> tuple[list[Token], list[tuple[int, str]]]:
    """The tokens with headings split out, and (token index, section key) of the headings in order.

    Headings numbered 一、…六、 come first; a report's own numbering and bare titles
    count only when fewer than two official headings were found (in a report that has
    them, ``（一）主动公开政府信息情况`` is a point inside 总体情况). A report that numbers a
    heading ``一、`` numbers the points under it ``（一）（二）``: after an official heading,
    ``（二）主动公开情况`` is a point even when its number is section 二's (a page cut after
    总体情况 has no official heading after it to tell)."""
    tokens, cands = _split(tokens)
    cands = _skip_contents(cands)
    official = [c for c in cands if c[2] == "cn"]
    headings = _in_order(official)
    if len(headings) < 2:
        first = official[0][0] if official else None
        headings = _in_order([c for c in cands if c[2] != "number"
                              and not (c[2] == "own" and first is not None and c[0] > first)])
    headings = _fill_numbered(headings, [c for c in cands if c[2] == "number"])
    return tokens, headings


def untitled_overview(tokens: list[Token], stop: int) -> str:
    """The overview of a report with no 一、 heading: the prose lines after the title and
    before the first heading (``stop``), when they speak of the year's work."""
    lines = []
    seen_title = False
    for t in tokens[:stop]:
        text = (t.text or "").strip()
        if not text or t.empty or t.brk:
            continue
        if not seen_title and "报告" in text and len(text) <= 70 and "。" not in text:
            seen_title, lines = True, []
            continue
        if len(norm(text)) >= 15 or "。" in text:
            lines.append(text)
    body = "\n".join(lines)
    return body if "公开" in body else ""


def found_line(headings: list[tuple[int, str]]) -> str:
    """``一、二、三、四`` — the numbers of the sections found, for messages."""
    return "、".join(_CN[ORDER[k] - 1] for _, k in headings)

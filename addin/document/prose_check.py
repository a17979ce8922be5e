"""The clerk's prose checked against the tables.

Reports often quote table figures in their prose — “本年新收政府信息公开申请13件，上年
结转2件，已办结14件” — and the two drift apart when one is corrected and the other is
not. This module finds such figures and compares them with the cells, and sums a
stated total against the parts listed after it (“新增主动公开信息370条，包括：…”).

False positives cost the clerk's trust, so a number is compared only when its clause
clearly names the table figure. The patterns (all in this module, all tested):

* **keyword + short gap + number + unit**: e.g. 新收/收到/接收/受理 … 申请 … N 件 →
  表三 本年新收·总计. The gap holds no number and no punctuation, at most a few
  characters, and must not contain words that change the meaning (上年, 去年, 同比, 较,
  累计, 网上, 当面, 信函 … for a channel or another year).
* numbers: Arabic (``1,234``), full-width (``１２``), Chinese (``十二``, ``一百零五``,
  ``两``); units 件 (applications, cases, documents), 万元/元 (fees), ``%``.
* **approximate figures are not compared**: ``20余件``, ``约``, ``近``, ``多``.
* 收到/受理/办结/答复 are compared only when the clause speaks of 申请 (答复 only in a
  sentence about 申请) and not of other matters (建议, 提案, 咨询, 来信, 热线 …); the gap
  must not name another figure (“办结上年结转申请2件” is not the 办结 total).
* **another year or a comparison** in the clause (上年 except 上年结转, 去年, 同比, 较,
  比上年, 累计) — not compared.
* 行政复议 / 行政诉讼 figures are compared only in a sentence that speaks of
  信息公开, or in section 四's own text (a 司法局 also handles other reviews).
* shares (“予以公开4件，占30.8%”, “予以公开4件（占30.8%）” or “予以公开占 30%”) are compared with the share of
  that outcome in 办理结果总计 (or in 本年新收, or in 新收+结转 — any one matching
  is accepted), within one unit of the last digit written.
* **totals and parts**: a list introduced by 包括/包含/分别为/具体为/其中 with at least
  two items ``名称 N 单位`` in one unit. The total is the number ending the clause
  just before the list, or — when the list's sentence starts with a subject
  (“新增主动公开信息中包括：”) — the same subject with its number in the previous
  sentence. A list ending in 等, or introduced by 主要, may be partial: flagged only
  if the parts exceed the total; so is a 其中 list (it often lists only some).

Each check yields :class:`~addin.findings.Finding` objects with the sentence quoted;
the rules are ``rules/rulesets/prose.json`` (P001–P006).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from decimal import Decimal

from ..findings import Finding
from ..formats import load_format
from ..model import Report
from ..ruleset import Rule
from ..values import format_number
from .narrative import cell_sum, clean_text, outcome_groups
from .numerals import NUMBER as NUM
from .numerals import parse_number

#: Longest quote in a message; longer sentences are shortened around the figure.
QUOTE_CHARS = 90
#: Prose sections that are read.
PROSE_SECTIONS = ("s1", "s2", "s3", "s4", "s5", "s6")

_BLOCK = re.compile(r"上年(?!度?结转)|上一年|去年|同比|较|比上|累计|网上|网络|当面|信函|传真|邮件|邮寄|电话")
#: Other things an agency receives and answers (proposals, letters, hotline calls …).
_OTHER_MATTERS = re.compile(r"建议|提案|议案|咨询|留言|来信|信件|诉求|热线|投诉|信访|12345")
_OUTCOME_WORDS = re.compile(r"维持|纠正|其他|尚未|审结|结果|直接|复议后|机关")
_GAP = r"[^\d，,。；;！？!?：:、（）()零〇一二两三四五六七八九十百千万%]"
_APPROX_BEFORE = re.compile(r"(约|近|将近|接近|超过|逾)$")


@dataclass(frozen=True)
class Stated:
    """A figure found in the prose: where, what it says, and the number."""

    section: str
    sentence: str
    start: int  # offset of the figure inside the sentence
    value: int | Decimal
    approx: bool
    tolerance: Decimal = Decimal(0)  # half a unit of the last digit written (amounts)


_WIDE = str.maketrans("０１２３４５６７８９％．", "0123456789%.")


def _normalise(text: str) -> str:
    """Full-width digits and ％ made ASCII (Chinese punctuation kept, for quoting), no
    thousands separators, no spaces."""
    text = unicodedata.normalize("NFC", clean_text(text)).translate(_WIDE)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)  # 1,234 (a full-width ， separates clauses)
    return re.sub(r"[ \t\u3000]+", "", text)


def sentences(text: str) -> list[str]:
    """Sentences (up to 。！？ or a line end), normalised for matching."""
    return list(_sentences(text))


@lru_cache(maxsize=64)  # the six prose checks of one validation read the same sections
def _sentences(text: str) -> tuple[str, ...]:
    out = []
    for line in _normalise(text).split("\n"):
        out.extend(s for s in re.split(r"(?<=[。！？!?])", line) if s.strip())
    return tuple(out)


def _clause_around(sentence: str, start: int, end: int) -> str:
    left = max(sentence.rfind(c, 0, start) for c in "，,；;") + 1
    rights = [i for i in (sentence.find(c, end) for c in "，,；;。") if i >= 0]
    return sentence[left:min(rights) if rights else len(sentence)]


def _quote(sentence: str, start: int) -> str:
    s = sentence.strip()
    if len(s) <= QUOTE_CHARS:
        return s
    a = max(0, min(start - QUOTE_CHARS // 3, len(s) - QUOTE_CHARS))
    return ("…" if a else "") + s[a:a + QUOTE_CHARS] + ("…" if a + QUOTE_CHARS < len(s) else "")


def _sections(report: Report) -> Iterator[tuple[str, str]]:
    for key in PROSE_SECTIONS:
        text = report.sections.get(key) or ""
        if text.strip():
            yield key, text


def _heading(report: Report, key: str) -> str:
    try:
        return report.spec.section(key).heading
    except StopIteration:
        return key


# ---------------------------------------------------------------------------
# Figures that name one table value


@dataclass(frozen=True)
class Figure:
    """One table figure as prose states it: a regex with groups ``gap`` and ``num``."""

    family: str
    what: str
    keys: tuple[str, ...]
    pattern: re.Pattern
    need: str = ""  # the clause must contain this (e.g. 申请)
    context: str = ""  # the sentence must contain this, unless the section is ``context_section``
    context_section: str = ""
    unit_scale: dict | None = None  # unit → multiplier into the cell's unit
    gap_exclude: str = ""  # the gap must not contain these (another figure's words)

    def find(self, section: str, sentence: str) -> Iterator[Stated]:
        if self.context and self.context not in sentence and section != self.context_section:
            return
        for m in self.pattern.finditer(sentence):
            gap = m.groupdict().get("gap") or ""
            clause = _clause_around(sentence, m.start(), m.end())
            if self.need and self.need not in clause:
                continue
            if _BLOCK.search(clause) or (self.family == "applications" and _OTHER_MATTERS.search(clause)):
                continue
            if self.family == "reviews" and _OUTCOME_WORDS.search(gap):
                continue
            if self.gap_exclude and re.search(self.gap_exclude, gap):
                continue
            value = parse_number(m.group("num"))
            if value is None:
                continue
            tolerance = Decimal(0)
            if self.unit_scale:
                scale = self.unit_scale[m.group("unit")]
                value = Decimal(value) * scale
                tolerance = Decimal(1).scaleb(Decimal(m.group("num")).as_tuple().exponent) * scale / 2
            approx = bool(m.groupdict().get("approx")) or bool(_APPROX_BEFORE.search(sentence[:m.start("num")]))
            yield Stated(section, sentence, m.start("num"), value, approx, tolerance)


def _num(unit: str = "件") -> str:
    return rf"(?P<num>{NUM})(?P<approx>余|多)?{unit}"


def figures(report: Report) -> tuple[Figure, ...]:
    """Every figure the prose check knows for this report's format (labels from the format)."""
    return _figures(report.spec.key)


@cache
def _figures(fmt_key: str) -> tuple[Figure, ...]:
    spec = load_format(fmt_key)
    out: list[Figure] = []
    gap = lambda n: rf"(?P<gap>{_GAP}{{0,{n}}}?)"  # noqa: E731
    # 表三: received, carried over, answered, carried forward
    out += [
        Figure("applications", "本年新收申请", ("t3.new.total",),
               re.compile(rf"(?:新收|收到|接收|受理){gap(14)}{_num()}"), need="申请", gap_exclude="结转"),
        Figure("applications", "上年结转申请", ("t3.carried.total",),
               re.compile(rf"上年度?结转{gap(12)}{_num()}"), gap_exclude="下一?年|办结|答复"),
        Figure("applications", "办结（办理结果总计）", ("t3.total.total",),
               re.compile(rf"(?:办结|答复|办理完结|办理完毕){gap(10)}{_num()}"), gap_exclude="结转|新收|收到",
               context="申请"),
        Figure("applications", "结转下年度继续办理", ("t3.forward.total",),
               re.compile(rf"(?:结转|转入)(?:至|到)?下一?年度?{gap(10)}{_num()}")),
    ]
    # 表三 outcomes, named as the format's row paths name them (予以公开, 不予公开 …)
    t3 = spec.table("t3")
    for name, rows in outcome_groups(t3):
        out.append(Figure("applications", name, tuple(f"t3.{r}.total" for r in rows),
                          re.compile(rf"(?<!不){re.escape(name)}{gap(4)}{_num()}")))
    # 表四: reviews and lawsuits, only where the sentence is about 信息公开 (or in section 四)
    t4 = spec.table("t4")
    by_kind: dict[str, list[str]] = {}
    for row in t4.rows:
        by_kind.setdefault(row.label.split("·")[0], []).append(f"t4.{row.key}.total")
    for kind, keys in by_kind.items():
        out.append(Figure("reviews", kind, tuple(keys),
                          re.compile(rf"{re.escape(kind)}{gap(8)}{_num()}"),
                          context="信息公开", context_section="s4"))
    # 表二: 规章 / 规范性文件 counts
    t2 = spec.table("t2")
    verbs = {"issued": "制发|印发|出台|制定", "repealed": "废止", "in_force": "现行有效",
             "made": "新制作|制作|制定", "published": "新公开"}
    for row_key in ("rules", "normative"):
        row = t2.row(row_key)
        names = "|".join(re.escape(n) for n in sorted({row.label, *row.variants}, key=len, reverse=True))
        for col, verb in verbs.items():
            key = f"t2.{row_key}.{col}"
            if key not in spec.cells:
                continue
            label = f"{row.label}{t2.column(col).label}"
            # “制发行政规范性文件3件” or “行政规范性文件本年制发3件”; never 规章制度
            pat = (rf"(?:(?:{verb})了?的?(?:{names})(?!制度){gap(4)}"
                   rf"|(?:{names})(?!制度)(?:本年)?(?:{verb}){_GAP}{{0,4}}?){_num()}")
            out.append(Figure("documents", label, (key,), re.compile(pat)))
    # 表二: 行政事业性收费 amount (2021, 万元)
    if "t2.fees.amount" in spec.cells and spec.cells["t2.fees.amount"].kind == "wan_yuan":
        out.append(Figure("fees", f"{t2.row('fees').label}金额", ("t2.fees.amount",),
                          re.compile(rf"{re.escape(t2.row('fees').label)}(?:金额|总额|收入)?{gap(6)}"
                                     rf"(?P<num>\d+(?:\.\d+)?)(?P<unit>万元|元)"),
                          unit_scale={"万元": Decimal(1), "元": Decimal("0.0001")}))
    return tuple(out)


def _cell_names(report: Report, keys: tuple[str, ...]) -> str:
    return "+".join(report.spec.cells[k].describe() for k in keys)


def _finding(rule: Rule, report: Report, cells: list[str], message: str, **kw) -> Finding:
    locations = [report.location(k) for k in cells]
    return Finding(rule=rule.id, severity=rule.severity, message=message, cells=cells, locations=locations,
                   hint=rule.hint, name=rule.name, **kw)


def _figure_check(family: str):
    def check(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
        figs = [f for f in figures(report) if f.family == family]
        seen = set()
        for section, text in _sections(report):
            for sentence in sentences(text):
                for fig in figs:
                    for st in fig.find(section, sentence):
                        actual = cell_sum(report, fig.keys)
                        if st.approx or actual is None or (section, sentence, st.start) in seen:
                            continue
                        seen.add((section, sentence, st.start))
                        diff = abs(Decimal(st.value) - Decimal(actual))
                        if diff <= st.tolerance:
                            continue
                        table = report.spec.cells[fig.keys[0]].table.number
                        msg = rule.message.format(
                            section=_heading(report, section), quote=_quote(sentence, st.start), what=fig.what,
                            stated=format_number(st.value), actual=format_number(actual), table=table,
                            cell=_cell_names(report, fig.keys), diff=format_number(diff))
                        yield _finding(rule, report, [*fig.keys, section], msg, expected=actual, actual=st.value)

    check.__name__ = f"prose_{family}"
    check.__doc__ = f"Figures about {family} stated in the prose, compared with the table."
    return check


prose_applications = _figure_check("applications")
prose_reviews = _figure_check("reviews")
prose_documents = _figure_check("documents")
prose_fees = _figure_check("fees")


# ---------------------------------------------------------------------------
# Shares: “予以公开占 30%”

@cache
def _share_patterns(fmt_key: str) -> tuple[tuple[str, tuple[str, ...], re.Pattern], ...]:
    """(outcome name, its rows, pattern) for “予以公开4件，占30.8%” / “予以公开占 30%”."""
    return tuple(
        (name, tuple(rows), re.compile(rf"(?<!不){re.escape(name)}(?:{_GAP}{{0,4}}?{NUM}件)?[，,（(]?的?"
                                       rf"(?:占比?|比例)(?:为|达)?[^\d，。；%]{{0,8}}?(?P<num>\d+(?:\.\d+)?)%"))
        for name, rows in outcome_groups(load_format(fmt_key).table("t3"))
    )


def prose_shares(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """Percentages of an outcome, compared with its share of the applications handled."""
    bases = [("t3.total.total",), ("t3.new.total",), ("t3.new.total", "t3.carried.total")]
    for section, text in _sections(report):
        for sentence in sentences(text):
            for name, rows, pat in _share_patterns(report.spec.key):
                for m in pat.finditer(sentence):
                    if _BLOCK.search(_clause_around(sentence, m.start(), m.end())):
                        continue
                    stated = Decimal(m.group("num"))
                    keys = tuple(f"t3.{r}.total" for r in rows)
                    part = cell_sum(report, keys)
                    if part is None:
                        continue
                    exp = stated.as_tuple().exponent
                    tol = Decimal(1).scaleb(exp) if isinstance(exp, int) else Decimal(1)
                    shares = []
                    for base in bases:
                        whole = cell_sum(report, base)
                        if whole:
                            shares.append(Decimal(part) * 100 / Decimal(whole))
                    if not shares or any(abs(s - stated) <= tol for s in shares):
                        continue
                    whole = cell_sum(report, bases[0]) or cell_sum(report, bases[1])
                    actual = shares[0].quantize(Decimal("0.1"))
                    msg = rule.message.format(
                        section=_heading(report, section), quote=_quote(sentence, m.start("num")), what=name,
                        stated=format_number(stated), actual=format_number(actual),
                        part=format_number(part), whole=format_number(whole))
                    yield _finding(rule, report, [*keys, "t3.total.total", section], msg,
                                   expected=actual, actual=stated)


# ---------------------------------------------------------------------------
# A stated total followed by its parts

_UNITS = "条|件|项|个|篇|次"
_MARKER = re.compile(r"(?P<word>其中|具体包括|主要包括|主要有|包括|包含|分别为|分别是|具体为)[：:]?")
_ITEM = re.compile(rf"(?P<label>[^\d，,、；;：:。！？%]{{1,20}}?)(?P<num>{NUM})(?P<approx>余|多)?(?P<unit>{_UNITS})")
_SEP = re.compile(r"[，,、；;]")
_TOTAL_END = re.compile(rf"(?P<num>{NUM})(?P<approx>余|多)?(?P<unit>{_UNITS})[，,：:]?$")


@dataclass(frozen=True)
class PartsList:
    """A total and the parts listed after it, as found in one sentence."""

    sentence: str
    total: int
    unit: str
    parts: list[int]
    partial: bool  # 等 / 主要 / 其中: the list may leave items out


def _items(sentence: str, pos: int) -> tuple[list[tuple[int, str]], int, bool]:
    items, approx = [], False
    while True:
        m = _ITEM.match(sentence, pos)
        if not m or _MARKER.search(m.group("label")) or parse_number(m.group("num")) is None:
            break
        approx = approx or bool(m.group("approx"))
        items.append((parse_number(m.group("num")), m.group("unit")))
        pos = m.end()
        sep = _SEP.match(sentence, pos)
        if not sep:
            break
        pos = sep.end()
    return items, pos, approx


def parts_lists(text: str) -> Iterator[PartsList]:
    """Every “total … 包括/其中 part, part, …” in ``text``."""
    sents = sentences(text)
    for i, sentence in enumerate(sents):
        for mk in _MARKER.finditer(sentence):
            items, end, approx = _items(sentence, mk.end())
            units = {u for _, u in items}
            if len(items) < 2 or len(units) != 1 or approx:
                continue
            unit = units.pop()
            head = sentence[:mk.start()]
            total = None
            clause = re.split(r"[，,；;]", head.rstrip("，,：: "))[-1]  # the clause just before the list
            m = _TOTAL_END.search(clause)
            if m:  # “……370条，包括：”
                if m.group("approx") or m.group("unit") != unit:
                    continue
                total = parse_number(m.group("num"))
            elif head and not re.search(r"\d|[，,；;]", head) and i > 0:  # “新增……信息中包括：”
                subject = re.sub(r"(中|之中|里|当中)$", "", head.strip())
                if len(subject) >= 2:
                    pm = re.search(rf"{re.escape(subject)}(?:共计?|合计|总计|达到?|为)?(?P<num>{NUM})(?P<approx>余|多)?"
                                   rf"(?P<unit>{_UNITS})", sents[i - 1])
                    if pm and not pm.group("approx") and pm.group("unit") == unit:
                        total = parse_number(pm.group("num"))
            if total is None or _BLOCK.search(clause):
                continue
            partial = (mk.group("word") in ("其中", "主要包括", "主要有")
                       or sentence[end:end + 2].startswith("等"))
            yield PartsList(sentence, total, unit, [n for n, _ in items], partial)


def prose_parts(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """A stated total that its listed parts do not add up to (the 370-vs-283 mistake)."""
    for section, text in _sections(report):
        for pl in parts_lists(text):
            s = sum(pl.parts)
            if s == pl.total or (pl.partial and s < pl.total):
                continue
            msg = rule.message.format(
                section=_heading(report, section), quote=_quote(pl.sentence, 0), stated=format_number(pl.total),
                unit=pl.unit, parts="+".join(format_number(p) for p in pl.parts), actual=format_number(s),
                diff=format_number(abs(s - pl.total)))
            yield _finding(rule, report, [section], msg, expected=pl.total, actual=s)


#: The builtin checks this module provides, by the ``check`` name the rules use.
PROSE_CHECKS = {
    "prose_applications": prose_applications,
    "prose_reviews": prose_reviews,
    "prose_documents": prose_documents,
    "prose_fees": prose_fees,
    "prose_parts": prose_parts,
    "prose_shares": prose_shares,
}

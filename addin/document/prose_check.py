"""The clerk's prose checked against the tables and against itself.

Reports quote table figures in their prose — “本年新收政府信息公开申请13件，上年结转2件，
已办结14件” — and the two drift apart when one is corrected and the other is not. The
most common error of all is inside the prose: “新增主动公开政府信息370条，包括：…” with
parts that add up to 283. This module reads the six sections as published text looks
(PDF line wraps, ASCII punctuation, spaces around numbers) and finds:

* **table figures** (P001–P004): keyword + short gap + number + unit, e.g. 新收/收到/受理 …
  申请 … N 件 → 表三 本年新收·总计. A figure is compared only when its clause clearly
  names it: not for another year or a comparison (上年 except 上年结转, 去年, 同比, 较,
  累计), a channel (网上, 当面 …), other matters (建议, 提案, 咨询, 热线 …), approximate
  figures (20余件, 约, 近). Outcome counts are not 办结 (同意公开答复 14 件), a 顺延至下一年度
  答复 is 结转, 其中已答复 10 件 is a part of another figure, 予以公开及部分公开 61 件 is the
  two together, 不予公开的文件 next to 文件/信息 (not 申请) is about documents, 提前废止 is a
  part of 废止. When a table's 总计
  cell is blank but its row has numbers, the row's sum is compared, and the message says so.
* **shares** (P006): 予以公开 133 件（41.56%） or 予以公开占 41.56% against 表三, within one
  unit of the last digit written.
* **a stated total and its listed parts** (P005): the total ends the clause before the
  list (or the sentence before a list that starts with 其中), the list is introduced by
  其中/包括/包含/具体为 (also in brackets, or after a colon), and it closes where its
  separator level rises (items joined by 、 end at ，; items joined by ， end at ；) or a
  clause is not an item (共办结 96 件). 其中 means a complete breakdown unless the text
  says otherwise: a list ending in 等, an item with no number, items in different units
  (then it is quiet if the same-unit or the all-unit sum matches), or 主要/部分. Such a
  partial list is flagged only when its parts exceed the total.
* **shares in a list** (P007): “其中予以公开 133 件（41.56%）…” — each share against its
  count and the list's total, and the shares of a complete list adding to 100 %.
* **one figure, two values** (P008): the same figure stated twice in one report with
  different numbers (政策解读 12 篇 … 政策解读 9 篇).

Each check yields :class:`~addin.findings.Finding` objects naming the section and quoting
the sentence; the rules are ``rules/rulesets/prose.json`` (P001–P008).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from ..findings import Finding
from ..formats import load_format
from ..model import Report
from ..ruleset import Rule
from ..values import EMPTY, NUMBER, format_number
from .narrative import clean_text, outcome_groups
from .numerals import NUMBER as NUM
from .numerals import parse_number

# Caches wrap plain functions (``_figures = cache(_build_figures)``) instead of decorating
# them: mutation testing (scripts/mutation.sh) skips decorated functions, and the bodies
# hold most of the logic.

#: How far around a figure its clause, a list's total or a list's items are looked for.
_WINDOW = 400
#: Longest quote in a message; longer sentences are shortened around the figure.
QUOTE_CHARS = 90
#: Prose sections that are read.
PROSE_SECTIONS = ("s1", "s2", "s3", "s4", "s5", "s6")

_BLOCK = re.compile(r"上年(?!度?结转)|上一年|去年|同比|较|比上|累计|网上|网络|当面|信函|传真|邮件|邮寄|电话")
#: Other things an agency receives and answers (proposals, letters, hotline calls …).
_OTHER_MATTERS = re.compile(r"建议|提案|议案|咨询|留言|来信|信件|诉求|热线|投诉|信访|12345")
_OUTCOME_WORDS = re.compile(r"维持|纠正|其他|尚未|审结|结果|直接|复议后|机关")
_GAP = r"[^\d，,。；;！？!?：:、（）()零〇一二两三四五六七八九十百千万%]"
#: 约 / 近 (将近, 接近) / 逾 / 超过 just before a number: matched at the number, looking back,
#: so that testing a number costs the same wherever it stands in a long sentence.
_APPROX_BEFORE = re.compile(r"(?<=[约近逾])|(?<=超过)")


def _approx_before(sentence: str, pos: int) -> bool:
    """约 / 近 / 超过 … just before the number at ``pos``."""
    return bool(_APPROX_BEFORE.match(sentence, pos))

#: Words before 办结/答复 that make the figure something else than 表三's 办结 total: an
#: outcome (同意公开答复 14 件), carried forward (顺延至下一年度答复), or the answered part of
#: another figure, the new or the carried applications (其中已答复 10 件, 上年结转申请中本年已办结 1 件).
_NOT_ANSWERED_TOTAL = re.compile(r"(?:同意|予以|部分|不予|依法)公开$|(?:顺延|延期|推迟|延长)(?:至|到)?下一?年度?$"
                                 r"|(?:其中|申请中|件中)[^，,。；;]{0,6}$")
#: How answers word an outcome of 表三 (the row names are the format's).
_OUTCOME_WORDING = {"同意公开": "予以公开"}
#: A document count, not an application outcome (不予公开的文件 40 件).
_DOCUMENT_WORDS = re.compile(r"文件|信息")
_CONJ = r"(?:及|和|与|、|以及|或)"
#: How far before a figure the words that make it something else (同意公开答复, 提前废止,
#: 予以公开及部分公开) are looked for: longer than any of them, short to keep scans linear.
_BEFORE_CHARS = 40


@dataclass(frozen=True)
class Stated:
    """A figure found in the prose: where, what it says, and the number."""

    section: str
    sentence: str
    start: int  # offset of the figure inside the sentence
    value: int | Decimal
    approx: bool
    tolerance: Decimal = Decimal(0)  # half a unit of the last digit written (amounts)
    keys: tuple[str, ...] = ()  # when the figure names other cells than its Figure's (a combination)
    what: str = ""


_WIDE = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
#: A line that starts a new point: （一） 一、 1. 一是 第一 and bullets.
_POINT = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)"
                    r"|[一二三四五六七八九十]是|第[一二三四五六七八九十]+|[-•·●▪])")
#: A line ending in one of these ends its sentence (a wrap after ；or ： is still mid-sentence).
_END = "。！？!?"
#: Shortest line taken as cut by a hard wrap (a PDF line) rather than a title.
_WRAP_MIN = 12


#: Units that counts in reports are written in.
UNITS = "人次|条|件|项|个|篇|次|份|期|场|则|批|家|宗|起|例|部"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_CONTINUES = re.compile(rf"^(?:{UNITS}|[，,。；;、%）)])")
_CLAUSE_PUNCT = re.compile(r"[，,。；;]")
#: Text up to its last ，；(greedy), where the clause after it starts.
_UP_TO_SEPARATOR = re.compile(r"(?s).*[，,；;]")
_LIST_LEAD = re.compile(r"(?:其中|包括|具体为|如下)[：:]$")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")


def _normalise(text: str) -> str:
    """Full-width digits and ％ made ASCII (Chinese punctuation kept, for quoting), no
    thousands separators, no spaces."""
    text = unicodedata.normalize("NFC", clean_text(text)).translate(_WIDE)
    text = _THOUSANDS.sub("", text)  # 1,234 (a full-width ， separates clauses)
    return _SPACES.sub("", text)


def _join_wrapped(lines: list[str]) -> list[str]:
    """Lines cut by a hard wrap (text taken from a PDF: a line ends mid-clause, also just
    after a ；or ：, even between a label and its number, or a number stands on a line of its
    own) joined back, and a list set out one item a line after “其中：” joined to its lead up
    to the 。 that ends it; a blank line, a sentence end, a heading (（一）主动公开, a short
    line) or a new point keeps lines apart."""
    out: list[str] = []
    open_line = listing = False
    for line in lines:
        if not line:
            open_line = listing = False
            continue
        cont = _CONTINUES.match(line)  # 5928 / 条，其中…
        if out and ((open_line and not _POINT.match(line)) or cont or listing):
            out[-1] += line
        else:
            out.append(line)
        last = out[-1]
        heading = bool(_POINT.match(last)) and len(last) <= 25 and not _CLAUSE_PUNCT.search(last)
        open_line = last[-1] not in _END and len(last) >= _WRAP_MIN and not heading
        # a list set out after “其中：” goes on to the 。 that ends it
        listing = bool(_LIST_LEAD.search(last)) or (listing and last[-1] not in _END)
    return out


def sentences(text: str) -> list[str]:
    """Sentences (up to 。！？ or a paragraph end), normalised for matching."""
    return list(_sentences(text))


def _split_sentences(text: str) -> tuple[str, ...]:
    out = []
    for line in _join_wrapped(_normalise(text).split("\n")):
        out.extend(s for s in _SENTENCE_END.split(line) if s.strip())
    return tuple(out)

#: Cached: the prose checks of one validation read the same sections.
_sentences = lru_cache(maxsize=64)(_split_sentences)


def _clause_around(sentence: str, start: int, end: int) -> str:
    """The clause (between ，；) holding ``sentence[start:end]``, at most a window around it."""
    lo, hi = max(0, start - _WINDOW), min(len(sentence), end + _WINDOW)
    before = _UP_TO_SEPARATOR.match(sentence, lo, start)
    after = _CLAUSE_PUNCT.search(sentence, end, hi)
    return sentence[before.end() if before else lo:after.start() if after else hi]


def _quote(sentence: str, start: int) -> str:
    """The sentence, or QUOTE_CHARS of it around ``start`` with … where it is cut."""
    s = sentence.strip()
    a = max(0, min(start - QUOTE_CHARS // 3, len(s) - QUOTE_CHARS))
    return ("…" if a else "") + s[a:a + QUOTE_CHARS] + ("…" if a + QUOTE_CHARS < len(s) else "")


def _sections(report: Report) -> Iterator[tuple[str, str]]:
    for key in PROSE_SECTIONS:
        if text := report.sections.get(key):  # (a blank one has no sentences)
            yield key, text


def _heading(report: Report, key: str) -> str:
    try:
        return report.spec.section(key).heading
    except StopIteration:
        return key


# ---------------------------------------------------------------------------
# Table values: a blank 总计 stands for its row's sum


def table_value(report: Report, keys: tuple[str, ...]) -> tuple[int | Decimal | None, str]:
    """The sum of the cells, and a note when a blank 总计 was replaced by its row's sum
    (``None`` if a cell is not a number and cannot be made one)."""
    total: int | Decimal = 0
    notes = []
    for key in keys:
        c = report.cell(key)
        if c.state == NUMBER:
            total += c.value
            continue
        table, row, col = key.split(".")
        if c.state != EMPTY or col != "total":
            return None, ""
        parts = [report.cell(k) for k in report.spec.cells if k.startswith(f"{table}.{row}.") and k != key]
        nums = [p.value for p in parts if p.state == NUMBER]
        if not nums:
            return None, ""
        s = sum(nums)
        total += s
        notes.append(f"{report.spec.cells[key].describe()}为空，按该行各栏之和 {format_number(s)} 计")
    return total, "；".join(notes)


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
    kind: str = ""  # "outcome" (表三 results), "answered" (办结), "combined"; 表二: its column ("repealed" …)
    fmt: str = ""
    names: dict | None = field(default=None, compare=False, hash=False)  # outcome name → keys, for "combined"

    def find(self, section: str, sentence: str) -> Iterator[Stated]:
        if self.context and self.context not in sentence and section != self.context_section:
            return
        for m in self.pattern.finditer(sentence):
            gap = m.group("gap")
            clause = _clause_around(sentence, m.start(), m.end())
            if self.need and self.need not in clause:
                continue
            if _BLOCK.search(clause) or (self.family == "applications" and _OTHER_MATTERS.search(clause)):
                continue
            if self.family == "reviews" and _OUTCOME_WORDS.search(gap):
                continue
            if self.gap_exclude and re.search(self.gap_exclude, gap):
                continue
            before = sentence[max(0, m.start() - _BEFORE_CHARS):m.start()]
            if self.kind == "answered" and _NOT_ANSWERED_TOTAL.search(before):
                continue  # 同意公开答复 14 件 is an outcome; 顺延至下一年度答复 is carried forward
            if self.kind == "outcome":
                if re.search(rf"(?:{_outcome_alternation(self.fmt)}){_CONJ}$", before):
                    continue  # 予以公开及部分公开 61 件: the combination, below
                if _DOCUMENT_WORDS.search(gap + sentence[m.end():m.end() + 2]) and "申请" not in clause:
                    continue
            if self.kind == "repealed" and re.search(r"(?:提前|部分|宣布)$", before):
                continue
            value = parse_number(m.group("num"))
            tolerance = Decimal(0)
            if self.unit_scale:
                scale = self.unit_scale[m.group("unit")]
                value = Decimal(value) * scale
                tolerance = Decimal(1).scaleb(Decimal(m.group("num")).as_tuple().exponent) * scale / 2
            approx = bool(m.groupdict().get("approx")) or bool(_approx_before(sentence, m.start("num")))
            keys, what = self.keys, self.what
            if self.kind == "combined":
                names = re.findall(_outcome_alternation(self.fmt), m.group("names"))
                keys = tuple(k for n in dict.fromkeys(names) for k in self.names[n])
                what = "与".join(dict.fromkeys(names))
            yield Stated(section, sentence, m.start("num"), value, approx, tolerance, keys, what)


def _alternation(names) -> str:
    """A regex alternative of the names, longest first: a name that begins another never
    takes its place."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _outcome_names(fmt_key: str) -> str:
    return _alternation(n for n, _ in outcome_groups(load_format(fmt_key).table("t3")))

#: Cached: one pattern per format.
_outcome_alternation = cache(_outcome_names)


#: Where a number starts (not inside a run of digits or numerals): keeps the scans linear.
#: Where a figure can start: not inside another number, and not after a word that makes
#: it an ordinal or a distributive (第一件, 每一件, 同一件申请) rather than a count.
_AT_NUMBER = r"(?<![\d.零〇一二两三四五六七八九十百千万第每逐同])"
#: A count or an amount: what every table figure ends in.
_COUNT = re.compile(rf"{_AT_NUMBER}{NUM}(?:余|多)?(?:件|万元|元)")


def _num(unit: str = "件") -> str:
    return rf"(?<![第每逐同])(?P<num>{NUM})(?P<approx>余|多)?{unit}"  # 第一件, 每一件: no count


def _build_figures(fmt_key: str) -> tuple[Figure, ...]:
    spec = load_format(fmt_key)
    gap = lambda n: rf"(?P<gap>{_GAP}{{0,{n}}}?)"  # noqa: E731
    # 表三: received, carried over, answered, carried forward
    out = [
        Figure("applications", "本年新收申请", ("t3.new.total",),
               re.compile(rf"(?:新收|收到|接收|受理){gap(14)}{_num()}"), need="申请", gap_exclude="结转"),
        Figure("applications", "上年结转申请", ("t3.carried.total",),
               re.compile(rf"上年度?结转{gap(12)}{_num()}"), gap_exclude="下一?年|办结|答复"),
        Figure("applications", "办结（办理结果总计）", ("t3.total.total",),
               re.compile(rf"(?:办结|答复|办理完结|办理完毕){gap(10)}{_num()}"), gap_exclude="结转|新收|收到|(?:同意|予以|部分|不予)公开",
               context="申请", kind="answered"),
        # 结转下一年度继续办理的政府信息公开申请 1 件: as long a gap as 新收's
        Figure("applications", "结转下年度继续办理", ("t3.forward.total",),
               re.compile(rf"(?:结转|转入|顺延|延期|推迟|延长)(?:至|到)?下一?年度?{gap(14)}{_num()}")),
    ]
    # 表三 outcomes, named as the format's row paths name them (予以公开, 不予公开 …)
    t3 = spec.table("t3")
    groups = outcome_groups(t3)
    names = _outcome_alternation(fmt_key)
    for name, rows in groups:
        out.append(Figure("applications", name, tuple(f"t3.{r}.total" for r in rows),
                          re.compile(rf"(?<!不){re.escape(name)}{gap(4)}{_num()}"), kind="outcome", fmt=fmt_key))
    # the same outcomes as answers word them: 同意公开 5 件 is 予以公开
    for word, name in _OUTCOME_WORDING.items():
        rows = dict(groups).get(name)
        if rows:
            out.append(Figure("applications", name, tuple(f"t3.{r}.total" for r in rows),
                              re.compile(rf"(?<!不)(?<!部分){re.escape(word)}(?:答复)?{gap(4)}{_num()}"),
                              kind="outcome", fmt=fmt_key))
    # 予以公开及部分公开 61 件: two outcomes counted together
    combined = {name: tuple(f"t3.{r}.total" for r in rows) for name, rows in groups}
    out.append(Figure("applications", "", (), re.compile(
        rf"(?<!不)(?P<names>(?:{names})(?:{_CONJ}(?:{names}))+)(?:的申请|申请)?{gap(4)}{_num()}"),
        kind="combined", fmt=fmt_key, names=combined))
    # 表四: reviews and lawsuits, only where the sentence is about 信息公开 (or in section 四)
    t4 = spec.table("t4")
    by_kind: dict[str, list[str]] = {}
    for row in t4.rows:
        by_kind.setdefault(row.label.split("·")[0], []).append(f"t4.{row.key}.total")
    # 申请行政复议后又提起行政诉讼 1 件 is a lawsuit: the gap to the number holds no kind's name
    for kind, keys in by_kind.items():
        out.append(Figure("reviews", kind, tuple(keys),
                          re.compile(rf"{re.escape(kind)}{gap(8)}{_num()}"),
                          context="信息公开", context_section="s4",
                          gap_exclude="|".join(map(re.escape, by_kind))))
    # 表二: 规章 / 规范性文件 counts
    t2 = spec.table("t2")
    verbs = {"issued": "制发|印发|出台|制定", "repealed": "废止", "in_force": "现行有效",
             "made": "新制作|制作|制定", "published": "新公开"}
    for row_key in ("rules", "normative"):
        row = t2.row(row_key)
        names_ = _alternation({row.label, *row.variants})
        for col, verb in verbs.items():
            key = f"t2.{row_key}.{col}"
            if key not in spec.cells:
                continue
            label = f"{row.label}{t2.column(col).label}"
            # “制发行政规范性文件3件” or “行政规范性文件本年制发3件”; never 规章制度
            pat = (rf"(?:(?:{verb})了?的?(?:{names_})(?!制度)"
                   rf"|(?:{names_})(?!制度)(?:本年)?(?:{verb})){gap(4)}{_num()}")
            out.append(Figure("documents", label, (key,), re.compile(pat), kind=col))
    # 表二: 行政事业性收费 amount (2021, 万元)
    if "t2.fees.amount" in spec.cells and spec.cells["t2.fees.amount"].kind == "wan_yuan":
        out.append(Figure("fees", f"{t2.row('fees').label}金额", ("t2.fees.amount",),
                          re.compile(rf"{re.escape(t2.row('fees').label)}(?:金额|总额|收入)?{gap(6)}"
                                     rf"(?P<num>\d+(?:\.\d+)?)(?P<unit>万元|元)"),
                          unit_scale={"万元": Decimal(1), "元": Decimal("0.0001")}))
    return tuple(out)

#: Cached: one set per format.
_figures = cache(_build_figures)


def _cell_names(report: Report, keys: tuple[str, ...]) -> str:
    return "+".join(report.spec.cells[k].describe() for k in keys)


def _finding(rule: Rule, report: Report, cells: list[str], message: str, **kw) -> Finding:
    locations = [report.location(k) for k in cells]
    return Finding(rule=rule.id, severity=rule.severity, message=message, cells=cells, locations=locations,
                   hint=rule.hint, name=rule.name, **kw)


def stated_figures(report: Report, family: str | None = None) -> Iterator[tuple[Figure, Stated]]:
    """Every table figure the prose states (one per place), in reading order."""
    for section, text in _sections(report):
        for fig, st in _stated(report.spec.key, section, text):
            if family is None or fig.family == family:
                yield fig, st


def _find_stated(fmt_key: str, section: str, text: str) -> tuple[tuple[Figure, Stated], ...]:
    out = []
    seen = set()
    for sentence in _sentences(text):
        if not _COUNT.search(sentence):
            continue
        for fig in _figures(fmt_key):
            for st in fig.find(section, sentence):
                if (sentence, st.start) in seen or st.approx or not st.keys:
                    continue
                seen.add((sentence, st.start))
                out.append((fig, st))
    return tuple(out)

#: Cached: the four figure checks of one validation read the same sections.
_stated = lru_cache(maxsize=64)(_find_stated)


def _figure_findings(family: str, rule: Rule, report: Report) -> Iterator[Finding]:
    """Figures of one family stated in the prose that differ from the table."""
    for fig, st in stated_figures(report, family):
        actual, note = table_value(report, st.keys)
        if actual is None:
            continue
        diff = abs(Decimal(st.value) - Decimal(actual))
        if diff <= st.tolerance:
            continue
        table = report.spec.cells[st.keys[0]].table.number
        msg = rule.message.format(
            section=_heading(report, st.section), quote=_quote(st.sentence, st.start), what=st.what,
            stated=format_number(st.value), actual=format_number(actual), table=table,
            cell=_cell_names(report, st.keys), diff=format_number(diff))
        if note:
            msg += f"（{note}）"
        yield _finding(rule, report, [*st.keys, st.section], msg, expected=actual, actual=st.value)


def prose_applications(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """表三 figures (新收, 结转, 办结, outcomes) stated in the prose, compared with the table."""
    return _figure_findings("applications", rule, report)


def prose_reviews(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """表四 figures (行政复议, 行政诉讼) stated in the prose, compared with the table."""
    return _figure_findings("reviews", rule, report)


def prose_documents(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """表二 figures (规章, 规范性文件) stated in the prose, compared with the table."""
    return _figure_findings("documents", rule, report)


def prose_fees(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """表二 行政事业性收费 stated in the prose, compared with the table."""
    return _figure_findings("fees", rule, report)


# ---------------------------------------------------------------------------
# Shares: “予以公开占 30%”, “予以公开 133 件（41.56%）”

_SHARE_LEAD = (r"(?:[，,]?的?所?(?:占比?|比例)(?:为|达)?[^\d，。；%]{0,8}?"
               r"|[（(](?:占比?|比例)?(?:为|达)?[^\d，。；%）)]{0,8}?)")


def _build_share_pattern(fmt_key: str) -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """The pattern for “予以公开4件，占30.8%” / “予以公开4件（30.8%）” / “予以公开占 30%” /
    “予以公开和部分公开的共8件，占57.1%”, and each outcome name's cells."""
    names = _outcome_alternation(fmt_key)
    keys = {name: tuple(f"t3.{r}.total" for r in rows) for name, rows in outcome_groups(load_format(fmt_key).table("t3"))}
    pat = re.compile(rf"(?<!不)(?P<names>(?:{names})(?:{_CONJ}(?:{names}))*)(?:的?(?:申请)?{_GAP}{{0,4}}?{NUM}件)?"
                     rf"{_SHARE_LEAD}(?P<num>\d+(?:\.\d+)?)%")
    return pat, keys

#: Cached: one pattern per format.
_share_pattern = cache(_build_share_pattern)


def _tolerance(stated: Decimal) -> Decimal:
    """One unit of the last digit written (a share is always finite: digits, maybe a point)."""
    return Decimal(1).scaleb(stated.as_tuple().exponent)


def prose_shares(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """Percentages of an outcome, compared with its share of the applications handled."""
    bases = [("t3.total.total",), ("t3.new.total",), ("t3.new.total", "t3.carried.total")]
    for section, text in _sections(report):
        for sentence in sentences(text):
            if "%" not in sentence:
                continue
            pat, by_name = _share_pattern(report.spec.key)
            for m in pat.finditer(sentence):
                if _BLOCK.search(_clause_around(sentence, m.start(), m.end())):
                    continue
                stated = Decimal(m.group("num"))
                names = list(dict.fromkeys(re.findall(_outcome_alternation(report.spec.key), m.group("names"))))
                name = "与".join(names)
                keys = tuple(k for n in names for k in by_name[n])
                part, note = table_value(report, keys)
                if part is None:
                    continue
                tol = _tolerance(stated)
                shares = []
                for base in bases:
                    whole, _ = table_value(report, base)
                    if whole:
                        shares.append(Decimal(part) * 100 / Decimal(whole))
                if not shares or any(abs(s - stated) <= tol for s in shares):
                    continue
                whole = table_value(report, bases[0])[0] or table_value(report, bases[1])[0]
                actual = shares[0].quantize(Decimal("0.1"))
                msg = rule.message.format(
                    section=_heading(report, section), quote=_quote(sentence, m.start("num")), what=name,
                    stated=format_number(stated), actual=format_number(actual),
                    part=format_number(part), whole=format_number(whole))
                if note:
                    msg += f"（{note}）"
                yield _finding(rule, report, [*keys, "t3.total.total", section], msg,
                               expected=actual, actual=stated)


# ---------------------------------------------------------------------------
# A stated total followed by its parts

#: Words that open a list of parts (含 only in brackets).
_LIST_WORDS = "其中|具体包括|主要包括|主要有|包括|包含|具体为|具体是|分类如下|如下|含"
_MARKER = re.compile(rf"(?P<open>[（(])?(?P<word>{_LIST_WORDS})[，,：:]?")
_AFTER_TOTAL_COLON = re.compile(rf"{_AT_NUMBER}(?P<num>{NUM})(?P<unit>{UNITS})[：:]")
_NUMBER_ITEM = re.compile(rf"{_AT_NUMBER}(?P<num>{NUM})(?P<approx>余|多)?(?P<unit>{UNITS})")
_TOTAL_END = re.compile(rf"{_AT_NUMBER}(?P<num>{NUM})(?P<approx>余|多)?(?P<unit>{UNITS})(?:[（(][^（）()]*[)）])?[，,：:]?$")
#: A share written after an item and a comma: ``信息公开年报1条，占比1.3%；……``.
_SHARE_TAIL = r"[，,](?:约)?(?:占比?|所占比例|比例)(?:为|达)?(?P<pct2>\d+(?:\.\d+)?)%"
_ITEM = re.compile(rf"^(?P<label>.*?)(?<![\d.])(?P<num>{NUM})(?P<approx>余|多)?(?P<unit>{UNITS})"
                   rf"(?:[（(](?:占比?|比例)?(?:为)?(?P<pct>\d+(?:\.\d+)?)%[)）]|[（(][^（）()]*[)）]|{_SHARE_TAIL})?"
                   r"(?P<etc>等(?:[^，,、；;。]{0,8})?)?$")
#: Words that open a clause which is not another item: a new total, a comparison, a sum.
_NOT_ITEM = re.compile(r"^(?:已|并|还|又|另|此外|同时)?(?:共|合计|总计|累计|另有|此外|同时|全年|比上年|较|同比)"
                       r"|共计|合计|总计|累计|增长|增加|减少|下降")
_VERBS = re.compile(r"办结|受理|收到|结转|新收")
#: A comparison or another year in the clause of the total: not a total to add up.
_TOTAL_BLOCK = re.compile(r"上年(?!度?结转)|上一年|去年|同比|较|比上|增长|增加|减少|下降")
#: A clause, not an item with no number (an item with no number is a short noun phrase).
_CLAUSE_WORDS = re.compile(r"提升|提高|加强|确保|推进|进一步|做到|实现|有效|保障|方便|满足|及时|切实|不断|得到|均|已|了|为|是|无|未")
_LEVEL_OF = {"、": 1, "，": 2, ",": 2, "；": 3, ";": 3}
_ENDS = {1: re.compile("[，,；;。！？!?]"), 2: re.compile("[；;。！？!?]"), 3: re.compile("[。！？!?]")}
_SEPS = {1: "、", 2: "，,", 3: "；;"}


#: Longest clause read for a total or an item.
_CLAUSE_CHARS = 60


@dataclass(frozen=True)
class Item:
    label: str
    value: int
    unit: str
    share: Decimal | None = None


@dataclass(frozen=True)
class PartsList:
    """A total and the parts listed after it, as found in one sentence."""

    sentence: str
    total: int
    unit: str
    parts: list[int]
    partial: bool  # the text says the list may leave items out
    why_partial: str = ""  # 等 / 主要 / 部分 / an item with no number / units
    items: tuple[Item, ...] = ()
    same_unit_sum: int = 0
    start: int = 0  # offset of the list in the sentence
    lead: str = ""  # the clause with the total, when it is in the sentence before

    def quote(self) -> str:
        """The sentence to quote: the list, after the total's clause when that stood before it."""
        return _quote(self.lead + self.sentence, 0 if self.lead else self.start)


def _first_number_item(region: str) -> re.Match | None:
    """The first number with a unit after a list word, if it is in the first clause."""
    m = _NUMBER_ITEM.search(region)
    if m is None or re.search(r"[，,；;。]", region[:m.start()]):
        return None
    return m


#: An item that opens with a list word breaks down the item before it (``其中公开政府信息29条，
#: 包括机构职能13条，……``): the outer list ends there.
_SUB_LIST = re.compile(rf"^(?:{_LIST_WORDS})[，,：:]?")


#: A ``，占比x%`` after an item belongs to it: a ，-list is not split there.
_SPLIT_AT = {level: re.compile(rf"(?!{_SHARE_TAIL.replace('?P<pct2>', '?:')})[{seps}]")
             for level, seps in _SEPS.items()}


_BRACKETED = re.compile(r"[（(][^（）()]*[)）]")


def _flat(text: str) -> str:
    """``text`` with its brackets blanked out (same length): a list's separators
    and its end are never inside an item's bracket (机构职能24条（含领导信息4条、机构设置20条）、……)."""
    return _BRACKETED.sub(lambda m: "\0" * len(m.group(0)), text)


def _split(body: str, flat: str, at: re.Pattern) -> list[str]:
    """``body`` split where ``at`` matches its flat copy (outside brackets)."""
    cuts = [(m.start(), m.end()) for m in at.finditer(flat)]
    starts = [0] + [e for _, e in cuts]
    ends = [s for s, _ in cuts] + [len(body)]
    return [body[a:b] for a, b in zip(starts, ends)]


def _typed_for_comma(segment: str) -> list[str]:
    """A segment of a ，-list split at its 、 when every piece is an item (无法提供30件、不予处理3件:
    a 、 typed for a ，); otherwise the segment itself."""
    if "、" not in segment:
        return [segment]
    pieces = _split(segment, _flat(segment), _SPLIT_AT[1])
    return pieces if all(_ITEM.match(p) for p in pieces) else [segment]


#: What :func:`_list_items` finds where no list starts: no items (so nothing else to read).
_NO_LIST: tuple[list[Item], bool, str] = ([], False, "")


def _list_items(sentence: str, pos: int, end: int) -> tuple[list[Item], bool, str]:
    """The items from ``pos``: (items, approximate, why partial). A list word inside a list
    opens no second one: at an item's start it ends the list (``_SUB_LIST``), right after
    another (其中包括) it has no total before it."""
    region = sentence[pos:min(end, pos + _WINDOW)]
    first = _first_number_item(region)
    if first is None:  # (a first item further than 25 characters has too long a label)
        return _NO_LIST
    # the separator after the first item (past a bracket) decides the list's level (a first
    # item ending in 等 makes a list of one item, which is no list)
    after = first.end()
    mb = re.match(rf"{_BRACKETED.pattern}|{_SHARE_TAIL}", region[after:])
    if mb:
        after += mb.end()
    level = _LEVEL_OF.get(region[after:after + 1], 0)
    if level == 0:
        return _NO_LIST
    flat = _flat(region)
    me = _ENDS[level].search(flat, after)
    stop = me.start() if me else len(region)
    # the list's items: split at its separator outside brackets (a ，占比x% stays with its item)
    segments = _split(region[:stop], flat[:stop], _SPLIT_AT[level])
    # 无法提供30件、不予处理3件 inside a ，-list: a 、 typed for a ，
    segments = [p for seg in segments for p in _typed_for_comma(seg)]
    items: list[Item] = []
    approx, why = False, ""
    first_has_verb = bool(_VERBS.search(segments[0]))
    for n, seg in enumerate(segments):
        m = _ITEM.match(seg)  # (its label is at most 25 characters, its bracket as long as it is)
        if n > 0 and (_NOT_ITEM.search(seg) or (not first_has_verb and _VERBS.search(seg))
                      or _SUB_LIST.match(seg)):
            break  # a new total, or (包括……) the breakdown of the item before: not an item of this list
        if m is None:
            # (before a second item the list is too short to count: no need to ask for n > 0)
            if seg and len(seg) <= 12 and not _CLAUSE_WORDS.search(seg) and not re.search(r"\d", seg):
                why = why or "有未写数字的分项"
            break
        label = m.group("label")
        if len(label) > 25:  # (a label holds no 。: a sentence ends at its first 。)
            break
        value = parse_number(m.group("num"))
        if value is None or isinstance(value, Decimal):
            break
        approx = approx or bool(m.group("approx"))
        pct = m.group("pct") or m.group("pct2")
        items.append(Item(label, value, m.group("unit"), Decimal(pct) if pct else None))
        if m.group("etc"):
            why = why or "以“等”结尾"
            break
    return items, approx, why


_CLAUSE_TEXT = re.compile(r"[^，,；;：:。！？!?]+")


def _last_clause(text: str) -> str:
    """The last clause of ``text``, the punctuation after it left out."""
    last = _CLAUSE_TEXT.search(text[::-1])  # the first clause of the text read backwards
    return last.group(0)[::-1] if last else ""


def _total_before(sentence: str, start: int, prev: str) -> tuple[int, str, str] | None:
    """The total a list starting at ``start`` breaks down: (value, unit, lead), or None. The
    lead is the total's clause when it ends the sentence before (quoted with the list), else ""."""
    # the clause just before the list, also across a ；(……较上年增加45件；其中……): only when
    # 其中 opens the sentence is the total at the end of the sentence before
    clause, lead = _last_clause(sentence[max(0, start - _WINDOW):start]), ""  # (a window: linear scans)
    if not clause and prev:  # 其中 opens the sentence: the total ends the sentence before
        clause = _last_clause(prev)
        lead = clause + "。"
    tail = clause[-_CLAUSE_CHARS:]
    m = _TOTAL_END.search(tail)
    if not m or m.group("approx") or _approx_before(tail, m.start()):
        return None
    if _TOTAL_BLOCK.search(clause):  # a change against last year, not a total
        return None
    value = parse_number(m.group("num"))
    if not isinstance(value, int):
        return None
    return value, m.group("unit"), lead


#: The start of a sentence before its first number or comma, where a subject can stand.
_OPENING = re.compile(r"[^\d，,；;]*")


def _subject_total(head: str, prev: str) -> tuple[int, str, str] | None:
    """“新增主动公开政府信息中包括：” — the same subject with its number in the sentence before:
    (value, unit, that clause quoted as the list's lead), or None."""
    subject = re.sub(r"(?:中|之中|里|当中)?[：:]?$", "", head)
    if len(subject) < 2:
        return None
    pm = re.search(rf"{re.escape(subject)}(?:共计?|合计|总计|达到?|为)?(?P<num>{NUM})(?P<approx>余|多)?"
                   rf"(?P<unit>{UNITS})", prev)
    if not pm or pm.group("approx"):
        return None
    value = parse_number(pm.group("num"))
    if not isinstance(value, int):
        return None
    return value, pm.group("unit"), _clause_around(prev, pm.start(), pm.end()) + "……"


def parts_lists(text: str) -> list[PartsList]:
    """Every “total … 其中/包括 part, part, …” in ``text``."""
    return list(_parts_lists(text))


def _find_parts_lists(text: str) -> tuple[PartsList, ...]:
    """Every total with its listed parts, sentence by sentence."""
    out: list[PartsList] = []
    sents = _sentences(text)
    for i, sentence in enumerate(sents):
        prev = sents[i - 1] if i > 0 else ""
        opening = _OPENING.match(sentence).end()  # (found once: slicing up to every list word is quadratic)
        starts: list[tuple[int, int, bool]] = []  # (marker start, items start, in brackets)
        for mk in _MARKER.finditer(sentence):
            if mk.group("word") == "含" and not mk.group("open"):
                continue  # 含 introduces parts only in brackets: （含新制定5件，修改4件）
            starts.append((mk.start(), mk.end(), bool(mk.group("open"))))
        for mc in _AFTER_TOTAL_COLON.finditer(sentence):  # 共发布信息418条：通知公告390条、…
            starts.append((mc.end() - 1, mc.end(), False))
        for mstart, pos, bracket in sorted(starts):
            end = len(sentence)
            if bracket:
                close = re.search(r"[)）]", sentence[pos:])
                end = pos + close.start() if close else end
            items, approx, why = _list_items(sentence, pos, end)
            if len(items) < 2 or approx:
                continue
            # (after “共发布信息418条：” the total's clause is the one before the colon)
            stated = _total_before(sentence, mstart, prev)
            from_prev = bool(stated and stated[2])  # the total ends the sentence before (not named by subject)
            # a subject opens the sentence: the list word comes before any number or comma
            if stated is None and mstart < opening:
                stated = _subject_total(sentence[:mstart], prev)
            if stated is None:
                continue
            total, unit, total_lead = stated  # a total from the sentence before is quoted with the list
            if from_prev and len({parse_number(m.group("num")) for m in _NUMBER_ITEM.finditer(prev)
                                  if m.group("unit") == unit and not _CHANGE.search(prev[:m.start()])}) > 1:
                continue  # “……275条，……52条。其中……”: which of the figures before the list breaks down is unclear
            units = {it.unit for it in items}
            if unit not in units:
                continue
            same = sum(it.value for it in items if it.unit == unit)
            # the list word and the two characters after it: 主要包括 / 其中部分 / 其中重点有
            if not why and re.search(r"主要|部分|重点|例如|比如", sentence[mstart:pos + 2]):
                why = "写明“主要”或“部分”"
            if len(units) > 1:
                why = why or "分项单位不一"
            out.append(PartsList(sentence, total, unit, [it.value for it in items], bool(why), why,
                                 tuple(items), same, mstart, total_lead))
    return tuple(out)


#: Cached: P005 and P007 of one validation read the same sections.
_parts_lists = lru_cache(maxsize=64)(_find_parts_lists)


#: A figure right after these words is a change against last year, never a total that a
#: list could break down (较上年增加5条，全年新增……293条。其中……: the total is 293).
_CHANGE = re.compile(r"(?:增加|减少|增长|下降|上升|持平|同比|较上年度?|比上年度?)[^，,。；;\d]{0,3}$")


def _adds_up(parts: list[int], total: int) -> bool:
    """The parts add up to the total: once, or in consecutive runs that each do (a list that
    breaks the same total down twice, by applicant and then by outcome)."""
    acc = 0
    for p in parts:
        acc += p
        if acc == total:
            acc = 0
    return acc == 0


def prose_parts(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """A stated total that its listed parts do not add up to (the 370-vs-283 mistake)."""
    for section, text in _sections(report):
        for pl in _parts_lists(text):
            if _adds_up(pl.parts, pl.total):
                continue  # (also two complete breakdowns: 自然人6件，法人1件，予以公开1件，……)
            shown = pl.same_unit_sum  # the parts in the total's unit: all of them unless the units are mixed
            parts = [it.value for it in pl.items if it.unit == pl.unit]
            if pl.partial and shown <= pl.total:
                continue  # a partial list (mixed units are one) may leave parts out
            if pl.partial:
                advice = f"所列分项（{pl.why_partial}）之和已超过总数"
            elif shown < pl.total:
                advice = "如果只列举了其中一部分，请在最后一项后加“等”"
            else:
                advice = "分项之和超过总数"
            msg = rule.message.format(
                section=_heading(report, section), quote=pl.quote(), stated=format_number(pl.total),
                unit=pl.unit, parts="+".join(format_number(p) for p in parts), actual=format_number(shown),
                diff=format_number(abs(shown - pl.total)), advice=advice)
            yield _finding(rule, report, [section], msg, expected=pl.total, actual=shown)


def prose_share_lists(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """The shares written beside a list's items: each against its count and the list's
    total, and the shares of a complete list adding to 100 %."""
    for section, text in _sections(report):
        for pl in _parts_lists(text):
            shared = [it for it in pl.items if it.share is not None]
            if len(shared) < 2 or not pl.total:
                continue
            wrong = []
            for it in shared:
                actual = Decimal(it.value) * 100 / Decimal(pl.total)
                if abs(actual - it.share) > _tolerance(it.share):
                    wrong.append(f"{it.label}{it.value}{it.unit}写作 {format_number(it.share)}%，"
                                 f"按 {it.value}/{pl.total} 计算为 {format_number(actual.quantize(Decimal('0.01')))}%")
            complete = not pl.partial and sum(pl.parts) == pl.total and len(shared) == len(pl.items)
            total_share = sum(it.share for it in shared)
            slack = sum(_tolerance(it.share) for it in shared) / 2
            if complete and abs(total_share - 100) > slack and not wrong:
                wrong.append(f"各项占比之和为 {format_number(total_share)}%，不等于 100%")
            if not wrong:
                continue
            msg = rule.message.format(section=_heading(report, section), quote=pl.quote(), problems="；".join(wrong))
            yield _finding(rule, report, [section], msg, expected=100, actual=total_share)


# ---------------------------------------------------------------------------
# One figure, two values

_STATEMENT = re.compile(rf"{_AT_NUMBER}(?P<num>{NUM})(?P<approx>余|多)?(?P<unit>{UNITS})(?=$|[，,、；;。！？!?（(])")
#: The label a number ends: at least 2 characters with no number or punctuation, read
#: within the 16 characters before the number (the window in _find_statements).
_LABEL_BEFORE = re.compile(r"[^\d，,、；;：:。！？!?（）()%]{2,}$")
_FILLER = re.compile(r"^(?:[我本](?:局|委|办|单位|机关|部门)|其中|共计|共|合计|总计|全年度?|本年度?|今年|年内|此外|另外|同时|并|还|已|又|均|在|通过|"
                     r"\d{4}年度?|截至\d{1,2}月\d{1,2}日|累计)+")
_GENERIC = re.compile(r"^(?:各类|各项|相关|政府|政务|其他|有关|主动|公开|发布|信息|数据|内容|文件|稿件|条目|工作|动态)*$")
#: The channels and the units a sentence can speak for. 办 only as an office (县政府办,
#: 党政办, 办公室), never the verb (办理, 办结, 举办, 一网通办); 乡 and 村 not as the
#: topic 乡村振兴 / 农村. The reporting agency itself (我局, 本单位) is no scope.
_SCOPE_WORDS = re.compile(r"网站|微信|微博|公众号|新媒体|客户端|抖音|头条|平台|专栏|公开栏|公示栏|报纸|电视|广播|"
                          r"乡(?!村)|镇|(?<![乡农])村|社区|(?<![我本该])(?:局|委|部门|单位)|办公室|府办|党政办|综合办|本级|上级|下属")
_TWO_VALUE_BLOCK = re.compile(r"上年|上一年|去年|同比|较|比上|累计|截至|历史|增长|增加|减少|下降|其中|分别|每|平均|约|近|超过")


def _find_statements(text: str) -> tuple[tuple[str, str, str, int, frozenset[str], int], ...]:
    """(label, unit, sentence, value, scope, offset) for every “label N unit” that is a
    clause of its own; the scope is the channels and units the sentence names, so that
    网站发布信息 120 条 and 微信发布信息 80 条 are two figures."""
    out = []
    for sentence in _sentences(text):
        scope = frozenset(_SCOPE_WORDS.findall(sentence))
        for m in _STATEMENT.finditer(sentence):
            lm = _LABEL_BEFORE.search(sentence, max(0, m.start() - 16), m.start())
            if lm is None or m.group("approx") or _approx_before(sentence, m.start("num")):
                continue
            clause = _clause_around(sentence, m.start("num"), m.end())
            if _TWO_VALUE_BLOCK.search(clause) or _MARKER.search(clause):
                continue
            label = _FILLER.sub("", lm.group(0))
            if len(label) < 4 or _GENERIC.match(label):
                continue
            value = parse_number(m.group("num"))
            if not isinstance(value, int):
                continue
            out.append((label, m.group("unit"), sentence, value, scope, m.start("num")))
    return tuple(out)

#: Cached: P008 reads each section once.
_statements = lru_cache(maxsize=64)(_find_statements)


def prose_two_values(rule: Rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    """The same figure stated twice in one report with different numbers."""
    first: dict[tuple[str, str, frozenset[str]], tuple[str, str, int, int]] = {}
    reported = set()
    for section, text in _sections(report):
        for label, unit, sentence, value, scope, offset in _statements(text):
            key = (label, unit, scope)
            if key not in first:
                first[key] = (section, sentence, value, offset)
                continue
            s0, sent0, v0, offset0 = first[key]
            if v0 == value or sent0 == sentence or key in reported:
                continue
            reported.add(key)
            msg = rule.message.format(
                section=_heading(report, s0), quote=_quote(sent0, offset0), section2=_heading(report, section),
                quote2=_quote(sentence, offset), what=label, first=format_number(v0), second=format_number(value),
                unit=unit)
            yield _finding(rule, report, list(dict.fromkeys([s0, section])), msg, expected=v0, actual=value)


#: The builtin checks this module provides, by the ``check`` name the rules use.
PROSE_CHECKS = {
    "prose_applications": prose_applications,
    "prose_reviews": prose_reviews,
    "prose_documents": prose_documents,
    "prose_fees": prose_fees,
    "prose_parts": prose_parts,
    "prose_shares": prose_shares,
    "prose_share_lists": prose_share_lists,
    "prose_two_values": prose_two_values,
}

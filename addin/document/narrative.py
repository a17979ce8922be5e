"""The report as a document: title, preamble, six sections, generated sentences.

A published 年度报告 has a title (``<机关><年度>年政府信息公开工作年度报告``), a
preamble that states the basis, the 统计期限 (1月1日至12月31日) and whom to contact,
then six sections: 一 总体情况 (prose), 二 三 四 (a statutory table each, with optional
prose before it), 五 and 六 (prose).

Besides the clerk's own prose, each section may carry sentences *generated from the
tables* — 主动公开 figures (表二), applications received / carried over / answered /
carried forward with the share of each outcome (表三), reviews and lawsuits (表四),
fees, and, when last year's report is given, the change against last year. Their
numbers are read from the cells, so they cannot disagree with the tables. A cell that
is empty or “/” is never written as 0: its clause is left out.

Which sections get generated sentences is the clerk's choice
(:func:`generated_sections`); the default adds them before the three tables, and to
一、总体情况 only when the clerk has written nothing there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import InputError
from ..formats import Table
from ..model import Report
from ..values import EMPTY, NUMBER, format_number
from .numerals import percent

#: Sections that can carry generated sentences.
GENERATED_KEYS = ("s1", "s2", "s3", "s4")
#: Default: before each table; in 一 only if the clerk wrote nothing there.
DEFAULT_GENERATED = ("s2", "s3", "s4")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]{1,3}）[^。；]{1,40}$")


def clean_text(text: str | None) -> str:
    """Text safe for every output: no control characters (they break Word's XML), no lone
    surrogates, Windows line ends made plain."""
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


@dataclass
class Paragraph:
    """One paragraph. ``style``: ``body`` (indented 仿宋 text) or ``subheading`` (（一） in 楷体)."""

    text: str
    style: str = "body"
    generated: bool = False


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    table: Table | None = None


@dataclass
class Document:
    """Everything a writer needs; writers add layout, never content."""

    report: Report
    title: str
    preamble: list[Paragraph]
    sections: list[Section]

    @property
    def title_parts(self) -> list[str]:
        """The title in its two natural lines (agency and year; the fixed
        政府信息公开工作年度报告), where GB/T 9704 wants a long title broken."""
        head = self.title.removesuffix(TITLE_SUFFIX)
        return [head, TITLE_SUFFIX] if head and head != self.title else [self.title]

    def cell_text(self, key: str) -> str:
        """A table cell as published: the number, “/” as typed, empty as empty."""
        return cell_text(self.report, key)


def cell_sum(report: Report, keys) -> int | Decimal | None:
    """The sum of the cells; ``None`` if any is not a number (empty or “/” is never 0)."""
    total: int | Decimal = 0
    for key in keys:
        c = report.cell(key)
        if c.state != NUMBER:
            return None
        total += c.value
    return total


def cell_text(report: Report, key: str) -> str:
    cell = report.cell(key)
    if cell.state == NUMBER:
        return format_number(cell.value)
    if cell.state == EMPTY:
        return ""
    return clean_text(str(cell.raw)).strip()


#: The fixed end of every report's title.
TITLE_SUFFIX = "政府信息公开工作年度报告"


def document_title(report: Report) -> str:
    """``<机关><年度>年政府信息公开工作年度报告``."""
    year = f"{report.year}年" if report.year else ""
    return clean_text(f"{(report.agency or '').strip()}{year}").replace("\n", "") + TITLE_SUFFIX


def generated_sections(report: Report, choice: str | None = None) -> set[str]:
    """Which sections get generated sentences.

    ``choice`` is what the clerk chose: ``None`` for the default, ``"all"``, ``"none"``,
    or section keys such as ``"s1,s3"``.
    """
    if choice is None:
        keys = set(DEFAULT_GENERATED)
        if not (report.sections.get("s1") or "").strip():
            keys.add("s1")
        return keys
    choice = choice.strip().lower()
    if choice == "all":
        return set(GENERATED_KEYS)
    if choice in ("none", ""):
        return set()
    keys = {k.strip() for k in choice.split(",") if k.strip()}
    unknown = keys - set(GENERATED_KEYS)
    if unknown:
        raise InputError(f"无法识别的部分“{'、'.join(sorted(unknown))}”：只能为 {'、'.join(GENERATED_KEYS)}，或 all、none")
    return keys


# ---------------------------------------------------------------------------
# Sentences generated from the tables


class _Figures:
    """Read numbers from the report (and last year's) for sentences."""

    def __init__(self, report: Report, prev: Report | None):
        self.report, self.prev = report, prev

    def get(self, *keys: str, report: Report | None = None) -> int | Decimal | None:
        """The sum of the cells; ``None`` if any is not a number (never guessed as 0)."""
        return cell_sum(report or self.report, keys)

    def has(self, key: str) -> bool:
        return key in self.report.spec.cells

    def change(self, *keys: str, unit: str = "件") -> str:
        """“（较上年的 9 件增加 4 件）” against last year's report, or ``""`` when not comparable."""
        if self.prev is None or not all(k in self.prev.spec.cells for k in keys):
            return ""
        now, before = self.get(*keys), self.get(*keys, report=self.prev)
        if now is None or before is None:
            return ""
        diff = now - before
        if diff == 0:
            return f"（与上年的{format_number(before)}{unit}持平）"
        word = "增加" if diff > 0 else "减少"
        return f"（较上年的{format_number(before)}{unit}{word}{format_number(abs(diff))}{unit}）"


def _n(v: int | Decimal) -> str:
    return format_number(v)


def _t2_sentences(f: _Figures) -> list[str]:
    t2 = f.report.spec.table("t2")
    out: list[str] = []
    # 第二十条第（一）项: 规章 and 规范性文件
    verbs = {"issued": "本年制发", "repealed": "废止", "in_force": "现行有效",
             "made": "本年新制作", "published": "新公开", "total": "对外公开总数"}
    docs = []
    for row in ("rules", "normative"):
        parts = [f"{verbs[c]}{_n(v)}件" for c in verbs
                 if f.has(f"t2.{row}.{c}") and (v := f.get(f"t2.{row}.{c}")) is not None]
        if parts:
            docs.append(t2.row(row).label + "、".join(parts))
    if docs:
        out.append("；".join(docs) + "。")
    # 第二十条第（五）（六）项: 处理决定
    decisions = []
    for row in t2.rows:
        key = f"t2.{row.key}.decisions"
        if f.has(key) and (v := f.get(key)) is not None:
            decisions.append(f"{row.label}处理决定{_n(v)}件{f.change(key)}")
    if decisions:
        out.append("本年作出" + "；".join(decisions) + "。")
    # 2019: 事项数量 and their change
    items = []
    for row in t2.rows:
        p, c = f"t2.{row.key}.prev_items", f"t2.{row.key}.change"
        if f.has(p) and (pv := f.get(p)) is not None:
            cv = f.get(c)
            delta = "" if cv is None else ("，本年无增减" if cv == 0 else f"，本年{'增加' if cv > 0 else '减少'}{_n(abs(cv))}项")
            noun = row.label if row.label.endswith("事项") else f"{row.label}事项"
            items.append(f"{noun}上一年{_n(pv)}项{delta}")
    if items:
        out.append("；".join(items) + "。")
    # 第二十条第（八）项 收费金额 (2021); （九）项 政府集中采购 (2019)
    if f.has("t2.fees.amount") and (v := f.get("t2.fees.amount")) is not None:
        out.append(f"本年{t2.row('fees').label}金额{_n(v)}万元{f.change('t2.fees.amount', unit='万元')}。")
    if f.has("t2.procurement.projects"):
        n, amount = f.get("t2.procurement.projects"), f.get("t2.procurement.amount")
        parts = ([f"项目{_n(n)}个"] if n is not None else []) + ([f"总金额{_n(amount)}万元"] if amount is not None else [])
        if parts:
            out.append(f"本年{t2.row('procurement').label}" + "，".join(parts) + "。")
    return out


def outcome_groups(table: Table) -> list[tuple[str, list[str]]]:
    """表三's outcome groups as prose names them, from the row paths:
    [(“予以公开”, [granted]), (“不予公开”, [denied_secret, …]), …] — （七）总计 excluded."""
    groups: dict[str, list[str]] = {}
    for row in table.rows:
        if row.key not in table.groups.get("outcomes", ()) or len(row.path) < 2:
            continue
        name = re.sub(r"^（[一二三四五六七八九十]+）", "", row.path[1])
        name = re.sub(r"（.*?）$", "", name)
        groups.setdefault(name, []).append(row.key)
    return list(groups.items())


def _t3_sentences(f: _Figures) -> list[str]:
    t3 = f.report.spec.table("t3")
    new, carried = f.get("t3.new.total"), f.get("t3.carried.total")
    done, forward = f.get("t3.total.total"), f.get("t3.forward.total")
    out: list[str] = []
    if new == 0 and carried == 0:
        out.append("本年度未收到政府信息公开申请，也没有上年结转的申请。")
        return out
    first = []
    if new is not None:
        first.append(f"本年新收政府信息公开申请{_n(new)}件{f.change('t3.new.total')}")
    if carried is not None:
        first.append(f"上年结转{_n(carried)}件")
    if done is not None:
        first.append(f"本年度办理完结{_n(done)}件")
    if forward is not None:
        first.append(f"结转下年度继续办理{_n(forward)}件")
    if first:
        out.append("，".join(first) + "。")
    applicants = t3.groups.get("applicants", ())
    natural = f.get(f"t3.new.{applicants[0]}") if applicants else None
    legal = f.get(*(f"t3.new.{c}" for c in applicants[1:])) if len(applicants) > 1 else None
    if new and natural is not None and legal is not None:
        out.append(f"新收申请中，{t3.column(applicants[0]).label}提出{_n(natural)}件，法人或其他组织提出{_n(legal)}件。")
    if done:
        counts, shares = [], []
        for name, rows in outcome_groups(t3):
            v = f.get(*(f"t3.{r}.total" for r in rows))
            if v:
                counts.append(f"{name}{_n(v)}件")
                shares.append(percent(v, done))
        if counts:
            each = "分别占" if len(counts) > 1 else "占"
            out.append(f"在办理结果中，{'、'.join(counts)}，{each}办理结果总数的{'、'.join(shares)}。")
    return out


def _t4_sentences(f: _Figures) -> list[str]:
    t4 = f.report.spec.table("t4")
    parts = t4.groups.get("parts", ())
    review = f.get("t4.review.total")
    suit_rows = [r.key for r in t4.rows if r.key != "review"]
    suits = f.get(*(f"t4.{r}.total" for r in suit_rows))
    if review == 0 and suits == 0:
        return ["本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"]

    def outcomes(rows: list[str]) -> str:
        bits = []
        for c in parts:
            v = f.get(*(f"t4.{r}.{c}" for r in rows))
            if v:
                bits.append(f"{t4.column(c).label}{_n(v)}件")
        return ("，其中" + "、".join(bits)) if bits else ""

    out = []
    if review is not None:
        out.append(f"本年度因政府信息公开工作被申请行政复议{_n(review)}件{f.change('t4.review.total')}{outcomes(['review'])}。")
    if suits is not None:
        kinds = []
        for r in suit_rows:
            v = f.get(f"t4.{r}.total")
            if v:
                kinds.append(f"{t4.row(r).label.split('·')[-1]}{_n(v)}件")
        detail = f"（{'、'.join(kinds)}）" if kinds else ""
        out.append(f"被提起行政诉讼{_n(suits)}件{detail}"
                   f"{f.change(*(f't4.{r}.total' for r in suit_rows))}{outcomes(suit_rows)}。")
    return out


def _overview(f: _Figures) -> list[str]:
    """一、总体情况, generated: one paragraph of the year's key figures."""
    bits = []
    new, done = f.get("t3.new.total"), f.get("t3.total.total")
    if new is not None:
        bits.append(f"新收政府信息公开申请{_n(new)}件")
    if done is not None:
        bits.append(f"办理完结{_n(done)}件")
    review = f.get("t4.review.total")
    suits = f.get(*(f"t4.{r.key}.total" for r in f.report.spec.table("t4").rows if r.key != "review"))
    if review is not None:
        bits.append(f"被申请行政复议{_n(review)}件")
    if suits is not None:
        bits.append(f"被提起行政诉讼{_n(suits)}件")
    if not bits:
        return []
    year = f"{f.report.year}年" if f.report.year else "本年度"
    who = (f.report.agency or "").strip() or "本机关"
    return [f"{year}，{who}依法做好政府信息公开工作，全年" + "，".join(bits) + "。"]


_GENERATORS = {"s1": _overview, "s2": _t2_sentences, "s3": _t3_sentences, "s4": _t4_sentences}


def generated_sentences(report: Report, section: str, prev: Report | None = None) -> list[str]:
    """The sentences generated from the tables for one section (``s1``–``s4``)."""
    gen = _GENERATORS.get(section)
    return gen(_Figures(report, prev)) if gen else []


# ---------------------------------------------------------------------------
# Preamble and the clerk's prose


def preamble(report: Report) -> list[Paragraph]:
    """The standard opening: basis, the six parts, 统计期限, contact (from 基本信息)."""
    spec = report.spec
    parts = "".join(f"“{re.sub(r'^[一二三四五六]、', '', s.heading)}”" for s in spec.sections)
    text = (f"本年度报告依据《中华人民共和国政府信息公开条例》第五十条和{spec.source.split('《')[0]}规定的格式编制，"
            f"共分{parts}六个部分。")
    if report.year:
        text += f"报告中的统计数据，统计期限为{report.year}年1月1日至{report.year}年12月31日。"
    contact = [f"{label}：{clean_text(report.contact.get(k, '')).strip()}"
               for k, label in (("address", "地址"), ("postcode", "邮编"), ("phone", "电话"))
               if clean_text(report.contact.get(k, "")).strip()]
    who = (report.agency or "").strip()
    if who or contact:
        text += f"对本报告有疑问的，请与{clean_text(who) or '本机关'}联系" + (f"（{'；'.join(contact)}）" if contact else "") + "。"
    return [Paragraph(clean_text(text).replace("\n", ""))]


def prose_paragraphs(text: str, heading: str = "", variants: tuple[str, ...] = ()) -> list[Paragraph]:
    """The clerk's text as paragraphs; short “（一）…” lines become subheadings; a first
    line repeating the section heading is dropped."""
    lines = [unicodedata.normalize("NFC", ln).strip() for ln in clean_text(text).split("\n")]
    lines = [ln for ln in lines if ln]
    if lines and lines[0].rstrip("：:") in {heading, *variants}:
        lines = lines[1:]
    return [Paragraph(ln, "subheading" if _SUBHEADING.match(ln) else "body") for ln in lines]


def build_document(report: Report, prev: Report | None = None, generate: set[str] | None = None) -> Document:
    """The document for ``report``; ``generate`` = sections with generated sentences
    (default :func:`generated_sections`); ``prev`` = last year's report."""
    if generate is None:
        generate = generated_sections(report)
    spec = report.spec
    sections = []
    for s in spec.sections:
        paras = prose_paragraphs(report.sections.get(s.key, ""), s.heading, s.variants)
        if s.key in generate:
            gen = [Paragraph(t, generated=True) for t in generated_sentences(report, s.key, prev)]
            paras = gen + paras if s.key == "s1" else paras + gen
        table = spec.table(s.table) if s.table else None
        sections.append(Section(s.key, s.heading, paras, table))
    return Document(report, document_title(report), preamble(report), sections)

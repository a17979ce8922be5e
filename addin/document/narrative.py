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
from decimal import ROUND_HALF_UP, Decimal

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
    #: 署名 and 成文日期 (:func:`closing`), right-aligned after the last section.
    closing: list[str] = field(default_factory=list)

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
#
# They are written as a clerk writes them: a zero is folded into words (“未制发规章”,
# “未发生……行政复议、行政诉讼”) instead of “0件” lists; each share stands beside its
# item (“予以公开5件，占35.7%”); a change against last year is a clause of its own
# (“较上年增加4件”, “与上年持平”), counts as integers and 万元 to two decimals; at most
# one bracket at a time; the agency is named in full once (the preamble) and then
# “本机关”; only one sentence of a section opens with the year.


#: How a clerk refers to the agency after naming it: 我局, 本委, 我办, 本单位 … always;
#: 我县/我镇/我街道 … only in a government's (人民政府, 办事处) own report, where they
#: mean the agency and not the area.
_SHORT_AGENCY = re.compile(r"[我本](?:局|委|办|厅|院|署|中心|单位|所|站|队|会)(?![长主任])")
_SHORT_GOVERNMENT = re.compile(r"我(?:镇|乡|街道|县|区|市|州|旗|盟)")
#: A sentence that opens with the year (“2025年，” “本年度，” …).
YEAR_OPENER = re.compile(r"^(?:\d{4}年|本年度|本年|今年|全年|一年来)")


def agency_short_name(report: Report) -> str:
    """What the clerk's own text calls the agency (its most frequent short form), else
    “本机关” — so generated sentences and the clerk's prose name it the same way."""
    text = "".join(report.sections.get(k) or "" for k in ("s1", "s5", "s6", "s2", "s3", "s4"))
    found = _SHORT_AGENCY.findall(text)
    if re.search(r"(?:人民政府|政府|办事处)$", (report.agency or "").strip()):
        found += _SHORT_GOVERNMENT.findall(text)
    if not found:
        return "本机关"
    return max(dict.fromkeys(found), key=found.count)


class _Figures:
    """Read numbers from the report (and last year's) for sentences."""

    def __init__(self, report: Report, prev: Report | None):
        self.report, self.prev = report, prev
        self.who = agency_short_name(report)

    def get(self, *keys: str, report: Report | None = None) -> int | Decimal | None:
        """The sum of the cells; ``None`` if any is not a number (never guessed as 0)."""
        return cell_sum(report or self.report, keys)

    def has(self, key: str) -> bool:
        return key in self.report.spec.cells

    def change(self, *keys: str, unit: str = "件") -> str:
        """“较上年增加4件” / “较上年减少0.12万元” / “与上年持平” against last year's report,
        or ``""`` when there is no last year or a cell is not comparable."""
        if self.prev is None or not all(k in self.prev.spec.cells for k in keys):
            return ""
        now, before = self.get(*keys), self.get(*keys, report=self.prev)
        if now is None or before is None:
            return ""
        fmt = money if unit == "万元" else _n
        diff = now - before
        if fmt(abs(diff)) in ("0", "0.00"):
            return "与上年持平"
        return f"较上年{'增加' if diff > 0 else '减少'}{fmt(abs(diff))}{unit}"


def _n(v: int | Decimal) -> str:
    return format_number(v)


def money(v: int | Decimal) -> str:
    """An amount in 万元 as prose gives it: at most two decimals (12.271333 → 12.27, 36.5 → 36.5)."""
    q = Decimal(v).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format(q.normalize(), "f") if q else "0"


def _with(text: str, change: str) -> str:
    """``text`` followed by its change clause, if any."""
    return f"{text}，{change}" if change else text


def _join(items: list[str]) -> str:
    """“甲、乙和丙”."""
    return items[0] if len(items) == 1 else "、".join(items[:-1]) + "和" + items[-1]


def _t2_documents(f: _Figures, t2: Table) -> str:
    """规章 and 规范性文件 (第二十条第（一）项): what was made/issued, repealed, in force."""
    if f.has("t2.rules.issued"):
        acts, stock, stock_word, stock_none = (("issued", "制发"), ("repealed", "废止")), "in_force", "现行有效", "现行有效"
    else:
        acts, stock, stock_word, stock_none = (("made", "新制作"), ("published", "新公开")), "total", "对外公开总数", "对外公开"
    clauses, none = [], []
    for row in ("rules", "normative"):
        label = t2.row(row).label
        done = [(word, v) for col, word in acts if (v := f.get(f"t2.{row}.{col}")) is not None]
        held = f.get(f"t2.{row}.{stock}")
        if not done and held is None:
            continue
        if done and not any(v for _, v in done) and not held:
            none.append((label, "、".join(w for w, _ in done), held is not None))
            continue
        active = [f"{w}{_n(v)}件" for w, v in done if v]
        idle = [w for w, v in done if not v]
        clause = label + "、".join(active) if active else f"未{'、'.join(idle)}{label}"
        if active and idle:
            clause += f"，未{'、'.join(idle)}"
        if held is not None:
            clause += f"，{stock_word}{_n(held)}件" if held else f"，无{stock_none}的{label}"
        clauses.append(clause)
    if none:
        words = {w for _, w, _ in none}
        labels = [label for label, _, _ in none]
        if len(words) == 1:
            clause = f"未{words.pop()}{_join(labels)}"
        else:
            clause = "，".join(f"未{w}{label}" for label, w, _ in none)
        if any(h for _, _, h in none):
            clause += f"，亦无{stock_none}的{_join([label for label, _, h in none if h])}"
        clauses.append(clause)
    return "本年" + "；".join(clauses) + "。" if clauses else ""


def _t2_decisions(f: _Figures, t2: Table) -> str:
    """行政许可、处罚、强制 decisions (2021: 本年处理决定数量)."""
    made, none = [], []
    for row in ("license", "penalty", "coercion"):
        key = f"t2.{row}.decisions"
        if not f.has(key) or (v := f.get(key)) is None:
            continue
        label = t2.row(row).label
        if v:
            made.append(_with(f"{label}决定{_n(v)}件", f.change(key)))
        else:
            change = f.change(key)
            none.append((label, "" if change in ("", "与上年持平") else change))
    out = []
    if made:
        out.append("作出" + ("；" if any("，" in m for m in made) else "、").join(made))
    if none:
        out.append("未作出" + _join([label for label, _ in none]) + "决定"
                   + "".join(f"，{label}决定{c}" for label, c in none if c))
    return "；".join(out) + "。" if out else ""


def _t2_items_2019(f: _Figures, t2: Table) -> str:
    """2019: 事项 of 许可、服务、处罚、强制、收费 — last year's number, this year's 增/减, decisions."""
    clauses, none = [], []
    for row in ("license", "other_services", "penalty", "coercion", "fees"):
        if not f.has(f"t2.{row}.prev_items"):
            continue
        label = t2.row(row).label
        noun = label if label.endswith("事项") else f"{label}事项"
        items, change = f.get(f"t2.{row}.prev_items"), f.get(f"t2.{row}.change")
        decisions = f.get(f"t2.{row}.decisions") if f.has(f"t2.{row}.decisions") else None
        if items is None and change is None and decisions is None:
            continue
        if not items and not change and not decisions:
            none.append(noun if items is not None or change is not None else None)
            continue
        bits = []
        if items:
            bits.append(f"上年{_n(items)}项")
        if change is not None and (items or change):
            bits.append("本年无增减" if change == 0 else f"本年{'新增' if change > 0 else '减少'}{_n(abs(change))}项")
        if decisions is not None:
            bits.append(_with(f"作出处理决定{_n(decisions)}件", f.change(f"t2.{row}.decisions"))
                        if decisions else "未作出处理决定")
        clauses.append(noun + "，".join(bits))
    none = [n for n in none if n]
    if none:
        clauses.append(f"无{_join([n.removesuffix('事项') for n in none])}事项")
    return "；".join(clauses) + "。" if clauses else ""


def _t2_sentences(f: _Figures) -> list[str]:
    t2 = f.report.spec.table("t2")
    out = [_t2_documents(f, t2)]
    # 2019 states decisions beside each 事项 row; 2021 has them alone
    out.append(_t2_items_2019(f, t2) if f.has("t2.license.prev_items") else _t2_decisions(f, t2))
    # 第二十条第（八）项 收费金额 (2021); （九）项 政府集中采购 (2019)
    if f.has("t2.fees.amount") and (v := f.get("t2.fees.amount")) is not None:
        change = f.change("t2.fees.amount", unit="万元")
        label = t2.row("fees").label
        out.append((_with(f"收取{label}{money(v)}万元", change) if v else
                    _with(f"未收取{label}", change if change != "与上年持平" else "")) + "。")
    if f.has("t2.procurement.projects"):
        n, amount = f.get("t2.procurement.projects"), f.get("t2.procurement.amount")
        label = t2.row("procurement").label
        if not n and not amount and (n is not None or amount is not None):
            out.append(f"未开展{label}。")
        else:
            parts = ([f"项目{_n(n)}个"] if n else []) + ([f"总金额{money(amount)}万元"] if amount else [])
            if parts:
                out.append(f"{label}" + "，".join(parts) + "。")
    return [s for s in out if s]


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
    if new == 0 and carried == 0:
        change = f.change("t3.new.total")
        tail = f"，{change}" if change and change != "与上年持平" else ""
        return [f"本年度未收到政府信息公开申请，也没有上年结转的申请{tail}。"]
    first = []
    if new is not None:
        first.append(_with(f"本年新收政府信息公开申请{_n(new)}件", f.change("t3.new.total"))
                     if new else "本年未收到新的政府信息公开申请")
    if carried is not None:
        first.append(f"上年结转{_n(carried)}件" if carried else "无上年结转的申请")
    second = []
    if done is not None:
        second.append(f"办理完结{_n(done)}件" if done else "尚无办理完结的申请")
    if forward is not None:
        second.append(f"结转下年度继续办理{_n(forward)}件" if forward else "无结转下年度办理的申请")
    out = ["；".join(x for x in ("；".join(first) if "较上年" in "".join(first) else "，".join(first),
                                 "，".join(second)) if x) + "。"] if first or second else []
    applicants = t3.groups.get("applicants", ())
    natural = f.get(f"t3.new.{applicants[0]}") if applicants else None
    legal = f.get(*(f"t3.new.{c}" for c in applicants[1:])) if len(applicants) > 1 else None
    if new and natural is not None and legal is not None:
        person = t3.column(applicants[0]).label
        if not legal:
            out.append(f"新收申请均由{person}提出。")
        elif not natural:
            out.append("新收申请均由法人或其他组织提出。")
        else:
            out.append(f"新收申请中，{person}提出{_n(natural)}件，法人或其他组织提出{_n(legal)}件。")
    if done:
        shares = []
        for name, rows in outcome_groups(t3):
            v = f.get(*(f"t3.{r}.total" for r in rows))
            if v:
                shares.append(f"{name}{_n(v)}件，占{percent(v, done)}")
        if shares:
            out.append("从办理结果看，" + "；".join(shares) + "。")
    return out


#: 表四's result columns as a sentence names them (“其中其他结果24件” reads badly).
_T4_OUTCOME = {"upheld": "结果维持", "corrected": "结果纠正", "other": "以其他结果审结", "pending": "尚未审结"}


def _t4_sentences(f: _Figures) -> list[str]:
    t4 = f.report.spec.table("t4")
    parts = t4.groups.get("parts", ())
    review = f.get("t4.review.total")
    suit_rows = [r.key for r in t4.rows if r.key != "review"]
    suit_keys = [f"t4.{r}.total" for r in suit_rows]
    suits = f.get(*suit_keys)
    if review == 0 and suits == 0:
        changes = [c for c in (f.change("t4.review.total"), f.change(*suit_keys)) if c and c != "与上年持平"]
        tail = "（上年" + "、".join(
            f"{w}{_n(v)}件" for w, keys in (("被申请行政复议", ["t4.review.total"]), ("被提起行政诉讼", suit_keys))
            if (v := f.get(*keys, report=f.prev))) + "）" if changes else ""
        return [f"本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况{tail}。"]

    def outcomes(rows: list[str]) -> str:
        bits = []
        for c in parts:
            v = f.get(*(f"t4.{r}.{c}" for r in rows))
            if v:
                bits.append(f"{_T4_OUTCOME.get(c, t4.column(c).label)}{_n(v)}件")
        return ("其中" + "、".join(bits)) if bits else ""

    out = []
    if review is not None:
        if review:
            text = _with(f"本年度因政府信息公开工作被申请行政复议{_n(review)}件", f.change("t4.review.total"))
            detail = outcomes(["review"])
            out.append(text + (f"；{detail}" if detail and "，" in text else f"，{detail}" if detail else "") + "。")
        else:
            out.append("本年度未因政府信息公开工作被申请行政复议。")
    if suits is not None:
        opener = "" if out else "本年度因政府信息公开工作"
        if suits:
            kinds = [(t4.row(r).short, v) for r in suit_rows if (v := f.get(f"t4.{r}.total"))]
            if len(kinds) == 1:
                text = f"{opener}被提起行政诉讼{_n(suits)}件，{'均为' if suits > 1 else '为'}{kinds[0][0]}"
            else:
                text = f"{opener}被提起行政诉讼{_n(suits)}件（" + "、".join(f"{k}{_n(v)}件" for k, v in kinds) + "）"
            text = _with(text, f.change(*suit_keys))
            detail = outcomes(suit_rows)
            out.append(text + (f"；{detail}" if detail else "") + "。")
        else:
            out.append(f"{opener}未被提起行政诉讼。")
    return out


def _overview(f: _Figures) -> list[str]:
    """一、总体情况, generated: one paragraph of the year's key figures."""
    new, done = f.get("t3.new.total"), f.get("t3.total.total")
    review = f.get("t4.review.total")
    suits = f.get(*(f"t4.{r.key}.total" for r in f.report.spec.table("t4").rows if r.key != "review"))
    bits = []
    if new:
        bits.append(f"新收政府信息公开申请{_n(new)}件" + (f"、办理完结{_n(done)}件" if done else ""))
    elif done:
        bits.append(f"{'未收到新的政府信息公开申请，' if new == 0 else ''}办理完结政府信息公开申请{_n(done)}件")
    elif new == 0:
        bits.append("未收到政府信息公开申请")
    if review == 0 and suits == 0:
        bits.append("未发生政府信息公开行政复议、行政诉讼")
    else:
        legal = [x for x in (f"被申请行政复议{_n(review)}件" if review else "",
                             f"被提起行政诉讼{_n(suits)}件" if suits else "") if x]
        if legal:
            bits.append("、".join(legal))
    if not bits:
        return []
    # before the clerk's own 总体情况: if that opens with the year, the year is not said twice
    clerk = prose_paragraphs(f.report.sections.get("s1") or "")
    opener = "" if clerk and YEAR_OPENER.match(clerk[0].text) else (
        f"{f.report.year}年，" if f.report.year else "本年度，")
    return [f"{opener}{f.who}依法做好政府信息公开工作，全年" + "，".join(bits) + "。"]


_GENERATORS = {"s1": _overview, "s2": _t2_sentences, "s3": _t3_sentences, "s4": _t4_sentences}


def generated_sentences(report: Report, section: str, prev: Report | None = None) -> list[str]:
    """The sentences generated from the tables for one section (``s1``–``s4``)."""
    gen = _GENERATORS.get(section)
    return gen(_Figures(report, prev)) if gen else []


# ---------------------------------------------------------------------------
# Preamble and the clerk's prose


def preamble(report: Report) -> list[Paragraph]:
    """The standard opening: who compiled it on which basis, the six parts, 统计期限,
    contact (from 基本信息). The agency is named in full here, once; generated sentences
    after it say “本机关”."""
    spec = report.spec
    parts = "".join(f"“{re.sub(r'^[一二三四五六]、', '', s.heading)}”" for s in spec.sections)
    who = clean_text(report.agency).replace("\n", "").strip()
    text = (f"本年度报告{f'由{who}' if who else ''}依据《中华人民共和国政府信息公开条例》第五十条和"
            f"{spec.source.split('《')[0]}规定的格式编制，共分{parts}六个部分。")
    if report.year:
        text += f"报告中的统计数据，统计期限为{report.year}年1月1日至{report.year}年12月31日。"
    contact = [f"{label}：{clean_text(report.contact.get(k, '')).strip()}"
               for k, label in (("address", "地址"), ("postcode", "邮编"), ("phone", "电话"))
               if clean_text(report.contact.get(k, "")).strip()]
    if who or contact:
        text += f"对本报告有疑问的，请与{agency_short_name(report)}联系" + (f"（{'；'.join(contact)}）" if contact else "") + "。"
    return [Paragraph(clean_text(text).replace("\n", ""))]


def closing(report: Report) -> list[str]:
    """The closing block of GB/T 9704 (7.3.5): the signer (发文机关署名, 基本信息's 署名 or
    else the agency) and the date (成文日期, as typed, e.g. 2026年1月20日). Empty parts are
    left out; an empty list when neither is known."""
    signer = clean_text(report.signer or report.agency).replace("\n", "").strip()
    date = clean_text(report.signing_date).replace("\n", "").strip()
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?", date):  # a date typed as a date
        date = f"{m[1]}年{int(m[2])}月{int(m[3])}日"
    return [x for x in (signer, date) if x]


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
    return Document(report, document_title(report), preamble(report), sections, closing(report))

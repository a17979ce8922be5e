"""Generated sentences over random reports read as a clerk writes them.

Reports of every shape — all zero, sparse (most cells 0, some left empty), large,
both formats, with and without last year's report — and for each the generated text
must hold: no “0件” figures or “0件、” lists (zeros are folded into words), never two
brackets back to back, no number with more than two decimals, no repeated year opener,
every share standing beside its item and equal to the table within rounding, and every
number traceable to the cells (or a sum of cells, or a difference against last year).
"""

import random
import re
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

import pytest

from addin.document.narrative import build_document, generated_sentences, money, outcome_groups
from addin.document.numerals import percent
from addin.examples import AGENCY, example_values, random_values
from addin.formats import FORMATS, load_format
from addin.model import Report

SECTIONS = ("s1", "s2", "s3", "s4")
SHAPES = ("zero", "sparse", "random", "large")
YEAR_OPENER = re.compile(r"^(?:\d{4}年|本年度|本年|全年)")


def _values(fmt: str, shape: str, rng: random.Random) -> dict:
    if shape == "zero":
        return {k: 0 for k in example_values(fmt)}
    values = random_values(fmt, rng, scale={"sparse": 3, "random": 30, "large": 50_000}[shape])
    if shape == "sparse":
        for key in rng.sample(sorted(values), len(values) // 6):
            values[key] = rng.choice(["", "/", 0])
    return values


def _report(fmt: str, shape: str, rng: random.Random, year: int) -> Report:
    return Report.from_values(fmt, _values(fmt, shape, rng), year=year, agency=AGENCY)


def cases():
    rng = random.Random(20261201)
    out = []
    for fmt in FORMATS:
        year = 2025 if fmt == "2021" else 2020
        for shape in SHAPES:
            for i in range(12):
                now = _report(fmt, shape, rng, year)
                prev = None
                if i % 2:  # last year in the same format, or (2021) a 2019-format year
                    prev_fmt = fmt if fmt == "2019" or i % 4 == 1 else "2019"
                    prev = _report(prev_fmt, rng.choice(SHAPES), rng, year - 1 if prev_fmt == fmt else 2020)
                out.append(pytest.param(now, prev, id=f"{fmt}-{shape}-{i}{'-prev' if prev else ''}"))
    return out


def _sentences(report, prev):
    return {s: generated_sentences(report, s, prev) for s in SECTIONS}


def _strings(v) -> set[str]:
    d = abs(Decimal(v))  # a signed 本年增/减 is stated as 新增/减少 and its size
    return {format(d.normalize(), "f") if d else "0", money(d), str(int(d)) if d == int(d) else ""} - {""}


def _allowed(report: Report, prev: Report | None) -> set[str]:
    """Every figure a sentence may state: cells, the sums prose makes of them (legal
    persons, outcome groups, lawsuits), last year's, and the differences."""
    def figures(r: Report) -> dict[tuple, Decimal]:
        spec = r.spec
        out = {(k,): c.value for k, c in r.cells.items() if c.is_number}
        t3, t4 = spec.table("t3"), spec.table("t4")
        groups = [[f"t3.new.{c}" for c in t3.groups["applicants"][1:]]]
        groups += [[f"t3.{row}.total" for row in rows] for _, rows in outcome_groups(t3)]
        suits = [r_.key for r_ in t4.rows if r_.key != "review"]
        groups += [[f"t4.{row}.{c}" for row in suits] for c in [*t4.groups["parts"], "total"]]
        for keys in groups:
            if all(r.number(k) is not None for k in keys):
                out[tuple(keys)] = sum(r.number(k) for k in keys)
        return out

    now = figures(report)
    allowed = set().union(*(_strings(v) for v in now.values()))
    if prev is not None:
        before = figures(prev)
        allowed |= set().union(set(), *(_strings(v) for v in before.values()))
        for keys in now.keys() & before.keys():
            allowed |= _strings(abs(now[keys] - before[keys]))
    return allowed


@pytest.mark.parametrize("report, prev", cases())
def test_generated_sentences_read_as_a_clerk_writes_them(report, prev):
    by_section = _sentences(report, prev)
    text = "".join("".join(v) for v in by_section.values())
    where = f"\n{text}"
    # zeros folded: no “0件、” list, no zero figure at all
    assert not re.search(r"(?<![\d.])0(?:件|项|个|万元)", text), where
    assert "处理决定" not in text.replace("作出处理决定", "").replace("未作出处理决定", ""), where
    # one bracket at a time
    assert "）（" not in text, where
    for sentence in re.split(r"[。；]", text):
        assert sentence.count("（") <= 1, sentence
    # sensible precision
    assert not re.search(r"\d+\.\d{3,}", text), where
    # no repeated year opener: at most one per section, never two sentences running
    for key, sentences in by_section.items():
        openers = [s for s in sentences if YEAR_OPENER.match(s)]
        assert len(openers) <= 1, (key, sentences)
    assert len(re.findall(r"(?:^|。)\d{4}年，", text)) <= 1, where
    # every share beside its item, equal to the table within rounding
    done = report.number("t3.total.total")
    groups = dict(outcome_groups(report.spec.table("t3")))
    shares = re.findall(r"([^，；。]+?)(\d+)件，占([\d.]+)%", text)
    assert len(shares) == text.count("%"), where
    for name, count, share in shares:
        name = name.removeprefix("从办理结果看，")
        assert name in groups, (name, where)
        table = sum(report.number(f"t3.{row}.total") for row in groups[name])
        assert Decimal(count) == table
        exact = Decimal(count) * 100 / Decimal(done)
        assert abs(Decimal(share) - exact) <= Decimal("0.05"), (share, exact)
    # every number traceable to the cells
    allowed = _allowed(report, prev)
    for m in re.finditer(r"\d+(?:\.\d+)?(?![\d.]*(?:年|%|月|日))", text):
        if report.year and m.group() == str(report.year):
            continue
        assert m.group() in allowed, (m.group(), text[max(0, m.start() - 20):m.end() + 5])


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_agency_is_named_in_full_once_then_本机关(fmt):
    rng = random.Random(7)
    report = _report(fmt, "random", rng, 2025 if fmt == "2021" else 2020)
    report.sections = {}
    doc = build_document(report, generate=set(SECTIONS))
    body = "".join(p.text for p in doc.preamble) + "".join(p.text for s in doc.sections for p in s.paragraphs)
    assert body.count(AGENCY) == 1
    assert "本机关" in "".join(p.text for s in doc.sections for p in s.paragraphs if p.generated)
    assert "我局" not in body


def test_the_checks_above_fire_on_machine_prose():
    """The checks are not vacuous: the sentences the issue quotes fail them."""
    bad = ["规章本年制发0件、废止0件、现行有效0件", "减少12.271333万元",
           "（未经复议直接起诉5件、复议后起诉2件）（较上年的1件增加6件）"]
    assert re.search(r"(?<![\d.])0(?:件|项|个|万元)", bad[0])
    assert re.search(r"\d+\.\d{3,}", bad[1])
    assert "）（" in bad[2]
    assert percent(4, 13) == "30.8%"


def test_generated_sentences_pass_the_prose_checks_when_pasted_as_the_clerks_text():
    """What the generator writes, the prose checks (P001–P006) read back without a finding."""
    from addin.examples import random_report
    from addin.ruleset import load_rules
    from addin.validate import validate

    rules, rng = load_rules(), random.Random(5)
    for i in range(40):
        r = random_report(FORMATS[i % 2], rng)
        r.sections = {key: "".join(generated_sentences(r, key)) for key in SECTIONS}
        findings = [f for f in validate(r, rules) if f.rule.startswith("P")]
        assert findings == [], (r.sections, [f.message for f in findings])

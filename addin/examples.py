"""Built-in example reports: a consistent one for the demo and the tests, and a
generator of random consistent reports for property tests and benchmarks.

The agency, the prose and the numbers are invented; nothing here is copied from a
real published report.
"""

from __future__ import annotations

import random
from decimal import Decimal

from .formats import load_format
from .model import Report

AGENCY = "示例市示例区数据资源管理局"
CONTACT = {"address": "示例市示例区政务服务中心北楼三层", "postcode": "100000", "phone": "010-00000000"}

SECTIONS_2021 = {
    "s1": (
        "本年度，我局坚持以公开为常态、不公开为例外，围绕主动公开、依申请公开、政府信息管理、"
        "政府信息公开平台建设和监督保障五个方面推进政府信息公开工作。\n"
        "（一）主动公开\n全年通过门户网站主动公开政府信息 126 条，其中机构职能 6 条、政策文件 18 条、"
        "政策解读 12 条、财政预决算 8 条、工作动态 82 条。\n"
        "（二）依申请公开\n本年新收政府信息公开申请 13 件，上年结转 2 件，已办结 14 件，结转下年度继续办理 1 件。\n"
        "（三）政府信息管理\n建立公文公开属性源头认定机制，对拟公开文件逐件审查。\n"
        "（四）政府信息公开平台建设\n优化门户网站政府信息公开专栏，完善检索功能。\n"
        "（五）监督保障\n将政务公开纳入年度绩效考核，全年开展业务培训 2 次。"
    ),
    "s5": (
        "存在的主要问题：一是政策解读形式较为单一；二是依申请公开答复文书的规范性有待提高。"
        "改进措施：一是丰富图解、视频等解读形式；二是开展答复文书交叉评查。"
    ),
    "s6": "本年度未收取信息处理费。无其他需要报告的事项。",
}

SECTIONS_2019 = {
    **SECTIONS_2021,
    "s6": "本年度未收取政府信息公开相关费用。无其他需要报告的事项。",
}

#: The example's 表三, by row: six applicant columns (自然人 … 其他); 总计 is derived.
_T3_ROWS = {
    "new": [9, 2, 0, 0, 1, 1],
    "carried": [2, 0, 0, 0, 0, 0],
    "granted": [4, 1, 0, 0, 0, 0],
    "partial": [2, 0, 0, 0, 1, 0],
    "denied_third_party": [1, 0, 0, 0, 0, 0],
    "unable_none": [2, 1, 0, 0, 0, 0],
    "rejected_petition": [1, 0, 0, 0, 0, 0],
    "forward": [1, 0, 0, 0, 0, 0],
}
_T3_OTHER_2021 = {"other_misc": [0, 0, 0, 0, 0, 1]}
_T3_OTHER_2019 = {"other": [0, 0, 0, 0, 0, 1]}
_T4 = {"review": [1, 0, 0, 1], "suit_direct": [0, 1, 0, 0], "suit_after_review": [0, 0, 0, 0]}


def _fill_derived(fmt_key: str, values: dict) -> dict:
    """Set every total the rules define (表三 总计 row and column, 表四 总计) from its parts."""
    from .ruleset import computed_cells

    computed = computed_cells(fmt_key)
    # Column totals first (they feed the 总计 row's total), then the row totals.
    for _ in range(2):
        for total, parts in computed.items():
            values[total] = sum(values.get(p, 0) for p in parts)
    return values


def example_values(fmt_key: str = "2021") -> dict:
    """The values of the built-in example: every cell filled, every rule satisfied."""
    fmt = load_format(fmt_key)
    t3 = fmt.table("t3")
    values: dict = {k: 0 for k in fmt.keys}
    rows = {**_T3_ROWS, **(_T3_OTHER_2021 if fmt_key == "2021" else _T3_OTHER_2019)}
    for row, nums in rows.items():
        for col, n in zip(t3.groups["applicants"], nums):
            values[f"t3.{row}.{col}"] = n
    for row, nums in _T4.items():
        for col, n in zip(("upheld", "corrected", "other", "pending"), nums):
            values[f"t4.{row}.{col}"] = n
    if fmt_key == "2021":
        values.update({
            "t2.rules.issued": 0, "t2.rules.repealed": 0, "t2.rules.in_force": 0,
            "t2.normative.issued": 3, "t2.normative.repealed": 1, "t2.normative.in_force": 17,
            "t2.license.decisions": 245, "t2.penalty.decisions": 12, "t2.coercion.decisions": 0,
            "t2.fees.amount": Decimal("0.35"),
        })
    else:
        values.update({
            "t2.rules.made": 0, "t2.rules.published": 0, "t2.rules.total": 0,
            "t2.normative.made": 3, "t2.normative.published": 3, "t2.normative.total": 17,
            "t2.license.prev_items": 40, "t2.license.change": 2, "t2.license.decisions": 245,
            "t2.other_services.prev_items": 12, "t2.other_services.change": -1, "t2.other_services.decisions": 30,
            "t2.penalty.prev_items": 60, "t2.penalty.change": 0, "t2.penalty.decisions": 12,
            "t2.coercion.prev_items": 5, "t2.coercion.change": 0, "t2.coercion.decisions": 0,
            "t2.fees.prev_items": 2, "t2.fees.change": 0,
            "t2.procurement.projects": 4, "t2.procurement.amount": Decimal("36.5"),
        })
    return _fill_derived(fmt_key, values)


def example_report(fmt_key: str = "2021", year: int | None = None) -> Report:
    """A complete, consistent report: validating it finds no error and no warning."""
    year = year or (2025 if fmt_key == "2021" else 2020)
    sections = SECTIONS_2021 if fmt_key == "2021" else SECTIONS_2019
    return Report.from_values(fmt_key, example_values(fmt_key), year=year, agency=AGENCY, contact=CONTACT,
                              sections=sections, source="示例")


def demo_mistakes(values: dict) -> dict:
    """The demo's deliberate mistakes, one of each common kind:

    * 表三 自然人 column: 本年新收 typed one too many (breaks 一 + 二 = 三（七）+ 四);
    * 表四 行政复议 总计 typed over the formula (breaks 总计 = 四项之和);
    * 表二 a count left as “/”;
    * 表三 a number typed as text with full-width digits.
    """
    v = dict(values)
    v["t3.new.natural"] = v["t3.new.natural"] + 1
    v["t4.review.total"] = v["t4.review.total"] + 1
    first_t2 = next(k for k in v if k.startswith("t2."))
    v[first_t2] = "/"
    v["t3.granted.commercial"] = "１"
    return v


def random_values(fmt_key: str, rng: random.Random, scale: int = 30) -> dict:
    """Random values that satisfy every arithmetic rule of the format."""
    fmt = load_format(fmt_key)
    t3 = fmt.table("t3")
    v: dict = {}
    for cs in fmt.cells.values():
        kind = cs.kind
        if kind == "count":
            v[cs.key] = rng.choice([0, 0, rng.randint(0, scale)])
        elif kind == "signed_count":
            v[cs.key] = rng.randint(-scale, scale)
        else:
            v[cs.key] = Decimal(rng.randint(0, 10**6)) / Decimal(10**4)
    outcomes = t3.groups["outcomes"]
    rare = {"other", "other_misc"}
    for col in t3.groups["applicants"]:
        for row in outcomes:
            if row in rare:  # （六）其他 is for rare cases: at most one, in one column (T304/T305)
                v[f"t3.{row}.{col}"] = rng.randint(0, 1) if col == "natural" else 0
            else:
                v[f"t3.{row}.{col}"] = rng.choice([0, rng.randint(0, scale)])
        done = sum(v[f"t3.{row}.{col}"] for row in outcomes)
        forward = rng.randint(0, 3)
        carried = rng.randint(0, min(done + forward, 5))
        v[f"t3.forward.{col}"] = forward
        v[f"t3.carried.{col}"] = carried
        v[f"t3.new.{col}"] = done + forward - carried
    v = _fill_derived(fmt_key, v)
    # 表四 without any application is flagged (T402): keep at least one application.
    if v["t3.new.total"] + v["t3.carried.total"] == 0:
        v["t3.new.natural"] = v["t3.granted.natural"] = 1
        v = _fill_derived(fmt_key, v)
    return v


def random_report(fmt_key: str, rng: random.Random, year: int | None = None) -> Report:
    year = year or (rng.randint(2021, 2025) if fmt_key == "2021" else rng.randint(2019, 2020))
    sections = SECTIONS_2021 if fmt_key == "2021" else SECTIONS_2019
    return Report.from_values(fmt_key, random_values(fmt_key, rng), year=year, agency=AGENCY, contact=CONTACT,
                              sections=sections)

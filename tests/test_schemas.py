"""JSON Schemas: the committed report schemas equal fresh output from the format
definitions, and they accept exactly what the model means."""

import json

import pytest

from addin.examples import example_report
from addin.formats import FORMATS, load_format
from addin.resources import rules_dir
from addin.schemas import report_schema, validator


@pytest.mark.parametrize("fmt", FORMATS)
def test_committed_report_schema_is_generated_from_the_format(fmt):
    committed = json.loads((rules_dir() / "schemas" / f"report-{fmt}.schema.json").read_text(encoding="utf-8"))
    assert committed == report_schema(fmt), "run `python -m addin.schemas` and commit the result"


@pytest.mark.parametrize("fmt", FORMATS)
def test_schema_keys_are_the_format_keys(fmt):
    schema = report_schema(fmt)
    assert list(schema["properties"]["values"]["properties"]) == load_format(fmt).keys
    assert schema["properties"]["values"]["additionalProperties"] is False


@pytest.mark.parametrize("fmt", FORMATS)
def test_example_report_json_is_valid(fmt):
    doc = example_report(fmt).to_json()
    errors = list(validator(f"report-{fmt}.schema.json").iter_errors(doc))
    assert errors == []


@pytest.mark.parametrize("value,ok", [
    (5, True), (0, True), (-1, False), (1.5, False), ("", True), ("/", True), ("增15", True), (" 0", True),
    ("152790元", True), ("abc", False), (True, False), (None, False),
])
def test_count_cell_schema(value, ok):
    doc = {"format": "2021", "year": 2023, "agency": "某局", "values": {"t3.new.natural": value}}
    assert (list(validator("report-2021.schema.json").iter_errors(doc)) == []) is ok


def test_signed_and_decimal_kinds():
    v19 = validator("report-2019.schema.json")
    base = {"format": "2019", "year": 2020, "agency": "某局"}
    assert not list(v19.iter_errors({**base, "values": {"t2.license.change": -3}}))
    assert list(v19.iter_errors({**base, "values": {"t2.license.decisions": -3}}))
    v21 = validator("report-2021.schema.json")
    assert not list(v21.iter_errors({"format": "2021", "year": 2023, "agency": "x", "values": {"t2.fees.amount": 0.35}}))


def test_unknown_and_other_format_keys_are_rejected():
    doc = {"format": "2021", "year": 2023, "agency": "某局", "values": {"t2.procurement.amount": 1}}
    assert list(validator("report-2021.schema.json").iter_errors(doc))


def test_rule_files_are_checked_by_their_schema():
    v = validator("ruleset.schema.json")
    for path in (rules_dir() / "rulesets").glob("*.json"):
        assert list(v.iter_errors(json.loads(path.read_text(encoding="utf-8")))) == [], path.name
    bad = {"rules": [{"id": "X1", "name": "Bad Name", "severity": "fatal"}]}
    assert len(list(v.iter_errors(bad))) >= 2


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from addin.schemas import PUBLISHED_NUMBER  # noqa: E402
from addin.values import NUMBER, parse_value  # noqa: E402

_published = st.one_of(
    st.integers(0, 10**7).map(str),
    st.integers(0, 10**7).map(lambda n: f"{n:,}"),
    st.integers(0, 999).map(lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n))),
    st.tuples(st.sampled_from(["增", "减", "+", "-"]), st.integers(0, 99)).map(lambda t: f"{t[0]}{t[1]}"),
    st.tuples(st.integers(0, 10**6), st.sampled_from(["元", "万元"])).map(lambda t: f"{t[0]}{t[1]}"),
    st.tuples(st.integers(0, 9), st.integers(0, 9)).map(lambda t: f"+({t[0]}) -({t[1]})"),
)


@settings(max_examples=300, deadline=None)
@given(_published, st.sampled_from(["", " ", "\u3000"]), st.sampled_from(["", " ", "\u3000"]))
def test_schema_published_pattern_and_value_parser_agree(text, left, right):
    import re

    raw = f"{left}{text}{right}"
    assert re.match(PUBLISHED_NUMBER, raw), raw
    assert parse_value(raw, "signed_count").state == NUMBER, raw


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_strings_the_schema_accepts_are_numbers_to_the_parser(text):
    import re

    if re.match(PUBLISHED_NUMBER, text):
        assert parse_value(text, "signed_count").state == NUMBER, repr(text)

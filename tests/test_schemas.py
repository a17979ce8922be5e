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

"""The JSON Schemas in ``rules/schemas/``: loading them, and generating the report schemas.

``report-2019.schema.json`` and ``report-2021.schema.json`` are *generated* from the
format definitions (``python -m addin.schemas`` rewrites them) and committed, so that
other programs can use them; a test checks they equal fresh output, so they cannot
drift from the formats. The rule-set and overlay schemas are written by hand.
"""

from __future__ import annotations

import json
import sys
from functools import cache

import jsonschema
from referencing import Registry, Resource

from .formats import FORMATS, load_format
from .resources import rules_dir

#: A value as typed or published: a number, possibly with full-width digits, spaces,
#: thousands separators, an explicit sign, 增/减, or a unit — anything
#: :func:`addin.values.parse_value` can read.
PUBLISHED_NUMBER = (
    r"^[\s\u3000]*(?:[+\-＋－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?(?:万元|元)?"
    r"|(?:增|减|增加|减少)[0-9０-９]+(?:[.．][0-9０-９]+)?"
    r"|\+\(?[0-9]+\)?[\s\u3000]*-\(?[0-9]+\)?)[\s\u3000]*$"
)
NOT_APPLICABLE = ["/", "／", "—", "——", "-", "－", "–", "无", "不适用", "\\"]

_KIND_SCHEMAS = {
    "count": {"type": "integer", "minimum": 0},
    "signed_count": {"type": "integer"},
    "wan_yuan": {"type": "number", "minimum": 0},
    "money": {"type": "number", "minimum": 0},
}


def report_schema(fmt_key: str) -> dict:
    """The JSON Schema of a report JSON document of format ``fmt_key``."""
    fmt = load_format(fmt_key)
    values = {}
    for key, cell in fmt.cells.items():
        values[key] = {
            "description": f"{cell.describe()}（{cell.kind}）",
            "anyOf": [
                _KIND_SCHEMAS[cell.kind],
                {"$ref": "#/$defs/blank"},
                {"$ref": "#/$defs/not_applicable"},
                {"$ref": "#/$defs/published_number"},
            ],
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://nianbao.invalid/schemas/report-{fmt_key}.schema.json",
        "title": f"政府信息公开工作年度报告（{fmt.name}）report JSON",
        "description": "Generated from rules/formats by `python -m addin.schemas`; do not edit.",
        "type": "object",
        "required": ["format", "year", "agency", "values"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string"},
            "format": {"const": fmt_key},
            "year": {"type": "integer", "minimum": 2008, "maximum": 2100},
            "agency": {"type": "string"},
            "contact": {
                "type": "object",
                "additionalProperties": False,
                "properties": {k: {"type": "string"} for k in ("address", "postcode", "phone")},
            },
            "signer": {"type": "string", "description": "署名：发文机关署名（可选，默认为机关名称）"},
            "signing_date": {"type": "string", "description": "成文日期（可选），例如 2026年1月20日"},
            "sections": {
                "type": "object",
                "additionalProperties": False,
                "properties": {s.key: {"type": "string"} for s in fmt.sections},
            },
            "values": {"type": "object", "additionalProperties": False, "properties": values},
        },
        "$defs": {
            "blank": {"const": ""},
            "not_applicable": {"enum": NOT_APPLICABLE},
            "published_number": {"type": "string", "pattern": PUBLISHED_NUMBER},
        },
    }


@cache
def load_schema(name: str) -> dict:
    return json.loads((rules_dir() / "schemas" / name).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted((rules_dir() / "schemas").glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    """A Draft 2020-12 validator for ``rules/schemas/<name>``."""
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=_registry())


def write_report_schemas() -> list[str]:
    written = []
    for fmt in FORMATS:
        path = rules_dir() / "schemas" / f"report-{fmt}.schema.json"
        path.write_text(json.dumps(report_schema(fmt), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(str(path))
    return written


if __name__ == "__main__":  # python -m addin.schemas
    print("\n".join(write_report_schemas()), file=sys.stdout)

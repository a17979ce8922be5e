"""Fuzz the report JSON reader and the validator behind it."""

import json
import sys

import atheris

with atheris.instrument_imports():
    from addin.errors import InputError
    from addin.readers.report_json import report_from_json
    from addin.validate import validate


def test_one_input(data: bytes) -> None:
    try:
        doc = json.loads(data.decode("utf-8", "replace"))
    except (json.JSONDecodeError, RecursionError):
        return
    try:
        report = report_from_json(doc, "fuzz.json")
    except InputError:
        return
    validate(report)
    report.to_json()


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

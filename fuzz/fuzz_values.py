"""Fuzz the cell-value normaliser with published-looking text."""

import sys

import atheris

with atheris.instrument_imports():
    from addin.values import format_number, parse_value

KINDS = ["count", "signed_count", "wan_yuan", "money"]


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    kind = KINDS[fdp.ConsumeIntInRange(0, 3)]
    text = fdp.ConsumeUnicodeNoSurrogates(64)
    cell = parse_value(text, kind)
    assert cell.state in ("number", "empty", "na", "invalid")
    if cell.state == "number":
        format_number(cell.value)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

"""Inputs the fuzzers (fuzz/) found crashing, kept as regression cases."""

import pytest

from addin.formula import FormulaError, evaluate, parse


def test_contains_on_a_number_is_not_a_crash():
    # fuzz_formula: contains() got an int where text was expected → TypeError
    node = parse('sunm--m/-m/um--m/-m/3 and not contains(s6, "x")')
    values = {}
    result = evaluate(node, lambda ref: values.setdefault(ref, len(ref) % 7))
    # sunm=4, m=1, um=2, s6=2: 4 - 1/1/2 - 1/1/3 is true, and the number 2 (read as "2")
    # does not contain "x"
    assert result is True
    assert evaluate(parse('contains(s6, "2")'), {"s6": 2}.get) is True


def test_text_in_arithmetic_is_a_formula_error():
    with pytest.raises(FormulaError):
        evaluate(parse("s6 + 1"), lambda ref: "文字")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_zip_with_an_unsupported_version_is_a_clear_error(tmp_path, suffix):
    # fuzz_docx: a damaged header made zipfile raise NotImplementedError("zip file version 24.8")
    from pathlib import Path

    from addin.errors import InputError
    from addin.readers import read_report

    damaged = Path(__file__).resolve().parent / "fixtures" / "fuzz" / "zip-version-24.8.docx"
    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(damaged.read_bytes())
    with pytest.raises(InputError):
        read_report(path)

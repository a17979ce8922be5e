"""Inputs the fuzzers (fuzz/) found crashing, kept as regression cases."""

import pytest

from addin.formula import FormulaError, evaluate, parse


def test_contains_on_a_number_is_not_a_crash():
    # fuzz_formula: contains() got an int where text was expected → TypeError
    node = parse('sunm--m/-m/um--m/-m/3 and not contains(s6, "x")')
    values = {}
    result = evaluate(node, lambda ref: values.setdefault(ref, len(ref) % 7))
    assert result in (True, False, None)


def test_text_in_arithmetic_is_a_formula_error():
    with pytest.raises(FormulaError):
        evaluate(parse("s6 + 1"), lambda ref: "文字")

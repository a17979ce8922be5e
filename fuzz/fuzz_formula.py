"""Fuzz the rule-formula parser and evaluator."""

import sys

import atheris

with atheris.instrument_imports():
    from addin.formula import FormulaError, evaluate, parse

GROUPS = {"g": ["a", "b"], "applicants": ["natural", "other"]}


def groups(table, name):
    if name not in GROUPS:
        raise FormulaError(f"no group {name}")
    return GROUPS[name]


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(300)
    try:
        node = parse(text, groups)
    except FormulaError:
        return
    values = {}
    try:
        evaluate(node, lambda ref: values.setdefault(ref, len(ref) % 7))
    except FormulaError:
        pass


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 2)[0])
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

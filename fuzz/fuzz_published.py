"""Fuzz the importers of published reports: plain text and HTML (the token streams and
the label anchoring behind them), then validate what was read."""

import sys

import atheris

with atheris.instrument_imports():
    from addin.errors import InputError
    from addin.importers.assemble import assemble
    from addin.importers.html import tokenize_html
    from addin.importers.text import decode, tokenize_text
    from addin.validate import validate


def test_one_input(data: bytes) -> None:
    if not data:
        return
    kind, body = data[0] % 2, data[1:]
    try:
        text = decode(body, "fuzz")
        tokens = tokenize_html(text) if kind else tokenize_text(text)
        report = assemble(tokens, source="fuzz")
    except InputError:
        return
    validate(report)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

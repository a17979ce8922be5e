"""Fuzz the Word importer with damaged .docx files (a real exported report with
fuzzer-chosen byte edits, or raw input)."""

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from addin.errors import InputError
    from addin.importers import import_report
    from addin.validate import validate

from _harness import seed_mutator  # noqa: E402

mutate = seed_mutator("docx_seed.docx")
TMP = tempfile.mkdtemp(prefix="nianbao-fuzz-")


def test_one_input(data: bytes) -> None:
    path = os.path.join(TMP, "f.docx")
    with open(path, "wb") as f:
        f.write(mutate(data))
    try:
        validate(import_report(path))
    except InputError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

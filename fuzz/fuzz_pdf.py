"""Fuzz the PDF importer with damaged PDFs (a small PDF with fuzzer-chosen byte edits,
or raw input): every failure must be the importer's own clear error."""

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from addin.errors import InputError
    from addin.importers import import_report
    from addin.validate import validate

from _harness import seed_mutator  # noqa: E402

mutate = seed_mutator("pdf_seed.pdf")
TMP = tempfile.mkdtemp(prefix="nianbao-fuzz-")


def test_one_input(data: bytes) -> None:
    path = os.path.join(TMP, "f.pdf")
    with open(path, "wb") as f:
        f.write(mutate(data))
    try:
        validate(import_report(path))
    except InputError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

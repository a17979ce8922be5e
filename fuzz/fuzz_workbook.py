"""Fuzz the workbook reader with damaged workbooks: bytes of a real filled template with
fuzzer-chosen edits, read through the zip checks, the calamine fast path and the
openpyxl fallback."""

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from addin.errors import InputError
    from addin.readers import workbook as reader
    from addin.validate import validate

from _harness import seed_mutator  # noqa: E402

mutate = seed_mutator("workbook_seed.xlsx")
TMP = tempfile.mkdtemp(prefix="nianbao-fuzz-")


def test_one_input(data: bytes) -> None:
    path = os.path.join(TMP, "f.xlsx")
    with open(path, "wb") as f:
        f.write(mutate(data))
    for fast in (True, False):
        reader.FAST = fast
        try:
            validate(reader.read_workbook(path))
        except InputError:
            pass
    reader.FAST = True


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

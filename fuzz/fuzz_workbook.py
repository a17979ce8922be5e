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

SEED = os.path.join(os.path.dirname(__file__), "corpus", "workbook_seed.xlsx")
BASE = open(SEED, "rb").read() if os.path.exists(SEED) else b""
TMP = tempfile.mkdtemp(prefix="nianbao-fuzz-")


def mutate(data: bytes) -> bytes:
    """Apply up to 8 edits (position, byte) to the seed workbook, or use the input as is."""
    if not data or data[0] % 4 == 0 or not BASE:
        return data
    fdp = atheris.FuzzedDataProvider(data[1:])
    out = bytearray(BASE)
    for _ in range(fdp.ConsumeIntInRange(1, 8)):
        out[fdp.ConsumeIntInRange(0, len(out) - 1)] = fdp.ConsumeInt(1) & 0xFF
    return bytes(out)


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

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

SEED = os.path.join(os.path.dirname(__file__), "corpus", "pdf_seed.pdf")
BASE = open(SEED, "rb").read() if os.path.exists(SEED) else b""
TMP = tempfile.mkdtemp(prefix="nianbao-fuzz-")


def test_one_input(data: bytes) -> None:
    if data and data[0] % 4 and BASE:
        fdp = atheris.FuzzedDataProvider(data[1:])
        out = bytearray(BASE)
        for _ in range(fdp.ConsumeIntInRange(1, 8)):
            out[fdp.ConsumeIntInRange(0, len(out) - 1)] = fdp.ConsumeInt(1) & 0xFF
        data = bytes(out)
    path = os.path.join(TMP, "f.pdf")
    with open(path, "wb") as f:
        f.write(data)
    try:
        validate(import_report(path))
    except InputError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

"""What the file-reading targets share: damaged copies of a real seed file.

A target gets the fuzzer's bytes; with a seed present, three inputs in four are turned
into the seed with up to 8 single-byte edits (position and value chosen by the fuzzer),
so the fuzzer explores files that are *almost* valid — the ones real readers meet — and
the fourth is used as it is.
"""

import os

import atheris


def seed_mutator(seed_name: str):
    """``mutate(data) -> bytes`` over ``fuzz/corpus/<seed_name>`` (inputs as they are if it is absent)."""
    path = os.path.join(os.path.dirname(__file__), "corpus", seed_name)
    base = open(path, "rb").read() if os.path.exists(path) else b""

    def mutate(data: bytes) -> bytes:
        if not data or data[0] % 4 == 0 or not base:
            return data
        fdp = atheris.FuzzedDataProvider(data[1:])
        out = bytearray(base)
        for _ in range(fdp.ConsumeIntInRange(1, 8)):
            out[fdp.ConsumeIntInRange(0, len(out) - 1)] = fdp.ConsumeInt(1) & 0xFF
        return bytes(out)

    return mutate

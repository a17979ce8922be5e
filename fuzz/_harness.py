"""Shared runner: instrument the project, run libFuzzer with the given test function."""

import os
import sys

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
sys.setrecursionlimit(4000)

import atheris  # noqa: E402


def run(test_one_input, instrumented_modules=("addin",)):
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()

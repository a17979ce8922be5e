"""Shared test set-up.

xlwings' remote engine and calamine reader need a license key: ``noncommercial`` is
the PolyForm Noncommercial key, which covers use by government institutions. It must
be set before the first ``import xlwings``.
"""

import os
import shutil

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402


def pytest_collection_modifyitems(config, items):
    """Tests marked ``libreoffice`` skip locally without soffice, but never in CI."""
    if shutil.which("soffice") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="LibreOffice (soffice) not installed")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)

"""Where the data directories live, in a source checkout and in an installed wheel.

The wheel carries ``rules/`` and ``workbook_templates/`` inside the package
(``addin/rules``, ``addin/workbook_templates``); a source checkout or an editable
install keeps them at the top of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"找不到数据目录 {name}/（安装不完整？）")


@cache
def rules_dir() -> Path:
    """The ``rules/`` directory: format definitions, JSON Schemas, rule sets."""
    return _find("rules")


@cache
def templates_dir() -> Path:
    """The ``workbook_templates/`` directory: the generated Excel templates and add-in."""
    return _find("workbook_templates")

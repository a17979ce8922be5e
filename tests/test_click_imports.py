"""A click in desktop Excel is a fresh Python (RunPython): what it imports is what it
waits for. These are structural checks (what gets imported), not timings; the time is
measured by bench/bench_click.py against a bare ``import xlwings.utils`` in the same run.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
#: Imported only when used: writers (openpyxl, python-docx, Jinja2), schema checks (jsonschema).
HEAVY = {"openpyxl", "jsonschema", "docx", "jinja2", "bs4", "referencing"}


def _new_modules(statement: str) -> set[str]:
    code = ("import xlwings.utils, sys; before = set(sys.modules); " + statement +
            "; print(' '.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True, text=True, env=env, check=True)
    return set(out.stdout.split())


def test_the_click_imports_no_writer_and_no_schema_library():
    # the exact import statement of addin/vba/RibbonMyAddin.bas
    vba = (ROOT / "addin" / "vba" / "RibbonMyAddin.bas").read_text(encoding="utf-8")
    assert "import addin.excel.desktop as nianbao_desktop" in vba
    loaded = _new_modules("import addin.excel.desktop as nianbao_desktop")
    assert "addin" in loaded
    assert not loaded & HEAVY, loaded & HEAVY


def test_the_check_sees_a_heavy_import():
    assert "openpyxl" in _new_modules("import addin.excel.desktop, addin.template")


def test_validating_a_report_on_the_click_path_stays_light():
    """validate(book) itself: rules loaded, a report read from named cells and checked."""
    loaded = _new_modules("from addin.ruleset import load_rules; from addin.validate import validate; "
                          "from addin.examples import example_report; validate(example_report('2021'), load_rules())")
    assert not loaded & {"openpyxl", "jsonschema", "docx"}, loaded


# The shipped rulesets are checked against ruleset.schema.json by tests/test_schemas.py
# (at test time), not each time a click loads the rules.


def test_an_overlay_is_still_checked_at_run_time(tmp_path):
    from addin.ruleset import RuleSetError, load_rules

    bad = tmp_path / "overlay.json"
    bad.write_text('{"rules": 5}', encoding="utf-8")
    with pytest.raises(RuleSetError, match="不符合"):
        load_rules(bad)

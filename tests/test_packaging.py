"""A plain, non-editable install must carry rules/ and workbook_templates/ inside the wheel."""

import subprocess
import sys
import zipfile

import pytest


@pytest.mark.slow
def test_wheel_ships_the_data_and_works_installed(tmp_path):
    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path / "dist"), str(root)], check=True)
    wheel = next((tmp_path / "dist").glob("nianbao-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("addin/rules/formats/2021.json", "addin/rules/rulesets/core.json",
                     "addin/rules/schemas/report-2021.schema.json", "addin/cli.py",
                     "addin/wps/ribbon.xml", "addin/wps/js/nianbao-wps.js",  # nianbao addin build --wps
                     "addin/server/templates/page.html", "addin/server/static/page/page.js"):  # the page
        assert required in names, required
    assert any(n.startswith("addin/workbook_templates/") for n in names)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True)
    code = ("import addin.resources as r, addin.formats as f, addin.ruleset as s;"
            "assert str(r.rules_dir()).startswith(%r);"
            "print(len(f.load_format('2021').keys), len(s.builtin_rules().rules))") % str(target)
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "200"

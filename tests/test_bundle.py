"""``nianbao bundle``: the offline installer (docs/install.md).

The network-heavy part (``pip download`` of every dependency for each platform and
Python version) runs once per test session (session-scoped fixture; pip's HTTP cache
makes later sessions fast) and is marked ``network``. Everything after it is offline:
pip resolves the complete install from the bundle alone with pip's configuration
switched off, and the x86_64 Linux bundle is really installed into a fresh venv by its
own install.sh and runs ``nianbao demo`` — the commands docs/install.md gives.
"""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from addin.commands import bundle
from addin.errors import InputError

ROOT = Path(__file__).parents[1]
DOC = ROOT / "docs" / "install.md"

network = pytest.mark.network


@pytest.fixture(scope="session")
def bundles(tmp_path_factory):
    """platform → bundle folder, built once per session, all supported Python versions."""
    base = tmp_path_factory.mktemp("bundles")
    out = {}
    for platform in bundle.PLATFORMS:
        target = base / f"nianbao-{platform}"
        resolved = bundle.build(target, platform)
        out[platform] = (target, resolved)
    return out


def _wheel_tags(path: Path) -> list[str]:
    return path.stem.split("-")[-1].split(".")


@network
@pytest.mark.slow
@pytest.mark.parametrize("platform", bundle.PLATFORMS)
def test_each_platform_resolves_offline_for_every_python(bundles, platform):
    folder, resolved = bundles[platform]
    assert set(resolved) == set(bundle.PYTHONS)
    for python, items in resolved.items():
        names = {i.split("==")[0].lower().replace("_", "-") for i in items}
        server = ("xlwings-server", "uvicorn") if bundle.EXTRAS[platform] else ()
        for required in ("nianbao", "xlwings", "openpyxl", "lxml", "jsonschema", "python-calamine", *server):
            assert required in names, (platform, python, required)
    # an independent second run of the check the CLI offers (nianbao bundle --check-only)
    assert bundle.verify(folder, platform, ("3.12",)) == {"3.12": resolved["3.12"]}
    wheels = list((folder / "wheels").glob("*.whl"))
    allowed = set(bundle.platform_tags(platform)) | {"any"}
    for w in wheels:
        assert set(_wheel_tags(w)) & allowed, f"{w.name} is not for {platform}"
    xlam = (ROOT / "workbook_templates" / "nianbao.xlam").read_bytes()
    assert (folder / "addins" / "nianbao.xlam").read_bytes() == xlam
    assert {p.name for p in (folder / "templates").iterdir()} == {"nianbao-2019.xlsx", "nianbao-2021.xlsx"}
    script = folder / ("install.cmd" if platform == "win_amd64" else "install.sh")
    text = script.read_text(encoding="utf-8")
    assert "--no-index" in text and "--find-links" in text
    if platform == "win_amd64":
        assert r"%LOCALAPPDATA%\nianbao\venv" in text  # where nianbao.xlam's INTERPRETER points
        from addin.excel.addin_build import CONFIG

        assert CONFIG["INTERPRETER"].startswith(r"%LOCALAPPDATA%\nianbao\venv")


@network
@pytest.mark.slow
def test_linux_x86_64_bundle_installs_without_an_index_and_runs_demo(bundles, tmp_path):
    folder, _ = bundles["manylinux_x86_64"]
    home = tmp_path / "nianbao-home"
    env = bundle.offline_env()
    env.update(NIANBAO_HOME=str(home), PYTHON=sys.executable, HOME=str(tmp_path))
    env.pop("PYTHONPATH", None)  # the installed package, not this checkout
    # the documented command: sh <bundle>/install.sh
    out = subprocess.run(["sh", str(folder / "install.sh")], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    venv = home / "venv"
    assert "个错误" in out.stdout  # the first 校验 ran (nianbao demo)
    demo = next((home / "demo").glob("*.xlsx"))
    check = subprocess.run([str(venv / "bin" / "nianbao"), "validate", str(demo)], capture_output=True, text=True,
                           env=env, cwd=tmp_path)
    assert check.returncode == 1 and "T301" in check.stdout
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import addin; print(addin.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path).stdout
    assert where.startswith(str(venv))


@network
@pytest.mark.slow
def test_windows_bundle_has_what_pip_on_linux_leaves_out(bundles, tmp_path):
    """xlwings needs pywin32 on Windows (``platform_system == 'Windows'``); pip on Linux
    evaluates that marker for Linux, so the bundle adds it, and the check catches its absence."""
    folder, _ = bundles["win_amd64"]
    pywin32 = sorted((folder / "wheels").glob("pywin32-*-win_amd64.whl"))
    assert {p.name.split("-")[2] for p in pywin32} == {f"cp{v.replace('.', '')}" for v in bundle.PYTHONS}
    copy = tmp_path / "b"
    shutil.copytree(folder, copy)
    for p in (copy / "wheels").glob("pywin32-*"):
        p.unlink()
    assert bundle.missing_requirements(copy / "wheels", "win_amd64", "3.12", "nianbao") == ["pywin32>=224"]
    with pytest.raises(InputError, match="pywin32"):
        bundle.verify(copy, "win_amd64", ("3.12",))


def test_a_missing_wheel_fails_the_offline_check(tmp_path):
    """Offline only: a bundle without one dependency's wheel must not resolve (the check
    cannot pass by reaching an index or a configured find-links)."""
    wheels = tmp_path / "b" / "wheels"
    wheels.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheels), str(ROOT)], check=True)
    with pytest.raises(InputError) as e:
        bundle.verify(tmp_path / "b", "manylinux_x86_64", ("3.11",))
    assert "离线解析" in str(e.value) and "3.11" in str(e.value)


def test_install_scripts_name_the_supported_pythons():
    sh = bundle._fill(bundle.INSTALL_SH, bundle.PYTHONS)
    assert "for v in 3.13 3.12 3.11; do" in sh and "@" not in sh
    cmd = bundle._fill(bundle.INSTALL_CMD, bundle.PYTHONS)
    assert "for %%v in (3.13 3.12 3.11) do" in cmd and "@PYTHONS" not in cmd


def test_bad_arguments_are_clear(tmp_path, capsys):
    from addin.cli import main

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "f").write_text("keep")
    assert main(["bundle", "--platform", "manylinux_x86_64", "-o", str(tmp_path / "x")]) == 2
    assert "已存在" in capsys.readouterr().err and (tmp_path / "x" / "f").read_text() == "keep"
    assert main(["bundle", "--platform", "manylinux_x86_64", "-o", str(tmp_path / "y"), "--python", "3.9"]) == 2
    assert main(["bundle", "--platform", "manylinux_x86_64", "-o", str(tmp_path / "z"), "--check-only"]) == 2


def test_install_doc_gives_the_commands_ci_runs():
    doc = DOC.read_text(encoding="utf-8")
    for platform in bundle.PLATFORMS:
        assert f"nianbao bundle --platform {platform} -o nianbao-{platform}" in doc
    assert "sh nianbao-manylinux_x86_64/install.sh" in doc  # test_linux_x86_64_bundle_installs…
    assert "nianbao bundle --platform manylinux_aarch64 -o nianbao-manylinux_aarch64 --check-only" in doc
    assert "install.cmd" in doc and "nianbao demo" in doc


def test_openpyxl_path_works_without_calamine(tmp_path):
    """LoongArch and other platforms without a python-calamine wheel: the reader falls
    back to openpyxl. Run in a fresh interpreter where importing python_calamine fails."""
    path = tmp_path / "r.xlsx"
    code = (
        "import sys, json; sys.modules['python_calamine'] = None\n"
        "from addin.readers import workbook as w\n"
        "from addin.validate import validate\n"
        "assert not w.FAST and w.python_calamine is None\n"
        f"r = w.read_workbook({str(path)!r})\n"
        "print(json.dumps([r.to_json()['values'], sorted(f.rule for f in validate(r))], sort_keys=True, default=str))\n"
    )
    from addin.examples import example_report
    from addin.model import Report
    from addin.readers import workbook as w
    from addin.validate import validate
    from addin.writers.workbook import write_workbook
    from tests.test_excel_roundtrip import broken_values

    rep = example_report("2021")  # with a mistake in every table: findings to compare too
    rep = Report.from_values("2021", broken_values("2021"), year=rep.year, agency=rep.agency, contact=rep.contact,
                             sections=rep.sections)
    write_workbook(rep, path, force=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert w.FAST  # here calamine is installed: the fast path gives the same report
    fast = w.read_workbook(path)
    import json

    slow = json.loads(out.stdout)
    assert len(slow[1]) >= 3
    assert slow == json.loads(json.dumps(
        [fast.to_json()["values"], sorted(f.rule for f in validate(fast))], sort_keys=True, default=str))


def test_wheel_of_the_bundle_is_the_project(tmp_path):
    wheels = tmp_path / "w"
    wheels.mkdir()
    wheel = bundle.project_wheel(ROOT, wheels)
    names = zipfile.ZipFile(wheel).namelist()
    assert "addin/commands/bundle.py" in names and "addin/workbook_templates/nianbao.xlam" in names
    shutil.rmtree(wheels)

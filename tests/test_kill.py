"""Killing a command while it writes loses nothing.

Each writing command is started for real and killed with SIGKILL — the moment its
temporary ``.part`` file appears (so the kill lands inside the write), and at timed
points before. Afterwards the user's input files are byte-for-byte unchanged, and
the output is either absent, still the old file (when overwriting with ``--force``),
or a complete new file — never a torn one under the final name.
"""

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from addin.examples import example_report, random_report
from addin.writers.workbook import write_workbook

pytestmark = pytest.mark.slow


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def complete(path: Path) -> bool:
    """Whether ``path`` is a whole file of its kind."""
    data = path.read_bytes()
    if path.suffix in (".xlsx", ".docx"):
        try:
            with zipfile.ZipFile(path) as z:
                return z.testzip() is None
        except zipfile.BadZipFile:
            return False
    if path.suffix == ".json":
        try:
            json.loads(data)
            return True
        except ValueError:
            return False
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    return True


def run_and_kill(args, watch: Path, delay: float | None):
    """Run ``nianbao args``; SIGKILL it when a ``.part`` file appears in ``watch``
    (``delay`` None) or after ``delay`` seconds. Returns whether it was killed mid-write."""
    proc = subprocess.Popen([sys.executable, "-m", "addin", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    start = time.monotonic()
    mid_write = False
    while proc.poll() is None and time.monotonic() - start < 60:
        if delay is None:
            if any(n.endswith(".part") for n in os.listdir(watch)):
                os.killpg(proc.pid, signal.SIGKILL)
                mid_write = True
                break
        elif time.monotonic() - start >= delay:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.0005)
    proc.wait(timeout=30)
    return mid_write


@pytest.fixture
def inputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    report = example_report("2021")
    (src / "report.json").write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    write_workbook(report, src / "filled.xlsx")
    for i in range(3):
        dept = random_report("2021", random.Random(i), year=2025)
        dept.agency = f"示例区第{i + 1}局"
        write_workbook(dept, src / f"dept{i}.xlsx")
    html = src / "published.html"
    html.write_text(
        "<html><body><h1>示例局2025年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p>"
        "<p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p></body></html>",
        encoding="utf-8")
    return src


COMMANDS = {
    "new": lambda i, o: ["new", "--from", str(i / "report.json"), "-o", str(o / "new.xlsx"), "--force"],
    "export": lambda i, o: ["export", str(i / "report.json"), "--to", "docx,html,json", "-o", str(o), "--force"],
    "import": lambda i, o: ["import", str(i / "published.html"), "-o", str(o / "imported.json"), "--force"],
    "rollup": lambda i, o: ["rollup", *[str(i / f"dept{n}.xlsx") for n in range(3)], "-o", str(o / "gov.xlsx"),
                            "--agency", "示例区人民政府", "--force"],
    "mark": lambda i, o: ["mark", str(i / "filled.xlsx"), "-o", str(o / "marked.xlsx"), "--no-recalc", "--force"],
    "review": lambda i, o: ["review", str(i), "-o", str(o / "review.xlsx"), "--force"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_kill_during_write_loses_nothing(command, inputs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    args = COMMANDS[command](inputs, out)
    before = {p: digest(p) for p in inputs.iterdir()}

    # A complete run first: the outputs it makes are the "old" files a later run overwrites.
    subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, timeout=120)
    old = {p: digest(p) for p in out.iterdir() if not p.name.startswith(".")}
    assert old, f"{command} wrote nothing: {args}"

    killed_mid_write = 0
    for delay in (None, None, None, 0.2, 0.6, 1.2):
        killed_mid_write += run_and_kill(args, out, delay)
        assert {p: digest(p) for p in inputs.iterdir()} == before, "an input file was changed"
        for p in out.iterdir():
            if p.name.startswith(".") and p.name.endswith(".part"):
                continue  # a killed process cannot remove its temporary file; it is never the final name
            assert p in old, f"unexpected file {p.name}"
            assert digest(p) == old[p] or complete(p), f"{p.name} is half-written"
        for p in old:
            assert p.exists(), f"{p.name} disappeared"
    assert killed_mid_write, f"{command}: no kill landed inside the write (test would prove nothing)"

"""Run every coverage-guided fuzz target (fuzz/) for a few seconds on its committed corpus.

A crash or an unexpected exception makes libFuzzer exit non-zero and leave the input
as ``crash-*`` in the temporary folder; the test prints it so it can be added to
``tests/test_fuzz_regressions.py``.
"""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")

ROOT = Path(__file__).resolve().parents[1]
TARGETS = sorted(p.stem.removeprefix("fuzz_") for p in (ROOT / "fuzz").glob("fuzz_*.py"))
SECONDS = 6


@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_target_survives(target, tmp_path):
    new_units = tmp_path / "new"
    new_units.mkdir()
    cmd = [sys.executable, str(ROOT / "fuzz" / f"fuzz_{target}.py"), str(new_units), str(ROOT / "fuzz" / "corpus" / target),
           f"-max_total_time={SECONDS}", "-rss_limit_mb=2048", "-timeout=10", f"-artifact_prefix={tmp_path}/"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS * 10, cwd=ROOT)
    crashes = list(tmp_path.glob("crash-*")) + list(tmp_path.glob("timeout-*"))
    assert proc.returncode == 0 and not crashes, (
        f"{target} crashed; input: {[c.read_bytes()[:200] for c in crashes]}\n{proc.stderr[-3000:]}")

"""The task pane and ribbon JavaScript: Node's built-in test runner on the shared logic,
and a syntax check of every script the add-in serves."""

import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).parents[1] / "addin" / "server" / "static" / "js"
node = shutil.which("node")
pytestmark = pytest.mark.skipif(node is None, reason="Node.js not installed")


def test_node_unit_tests_pass():
    r = subprocess.run([node, "--test", str(JS / "tests")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "# fail 0" in r.stdout and "# pass 5" in r.stdout


@pytest.mark.parametrize("script", ["nianbao-core.js", "ribbon.js", "taskpane.js", "auth.js"])
def test_script_parses(script):
    r = subprocess.run([node, "--check", str(JS / script)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr

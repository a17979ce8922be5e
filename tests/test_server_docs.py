"""docs/server.md as written: its certificate request, its environment file and the
``ExecStart`` line of its systemd unit, taken from the page and run.

A throwaway CA signs the documented CSR (standing in for the unit's CA); the service
starts with the documented arguments (only the program path, file locations, port and
worker count are substituted) and the test connects over HTTPS trusting only that CA,
with and without the documented access key."""

import json
import os
import re
import shlex
import shutil
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

DOC = Path(__file__).parents[1] / "docs" / "server.md"
HOST = "nianbao.example.gov.cn"
pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def documented(prefix: str) -> str:
    lines = [ln for b in blocks("bash") + blocks("ini") for ln in b.splitlines() if ln.startswith(prefix)]
    assert len(lines) == 1, f"docs/server.md should have exactly one line starting {prefix!r}"
    return lines[0]


def unit() -> dict[str, str]:
    text = next(b for b in blocks("ini") if "[Service]" in b)
    return dict(ln.split("=", 1) for ln in text.splitlines() if "=" in ln and not ln.startswith("#"))


def env_file() -> dict[str, str]:
    text = next(b for b in blocks("ini") if b.startswith("NIANBAO_API_KEY="))
    return dict(ln.split("=", 1) for ln in text.splitlines() if "=" in ln and not ln.startswith("#"))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_unit_fits_the_rest_of_the_page():
    u = unit()
    assert u["EnvironmentFile"] == "/etc/nianbao/nianbao.env"
    assert "useradd --system --home-dir /var/lib/nianbao" in DOC.read_text(encoding="utf-8")
    assert u["User"] == "nianbao" and u["Environment"] == "HOME=/var/lib/nianbao"
    argv = shlex.split(u["ExecStart"])
    assert argv[:2] == ["/opt/nianbao/venv/bin/nianbao", "serve"]
    from addin.cli import build_parser

    parser, _ = build_parser()
    args = parser.parse_args(argv[1:])  # every documented option exists
    assert (args.host, args.port, args.workers) == ("0.0.0.0", 8443, 4)
    assert args.certfile == "/etc/nianbao/tls/server.crt" and args.keyfile == "/etc/nianbao/tls/server.key"
    assert set(env_file()) == {"NIANBAO_API_KEY", "NIANBAO_MAX_BODY_BYTES", "NIANBAO_REQUEST_SECONDS"}
    from addin.server import limits

    assert int(env_file()["NIANBAO_MAX_BODY_BYTES"]) == 20 * 1024 * 1024 == limits.MAX_BODY_BYTES
    assert float(env_file()["NIANBAO_REQUEST_SECONDS"]) == limits.REQUEST_SECONDS


def test_the_documented_service_serves_https_with_the_key(tmp_path):
    tls = tmp_path / "tls"
    tls.mkdir()
    # the documented certificate request, for this test's host name
    req = shlex.split(documented("sudo openssl req").removeprefix("sudo ").replace(HOST, "localhost"))
    subprocess.run(req, cwd=tls, check=True, capture_output=True, timeout=60)
    # a throwaway CA in the role of the unit's CA signs it
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=Test Unit CA"], cwd=tls, check=True, capture_output=True, timeout=60)
    subprocess.run(["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.crt", "-days", "2", "-copy_extensions", "copy"],
                   cwd=tls, check=True, capture_output=True, timeout=60)

    port = free_port()
    argv = shlex.split(unit()["ExecStart"])
    argv = [sys.executable, "-m", "addin"] + [a.replace("/etc/nianbao/tls", str(tls)) for a in argv[1:]]
    argv[argv.index("--port") + 1] = str(port)
    argv[argv.index("--workers") + 1] = "1"  # the test machine is small; the documented value is tested above
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "NIANBAO_"))}
    env.update(env_file())
    env["HOME"] = str(tmp_path)
    log = tmp_path / "service.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    context = ssl.create_default_context(cafile=str(tls / "ca.crt"))
    base = f"https://localhost:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/", context=context, timeout=5) as r:
                    assert r.status == 200 and "年报助手" in r.read().decode()
                break
            except urllib.error.URLError as e:
                if isinstance(getattr(e, "reason", None), ssl.SSLCertVerificationError):
                    raise
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.3)

        import openpyxl

        from addin.excel.bridge import book_json

        payload = json.dumps(book_json(openpyxl.Workbook(), name="x.xlsx")).encode()
        url = base + "/xlwings/custom-scripts-call/validate"
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(urllib.request.Request(url, data=payload, headers={
                "Content-Type": "application/json"}), context=context, timeout=30)
        assert e.value.code == 401
        e.value.close()  # an open connection would hold up the graceful stop (see TimeoutStopSec)
        key = env_file()["NIANBAO_API_KEY"]
        with urllib.request.urlopen(urllib.request.Request(url, data=payload, headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {key}"}), context=context,
                timeout=30) as r:
            assert r.status == 200 and json.loads(r.read())["actions"][0]["func"] == "alert"
        with pytest.raises(urllib.error.URLError):  # a client that does not trust the unit's CA is refused
            urllib.request.urlopen(base + "/", context=ssl.create_default_context(), timeout=5)
    finally:
        proc.terminate()  # what systemctl stop sends
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise

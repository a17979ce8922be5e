"""``nianbao serve`` over real HTTP on loopback: start it on a free port, fetch the
manifest, call a script and a custom function, stop it. Plus the refusal to serve
other computers without an access key and HTTPS."""

import json
import urllib.request

import pytest

from addin.commands.serve import check_args
from addin.errors import InputError


def request(url, data=None, headers=None, timeout=10):
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


@pytest.fixture
def server(start_server):
    """``nianbao serve`` on a free loopback port (see tests/conftest.py)."""
    base, _ = start_server()
    return base


def test_manifest_script_and_function_over_http(server):
    import openpyxl

    from addin.excel.bridge import book_json

    status, manifest = request(server + "/manifest/download")
    assert status == 200 and "政务公开年报".encode() in manifest
    assert f"{server}/taskpane.html".encode() in manifest

    payload = book_json(openpyxl.Workbook(), name="x.xlsx")
    status, body = request(server + "/xlwings/custom-scripts-call/validate", payload)
    actions = json.loads(body)["actions"]
    assert status == 200 and actions[0]["func"] == "alert" and "年报助手" in actions[0]["args"][0]

    call = {"func_name": "check", "args": [[[""]], [[""]], [[""]], "2021"], "caller_address": "Sheet1!A1",
            "formatted_args": [], "version": "0.37.8", "runtime": "1.4", "culture_info_name": "zh-CN",
            "date_format": "yyyy/m/d"}
    status, body = request(server + "/xlwings/custom-functions-call", call)
    result = json.loads(body)["result"]
    assert status == 200 and result[0][0] in ("警告", "错误") and "未填写" in "".join(r[1] for r in result)

    status, code = request(server + "/xlwings/custom-functions-code.js")
    assert status == 200 and b'CustomFunctions.associate("CHECK"' in code


class Args:
    def __init__(self, host, certfile=None, keyfile=None, behind_proxy=False):
        self.host, self.certfile, self.keyfile, self.behind_proxy = host, certfile, keyfile, behind_proxy


def test_other_computers_need_a_key_and_https(monkeypatch, tmp_path):
    monkeypatch.delenv("NIANBAO_API_KEY", raising=False)
    check_args(Args("127.0.0.1"))
    with pytest.raises(InputError, match="NIANBAO_API_KEY"):
        check_args(Args("0.0.0.0"))
    monkeypatch.setenv("NIANBAO_API_KEY", "k" * 32)
    with pytest.raises(InputError, match="太弱"):  # long but one character repeated
        check_args(Args("0.0.0.0", behind_proxy=True))
    monkeypatch.setenv("NIANBAO_API_KEY", "x")
    with pytest.raises(InputError, match="至少需要 16 个字符"):
        check_args(Args("0.0.0.0", behind_proxy=True))
    monkeypatch.setenv("NIANBAO_API_KEY", "Qm7-vR2xT9pL4wZk8sN3")
    check_args(Args("127.0.0.1"))
    with pytest.raises(InputError, match="HTTPS"):
        check_args(Args("0.0.0.0"))
    check_args(Args("0.0.0.0", behind_proxy=True))
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("x")
    key.write_text("y")
    check_args(Args("10.0.0.5", str(cert), str(key)))
    with pytest.raises(InputError, match="同时"):
        check_args(Args("10.0.0.5", str(cert)))

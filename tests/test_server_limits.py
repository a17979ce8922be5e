"""The server in front of the macros: size and time limits, clean answers to bad
requests, authentication, and a one-minute load test at 16 clients — over real HTTP
on loopback."""

import asyncio
import json
import os
import socket
import time
import urllib.error
import urllib.request

import openpyxl
import pytest
from fastapi.testclient import TestClient

from addin.examples import example_report, example_values
from addin.excel.bridge import book_json
from addin.model import Report
from addin.server.limits import LimitsMiddleware, run_in_worker
from addin.server.loadgen import run_load
from addin.writers.workbook import write_workbook


def post(url, body: bytes, headers=None, timeout=30):
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.fixture(scope="module")
def payload(tmp_path_factory):
    """Book JSON of a filled 2021 workbook with errors in 表三 and 表四."""
    base = example_report("2021")
    values = {**example_values("2021"), "t3.new.natural": 10, "t4.review.upheld": 3}
    report = Report.from_values("2021", values, year=base.year, agency=base.agency, sections=base.sections,
                                contact=base.contact)
    path = tmp_path_factory.mktemp("srv") / "filled.xlsx"
    write_workbook(report, path)
    return book_json(openpyxl.load_workbook(path), name="filled.xlsx")


def test_bad_requests_get_clear_chinese_answers(start_server, payload):
    base, _ = start_server({"NIANBAO_MAX_BODY_BYTES": "300000"})
    url = base + "/xlwings/custom-scripts-call/validate"
    status, body = post(url, b"{oops")
    assert status == 400 and "不是合法的 JSON" in json.loads(body)["detail"]
    status, body = post(url, json.dumps(dict(payload, client="VBA", version="0.30.0")).encode())
    assert status == 400 and "版本" in json.loads(body)["detail"]
    status, body = post(base + "/xlwings/custom-scripts-call/format_disk", json.dumps(payload).encode())
    assert status == 404 and "没有名为" in json.loads(body)["detail"]
    status, body = post(url, json.dumps({"client": "Office.js"}).encode())
    assert status == 400 and "缺少工作簿数据" in json.loads(body)["detail"]
    # missing sheets: the macro answers with an alert, not an error — the same refusal
    # `validate` gives a workbook whose tables are gone (one reading path)
    status, body = post(url, json.dumps(dict(payload, sheets=payload["sheets"][:2])).encode())
    actions = json.loads(body)["actions"]
    assert status == 200 and actions[0]["func"] == "alert" and "都已被删除" in actions[0]["args"][0]
    assert [a for a in actions if a["func"] != "alert"] == []  # nothing written


def test_oversized_requests_get_413(start_server, payload):
    base, _ = start_server({"NIANBAO_MAX_BODY_BYTES": "300000"})
    url = base + "/xlwings/custom-scripts-call/validate"
    big = json.dumps(dict(payload, filler="x" * 400_000)).encode()
    status, body = post(url, big)
    assert status == 413 and "请求过大" in json.loads(body)["detail"]
    # the same without a Content-Length header (chunked): refused while streaming
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /xlwings/custom-scripts-call/validate HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in range(5):
            chunk = b"x" * 100_000
            s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        s.sendall(b"0\r\n\r\n")
        head = s.recv(200)
    assert head.startswith(b"HTTP/1.1 413")
    # a normal request still works afterwards
    assert post(url, json.dumps(payload).encode())[0] == 200


def test_time_limit_answers_504():
    async def slow_app(scope, receive, send):
        await receive()
        await run_in_worker(time.sleep, 1.5)

    client = TestClient(LimitsMiddleware(slow_app, seconds=0.3), raise_server_exceptions=False)
    book = {"client": "Office.js", "version": "0.37.8", "book": {"name": "a.xlsx", "active_sheet_index": 0},
            "sheets": [{"name": "表一", "values": [[1]]}], "names": []}
    r = client.post("/xlwings/custom-scripts-call/validate", json=book)
    assert r.status_code == 504 and "处理时间超过" in r.json()["detail"]


def test_time_limit_over_http(start_server, payload):
    base, _ = start_server({"NIANBAO_REQUEST_SECONDS": "0.001"})
    start = time.monotonic()
    status, body = post(base + "/xlwings/custom-scripts-call/validate", json.dumps(payload).encode())
    assert status == 504 and "处理时间超过" in json.loads(body)["detail"]
    assert time.monotonic() - start < 5


def test_run_in_worker_times_out(monkeypatch):
    import addin.server.limits as limits

    monkeypatch.setattr(limits, "REQUEST_SECONDS", -4.8)  # the backstop waits REQUEST_SECONDS + 5
    with pytest.raises(TimeoutError, match="处理时间超过"):
        asyncio.run(limits.run_in_worker(time.sleep, 3))


def test_api_key_required_when_set(start_server, payload):
    base, _ = start_server({"NIANBAO_API_KEY": "k" * 40})
    url = base + "/xlwings/custom-scripts-call/validate"
    status, _ = post(url, json.dumps(payload).encode())
    assert status in (401, 403)
    status, body = post(url, json.dumps(payload).encode(), headers={"Authorization": "k" * 40})
    assert status == 200 and json.loads(body)["actions"]


def _rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (the uvicorn workers)."""
    total = 0
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            total += int(line.split()[1])
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            children = open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            continue
        total += sum(_rss_kb(int(child)) for child in children)
    return total


@pytest.mark.slow
def test_one_minute_at_16_clients_zero_errors_stable_memory(start_server, payload):
    base, proc = start_server()
    url = base + "/xlwings/custom-scripts-call/validate"

    def check(data: bytes):
        actions = json.loads(data)["actions"]
        return None if any(a["func"] == "setValues" for a in actions) else "no 校验结果 written"

    warm = run_load(url, payload, 16, seconds=8, check=check)
    assert not warm.errors, warm.errors[:3]
    before = _rss_kb(proc.pid)
    result = run_load(url, payload, 16, seconds=52, check=check)
    after = _rss_kb(proc.pid)
    print(f"\n16 clients, 60 s: {len(warm.latencies) + len(result.latencies)} calls, 0 errors, "
          f"p50 {result.p50 * 1000:.0f} ms, p99 {result.p99 * 1000:.0f} ms, RSS {before // 1024} → {after // 1024} MB")
    assert result.errors == [], result.errors[:5]
    assert len(result.latencies) > 100
    assert after - before < 64 * 1024, f"server memory grew from {before} kB to {after} kB"

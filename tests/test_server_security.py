"""``nianbao serve`` under attack, over real HTTP (a real ``nianbao serve`` subprocess):

* a generated set of path-traversal variants against every static mount and every
  route that takes a path or a name never returns a file outside its folder (a secret
  file is planted outside, and its content must never appear in any answer);
* downloads work whichever of several worker processes answers;
* every heavy route is behind the size and time limits, and a slow export does not hold
  up other requests;
* bad bodies on every route get a Chinese 4xx, never a 500.

The safe lookup itself (:mod:`addin.server.static_files`) is also checked directly.
"""

from __future__ import annotations

import http.client
import io
import itertools
import json
import os
import shutil
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.examples import example_report, example_values
from addin.excel.bridge import book_json
from addin.model import Report
from addin.server import PROJECT_DIR
from addin.server.downloads import STEM_BYTES, download_stem
from addin.server.static_files import resolve_inside, safe_segments
from addin.writers.workbook import write_workbook

SECRET = "nianbao-secret-7f3a9c1e5b2d4a68"


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def raw(base: str, method: str, path: str, body: bytes | None = None, headers=None, timeout=60):
    """One request with the path sent exactly as given (no client-side normalisation)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if body is not None:
            hdrs["Content-Length"] = str(len(body))
        for k, v in hdrs.items():
            conn.putheader(k, v)
        conn.endheaders(body)
        r = conn.getresponse()
        return r.status, r.read(), dict(r.getheaders())
    finally:
        conn.close()


def post(base, path, data, timeout=120):
    body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode("utf-8")
    return raw(base, "POST", path, body, timeout=timeout)


@pytest.fixture(scope="module")
def payload(tmp_path_factory):
    """Book JSON of a filled 2021 workbook with an error in 表三."""
    base = example_report("2021")
    values = {**example_values("2021"), "t3.new.natural": 10}
    report = Report.from_values("2021", values, year=base.year, agency=base.agency, sections=base.sections,
                                contact=base.contact)
    path = tmp_path_factory.mktemp("sec") / "filled.xlsx"
    write_workbook(report, path)
    return book_json(openpyxl.load_workbook(path), name="filled.xlsx")


# ---------------------------------------------------------------------------
# The lookup itself


def test_safe_segments_accepts_plain_names_only():
    assert safe_segments("/js/ribbon.js") == ["js", "ribbon.js"]
    assert safe_segments("vendor/@microsoft/office-js/dist/office.js") is not None
    for bad in ["", "/", "js/", "js//ribbon.js", "../x", "js/../../x", "./x", ".env", "js/.hidden",
                "js\\..\\x", "C:/x", "c:", "js/%2e%2e/x", "js/%2fetc", "x\x00.js", "x\n", "/etc/passwd/",
                "a/" * 20 + "x", "x" * 300, "js/ribbon.js::$DATA", "~/..", "js/ribbon.js/..", "．．/x", "..／x"]:
        assert safe_segments(bad) is None, bad


def test_resolve_inside_refuses_symlinks_out_and_follows_those_in(tmp_path):
    folder, outside = tmp_path / "static", tmp_path / "outside"
    (folder / "js").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (folder / "js" / "a.js").write_text("a")
    (folder / "js" / "leak.js").symlink_to(outside / "secret.txt")
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    (folder / "js" / "alias.js").symlink_to(folder / "js" / "a.js")
    assert resolve_inside([folder], "/js/a.js") == (folder / "js" / "a.js").resolve()
    assert resolve_inside([folder], "js/alias.js") == (folder / "js" / "a.js").resolve()
    assert resolve_inside([folder], "js/leak.js") is None
    assert resolve_inside([folder], "sub/secret.txt") is None
    assert resolve_inside([folder], "js") is None  # a folder is not a file
    assert resolve_inside([folder], "js/../../outside/secret.txt") is None
    # the first folder that has the file wins; the second is used for the rest
    over = tmp_path / "over"
    (over / "js").mkdir(parents=True)
    (over / "js" / "a.js").write_text("override")
    assert resolve_inside([over, folder], "js/a.js").read_text() == "override"
    assert resolve_inside([over, folder], "js/alias.js") is not None


def test_download_stem_is_short_and_safe():
    assert download_stem("某某县人民政府2023年报.xlsx") == "某某县人民政府2023年报"
    assert download_stem(None) == download_stem("") == download_stem(".xlsx") == "年报"
    for name in ["年" * 300 + ".xlsx", "a" * 1000, "../../etc/passwd", "C:\\Users\\x\\报告.xlsx",
                 "con.xlsx", "a\x00b\nc.xlsx", '<>:"|?*.xlsx', "..", "  . ."]:
        stem = download_stem(name)
        assert stem and len(stem.encode("utf-8")) <= STEM_BYTES
        assert not any(c in stem for c in '/\\:*?"<>|\x00\n') and ".." not in stem
        assert stem.lower() != "con"
    assert download_stem("C:\\Users\\x\\报告.xlsx") == "报告"


# ---------------------------------------------------------------------------
# Traversal over HTTP


def _traversal_paths(secret: Path) -> list[str]:
    """Request paths that try to climb out of a folder to ``secret``, in the spellings
    attackers use: encoded and double-encoded separators and dots, backslashes,
    overlong UTF-8, full-width solidus, absolute paths, drive letters, NUL."""
    target = str(secret).lstrip("/")
    enc = target.replace("/", "%2f")
    seps = ["/", "%2f", "%2F", "%252f", "\\", "%5c", "%5C", "%255c", "%c0%af", "%ef%bc%8f", "%u2215"]
    dots = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%c0%ae%c0%ae", "...", "..%00", "..;"]
    paths = []
    for sep, dot in itertools.product(seps, dots):
        climb = (dot + sep) * 14
        paths.append(climb + target.replace("/", sep))
        paths.append(climb + enc)
    paths += [target, "/" + target, "%2f" + enc, "//" + target, "%252f" + target.replace("/", "%252f"),
              "C:" + "\\" + target.replace("/", "\\"), "C%3a%5c" + target.replace("/", "%5c"), "file:///" + target,
              "..%2f" * 14 + enc + "%00.js", "..%2f" * 14 + enc + "%00", "ribbon.js%00/" + "..%2f" * 14 + enc,
              "%00" + "..%2f" * 14 + enc, "..." + "%2f" * 3 + enc, "%2e%2e%2f" * 14 + enc + "%3f.js",
              "..%2f" * 14 + enc + "#.js", "..%2f" * 14 + enc + "?x=.js"]
    return paths


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A secret outside every folder, and a project folder (a copy of ours) whose static
    folder holds a symlink pointing at it and one pointing inside."""
    root = tmp_path_factory.mktemp("planted")
    secret = root / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    (root / "outside" / ".env").write_text(f"NIANBAO_API_KEY={SECRET}")
    project = root / "project"
    shutil.copytree(PROJECT_DIR, project, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "static" / "js" / "leak.js").symlink_to(secret)
    (project / "static" / "leakdir").symlink_to(secret.parent, target_is_directory=True)
    (project / "static" / "js" / "inside.js").symlink_to(project / "static" / "js" / "ribbon.js")
    return secret, project


@pytest.mark.parametrize("wasm", [False, True], ids=["server", "wasm-mounts"])
def test_no_traversal_reaches_a_file_outside(start_server, planted, wasm):
    """Against every mount: /static always; /wasm, /custom_functions, /custom_scripts
    when xlwings Server's Wasm mode is switched on."""
    secret, project = planted
    base, _ = start_server({"XLWINGS_PROJECT_DIR": str(project), "XLWINGS_ENABLE_WASM": str(wasm).lower()})
    # the mounts serve what they should: ours overriding xlwings', xlwings' own vendor files
    status, body, headers = raw(base, "GET", "/static/js/ribbon.js")
    assert status == 200 and body == (project / "static" / "js" / "ribbon.js").read_bytes()
    assert headers["content-type"].startswith("text/javascript") or "javascript" in headers["content-type"]
    assert raw(base, "GET", "/static/js/inside.js")[1] == body  # a symlink inside the folder is fine
    assert raw(base, "HEAD", "/static/js/ribbon.js")[0] == 200
    assert raw(base, "GET", "/static/images/favicon.png")[0] == 200
    for link in ["/static/js/leak.js", "/static/leakdir/secret.txt", "/static/leakdir/.env"]:
        status, body, _ = raw(base, "GET", link)
        assert status == 404 and SECRET.encode() not in body and has_chinese(body.decode()), link

    prefixes = ["/static/", "/static/js/", "/static/css/", "/static/images/", "/static/js/tests/",
                "/static/vendor/", "/nianbao/download/", "/manifest/", "/taskpane.html/", "/xlwings/"]
    if wasm:
        assert raw(base, "GET", "/custom_scripts/scripts.py")[0] == 200  # the mounts are there
        prefixes = ["/wasm/", "/custom_functions/", "/custom_scripts/", "/custom_scripts/__pycache__/"]
    tried = answered_json = 0
    seen = {}
    for prefix, path in itertools.product(prefixes, _traversal_paths(secret)):
        status, body, _ = raw(base, "GET", prefix + path)
        tried += 1
        seen[status] = seen.get(status, 0) + 1
        assert SECRET.encode() not in body, (prefix + path, status)
        assert status != 200 and status < 500, (prefix + path, status, body[:200])
        if body.startswith(b"{"):
            assert has_chinese(json.loads(body)["detail"]), (prefix + path, body)
            answered_json += 1
    # the names scripts are called by
    for path in _traversal_paths(secret)[:40]:
        status, body, _ = raw(base, "POST", "/xlwings/custom-scripts-call/" + path, b"{}")
        assert SECRET.encode() not in body and status in (400, 404, 405), (path, status, body[:200])
    print(f"\n{tried} traversal requests: {seen}")
    assert tried >= 200 * len(prefixes) and answered_json > tried * 0.9  # nearly all reached the app and were refused there


def test_every_mount_of_the_app_is_taken_over():
    """Every folder xlwings Server mounts goes through our lookup; a new kind of mount
    would stop the server from starting rather than be served unchecked."""
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from addin.server.app import app, configure
    from addin.server.static_files import SafeStaticFiles, take_over_mounts

    configure()
    app()
    from xlwings_server.main import app as fastapi_app

    mounts = [r for r in fastapi_app.routes if isinstance(r, Mount)]
    assert mounts and all(isinstance(r.app, SafeStaticFiles) for r in mounts)
    assert "/static" in {r.path for r in mounts}

    class Odd:
        async def __call__(self, scope, receive, send):
            pass

    from fastapi import FastAPI

    other = FastAPI()
    other.mount("/plain", StaticFiles(directory=str(PROJECT_DIR / "static")))
    taken = take_over_mounts(other)
    assert isinstance(taken["/plain"], SafeStaticFiles)
    other.mount("/odd", Odd())
    with pytest.raises(RuntimeError, match="unvetted mount"):
        take_over_mounts(other)


# ---------------------------------------------------------------------------
# Downloads with several workers


def test_downloads_work_whichever_worker_answers(start_server, payload):
    base, _ = start_server(args=["--workers", "3"])
    for i in range(8):  # with the old in-memory tokens, all 8 succeeding had odds of (1/3)^8
        status, body, _ = post(base, "/nianbao/export", payload)
        assert status == 200, body
        url = json.loads(body)["url"]
        status, data, headers = raw(base, "GET", url)  # a new connection: any worker may answer
        assert status == 200, (i, data)
        assert "filename*=utf-8''filled-" in headers["content-disposition"]
        assert "filled-年报.docx" in zipfile.ZipFile(io.BytesIO(data)).namelist()
        status, again, _ = raw(base, "GET", url)
        assert status == 404 and "下载链接已失效" in json.loads(again)["detail"]  # one download only
    # a 300-character book name: a bounded file name, not a server error
    long = dict(payload, book=dict(payload["book"], name="某" * 300 + ".xlsx"))
    status, body, _ = post(base, "/nianbao/export", long)
    assert status == 200, body
    name = json.loads(body)["name"]
    assert len(name.encode("utf-8")) < 200
    assert raw(base, "GET", json.loads(body)["url"])[0] == 200


def test_spool_is_private_and_emptied(tmp_path, monkeypatch):
    from addin.server import downloads

    spool = tmp_path / "spool"
    monkeypatch.setenv(downloads.SPOOL_ENV, str(spool))
    assert downloads.spool_dir() == spool and spool.stat().st_mode & 0o777 == 0o700
    z = tmp_path / "a.zip"
    z.write_bytes(b"PK")
    token = downloads.put(z, "报告-导出.zip")
    assert not z.exists() and len(list(spool.iterdir())) == 1
    path, name, folder = downloads.claim(token)
    assert name == "报告-导出.zip" and path.read_bytes() == b"PK"
    assert downloads.claim(token) is None  # taken
    shutil.rmtree(folder)
    for bad in ["../" + token, token + "/..", "", "x" * 43 + "/", ".taken-x", "a" * 42]:
        assert downloads.claim(bad) is None
    # an unclaimed download goes after its time
    z.write_bytes(b"PK")
    token = downloads.put(z, "x.zip")
    monkeypatch.setattr(downloads, "DOWNLOAD_SECONDS", -1)
    z.write_bytes(b"PK")
    later = downloads.put(z, "y.zip")  # sweeps the expired one
    assert [p.name for p in spool.iterdir()] == [later]
    assert downloads.claim(token) is None
    assert downloads.claim(later) is None and list(spool.iterdir()) == []  # expired: refused and removed
    # a spool folder others can read is made private
    os.chmod(spool, 0o755)
    downloads.spool_dir()
    assert spool.stat().st_mode & 0o777 == 0o700


# ---------------------------------------------------------------------------
# Limits on every heavy route

HEAVY_ROUTES = ["/xlwings/custom-scripts-call/validate", "/xlwings/custom-scripts-call/clear_marks",
                "/xlwings/custom-scripts-call/show_help", "/xlwings/custom-functions-call",
                "/nianbao/findings", "/nianbao/export"]


def _function_call(**extra):
    return {"func_name": "check", "args": [[[""]], [[""]], [[""]], "2021"], "caller_address": "Sheet1!A1",
            "formatted_args": [], "version": "0.37.8", "runtime": "1.4", "culture_info_name": "zh-CN",
            "date_format": "yyyy/m/d", **extra}


def _with_section(payload, chars: int) -> dict:
    """``payload`` with a long 第一部分 text (the 正文 sheet's first section cell)."""
    data = json.loads(json.dumps(payload))
    sheet = next(s for s in data["sheets"] if s["name"] == "正文")
    sheet["values"][4][0] = ("本机关坚持以公开为常态、不公开为例外，依法做好政府信息公开工作。" * (chars // 32 + 1))[:chars]
    return data


def test_every_heavy_route_has_the_size_limit(start_server, payload):
    base, _ = start_server({"NIANBAO_MAX_BODY_BYTES": "300000"})
    for route in HEAVY_ROUTES:
        big = (_function_call(args=[[["x" * 400_000]], [[""]], [[""]]]) if "functions" in route
               else _with_section(payload, 400_000))
        status, body, _ = post(base, route, big)
        assert status == 413 and "请求过大" in json.loads(body)["detail"], (route, status, body[:200])


def test_every_heavy_route_has_the_time_limit(start_server, payload):
    base, _ = start_server({"NIANBAO_REQUEST_SECONDS": "0.001"})
    for route in HEAVY_ROUTES:
        status, body, _ = post(base, route, _function_call() if "functions" in route else payload)
        assert status == 504 and "处理时间超过" in json.loads(body)["detail"], (route, status, body[:200])


@pytest.mark.slow
def test_a_slow_export_gets_504_and_does_not_hold_up_others(start_server, payload):
    """One worker process; an export of a long text runs past the time limit. It is
    answered 504, and requests sent meanwhile are answered before it (they used to wait
    for the export: the export ran on the event loop)."""
    # The export must take several times the limit (6M characters: about 3.4 s here, with
    # no limit), while the body stays small enough that parsing it — which holds the GIL —
    # does not itself stall the event loop for long.
    base, _ = start_server({"NIANBAO_REQUEST_SECONDS": "1", "NIANBAO_MAX_BODY_BYTES": str(96 * 1024 * 1024)},
                           args=["--workers", "1"])
    body = json.dumps(_with_section(payload, 6_000_000), ensure_ascii=False).encode("utf-8")
    done = {}

    def export():
        done["export"] = post(base, "/nianbao/export", body)[0]
        done["export_at"] = time.monotonic()

    started = time.monotonic()
    thread = threading.Thread(target=export)
    thread.start()
    time.sleep(0.3)  # the export is running
    answered = []
    while thread.is_alive() and len(answered) < 5:
        status, manifest, _ = raw(base, "GET", "/manifest")
        assert status == 200 and "政务公开年报".encode() in manifest
        answered.append(time.monotonic())
        time.sleep(0.1)
    thread.join()
    print(f"\nexport: {done['export']} after {done['export_at'] - started:.1f} s; "
          f"{len(answered)} manifest requests answered meanwhile")
    assert done["export"] == 504
    assert answered and answered[0] < done["export_at"]


# ---------------------------------------------------------------------------
# Bad bodies on every route


def _mutations(payload: dict):
    """Bodies that are almost a workbook: each field removed or of another type."""
    wrong = [None, 1, -1, 1.5, "x", True, [], {}, [1], {"a": 1}]
    yield from [b"", b"{", b"null", b"[]", b'"x"', b"1e999", b"[" * 100_000, b"\xff\xfe", b"\xef\xbb\xbf{}",
                b'{"sheets": [], "book": {}}', b"{}"]
    for key in ["client", "version", "book", "sheets", "names"]:
        yield {k: v for k, v in payload.items() if k != key}
        for w in wrong:
            yield {**payload, key: w}
    for key in ["name", "active_sheet_index", "selection"]:
        for w in wrong:
            yield {**payload, "book": {**payload["book"], key: w}}
    yield {**payload, "book": {**payload["book"], "active_sheet_index": 99}}
    sheet = payload["sheets"][3]
    for key in ["name", "values", "pictures", "tables", "notes", "visibility"]:
        for w in wrong:
            yield {**payload, "sheets": payload["sheets"][:3] + [{**sheet, key: w}] + payload["sheets"][4:]}
    for cell in [{}, [], {"type": 1}, [1, 2]]:
        values = [list(r) for r in sheet["values"]]
        values[5][3] = cell
        yield {**payload, "sheets": payload["sheets"][:3] + [{**sheet, "values": values}] + payload["sheets"][4:]}
    ragged = [list(r) for r in sheet["values"]]
    ragged[2] = ragged[2][:1]
    yield {**payload, "sheets": payload["sheets"][:3] + [{**sheet, "values": ragged}] + payload["sheets"][4:]}
    name = payload["names"][0]
    for key in ["name", "refers_to", "sheet_index", "address"]:
        for w in wrong + [99]:
            yield {**payload, "names": [{**name, key: w}] + payload["names"][1:]}


def _call_mutations():
    good = _function_call()
    wrong = [None, 1, "x", [], {}, [1], [[{}]], [[[1], [1, 2]]]]
    yield from [b"{}", b"[]", b"{", b"null"]
    for key in ["func_name", "args", "version", "runtime", "caller_address", "culture_info_name", "date_format"]:
        yield {k: v for k, v in good.items() if k != key}
        for w in wrong:
            yield {**good, key: w}
    for args in [[], [1], [1] * 9, [[[{"type": "Error", "basicValue": "#DIV/0!"}]], None, None],
                 [[[{}]], None, None], ["s9", None, None, [[True]]], [[[1e308]], [[-1]], [["x"]], "1999"]]:
        yield {**good, "args": args}
        yield {**good, "func_name": "section", "args": args}
    for name in ["__class__", "__init__", "run_in_worker", "impl", "../check", "CHECK", ""]:
        yield {**good, "func_name": name}


def test_bad_bodies_on_every_route_get_a_chinese_4xx(start_server, payload):
    base, _ = start_server()
    counted = {}
    routes = [r for r in HEAVY_ROUTES if "functions" not in r]
    for route in routes:
        mutations = list(_mutations(payload))
        if route.endswith(("clear_marks", "show_help", "/export")):
            mutations = mutations[::3]  # the same checks as validate and findings: a sample is enough
        for m in mutations:
            status, body, _ = post(base, route, m)
            counted[status] = counted.get(status, 0) + 1
            assert status < 500, (route, str(m)[:300], body[:300])
            if status >= 400:
                assert has_chinese(json.loads(body)["detail"]), (route, str(m)[:200], body[:300])
    for m in _call_mutations():
        status, body, _ = post(base, "/xlwings/custom-functions-call", m)
        counted[status] = counted.get(status, 0) + 1
        assert status < 500, (str(m)[:300], body[:300])
        if status >= 400:
            assert has_chinese(json.loads(body)["detail"]), (str(m)[:200], body[:300])
    # the other routes, with the wrong method, missing parameters, unknown paths
    for method, path in [("GET", "/xlwings/alert"), ("GET", "/xlwings/alert?prompt=x"), ("PUT", "/manifest"),
                         ("DELETE", "/static/js/ribbon.js"), ("POST", "/static/js/ribbon.js"),
                         ("GET", "/nianbao/findings"), ("POST", "/nianbao/download/x"), ("GET", "/nope"),
                         ("GET", "/xlwings/custom-scripts-call/validate"), ("POST", "/taskpane.html"),
                         ("GET", "/nianbao/download/" + "A" * 43), ("GET", "/nianbao/download/")]:
        status, body, _ = raw(base, method, path, b"{}" if method != "GET" else None)
        counted[status] = counted.get(status, 0) + 1
        assert 400 <= status < 500 and has_chinese(json.loads(body)["detail"]), (method, path, status, body[:200])
    print(f"\nbad requests by status: {dict(sorted(counted.items()))}")
    assert sum(counted.values()) > 400 and counted.get(400, 0) > 100


# ---------------------------------------------------------------------------
# The access key for other computers


def test_a_weak_access_key_is_refused_for_other_computers():
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "NIANBAO_"))}
    for key in ["x", "k" * 40, "0123456789abcde"]:
        r = subprocess.run([sys.executable, "-m", "addin", "serve", "--host", "0.0.0.0", "--behind-proxy"],
                           env={**env, "NIANBAO_API_KEY": key}, capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and "访问密钥" in r.stderr and "太弱" in r.stderr, (key, r.stderr)
        assert "Traceback" not in r.stderr

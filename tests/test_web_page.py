"""The browser page of ``nianbao serve`` in a real headless Chromium (Selenium with
Debian's chromium-driver), against a real server over loopback HTTP with its usual
worker processes: upload a workbook saved by LibreOffice, see the findings by table
(the same as 校验), download the marked workbook, the report in each format and a
blank template, and open each download. Plus the page's limits over plain HTTP."""

import json
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from addin.excel.filemode import mark_file

from test_excel_roundtrip import make_workbook

CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(not (CHROMEDRIVER and CHROMIUM), reason="chromium / chromium-driver not installed")


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory):
    """The broken example as LibreOffice saves it (cached formula values, its own styles)."""
    from addin.libreoffice import recalculate

    tmp = tmp_path_factory.mktemp("web")
    path = make_workbook(tmp / "src.xlsx", "2021", broken=True)
    saved = recalculate(path, tmp / "calc")
    out = tmp / "示例区数据局年报.xlsx"
    shutil.copyfile(saved, out)
    return out


def new_browser(downloads: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1400",
                "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


@pytest.fixture
def browser(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = new_browser(downloads)
    driver.downloads = downloads
    yield driver
    driver.quit()


def wait_for(predicate, timeout=90, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def downloaded(folder: Path, suffix: str, before: set) -> Path:
    def done():
        new = [p for p in folder.iterdir() if p.name not in before and p.suffix == suffix]
        return new[0] if new and new[0].stat().st_size > 0 else None

    return wait_for(done, what=f"a {suffix} download")


def status(driver) -> str:
    return driver.find_element("id", "status").text


@pytest.mark.libreoffice
@needs_browser
def test_upload_findings_and_every_download(browser, start_server, saved_by_libreoffice, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, _ = start_server()
    browser.get(base + "/")
    assert browser.title.startswith("年报助手")
    assert not [e for e in browser.find_elements(By.CSS_SELECTOR, "script[src], link[href]")
                if not (e.get_attribute("src") or e.get_attribute("href")).startswith(base + "/")]

    browser.find_element(By.ID, "file").send_keys(str(saved_by_libreoffice))
    wait_for(lambda: browser.find_element(By.ID, "result").is_displayed() or "失败" in status(browser),
             what="the findings")
    assert status(browser) == "校验完成。"

    expected = mark_file(saved_by_libreoffice, tmp_path / "m.xlsx").findings  # the same 校验, in file mode
    groups = browser.find_elements(By.CSS_SELECTOR, "#tables .table")
    shown = []
    for g in groups:
        table = g.find_element(By.TAG_NAME, "h4").text.split("（")[0]
        for li in g.find_elements(By.TAG_NAME, "li"):
            rule = li.find_element(By.CLASS_NAME, "rule").text
            cells = li.find_element(By.CLASS_NAME, "cells").text.removeprefix("单元格：").split("、")
            assert all(c.startswith(table + "!") for c in cells[:1]), (table, cells)
            shown.append((rule, li.find_element(By.CLASS_NAME, "message").text, tuple(cells)))
    assert sorted(shown) == sorted((f.rule, f.message, tuple(f.locations)) for f in expected)
    assert {"表二", "表三", "表四"} <= {g.find_element(By.TAG_NAME, "h4").text.split("（")[0] for g in groups}
    errors = sum(f.severity == "error" for f in expected)
    assert f"{errors} 个错误" in browser.find_element(By.ID, "summary").text

    files = {}
    for button, suffix in (("dl-marked", ".xlsx"), ("dl-docx", ".docx"), ("dl-pdf", ".pdf"), ("dl-html", ".html")):
        before = {p.name for p in browser.downloads.iterdir()}
        browser.find_element(By.ID, button).click()
        files[suffix] = downloaded(browser.downloads, suffix, before)
        wait_for(lambda: status(browser).startswith("已下载") or "失败" in status(browser), what=button)
        assert status(browser).startswith("已下载"), status(browser)

    marked = openpyxl.load_workbook(files[".xlsx"])
    assert files[".xlsx"].name == "示例区数据局年报-校验.xlsx"
    levels = [r[0] for r in marked["校验结果"].iter_rows(min_row=2, max_col=1, values_only=True) if r[0]]
    assert levels.count("错误") == errors and len(levels) == len(expected)
    first_bad = next(f for f in expected if f.severity == "error").locations[0].split("!")
    assert marked[first_bad[0]][first_bad[1]].fill.fgColor.rgb.endswith("FFC7CE")

    from docx import Document

    text = "\n".join(p.text for p in Document(files[".docx"]).paragraphs)
    assert "政府信息公开工作年度报告" in text and files[".docx"].stem in text.replace("\n", "")
    assert files[".pdf"].read_bytes().startswith(b"%PDF")
    pdf_text = subprocess.run(["pdftotext", str(files[".pdf"]), "-"], capture_output=True, text=True).stdout
    assert "政府信息公开工作年度报告" in pdf_text.replace(" ", "")
    html = files[".html"].read_text(encoding="utf-8")
    assert "<table" in html and "政府信息公开工作年度报告" in html
    assert not list(Path(tempfile.gettempdir()).glob("nianbao-page-*"))  # uploads removed

    # the template, entirely by keyboard: year, format, agency, Enter
    year = browser.find_element(By.ID, "year")
    year.clear()
    year.send_keys("2024", Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "format"
    browser.switch_to.active_element.send_keys("2021")
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "agency"
    before = {p.name for p in browser.downloads.iterdir()}
    browser.switch_to.active_element.send_keys("某某市测试局", Keys.ENTER)
    template = downloaded(browser.downloads, ".xlsx", before)
    from addin.readers import read_report

    blank = read_report(template)
    assert (blank.format, blank.year, blank.agency) == ("2021", 2024, "某某市测试局")
    assert template.name == "某某市测试局2024年政府信息公开工作年度报告.xlsx"


@needs_browser
def test_keyboard_reaches_every_control_and_bad_files_get_a_message(browser, start_server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, _ = start_server()
    browser.get(base + "/")
    from selenium.webdriver.common.action_chains import ActionChains

    order = []
    for _ in range(12):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        el = browser.switch_to.active_element
        order.append(el.get_attribute("id") or el.tag_name)
    assert order[:3] == ["file", "summary", "check"] and {"year", "format", "agency", "template"} <= set(order)

    # a file dropped on the box is checked like a chosen one
    import base64

    clean = make_workbook(tmp_path / "拖入的年报.xlsx", "2021", broken=False)
    browser.execute_script("""
        const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], arguments[1]));
        const drop = document.getElementById("drop");
        drop.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true, cancelable: true}));
        drop.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
    """, base64.b64encode(clean.read_bytes()).decode(), clean.name)
    wait_for(lambda: browser.find_element(By.ID, "result").is_displayed() or "失败" in status(browser),
             what="the dropped file's findings")
    assert "《拖入的年报.xlsx》" in browser.find_element(By.ID, "summary").text

    bad = tmp_path / "不是工作簿.xlsx"
    bad.write_text("这不是工作簿", encoding="utf-8")
    browser.find_element(By.ID, "file").send_keys(str(bad))
    wait_for(lambda: "失败" in status(browser), what="the error message")
    assert "文件已损坏或不是 Excel 工作簿" in status(browser) and "不是工作簿.xlsx" in status(browser)
    assert not browser.find_element(By.ID, "result").is_displayed()


def _post(url, data: bytes, headers=None):
    req = urllib.request.Request(url, data=data, method="POST", headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_page_limits_key_and_allowlist(start_server, tmp_path):
    key = "s" * 40
    base, _ = start_server({"NIANBAO_API_KEY": key, "NIANBAO_MAX_BODY_BYTES": str(200_000)})
    wb = make_workbook(tmp_path / "r.xlsx", "2021", broken=False).read_bytes()
    status, body = _post(base + "/nianbao/web/check?name=r.xlsx", wb)
    assert status == 401 and "访问密钥" in json.loads(body)["detail"]
    status, body = _post(base + "/nianbao/web/check?name=big.xlsx", b"0" * 300_000, {"Authorization": f"Bearer {key}"})
    assert status == 413 and "请求过大" in json.loads(body)["detail"]
    for path in ("/nianbao/web/static/page.py", "/nianbao/web/static/..%2F..%2Fapp.py", "/nianbao/web/static/"):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + path, timeout=10)
        assert e.value.code == 404
    with urllib.request.urlopen(base + "/", timeout=10) as r:
        page = r.read().decode()
        assert r.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "http://" not in page and "https://" not in page  # no CDN: every asset from this server


def test_nianbao_app_serves_loopback_and_opens_the_browser(tmp_path):
    """``nianbao app`` with a stand-in browser (``BROWSER``, honoured by Python's webbrowser)
    that records the address it was asked to open."""
    import os
    import signal
    import sys

    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "NIANBAO_"))}
    env["BROWSER"] = str(browser)
    with socket_taken() as busy_port:  # the wanted port is taken: another is chosen
        proc = subprocess.Popen([sys.executable, "-m", "addin", "app", "--port", str(busy_port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            url = wait_for(lambda: opened.exists() and opened.read_text().strip(), timeout=60, what="the browser")
            assert url.startswith("http://127.0.0.1:") and not url.startswith(f"http://127.0.0.1:{busy_port}/")
            with urllib.request.urlopen(url, timeout=10) as r:
                assert "年报助手" in r.read().decode()
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=15)
    assert "年报助手页面：http://127.0.0.1:" in proc.stderr.read()


class socket_taken:
    def __enter__(self):
        import socket

        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        self.s.listen()
        return self.s.getsockname()[1]

    def __exit__(self, *exc):
        self.s.close()


def test_page_routes_refuse_bad_requests_in_chinese(tmp_path):
    """In-process (FastAPI TestClient): the answers to what a browser should never send."""
    import os

    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    from fastapi.testclient import TestClient

    from addin.server.app import app, configure

    configure()
    client = TestClient(app())
    assert client.head("/").status_code == 200
    wb = make_workbook(tmp_path / "r.xlsx", "2021", broken=False).read_bytes()
    r = client.post("/nianbao/web/report?name=r.xlsx&to=exe", content=wb)
    assert r.status_code == 422 and "报告格式只能是" in r.json()["detail"]
    r = client.get("/nianbao/web/template?year=2020&format=2021")
    assert r.status_code == 422 and "2020 年度的报告应使用 2019 格式" in r.json()["detail"]
    r = client.get("/nianbao/web/template?year=12")
    assert r.status_code == 422 and "四位数字" in r.json()["detail"]
    r = client.post("/nianbao/web/check?name=r.xls", content=wb)
    assert r.status_code == 422 and "只能校验 .xlsx" in r.json()["detail"]
    r = client.post("/nianbao/web/check?name=r.xlsx", content=b"")
    assert r.status_code == 422 and "没有收到文件" in r.json()["detail"]
    # the client's file name only names the download: no path survives
    r = client.get("/nianbao/web/template?year=2025&agency=../../etc/某局")
    assert r.status_code == 200
    from urllib.parse import unquote

    disposition = unquote(r.headers["content-disposition"])
    assert "/" not in disposition.split("''", 1)[1] and disposition.endswith("2025年政府信息公开工作年度报告.xlsx")


@pytest.mark.libreoffice
def test_page_work_is_stopped_at_the_time_limit(start_server, tmp_path):
    """The add-in routes' time limit applies to the page: a check (LibreOffice recalculates
    first, which takes longer than the limit set here) is answered 504 in Chinese."""
    base, _ = start_server({"NIANBAO_REQUEST_SECONDS": "0.2"})
    wb = make_workbook(tmp_path / "r.xlsx", "2021", broken=False).read_bytes()
    status, body = _post(base + "/nianbao/web/check?name=r.xlsx", wb)
    assert status == 504 and "处理时间超过" in json.loads(body)["detail"]

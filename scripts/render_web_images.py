"""Render the pictures of docs/web.md and docs/wps.md: the browser page of ``nianbao serve``
in headless Chromium, before and after checking the example workbook (with its deliberate
mistakes); and the 校验结果 sheet that 校验 leaves in the workbook, through LibreOffice.

    PYTHONPATH=. .venv/bin/python scripts/render_web_images.py   # docs/images/web-*.png, results-sheet.png

Needs chromium, chromium-driver and LibreOffice (scripts/setup.sh installs them).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    from addin.libreoffice import recalculate
    from test_excel_roundtrip import make_workbook

    images = ROOT / "docs" / "images"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book = tmp / "某某区数据局2025年报.xlsx"
        shutil.copyfile(recalculate(make_workbook(tmp / "src.xlsx", "2021", broken=True), tmp / "calc"), book)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "addin", "serve", "--port", str(port), "--workers", "1"],
                                  cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        for arg in ("--headless=new", "--no-sandbox", "--window-size=1000,900", "--lang=zh-CN",
                    "--force-device-scale-factor=1"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            base = f"http://127.0.0.1:{port}/"
            for _ in range(150):
                try:
                    urllib.request.urlopen(base, timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            driver.get(base)
            driver.save_screenshot(str(images / "web-page.png"))
            driver.find_element(By.ID, "file").send_keys(str(book))
            for _ in range(300):
                if driver.find_element(By.ID, "result").is_displayed():
                    break
                time.sleep(0.2)
            height = driver.execute_script("return document.body.scrollHeight")
            driver.set_window_size(1000, min(height + 120, 2200))
            driver.execute_script("window.scrollTo(0, 0)")
            driver.save_screenshot(str(images / "web-findings.png"))
        finally:
            driver.quit()
            server.send_signal(signal.SIGINT)
            server.wait(timeout=15)
    render_results_sheet(images / "results-sheet.png")
    print("written: docs/images/web-page.png, docs/images/web-findings.png, docs/images/results-sheet.png")


def render_results_sheet(target: Path) -> None:
    """The 校验结果 sheet after 校验 (the same actions every route applies), as LibreOffice prints it."""
    import openpyxl
    from PIL import Image

    from addin.excel.filemode import mark_file
    from addin.libreoffice import convert
    from test_excel_roundtrip import make_workbook

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        marked = mark_file(make_workbook(tmp / "src.xlsx", "2021", broken=True), tmp / "marked.xlsx").output
        wb = openpyxl.load_workbook(marked)
        for ws in list(wb.worksheets):
            if ws.title != "校验结果":
                wb.remove(ws)
        wb.save(tmp / "results.xlsx")
        pdf = convert(tmp / "results.xlsx", "pdf", tmp)
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(tmp / "page")], check=True)
        page = Image.open(next(tmp.glob("page*.png")))
        gray = page.convert("L").point(lambda v: 255 if v > 250 else 0)
        box = Image.eval(gray, lambda v: 255 - v).getbbox()
        page.crop((box[0] - 10, box[1] - 10, box[2] + 10, box[3] + 10)).save(target)


if __name__ == "__main__":
    main()

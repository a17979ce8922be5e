"""``nianbao app``: the browser page on this PC — 校验 without an add-in or a server.

Starts the same app as ``nianbao serve`` (the page at ``/`` and the add-in routes) on
loopback only, one worker, and opens the page in the default browser (Python's
:mod:`webbrowser`, which honours the ``BROWSER`` environment variable). Ends with Ctrl+C.
"""

from __future__ import annotations

import os
import socket
import sys
import threading

from ..errors import InputError

DESCRIPTION = (
    "在本机启动年报助手页面并在浏览器中打开：选择或拖入年报工作簿即可校验，下载标记后的工作簿、报告文档和空白模板。\n"
    "只在本机 127.0.0.1 上提供服务，其他计算机无法访问；关闭命令行窗口或按 Ctrl+C 结束。\n"
    "单位内多人使用时，请由管理员在服务器上运行 nianbao serve（见 docs/server.md）。"
)
DEFAULT_PORT = 8765


def add_arguments(p) -> None:
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"端口（默认 {DEFAULT_PORT}；被占用时自动换一个空闲端口）")
    p.add_argument("--no-browser", action="store_true", help="不自动打开浏览器，只显示地址")


def _port(wanted: int) -> int:
    """``wanted`` if it is free on loopback, else any free port."""
    for port in (wanted, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise InputError("本机没有可用的端口。")


def run(args) -> int:
    import importlib.util

    if not 0 <= args.port <= 65535:
        raise InputError(f"端口应在 1 到 65535 之间：{args.port}")
    if importlib.util.find_spec("xlwings_server") is None or importlib.util.find_spec("uvicorn") is None:
        raise InputError("未安装年报助手服务组件：请运行 pip install 'nianbao[server]'。")
    from ..server.app import configure

    os.environ["NIANBAO_ENVIRONMENT"] = "prod"
    configure("prod")
    import uvicorn

    port = _port(args.port)
    url = f"http://127.0.0.1:{port}/"
    server = uvicorn.Server(uvicorn.Config("addin.server.asgi:app", host="127.0.0.1", port=port,
                                           log_level="warning"))

    def open_when_ready():
        import time
        import webbrowser

        while not server.started and not server.should_exit:
            time.sleep(0.1)
        if server.started and not args.no_browser:
            webbrowser.open(url)

    threading.Thread(target=open_when_ready, daemon=True).start()
    print(f"年报助手页面：{url}  （按 Ctrl+C 结束）", file=sys.stderr, flush=True)
    server.run()
    return 0

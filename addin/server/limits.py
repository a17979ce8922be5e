"""Limits for the server: what a government deployment needs in front of the macros.

* **Request size.** A filled template sends about 100 KB of book JSON; anything over
  :data:`MAX_BODY_BYTES` is refused with 413 before it is read into memory, whether
  it announces its length or streams it.
* **Request time.** A script or custom-function call that runs longer than
  :data:`REQUEST_SECONDS` is answered with 504, so a client never hangs. The macros
  run in a worker thread (:func:`run_in_worker`), which keeps the event loop free to
  serve other filers meanwhile and lets the time limit fire.

Messages are Chinese, as the filer sees them in Excel.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any, Callable

#: Largest request body accepted (bytes); override with NIANBAO_MAX_BODY_BYTES.
MAX_BODY_BYTES = int(os.environ.get("NIANBAO_MAX_BODY_BYTES", 20 * 1024 * 1024))
#: Longest a script or custom-function call may take (seconds); override with NIANBAO_REQUEST_SECONDS.
REQUEST_SECONDS = float(os.environ.get("NIANBAO_REQUEST_SECONDS", 60))

_LIMITED_PATHS = ("/xlwings/custom-scripts-call/", "/xlwings/custom-functions-call", "/nianbao/")


class RequestTooLarge(Exception):
    pass


async def run_in_worker(func: Callable[..., Any], *args: Any) -> Any:
    """Run a (synchronous, CPU-bound) macro in a worker thread.

    The client is answered 504 by :class:`LimitsMiddleware` at the time limit; this
    wait ends a little later as a backstop, so no coroutine waits forever.
    """
    try:
        return await asyncio.wait_for(asyncio.to_thread(func, *args), timeout=REQUEST_SECONDS + 5)
    except asyncio.TimeoutError:
        raise TimeoutError(too_slow(REQUEST_SECONDS)) from None


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.3g} MB" if n >= 1024 * 1024 else f"{n / 1024:.3g} KB"


def too_slow(seconds: float) -> str:
    """The 504 message."""
    return f"处理时间超过 {seconds:g} 秒，已停止等待。请稍后重试或联系管理员。"


async def reply_json(send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Answer ``{"detail": message}`` straight from ASGI, as FastAPI's errors look."""
    body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


def _script_names() -> set[str]:
    from . import custom_scripts

    return {name for name in dir(custom_scripts) if hasattr(getattr(custom_scripts, name), "__xlscript__")}


def _function_names() -> dict[str, tuple[int, int]]:
    """The custom functions: name → (fewest, most) arguments."""
    from . import custom_functions

    out = {}
    for name in dir(custom_functions):
        args = getattr(getattr(custom_functions, name), "__xlfunc__", {}).get("args")
        if args is not None:
            out[name] = (sum(1 for a in args if "optional" not in a and not a["vararg"]), len(args))
    return out


def version_problem(data: dict) -> tuple[int, str] | None:
    """``(400, message)`` when a client other than Office.js runs another xlwings version."""
    import xlwings

    client, version = data.get("client"), data.get("version")
    if client != "Office.js" and version != xlwings.__version__:
        return 400, (f"Excel 中的 xlwings 加载项版本（{version}）与服务器（{xlwings.__version__}）不一致。"
                     "请安装与服务器配套的年报助手加载项。")
    return None


def check_call(path: str, body: bytes) -> tuple[int, str] | None:
    """What is wrong with a script or function call before any macro runs, or ``None``.

    Bad JSON, an unknown script or function, a body that is not a workbook (or a
    function call) as xlwings sends it, and a desktop add-in of another xlwings version
    get a clear Chinese answer here instead of a server error. Runs in a worker thread:
    parsing a body of many megabytes must not hold up the event loop.
    """
    from .payloads import book_problem, function_problem

    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return 400, "请求不是合法的 JSON，无法处理。请重新点击按钮；如仍出错，请联系管理员。"
    if not isinstance(data, dict):
        return 400, "请求内容不是 xlwings 发送的工作簿数据。"
    if path.startswith("/xlwings/custom-scripts-call/"):
        name = path.rsplit("/", 1)[-1]
        if name not in _script_names():
            return 404, f"没有名为“{name[:80]}”的功能。请更新加载项后重试。"
        problem = book_problem(data)
        return (400, problem) if problem is not None else version_problem(data)
    if path.startswith("/xlwings/custom-functions-call"):
        problem = function_problem(data, _function_names())
        if problem is None:
            problem = version_problem(data)
        return problem
    return None


class _Tracking:
    """A ``send`` that remembers whether the response has started (after which no
    413/504 can be sent any more)."""

    def __init__(self, send):
        self.send = send
        self.started = False

    async def __call__(self, message):
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


class LimitsMiddleware:
    """ASGI middleware in front of xlwings Server.

    For script and function calls it reads the body first (at most :data:`MAX_BODY_BYTES`,
    else 413), answers bad requests with a clear 4xx (:func:`check_call`), then runs the
    call within the time limit (else 504). Other requests are only size-checked.
    """

    def __init__(self, app, max_body: int | None = None, seconds: float | None = None):
        self.app = app
        self.max_body = MAX_BODY_BYTES if max_body is None else max_body
        self.seconds = REQUEST_SECONDS if seconds is None else seconds

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = f"请求过大（上限 {_size(self.max_body)}）。请只保留年报模板中的工作表后重试。"
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return await reply_json(send, 413, too_large)
        path = scope.get("path", "")
        tracking = _Tracking(send)
        if not (scope.get("method") == "POST" and path.startswith(_LIMITED_PATHS)):
            try:
                return await self.app(scope, self._limited(receive), tracking)
            except RequestTooLarge:
                if not tracking.started:
                    await reply_json(send, 413, too_large)
                return

        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return await reply_json(send, 413, too_large)
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        if path.startswith("/xlwings/"):
            try:
                problem = await asyncio.wait_for(asyncio.to_thread(check_call, path, body), timeout=self.seconds)
            except asyncio.TimeoutError:
                return await reply_json(send, 504, too_slow(self.seconds))
            if problem is not None:
                return await reply_json(send, *problem)

        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        try:
            await asyncio.wait_for(self.app(scope, replay, tracking), timeout=self.seconds)
        except asyncio.TimeoutError:
            if not tracking.started:
                await reply_json(send, 504, too_slow(self.seconds))

    def _limited(self, receive):
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise RequestTooLarge(f"请求过大（上限 {_size(self.max_body)}）")
            return message

        return limited_receive

"""Start xlwings Server on this project: the settings ``nianbao serve`` uses.

xlwings Server reads its settings from ``XLWINGS_*`` environment variables when it is
first imported, so :func:`configure` must run before :func:`app`. The settings:

* ``XLWINGS_PROJECT_DIR`` — this folder (custom_scripts/, custom_functions/, …);
* ``XLWINGS_LICENSE_KEY`` — ``noncommercial`` unless set: xlwings Server is under the
  PolyForm Noncommercial licence, which names government institutions as permitted;
  a commercial operator needs its own licence key;
* ``XLWINGS_FUNCTIONS_NAMESPACE=NIANBAO`` → ``=NIANBAO.CHECK(...)``;
* ``XLWINGS_CORS_ALLOW_ORIGINS=["null"]``: the WPS add-in (``addin/wps``) calls from a local folder;
* ``XLWINGS_AUTH_PROVIDERS=["custom"]`` when ``NIANBAO_API_KEY`` is set (see ``auth/custom``).
"""

from __future__ import annotations

import ipaddress
import os

from . import PROJECT_DIR

API_KEY_ENV = "NIANBAO_API_KEY"
#: The add-in's own manifest id (an Office add-in is identified by it; do not reuse xlwings').
MANIFEST_ID = "6f0c3b9e-3d0a-4c52-9a43-9b1f0c2a7e51"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def configure(environment: str = "prod") -> dict[str, str]:
    """Set the xlwings Server environment (keeps values the deployer already set)."""
    env = {
        "XLWINGS_PROJECT_DIR": str(PROJECT_DIR),
        "XLWINGS_LICENSE_KEY": "noncommercial",
        "XLWINGS_ENVIRONMENT": environment,
        "XLWINGS_PROJECT_NAME": "年报助手",
        "XLWINGS_FUNCTIONS_NAMESPACE": "NIANBAO",
        "XLWINGS_MANIFEST_ID_PROD": MANIFEST_ID,
        "XLWINGS_MANIFEST_ID_DEV": "0d6c1f0e-6a43-4f7b-8c1e-2b7f3a9d4c10",
        "XLWINGS_ENABLE_EXAMPLES": "false",
        "XLWINGS_ENABLE_HOTRELOAD": "false",
        "XLWINGS_ENABLE_SOCKETIO": "false",
        # The WPS add-in installed offline runs from a local folder (origin "null") and
        # calls this server cross-origin; the access key still guards every call.
        "XLWINGS_CORS_ALLOW_ORIGINS": '["null"]',
    }
    for k, v in env.items():
        os.environ.setdefault(k, v)
    if os.environ.get(API_KEY_ENV):
        os.environ["XLWINGS_AUTH_PROVIDERS"] = '["custom"]'
    from .downloads import spool_dir

    spool_dir()  # before the workers start: they find it in the environment
    return {k: os.environ[k] for k in env}


#: Chinese for the English details Starlette and FastAPI give.
_STATUS_TEXT = {
    400: "请求有误，无法处理。",
    401: "需要访问密钥：请在任务窗格中填写管理员提供的访问密钥。",
    403: "没有访问权限。",
    404: "找不到该地址。",
    405: "此地址不支持该请求方法。",
    413: "请求过大。",
    415: "请求内容的类型不受支持。",
    422: "请求内容格式不正确。",
    429: "请求过于频繁，请稍后重试。",
}


def _has_chinese(text) -> bool:
    return isinstance(text, str) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def install_error_answers(fastapi_app) -> None:
    """Answer every error in Chinese, as ``{"detail": ...}``: request validation (which
    FastAPI answers with pydantic's English), HTTP errors with English details
    ("Not Found"), xlwings' own errors, and — logged, never shown — unexpected ones."""
    import logging

    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException
    from xlwings import XlwingsError

    log = logging.getLogger("addin.server")

    def answer(status: int, detail: str, headers=None):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)

    async def validation(request, exc):
        errors = exc.errors()
        loc = ".".join(str(p) for p in (errors[0].get("loc", ()) if errors else ()))
        return answer(400, f"请求内容格式不正确（位置：{loc or '整个请求'}）。")

    async def http_error(request, exc):
        detail = exc.detail if _has_chinese(exc.detail) else _STATUS_TEXT.get(exc.status_code, "请求无法处理。")
        return answer(exc.status_code, detail, getattr(exc, "headers", None))

    async def xlwings_error(request, exc):
        log.error("xlwings: %s", exc)
        return answer(400, f"请求无法处理：{str(exc)[:300]}" if _has_chinese(str(exc))
                      else "请求无法处理：工作簿数据与加载项不匹配。请更新加载项后重试；如仍出错，请联系管理员。")

    async def unexpected(request, exc):
        log.exception("unexpected error on %s", request.url.path, exc_info=exc)
        return answer(500, "服务器内部错误，请稍后重试或联系管理员。")

    fastapi_app.add_exception_handler(RequestValidationError, validation)
    fastapi_app.add_exception_handler(HTTPException, http_error)
    fastapi_app.add_exception_handler(XlwingsError, xlwings_error)
    fastapi_app.add_exception_handler(Exception, unexpected)


def app():
    """The ASGI app of xlwings Server (import after :func:`configure`) with the browser
    page at ``/`` (:mod:`addin.server.page`): every static mount served by our own
    lookup (:mod:`addin.server.static_files`), errors answered in Chinese, behind our
    request size and time limits (:mod:`addin.server.limits`)."""
    from xlwings_server.main import app as fastapi_app
    from xlwings_server.main import main_app

    from .limits import LimitsMiddleware
    from .page import with_page
    from .static_files import StaticGuard, take_over_mounts

    install_error_answers(fastapi_app)
    return LimitsMiddleware(with_page(StaticGuard(main_app, take_over_mounts(fastapi_app))))

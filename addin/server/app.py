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
    return {k: os.environ[k] for k in env}


def app():
    """The ASGI app of xlwings Server (import after :func:`configure`) with the browser
    page at ``/`` (:mod:`addin.server.page`), behind our request size and time limits
    (:mod:`addin.server.limits`)."""
    from xlwings_server.main import main_app

    from .limits import LimitsMiddleware
    from .page import with_page

    return LimitsMiddleware(with_page(main_app))
